"""Position sizing from a risk budget, fees inside the budget, rounded so the loss never exceeds it.

A beginner's calculator that leaves fees outside the budget loses 11.44 on a budget of 10; here
the fee of both legs is part of the loss per unit before the size is chosen, and every rounding
goes down.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from chatbot.engine.liquidation import (
    cross_wallet,
    effective_tiers,
    inverse_contract_value,
    liquidate,
)
from chatbot.engine.models import (
    Contract,
    EngineError,
    Instrument,
    LiquidationModel,
    MarginMode,
    Side,
    SizeCap,
    SizeInput,
    SizeResult,
    WarningCode,
)
from chatbot.engine.tiers import max_notional_for_leverage

__all__ = [
    "contracts_for_coin",
    "loss_per_base_unit",
    "max_notional_for_leverage",
    "side_of",
    "size_position",
    "size_warnings",
    "unit_in_base",
    "whole_units",
]

ZERO = Decimal(0)
ONE = Decimal(1)


def side_of(entry: Decimal, stop: Decimal) -> Side:
    """A stop below the entry protects a long; above it, a short."""
    return Side.LONG if stop < entry else Side.SHORT


def whole_units(value: Decimal, unit: Decimal, rounding: str = ROUND_FLOOR) -> Decimal:
    """How many whole `unit`s fit in `value` (down by default: sizes never round up)."""
    return (value / unit).to_integral_value(rounding=rounding)


def unit_in_base(instrument: Instrument, contract: Contract, entry: Decimal) -> Decimal:
    """Base units one contract holds at `entry`: fixed for linear, USD value / price for inverse.

    A linear venue that counts contracts (OKX: `ctVal` base units each) trades them in lots
    (`lotSz`, which may be a fraction of a contract: the quantity step in base units), so a
    unit that is not a whole number of lots cannot be ordered.
    """
    if instrument.inverse:
        return contract.size / entry
    if instrument.contract_value is not None and contract.size % instrument.qty_step != 0:
        raise EngineError("contract_not_whole", unit=instrument.qty_step, size=contract.size)
    return contract.size


def contracts_for_coin(instrument: Instrument, coin: Decimal, price: Decimal) -> Decimal:
    """Whole inverse contracts a coin amount buys at `price`, rounded down like every size.

    Inverse contracts are counted in USD, so a member who gives coin gets the contracts that
    fit in its dollar value; the reply then names the contracts it used.
    """
    return whole_units(coin * price, inverse_contract_value(instrument))


def loss_per_base_unit(
    instrument: Instrument, entry: Decimal, exit_: Decimal, fee: Decimal
) -> Decimal:
    """Loss of one base unit from `entry` to `exit_`, both taker fees included, in quote money.

    Inverse contracts lose coin: N × |1/EP − 1/X| plus fees N/EP·f and N/X·f, here per unit of
    N/EP and valued at the entry price so that budget and loss are compared in one currency.
    """
    move = abs(entry - exit_)
    if instrument.inverse:
        return entry * (move / exit_ + fee * (ONE + entry / exit_))
    return move + fee * (entry + exit_)


def _caps(data: SizeInput, budget: Decimal, per_unit: Decimal) -> dict[SizeCap, Decimal]:
    """The three ceilings on the base quantity: risk, postable margin, venue leverage bracket.

    The venue's brackets cap the size whatever rate or amount the member overrides, so a sized
    position is always one the venue accepts at the chosen leverage.
    """
    caps = {
        SizeCap.RISK: budget / per_unit,
        SizeCap.MARGIN: data.account / (data.entry * (ONE / data.leverage + data.fee_rate)),
    }
    tiers = effective_tiers(data.instrument, data.mmr_override, data.mm_override)
    venue_cap = max_notional_for_leverage(tiers, data.leverage)
    if venue_cap is not None:
        in_coin = data.instrument.tiers_in_coin
        caps[SizeCap.VENUE_LEVERAGE] = venue_cap if in_coin else venue_cap / data.entry
    return caps


def size_position(data: SizeInput) -> SizeResult:
    """Size the trade, then describe it: margin, liquidation, fees, R and warnings."""
    instrument, entry, stop = data.instrument, data.entry, data.stop
    side = side_of(entry, stop)
    budget = data.risk.budget(data.account)
    per_unit = loss_per_base_unit(instrument, entry, stop, data.fee_rate)
    caps = _caps(data, budget, per_unit)
    size_cap = min(caps, key=lambda cap: caps[cap])
    unit = unit_in_base(instrument, data.contract, entry)
    contracts = whole_units(caps[size_cap], unit)
    min_contracts = _min_contracts(instrument, unit)
    if contracts < min_contracts:
        contracts = ZERO
    quantity = contracts * unit
    notional = quantity * entry
    wallet = notional / data.leverage
    if data.margin_mode is MarginMode.CROSS:
        wallet = cross_wallet(data.account, data.others)
    liquidation = liquidate(
        instrument,
        side,
        quantity,
        entry,
        wallet,
        data.mmr_override,
        mm_override=data.mm_override,
        leverage=data.leverage,
        fee_rate=data.fee_rate,
    )
    # `_caps` keeps the size within the venue's brackets, so a bracket always holds it.
    assert liquidation.maintenance_margin is not None
    loss = quantity * per_unit
    fees = loss - quantity * loss_per_base_unit(instrument, entry, stop, ZERO)
    reward = _reward(data, quantity)
    result = SizeResult(
        instrument=instrument,
        contract=data.contract,
        side=side,
        entry=entry,
        stop=stop,
        target=data.target,
        margin_mode=data.margin_mode,
        account=data.account,
        leverage=data.leverage,
        fee_rate=data.fee_rate,
        stop_distance=abs(entry - stop),
        stop_distance_pct=abs(entry - stop) / entry,
        loss_per_unit=per_unit,
        risk_budget=budget,
        risk_fraction=budget / data.account,
        quantity=quantity,
        contracts=contracts,
        notional=notional,
        initial_margin=notional / data.leverage,
        maintenance_margin=liquidation.maintenance_margin,
        effective_leverage=notional / data.account,
        fees=fees,
        loss_at_stop=loss,
        loss_at_stop_pct=loss / data.account,
        min_size_loss=min_contracts * unit * per_unit,
        size_cap=size_cap,
        liquidation_price=liquidation.price,
        liquidation_distance_pct=(
            None if liquidation.price is None else abs(entry - liquidation.price) / entry
        ),
        stop_to_liquidation=(
            None if liquidation.price is None else side.sign * (stop - liquidation.price)
        ),
        tier=liquidation.tier,
        reward_at_target=reward,
        r_multiple=None if reward is None or loss == 0 else reward / loss,
        warnings=(),
        liquidation_covered=liquidation.covered,
    )
    refused = () if liquidation.refusal is None else (liquidation.refusal.code,)
    return result.model_copy(update={"warnings": refused + size_warnings(data, result)})


def _min_contracts(instrument: Instrument, unit: Decimal) -> Decimal:
    """The smallest order in contracts (inverse venues state it in contracts, linear in base)."""
    if instrument.inverse:
        return max(instrument.min_qty, ONE)
    return max(whole_units(instrument.min_qty, unit, ROUND_CEILING), ONE)


def _reward(data: SizeInput, quantity: Decimal) -> Decimal | None:
    """Profit at the target after both fees (a loss per unit with the sign turned)."""
    if data.target is None:
        return None
    move = quantity * loss_per_base_unit(data.instrument, data.entry, data.target, ZERO)
    with_fees = quantity * loss_per_base_unit(
        data.instrument, data.entry, data.target, data.fee_rate
    )
    return move - (with_fees - move)


def size_warnings(data: SizeInput, result: SizeResult) -> tuple[WarningCode, ...]:
    """Plain-words dangers, in the order the reply should show them."""
    rules = data.rules
    found: list[WarningCode] = []
    gap = result.stop_to_liquidation
    if gap is not None and gap <= 0 and result.quantity > 0:
        found.append(WarningCode.LIQUIDATION_BEFORE_STOP)
    if data.instrument.liquidation is LiquidationModel.NONE:
        found.append(WarningCode.NO_EXCHANGE_LIQUIDATION)
    if result.risk_fraction > rules.max_risk:
        found.append(WarningCode.RISK_ABOVE_RULE)
    if data.leverage > rules.max_leverage:
        found.append(WarningCode.LEVERAGE_ABOVE_LIMIT)
    if result.quantity == 0:
        too_big_for = result.size_cap is SizeCap.RISK
        found.append(
            WarningCode.MIN_SIZE_EXCEEDS_RISK
            if too_big_for
            else WarningCode.MIN_SIZE_EXCEEDS_MARGIN
        )
    elif result.notional < data.instrument.min_notional:
        found.append(WarningCode.BELOW_MIN_NOTIONAL)
    if result.loss_at_stop > 0 and result.fees >= rules.fees_share_warning * result.loss_at_stop:
        found.append(WarningCode.FEES_LARGE_VS_STOP)
    if data.margin_mode is MarginMode.CROSS:
        found.append(WarningCode.CROSS_WHOLE_ACCOUNT)
    return tuple(found)
