"""Liquidation prices, one published formula per venue, for a single position in one-way mode.

Three formulas circulate that disagree by up to $288 on the worked example; only the venue's own
tiered form is right, so each venue gets exactly its documented formula and nothing else (no
safety buffer, tier looked up by notional, not by margin).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from chatbot.engine.models import (
    Instrument,
    LiqInput,
    LiqResult,
    Liquidation,
    LiquidationModel,
    MarginMode,
    Side,
    Tier,
    WarningCode,
)

ZERO = Decimal(0)


def tier_for(tiers: Sequence[Tier], notional: Decimal) -> Tier:
    """The bracket holding `notional`; above the last cap the last tier still applies."""
    for tier in tiers:
        if tier.holds(notional):
            return tier
    return tiers[-1]


def effective_tiers(instrument: Instrument, mmr_override: Decimal | None) -> tuple[Tier, ...]:
    """A member-supplied MMR replaces the table with one flat tier without maintenance amount."""
    if mmr_override is None:
        return instrument.tiers
    top = instrument.tiers[0].max_leverage
    return (Tier(floor=ZERO, cap=None, max_leverage=top, mmr=mmr_override, cum=ZERO),)


def _self_consistent(
    tiers: Sequence[Tier],
    entry_tier: Tier,
    price_with: Callable[[Tier], Decimal],
    notional_at: Callable[[Decimal], Decimal],
) -> tuple[Decimal, Tier]:
    """Binance FAQ: if the notional at the liquidation price lies in another tier, use that tier.

    Margin left falls faster than the maintenance margin as price moves against the position,
    so exactly one tier's price lands inside its own bracket; the entry tier is the fallback
    only when no price is positive (the margin covers a fall to zero).
    """
    for tier in tiers:
        price = price_with(tier)
        if price > 0 and tier.holds(notional_at(price)):
            return price, tier
    return max(price_with(entry_tier), ZERO), entry_tier


def binance_usdm(
    tiers: Sequence[Tier], side: Side, quantity: Decimal, entry: Decimal, wallet: Decimal
) -> tuple[Decimal, Tier]:
    """Binance USDⓈ-M, one-way mode, single position (TMM = UPNL = 0).

    Source: Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts":
    LP = (WB − TMM + UPNL + cum − side × Q × EP) / (Q × MMR − side × Q).
    """
    s = side.sign

    def price_with(tier: Tier) -> Decimal:
        return (wallet + tier.cum - s * quantity * entry) / (quantity * tier.mmr - s * quantity)

    entry_tier = tier_for(tiers, quantity * entry)
    return _self_consistent(tiers, entry_tier, price_with, lambda price: quantity * price)


def bybit_linear(
    tiers: Sequence[Tier], side: Side, quantity: Decimal, entry: Decimal, wallet: Decimal
) -> tuple[Decimal, Tier]:
    """Bybit USDT perpetual, one position.

    Source: Bybit Help Center "Liquidation Price (USDT Contract)": isolated
    LP = EP − side × (IM − MM) / Q with MM = position value × MMR − MM deduction; in cross
    mode the whole wallet takes the place of the initial margin. Bybit uses the risk-limit tier
    of the position value at entry and does not re-tier at the liquidation price.
    """
    tier = tier_for(tiers, quantity * entry)
    maintenance = quantity * entry * tier.mmr - tier.cum
    price = entry - side.sign * (wallet - maintenance) / quantity
    return max(price, ZERO), tier


def binance_coinm(
    tiers: Sequence[Tier], side: Side, notional_usd: Decimal, entry: Decimal, wallet_coin: Decimal
) -> tuple[Decimal, Tier]:
    """Binance COIN-M (inverse), one-way mode, single position.

    Source: Binance FAQ "How to Calculate Liquidation Price of COIN-M Futures Contracts":
    LP = N × (MMR + side) / (WB + cum + side × N / EP), N the position in USD (contracts ×
    contract value), WB and cum in coin; brackets are in coin (N / price).
    """
    s = side.sign

    def price_with(tier: Tier) -> Decimal:
        denominator = wallet_coin + tier.cum + s * notional_usd / entry
        if denominator == 0:
            return ZERO
        return max(notional_usd * (tier.mmr + s) / denominator, ZERO)

    entry_tier = tier_for(tiers, notional_usd / entry)
    return _self_consistent(tiers, entry_tier, price_with, lambda price: notional_usd / price)


def liquidate(
    instrument: Instrument,
    side: Side,
    quantity: Decimal,
    entry: Decimal,
    wallet: Decimal,
    mmr_override: Decimal | None = None,
) -> Liquidation:
    """Liquidation of `quantity` base units entered at `entry`, backed by `wallet` (quote/USD).

    The maintenance margin is reported at entry, in quote currency, from the entry tier.
    """
    tiers = effective_tiers(instrument, mmr_override)
    notional = quantity * entry
    bracket_notional = quantity if instrument.tiers_in_coin else notional
    entry_tier = tier_for(tiers, bracket_notional)
    maintenance = (bracket_notional * entry_tier.mmr - entry_tier.cum) * (
        entry if instrument.tiers_in_coin else Decimal(1)
    )
    if instrument.liquidation is LiquidationModel.NONE or quantity <= 0:
        return Liquidation(price=None, tier=None, maintenance_margin=max(maintenance, ZERO))
    if instrument.liquidation is LiquidationModel.BINANCE_COINM:
        price, tier = binance_coinm(tiers, side, notional, entry, wallet / entry)
    elif instrument.liquidation is LiquidationModel.BYBIT_LINEAR:
        price, tier = bybit_linear(tiers, side, quantity, entry, wallet)
    else:
        price, tier = binance_usdm(tiers, side, quantity, entry, wallet)
    return Liquidation(price=price, tier=tier, maintenance_margin=maintenance)


def liquidation_check(data: LiqInput) -> LiqResult:
    """The liquidation price alone, for `/liq`: isolated risks the margin, cross the account."""
    notional = data.quantity * data.entry
    margin = notional / data.leverage
    wallet = margin
    if data.margin_mode is MarginMode.CROSS and data.account is not None:
        wallet = data.account
    liquidation = liquidate(
        data.instrument, data.side, data.quantity, data.entry, wallet, data.mmr_override
    )
    price = liquidation.price
    warnings: list[WarningCode] = []
    if data.instrument.liquidation is LiquidationModel.NONE:
        warnings.append(WarningCode.NO_EXCHANGE_LIQUIDATION)
    if data.margin_mode is MarginMode.CROSS:
        warnings.append(WarningCode.CROSS_WHOLE_ACCOUNT)
    return LiqResult(
        instrument=data.instrument,
        entry=data.entry,
        leverage=data.leverage,
        side=data.side,
        margin_mode=data.margin_mode,
        quantity=data.quantity,
        notional=notional,
        initial_margin=margin,
        wallet_balance=wallet,
        maintenance_margin=liquidation.maintenance_margin,
        liquidation_price=price,
        liquidation_distance_pct=None if price is None else abs(data.entry - price) / data.entry,
        tier=liquidation.tier,
        warnings=tuple(warnings),
    )
