"""How members' numbers are read (chatbot.language.numbers)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

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
from tests.spellings import bodies, decimal, hours, leverage, number, percent, rate, signed
from tests.typed_commands import mostly


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("72000", "72000"),
        ("72,000", "72000"),
        ("72_000", "72000"),
        ("72k", "72000"),
        ("72K", "72000"),
        ("1.5k", "1500"),
        ("1.5m", "1500000"),
        ("$1000", "1000"),
        ("1000usdt", "1000"),
        ("1000USDT", "1000"),
        ("1000usd", "1000"),
        ("1000usdc", "1000"),
        ("1000$", "1000"),
        ("71,5k", "71500"),
        ("71,5", "71.5"),
        ("0,000013841", "0.000013841"),
        ("1,2345", "1.2345"),
        ("1,234,567", "1234567"),
        ("1,234,567.25", "1234567.25"),
        ("1.234,5", "1234.5"),
        ("0.000013841", "0.000013841"),
        (".5", "0.5"),
        ("-5", "-5"),
        ("+5", "5"),
        ("−5", "-5"),
        (" 72000 ", "72000"),
        ("1000000000000", "1000000000000"),
        ("0.000000000001", "0.000000000001"),
        ("123456.789012345", "123456.789012345"),
    ],
)
def test_parse_number_spellings(typed: str, expected: str) -> None:
    """Every spelling members type for an amount reads as the exact Decimal they meant."""
    assert parse_number(typed) == Decimal(expected)


def test_tiny_price_keeps_every_digit() -> None:
    """A coin priced 0.000013841 keeps all its significant digits, not a rounded 0.000014."""
    value = parse_number("0.000013841")
    assert value.as_tuple().digits == (1, 3, 8, 4, 1)
    assert format(value, "f") == "0.000013841"


def test_scaled_numbers_have_no_exponent() -> None:
    """`72k` is stored as 72000, so printing it never shows scientific notation."""
    assert str(parse_number("72k")) == "72000"
    assert str(parse_number("1.5k")) == "1500"


@pytest.mark.parametrize(
    "typed",
    [
        "1e5",
        "1E5",
        "NaN",
        "nan",
        "Infinity",
        "inf",
        "-Infinity",
        "abc",
        "",
        " ",
        "1,23,45",
        "72,000,5",
        "1.2.3",
        "1__000",
        "_1000",
        "1000_",
        "1,000_000",
        "5k%",
        "5kk",
        "$",
        "k",
        ".",
        "0x10",
        "١٢٣",
        "５",
        "12 34",
        "1,",
    ],
)
def test_parse_number_rejects_non_numbers(typed: str) -> None:
    """Words, scientific notation, NaN/Infinity and ambiguous separators are not numbers."""
    with pytest.raises(CommandError) as caught:
        parse_number(typed)
    assert caught.value.code is ErrorCode.NOT_A_NUMBER
    assert caught.value.word == typed


@pytest.mark.parametrize(
    "typed",
    [
        "1234567890123456",
        "1.234567890123456",
        "1000000000001",
        "1000000001k",
        "1000001m",
        "0.0000000000001",
        "0.0000000000009",
        "1" + "0" * 5000,
        "0." + "0" * 5000 + "1",
    ],
)
def test_parse_number_rejects_absurd_values(typed: str) -> None:
    """Too many significant digits, above 10^12 or below 10^-12 are refused as absurd."""
    with pytest.raises(CommandError) as caught:
        parse_number(typed)
    assert caught.value.code is ErrorCode.ABSURD_NUMBER
    assert caught.value.word == typed


def test_zero_is_not_absurd() -> None:
    """Zero is a number (the caller says it is not positive), not an absurd one."""
    assert parse_number("0") == 0
    assert parse_number("0.000") == 0


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("20", "20"), ("20x", "20"), ("x20", "20"), ("20X", "20"), ("X20", "20"), ("12.5x", "12.5")],
)
def test_parse_leverage_spellings(typed: str, expected: str) -> None:
    """Leverage reads with the `x` before, after, or not at all."""
    assert parse_leverage(typed) == Decimal(expected)


@pytest.mark.parametrize("typed", ["x", "xx20", "x20x", "20xx", "twenty", "20k"])
def test_parse_leverage_rejects(typed: str) -> None:
    """Leverage with more than one `x` or units is not a number."""
    with pytest.raises(CommandError) as caught:
        parse_leverage(typed)
    assert caught.value.code is ErrorCode.NOT_A_NUMBER
    assert caught.value.word == typed


def test_parse_leverage_absurd_stays_absurd() -> None:
    """An absurd leverage is reported as absurd, with the token as typed."""
    with pytest.raises(CommandError) as caught:
        parse_leverage("x1234567890123456")
    assert caught.value.code is ErrorCode.ABSURD_NUMBER
    assert caught.value.word == "x1234567890123456"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1%", "0.01"), ("0.5%", "0.005"), ("+1%", "0.01"), ("-1%", "-0.01"), ("0,5%", "0.005")],
)
def test_parse_percent(typed: str, expected: str) -> None:
    """Percentages become fractions, signs kept."""
    assert parse_percent(typed) == Decimal(expected)


@pytest.mark.parametrize("typed", ["1", "1%%", "%", "$1%", "1k%", "1e2%"])
def test_parse_percent_rejects(typed: str) -> None:
    """A percent needs exactly one `%` after a plain number."""
    with pytest.raises(CommandError) as caught:
        parse_percent(typed)
    assert caught.value.code is ErrorCode.NOT_A_NUMBER


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("0.05%", "0.0005"), ("0.05", "0.0005"), ("0,04", "0.0004"), ("-0.01", "-0.0001")],
)
def test_parse_rate_reads_bare_numbers_as_percent(typed: str, expected: str) -> None:
    """`fee 0.05` means 0.05%, as members write fees."""
    assert parse_rate(typed) == Decimal(expected)


def test_parse_rate_rejects_units() -> None:
    """A rate with a currency sign is not a rate."""
    with pytest.raises(CommandError) as caught:
        parse_rate("$5")
    assert caught.value.code is ErrorCode.NOT_A_NUMBER


@pytest.mark.parametrize(("typed", "expected"), [("8", "8"), ("8h", "8"), ("1.5H", "1.5")])
def test_parse_hours(typed: str, expected: str) -> None:
    """Hours read with or without a trailing `h`."""
    assert parse_hours(typed) == Decimal(expected)


@pytest.mark.parametrize("typed", ["h", "8hh", "eight"])
def test_parse_hours_rejects(typed: str) -> None:
    """Hours must be a number."""
    with pytest.raises(CommandError) as caught:
        parse_hours(typed)
    assert caught.value.code is ErrorCode.NOT_A_NUMBER
    assert caught.value.word == typed


def test_parse_plain_rejects_units() -> None:
    """A plain number has no `$`, `k` or `%`."""
    for typed in ("$5", "5k", "5%"):
        with pytest.raises(CommandError):
            parse_plain(typed)


def test_predicates() -> None:
    """`is_number`, `is_percent` and `explicit_sign` classify tokens without raising."""
    assert is_number("72k") and is_number("1234567890123456") and not is_number("BTC")
    assert is_percent("1%") and not is_percent("1")
    assert (explicit_sign("+1%"), explicit_sign("-1%"), explicit_sign("1%")) == (1, -1, 0)


_TYPED_VALUES = st.builds(
    lambda digits, places: Decimal(digits).scaleb(-places),
    st.integers(min_value=0, max_value=10**15 - 1),
    st.integers(min_value=0, max_value=12),
)


def _can_mean_thousands(printed: str) -> bool:
    """`72.000`: one dot, three digits after it, a whole part that could be a thousands group."""
    whole, dot, fraction = printed.lstrip("-").partition(".")
    return bool(dot) and len(fraction) == 3 and "," not in whole and whole[:1] not in ("", "0")


@given(_TYPED_VALUES, st.booleans())
def test_thousands_separators_round_trip(value: Decimal, negative: bool) -> None:
    """A Decimal printed with thousands separators parses back to itself; a form that can
    also mean thousands (`1.000`) is settled by a reference price, or refused without one."""
    assume(abs(value) <= Decimal(10) ** 12)
    value = -value if negative else value
    printed = format(value, ",f")
    if not _can_mean_thousands(printed):
        assert parse_number(printed) == value
        return
    with pytest.raises(CommandError) as caught:
        parse_number(printed)
    assert caught.value.code is ErrorCode.AMBIGUOUS_NUMBER
    assume(value != 0)
    assert parse_number(printed, reference=abs(value)) == value


@given(_TYPED_VALUES)
def test_underscore_separators_round_trip(value: Decimal) -> None:
    """A Decimal printed with `_` thousands separators parses back to itself (a form without
    any `_` that can also mean thousands is the previous test's case)."""
    assume(value <= Decimal(10) ** 12)
    printed = format(value, ",f").replace(",", "_")
    assume(not _can_mean_thousands(printed))
    assert parse_number(printed) == value


@given(_TYPED_VALUES)
def test_decimal_comma_round_trip(value: Decimal) -> None:
    """A Decimal printed the European way (`1.234,5`, `71,5`) parses back to itself.

    `1,500` is the one spelling that cannot round-trip: a comma followed by exactly three
    digits is a thousands separator, as the README's "The command language" says.
    """
    printed = format(value, ",f")
    fraction = printed.partition(".")[2]
    assume(value <= Decimal(10) ** 12 and fraction)
    assume(not (1 <= value < 1000 and len(fraction) == 3))
    european = printed.replace(",", " ").replace(".", ",").replace(" ", ".")
    assert parse_number(european) == value


Parser = Callable[[str], Decimal]


@st.composite
def typed_numbers(draw: st.DrawFn) -> tuple[str, tuple[Parser, Decimal]]:
    """A number typed for one of the parsers in a style members use, its parser and its value:
    an amount as an English member writes it, or a rate, percentage, leverage or number of
    hours, which are never in the thousands."""
    amount = draw(st.builds(decimal, st.integers(0, 10**9), st.integers(0, 6)))
    amount = -amount if draw(st.booleans()) else amount
    small = draw(st.builds(decimal, st.integers(0, 999_999), st.integers(3, 6)))
    small = -small if draw(st.booleans()) else small
    fraction = small.scaleb(-2)
    cases: dict[Parser, tuple[Callable[[], str], Decimal]] = {
        parse_number: (
            lambda: signed(draw, amount, number(draw, abs(amount), ".", money=True)),
            amount,
        ),
        parse_plain: (
            lambda: signed(draw, small, draw(st.sampled_from(bodies(abs(small), None)))),
            small,
        ),
        parse_percent: (lambda: signed(draw, small, percent(draw, fraction)), fraction),
        parse_rate: (lambda: rate(draw, fraction), fraction),
        parse_leverage: (lambda: leverage(draw, abs(small)), abs(small)),
        parse_hours: (lambda: hours(draw, abs(small)), abs(small)),
    }
    parse = draw(st.sampled_from(list(cases)))
    printer, expected = cases[parse]
    return printer(), (parse, expected)


@given(mostly(st.text(), typed_numbers()))
@settings(max_examples=115)
def test_numbers_raise_only_command_errors(case: tuple[str, tuple[Parser, Decimal] | None]) -> None:
    """Arbitrary text never makes a number parser raise anything but CommandError; a number
    typed in a style members use is read by its parser as the value meant."""
    text, meant = case
    parsers = (parse_number, parse_plain, parse_percent, parse_rate, parse_leverage, parse_hours)
    for parse in parsers:
        try:
            assert isinstance(parse(text), Decimal)
        except CommandError as error:
            assert error.word == text
    assert isinstance(is_number(text), bool)
    if meant is not None:
        parse, value = meant
        assert parse(text) == value, (text, parse.__name__)
