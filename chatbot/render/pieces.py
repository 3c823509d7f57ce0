"""The pieces every calculator reply shares: fixed words, sizes, contracts and the danger lines.

Three liquidation formulas circulate; every reply names the venue's own tiered one it used, and
says loudly when the liquidation comes before the stop, so these lines are written once here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from chatbot.engine.models import (
    Contract,
    ContractKind,
    Instrument,
    LiqResult,
    LiquidationModel,
    Side,
    SizeResult,
    Tier,
    WarningCode,
)
from chatbot.render.html import bold as _bold
from chatbot.render.html import escape as _e
from chatbot.render.i18n import COIN_DECIMALS, N_, Translator

LIST_LIMIT = 400
EXAMPLE_LIMIT = 200
FEEDBACK_LIMIT = 600
TEN_PERCENT = Decimal("0.1")
ZERO = Decimal(0)

# --- small pieces --------------------------------------------------------------------------


_WORDS = {
    "long": N_("long"),
    "short": N_("short"),
    "isolated": N_("isolated"),
    "cross": N_("cross"),
}


def word(tr: Translator, value: str) -> str:
    """A fixed word of the command language (side, margin mode) in the member's language."""
    known = _WORDS.get(value)
    return tr.gettext(known) if known else _e(value)


def leverage(tr: Translator, value: Decimal) -> str:
    """Leverage to one decimal everywhere (20x, 1.2x), so two figures never differ in style."""
    return f"{tr.number(value, 0, 1)}x"


def units(tr: Translator, value: Decimal, asset: str) -> str:
    """A size in base units with its asset: 0.017 BTC."""
    return f"{tr.qty(value)} {_e(asset)}"


def header(instrument: Instrument, *extra: str) -> str:
    parts = [_bold(_e(instrument.symbol)), _e(instrument.venue_name), *extra]
    return " · ".join(parts)


def plural_n(count: Decimal) -> int:
    """gettext plural rules take integers; a fraction (1.5 intervals) takes the plural form 2."""
    return int(count) if count == count.to_integral_value() else 2


# --- contracts -----------------------------------------------------------------------------


def contracts(tr: Translator, instrument: Instrument, contract: Contract, count: Decimal) -> str:
    """How many of the chosen unit: a step count, named contracts, or inverse USD contracts."""
    n, shown = plural_n(count), tr.number(count, 0, COIN_DECIMALS)
    if instrument.inverse:
        value = tr.money(contract.size, "USD", exact=True)
        return tr.ngettext(
            "{count} contract of {value}",
            "{count} contracts of {value}",
            n,
            count=shown,
            value=value,
        )
    size = units(tr, contract.size, instrument.base)
    match contract.kind:
        case ContractKind.STEP:
            return tr.gettext(
                "{count} × {size} ({venue} quantity step)",
                count=shown,
                size=size,
                venue=_e(instrument.venue_name),
            )
        case ContractKind.STANDARD:
            return tr.ngettext(
                "{count} standard contract of {size}",
                "{count} standard contracts of {size}",
                n,
                count=shown,
                size=size,
            )
        case ContractKind.MICRO:
            return tr.ngettext(
                "{count} micro contract of {size}",
                "{count} micro contracts of {size}",
                n,
                count=shown,
                size=size,
            )
        case ContractKind.NANO:
            return tr.ngettext(
                "{count} nano contract of {size}",
                "{count} nano contracts of {size}",
                n,
                count=shown,
                size=size,
            )
        case _:
            return tr.ngettext(
                "{count} contract of {size} (your size)",
                "{count} contracts of {size} (your size)",
                n,
                count=shown,
                size=size,
            )


def scaled_line(tr: Translator, instrument: Instrument) -> str | None:
    """One plain line for a coin listed as a scaled contract: the member typed the coin."""
    if instrument.scale == 1:
        return None
    return "ℹ️ " + tr.gettext(
        "{base} trades as {symbol} on {venue}, priced per {scale} {base}; every figure here is "
        "per {base}, as you typed it.",
        base=_e(instrument.base),
        symbol=_e(instrument.symbol),
        venue=_e(instrument.venue_name),
        scale=tr.number(instrument.scale),
    )


def scaled_contracts(tr: Translator, instrument: Instrument, quantity: Decimal) -> str:
    """A coin quantity in the venue's scaled contracts: 9,764.67 × 1000PEPEUSDT."""
    return tr.gettext(
        "{count} × {symbol}",
        count=tr.number(quantity / instrument.scale, 0, 2),
        symbol=_e(instrument.symbol),
    )


def utc_time(at: datetime) -> str:
    """A moment from a venue as traders quote it, on the 24-hour clock in UTC: 05:21:07 UTC."""
    return f"{at.astimezone(UTC):%H:%M:%S} UTC"


# --- danger --------------------------------------------------------------------------------


def tier_line(tr: Translator, instrument: Instrument, tier: Tier | None) -> str | None:
    """Name the table used: three formulas circulate, only the venue's own tiered one is right."""
    if tier is None:
        return None
    mmr = tr.percent(tier.mmr)
    if tier not in instrument.tiers:
        return tr.gettext("MMR {mmr} (your value)", mmr=mmr)
    values = {
        "venue": _e(instrument.venue_name),
        "tier": tr.number(Decimal(instrument.tiers.index(tier) + 1)),
        "mmr": mmr,
    }
    dated = tr.date(instrument.tiers_as_of)
    if dated is None:
        return tr.gettext(
            "{venue} tier {tier}, MMR {mmr} (table: {as_of})",
            as_of=_e(instrument.tiers_as_of),
            **values,
        )
    return tr.gettext("{venue} tier {tier}, MMR {mmr}, table of {date}", date=dated, **values)


def no_liquidation_price(tr: Translator, instrument: Instrument) -> str:
    """CME and other regulated futures have margin calls, not a liquidation price."""
    return tr.gettext(
        "{venue} sets no liquidation price: when your account runs short, your broker asks for "
        "more money (a margin call) or closes the position.",
        venue=_e(instrument.venue_name),
    )


REFUSALS = frozenset(
    {
        WarningCode.LEVERAGE_ABOVE_TIER_MAX,
        WarningCode.NOTIONAL_ABOVE_VENUE_MAX,
        WarningCode.MARGIN_BELOW_MAINTENANCE,
    }
)


def liquidation_line(tr: Translator, result: SizeResult | LiqResult) -> str:
    """Where the venue closes the position, or why there is no such price."""
    instrument, price = result.instrument, result.liquidation_price
    if instrument.liquidation is LiquidationModel.NONE:
        return "ℹ️ " + no_liquidation_price(tr, instrument)
    if result.liquidation_covered and result.side is Side.SHORT:
        return tr.gettext("No liquidation: your coin margin grows with any rise, so none comes.")
    if result.liquidation_covered or price == 0:
        return tr.gettext("No liquidation: your margin covers a fall to zero.")
    if price is None:
        refused = REFUSALS.intersection(result.warnings)
        if refused:
            return "⛔ " + tr.gettext(
                "No liquidation price: the venue would not hold this position."
            )
        return "ℹ️ " + no_liquidation_price(tr, instrument)
    values = {
        "price": _bold(tr.price(price, instrument.quote)),
        "distance": tr.percent(result.liquidation_distance_pct or ZERO),
    }
    if result.side is Side.LONG:
        return tr.gettext("Liquidation ≈ {price}, {distance} below entry", **values)
    return tr.gettext("Liquidation ≈ {price}, {distance} above entry", **values)


def stop_vs_liquidation(tr: Translator, result: SizeResult) -> str | None:
    """The loud line when liquidation comes first, else how far the stop sits before it."""
    gap, price = result.stop_to_liquidation, result.liquidation_price
    if gap is None or price is None or price == 0:
        return None
    quote = result.instrument.quote
    if WarningCode.LIQUIDATION_BEFORE_STOP in result.warnings:
        loud = _bold(tr.gettext("LIQUIDATION COMES FIRST"))
        return (
            "⚠️ "
            + loud
            + ": "
            + tr.gettext(
                "you are liquidated at {liquidation}, before your stop at {stop}: your stop never "
                "fires. Use less leverage or a closer stop.",
                liquidation=tr.price(price, quote),
                stop=tr.price(result.stop, quote),
            )
        )
    values = {"gap": tr.money(gap, quote)}
    if result.side is Side.LONG:
        return tr.gettext("Stop is {gap} above liquidation: it fires first.", **values)
    return tr.gettext("Stop is {gap} below liquidation: it fires first.", **values)
