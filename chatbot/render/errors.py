"""A command that could not be answered: what was wrong, in the member's words, and an example."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from chatbot.language.errors import CommandError, ErrorCode
from chatbot.render.html import WORD_LIMIT
from chatbot.render.html import code as _code
from chatbot.render.html import escape as _e
from chatbot.render.i18n import COIN_DECIMALS, N_, Translator, translator
from chatbot.render.pieces import EXAMPLE_LIMIT, LIST_LIMIT, word

# --- errors --------------------------------------------------------------------------------

# Each code lists its messages from the most specific down; the first whose placeholders are
# all known is used, so an error without an optional detail still reads as a whole sentence.
_ERRORS: dict[ErrorCode, tuple[str, ...]] = {
    ErrorCode.EMPTY: (N_("Nothing to check yet: type a command with its numbers."),),
    ErrorCode.UNKNOWN_COMMAND: (
        N_("I don't know the command {word}. Did you mean {suggestion}?"),
        N_("{word} is meant for {other_bot}, not for me."),
        N_("I don't know the command {word}."),
    ),
    ErrorCode.MISSING_ARGUMENT: (
        N_("I need the {what} here, but found {word}."),
        N_("The {what} is missing."),
        N_("Something is missing before {word}."),
        N_("Something is missing in this command."),
    ),
    ErrorCode.MISSING_VALUE: (
        N_("{word} needs a value after it: the {what}."),
        N_("{word} needs a value after it."),
    ),
    ErrorCode.UNKNOWN_KEYWORD: (
        N_("I don't know the word {word}. Did you mean {suggestion}?"),
        N_("I don't know the word {word}."),
    ),
    ErrorCode.DUPLICATE_KEYWORD: (
        N_("The {what} is given twice ({word}): keep only one."),
        N_("{word} is given twice: keep only one."),
    ),
    ErrorCode.NOT_A_NUMBER: (
        N_("{word} is not a number I can read: type it with the digits {digits}."),
        N_("{word} is not a number I can read."),
    ),
    ErrorCode.AMBIGUOUS_NUMBER: (
        N_(
            "{word} could mean {decimal} or {thousands}. Type {decimal_plain} or "
            "{thousands_plain}, without a thousands mark."
        ),
        N_("{word} could be read two ways: type the number without a thousands mark."),
    ),
    ErrorCode.NOT_POSITIVE: (
        N_("The {what} {word} must be more than zero."),
        N_("{word} must be more than zero."),
    ),
    ErrorCode.ABSURD_NUMBER: (N_("{word} is too large or too small for a real trade."),),
    ErrorCode.STOP_EQUALS_ENTRY: (
        N_("The stop {word} equals the entry: there is no risk to size."),
    ),
    ErrorCode.STOP_WRONG_SIDE: (
        N_(
            "The stop {word} is on the wrong side for a {side}: below the entry for a long, "
            "above it for a short."
        ),
        N_(
            "The stop {word} is on the wrong side: below the entry for a long, above it for a "
            "short."
        ),
    ),
    ErrorCode.TARGET_WRONG_SIDE: (
        N_(
            "The target {word} is on the wrong side for a {side}: above the entry for a long, "
            "below it for a short."
        ),
        N_(
            "The target {word} is on the wrong side: above the entry for a long, below it for a "
            "short."
        ),
    ),
    ErrorCode.CONFLICTING_WORDS: (
        N_("{word} contradicts {other}: keep only one."),
        N_("{word} contradicts the rest of the command."),
    ),
    ErrorCode.LEVERAGE_OUT_OF_RANGE: (
        N_("Leverage {word} is outside {low} to {high}."),
        N_("Leverage {word} is not possible."),
    ),
    ErrorCode.RISK_ABOVE_100: (N_("Risk {word} is more than your whole account."),),
    ErrorCode.PERCENT_OUT_OF_RANGE: (
        N_("The {what} {word} must be between {low} and {high}."),
        N_("{word} is not a sensible percentage here."),
    ),
    ErrorCode.TOO_MANY_WORDS: (
        N_("Too many words: I stopped at {word} (at most {limit})."),
        N_("This message is too long: at most {limit} words and {max_chars} characters."),
        N_("Too many words: I stopped at {word}."),
        N_("This message is too long."),
    ),
    ErrorCode.BAD_CONTRACT: (
        N_("{word} is not a contract: use standard, micro, nano or a size such as 0.01."),
    ),
    ErrorCode.BAD_OUTCOME: (
        N_("{word} is not an outcome: use win, loss, be (break-even) or liq (liquidated)."),
    ),
    ErrorCode.BAD_CHECK_ID: (
        N_("{word} is not a check number: use the number /journal shows, such as 12."),
    ),
    ErrorCode.UNKNOWN_TIMEZONE: (
        N_("I don't know the time zone {word}: use a name such as Europe/Berlin or UTC."),
    ),
    ErrorCode.UNKNOWN_LANGUAGE: (
        N_("I don't speak {word} yet. Languages: {known}."),
        N_("I don't speak {word} yet."),
    ),
    ErrorCode.BAD_TIME: (N_("{word} is not a time of day: use 24-hour time such as 20:00."),),
    ErrorCode.BAD_DAY: (N_("{word} is not a day: use mon, tue, wed, thu, fri, sat or sun."),),
    ErrorCode.BAD_CHANNEL: (
        N_("{word} is not a channel: use its @username, such as @riskschool, or its chat id."),
    ),
    ErrorCode.INCOMPLETE_FILL: (
        N_(
            "{word} is an incomplete fill: type each fill as quantity@price (0.01@72000), or "
            "as a price followed by its quantity."
        ),
    ),
    ErrorCode.QUANTITY_IS_MONEY: (
        N_(
            "{word} is an amount of money, but the quantity counts coin or contracts: type "
            "0.1btc for coin, or 5 for contracts."
        ),
    ),
    ErrorCode.UNKNOWN_CHECK: (N_("You have no size check number {word}: /journal lists yours."),),
    ErrorCode.OUTCOME_NEEDS_EXIT: (
        N_("Check {word} has no target to take the win at: add the price you closed at."),
        N_("This check has no target to take the win at: add the price you closed at."),
    ),
    ErrorCode.NO_LIQUIDATION: (
        N_(
            "Check {word} has no liquidation price, so it cannot have been liquidated: record "
            "the loss with the price you closed at."
        ),
        N_("This check has no liquidation price: record the loss with the price you closed at."),
    ),
    ErrorCode.EXPLORING_CHECK: (
        N_(
            "Check {word} is marked as just exploring: it is not part of your record, so it "
            "takes no outcome."
        ),
    ),
    ErrorCode.RISK_ABOVE_OWN_RULE: (
        N_(
            "Risk {word} is above your {rule} risk rule: every check would break it. Raise the "
            "rule in the same line, or choose a risk within it."
        ),
        N_(
            "Risk {word} is above your own risk rule: every check would break it. Raise the "
            "rule in the same line, or choose a risk within it."
        ),
    ),
    ErrorCode.MISSING_DEFAULT: (
        N_("I need your {what}: add {hint} to the command, or save it once with {setting}."),
        N_("I need the {what}: add {hint} to the command."),
        N_("I need a value for {word}: add it to the command."),
    ),
    ErrorCode.UNKNOWN_VENUE: (
        N_("I don't know the venue {word}. Venues: {known}."),
        N_("I don't know the venue {word}."),
    ),
    ErrorCode.UNKNOWN_SYMBOL: (
        N_(
            "{venue} lists no {word} (market list of {as_of}), but {listed_on} does: add "
            "{venue_hint} to the command."
        ),
        N_("{venue} lists no {word} (market list of {as_of}). Did you mean {suggestions}?"),
        N_("{venue} lists no {word} (market list of {as_of})."),
        N_("I don't know the symbol {word}."),
    ),
    ErrorCode.PRICE_UNAVAILABLE: (
        N_(
            "I could not get the price of {word} ({symbol}) on {venue} just now (the last one I "
            "have is {last_price} from {last_at}): type your entry price, as in the example."
        ),
        N_(
            "I could not get the price of {word} ({symbol}) on {venue} just now: type your "
            "entry price, as in the example."
        ),
        N_("I could not get the price of {word} just now: type your entry price."),
    ),
    ErrorCode.TIERS_UNKNOWN: (
        N_(
            "{venue} lists {word} as {symbol}, but I do not know its tier table yet, so I "
            "cannot compute a liquidation price. Try another venue, such as {example_venue}."
        ),
        N_("I do not know the tier table of {word} on this venue yet."),
    ),
    ErrorCode.UNKNOWN_CONTRACT: (
        N_(
            "{symbol} on {venue} has no contract {word}. Offered: {offered}; your own size "
            "must be a multiple of {unit}."
        ),
        N_(
            "{symbol} on {venue} has no contract {word}; your own size must be a multiple of "
            "{unit}."
        ),
        N_("There is no contract {word} for this symbol."),
    ),
    ErrorCode.POSITION_TOO_LARGE: (
        N_(
            "This position in {word} is larger than the venue takes at any leverage (at most "
            "{maximum})."
        ),
        N_("This position in {word} is larger than the venue takes at any leverage."),
    ),
    ErrorCode.LEVERAGE_ABOVE_VENUE_MAX: (
        N_("Leverage {word} is above the venue's maximum of {maximum}x for this symbol."),
        N_("Leverage {word} is above what the venue allows for this symbol."),
    ),
    ErrorCode.WRONG_COIN: (
        N_("{word} is in {coin}, but this position is in {base}."),
        N_("{word} is in another coin than this position."),
    ),
    ErrorCode.NOT_WHOLE_CONTRACTS: (
        N_(
            "{symbol} trades whole contracts of {value}, and {word} is not a whole number. For "
            "an amount of the coin, add its name, such as 0.1btc."
        ),
        N_("{word} is not a whole number of contracts."),
    ),
    ErrorCode.BELOW_ONE_CONTRACT: (
        N_("{word} is less than one contract of {value} at {price}."),
        N_("{word} is less than one contract."),
    ),
    ErrorCode.OTHERS_NEED_CROSS: (
        N_(
            "{word} counts the other positions of a cross-margin account, but this position is "
            "isolated: add cross to the command."
        ),
    ),
}

# The parser's and the core's names for a value, as a member reads them.
_WHAT = {
    "symbol": N_("symbol"),
    "entry": N_("entry price"),
    "exit": N_("exit price"),
    "stop": N_("stop"),
    "tp": N_("target"),
    "spot_value": N_("spot value"),
    "notional": N_("position value"),
    "acct": N_("account size"),
    "account": N_("account size"),
    "lev": N_("leverage"),
    "leverage": N_("leverage"),
    "risk": N_("risk per trade"),
    "fee": N_("fee"),
    "venue": N_("venue"),
    "mmr": N_("maintenance margin rate"),
    "qty": N_("quantity"),
    "quantity": N_("quantity"),
    "ratio": N_("hedge ratio"),
    "price": N_("price"),
    "rate": N_("funding rate"),
    "hours": N_("hours"),
    "contract": N_("contract"),
    "side": N_("side"),
    "margin": N_("margin mode"),
    "margin_mode": N_("margin mode"),
    "funding_interval": N_("funding interval"),
    "maxrisk": N_("risk rule"),
    "maxlev": N_("leverage limit"),
    "lang": N_("language"),
    "tz": N_("time zone"),
    "id": N_("check number"),
    "outcome": N_("outcome"),
    "day": N_("day of the week"),
    "time": N_("time of day"),
    "channel": N_("channel"),
    "fills": N_("list of fills"),
    "funding": N_("funding"),
    "others_mm": N_("maintenance margin of your other positions"),
    "others_upnl": N_("unrealised PnL of your other positions"),
}
# What a member types to supply a missing default, and whether /settings can keep it.
_HINTS = {
    "account": ("acct 1000", True),
    "leverage": ("lev 10", True),
    "risk": ("risk 1%", True),
    "fee": ("fee 0.05%", True),
    "venue": ("venue binance", True),
    "margin_mode": ("isolated", False),
    "quantity": ("qty 0.001", False),
    "price": ("price 72000", False),
}
_CODE_PARAMS = frozenset({"suggestion", "other", "other_bot", "venue_hint", "example_venue"})
_LIST_PARAMS = frozenset({"known", "offered"})
# Dollar figures (a contract's value, the price a coin amount was converted at).
_MONEY_PARAMS = frozenset({"value", "price"})
_PERCENT_PARAMS = frozenset({"rule"})


def _number(tr: Translator, text: str) -> str:
    """A reading of an ambiguous number in the member's own style (72,000 or 72.000)."""
    try:
        return tr.number(Decimal(text), 0, COIN_DECIMALS)
    except InvalidOperation:
        return _e(text)


def _money(tr: Translator, text: str, *, exact: bool) -> str:
    """A dollar figure of an error in the member's own number style."""
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return _e(text)
    return tr.money(amount, "USD", exact=True) if exact else tr.price(amount, "USD")


def _percent(tr: Translator, text: str) -> str:
    """A rule given as a fraction (0.02), as a percentage in the member's style (2 %)."""
    try:
        return tr.percent(Decimal(text), exact=True)
    except InvalidOperation:
        return _e(text)


def _error_params(tr: Translator, error: CommandError) -> dict[str, str]:
    """Every detail of the error, escaped; words as code, `what` translated, hints added."""
    params: dict[str, str] = {}
    for key, value in error.params.items():
        if not value:
            continue
        if key in _CODE_PARAMS:
            params[key] = _code(value)
        elif key in _PERCENT_PARAMS:
            params[key] = _percent(tr, value)
        else:
            params[key] = _e(value, LIST_LIMIT if key in _LIST_PARAMS else WORD_LIMIT)
    if error.word:
        params["word"] = _code(error.word)
    for key in _MONEY_PARAMS.intersection(error.params):
        params[key] = _money(tr, error.params[key], exact=key == "value")
    for reading in ("decimal", "thousands"):
        if error.params.get(reading):
            params[reading] = _number(tr, error.params[reading])
            params[f"{reading}_plain"] = _code(error.params[reading])
    what = error.params.get("what", "")
    if what:
        known = _WHAT.get(what)
        params["what"] = tr.gettext(known) if known else _e(what)
    if error.params.get("side"):
        params["side"] = word(tr, error.params["side"])
    hint, savable = _HINTS.get(what, ("", False))
    if hint:
        params["hint"] = _code(hint)
    if savable:
        params["setting"] = _code(f"/settings {hint}")
    return params


_GENERIC = N_("This command did not work: please check it against the example.")
_PLACEHOLDER = re.compile(r"{(\w+)}")


def _pick(messages: tuple[str, ...], params: dict[str, str]) -> str:
    """The most specific message whose placeholders are all available."""
    for message in messages:
        if set(_PLACEHOLDER.findall(message)) <= params.keys():
            return message
    return _GENERIC


def render_error(error: CommandError, lang: str) -> str:
    """What was wrong, with the member's own word, then a command that would have worked."""
    tr = translator(lang)
    params = _error_params(tr, error)
    message = _pick(_ERRORS[error.code], params)
    lines = ["❌ " + tr.gettext(message, **params)]
    if error.example:
        example = _code(error.example, EXAMPLE_LIMIT)
        lines.append(tr.gettext("Example: {example}", example=example))
    return "\n".join(lines)
