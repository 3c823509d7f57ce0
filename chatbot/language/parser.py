"""The command grammar of shared/commands.md: text in, a request or one precise error out.

Parsing runs in three passes, so that each error names the first real problem:
1. the command word (`/size`, `/size@bot`, `size` in private chats) and the size limits;
2. the positionals (SYMBOL, then ENTRY, EXIT, SPOT_VALUE or NOTIONAL) and the keyword pairs,
   flags and bare tokens (`20x`, `8h`) collected as typed, with duplicates and unknown words
   refused;
3. the values, each read and range-checked on its own, then checked against each other
   (stop vs entry vs side, target).

Error `params["what"]` names the missing or wrong part the way members type it: a positional's
name (`symbol`, `entry`, `exit`, `spot_value`, `notional`) or a keyword's first spelling
(`stop`, `acct`, `lev`, `qty`, …). Every `CommandError` carries the example of its command.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from difflib import get_close_matches
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chatbot.engine.models import ContractKind, MarginMode, Side
from chatbot.language import schedule
from chatbot.language.errors import CommandError, ErrorCode
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
    AnyRequest,
    ContractSpec,
    FundingRequest,
    HedgeRequest,
    LiqRequest,
    MemberRequest,
    Outcome,
    PnlRequest,
    PolicyRequest,
    RemindRequest,
    ResultRequest,
    RiskSpec,
    SettingsRequest,
    SizeRequest,
    StopSpec,
)

EXAMPLES: dict[str, str] = {
    "size": "/size BTC 72000 stop 71500 acct 1000 lev 20",
    "liq": "/liq BTC 72000 lev 20",
    "pnl": "/pnl BTC 72000 73500 qty 0.017",
    "hedge": "/hedge BTC 5000 price 72000",
    "funding": "/funding BTC 1224 rate 0.01%",
    "settings": "/settings acct 1000 risk 1% lev 10 tz Europe/Berlin",
    "result": "/result 12 win exit 73500",
    "remind": "/remind daily 20:00 Europe/Berlin",
    "policy": "/policy maxrisk 1% maxlev 10 lang de",
}

MAX_WORDS = 30
MAX_CHARS = 4096

_CALCULATORS = {
    "size": "size",
    "calc": "size",
    "rr": "size",
    "liq": "liq",
    "pnl": "pnl",
    "hedge": "hedge",
    "funding": "funding",
}
_MEMBER_COMMANDS = {name: name for name in ("settings", "result", "remind", "policy")}

_ALIASES = {
    "stop": ("stop", "sl"),
    "acct": ("acct", "account", "bal", "balance", "equity"),
    "lev": ("lev", "leverage"),
    "risk": ("risk",),
    "tp": ("tp", "target", "take"),
    "fee": ("fee",),
    "venue": ("venue", "exchange", "ex"),
    "mmr": ("mmr",),
    "qty": ("qty", "quantity", "size", "amount"),
    "ratio": ("ratio",),
    "price": ("price",),
    "rate": ("rate",),
    "hours": ("hours", "h"),
    "exit": ("exit",),
    "contract": ("contract",),
    "maxrisk": ("maxrisk", "max_risk", "rule"),
    "maxlev": ("maxlev", "max_lev", "maxleverage"),
    "lang": ("lang", "language"),
    "tz": ("tz", "timezone"),
    "channel": ("channel",),
}

_FLAG_GROUPS = {
    "side": {"long": "long", "short": "short"},
    "margin": {"isolated": "isolated", "iso": "isolated", "cross": "cross"},
    "contract": {kind: kind for kind in ("standard", "micro", "nano")},
    "lessons": {"lessons": "lessons", "lesson": "lessons"},
}

_BARE_TOKENS = {
    "lev": re.compile(r"x[0-9][0-9.,]*|[0-9][0-9.,]*x"),
    "hours": re.compile(r"[0-9][0-9.,]*h"),
}

_SYMBOL = re.compile(r"[A-Z0-9]{2,15}")
_LANGUAGE = re.compile(r"[a-z]{2,3}(_[a-z]{2})?")
_SYMBOL_SEPARATORS = re.compile(r"[/\-_:.]")
_QUOTES = ("USDT", "USDC", "BUSD", "PERP", "USD")
_KEY_VALUE = re.compile(r"[=:]")
_SEPARATORS = ("=", ":")


@dataclass(frozen=True)
class _Grammar:
    """What one command accepts after its command word."""

    positionals: tuple[str, ...]
    optional_last: bool
    keywords: tuple[str, ...]
    flags: tuple[str, ...]


_GRAMMARS: dict[str, _Grammar] = {
    "size": _Grammar(
        ("symbol", "entry"),
        False,
        ("stop", "acct", "lev", "risk", "tp", "fee", "venue", "mmr", "contract"),
        ("side", "margin", "contract"),
    ),
    "liq": _Grammar(
        ("symbol", "entry"), False, ("lev", "acct", "qty", "venue", "mmr"), ("side", "margin")
    ),
    "pnl": _Grammar(
        ("symbol", "entry", "exit"),
        True,
        ("exit", "qty", "stop", "fee", "venue", "contract"),
        ("side", "contract"),
    ),
    "hedge": _Grammar(("symbol", "spot_value"), False, ("ratio", "price", "contract", "venue"), ()),
    "funding": _Grammar(("symbol", "notional"), False, ("rate", "hours", "venue"), ("side",)),
    "settings": _Grammar(
        (),
        False,
        ("acct", "risk", "lev", "fee", "venue", "maxrisk", "maxlev", "lang", "tz"),
        ("margin",),
    ),
    "result": _Grammar(("id", "outcome"), False, ("exit",), ()),
    "remind": _Grammar((), False, (), ()),
    "policy": _Grammar((), False, ("maxrisk", "maxlev", "lang", "channel"), ("lessons",)),
}


@dataclass(frozen=True)
class _Typed:
    """A value as the member typed it, and the word that introduced it (for error messages)."""

    word: str
    value: str


_Raw = dict[str, _Typed]
_T = TypeVar("_T")


def parse_command(text: str, bot_username: str | None = None) -> AnyRequest:
    """Parse one calculator command; raise `CommandError` (and nothing else) otherwise.

    `bot_username` is this bot's name: `/size@other_bot` in a group is meant for another bot
    and is refused rather than answered twice.
    """
    request = _parse(text, bot_username, _CALCULATORS)
    assert not isinstance(request, SettingsRequest | ResultRequest)
    return request


def parse_member_command(text: str, bot_username: str | None = None) -> MemberRequest:
    """Parse `/settings`, `/result`, `/remind` or `/policy`: commands that change stored state."""
    request = _parse(text, bot_username, _MEMBER_COMMANDS)
    assert isinstance(request, SettingsRequest | ResultRequest | RemindRequest | PolicyRequest)
    return request


def _parse(
    text: str, bot_username: str | None, commands: dict[str, str]
) -> AnyRequest | MemberRequest:
    command = next(iter(commands.values()))
    try:
        words = text.split()
        if not words:
            raise CommandError(ErrorCode.EMPTY)
        command = _command(words[0], bot_username, commands)
        _check_length(text, words)
        tokens, when = _tokens(text), []
        if command in _SCHEDULED:
            tokens, when = schedule.split(tokens)
            return _SCHEDULED[command](_collect(command, tokens), when)
        return _BUILDERS[command](_collect(command, tokens))
    except CommandError as error:
        if error.example:
            raise
        raise CommandError(
            error.code, word=error.word, example=EXAMPLES[command], **error.params
        ) from None


# --- pass 1: the command word and the limits --------------------------------------------------


def _command(head: str, bot_username: str | None, commands: dict[str, str]) -> str:
    """The canonical command of the first word, refusing commands addressed to other bots."""
    name, _, addressee = head.removeprefix("/").partition("@")
    name = name.lower()
    if addressee and bot_username and addressee.lower() != bot_username.lstrip("@").lower():
        example = EXAMPLES[commands.get(name, next(iter(commands.values())))]
        raise CommandError(
            ErrorCode.UNKNOWN_COMMAND, word=head, example=example, other_bot=addressee
        )
    if name not in commands:
        raise CommandError(
            ErrorCode.UNKNOWN_COMMAND, word=head, suggestion=_closest(name, commands)
        )
    return commands[name]


def _check_length(text: str, words: list[str]) -> None:
    """Refuse floods before doing any work on them."""
    if len(text) > MAX_CHARS:
        raise CommandError(ErrorCode.TOO_MANY_WORDS, limit=str(MAX_WORDS), max_chars=str(MAX_CHARS))
    if len(words) > MAX_WORDS:
        raise CommandError(ErrorCode.TOO_MANY_WORDS, word=words[MAX_WORDS], limit=str(MAX_WORDS))


def _tokens(text: str) -> list[str]:
    """The words after the command word, with `key = value` and `key= value` glued together."""
    glued: list[str] = []
    for word in text.split()[1:]:
        if glued and (glued[-1].endswith(_SEPARATORS) or word.startswith(_SEPARATORS)):
            glued[-1] += word
        else:
            glued.append(word)
    return glued


def _closest(word: str, choices: Iterable[str]) -> str:
    """The closest known word for a "did you mean", or "" when nothing is close."""
    matches = get_close_matches(word[:32], list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else ""


# --- pass 2: positionals, keywords, flags -----------------------------------------------------


def _collect(command: str, tokens: list[str]) -> _Raw:
    """Every part of the command as typed, keyed by canonical name, syntax errors refused."""
    grammar = _GRAMMARS[command]
    raw: _Raw = {}
    index = 0
    for position, name in enumerate(grammar.positionals):
        if index < len(tokens) and not _is_clause(command, tokens[index]):
            raw[name] = _Typed(tokens[index], tokens[index])
            if name == "symbol":
                _symbol(raw[name], name)  # `/size 72000 …`: name the symbol, not the entry
            index += 1
        elif not (grammar.optional_last and position == len(grammar.positionals) - 1):
            word = tokens[index] if index < len(tokens) else ""
            raise CommandError(ErrorCode.MISSING_ARGUMENT, word=word, what=name)
    while index < len(tokens):
        index = _clause(command, tokens, index, raw)
    return raw


def _clause(command: str, tokens: list[str], index: int, raw: _Raw) -> int:
    """Read the flag, bare token or keyword pair at `index`; return the index after it."""
    token = tokens[index]
    lowered = token.lower()
    flag = _flag(command, lowered)
    if flag is not None:
        _set_flag(raw, flag[0], _Typed(token, flag[1]))
        return index + 1
    bare = _bare(command, lowered)
    if bare is not None:
        _set_keyword(raw, bare, _Typed(token, token))
        return index + 1
    key, inline = _split_pair(token)
    name = _keyword(command, key.lower())
    if name is None:
        raise CommandError(
            ErrorCode.UNKNOWN_KEYWORD, word=key or token, suggestion=_suggestion(command, key)
        )
    if inline:
        _set_keyword(raw, name, _Typed(key, inline))
        return index + 1
    following = index + 1
    if following >= len(tokens) or _starts_other_clause(command, name, tokens[following]):
        raise CommandError(ErrorCode.MISSING_VALUE, word=key, what=name)
    _set_keyword(raw, name, _Typed(key, tokens[following]))
    return following + 1


def _split_pair(token: str) -> tuple[str, str]:
    """`stop=71500` or `stop:71500` into its key and value (empty for a lone `stop`)."""
    key, _, value = _KEY_VALUE.sub("=", token, count=1).partition("=")
    return key, value


def _keyword(command: str, key: str) -> str | None:
    """The canonical name of a keyword spelling, if this command accepts it."""
    for name in _GRAMMARS[command].keywords:
        if key in _ALIASES[name]:
            return name
    return None


def _flag(command: str, word: str) -> tuple[str, str] | None:
    """The (field, value) a bare flag such as `short` or `iso` sets, if this command has it."""
    for group in _GRAMMARS[command].flags:
        if word in _FLAG_GROUPS[group]:
            return group, _FLAG_GROUPS[group][word]
    return None


def _bare(command: str, word: str) -> str | None:
    """The keyword a bare token such as `20x` or `8h` stands for, if this command has it."""
    for name, pattern in _BARE_TOKENS.items():
        if name in _GRAMMARS[command].keywords and pattern.fullmatch(word):
            return name
    return None


def _is_clause(command: str, token: str) -> bool:
    """Whether a token starts a keyword pair, is a flag or a bare token: not a positional."""
    lowered = token.lower()
    key, _ = _split_pair(lowered)
    return (
        _keyword(command, key) is not None
        or _flag(command, lowered) is not None
        or _bare(command, lowered) is not None
    )


def _starts_other_clause(command: str, name: str, token: str) -> bool:
    """Whether the word after a keyword is another keyword or flag, i.e. the value is missing.

    `contract micro` is the one keyword whose values are also flags.
    """
    lowered = token.lower()
    if name == "contract" and lowered in _FLAG_GROUPS["contract"]:
        return False
    key, _ = _split_pair(lowered)
    return _keyword(command, key) is not None or _flag(command, lowered) is not None


def _suggestion(command: str, key: str) -> str:
    """The "did you mean" among this command's own keywords and flags only."""
    grammar = _GRAMMARS[command]
    words = [alias for name in grammar.keywords for alias in _ALIASES[name]]
    words += [flag for group in grammar.flags for flag in _FLAG_GROUPS[group]]
    return _closest(key.lower(), words)


def _set_keyword(raw: _Raw, name: str, typed: _Typed) -> None:
    """A keyword given twice is ambiguous: which value did the member mean?"""
    if name in raw:
        raise CommandError(ErrorCode.DUPLICATE_KEYWORD, word=typed.word, what=name)
    raw[name] = typed


def _set_flag(raw: _Raw, name: str, typed: _Typed) -> None:
    """Repeating a flag is harmless; contradicting an earlier one is an error."""
    earlier = raw.get(name)
    if earlier is not None and earlier.value != typed.value:
        raise CommandError(ErrorCode.CONFLICTING_WORDS, word=typed.word, other=earlier.word)
    raw[name] = typed


# --- pass 3: values ---------------------------------------------------------------------------


def _optional(raw: _Raw, name: str, read: Callable[[_Typed, str], _T]) -> _T | None:
    """A part left out stays `None`, so the core can fill and name the default it used."""
    return read(raw[name], name) if name in raw else None


def _required(raw: _Raw, name: str, read: Callable[[_Typed, str], _T]) -> _T:
    """A part without a default: its absence is named in the error."""
    if name not in raw:
        raise CommandError(ErrorCode.MISSING_ARGUMENT, what=name)
    return read(raw[name], name)


def _symbol(typed: _Typed, name: str) -> str:
    """The base asset: `btc`, `BTCUSDT`, `btc/usdt`, `BTC-PERP`, `btcusdt.p`, `$BTC` → BTC."""
    missing = CommandError(ErrorCode.MISSING_ARGUMENT, word=typed.value, what=name)
    if is_number(typed.value):
        raise missing
    text = typed.value.upper().lstrip("$#").removesuffix(".P")
    base = _strip_quotes(_SYMBOL_SEPARATORS.split(text, maxsplit=1)[0])
    if not _SYMBOL.fullmatch(base):
        raise missing
    return base


def _strip_quotes(symbol: str) -> str:
    """`BTCUSDTPERP` → `BTC`, but `USDT` alone stays `USDT`."""
    for quote in _QUOTES:
        if symbol.endswith(quote) and len(symbol) - len(quote) >= 2:
            return _strip_quotes(symbol.removesuffix(quote))
    return symbol


def _positive(typed: _Typed, name: str) -> Decimal:
    """A price, amount or quantity: prices of zero or below are typos, never trades."""
    value = parse_number(typed.value)
    if value <= 0:
        raise CommandError(ErrorCode.NOT_POSITIVE, word=typed.value, what=name)
    return value


def _leverage(typed: _Typed, name: str) -> Decimal:
    """1x to 200x: no venue offers more, and below 1x is not a leveraged trade."""
    value = parse_leverage(typed.value)
    if not 1 <= value <= 200:
        raise CommandError(
            ErrorCode.LEVERAGE_OUT_OF_RANGE, word=typed.value, what=name, low="1", high="200"
        )
    return value


def _stop_spec(typed: _Typed, name: str) -> StopSpec:
    """A stop price, or a distance from entry (`1%` losing side, `-1%` below, `+1%` above)."""
    if not is_percent(typed.value):
        return StopSpec(price=_positive(typed, name))
    distance = abs(parse_percent(typed.value))
    if not 0 < distance < 1:
        raise _out_of_range(typed, name, "0%", "100%")
    return StopSpec(distance=distance, direction=explicit_sign(typed.value))


def _risk(typed: _Typed, name: str) -> RiskSpec:
    """`1%` is a share of the account, anything else (`$25`, `25usdt`, `25`) an amount."""
    if not is_percent(typed.value):
        return RiskSpec(amount=_positive(typed, name))
    fraction = parse_percent(typed.value)
    if fraction > 1:
        raise CommandError(ErrorCode.RISK_ABOVE_100, word=typed.value, what=name)
    if fraction <= 0:
        raise CommandError(ErrorCode.NOT_POSITIVE, word=typed.value, what=name)
    return RiskSpec(fraction=fraction)


def _fee(typed: _Typed, name: str) -> Decimal:
    """A fee rate; `fee 0.05` means 0.05%, and 5% or more can only be a typo."""
    value = parse_rate(typed.value)
    if not 0 <= value < Decimal("0.05"):
        raise _out_of_range(typed, name, "0%", "5%")
    return value


def _mmr(typed: _Typed, name: str) -> Decimal:
    """A maintenance margin rate override: above 0 and below 50%, as on every venue."""
    value = parse_rate(typed.value)
    if not 0 < value < Decimal("0.5"):
        raise _out_of_range(typed, name, "0%", "50%")
    return value


def _funding_rate(typed: _Typed, name: str) -> Decimal:
    """Funding may be negative (shorts pay longs) but never 5% per interval."""
    value = parse_rate(typed.value)
    if abs(value) >= Decimal("0.05"):
        raise _out_of_range(typed, name, "-5%", "5%")
    return value


def _ratio(typed: _Typed, name: str) -> Decimal:
    """`100%`, `50%`, or a bare number: a fraction up to 1, a percent above (`0.5`, `50`)."""
    if is_percent(typed.value) or parse_plain(typed.value) > 1:
        value = parse_rate(typed.value)
    else:
        value = parse_plain(typed.value)
    if not 0 < value <= 2:
        raise _out_of_range(typed, name, "0%", "200%")
    return value


def _hours(typed: _Typed, name: str) -> Decimal:
    """How long a position is held for funding; zero hours pays nothing and is a typo."""
    value = parse_hours(typed.value)
    if value <= 0:
        raise CommandError(ErrorCode.NOT_POSITIVE, word=typed.value, what=name)
    return value


def _contract(typed: _Typed, name: str) -> ContractSpec:
    """`micro`, `nano`, `standard`, or a positive multiplier such as `0.01`."""
    word = typed.value.lower()
    if word in _FLAG_GROUPS["contract"]:
        return ContractSpec(kind=ContractKind(word))
    try:
        multiplier = parse_number(typed.value)
    except CommandError:
        multiplier = Decimal(0)
    if multiplier <= 0:
        raise CommandError(ErrorCode.BAD_CONTRACT, word=typed.value, what=name)
    return ContractSpec(kind=ContractKind.CUSTOM, multiplier=multiplier)


def _venue(typed: _Typed, name: str) -> str:
    """Venues are checked against the catalogue later, where the list of known ones lives."""
    return typed.value.lower()


def _side(typed: _Typed, name: str) -> Side:
    return Side(typed.value)


def _margin(typed: _Typed, name: str) -> MarginMode:
    return MarginMode(typed.value)


def _out_of_range(typed: _Typed, name: str, low: str, high: str) -> CommandError:
    return CommandError(
        ErrorCode.PERCENT_OUT_OF_RANGE, word=typed.value, what=name, low=low, high=high
    )


# --- cross checks -----------------------------------------------------------------------------


def _check_stop_price(entry: Decimal, stop: Decimal, side: Side | None, typed: _Typed) -> None:
    """A stop at entry risks nothing; a stop on the profit side contradicts the typed side."""
    if stop == entry:
        raise CommandError(ErrorCode.STOP_EQUALS_ENTRY, word=typed.value)
    if side is not None and (stop > entry) == (side is Side.LONG):
        raise CommandError(ErrorCode.STOP_WRONG_SIDE, word=typed.value, side=side.value)


def _check_stop_spec(entry: Decimal, stop: StopSpec, side: Side | None, typed: _Typed) -> None:
    if stop.price is not None:
        _check_stop_price(entry, stop.price, side, typed)
    elif side is not None and stop.direction == (1 if side is Side.LONG else -1):
        raise CommandError(ErrorCode.STOP_WRONG_SIDE, word=typed.value, side=side.value)


def _implied_side(entry: Decimal, stop: StopSpec, side: Side | None) -> Side:
    """The side the member means: typed, else given by the stop, else long (the default)."""
    if side is not None:
        return side
    if stop.price is not None:
        return Side.LONG if stop.price < entry else Side.SHORT
    return Side.SHORT if stop.direction == 1 else Side.LONG


def _check_target(entry: Decimal, target: Decimal, side: Side, typed: _Typed) -> None:
    """A target must be where the trade makes money, or R is meaningless."""
    if (target - entry) * side.sign <= 0:
        raise CommandError(ErrorCode.TARGET_WRONG_SIDE, word=typed.value, side=side.value)


# --- builders ---------------------------------------------------------------------------------


def _build_size(raw: _Raw) -> SizeRequest:
    symbol = _required(raw, "symbol", _symbol)
    entry = _required(raw, "entry", _positive)
    stop = _required(raw, "stop", _stop_spec)
    side = _optional(raw, "side", _side)
    _check_stop_spec(entry, stop, side, raw["stop"])
    target = _optional(raw, "tp", _positive)
    if target is not None:
        _check_target(entry, target, _implied_side(entry, stop, side), raw["tp"])
    return SizeRequest(
        symbol=symbol,
        entry=entry,
        stop=stop,
        account=_optional(raw, "acct", _positive),
        leverage=_optional(raw, "lev", _leverage),
        risk=_optional(raw, "risk", _risk),
        target=target,
        side=side,
        margin_mode=_optional(raw, "margin", _margin),
        contract=_optional(raw, "contract", _contract),
        fee=_optional(raw, "fee", _fee),
        venue=_optional(raw, "venue", _venue),
        mmr=_optional(raw, "mmr", _mmr),
    )


def _build_liq(raw: _Raw) -> LiqRequest:
    return LiqRequest(
        symbol=_required(raw, "symbol", _symbol),
        entry=_required(raw, "entry", _positive),
        leverage=_required(raw, "lev", _leverage),
        side=_optional(raw, "side", _side),
        margin_mode=_optional(raw, "margin", _margin),
        account=_optional(raw, "acct", _positive),
        quantity=_optional(raw, "qty", _positive),
        venue=_optional(raw, "venue", _venue),
        mmr=_optional(raw, "mmr", _mmr),
    )


def _build_pnl(raw: _Raw) -> PnlRequest:
    symbol = _required(raw, "symbol", _symbol)
    entry = _required(raw, "entry", _positive)
    exit_price = _required(raw, "exit", _positive)
    quantity = _required(raw, "qty", _positive)
    side = _optional(raw, "side", _side)
    stop = _optional(raw, "stop", _positive)
    if stop is not None:
        _check_stop_price(entry, stop, side, raw["stop"])
    return PnlRequest(
        symbol=symbol,
        entry=entry,
        exit=exit_price,
        quantity=quantity,
        side=side,
        contract=_optional(raw, "contract", _contract),
        fee=_optional(raw, "fee", _fee),
        stop=stop,
        venue=_optional(raw, "venue", _venue),
    )


def _build_hedge(raw: _Raw) -> HedgeRequest:
    return HedgeRequest(
        symbol=_required(raw, "symbol", _symbol),
        spot_value=_required(raw, "spot_value", _positive),
        ratio=_optional(raw, "ratio", _ratio),
        price=_optional(raw, "price", _positive),
        contract=_optional(raw, "contract", _contract),
        venue=_optional(raw, "venue", _venue),
    )


def _build_funding(raw: _Raw) -> FundingRequest:
    return FundingRequest(
        symbol=_required(raw, "symbol", _symbol),
        notional=_required(raw, "notional", _positive),
        rate=_required(raw, "rate", _funding_rate),
        hours=_optional(raw, "hours", _hours),
        side=_optional(raw, "side", _side),
        venue=_optional(raw, "venue", _venue),
    )


_CLEAR_WORDS = frozenset({"off", "none", "reset", "clear", "-"})
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


def _max_risk(typed: _Typed, name: str) -> Decimal:
    """The member's own rule: a share of the account per trade, never a fixed amount."""
    if not is_percent(typed.value):
        raise _out_of_range(typed, name, "0%", "100%")
    risk = _risk(typed, name)
    assert risk.fraction is not None
    return risk.fraction


def _language(typed: _Typed, name: str) -> str:
    """A language code such as `de` or `pt-br`; whether a catalog exists is the bot's check."""
    code = typed.value.lower().replace("-", "_")
    if not _LANGUAGE.fullmatch(code):
        raise CommandError(ErrorCode.UNKNOWN_LANGUAGE, word=typed.value)
    return code


def _timezone(typed: _Typed, name: str) -> str:
    """An IANA zone (`Europe/Berlin`, `UTC`): days and streaks follow the member's clock."""
    try:
        ZoneInfo(typed.value)
    except (ZoneInfoNotFoundError, ValueError):
        raise CommandError(ErrorCode.UNKNOWN_TIMEZONE, word=typed.value) from None
    return typed.value


# /settings keyword → (stored setting, reader of its value)
_SETTINGS: dict[str, tuple[str, Callable[[_Typed, str], object]]] = {
    "acct": ("account", _positive),
    "risk": ("risk", _risk),
    "lev": ("leverage", _leverage),
    "fee": ("fee", _fee),
    "venue": ("venue", _venue),
    "maxrisk": ("max_risk", _max_risk),
    "maxlev": ("max_leverage", _leverage),
    "lang": ("lang", _language),
    "tz": ("tz", _timezone),
    "margin": ("margin_mode", _margin),
}


def _build_settings(raw: _Raw) -> SettingsRequest:
    changes: dict[str, RiskSpec | MarginMode | Decimal | str | None] = {}
    for name, typed in raw.items():
        setting, read = _SETTINGS[name]
        cleared = typed.value.lower() in _CLEAR_WORDS
        changes[setting] = None if cleared else read(typed, name)  # type: ignore[assignment]
    return SettingsRequest(changes=changes)


def _check_id(typed: _Typed, name: str) -> int:
    """The number the journal shows next to a check, `12` or `#12`."""
    digits = typed.value.lstrip("#")
    if not digits.isdigit() or len(digits) > 12:
        raise CommandError(ErrorCode.BAD_CHECK_ID, word=typed.value)
    return int(digits)


def _outcome(typed: _Typed, name: str) -> Outcome:
    outcome = _OUTCOMES.get(typed.value.lower())
    if outcome is None:
        raise CommandError(ErrorCode.BAD_OUTCOME, word=typed.value)
    return outcome


def _build_result(raw: _Raw) -> ResultRequest:
    return ResultRequest(
        check_id=_required(raw, "id", _check_id),
        outcome=_required(raw, "outcome", _outcome),
        exit=_optional(raw, "exit", _positive),
    )


_CHANNEL = re.compile(r"@[A-Za-z][A-Za-z0-9_]{4,31}|-?[0-9]{5,20}")


def _channel(typed: _Typed, name: str) -> str:
    """Where lessons go: a channel's @username or a chat id the bot administers."""
    if not _CHANNEL.fullmatch(typed.value):
        raise CommandError(ErrorCode.BAD_CHANNEL, word=typed.value)
    return typed.value


def _build_remind(raw: _Raw, when: list[str]) -> RemindRequest:
    if not when:
        return RemindRequest()
    plan = schedule.parse(when)
    return RemindRequest(schedule=plan, off=plan is None)


_POLICY: dict[str, tuple[str, Callable[[_Typed, str], Decimal | str]]] = {
    "maxrisk": ("max_risk", _max_risk),
    "maxlev": ("max_leverage", _leverage),
    "lang": ("lang", _language),
}


def _build_policy(raw: _Raw, when: list[str]) -> PolicyRequest:
    changes: dict[str, Decimal | str | None] = {}
    for name, typed in raw.items():
        if name in _POLICY:
            setting, read = _POLICY[name]
            cleared = typed.value.lower() in _CLEAR_WORDS
            changes[setting] = None if cleared else read(typed, name)
    plan = schedule.parse(when) if when else None
    return PolicyRequest(
        changes=changes,
        channel=_optional(raw, "channel", _channel),
        lessons=plan,
        lessons_off=bool(when) and plan is None,
    )


_SCHEDULED: dict[str, Callable[[_Raw, list[str]], MemberRequest]] = {
    "remind": _build_remind,
    "policy": _build_policy,
}
_BUILDERS: dict[str, Callable[[_Raw], AnyRequest | MemberRequest]] = {
    "size": _build_size,
    "liq": _build_liq,
    "pnl": _build_pnl,
    "hedge": _build_hedge,
    "funding": _build_funding,
    "settings": _build_settings,
    "result": _build_result,
}
