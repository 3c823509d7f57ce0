"""Members' numbers, as typed on phones, read into exact `Decimal`s.

Members write `72,000`, `72_000`, `72k`, `$1000`, `1000usdt`, `71,5k` (a decimal comma) and
`0.000013841`. Every spelling is matched by a regular expression first and only then handed
to `Decimal`, so `NaN`, `Infinity` and `1e5` (which `Decimal` would happily accept) never get
in. Values that could only be typos or attacks (more than 15 significant digits, an integer
part above 10^12, a non-zero value below 10^-12) are refused as absurd before they can
overflow a formula or print in scientific notation.

Grouping marks follow the member's language (`NumberStyle`): `72.000` is 72000 for a German
member and `72,000` for an English one, because each is their own thousands mark. A form that
can mean both, one separator followed by exactly three digits written with the member's own
decimal mark (`71.500` from an English member, `71,500` from a German one), is read against a
reference price when one is known (the reading within a factor of ten of it wins) and is
otherwise refused with both readings, so the member is asked instead of guessed at. Digits
other than ASCII 0-9 (superscripts, circled or Ethiopic digits, which `str.isdigit` accepts
but no price is written in) are refused with their own message.

Every function is pure and raises only `CommandError` (without an example: the parser adds
the example of the command being parsed).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import MAX_EMAX, MIN_EMIN, ROUND_DOWN, Decimal, localcontext
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol

from chatbot.language.errors import CommandError, ErrorCode

MAX_SIGNIFICANT_DIGITS = 15
MAX_INTEGER = Decimal(10) ** 12
MIN_NONZERO = Decimal(10) ** -12

_SIGN = r"(?P<sign>[+\-−]?)"
_BODY = r"(?P<body>[0-9.,_]+)"
_AMOUNT = re.compile(_SIGN + r"\$?" + _BODY + r"(?P<scale>[km]?)(?:usdt|usdc|usd|\$)?")
_PLAIN = re.compile(_SIGN + _BODY)
_PERCENT = re.compile(_SIGN + _BODY + "%")
_LEVERAGE = re.compile(r"x(?P<a>.+)|(?P<b>.+)x")
_HOURS = re.compile(r"(?P<n>.+?)h?")

_UNDERSCORED = re.compile(r"[0-9]+(?:_[0-9]+)*(?:\.[0-9]+(?:_[0-9]+)*)?")
_THOUSANDS = r"[1-9][0-9]{0,2}(?:,[0-9]{3})+"

_SCALES = {"": 0, "k": 3, "m": 6}
_GROUPED = {".": re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+"), ",": re.compile(_THOUSANDS)}
PLAUSIBLE_FACTOR = 10


@dataclass(frozen=True)
class NumberStyle:
    """How a member writes numbers: their decimal mark; the other mark groups thousands."""

    decimal: str

    @property
    def group(self) -> str:
        return "," if self.decimal == "." else "."


POINT = NumberStyle(".")
COMMA = NumberStyle(",")


@cache
def style_for(lang: str | None) -> NumberStyle:
    """The style of a language as CLDR has it (`de`, `ru`, `es`, `pt_BR`, `tr`: decimal comma)."""
    try:
        locale = Locale.parse(lang or "en")
    except (UnknownLocaleError, ValueError):
        return POINT
    return COMMA if get_decimal_symbol(locale) == "," else POINT


def plausible(value: Decimal, reference: Decimal) -> bool:
    """Within a factor of ten of the reference price: a price ten times off is a typo."""
    return reference / PLAUSIBLE_FACTOR <= value <= reference * PLAUSIBLE_FACTOR


def parse_number(
    text: str, style: NumberStyle = POINT, reference: Decimal | None = None
) -> Decimal:
    """An amount or price: `72000`, `72,000`, `72_000`, `72k`, `1.5m`, `$1000`, `1000usdt`.

    A sign is accepted so that `-5` is reported as "not positive" by the caller rather than
    as "not a number", which would confuse the member. `reference` is a price the value should
    be near (the instrument's mark price), used only to settle a form that can mean two numbers.
    """
    match = _AMOUNT.fullmatch(_clean(text))
    if match is None:
        raise _not_a_number(text)
    shift = _SCALES[match["scale"]]
    readings = [
        _to_decimal(match["sign"], digits, shift, text)
        for digits in _readings(match["body"], text, style)
    ]
    if len(readings) == 1:
        return readings[0]
    if reference is not None:
        fitting = [value for value in readings if plausible(abs(value), reference)]
        if len(fitting) == 1:
            return fitting[0]
    raise CommandError(
        ErrorCode.AMBIGUOUS_NUMBER,
        word=text,
        decimal=format(readings[0], "f"),
        thousands=format(readings[1], "f"),
    )


def parse_plain(text: str) -> Decimal:
    """A bare signed number without units or suffixes (`0.5`, `1,5`, `-2`)."""
    match = _PLAIN.fullmatch(_clean(text))
    if match is None:
        raise _not_a_number(text)
    return _first_reading(match["sign"], match["body"], 0, text)


def parse_percent(text: str) -> Decimal:
    """`1%`, `0.5%`, `+1%`, `-1%` as a signed fraction (1% is 0.01); the `%` is required."""
    match = _PERCENT.fullmatch(_clean(text))
    if match is None:
        raise _not_a_number(text)
    return _first_reading(match["sign"], match["body"], -2, text)


def parse_rate(text: str) -> Decimal:
    """A rate such as a fee or an MMR as a fraction; `0.05` means 0.05%, as members mean it."""
    if is_percent(text):
        return parse_percent(text)
    match = _PLAIN.fullmatch(_clean(text))
    if match is None:
        raise _not_a_number(text)
    return _first_reading(match["sign"], match["body"], -2, text)


def parse_leverage(text: str) -> Decimal:
    """`20`, `20x`, `x20`, `20X`: the `x` may sit on either side, once."""
    cleaned = _clean(text)
    match = _LEVERAGE.fullmatch(cleaned)
    return _reword(parse_plain, cleaned if match is None else match["a"] or match["b"], text)


def parse_hours(text: str) -> Decimal:
    """`8` or `8h`: a number of hours."""
    match = _HOURS.fullmatch(_clean(text))
    return _reword(parse_plain, match["n"] if match else text, text)


def is_number(text: str) -> bool:
    """Whether `text` reads as an amount (absurd ones included), e.g. a price typed as symbol."""
    try:
        parse_number(text)
    except CommandError as error:
        return error.code is ErrorCode.ABSURD_NUMBER
    return True


def is_percent(text: str) -> bool:
    """Whether the member typed a percentage, which changes the meaning of stop and risk."""
    return text.strip().endswith("%")


def explicit_sign(text: str) -> int:
    """+1 or −1 when the member typed a sign (`+1%`, `-1%`), 0 when they did not."""
    head = text.strip()[:1]
    return {"+": 1, "-": -1, "−": -1}.get(head, 0)


def _clean(text: str) -> str:
    """Lower case without surrounding space; digits other than ASCII 0-9 are refused here."""
    cleaned = text.strip().lower()
    if any(char.isdigit() and not char.isascii() for char in cleaned):
        raise CommandError(ErrorCode.NOT_A_NUMBER, word=text, digits="0-9")
    return cleaned


def _reword(parse: Callable[[str], Decimal], number: str, text: str) -> Decimal:
    """Parse the number inside a decorated token, reporting errors on the token as typed."""
    try:
        return parse(number)
    except CommandError as error:
        raise CommandError(error.code, word=text) from None


def _not_a_number(text: str) -> CommandError:
    return CommandError(ErrorCode.NOT_A_NUMBER, word=text)


def _absurd(text: str) -> CommandError:
    return CommandError(ErrorCode.ABSURD_NUMBER, word=text)


def _first_reading(sign: str, body: str, shift: int, text: str) -> Decimal:
    """Rates, percentages and leverage are never in the thousands: the decimal reading holds.

    The style is irrelevant here: a rate of `1.000%` cannot mean 1000%, so the only grouping
    form such a value could take is read as the decimal it must be.
    """
    return _to_decimal(sign, _readings(body, text, COMMA if "," in body else POINT)[0], shift, text)


def _to_decimal(sign: str, digits: str, shift: int, text: str) -> Decimal:
    """Turn plain digits (`123.45`) into a `Decimal`, shifted by a power of ten (k, m, %)."""
    if len(digits.replace(".", "").strip("0")) > MAX_SIGNIFICANT_DIGITS:
        raise _absurd(text)
    with localcontext() as context:
        # Only the exponent changes here; the wide range means no input can overflow.
        context.Emax, context.Emin = MAX_EMAX, MIN_EMIN
        value = Decimal(digits).scaleb(shift)
    magnitude = abs(value)
    if magnitude.to_integral_value(ROUND_DOWN) > MAX_INTEGER or 0 < magnitude < MIN_NONZERO:
        raise _absurd(text)
    return _tidy(-value if sign in ("-", "−") else value)


def _readings(body: str, text: str, style: NumberStyle) -> list[str]:
    """The plain digits (`123.45`) a body can mean, the member's own reading first.

    Both marks present: the later one is the decimal mark (`1.234,5`, `1,234.5`). One mark
    used more than once groups thousands (`1.234.567`). One mark once, followed by exactly three
    digits after a valid first group (`72.000`, `72,000`), groups thousands when it is the
    member's grouping mark and can mean both when it is their decimal mark.
    """
    if "_" in body:
        if _UNDERSCORED.fullmatch(body):
            return [body.replace("_", "")]
        raise _not_a_number(text)
    marks = {mark for mark in ".," if mark in body}
    if len(marks) == 2:
        decimal = "." if body.rfind(".") > body.rfind(",") else ","
        whole, _, fraction = body.rpartition(decimal)
        group = "," if decimal == "." else "."
        if fraction.isdigit() and (whole.isdigit() or _GROUPED[group].fullmatch(whole)):
            return [whole.replace(group, "") + "." + fraction]
        raise _not_a_number(text)
    if not marks:
        return [body] if body.isdigit() else _refuse(text)
    mark = marks.pop()
    if body.count(mark) > 1:
        return [body.replace(mark, "")] if _GROUPED[mark].fullmatch(body) else _refuse(text)
    whole, _, fraction = body.partition(mark)
    if mark == "." and fraction == "" and whole.isdigit():
        return [whole]  # `5.`, as a phone's keypad leaves it
    if not fraction.isdigit() or not (whole.isdigit() or whole == ""):
        raise _not_a_number(text)
    as_decimal = (whole or "0") + "." + fraction
    if not _GROUPED[mark].fullmatch(body):
        return [as_decimal]
    if mark == style.group:
        return [whole + fraction]
    return [as_decimal, whole + fraction]


def _refuse(text: str) -> list[str]:
    raise _not_a_number(text)


def _tidy(value: Decimal) -> Decimal:
    """Drop the exponent noise of scaling, so `72k` is `Decimal("72000")`, not `7.2E+4`."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
