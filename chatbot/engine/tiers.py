"""A venue's bracket table as rate card and rulebook: which bracket applies, and what it allows.

Each bracket caps the leverage allowed for the notionals in its range, and the last bracket's
cap is the largest position the venue takes. A position outside those rules is one the venue
would never open, so it gets a refusal that names the limit, never a liquidation price.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from chatbot.engine.models import EngineError, Instrument, Refusal, Tier, WarningCode

ZERO = Decimal(0)


def tier_for(tiers: Sequence[Tier], notional: Decimal) -> Tier:
    """The bracket holding `notional`; the last bracket includes its cap, the venue's maximum.

    Above that cap no bracket applies: pricing such a position with the last tier's rate would
    describe a position the venue refuses.
    """
    for tier in tiers:
        if tier.holds(notional):
            return tier
    last = tiers[-1]
    if last.cap is None or notional == last.cap:
        return last
    raise EngineError("notional_above_venue_max", maximum=last.cap)


def effective_tiers(
    instrument: Instrument, mmr_override: Decimal | None, mm_override: Decimal | None = None
) -> tuple[Tier, ...]:
    """The venue's table with a member's rate and maintenance amount in every bracket.

    Overrides change what the maintenance margin costs, never what the venue allows: floors,
    caps and leverage limits stay the venue's. A rate given alone comes without the table's
    maintenance amount (that amount belongs to the table's rate), unless `mm_override` gives one.
    """
    if mmr_override is None and mm_override is None:
        return instrument.tiers
    return tuple(
        tier.model_copy(
            update={
                "mmr": tier.mmr if mmr_override is None else mmr_override,
                "cum": _amount(tier, mmr_override, mm_override),
            }
        )
        for tier in instrument.tiers
    )


def _amount(tier: Tier, mmr_override: Decimal | None, mm_override: Decimal | None) -> Decimal:
    if mm_override is not None:
        return mm_override
    return tier.cum if mmr_override is None else ZERO


def max_notional_for_leverage(tiers: Sequence[Tier], leverage: Decimal) -> Decimal | None:
    """The largest notional at which the venue still allows `leverage` (None: no cap)."""
    allowed = [tier for tier in tiers if tier.max_leverage >= leverage]
    if not allowed:
        raise EngineError("leverage_above_venue_max", maximum=tiers[0].max_leverage)
    return max(allowed, key=lambda tier: tier.floor).cap


def venue_refusal(
    tiers: Sequence[Tier], notional: Decimal, leverage: Decimal | None
) -> Refusal | None:
    """Why the venue would refuse `notional` (in the table's unit) at `leverage`, or None.

    Without a leverage only the venue's largest position is checked. A leverage above every
    bracket raises `leverage_above_venue_max`, as sizing always has.
    """
    maximum = None if leverage is None else max_notional_for_leverage(tiers, leverage)
    last = tiers[-1]
    if last.cap is not None and notional > last.cap:
        return Refusal(
            code=WarningCode.NOTIONAL_ABOVE_VENUE_MAX,
            venue_max_notional=last.cap if maximum is None else maximum,
        )
    if maximum is not None and notional > maximum:
        return Refusal(
            code=WarningCode.LEVERAGE_ABOVE_TIER_MAX,
            tier_max_leverage=tier_for(tiers, notional).max_leverage,
            venue_max_notional=maximum,
        )
    return None
