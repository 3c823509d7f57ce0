"""Liquidation of one position: accepted by the venue's rules first, then priced by its formula.

A liquidation price is only ever given for a position the venue would hold, and always on the
losing side of the entry: a position too large for its leverage, larger than the venue takes,
or whose margin is already below its maintenance margin gets a refusal with the limit instead.
"""

from __future__ import annotations

from decimal import Decimal

from chatbot.engine.formulas import (
    binance_coinm,
    binance_usdm,
    bybit_inverse,
    bybit_linear,
    okx_linear,
)
from chatbot.engine.models import (
    EngineError,
    Instrument,
    LiqInput,
    LiqResult,
    Liquidation,
    LiquidationModel,
    MarginMode,
    OthersInCross,
    Refusal,
    Side,
    Tier,
    WarningCode,
)
from chatbot.engine.tiers import effective_tiers, tier_for, venue_refusal

__all__ = [
    "binance_coinm",
    "binance_usdm",
    "bybit_inverse",
    "bybit_linear",
    "cross_wallet",
    "effective_tiers",
    "inverse_contract_value",
    "liquidate",
    "liquidation_check",
    "maintenance_at_entry",
    "okx_linear",
    "tier_for",
]

ZERO = Decimal(0)
ONE = Decimal(1)
FEE_FORMS = frozenset({LiquidationModel.OKX_LINEAR, LiquidationModel.BYBIT_INVERSE})


def bracket_notional(instrument: Instrument, quantity: Decimal, price: Decimal) -> Decimal:
    """The position measured as the tier table measures it: quote value, or coin."""
    if instrument.tiers_in_coin:
        return quantity
    return quantity * price


def maintenance_at_entry(
    instrument: Instrument, tier: Tier, quantity: Decimal, entry: Decimal
) -> Decimal:
    """Position value at entry × MMR − maintenance amount, in quote money, never below zero.

    The rate applies to the value in the margin asset (quote money, or coin for inverse
    contracts, whose maintenance amount is in coin too); coin is valued at the entry price.
    """
    value = quantity if instrument.inverse else quantity * entry
    maintenance = value * tier.mmr - tier.cum
    return max(maintenance * entry if instrument.inverse else maintenance, ZERO)


def cross_wallet(account: Decimal, others: OthersInCross) -> Decimal:
    """Binance's WB − TMM + UPNL: what the account has left for this position in cross mode."""
    return account - others.maintenance + others.upnl


def inverse_contract_value(instrument: Instrument) -> Decimal:
    """USD per contract of an inverse instrument; a missing one cannot be guessed."""
    if instrument.contract_value is None:
        raise EngineError("contract_value_unknown", symbol=instrument.symbol)
    return instrument.contract_value


def _fee(instrument: Instrument, fee_rate: Decimal | None) -> Decimal:
    """The taker fee the OKX and Bybit inverse forms need: the member's, else the venue's."""
    if fee_rate is not None:
        return fee_rate
    if instrument.liquidation in FEE_FORMS and instrument.taker_fee is None:
        raise EngineError("taker_fee_unknown", symbol=instrument.symbol)
    return instrument.taker_fee or ZERO


def _price(
    instrument: Instrument,
    tiers: tuple[Tier, ...],
    side: Side,
    quantity: Decimal,
    entry: Decimal,
    wallet: Decimal,
    fee: Decimal,
    margin: Decimal,
) -> tuple[Decimal, Tier]:
    """The venue's own formula; `margin` is the initial margin within `wallet` (Bybit inverse)."""
    model, in_coin = instrument.liquidation, instrument.tiers_in_coin
    if model is LiquidationModel.BINANCE_COINM:
        return binance_coinm(tiers, side, quantity * entry, entry, wallet / entry, in_coin=in_coin)
    if model is LiquidationModel.BYBIT_INVERSE:
        extra = (wallet - margin) / entry
        return bybit_inverse(
            tiers, side, quantity * entry, entry, margin / entry, extra, fee, in_coin=in_coin
        )
    if model is LiquidationModel.BYBIT_LINEAR:
        return bybit_linear(tiers, side, quantity, entry, wallet)
    if model is LiquidationModel.OKX_LINEAR:
        return okx_linear(tiers, side, quantity, entry, wallet, fee, in_coin=in_coin)
    return binance_usdm(tiers, side, quantity, entry, wallet, in_coin=in_coin)


def _pinned(entry_tier: Tier) -> tuple[Tier, ...]:
    """A member who states the rate or amount states the tier: no recheck moves away from it."""
    return (entry_tier.model_copy(update={"floor": ZERO, "cap": None}),)


def liquidate(
    instrument: Instrument,
    side: Side,
    quantity: Decimal,
    entry: Decimal,
    wallet: Decimal,
    mmr_override: Decimal | None = None,
    *,
    mm_override: Decimal | None = None,
    leverage: Decimal | None = None,
    fee_rate: Decimal | None = None,
) -> Liquidation:
    """Liquidation of `quantity` base units entered at `entry`, backed by `wallet` (quote/USD).

    With `leverage` the venue's leverage limits are checked as well as its largest position.
    The maintenance margin is reported at entry, in quote currency, from the tier the
    liquidation price comes from, so the rate and the amount shown belong together.
    """
    tiers = effective_tiers(instrument, mmr_override, mm_override)
    notional = bracket_notional(instrument, quantity, entry)
    if instrument.liquidation is LiquidationModel.NONE or quantity <= 0:
        tier = tier_for(tiers, notional)
        maintenance = maintenance_at_entry(instrument, tier, quantity, entry)
        return Liquidation(price=None, tier=None, maintenance_margin=maintenance)
    refusal = venue_refusal(tiers, notional, leverage)
    if refusal is not None:
        return Liquidation(price=None, tier=None, maintenance_margin=None, refusal=refusal)
    entry_tier = tier_for(tiers, notional)
    overridden = mmr_override is not None or mm_override is not None
    pricing = _pinned(entry_tier) if overridden else tiers
    margin = wallet if leverage is None else quantity * entry / leverage
    fee = _fee(instrument, fee_rate)
    price, used = _price(instrument, pricing, side, quantity, entry, wallet, fee, margin)
    tier = entry_tier if overridden else used
    return _judged(
        price, tier, side, entry, maintenance_at_entry(instrument, tier, quantity, entry)
    )


def _judged(
    price: Decimal, tier: Tier, side: Side, entry: Decimal, maintenance: Decimal
) -> Liquidation:
    """A price on the losing side, cover where no move liquidates, else liquidated at once."""
    if price <= 0:
        covered_price = ZERO if side is Side.LONG else None
        return Liquidation(
            price=covered_price, tier=tier, maintenance_margin=maintenance, covered=True
        )
    if side.sign * (price - entry) >= 0:
        refusal = Refusal(code=WarningCode.MARGIN_BELOW_MAINTENANCE)
        return Liquidation(price=None, tier=tier, maintenance_margin=maintenance, refusal=refusal)
    return Liquidation(price=price, tier=tier, maintenance_margin=maintenance)


def liquidation_check(data: LiqInput) -> LiqResult:
    """The liquidation price alone, for `/liq`: isolated risks the margin, cross the account.

    For inverse instruments `quantity` counts contracts of the instrument's contract value
    (USD), as in `/pnl`; the result states both the contracts and the coin they hold at entry.
    """
    instrument = data.instrument
    contracts: Decimal | None
    if instrument.inverse:
        contracts = data.quantity
        notional = contracts * inverse_contract_value(instrument)
        quantity = notional / data.entry
    else:
        quantity = data.quantity
        notional = quantity * data.entry
        value = instrument.contract_value
        contracts = None if value is None else quantity / value
    margin = notional / data.leverage
    wallet = margin
    if data.margin_mode is MarginMode.CROSS and data.account is not None:
        wallet = cross_wallet(data.account, data.others)
    liquidation = liquidate(
        instrument,
        data.side,
        quantity,
        data.entry,
        wallet,
        data.mmr_override,
        mm_override=data.mm_override,
        leverage=data.leverage,
        fee_rate=data.fee_rate,
    )
    price = liquidation.price
    refusal = liquidation.refusal
    return LiqResult(
        instrument=instrument,
        entry=data.entry,
        leverage=data.leverage,
        side=data.side,
        margin_mode=data.margin_mode,
        quantity=quantity,
        notional=notional,
        initial_margin=margin,
        wallet_balance=wallet,
        maintenance_margin=liquidation.maintenance_margin,
        liquidation_price=price,
        liquidation_distance_pct=None if price is None else abs(data.entry - price) / data.entry,
        tier=liquidation.tier,
        warnings=_liq_warnings(data, refusal),
        contracts=contracts,
        liquidation_covered=liquidation.covered,
        tier_max_leverage=None if refusal is None else refusal.tier_max_leverage,
        venue_max_notional=None if refusal is None else refusal.venue_max_notional,
    )


def _liq_warnings(data: LiqInput, refusal: Refusal | None) -> tuple[WarningCode, ...]:
    """The refusal first (it replaces the price), then what the venue and mode imply."""
    warnings: list[WarningCode] = []
    if refusal is not None:
        warnings.append(refusal.code)
    if data.instrument.liquidation is LiquidationModel.NONE:
        warnings.append(WarningCode.NO_EXCHANGE_LIQUIDATION)
    if data.margin_mode is MarginMode.CROSS:
        warnings.append(WarningCode.CROSS_WHOLE_ACCOUNT)
    return tuple(warnings)
