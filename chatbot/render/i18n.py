"""Translations and number formats, one `Translator` per language, never a global `_`.

A bot answers members in many languages at once, so the language is an argument of every
call, not process state. Catalogs are the `.po` files themselves, compiled in memory with
Babel on first use: no `.mo` files in git and no build step. Adding a language is adding
`locales/<lang>/LC_MESSAGES/riskbot.po`.

Strings are marked with `tr.gettext(...)`, `tr.ngettext(...)` and `N_(...)` (for tables of
messages chosen at run time); all three are Babel's default keywords, so the template is
refreshed from the repository root with exactly:

    pybabel extract -F babel.cfg -o locales/riskbot.pot chatbot

and the catalogs are then brought up to date (new entries empty, to be translated) with
`pybabel update -i locales/riskbot.pot -d locales -D riskbot --no-fuzzy-matching`.
Placeholders are named (`{price}`) and filled with `str.format`, so translators may reorder.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

import chatbot
from chatbot.evaluation.defaults import DEFAULT_LANGUAGE
from chatbot.render.number_styles import Kind, NumberStyle, number_style

DOMAIN = "riskbot"
# Unknown languages get the default one.
FALLBACK = DEFAULT_LANGUAGE
# Stablecoins are shown as dollars: members think of 1,224 USDT as $1,224.
DOLLAR_LIKE = frozenset({"USD", "USDT", "USDC", "BUSD", "FDUSD", "TUSD", "DAI"})
PRICE_DIGITS = 5
PRICE_DECIMALS = 2
PERCENT_DIGITS = 2
MONEY_DIGITS = 4
CENT = Decimal("0.01")
COIN_DECIMALS = 8


def N_(message: str) -> str:
    """Mark a message for extraction without translating it (it is translated when shown)."""
    return message


def _locales_root() -> Traversable:
    """The catalogs shipped inside the wheel, else the repository's `locales` folder."""
    shipped = resources.files("chatbot") / "locales"
    if shipped.is_dir():
        return shipped
    return Path(chatbot.__file__).resolve().parents[1] / "locales"


def _catalog_file(lang: str) -> Traversable:
    return _locales_root() / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def available_languages() -> tuple[str, ...]:
    """Languages that have a catalog, found by scanning the folder (no list to keep in sync)."""
    root = _locales_root()
    return tuple(
        sorted(entry.name for entry in root.iterdir() if _catalog_file(entry.name).is_file())
    )


@functools.cache
def _by_lower_code() -> dict[str, str]:
    return {code.lower(): code for code in available_languages()}


def match_language(lang: str | None) -> str | None:
    """The catalog for a language code, if any: `pt-br` → `pt_BR`, `de-AT` → `de`, `pt` →
    `pt_BR` (the one Portuguese catalog); None when no catalog fits."""
    wanted = (lang or "").strip().lower().replace("-", "_")
    if not wanted:
        return None
    known = _by_lower_code()
    base = wanted.split("_")[0]
    for candidate in (wanted, base):
        if candidate in known:
            return known[candidate]
    return next((code for lower, code in known.items() if lower.split("_")[0] == base), None)


def resolve_language(lang: str | None) -> str:
    """The catalog to use for a Telegram language code; unknown languages get English."""
    return match_language(lang) or FALLBACK


def _load(lang: str) -> Translations:
    """Compile the `.po` file in memory; fuzzy entries are left out, as msgfmt would."""
    with _catalog_file(lang).open("rb") as po:
        catalog = read_po(po, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def _sig_decimals(value: Decimal, digits: int) -> int:
    """Fraction digits needed to show `digits` significant digits of `value`."""
    if value == 0:
        return 0
    return max(0, digits - 1 - value.adjusted())


def _exact_decimals(value: Decimal) -> int:
    """Fraction digits `value` really has (0.0170 → 3), never scientific notation."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


@dataclass(frozen=True)
class Translator:
    """Messages and numbers for one language; obtained from `translator(lang)`."""

    lang: str
    locale: Locale
    catalog: Translations

    def gettext(self, message: str, **params: object) -> str:
        """The translation of `message`, with `{name}` placeholders filled from `params`."""
        text = self.catalog.gettext(message)
        return text.format(**params) if params else text

    def ngettext(self, singular: str, plural: str, n: int, **params: object) -> str:
        """The plural form for `n` in this language, placeholders filled from `params`."""
        text = self.catalog.ngettext(singular, plural, n)
        return text.format(**params) if params else text

    def _style(self, kind: Kind) -> NumberStyle:
        return number_style(self.locale, kind)

    def number(self, value: Decimal, min_decimals: int = 0, max_decimals: int = 2) -> str:
        """A plain number in this locale's style (1,224.5 / 1.224,5)."""
        return self._style("decimal").format(value, min_decimals, max_decimals)

    def qty(self, value: Decimal) -> str:
        """A size exactly as the venue's step makes it (0.017), capped for endless fractions.

        Inverse sizes (USD / price) never terminate, so at most 8 decimals (a satoshi) are
        shown unless the amount is so small it needs more for 6 significant digits.
        """
        cap = max(COIN_DECIMALS, _sig_decimals(value, PRICE_DIGITS + 1))
        return self.number(value, 0, min(_exact_decimals(value), cap))

    def price(self, value: Decimal, currency: str | None = None) -> str:
        """A price readable at any magnitude: ≥ 2 decimals and ≥ 5 significant digits.

        Fixed six decimals would print a coin at 0.000013841 as 0.000000; this shows it in
        full and BTC as 68,674.70. With a dollar-like `currency` the `$` sign is added.
        """
        decimals = max(PRICE_DECIMALS, _sig_decimals(value, PRICE_DIGITS))
        if currency is not None and currency.upper() in DOLLAR_LIKE:
            return self._style("dollar").format(value, 2, decimals)
        shown = self.number(value, PRICE_DECIMALS, decimals)
        return f"{shown} {currency}" if currency else shown

    def money(self, value: Decimal, currency: str = "USD", exact: bool = False) -> str:
        """An amount: dollars and stablecoins to the cent ($1,224.00), or to 4 significant
        digits below a cent ($0.009322), so a fee on a tiny position is neither $0.00 nor
        eight digits long; coins as 0.00085 BTC.

        `exact` drops zero cents from fixed amounts a venue publishes ($100 contracts, $5
        minimum order), where cents would suggest a computed figure.
        """
        if currency.upper() in DOLLAR_LIKE:
            cents = 0 if exact and value == value.to_integral_value() else 2
            most = cents
            if 0 < abs(value) < CENT:
                most = _sig_decimals(abs(value), MONEY_DIGITS)
            return self._style("dollar").format(value, cents, most)
        decimals = max(COIN_DECIMALS, _sig_decimals(value, PRICE_DIGITS))
        return f"{self.number(value, 0, decimals)} {currency}"

    def signed_money(self, value: Decimal, currency: str = "USD") -> str:
        """An amount with its sign always shown, so a gain and a loss never look alike."""
        shown = self.money(value, currency)
        return f"+{shown}" if value > 0 else shown

    def percent(self, fraction: Decimal, exact: bool = False) -> str:
        """A fraction as a percentage: 0.0462 → 4.62% (de: 4,62 %), tiny rates still visible.

        `exact` shows a typed setting as typed (risk 1%, fee 0.05%) instead of two decimals.
        """
        hundred = fraction * 100
        if exact:
            minimum, maximum = 0, min(_exact_decimals(hundred), COIN_DECIMALS)
        else:
            minimum = PERCENT_DIGITS
            maximum = max(PERCENT_DIGITS, _sig_decimals(hundred, PERCENT_DIGITS))
        return self._style("percent").format(fraction, minimum, maximum)

    def date(self, iso: str) -> str | None:
        """An ISO date in this locale's medium style, or None when the text is not a date."""
        try:
            return format_date(date.fromisoformat(iso), format="medium", locale=self.locale)
        except ValueError:
            return None

    def time(self, at: str) -> str:
        """A time of day stored as "HH:MM" on the 24-hour clock, as this locale writes one.

        Members type times on the 24-hour clock (`/remind daily 20:00`), so the answer keeps
        that clock in the locale's own notation (20:00, es 9:30, fi 20.00) rather than switching
        an English reader to 8:00 PM: CLDR's "Hm" skeleton is exactly that pattern per locale.
        """
        pattern = self.locale.datetime_skeletons["Hm"]
        return format_time(time.fromisoformat(at), format=pattern, locale=self.locale)


@functools.cache
def _translator(code: str) -> Translator:
    return Translator(lang=code, locale=Locale.parse(code), catalog=_load(code))


def translator(lang: str | None) -> Translator:
    """The translator for a member's language code; unknown languages get English.

    Cached per catalog, not per code typed, so odd language codes cannot grow the cache.
    """
    return _translator(resolve_language(lang))
