"""How members type commands, written down as the specification the parser is held to.

Every spelling of each command word, keyword and flag, and every style of number members type
on phones (`72000`, `72,000`, `72_000`, `72k`, `71,5k`, `$72000`, `72000usdt`, `20x`, `x20`,
`0.5%`), is listed here rather than imported from the parser: a spelling the parser stops
accepting then fails a test instead of quietly leaving the specification.

The printers here spell one word or value at a time (`tests.typed_commands` prints whole
commands with them). A number style is only used where it is exact for the value: `71.5k` for
whole hundreds, a decimal comma only where it cannot be read as a thousands separator (`71,5`
is 71.5 but `71,500` is 71500).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TypeVar

from hypothesis import strategies as st

from chatbot.engine.models import ContractKind, MarginMode, Side
from chatbot.language.requests import Outcome, RiskSpec, StopSpec

T = TypeVar("T")
BOT = "riskbot_test_bot"
MAX_WORDS = 30  # a longer message is refused as a flood, so printed commands stay within it

# --- the vocabulary ---------------------------------------------------------------------------

COMMAND_WORDS: dict[str, tuple[str, ...]] = {
    "size": ("size", "calc", "rr"),  # members coming from other bots type /calc and /rr
    "liq": ("liq",),
    "pnl": ("pnl",),
    "hedge": ("hedge",),
    "funding": ("funding",),
    "price": ("price",),
}
# Keyword spellings by the field they fill.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "stop": ("stop", "sl"),
    "account": ("acct", "account", "bal", "balance", "equity"),
    "leverage": ("lev", "leverage"),
    "risk": ("risk",),
    "target": ("tp", "target", "take"),
    "fee": ("fee",),
    "venue": ("venue", "exchange", "ex"),
    "mmr": ("mmr",),
    "quantity": ("qty", "quantity", "size", "amount"),
    "ratio": ("ratio",),
    "price": ("price",),
    "rate": ("rate",),
    "hours": ("hours", "h"),
    "exit": ("exit",),
    "contract": ("contract",),
    "max_risk": ("maxrisk", "max_risk", "rule"),
    "max_leverage": ("maxlev", "max_lev", "maxleverage"),
    "lang": ("lang", "language"),
    "tz": ("tz", "timezone"),
}
SIDE_WORDS: dict[Side, tuple[str, ...]] = {Side.LONG: ("long",), Side.SHORT: ("short",)}
MARGIN_WORDS: dict[MarginMode, tuple[str, ...]] = {
    MarginMode.ISOLATED: ("isolated", "iso"),
    MarginMode.CROSS: ("cross",),
}
NAMED_CONTRACTS = (ContractKind.STANDARD, ContractKind.MICRO, ContractKind.NANO)
OUTCOME_WORDS: dict[Outcome, tuple[str, ...]] = {
    "win": ("win", "won", "tp"),
    "loss": ("loss", "lost", "sl"),
    "be": ("be", "breakeven"),
    "liq": ("liq", "liquidated"),
}
CLEAR_WORDS = ("off", "none", "reset", "clear", "-")
MARKET_WORDS = ("market", "mkt", "now")  # an entry at the venue's mark price
# A pair or a perpetual's name all name the base asset; `{}` is the base.
SYMBOL_FORMS = (
    *("{}", "{}USDT", "{}/USDT", "{}-PERP", "${}", "#{}", "{}USDT.P", "{}_USDT", "{}:USDT"),
    *("{}-USDT-SWAP", "{}USDC", "{}BUSD", "{}USD", "{}USDTPERP"),
)
BASES = ("BTC", "ETH", "SOL", "PEPE", "DOGE", "1000PEPE")
VENUES = ("binance", "bybit", "okx", "cme", "hyperliquid")
# `/settings lang …` as typed, and the code it is stored as.
LANGUAGE_CODES = {
    "en": "en",
    "de": "de",
    "ru": "ru",
    "tr": "tr",
    "pt-BR": "pt_br",
    "pt_br": "pt_br",
}
# The decimal mark of each language the bot speaks (CLDR); the other mark groups thousands.
DECIMAL_MARKS = {"en": ".", "de": ",", "es": ",", "pt_BR": ",", "ru": ",", "tr": ","}
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo")
CURRENCY_FORMS = ("{}", "${}", "{}usdt", "{}usdc", "{}usd", "{}$")
PAIR_SEPARATORS = (" ", "=", ":", " = ", "= ", " =", ": ")
SPACES = (" ", "  ", "\t", "\n", " \n ")


# A keyword pair (keyword, value) joined by a separator when printed, or one word on its own:
# a flag (`short`, `iso`, `micro`) or a bare token (`20x`, `8h`).
Clause = tuple[str, str] | tuple[str]

# --- words ------------------------------------------------------------------------------------


def recase(draw: st.DrawFn, word: str) -> str:
    """Case never matters: `stop`, `STOP` and `sToP` are the stop (bit i set: letter i upper)."""
    ups = draw(_case_masks(len(word)))
    return "".join(c.upper() if ups >> i & 1 else c.lower() for i, c in enumerate(word))


@functools.cache
def _case_masks(length: int) -> st.SearchStrategy[int]:
    return st.integers(0, 2**length - 1)  # shrinks to all lower case


def choose(draw: st.DrawFn, options: Sequence[T]) -> T:
    """One of `options`, shrinking towards the first: a failure shows the plainest spelling."""
    return options[draw(_indices(len(options)))]


@functools.cache
def _indices(count: int) -> st.SearchStrategy[int]:
    return st.integers(0, count - 1)


def spelled(draw: st.DrawFn, words: Sequence[str]) -> str:
    return recase(draw, choose(draw, words))


def pair(draw: st.DrawFn, field: str, value: str) -> Clause:
    return (spelled(draw, KEYWORDS[field]), value)


def symbol(draw: st.DrawFn, base: str) -> str:
    return recase(draw, choose(draw, SYMBOL_FORMS).format(base))


# --- numbers ----------------------------------------------------------------------------------


def bodies(value: Decimal, mark: str | None) -> list[str]:
    """The digits of a non-negative value as a member whose decimal mark is `mark` (`.` or `,`)
    may write it: plain, grouped in thousands by `,`, `.` or `_`, with either decimal mark.

    One mark once, after one to three digits and before exactly three (`72.000`, `71,500`),
    groups thousands when it is the member's grouping mark and could mean either when it is
    their decimal mark, so the parser asks rather than guesses: such forms are only used where
    the member's reading is the value, and a fourth decimal (`72.1250`) says a mark is the
    decimal one. `mark=None` is for rates, percentages, leverage and hours, never in the
    thousands, where a single mark is always the decimal mark.
    """
    plain = format(value, "f")
    grouped = format(value, ",f")
    forms = [plain, grouped, grouped.replace(",", "_"), plain.replace(".", ",")]
    forms.append(grouped.translate(str.maketrans(",.", ".,")))
    if len(plain.partition(".")[2]) == 3:
        forms += [plain + "0", plain.replace(".", ",") + "0"]
    return [form for form in dict.fromkeys(forms) if mark is None or _reads_as(form, mark, value)]


_GROUP_OR_DECIMAL = re.compile(r"[1-9][0-9]{0,2}[.,][0-9]{3}")


def _reads_as(body: str, mark: str, value: Decimal) -> bool:
    if not _GROUP_OR_DECIMAL.fullmatch(body):
        return True
    return body[-4] != mark and Decimal(body[:-4] + body[-3:]) == value


def scaled(value: Decimal, mark: str) -> list[str]:
    """`72k`, `71.5k`, `71,5k`, `1.5m`: thousands for whole hundreds, millions for whole
    hundred-thousands, the forms members use for round figures."""
    found = []
    for suffix, power, step in (("k", 3, 100), ("m", 6, 100_000)):
        if value >= 10**power and value % step == 0:
            found += [body + suffix for body in bodies(value.scaleb(-power).normalize(), mark)]
    return found


def number(draw: st.DrawFn, value: Decimal, mark: str, money: bool = False) -> str:
    """A positive amount in any style the member's decimal `mark` allows; money may carry `$`
    or a quote currency."""
    body = choose(draw, bodies(value, mark) + scaled(value, mark))
    form = choose(draw, CURRENCY_FORMS) if money else "{}"
    return recase(draw, form.format(body))


def signed(draw: st.DrawFn, value: Decimal, body: str) -> str:
    """A sign where the value needs one (`-` or the typographic `−`), `+` now and then."""
    if value < 0:
        return choose(draw, ("-", "−")) + body
    return choose(draw, ("", "+")) + body


def percent(draw: st.DrawFn, fraction: Decimal) -> str:
    """A fraction as typed in percent: 0.005 is `0.5%` or `0,5%`."""
    return choose(draw, bodies(abs(fraction) * 100, None)) + "%"


def rate(draw: st.DrawFn, fraction: Decimal) -> str:
    """A fee or funding rate: `0.04%`, or bare `0.04`, which members mean as a percent too."""
    body = choose(draw, bodies(abs(fraction) * 100, None))
    return signed(draw, fraction, body + choose(draw, ("%", "")))


def leverage(draw: st.DrawFn, value: Decimal, bare: bool = False) -> str:
    """`20`, `20x` or `x20`; on its own, without a keyword, the `x` says it is leverage."""
    forms = ("{}x", "x{}") if bare else ("{}", "{}x", "x{}")
    body = choose(draw, bodies(value, None))
    return recase(draw, choose(draw, forms).format(body))


def hours(draw: st.DrawFn, value: Decimal, bare: bool = False) -> str:
    """`8` or `8h`; on its own the `h` says it is hours."""
    body = choose(draw, bodies(value, None))
    return recase(draw, body + ("h" if bare else choose(draw, ("h", ""))))


def ratio(draw: st.DrawFn, value: Decimal) -> str:
    """`50%`; bare, a number up to 1 is a fraction (`0.5`) and one above 1 a percent (`50`)."""
    forms = [percent(draw, value)]
    if value <= 1:
        forms.append(choose(draw, bodies(value, None)))
    if value * 100 > 1:
        forms.append(choose(draw, bodies(value * 100, None)))
    return choose(draw, forms)


def stop(draw: st.DrawFn, spec: StopSpec, mark: str) -> str:
    """A stop price, or a distance: `1%` on the losing side, `-1%` below, `+1%` above entry."""
    if spec.price is not None:
        return number(draw, spec.price, mark, money=True)
    assert spec.distance is not None
    sign = {0: ("",), -1: ("-", "−"), 1: ("+",)}[spec.direction]
    return choose(draw, sign) + percent(draw, spec.distance)


def risk(draw: st.DrawFn, spec: RiskSpec, mark: str) -> str:
    """`1%` of the account, or an amount: `$25`, `25usdt`, `25`."""
    if spec.fraction is not None:
        return percent(draw, spec.fraction)
    assert spec.amount is not None
    return number(draw, spec.amount, mark, money=True)


def decimal(units: int, places: int) -> Decimal:
    """`units` hundredths, thousandths, … as a value: decimal(715, 1) is 71.5."""
    return Decimal(units).scaleb(-places).normalize()
