"""Instruments for engine tests, built by hand so a data-file update cannot move expectations."""

from __future__ import annotations

from decimal import Decimal as D

from chatbot.engine.models import Contract, ContractKind, Instrument, LiquidationModel, Tier

# Binance USDⓈ-M BTCUSDT brackets 1–3 as published by GET /fapi/v1/leverageBracket (snapshot in
# freqtrade's binance_leverage_tiers.json, 2024): cum_2 = 50,000 × (0.5% − 0.4%) = 50,
# cum_3 = 50 + 600,000 × (0.65% − 0.5%) = 950.
BINANCE_BTC_TIERS = (
    Tier(floor=D(0), cap=D(50_000), max_leverage=D(125), mmr=D("0.004"), cum=D(0)),
    Tier(floor=D(50_000), cap=D(600_000), max_leverage=D(100), mmr=D("0.005"), cum=D(50)),
    Tier(floor=D(600_000), cap=D(3_000_000), max_leverage=D(75), mmr=D("0.0065"), cum=D(950)),
)


def linear(
    liquidation: LiquidationModel = LiquidationModel.BINANCE_USDM,
    tiers: tuple[Tier, ...] = BINANCE_BTC_TIERS,
    contracts: dict[str, D] | None = None,
    step: D = D("0.001"),
) -> Instrument:
    """BTCUSDT with Binance's filters (step and minimum 0.001 BTC, minimum notional 5 USDT)."""
    return Instrument(
        venue="binance",
        venue_name="Binance USDⓈ-M",
        symbol="BTCUSDT",
        base="BTC",
        quote="USDT",
        inverse=False,
        liquidation=liquidation,
        qty_step=step,
        min_qty=step,
        tick=D("0.10"),
        min_notional=D(5),
        contracts=contracts or {},
        tiers=tiers,
        tiers_source="test",
        tiers_as_of="2024-09-27",
    )


def flat(mmr: str, cum: str = "0", max_leverage: int = 125) -> tuple[Tier, ...]:
    """One open-ended bracket, for published cases that state their MMR and maintenance amount."""
    return (Tier(floor=D(0), cap=None, max_leverage=D(max_leverage), mmr=D(mmr), cum=D(cum)),)


def inverse() -> Instrument:
    """Binance COIN-M BTCUSD perpetual: 100 USD a contract, first bracket 0.4% up to 5 BTC."""
    return Instrument(
        venue="binance_coinm",
        venue_name="Binance COIN-M",
        symbol="BTCUSD_PERP",
        base="BTC",
        quote="USD",
        inverse=True,
        liquidation=LiquidationModel.BINANCE_COINM,
        qty_step=D(1),
        min_qty=D(1),
        tick=D("0.1"),
        min_notional=D(0),
        contract_value=D(100),
        tiers=(Tier(floor=D(0), cap=D(5), max_leverage=D(125), mmr=D("0.004"), cum=D(0)),),
        tiers_in_coin=True,
        tiers_source="test",
        tiers_as_of="undated",
    )


def cme() -> Instrument:
    """CME Bitcoin futures: micro 0.1 BTC, standard 5 BTC, no exchange liquidation price."""
    return linear(
        liquidation=LiquidationModel.NONE,
        tiers=flat("0", max_leverage=200),
        contracts={"micro": D("0.1"), "standard": D(5)},
        step=D("0.1"),
    )


STEP = Contract(kind=ContractKind.STEP, size=D("0.001"))
COIN_CONTRACT = Contract(kind=ContractKind.STEP, size=D(100))


# Binance USDⓈ-M BTCUSDT bracket 4 as listed in ccxt/ccxt@0dca8ac0 (raw leverageBracket):
# 3,000,000 to 12,000,000 at 50x, MMR 1%; cum_4 = 950 + 3,000,000 × (1% − 0.65%) = 11,450.
BINANCE_BTC_TIERS_TO_12M = (
    *BINANCE_BTC_TIERS,
    Tier(floor=D(3_000_000), cap=D(12_000_000), max_leverage=D(50), mmr=D("0.01"), cum=D(11450)),
)


def okx(tiers: tuple[Tier, ...], contract_value: D = D("0.01"), fee: D = D("0.0005")) -> Instrument:
    """OKX BTC-USDT-SWAP: contracts of ctVal 0.01 BTC, sizes in whole contracts."""
    return Instrument(
        venue="okx",
        venue_name="OKX",
        symbol="BTC-USDT-SWAP",
        base="BTC",
        quote="USDT",
        inverse=False,
        liquidation=LiquidationModel.OKX_LINEAR,
        qty_step=contract_value,
        min_qty=contract_value,
        tick=D("0.1"),
        min_notional=D(0),
        contract_value=contract_value,
        tiers=tiers,
        tiers_source="test",
        tiers_as_of="undated",
        taker_fee=fee,
    )


def bybit_inverse(tiers: tuple[Tier, ...], fee: D = D("0.00055")) -> Instrument:
    """Bybit BTCUSD inverse perpetual: contracts of 1 USD, risk limits in BTC."""
    return Instrument(
        venue="bybit_inverse",
        venue_name="Bybit inverse",
        symbol="BTCUSD",
        base="BTC",
        quote="USD",
        inverse=True,
        liquidation=LiquidationModel.BYBIT_INVERSE,
        qty_step=D(1),
        min_qty=D(1),
        tick=D("0.5"),
        min_notional=D(0),
        contract_value=D(1),
        tiers=tiers,
        tiers_in_coin=True,
        tiers_source="test",
        tiers_as_of="undated",
        taker_fee=fee,
    )
