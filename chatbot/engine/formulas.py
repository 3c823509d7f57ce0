"""Each venue's published liquidation formula, for a single position in one-way mode.

Three formulas circulate that disagree by up to $288 on the worked example; only the venue's own
tiered form is right, so each venue gets exactly its documented formula and nothing else (no
safety buffer, tier looked up by notional, not by margin). Every function returns the price and
the tier it used; a price of 0 means no move against the position liquidates it (a long whose
margin covers a fall to zero, a short whose margin outgrows any rise).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from chatbot.engine.models import Side, Tier
from chatbot.engine.tiers import tier_for

ZERO = Decimal(0)
ONE = Decimal(1)


def _holds_at_liquidation(tiers: Sequence[Tier], index: int, notional: Decimal) -> bool:
    """A bracket holds the notional at the liquidation price; the last one has no upper end.

    The last cap limits the position a venue opens, not the maintenance rate of one it holds,
    so a short whose notional grows past it on the way to liquidation keeps the last rate.
    """
    tier = tiers[index]
    return tier.holds(notional) or (index == len(tiers) - 1 and notional >= tier.floor)


def _self_consistent(
    tiers: Sequence[Tier],
    entry_tier: Tier,
    side: Side,
    price_with: Callable[[Tier], Decimal],
    notional_at: Callable[[Decimal], Decimal],
) -> tuple[Decimal, Tier]:
    """Binance FAQ: if the notional at the liquidation price lies in another tier, use that tier.

    With Binance's maintenance amounts joining the brackets, margin left falls faster than the
    maintenance margin as price moves against the position, so exactly one tier's price lands
    inside its own bracket. Brackets without such amounts (OKX) can leave two; the one the
    market reaches first, moving against the position, liquidates it. The entry tier is the
    fallback only when no price is positive (no move against the position liquidates it).
    """
    found = [
        (price, tier)
        for index, tier in enumerate(tiers)
        if (price := price_with(tier)) > 0
        and _holds_at_liquidation(tiers, index, notional_at(price))
    ]
    if found:
        first_reached = max if side is Side.LONG else min
        return first_reached(found, key=lambda pair: pair[0])
    return max(price_with(entry_tier), ZERO), entry_tier


def _linear_measure(quantity: Decimal, in_coin: bool) -> Callable[[Decimal], Decimal]:
    """A linear position's bracket notional at a price: base units, or their quote value."""
    return lambda price: quantity if in_coin else quantity * price


def _inverse_measure(size_usd: Decimal, in_coin: bool) -> Callable[[Decimal], Decimal]:
    """An inverse position's bracket notional at a price: its coin value, or its USD size."""
    return lambda price: size_usd / price if in_coin else size_usd


def binance_usdm(
    tiers: Sequence[Tier],
    side: Side,
    quantity: Decimal,
    entry: Decimal,
    wallet: Decimal,
    *,
    in_coin: bool = False,
) -> tuple[Decimal, Tier]:
    """Binance USDⓈ-M, one-way mode; `wallet` is WB − TMM + UPNL (WB alone for one position).

    Source: Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts":
    LP = (WB − TMM + UPNL + cum − side × Q × EP) / (Q × MMR − side × Q).
    """
    s = side.sign

    def price_with(tier: Tier) -> Decimal:
        return (wallet + tier.cum - s * quantity * entry) / (quantity * tier.mmr - s * quantity)

    notional_at = _linear_measure(quantity, in_coin)
    entry_tier = tier_for(tiers, notional_at(entry))
    return _self_consistent(tiers, entry_tier, side, price_with, notional_at)


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
    tiers: Sequence[Tier],
    side: Side,
    notional_usd: Decimal,
    entry: Decimal,
    wallet_coin: Decimal,
    *,
    in_coin: bool = True,
) -> tuple[Decimal, Tier]:
    """Binance COIN-M (inverse), one-way mode, single position.

    Source: Binance FAQ "How to Calculate Liquidation Price of COIN-M Futures Contracts":
    LP = N × (MMR + side) / (WB + cum + side × N / EP), N the position in USD (contracts ×
    contract value), WB and cum in coin; brackets are in coin (N / price). A short whose coin
    margin reaches N / EP (1x) has a denominator of cum or more: no rise liquidates it.
    """
    s = side.sign

    def price_with(tier: Tier) -> Decimal:
        denominator = wallet_coin + tier.cum + s * notional_usd / entry
        if denominator == 0:
            return ZERO
        return max(notional_usd * (tier.mmr + s) / denominator, ZERO)

    notional_at = _inverse_measure(notional_usd, in_coin)
    entry_tier = tier_for(tiers, notional_at(entry))
    return _self_consistent(tiers, entry_tier, side, price_with, notional_at)


def okx_linear(
    tiers: Sequence[Tier],
    side: Side,
    quantity: Decimal,
    entry: Decimal,
    margin: Decimal,
    fee: Decimal,
    *,
    in_coin: bool = False,
) -> tuple[Decimal, Tier]:
    """OKX (and Gate) USDT-margined swap, isolated: the closing taker fee sits beside the MMR.

    Source: OKX Help Center "Isolated margin" introduction and Gate's help on liquidation
    price, in the form freqtrade implements for both (freqtrade/exchange/exchange.py,
    `dry_run_liquidation_price`): long LP = (EP − margin / Q) / (1 − (MMR + taker)), short
    LP = (EP + margin / Q) / (1 + (MMR + taker)). A maintenance amount, where a table or a
    member gives one, lowers the maintenance margin like Binance's cum: margin + cum takes the
    place of margin. The tier is rechecked at the liquidation price as on Binance.
    """
    s = side.sign

    def price_with(tier: Tier) -> Decimal:
        return (entry - s * (margin + tier.cum) / quantity) / (ONE - s * (tier.mmr + fee))

    notional_at = _linear_measure(quantity, in_coin)
    entry_tier = tier_for(tiers, notional_at(entry))
    return _self_consistent(tiers, entry_tier, side, price_with, notional_at)


def bybit_inverse(
    tiers: Sequence[Tier],
    side: Side,
    size_usd: Decimal,
    entry: Decimal,
    margin_coin: Decimal,
    extra_coin: Decimal,
    fee: Decimal,
    *,
    in_coin: bool = True,
) -> tuple[Decimal, Tier]:
    """Bybit inverse contract, isolated, maintenance margin evaluated at the liquidation price.

    Source: Bybit Help Center "Liquidation Price Calculation under Isolated Mode (Unified
    Trading Account)", inverse section, with Size in USD and margins in coin:
    long LP = Size × (MMR + 1) / (Size/EP + Size/EP/Lev + Extra/(1 + taker) + MMD),
    short LP = Size × (1 − MMR) / (Size/EP − Size/EP/Lev − Extra/(1 − taker) − MMD),
    `margin_coin` standing for Size/EP/Lev. This is the form used here. An older version of
    the page evaluated the maintenance margin at entry, LP = Size / (Size/EP ± (IM − MM)),
    which gives 45,662.10 instead of 45,681.82 for a $60,000 long at 50,000, 10x, MMR 0.5%.
    A short whose denominator is not positive (1x, no maintenance amount) never liquidates.
    """
    s = side.sign

    def price_with(tier: Tier) -> Decimal:
        extra = extra_coin / (ONE + s * fee)
        denominator = size_usd / entry + s * (margin_coin + extra + tier.cum)
        if denominator <= 0:
            return ZERO
        return size_usd * (ONE + s * tier.mmr) / denominator

    notional_at = _inverse_measure(size_usd, in_coin)
    entry_tier = tier_for(tiers, notional_at(entry))
    return _self_consistent(tiers, entry_tier, side, price_with, notional_at)
