"""Profit and loss, hedges and funding: the figures a member checks around a sized trade."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from chatbot.engine.models import (
    FundingInput,
    FundingResult,
    HedgeInput,
    HedgeResult,
    PnlInput,
    PnlResult,
    Side,
    WarningCode,
)
from chatbot.engine.sizing import loss_per_base_unit, whole_units

ZERO = Decimal(0)
ONE = Decimal(1)
TEN_PERCENT = Decimal("0.1")
FULL_HEDGE = Decimal("0.95")


def profit_and_loss(data: PnlInput) -> PnlResult:
    """PnL = side × Q × (exit − EP) − fees (linear); inverse in coin, valued at the exit price.

    Inverse: PnL(coin) = side × contracts × contract value × (1/EP − 1/exit), domain.md.
    """
    instrument, s = data.instrument, data.side.sign
    if instrument.inverse:
        value = data.quantity * data.contract.size
        gross_coin = s * value * (ONE / data.entry - ONE / data.exit)
        fees_coin = data.fee_rate * value * (ONE / data.entry + ONE / data.exit)
        gross, fees = gross_coin * data.exit, fees_coin * data.exit
        quantity, contracts, notional = value / data.entry, data.quantity, value
    else:
        gross_coin = None
        quantity = data.quantity
        gross = s * quantity * (data.exit - data.entry)
        fees = data.fee_rate * quantity * (data.entry + data.exit)
        contracts = quantity / data.contract.size
        notional = quantity * data.entry
    net = gross - fees
    risk = None
    if data.stop is not None:
        risk = quantity * loss_per_base_unit(instrument, data.entry, data.stop, data.fee_rate)
    return PnlResult(
        instrument=instrument,
        contract=data.contract,
        side=data.side,
        entry=data.entry,
        exit=data.exit,
        quantity=quantity,
        contracts=contracts,
        notional=notional,
        gross=gross,
        fees=fees,
        net=net,
        gross_coin=gross_coin,
        move_pct=s * (data.exit - data.entry) / data.entry,
        risk_at_stop=risk,
        r_multiple=None if not risk else net / risk,
    )


def hedge(data: HedgeInput) -> HedgeResult:
    """Contracts to short against a spot holding, with the ratio actually reached.

    Rounded to the nearest whole contract: a hedge is about matching exposure, and the reply
    states the ratio that rounding leaves so nobody mistakes a 10% hedge for a full one.
    """
    target = data.spot_value * data.ratio
    unit_value: Decimal | None
    if data.instrument.inverse:
        unit_value = data.contract.size
    elif data.price is not None:
        unit_value = data.contract.size * data.price
    else:
        unit_value = None
    quantity = contracts = hedged = actual = gain = None
    warnings: tuple[WarningCode, ...] = ()
    if unit_value is not None:
        contracts = whole_units(target, unit_value, ROUND_HALF_UP)
        hedged = contracts * unit_value
        if not data.instrument.inverse:
            quantity = contracts * data.contract.size
        elif data.price is not None:
            quantity = hedged / data.price
        actual = hedged / data.spot_value
        gain = hedged * TEN_PERCENT
        if actual < FULL_HEDGE:
            warnings = (WarningCode.PARTIAL_HEDGE,)
    return HedgeResult(
        instrument=data.instrument,
        contract=data.contract,
        spot_value=data.spot_value,
        ratio=data.ratio,
        price=data.price,
        hedge_notional=target,
        quantity=quantity,
        contracts=contracts,
        hedged_notional=hedged,
        actual_ratio=actual,
        gain_on_ten_pct_drop=gain,
        warnings=warnings,
    )


def funding(data: FundingInput) -> FundingResult:
    """Funding for h hours = N × rate × h / interval; longs pay a positive rate, shorts receive."""
    intervals = data.hours / data.interval_hours
    signed = data.notional * data.rate * intervals
    pays = signed > 0 if data.side is Side.LONG else signed < 0
    return FundingResult(
        instrument=data.instrument,
        side=data.side,
        notional=data.notional,
        rate=data.rate,
        hours=data.hours,
        interval_hours=data.interval_hours,
        intervals=intervals,
        amount=abs(signed),
        pays=pays,
    )
