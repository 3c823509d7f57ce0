"""/settings in words: each of the member's values, or the default that applies instead."""

from __future__ import annotations

from decimal import Decimal

from chatbot.engine.models import MarginMode
from chatbot.evaluation.defaults import DEFAULT_LANGUAGE, DEFAULT_TIMEZONE, GLOBAL, Preferences
from chatbot.language.parser import EXAMPLES
from chatbot.language.requests import RiskSpec
from chatbot.markets import catalog
from chatbot.render.html import bold, code, escape
from chatbot.render.i18n import N_, Translator, translator

# Clearing a setting, the one form of /settings its grammar's example does not show.
CLEAR_EXAMPLE = "/settings lev off"
_LABELS = {
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


def _value(tr: Translator, name: str, value: object) -> str:
    if isinstance(value, RiskSpec):
        if value.fraction is not None:
            return tr.percent(value.fraction, exact=True)
        return tr.money(value.amount or Decimal(0))
    if isinstance(value, Decimal):
        if name in {"fee", "max_risk"}:
            return tr.percent(value, exact=True)
        if name in {"leverage", "max_leverage"}:
            return f"{tr.number(value)}x"
        return tr.money(value)
    if isinstance(value, MarginMode):
        return tr.gettext(value.value)
    if name == "venue":
        return escape(catalog.venue(str(value)).name)
    return escape(value)


def _line(tr: Translator, name: str, own: Preferences | None) -> str:
    value = getattr(own, name) if own is not None else None
    default = getattr(DEFAULTS, name)
    if value is not None:
        shown = _value(tr, name, value)
    elif default is not None:
        shown = tr.gettext("{value} (default)", value=_value(tr, name, default))
    else:
        shown = tr.gettext("not set")
    return f"{tr.gettext(_LABELS[name])}: {shown}"


def render_settings(own: Preferences | None, lang: str) -> str:
    """Each setting: the member's own value, else the default that applies, said as such."""
    tr = translator(lang)
    lines = [bold(tr.gettext("Your settings"))]
    lines += [_line(tr, name, own) for name in _LABELS]
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
