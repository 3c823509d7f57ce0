"""Members' numbers, as typed on phones, read into exact `Decimal`s.

Members write `72,000`, `72_000`, `72k`, `$1000`, `1000usdt`, `71,5k` (a decimal comma) and
`0.000013841`. Every spelling is matched by a regular expression first and only then handed
to `Decimal`, so `NaN`, `Infinity` and `1e5` (which `Decimal` would happily accept) never get
in. Values that could only be typos or attacks (more than 15 significant digits, an integer
part above 10^12, a non-zero value below 10^-12) are refused as absurd before they can
overflow a formula or print in scientific notation.

Every function is pure and raises only `CommandError` (without an example: the parser adds
the example of the command being parsed).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import MAX_EMAX, MIN_EMIN, ROUND_DOWN, Decimal, localcontext

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

_DOTTED = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_UNDERSCORED = re.compile(r"[0-9]+(?:_[0-9]+)*(?:\.[0-9]+(?:_[0-9]+)*)?")
_THOUSANDS = r"[1-9][0-9]{0,2}(?:,[0-9]{3})+"
_COMMA_THOUSANDS = re.compile(_THOUSANDS + r"(?:\.[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"[0-9]*,[0-9]+")
_DOT_THOUSANDS = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+,[0-9]+")

_SCALES = {"": 0, "k": 3, "m": 6}


def parse_number(text: str) -> Decimal:
    """An amount or price: `72000`, `72,000`, `72_000`, `72k`, `1.5m`, `$1000`, `1000usdt`.

    A sign is accepted so that `-5` is reported as "not positive" by the caller rather than
    as "not a number", which would confuse the member.
    """
    match = _AMOUNT.fullmatch(_clean(text))
    if match is None:
        raise _not_a_number(text)
    return _to_decimal(match["sign"], match["body"], _SCALES[match["scale"]], text)


def parse_plain(text: str) -> Decimal:
    """A bare signed number without units or suffixes (`0.5`, `1,5`, `-2`)."""
    match = _PLAIN.fullmatch(_clean(text))
    if match is None:
        raise _not_a_number(text)
    return _to_decimal(match["sign"], match["body"], 0, text)


def parse_percent(text: str) -> Decimal:
    """`1%`, `0.5%`, `+1%`, `-1%` as a signed fraction (1% is 0.01); the `%` is required."""
    match = _PERCENT.fullmatch(_clean(text))
    if match is None:
        raise _not_a_number(text)
    return _to_decimal(match["sign"], match["body"], -2, text)


def parse_rate(text: str) -> Decimal:
    """A rate such as a fee or an MMR as a fraction; `0.05` means 0.05%, as members mean it."""
    if is_percent(text):
        return parse_percent(text)
    match = _PLAIN.fullmatch(_clean(text))
    if match is None:
        raise _not_a_number(text)
    return _to_decimal(match["sign"], match["body"], -2, text)


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
    return text.strip().lower()


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


def _to_decimal(sign: str, body: str, shift: int, text: str) -> Decimal:
    """Turn a matched number into a `Decimal`, shifted by a power of ten (k, m, %)."""
    digits = _canonical_digits(body, text)
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


def _canonical_digits(body: str, text: str) -> str:
    """Separators resolved into a plain `123.45`, or NOT_A_NUMBER when they are ambiguous.

    A comma followed by exactly three-digit groups is a thousands separator (`72,000`,
    `1,234,567.5`); a single comma followed by anything else is a decimal comma (`71,5`).
    """
    if "_" in body:
        if _UNDERSCORED.fullmatch(body):
            return body.replace("_", "")
    elif "," not in body:
        if _DOTTED.fullmatch(body):
            return body
    elif _COMMA_THOUSANDS.fullmatch(body):
        return body.replace(",", "")
    elif _DOT_THOUSANDS.fullmatch(body):
        return body.replace(".", "").replace(",", ".")
    elif _DECIMAL_COMMA.fullmatch(body):
        return body.replace(",", ".")
    raise _not_a_number(text)


def _tidy(value: Decimal) -> Decimal:
    """Drop the exponent noise of scaling, so `72k` is `Decimal("72000")`, not `7.2E+4`."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
