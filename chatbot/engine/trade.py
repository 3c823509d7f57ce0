"""Profit and loss, hedges and funding: the figures a member checks around a sized trade."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from chatbot.engine.models import (
    Frozen,
    FundingInput,
    FundingResult,
    HedgeInput,
    HedgeResult,
    PnlInput,
    PnlResult,
    Side,
    WarningCode,
)
from chatbot.engine.positions import break_even
from chatbot.engine.sizing import loss_per_base_unit, whole_units

ZERO = Decimal(0)
ONE = Decimal(1)
TEN_PERCENT = Decimal("0.1")
FULL_HEDGE = Decimal("0.95")


class _Legs(Frozen):
    """A closed trade in the asset it settles in (quote money, or coin for inverse contracts)."""

    gross: Decimal
    opening_fee: Decimal
    closing_fee: Decimal
    margin: Decimal | None


def _legs(data: PnlInput) -> _Legs:
    """Gross PnL, both fees and the initial margin, each in the settlement asset."""
    s, f, entry, exit_ = data.side.sign, data.fee_rate, data.entry, data.exit
    if data.instrument.inverse:
        value = data.quantity * data.contract.size
        return _Legs(
            gross=s * value * (ONE / entry - ONE / exit_),
            opening_fee=f * value / entry,
            closing_fee=f * value / exit_,
            margin=None if data.leverage is None else value / entry / data.leverage,
        )
    quantity = data.quantity
    return _Legs(
        gross=s * quantity * (exit_ - entry),
        opening_fee=f * quantity * entry,
        closing_fee=f * quantity * exit_,
        margin=None if data.leverage is None else quantity * entry / data.leverage,
    )


def profit_and_loss(data: PnlInput) -> PnlResult:
    """PnL = side × Q × (exit − EP) − opening fee − closing fee + funding received.

    Linear in quote money; inverse in coin, side × contracts × contract value × (1/EP − 1/exit),
    valued at the exit price. ROE is PnL over the initial margin, both in the settlement asset:
    `roe` before fees, as the venues display an open position, `net_roe` after fees and funding.
    """
    instrument = data.instrument
    legs = _legs(data)
    net_asset = legs.gross - legs.opening_fee - legs.closing_fee + data.funding
    if instrument.inverse:
        value_at = data.exit
        quantity = data.quantity * data.contract.size / data.entry
        contracts, notional = data.quantity, data.quantity * data.contract.size
        gross_coin: Decimal | None = legs.gross
        size = notional
    else:
        value_at = ONE
        quantity = data.quantity
        contracts, notional = quantity / data.contract.size, quantity * data.entry
        gross_coin = None
        size = quantity
    fees = (legs.opening_fee + legs.closing_fee) * value_at
    net = net_asset * value_at
    risk = None
    if data.stop is not None:
        risk = quantity * loss_per_base_unit(instrument, data.entry, data.stop, data.fee_rate)
    margin = legs.margin
    return PnlResult(
        instrument=instrument,
        contract=data.contract,
        side=data.side,
        entry=data.entry,
        exit=data.exit,
        quantity=quantity,
        contracts=contracts,
        notional=notional,
        gross=legs.gross * value_at,
        fees=fees,
        net=net,
        gross_coin=gross_coin,
        move_pct=data.side.sign * (data.exit - data.entry) / data.entry,
        risk_at_stop=risk,
        r_multiple=None if not risk else net / risk,
        opening_fee=legs.opening_fee * value_at,
        closing_fee=legs.closing_fee * value_at,
        funding=data.funding * value_at,
        break_even=break_even(
            data.side,
            data.entry,
            data.fee_rate,
            inverse=instrument.inverse,
            size=size,
            funding=data.funding,
        ),
        initial_margin=None
        if margin is None
        else margin * (data.entry if instrument.inverse else ONE),
        roe=None if not margin else legs.gross / margin,
        net_roe=None if not margin else net_asset / margin,
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
    """Funding for h hours = N × rate × h / interval; longs pay a positive rate, shorts receive.

    Coin-margined contracts settle funding in coin on the position's value at the mark price
    (Binance FAQ "Introduction to Binance Futures Funding Rates": for coin-margined contracts
    the nominal value is contract multiplier × contracts / mark price), so with a mark the
    amount is given in coin as well.
    """
    intervals = data.hours / data.interval_hours
    signed = data.notional * data.rate * intervals
    pays = signed > 0 if data.side is Side.LONG else signed < 0
    coin = None
    if data.instrument.inverse and data.mark is not None:
        coin = abs(signed) / data.mark
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
        amount_coin=coin,
    )
