"""Readers of one typed value each: the value in its model, or the precise error for it.

Each reader takes the part as typed and the canonical name it was given under, so an error can
name what was wrong (`the stop`, `the leverage`) with the member's own word.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chatbot.engine.models import ContractKind, MarginMode, Side
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.grammar import FLAGS, Typed
from chatbot.language.numbers import (
    explicit_sign,
    is_number,
    is_percent,
    parse_hours,
    parse_leverage,
    parse_number,
    parse_percent,
    parse_plain,
    parse_rate,
)
from chatbot.language.requests import (
    ContractSpec,
    FillSpec,
    Outcome,
    QuantitySpec,
    RiskSpec,
    StopSpec,
)

CLEAR_WORDS = frozenset({"off", "none", "reset", "clear", "-"})

_SYMBOL = re.compile(r"[A-Z0-9]{2,15}")
_LANGUAGE = re.compile(r"[a-z]{2,3}(_[a-z]{2})?")
_SYMBOL_SEPARATORS = re.compile(r"[/\-_:.]")
_QUOTES = ("USDT", "USDC", "BUSD", "PERP", "USD")
_COIN_AMOUNT = re.compile(r"(?P<amount>[+\-−]?[0-9.,_]+)(?P<coin>[a-z][a-z0-9]{1,14})", re.I)
_MONEY = frozenset({"usdt", "usdc", "usd", "busd"})
_CHANNEL = re.compile(r"@[A-Za-z][A-Za-z0-9_]{4,31}|-?[0-9]{5,20}")
_OUTCOMES: dict[str, Outcome] = {
    "win": "win",
    "won": "win",
    "tp": "win",
    "loss": "loss",
    "lost": "loss",
    "sl": "loss",
    "be": "be",
    "breakeven": "be",
    "liq": "liq",
    "liquidated": "liq",
}


def cleared(typed: Typed) -> bool:
    """`/settings lev off`: the member asks to forget a saved value."""
    return typed.value.lower() in CLEAR_WORDS


def out_of_range(typed: Typed, name: str, low: str, high: str) -> CommandError:
    return CommandError(
        ErrorCode.PERCENT_OUT_OF_RANGE, word=typed.value, what=name, low=low, high=high
    )


def symbol(typed: Typed, name: str) -> str:
    """The base asset: `btc`, `BTCUSDT`, `btc/usdt`, `BTC-PERP`, `btcusdt.p`, `$BTC` → BTC."""
    missing = CommandError(ErrorCode.MISSING_ARGUMENT, word=typed.value, what=name)
    if is_number(typed.value):
        raise missing
    text = typed.value.upper().lstrip("$#").removesuffix(".P")
    base = _strip_quotes(_SYMBOL_SEPARATORS.split(text, maxsplit=1)[0])
    if not _SYMBOL.fullmatch(base):
        raise missing
    return base


def _strip_quotes(text: str) -> str:
    """`BTCUSDTPERP` → `BTC`, but `USDT` alone stays `USDT`."""
    for quote in _QUOTES:
        if text.endswith(quote) and len(text) - len(quote) >= 2:
            return _strip_quotes(text.removesuffix(quote))
    return text


def positive(typed: Typed, name: str) -> Decimal:
    """An amount or quantity: zero or below is a typo, never a trade."""
    return _positive(parse_number(typed.value, typed.style), typed, name)


def amount(typed: Typed, name: str) -> Decimal:
    """A signed amount of money, such as funding paid (`-1.20`) or another position's PnL."""
    return parse_number(typed.value, typed.style)


def quantity(typed: Typed, name: str) -> QuantitySpec:
    """`5` in the instrument's own unit, `0.1btc` in the coin; money (`$500`, `500usdt`) is
    refused, since a position's value read as its quantity would be a guess."""
    text = typed.value.strip()
    match = _COIN_AMOUNT.fullmatch(text)
    if "$" in text or (match is not None and match["coin"].lower() in _MONEY):
        raise CommandError(ErrorCode.QUANTITY_IS_MONEY, word=typed.value, what=name)
    if match is None:
        return QuantitySpec(amount=positive(typed, name))
    counted = positive(replace(typed, value=match["amount"]), name)
    return QuantitySpec(amount=counted, coin=match["coin"].upper())


def fills(items: tuple[Typed, ...], name: str) -> tuple[FillSpec, ...]:
    """`0.01@72000` is a quantity at a price; values typed bare pair up as a price, then its
    quantity (`72000 0.01`). A price left without its quantity is refused by name."""
    found: list[FillSpec] = []
    waiting: Typed | None = None
    for item in items:
        if "@" in item.value:
            if waiting is not None:
                raise CommandError(ErrorCode.INCOMPLETE_FILL, word=waiting.value, what=name)
            found.append(_fill_at(item, name))
        elif waiting is None:
            waiting = item
        else:
            found.append(FillSpec(quantity=quantity(item, "qty"), price=price(waiting, "price")))
            waiting = None
    if waiting is not None:
        raise CommandError(ErrorCode.INCOMPLETE_FILL, word=waiting.value, what=name)
    return tuple(found)


def _fill_at(item: Typed, name: str) -> FillSpec:
    """`0.01@72000`: both sides must be there."""
    counted, _, at = item.value.partition("@")
    if not counted or not at:
        raise CommandError(ErrorCode.INCOMPLETE_FILL, word=item.value, what=name)
    return FillSpec(
        quantity=quantity(replace(item, value=counted), "qty"),
        price=price(replace(item, value=at), "price"),
    )


def price(typed: Typed, name: str) -> Decimal:
    """A price, read near the instrument's known price when the form could mean two numbers."""
    return _positive(parse_number(typed.value, typed.style, typed.reference), typed, name)


MARKET_WORDS = frozenset({"market", "mkt", "now"})


def price_or_market(typed: Typed, name: str) -> Decimal | None:
    """An entry price, or None for `market`/`mkt`: the venue's mark price is used instead."""
    if typed.value.lower() in MARKET_WORDS:
        return None
    return price(typed, name)


def _positive(value: Decimal, typed: Typed, name: str) -> Decimal:
    if value <= 0:
        raise CommandError(ErrorCode.NOT_POSITIVE, word=typed.value, what=name)
    return value


def leverage(typed: Typed, name: str) -> Decimal:
    """1x to 200x: no venue offers more, and below 1x is not a leveraged trade."""
    value = parse_leverage(typed.value)
    if not 1 <= value <= 200:
        raise CommandError(
            ErrorCode.LEVERAGE_OUT_OF_RANGE, word=typed.value, what=name, low="1", high="200"
        )
    return value


def stop_spec(typed: Typed, name: str) -> StopSpec:
    """A stop price, or a distance from entry (`1%` losing side, `-1%` below, `+1%` above)."""
    if not is_percent(typed.value):
        return StopSpec(price=price(typed, name))
    distance = abs(parse_percent(typed.value))
    if not 0 < distance < 1:
        raise out_of_range(typed, name, "0%", "100%")
    return StopSpec(distance=distance, direction=explicit_sign(typed.value))


def risk(typed: Typed, name: str) -> RiskSpec:
    """`1%` is a share of the account, anything else (`$25`, `25usdt`, `25`) an amount."""
    if not is_percent(typed.value):
        return RiskSpec(amount=positive(typed, name))
    fraction = parse_percent(typed.value)
    if fraction > 1:
        raise CommandError(ErrorCode.RISK_ABOVE_100, word=typed.value, what=name)
    if fraction <= 0:
        raise CommandError(ErrorCode.NOT_POSITIVE, word=typed.value, what=name)
    return RiskSpec(fraction=fraction)


def max_risk(typed: Typed, name: str) -> Decimal:
    """A risk rule: a share of the account per trade, never a fixed amount."""
    if not is_percent(typed.value):
        raise out_of_range(typed, name, "0%", "100%")
    fraction = risk(typed, name).fraction
    assert fraction is not None
    return fraction


def fee(typed: Typed, name: str) -> Decimal:
    """A fee rate; `fee 0.05` means 0.05%, and 5% or more can only be a typo."""
    value = parse_rate(typed.value)
    if not 0 <= value < Decimal("0.05"):
        raise out_of_range(typed, name, "0%", "5%")
    return value


def mmr(typed: Typed, name: str) -> Decimal:
    """A maintenance margin rate override: above 0 and below 50%, as on every venue."""
    value = parse_rate(typed.value)
    if not 0 < value < Decimal("0.5"):
        raise out_of_range(typed, name, "0%", "50%")
    return value


def funding_rate(typed: Typed, name: str) -> Decimal:
    """Funding may be negative (shorts pay longs) but never 5% per interval."""
    value = parse_rate(typed.value)
    if abs(value) >= Decimal("0.05"):
        raise out_of_range(typed, name, "-5%", "5%")
    return value


def ratio(typed: Typed, name: str) -> Decimal:
    """`100%`, `50%`, or a bare number: a fraction up to 1, a percent above (`0.5`, `50`)."""
    if is_percent(typed.value) or parse_plain(typed.value) > 1:
        value = parse_rate(typed.value)
    else:
        value = parse_plain(typed.value)
    if not 0 < value <= 2:
        raise out_of_range(typed, name, "0%", "200%")
    return value


def hours(typed: Typed, name: str) -> Decimal:
    """How long a position is held for funding; zero hours pays nothing and is a typo."""
    value = parse_hours(typed.value)
    if value <= 0:
        raise CommandError(ErrorCode.NOT_POSITIVE, word=typed.value, what=name)
    return value


def contract(typed: Typed, name: str) -> ContractSpec:
    """`micro`, `nano`, `standard`, or a positive multiplier such as `0.01`."""
    word = typed.value.lower()
    if word in FLAGS["contract"]:
        return ContractSpec(kind=ContractKind(word))
    try:
        multiplier = parse_number(typed.value, typed.style)
    except CommandError:
        multiplier = Decimal(0)
    if multiplier <= 0:
        raise CommandError(ErrorCode.BAD_CONTRACT, word=typed.value, what=name)
    return ContractSpec(kind=ContractKind.CUSTOM, multiplier=multiplier)


def venue(typed: Typed, name: str) -> str:
    """Venues are checked against the market data later, where the list of known ones lives."""
    return typed.value.lower()


def side(typed: Typed, name: str) -> Side:
    return Side(typed.value)


def margin(typed: Typed, name: str) -> MarginMode:
    return MarginMode(typed.value)


def language(typed: Typed, name: str) -> str:
    """A language code such as `de` or `pt-br`; whether a catalog exists is the bot's check."""
    code = typed.value.lower().replace("-", "_")
    if not _LANGUAGE.fullmatch(code):
        raise CommandError(ErrorCode.UNKNOWN_LANGUAGE, word=typed.value)
    return code


def timezone(typed: Typed, name: str) -> str:
    """An IANA zone (`Europe/Berlin`, `UTC`): days and streaks follow the member's clock."""
    try:
        ZoneInfo(typed.value)
    except (ZoneInfoNotFoundError, ValueError):
        raise CommandError(ErrorCode.UNKNOWN_TIMEZONE, word=typed.value) from None
    return typed.value


def check_id(typed: Typed, name: str) -> int:
    """The number the journal shows next to a check, `12` or `#12`."""
    digits = typed.value.lstrip("#")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 12:
        raise CommandError(ErrorCode.BAD_CHECK_ID, word=typed.value)
    return int(digits)


def outcome(typed: Typed, name: str) -> Outcome:
    found = _OUTCOMES.get(typed.value.lower())
    if found is None:
        raise CommandError(ErrorCode.BAD_OUTCOME, word=typed.value)
    return found


def channel(typed: Typed, name: str) -> str:
    """Where lessons go: a channel's @username or a chat id the bot administers."""
    if not _CHANNEL.fullmatch(typed.value):
        raise CommandError(ErrorCode.BAD_CHANNEL, word=typed.value)
    return typed.value
