"""Numbers read as each member writes them: grouping marks by language, ambiguity asked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.numbers import COMMA, POINT, parse_number, style_for
from chatbot.language.parser import parse_command, parse_member_command

D = Decimal
COMMA_LANGUAGES = ["de", "ru", "es", "pt_BR", "tr"]


@pytest.mark.parametrize("lang", COMMA_LANGUAGES)
def test_decimal_comma_languages(lang: str) -> None:
    """CLDR gives German, Russian, Spanish, Portuguese and Turkish a decimal comma."""
    assert style_for(lang) == COMMA


@pytest.mark.parametrize("lang", ["en", None, "xx-unknown"])
def test_decimal_point_languages(lang: str | None) -> None:
    """English (and any language Babel does not know) writes a decimal point."""
    assert style_for(lang) == POINT


@pytest.mark.parametrize("lang", COMMA_LANGUAGES)
def test_issue_example_in_german_style_is_seventy_two_thousand(lang: str) -> None:
    """`/size BTC 72.000 stop 71.500 acct 1000 lev 10` from a German member: 72,000 and
    71,500, not 72 and 71.5 (the bug a member reported: a size of 17.49 BTC)."""
    request = parse_command("/size BTC 72.000 stop 71.500 acct 1.000 lev 10", lang=lang)
    assert request.entry == D(72000)
    assert request.stop.price == D(71500)
    assert request.account == D(1000)


@pytest.mark.parametrize("lang", COMMA_LANGUAGES)
def test_space_grouped_thousands(lang: str) -> None:
    """`72 000` is one number for a member whose language groups thousands."""
    request = parse_command("/size BTC 72 000 stop 71 500 acct 1 000 lev 10", lang=lang)
    assert (request.entry, request.stop.price, request.account) == (D(72000), D(71500), D(1000))


def test_space_grouping_keeps_two_positionals_apart() -> None:
    """`/pnl BTC 100 200`: entry 100 and exit 200, never one number 100,200."""
    request = parse_command("/pnl BTC 100 200 qty 1", lang="ru")
    assert (request.entry, request.exit) == (D(100), D(200))


def test_mixed_marks_read_within_one_command() -> None:
    """Within one command `72.000,50` and `71.500` read the same way (72,000.50 and 71,500)."""
    request = parse_command("/size BTC 72.000,50 stop 71.500", lang="de")
    assert (request.entry, request.stop.price) == (D("72000.50"), D(71500))


def test_english_grouping_comma_is_thousands() -> None:
    """`72,000` from an English member is 72,000: the mark they group thousands with."""
    assert parse_command("/size BTC 72,000 stop 71,500").entry == D(72000)


@pytest.mark.parametrize(
    ("lang", "typed", "one", "other"),
    [
        ("en", "71.500", "71.5", "71500"),
        ("en", "1.000", "1", "1000"),
        ("de", "71,500", "71.5", "71500"),
        ("ru", "1,000", "1", "1000"),
    ],
)
def test_a_form_that_means_both_is_asked(lang: str, typed: str, one: str, other: str) -> None:
    """One decimal mark followed by exactly three digits could be thousands: ask, never guess."""
    with pytest.raises(CommandError) as caught:
        parse_command(f"/size BTC 72000 stop 71000 acct {typed}", lang=lang)
    assert caught.value.code is ErrorCode.AMBIGUOUS_NUMBER
    assert caught.value.word == typed
    assert (caught.value.params["decimal"], caught.value.params["thousands"]) == (one, other)
    assert caught.value.example  # the member is shown how to write it


def test_known_price_settles_an_ambiguous_price() -> None:
    """With BTC known near 72,000, `71.500` from an English member is 71,500 (71.5 is a
    thousand times off); with SOL near 145, `145.125` is 145.125."""
    marks = {"BTC": D(72013), "SOL": D(145)}
    assert parse_command("/size BTC 72.000 stop 71.500", marks=marks).stop.price == D(71500)
    assert parse_command("/size SOL 145.125 stop 140", marks=marks).entry == D("145.125")


def test_known_price_does_not_settle_an_amount() -> None:
    """`acct 1.000` is not a price: no mark price can say what the account holds."""
    with pytest.raises(CommandError) as caught:
        parse_command("/size BTC 72000 stop 71500 acct 1.000", marks={"BTC": D(72000)})
    assert caught.value.code is ErrorCode.AMBIGUOUS_NUMBER


def test_leading_zero_is_never_thousands() -> None:
    """`0.500` and `0,500` cannot be grouped thousands: always a half."""
    assert parse_number("0.500") == D("0.5")
    assert parse_number("0,500", COMMA) == D("0.5")


@pytest.mark.parametrize("typed", ["²", "³", "1²", "፩", "①", "¹⁰"])
def test_digits_that_are_not_typed_on_a_keyboard_are_refused(typed: str) -> None:
    """Superscripts, Ethiopic and circled digits pass `str.isdigit` but are no price."""
    with pytest.raises(CommandError) as caught:
        parse_number(typed)
    assert caught.value.code is ErrorCode.NOT_A_NUMBER
    assert caught.value.params.get("digits") == "0-9"


@pytest.mark.parametrize("typed", ["²", "³", "፩", "#²"])
def test_result_with_odd_digits_is_a_clear_error(typed: str) -> None:
    """`/result ² win` once raised ValueError inside the handler; now it is a clear error."""
    with pytest.raises(CommandError) as caught:
        parse_member_command(f"/result {typed} win")
    assert caught.value.code is ErrorCode.BAD_CHECK_ID


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999))
def test_german_dot_grouping_reads_thousands(thousands: int, units: int) -> None:
    """For any `T.UUU` a German member types, the value is T × 1000 + UUU."""
    assert parse_number(f"{thousands}.{units:03d}", COMMA) == D(thousands * 1000 + units)


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999))
def test_either_reading_settled_by_a_reference(thousands: int, units: int) -> None:
    """An English `T.UUU` is T.UUU near a reference of T, and T,UUU near T × 1000."""
    typed = f"{thousands}.{units:03d}"
    small, large = D(typed), D(thousands * 1000 + units)
    assert parse_number(typed, POINT, reference=small) == small
    assert parse_number(typed, POINT, reference=large) == large
