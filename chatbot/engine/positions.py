"""A position made of several fills, where it breaks even, and what other positions take.

These are the figures traders still open a venue's calculator for: the average entry of a
position built in steps, the exit that pays back both taker fees and any funding, and the
maintenance margin and unrealised PnL of a cross account's other positions, which Binance's
cross-margin form subtracts from and adds to the wallet.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from chatbot.engine.liquidation import inverse_contract_value
from chatbot.engine.models import (
    AverageInput,
    AverageResult,
    OpenPosition,
    OthersInCross,
    Side,
)

ZERO = Decimal(0)


def average_entry(data: AverageInput) -> AverageResult:
    """Linear: Σ qᵢ·pᵢ / Σ qᵢ. Inverse, fills in contracts: Σ usdᵢ / Σ (usdᵢ / pᵢ).

    An inverse contract is a fixed number of dollars, so its average entry weighs each fill
    by the coin it bought: the harmonic mean of the prices, not the arithmetic one.
    """
    quantity = sum((fill.quantity for fill in data.fills), ZERO)
    if data.instrument.inverse:
        coin_per_usd = sum((fill.quantity / fill.price for fill in data.fills), ZERO)
        entry = quantity / coin_per_usd
        notional = quantity * inverse_contract_value(data.instrument)
    else:
        notional = sum((fill.quantity * fill.price for fill in data.fills), ZERO)
        entry = notional / quantity
    return AverageResult(
        instrument=data.instrument,
        fills=data.fills,
        quantity=quantity,
        entry=entry,
        notional=notional,
    )


def break_even(
    side: Side,
    entry: Decimal,
    fee_rate: Decimal,
    *,
    inverse: bool = False,
    size: Decimal = Decimal(1),
    funding: Decimal = ZERO,
) -> Decimal | None:
    """The exit at which PnL after both taker fees and funding received is zero.

    Linear, `size` Q in base units and funding F in quote money:
    side × Q × (X − EP) − f × Q × (EP + X) + F = 0, so X = (Q·EP·(side + f) − F) / (Q·(side − f)).
    Inverse, `size` V in USD and F in coin:
    side × V × (1/EP − 1/X) − f × V × (1/EP + 1/X) + F = 0, so
    X = V·(side + f) / (V·(side − f) / EP + F). Without funding both give EP·(1 ± f)/(1 ∓ f).
    None when no positive price pays the funding back (a short that paid more than its value).
    """
    s = side.sign
    if inverse:
        denominator = size * (s - fee_rate) / entry + funding
        price = ZERO if denominator == 0 else size * (s + fee_rate) / denominator
    else:
        price = (size * entry * (s + fee_rate) - funding) / (size * (s - fee_rate))
    return price if price > 0 else None


def others_in_cross(positions: Sequence[OpenPosition]) -> OthersInCross:
    """TMM and UPNL of a cross account's other positions, each at its mark price.

    Binance FAQ (USDⓈ-M liquidation price): TMM is the sum of the other positions'
    maintenance margins, notional at mark × MMR − maintenance amount; UPNL the sum of their
    unrealised PnL, side × Q × (mark − entry).
    """
    maintenance = sum((p.quantity * p.mark * p.mmr - p.cum for p in positions), ZERO)
    upnl = sum((p.side.sign * p.quantity * (p.mark - p.entry) for p in positions), ZERO)
    return OthersInCross(maintenance=maintenance, upnl=upnl)
