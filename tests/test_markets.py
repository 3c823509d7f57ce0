"""The shipped market snapshots: complete, well-formed, sourced; the worked example unchanged."""

from __future__ import annotations

import re
from decimal import Decimal as D
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatbot.engine.models import (
    Contract,
    ContractKind,
    Instrument,
    LiquidationModel,
    Risk,
    SizeInput,
    Tier,
)
from chatbot.engine.sizing import size_position
from chatbot.markets import catalog
from chatbot.markets.models import PLACEHOLDER_STEP
from chatbot.markets.shipped import encode, shipped
from chatbot.markets.symbols import readings, split_scale
from chatbot.markets.venues import VENUE_KEYS, VENUES

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def binance() -> tuple[Instrument, ...]:
    return shipped("binance").instruments


def test_binance_ships_at_least_300_perpetuals_each_with_a_dated_tier_table() -> None:
    """Offline, every Binance USDⓈ-M perpetual has its bracket table and the table's date."""
    items = binance()
    assert len(items) >= 300
    for item in items:
        assert item.tiers, item.symbol
        assert DATE.match(item.tiers_as_of), item.symbol
        assert "3d9514d2" in item.tiers_source and item.quote == "USDT"


@pytest.mark.parametrize("item", binance(), ids=lambda item: item.symbol)
def test_binance_tier_table_is_well_formed(item: Instrument) -> None:
    """Floors start at 0 and ascend, each cap is the next floor, and cum follows Binance's rule.

    Binance's bracket docs define the maintenance amount so that the maintenance margin is
    continuous at each floor: cum_n = cum_(n-1) + floor_n × (mmr_n − mmr_(n-1)), cum_1 = 0.
    """
    tiers = item.tiers
    assert tiers[0].floor == 0 and tiers[0].cum == 0
    for before, after in pairwise(tiers):
        assert before.cap == after.floor and before.floor < after.floor
        assert after.cum == before.cum + after.floor * (after.mmr - before.mmr)
        assert after.mmr >= before.mmr and after.max_leverage <= before.max_leverage
    assert tiers[-1].cap is not None and tiers[-1].cap > tiers[-1].floor


def test_btcusdt_matches_the_published_brackets_and_filters() -> None:
    """BTCUSDT: step 0.001, tick 0.10, minimum 5 USDT; first bracket 125x, MMR 0.4%, cum 0.

    Second bracket by the cum rule: 0 + 50,000 × (0.005 − 0.004) = 50.
    """
    btc = catalog.resolve("binance", "BTC")
    assert (btc.qty_step, btc.min_qty, btc.tick, btc.min_notional) == (
        D("0.001"),
        D("0.001"),
        D("0.10"),
        D(5),
    )
    assert btc.filters_known and btc.filters_as_of == "2023-12-29"
    assert btc.tiers[0] == Tier(
        floor=D(0), cap=D(50000), max_leverage=D(125), mmr=D("0.004"), cum=D(0)
    )
    assert btc.tiers[1].cum == D(50) and btc.max_leverage == D(125)
    assert btc.tiers_as_of == "2024-10-24"


def test_worked_example_is_unchanged_with_the_shipped_btcusdt() -> None:
    """/size BTC 72000 stop 71500 acct 1000 lev 20: 0.017 BTC, margin 61.20, liquidation 68674.70.

    By hand: budget 10; loss per BTC 500 + 0.0005 × 143,500 = 571.75; 10 / 571.75 = 0.01749 → 0.017;
    notional 1,224, margin 1,224 / 20 = 61.20; LP = (61.2 − 1,224) / (0.017 × 0.004 − 0.017)
    = 68,674.698…
    """
    btc = catalog.resolve("binance", "BTC")
    result = size_position(
        SizeInput(
            instrument=btc,
            contract=Contract(kind=ContractKind.STEP, size=btc.qty_step),
            entry=D(72000),
            stop=D(71500),
            account=D(1000),
            leverage=D(20),
            risk=Risk(fraction=D("0.01")),
            fee_rate=catalog.venue("binance").taker_fee or D(0),
        )
    )
    assert result.quantity == D("0.017")
    assert result.initial_margin == D("61.20")
    assert result.liquidation_price is not None
    assert result.liquidation_price.quantize(D("0.01")) == D("68674.70")


def test_instruments_without_dated_filters_are_flagged_with_the_finest_placeholder() -> None:
    """No dated source gives 1000PEPEUSDT's filters: flagged, finest step, no minimum notional."""
    pepe = catalog.resolve("binance", "PEPE")
    assert not pepe.filters_known
    assert pepe.qty_step == pepe.min_qty == pepe.tick == PLACEHOLDER_STEP
    assert pepe.min_notional == 0 and "not known offline" in pepe.filters_source
    assert sum(item.filters_known for item in binance()) == 7


def test_every_instrument_carries_its_venue_and_a_source() -> None:
    """Each instrument has its venue's name, form and kind, and says where its figures are from."""
    for venue in VENUES:
        snapshot = shipped(venue.key)
        assert snapshot.venue == venue.key and snapshot.source
        for item in snapshot.instruments:
            assert (item.venue, item.venue_name) == (venue.key, venue.name)
            assert (item.liquidation, item.inverse) == (venue.liquidation, venue.inverse)
            assert item.tiers_source and item.filters_source
            assert item.filters_known == bool(item.filters_as_of)


def test_okx_sizes_convert_contracts_to_coins() -> None:
    """OKX BTC-USDT-SWAP: ctVal 0.01 BTC, lotSz and minSz 0.1 contract: step 0.1 × 0.01 BTC."""
    btc = catalog.resolve("okx", "BTC")
    assert btc.symbol == "BTC-USDT-SWAP" and btc.liquidation is LiquidationModel.OKX_LINEAR
    assert (btc.contract_value, btc.qty_step, btc.min_qty) == (D("0.01"), D("0.001"), D("0.001"))
    assert btc.tiers == () and "not known offline" in btc.tiers_source


def test_static_venues_keep_their_cited_figures() -> None:
    """COIN-M BTC: 100 USD a contract, first bracket only (5 BTC); CME micro 0.1 BTC, standard 5."""
    coinm = catalog.resolve("binance_coinm", "BTC")
    assert coinm.contract_value == D(100) and coinm.tiers_in_coin
    assert coinm.tiers == (
        Tier(floor=D(0), cap=D(5), max_leverage=D(125), mmr=D("0.004"), cum=D(0)),
    )
    cme = catalog.resolve("cme", "BTC")
    assert cme.symbol == "MBT" and cme.contracts == {"micro": D("0.1"), "standard": D(5)}
    assert catalog.venue("cme").taker_fee is None


def test_bybit_base_tier_takes_each_instruments_own_maximum_leverage() -> None:
    """Bybit lists XRPUSDT at 75x at most (leverageFilter), so its base tier is 75x, MMR 0.5%."""
    xrp = catalog.resolve("bybit", "XRP")
    assert xrp.tiers == (Tier(floor=D(0), cap=None, max_leverage=D(75), mmr=D("0.005"), cum=D(0)),)
    assert catalog.resolve("bybit", "BTC").tiers[0].max_leverage == D(100)


def test_shipped_files_round_trip_through_the_model() -> None:
    """The shipped bytes are exactly what the model writes: the build script and loader agree."""
    from importlib import resources

    for key in VENUE_KEYS:
        text = resources.files("chatbot.markets").joinpath(f"data/{key}.json").read_bytes()
        assert encode(shipped(key)) == text


def test_venue_fees_are_sourced() -> None:
    """Binance's default stays the worked example's 0.05%; every venue names its fee source."""
    assert catalog.venue("binance").taker_fee == D("0.0005")
    assert all(venue.fee_source for venue in VENUES)


@pytest.mark.parametrize(
    ("base", "coin", "scale"),
    [
        ("1000PEPE", "PEPE", D(1000)),
        ("1MBABYDOGE", "BABYDOGE", D(1_000_000)),
        ("10000LADYS", "LADYS", D(10_000)),
        ("1000000MOG", "MOG", D(1_000_000)),
        ("SHIB1000", "SHIB", D(1000)),
        ("1INCH", "1INCH", D(1)),
        ("BTC", "BTC", D(1)),
    ],
)
def test_split_scale_reads_venue_scaled_names(base: str, coin: str, scale: D) -> None:
    """Scaled names give the coin and the count; 1INCH is a coin, not a scale."""
    assert split_scale(base) == (coin, scale)


@given(
    coin=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=8),
    prefix=st.sampled_from(["1000", "10000", "1000000", "1M"]),
)
def test_split_scale_inverts_any_prefix(coin: str, prefix: str) -> None:
    """Whatever the coin, a scale prefix comes off and the coin comes back unchanged."""
    found, scale = split_scale(prefix + coin)
    assert found == coin and scale > 1


@pytest.mark.parametrize(
    ("typed", "base", "quote"),
    [
        ("pepe", "PEPE", None),
        ("PEPE/USDT:USDT", "PEPE", "USDT"),
        ("PEPE-USDT-SWAP", "PEPE", "USDT"),
        ("BTC-PERP", "BTC", None),
        ("PEPEUSDT", "PEPE", "USDT"),
        ("BTCUSD_PERP", "BTC", "USD"),
    ],
)
def test_readings_find_base_and_quote(typed: str, base: str, quote: str | None) -> None:
    """Each way members write a market reduces to its base and, where written, its quote."""
    assert (base, quote) in [(reading.base, reading.quote) for reading in readings(typed)]
