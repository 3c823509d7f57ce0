"""/settings in words: each of the member's values, or the value that applies instead, and
where it comes from (the default, their venue, Telegram)."""

from __future__ import annotations

from decimal import Decimal

from babel import Locale

from chatbot.engine.models import MarginMode
from chatbot.evaluation.defaults import DEFAULT_LANGUAGE, DEFAULT_TIMEZONE, GLOBAL, Preferences
from chatbot.language.parser import EXAMPLES
from chatbot.language.requests import RiskSpec
from chatbot.markets import catalog
from chatbot.render.html import bold, code, escape
from chatbot.render.i18n import N_, Translator, translator
from chatbot.render.pieces import leverage

# Clearing a setting, the one form of /settings its grammar's example does not show.
CLEAR_EXAMPLE = "/settings lev off"
LABELS = {
    "account": N_("Account"),
    "risk": N_("Risk per trade"),
    "leverage": N_("Leverage"),
    "fee": N_("Taker fee"),
    "venue": N_("Venue"),
    "margin_mode": N_("Margin"),
    "max_risk": N_("Your risk rule"),
    "max_leverage": N_("Your leverage limit"),
    "lang": N_("Language"),
    "tz": N_("Time zone"),
}
# What applies to a member who set nothing: the global layer, English, UTC.
DEFAULTS = Preferences.model_validate(
    GLOBAL.model_dump() | {"lang": DEFAULT_LANGUAGE, "tz": DEFAULT_TIMEZONE}
)


def language_name(tr: Translator, code_: str) -> str:
    """A language by its name in the reader's language: Deutsch, English, русский."""
    name = Locale.parse(code_).get_display_name(tr.locale) or code_
    return escape(name[:1].upper() + name[1:])


def setting_value(tr: Translator, name: str, value: object) -> str:
    """One stored setting as a member reads it."""
    if isinstance(value, RiskSpec):
        if value.fraction is not None:
            return tr.percent(value.fraction, exact=True)
        return tr.money(value.amount or Decimal(0))
    if isinstance(value, Decimal):
        if name in {"fee", "max_risk"}:
            return tr.percent(value, exact=True)
        if name in {"leverage", "max_leverage"}:
            return leverage(tr, value)
        return tr.money(value)
    if isinstance(value, MarginMode):
        return tr.gettext(value.value)
    if name == "venue":
        return escape(catalog.venue(str(value)).name)
    if name == "lang":
        return language_name(tr, str(value))
    return escape(value)


def _applied(tr: Translator, name: str, own: Preferences | None, lang: str, telegram: bool) -> str:
    """What applies where the member set nothing, and why: their venue's fee, the language
    Telegram gave, or the default."""
    if name == "lang":
        shown = language_name(tr, lang)
        if telegram:
            return tr.gettext("{value} (from Telegram)", value=shown)
        return tr.gettext("{value} (default)", value=shown)
    if name == "fee":
        venue = (own.venue if own else None) or DEFAULTS.venue or ""
        fee = catalog.venue(venue).taker_fee
        if fee is not None:
            return tr.gettext(
                "{value} ({venue}'s fee)",
                value=tr.percent(fee, exact=True),
                venue=escape(catalog.venue(venue).name),
            )
    default = getattr(DEFAULTS, name)
    if default is None:
        return tr.gettext("not set")
    return tr.gettext("{value} (default)", value=setting_value(tr, name, default))


def setting_lines(
    tr: Translator, own: Preferences | None, lang: str, *, telegram: bool = False
) -> list[str]:
    """Each setting: the member's own value, else what applies instead, said as such."""
    lines = []
    for name, label in LABELS.items():
        value = getattr(own, name) if own is not None else None
        shown = (
            setting_value(tr, name, value)
            if value is not None
            else _applied(tr, name, own, lang, telegram)
        )
        lines.append(f"{tr.gettext(label)}: {shown}")
    return lines


def render_settings(own: Preferences | None, lang: str, *, telegram: bool = False) -> str:
    """The member's settings in `lang`, the language they are answered in; `telegram` when
    that language is Telegram's, not one they chose."""
    tr = translator(lang)
    lines = [bold(tr.gettext("Your settings")), *setting_lines(tr, own, lang, telegram=telegram)]
    lines.append("")
    lines.append(
        tr.gettext(
            "Change them in one line, for example {example}; {clear} clears one.",
            example=code(EXAMPLES["settings"]),
            clear=code(CLEAR_EXAMPLE),
        )
    )
    return "\n".join(lines)


def render_settings_saved(lang: str) -> str:
    return "✅ " + translator(lang).gettext("Saved. Your next checks use these settings.")
