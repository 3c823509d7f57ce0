"""Errors a member can read: a stable code, the word that was wrong, and a correct example."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    EMPTY = "empty"
    UNKNOWN_COMMAND = "unknown_command"
    MISSING_ARGUMENT = "missing_argument"
    MISSING_VALUE = "missing_value"
    UNKNOWN_KEYWORD = "unknown_keyword"
    DUPLICATE_KEYWORD = "duplicate_keyword"
    NOT_A_NUMBER = "not_a_number"
    AMBIGUOUS_NUMBER = "ambiguous_number"
    NOT_POSITIVE = "not_positive"
    ABSURD_NUMBER = "absurd_number"
    STOP_EQUALS_ENTRY = "stop_equals_entry"
    STOP_WRONG_SIDE = "stop_wrong_side"
    TARGET_WRONG_SIDE = "target_wrong_side"
    CONFLICTING_WORDS = "conflicting_words"
    LEVERAGE_OUT_OF_RANGE = "leverage_out_of_range"
    RISK_ABOVE_100 = "risk_above_100"
    PERCENT_OUT_OF_RANGE = "percent_out_of_range"
    TOO_MANY_WORDS = "too_many_words"
    BAD_CONTRACT = "bad_contract"
    BAD_OUTCOME = "bad_outcome"
    BAD_CHECK_ID = "bad_check_id"
    UNKNOWN_TIMEZONE = "unknown_timezone"
    UNKNOWN_LANGUAGE = "unknown_language"
    BAD_TIME = "bad_time"
    BAD_DAY = "bad_day"
    BAD_CHANNEL = "bad_channel"
    INCOMPLETE_FILL = "incomplete_fill"
    QUANTITY_IS_MONEY = "quantity_is_money"
    # Raised when defaults and venue data are applied (chatbot.evaluation), same shape:
    MISSING_DEFAULT = "missing_default"
    UNKNOWN_VENUE = "unknown_venue"
    UNKNOWN_SYMBOL = "unknown_symbol"
    TIERS_UNKNOWN = "tiers_unknown"
    PRICE_UNAVAILABLE = "price_unavailable"
    UNKNOWN_CONTRACT = "unknown_contract"
    LEVERAGE_ABOVE_VENUE_MAX = "leverage_above_venue_max"
    POSITION_TOO_LARGE = "position_too_large"
    WRONG_COIN = "wrong_coin"
    NOT_WHOLE_CONTRACTS = "not_whole_contracts"
    BELOW_ONE_CONTRACT = "below_one_contract"
    OTHERS_NEED_CROSS = "others_need_cross"
    # Raised by the bot against the member's own log and rules:
    UNKNOWN_CHECK = "unknown_check"
    OUTCOME_NEEDS_EXIT = "outcome_needs_exit"
    NO_LIQUIDATION = "no_liquidation"
    EXPLORING_CHECK = "exploring_check"
    RISK_ABOVE_OWN_RULE = "risk_above_own_rule"


class CommandError(ValueError):
    """The only exception the parser lets out; rendering turns it into a localized reply.

    `word` is the offending word as typed (escaped at render time), `example` a command that
    would have worked, `params` anything else the message needs (a suggestion, a limit).
    """

    def __init__(
        self, code: ErrorCode, *, word: str = "", example: str = "", **params: str
    ) -> None:
        super().__init__(f"{code}: {word}")
        self.code = code
        self.word = word
        self.example = example
        self.params = params
