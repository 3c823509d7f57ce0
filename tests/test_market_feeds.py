"""Reading the venues' figures: scaled contracts, units, tier tables, which markets count."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatbot.engine.models import Instrument, LiquidationModel, Tier
from chatbot.markets.feeds import (
    FEEDS,
    MarketDataError,
    TierTable,
    decimal,
    instrument,
    is_listed,
    kept_tables,
    tier_table,
)
from chatbot.markets.models import VenueSnapshot
from chatbot.markets.symbols import split_scale

COINS = st.from_regex(r"[A-Z][A-Z0-9]{0,8}[A-Z]", fullmatch=True)
SCALES = st.sampled_from([1000, 10000, 100000, 1000000, 10000000])


@given(COINS, SCALES)
def test_prefixed_scale_is_recognized(coin: str, scale: int) -> None:
    """1000PEPE is 1,000 PEPE, 10000LADYS 10,000 LADYS: the venues' prefix form."""
    assert split_scale(f"{scale}{coin}") == (coin, Decimal(scale))


@given(COINS, SCALES)
def test_suffixed_scale_is_recognized(coin: str, scale: int) -> None:
    """Bybit's SHIB1000 is 1,000 SHIB."""
    assert split_scale(f"{coin}{scale}") == (coin, Decimal(scale))


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("1MBABYDOGE", ("BABYDOGE", Decimal(1_000_000))),  # Binance's 1MBABYDOGEUSDT
        ("1000PEPE", ("PEPE", Decimal(1000))),
        ("1INCH", ("1INCH", Decimal(1))),  # a coin whose name starts with 1
        ("BTC", ("BTC", Decimal(1))),
        ("C98", ("C98", Decimal(1))),
        ("100X", ("100X", Decimal(1))),  # 100 is not a venue multiple
    ],
)
def test_scaled_coin_cases(base: str, expected: tuple[str, Decimal]) -> None:
    """Only 1 followed by three or more zeros (or 1M) is a multiple; other digits are names."""
    assert split_scale(base) == expected


def test_float_figures_become_plain_decimals() -> None:
    """ccxt hands JSON numbers over as floats: 100.0 is 100 and 0.0065 stays 0.0065."""
    assert str(decimal(100.0)) == "100"
    assert decimal(0.0065) == Decimal("0.0065")
    assert decimal("") is None
    with pytest.raises(MarketDataError):
        decimal(float("nan"))


def _rows(*caps_mmr_lev: tuple[float, float, float]) -> list[dict[str, Any]]:
    return [
        {"maxNotional": cap, "maintenanceMarginRate": mmr, "maxLeverage": lev, "info": {}}
        for cap, mmr, lev in caps_mmr_lev
    ]


def test_okx_tiers_in_contracts_become_coins() -> None:
    """OKX tiers of 0-2,000 and 2,001-12,000 contracts of 0.01 BTC are 0-20 and 20-120 BTC
    (2,000 × 0.01 = 20; 12,000 × 0.01 = 120): each floor is the previous cap."""
    table = tier_table(
        _rows((2000, 0.004, 100), (12000, 0.006, 75)), FEEDS["okx"], Decimal("0.01"), "s", "d"
    )
    assert [(t.floor, t.cap) for t in table.tiers] == [
        (Decimal(0), Decimal(20)),
        (Decimal(20), Decimal(120)),
    ]


def test_binance_cum_and_bybit_deduction_are_the_maintenance_amount() -> None:
    """Binance's `cum` and Bybit's `mmDeduction` both land in the tier's maintenance amount."""
    rows = _rows((50000, 0.004, 125), (600000, 0.005, 100))
    rows[1]["info"] = {"cum": 50.0}
    binance = tier_table(rows, FEEDS["binance"], Decimal(1), "s", "d")
    rows[1]["info"] = {"mmDeduction": "10000"}
    bybit = tier_table(rows, FEEDS["bybit"], Decimal(1), "s", "d")
    assert binance.tiers[1].cum == Decimal(50)
    assert bybit.tiers[1].cum == Decimal(10000)
    assert bybit.tiers[0].cum == 0


@pytest.mark.parametrize(
    "rows",
    [
        [],
        _rows((50000, 1.5, 125)),  # an MMR of 150% is no rate
        _rows((50000, 0.004, 0)),
        _rows((50000, 0.004, 125), (40000, 0.005, 100)),  # caps must rise
    ],
)
def test_implausible_tier_tables_are_refused(rows: list[dict[str, Any]]) -> None:
    """A table the engine could not use fails the venue instead of entering the catalog."""
    with pytest.raises(MarketDataError):
        tier_table(rows, FEEDS["binance"], Decimal(1), "s", "d")


def _market(**changes: Any) -> dict[str, Any]:
    market: dict[str, Any] = {
        "id": "BTCUSDT",
        "base": "BTC",
        "quote": "USDT",
        "settle": "USDT",
        "swap": True,
        "future": False,
        "active": True,
        "linear": True,
        "inverse": False,
        "contractSize": 1.0,
        "precision": {"amount": 0.001, "price": 0.1},
        "limits": {"amount": {"min": 0.001}, "cost": {"min": None}, "leverage": {"max": 100}},
        "info": {"lotSizeFilter": {"minNotionalValue": "5"}},
    }
    market.update(changes)
    return market


@pytest.mark.parametrize(
    ("changes", "listed"),
    [
        ({}, True),
        ({"swap": False, "future": True}, False),  # a delivery future
        ({"active": False}, False),  # settling, closed or pre-launch
        ({"settle": "USDC"}, False),  # another venue table, not the USDT one
        ({"linear": False, "inverse": True, "settle": "BTC"}, False),
    ],
)
def test_only_trading_usdt_perpetuals_count_on_linear_venues(
    changes: dict[str, Any], listed: bool
) -> None:
    """Delivery futures, inactive markets and other margin assets are left out."""
    assert is_listed(_market(**changes), FEEDS["bybit"]) is listed


def test_bybit_minimum_notional_comes_from_its_lot_filter() -> None:
    """ccxt leaves Bybit's minNotionalValue out of its cost limit; the venue's 5 USDT stays."""
    table = TierTable(
        tiers=(Tier(floor=0, cap=None, max_leverage=100, mmr=Decimal("0.005"), cum=0),),
        source="s",
        as_of="d",
    )
    made = instrument(_market(), FEEDS["bybit"], table, "f", "2025-06-01")
    assert made.min_notional == Decimal(5)
    assert made.liquidation is LiquidationModel.BYBIT_LINEAR
    assert made.contract_value is None


def _with_tiers(symbol: str, as_of: str, mmr: str) -> Instrument:
    tier = Tier(floor=0, cap=None, max_leverage=20, mmr=Decimal(mmr), cum=0)
    return instrument(
        _market(id=symbol),
        FEEDS["binance"],
        TierTable(tiers=(tier,), source=f"table of {as_of}", as_of=as_of),
        "f",
        as_of,
    )


def test_the_newest_kept_table_wins() -> None:
    """Between a shipped table of 2024-10-24 and a stored one of 2025-06-01, the stored one."""
    now = datetime(2025, 6, 1, tzinfo=UTC)
    shipped = VenueSnapshot(
        venue="binance",
        source="s",
        as_of=now,
        instruments=(_with_tiers("X", "2024-10-24", "0.01"),),
    )
    stored = VenueSnapshot(
        venue="binance",
        source="s",
        as_of=now,
        instruments=(_with_tiers("X", "2025-06-01", "0.02"),),
    )
    for order in ([shipped, stored], [stored, shipped]):
        kept = kept_tables(order)
        assert kept["X"].as_of == "2025-06-01"
        assert kept["X"].tiers[0].mmr == Decimal("0.02")
