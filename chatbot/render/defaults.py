"""The reply's last line: every value the member did not type, and where it came from."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from chatbot.engine.models import Contract, ContractKind
from chatbot.evaluation.calculators import Check, Result
from chatbot.evaluation.defaults import DefaultUsed
from chatbot.render.html import escape as _e
from chatbot.render.i18n import N_, Translator
from chatbot.render.pieces import contracts, leverage, units, word

# --- defaults ------------------------------------------------------------------------------

_DEFAULT_LABELS = {
    "risk": N_("risk {value}"),
    "fee": N_("fee {value}"),
    "account": N_("account {value}"),
    "leverage": N_("leverage {value}"),
    "quantity": N_("quantity {value}"),
    "ratio": N_("hedge ratio {value}"),
    "hours": N_("for {value}"),
    "funding_interval": N_("funding every {value}"),
}
# A default's name alone, for a reply in a group that keeps its value private.
_NAMES = {
    "risk": N_("risk"),
    "fee": N_("fee"),
    "account": N_("account"),
    "leverage": N_("leverage"),
    "margin_mode": N_("margin mode"),
    "venue": N_("venue"),
}
_SOURCES = {
    "member": N_("your settings"),
    "group": N_("group"),
    "venue": N_("venue"),
    "coin": N_("from your coin amount, rounded down"),
}


def _as_decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value.replace("$", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _default_value(tr: Translator, default: DefaultUsed, result: Result) -> str:
    """The stored text of a default (`0.01`, `$25`, `binance`) as a member reads it."""
    name, raw = default.name, default.value
    instrument = result.instrument
    number = _as_decimal(raw)
    if name == "venue":
        return _e(instrument.venue_name if instrument.venue == raw else raw)
    if number is None:
        return word(tr, raw)
    if (name == "risk" and raw.startswith("$")) or name == "account":
        return tr.money(number, instrument.quote)
    if name in {"risk", "fee", "ratio"}:
        return tr.percent(number, exact=True)
    if name == "leverage":
        return leverage(tr, number)
    if name == "quantity":
        return units(tr, number, instrument.base)
    if name == "contracts" and instrument.contract_value is not None:
        unit = Contract(kind=ContractKind.STEP, size=instrument.contract_value)
        return contracts(tr, instrument, unit, number)
    if name in {"hours", "funding_interval"}:
        return tr.gettext("{hours} h", hours=tr.number(number))
    return _e(raw)


def _default_item(tr: Translator, default: DefaultUsed, result: Result) -> str:
    value = _default_value(tr, default, result)
    label = _DEFAULT_LABELS.get(default.name)
    text = tr.gettext(label, value=value) if label else value
    source = _SOURCES.get(default.source)
    return f"{text} ({tr.gettext(source)})" if source else text


def _name_only(tr: Translator, default: DefaultUsed) -> str:
    name = tr.gettext(_NAMES.get(default.name, N_("a setting")))
    source = _SOURCES.get(default.source)
    return f"{name} ({tr.gettext(source)})" if source else name


def kept_out_of_groups(defaults: tuple[DefaultUsed, ...]) -> frozenset[str]:
    """The defaults a group must not read: every value from the member's settings, and the
    account and the risk when the account was not typed, since the risk and the size together
    give the account back."""
    names = {default.name for default in defaults if default.source == "member"}
    if any(default.name == "account" for default in defaults):
        names |= {"account", "risk"}
    return frozenset(names)


def defaults_line(tr: Translator, check: Check, *, private: bool = True) -> str | None:
    """Section 7: every value the member did not type, so no figure rests on a hidden guess;
    in a group (`private` False) the member's own values are named, not shown."""
    if not check.defaults:
        return None
    hidden = frozenset() if private else kept_out_of_groups(check.defaults)
    items = " · ".join(
        _name_only(tr, default)
        if default.name in hidden
        else _default_item(tr, default, check.result)
        for default in check.defaults
    )
    line = tr.gettext("Defaults: {items}", items=items)
    return f"<i>{line}</i>"
