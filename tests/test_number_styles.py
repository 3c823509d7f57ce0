"""The compiled number styles write every number exactly as Babel's own patterns do."""

from __future__ import annotations

import copy
from decimal import Decimal, localcontext

from hypothesis import given
from hypothesis import strategies as st

from chatbot.render.i18n import available_languages, translator
from chatbot.render.number_styles import FORMAT_PRECISION, Kind, number_style

D = Decimal
KINDS: tuple[Kind, ...] = ("decimal", "percent", "dollar")


def babel_shown(lang: str, kind: Kind, value: Decimal, minimum: int, maximum: int) -> str:
    """Babel's `NumberPattern.apply` for the same locale, kind and fraction digits."""
    locale = translator(lang).locale
    if kind == "percent":
        pattern = copy.copy(locale.percent_formats[None])
        currency = None
    elif kind == "dollar":
        pattern = copy.copy(locale.currency_formats["standard"])
        currency = "USD"
    else:
        pattern = copy.copy(locale.decimal_formats[None])
        currency = None
    pattern.frac_prec = (minimum, max(minimum, maximum))
    with localcontext() as context:
        context.prec = FORMAT_PRECISION
        shown: str = pattern.apply(value, locale, currency=currency, currency_digits=False)
    return shown


amounts = st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**12), max_value=10**12)


@given(
    lang=st.sampled_from(available_languages()),
    kind=st.sampled_from(KINDS),
    value=amounts,
    minimum=st.integers(0, 10),
    maximum=st.integers(0, 12),
)
def test_same_as_babel(lang: str, kind: Kind, value: Decimal, minimum: int, maximum: int) -> None:
    """Any amount, language, kind and fraction digits: the same text as Babel writes."""
    shown = number_style(translator(lang).locale, kind).format(value, minimum, maximum)
    assert shown == babel_shown(lang, kind, value, minimum, maximum)


def test_rounding_at_the_last_digit() -> None:
    """Halves round to even at the last shown digit, as Babel and CLDR do: 2.125 → 2.12."""
    style = number_style(translator("en").locale, "decimal")
    assert style.format(D("2.125"), 2, 2) == "2.12"
    assert style.format(D("2.135"), 2, 2) == "2.14"
    assert style.format(D("-0.001"), 2, 2) == "-0.00"


def test_symbols_by_language() -> None:
    """German groups with a point and a decimal comma; the dollar and percent signs move."""
    german = translator("de").locale
    assert number_style(german, "decimal").format(D("1224.5"), 0, 2) == "1.224,5"
    assert number_style(german, "dollar").format(D("1224.5"), 2, 2) == "1.224,50\xa0$"
    assert number_style(german, "percent").format(D("0.0462"), 2, 2) == "4,62\xa0%"
