"""Refreshing the venues' perpetuals and tier tables from the stand-in exchange on loopback.

Expected figures are what the stand-in serves (tests/exchange_standin/listings.py names their
public sources); a refresh must carry them into the database unchanged, in the engine's units.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import ccxt
import pytest

from chatbot.cli_refresh import refresh_venues
from chatbot.engine.models import Instrument, SizeResult
from chatbot.evaluation.calculators import evaluate
from chatbot.language.parser import parse_command
from chatbot.markets import catalog
from chatbot.markets.feeds import FEEDS
from chatbot.markets.models import VenueSnapshot
from chatbot.markets.refresh import client
from chatbot.markets.settings import MarketSettings
from chatbot.storage import Database
from chatbot.storage.markets import load_snapshots
from tests.exchange_standin import DEFAULT_KEY, DEFAULT_SECRET, ExchangeStandIn

ALL = ("binance", "binance_coinm", "bybit", "bybit_inverse", "okx")


@pytest.fixture
async def exchange() -> AsyncIterator[ExchangeStandIn]:
    async with ExchangeStandIn() as server:
        yield server


@pytest.fixture(autouse=True)
def unthrottled(monkeypatch: pytest.MonkeyPatch) -> None:
    """No pause between requests: ccxt spaces them by each venue's published rate limit (50 to
    100 ms a request), which the stand-in on loopback does not have; the pauses made this file
    six seconds slower. `test_the_venues_rate_limits_are_kept` holds the real clients to it."""
    monkeypatch.setattr(ccxt.Exchange, "throttle", lambda self, cost=None: None)


def test_the_venues_rate_limits_are_kept() -> None:
    """Every venue's client waits between requests as the venue's published limit asks."""
    settings = MarketSettings()
    for feed in FEEDS.values():
        exchange = client(feed, settings, "http://127.0.0.1:9")
        assert exchange.enableRateLimit is True
        assert exchange.rateLimit > 0


def market_settings(exchange: ExchangeStandIn, key: bool = True, **extra: object) -> MarketSettings:
    credentials = {"binance_api_key": DEFAULT_KEY, "binance_api_secret": DEFAULT_SECRET}
    fields = {**exchange.settings(), **(credentials if key else {}), **extra}
    return MarketSettings.model_validate(fields)


async def stored(db_path: Path) -> dict[str, VenueSnapshot]:
    async with await Database.open(db_path) as db, db.connection() as conn:
        return {snapshot.venue: snapshot for snapshot in await load_snapshots(conn)}


def by_symbol(snapshot: VenueSnapshot) -> dict[str, Instrument]:
    return {item.symbol: item for item in snapshot.instruments}


async def test_refresh_fills_the_database(exchange: ExchangeStandIn, db_path: Path) -> None:
    """Every venue refreshes and lands in the database with the venue's own figures."""
    report = await refresh_venues(db_path, ALL, market_settings(exchange))
    assert report.ok, [outcome.line() for outcome in report.outcomes]
    snapshots = await stored(db_path)
    assert set(snapshots) == set(ALL)
    btc = by_symbol(snapshots["binance"])["BTCUSDT"]
    # ccxt's recorded BTCUSDT filters and freqtrade's copy of its brackets.
    assert (btc.qty_step, btc.min_qty, btc.tick, btc.min_notional) == (
        Decimal("0.001"),
        Decimal("0.001"),
        Decimal("0.1"),
        Decimal(5),
    )
    assert [(t.cap, t.mmr, t.max_leverage, t.cum) for t in btc.tiers] == [
        (Decimal(50000), Decimal("0.004"), Decimal(125), Decimal(0)),
        (Decimal(600000), Decimal("0.005"), Decimal(100), Decimal(50)),
        (Decimal(3000000), Decimal("0.0065"), Decimal(75), Decimal(950)),
    ]
    assert btc.venue_name == "Binance USDⓈ-M"
    assert "127.0.0.1" in btc.tiers_source and "leverageBracket" in btc.tiers_source
    assert snapshots["binance"].source.startswith("Binance USDⓈ-M API at 127.0.0.1")


async def test_contract_units_per_venue(exchange: ExchangeStandIn, db_path: Path) -> None:
    """COIN-M and Bybit inverse count USD contracts with coin tiers; OKX contracts of ctVal
    become coins: 0.1 contracts of 0.01 BTC is a step of 0.001 BTC; 2,000 contracts 20 BTC."""
    await refresh_venues(db_path, ALL, market_settings(exchange))
    snapshots = await stored(db_path)
    coinm = by_symbol(snapshots["binance_coinm"])["BTCUSD_PERP"]
    assert (coinm.inverse, coinm.contract_value, coinm.qty_step, coinm.tiers_in_coin) == (
        True,
        Decimal(100),
        Decimal(1),
        True,
    )
    inverse = by_symbol(snapshots["bybit_inverse"])["BTCUSD"]
    assert (inverse.contract_value, inverse.tiers[0].cap, inverse.quote) == (
        Decimal(1),
        Decimal(150),
        "USD",
    )
    okx = by_symbol(snapshots["okx"])["BTC-USDT-SWAP"]
    assert (okx.qty_step, okx.min_qty, okx.contract_value) == (
        Decimal("0.001"),
        Decimal("0.001"),
        Decimal("0.01"),
    )
    assert [t.cap for t in okx.tiers] == [Decimal(20), Decimal(120)]
    assert okx.tiers_in_coin and okx.max_leverage == 100


async def test_futures_and_other_margins_are_left_out(
    exchange: ExchangeStandIn, db_path: Path
) -> None:
    """The quarterly BTCUSDT_250328, the USDC perpetual and OKX's coin-margined swap are not
    USDT perpetuals; the stand-in serves them and the snapshot leaves them out."""
    await refresh_venues(db_path, ("binance", "okx"), market_settings(exchange))
    snapshots = await stored(db_path)
    assert set(by_symbol(snapshots["binance"])) == {"BTCUSDT", "ETHUSDT", "1000PEPEUSDT"}
    assert set(by_symbol(snapshots["okx"])) == {"BTC-USDT-SWAP", "ETH-USDT-SWAP", "SOL-USDT-SWAP"}


async def test_scaled_contracts_are_recognized(exchange: ExchangeStandIn, db_path: Path) -> None:
    """Binance's 1000PEPEUSDT is PEPE at a scale of 1,000; Bybit's 10000LADYSUSDT is LADYS
    at 10,000; prices and steps stay in the venue's units."""
    await refresh_venues(db_path, ("binance", "bybit"), market_settings(exchange))
    snapshots = await stored(db_path)
    pepe = by_symbol(snapshots["binance"])["1000PEPEUSDT"]
    ladys = by_symbol(snapshots["bybit"])["10000LADYSUSDT"]
    assert (pepe.base, pepe.scale, pepe.qty_step, pepe.tick) == (
        "PEPE",
        Decimal(1000),
        Decimal(1),
        Decimal("0.0000001"),
    )
    assert (ladys.base, ladys.scale, ladys.max_leverage) == ("LADYS", Decimal(10000), 50)


async def test_a_refresh_replaces_the_snapshot(exchange: ExchangeStandIn, db_path: Path) -> None:
    """A second refresh stores what the venue publishes now, not a merge with the old."""
    settings = market_settings(exchange)
    await refresh_venues(db_path, ("bybit",), settings)
    exchange.listing("bybit", "BTCUSDT").tick = "0.20"
    exchange.listing("bybit", "BTCUSDT").min_qty = "0.002"
    report = await refresh_venues(db_path, ("bybit",), settings)
    assert report.ok
    btc = by_symbol((await stored(db_path))["bybit"])["BTCUSDT"]
    assert (btc.tick, btc.min_qty) == (Decimal("0.2"), Decimal("0.002"))


async def test_a_delisted_symbol_disappears(exchange: ExchangeStandIn, db_path: Path) -> None:
    """Removed from the venue's list, or no longer trading: gone from the next snapshot."""
    settings = market_settings(exchange)
    await refresh_venues(db_path, ("binance", "okx"), settings)
    exchange.delist("binance", "ETHUSDT")
    exchange.listing("okx", "SOL-USDT-SWAP").trading = False
    report = await refresh_venues(db_path, ("binance", "okx"), settings)
    assert report.ok
    snapshots = await stored(db_path)
    assert set(by_symbol(snapshots["binance"])) == {"BTCUSDT", "1000PEPEUSDT"}
    assert set(by_symbol(snapshots["okx"])) == {"BTC-USDT-SWAP", "ETH-USDT-SWAP"}


async def test_failure_half_way_keeps_the_last_good_snapshot(
    exchange: ExchangeStandIn, db_path: Path
) -> None:
    """Instruments answered, then the tiers endpoint fails: nothing of the half-done refresh
    is stored, the old snapshot stays, and the report says why in one line."""
    settings = market_settings(exchange)
    await refresh_venues(db_path, ("okx", "bybit"), settings)
    before = await stored(db_path)
    exchange.listing("okx", "BTC-USDT-SWAP").tick = "0.5"
    exchange.fail("/api/v5/public/position-tiers", status=500)
    served = exchange.count("/api/v5/public/instruments")
    report = await refresh_venues(db_path, ("okx", "bybit"), settings)
    assert exchange.count("/api/v5/public/instruments") == served + 1
    okx, bybit = report.outcomes
    assert bybit.ok and not okx.ok and not report.ok
    assert okx.reason == f"{exchange.url.removeprefix('http://')} answered HTTP 500"
    assert okx.kept_as_of == before["okx"].as_of
    assert okx.line().startswith("okx: failed, ") and "kept the snapshot of" in okx.line()
    assert (await stored(db_path))["okx"] == before["okx"]


async def test_a_venue_that_times_out_fails_alone(exchange: ExchangeStandIn, db_path: Path) -> None:
    """Bybit hangs: both Bybit venues fail after the set time, the others refresh."""
    exchange.hang("/v5/market/instruments-info")
    settings = market_settings(exchange, refresh_timeout=0.5)
    report = await refresh_venues(db_path, ALL, settings)
    results = {outcome.venue: outcome for outcome in report.outcomes}
    for venue in ("bybit", "bybit_inverse"):
        assert not results[venue].ok
        assert results[venue].reason.endswith("within 0.5 s")
        assert results[venue].line().endswith("no stored snapshot, the shipped data stays")
    assert all(results[venue].ok for venue in ("binance", "binance_coinm", "okx"))
    assert set(await stored(db_path)) == {"binance", "binance_coinm", "okx"}


async def test_binance_brackets_are_signed_with_the_key(
    exchange: ExchangeStandIn, db_path: Path
) -> None:
    """The bracket request carries X-MBX-APIKEY and a valid signature (the stand-in checks
    Binance's HMAC rule and refuses anything else)."""
    await refresh_venues(db_path, ("binance",), market_settings(exchange))
    hits = [hit for hit in exchange.hits if hit.path == "/fapi/v1/leverageBracket"]
    assert len(hits) == 1 and hits[0].api_key == DEFAULT_KEY
    assert "signature" in hits[0].query and "timestamp" in hits[0].query


async def test_a_refused_key_fails_binance_without_showing_it(
    exchange: ExchangeStandIn, db_path: Path
) -> None:
    """A wrong secret: Binance refuses, the line says so and shows neither key nor secret."""
    settings = market_settings(exchange, binance_api_secret="not-the-secret")
    report = await refresh_venues(db_path, ("binance",), settings)
    (outcome,) = report.outcomes
    assert not outcome.ok and outcome.reason.endswith("refused the API key")
    assert DEFAULT_KEY not in outcome.line() and "not-the-secret" not in outcome.line()


async def test_without_a_key_binance_keeps_its_tables_and_refreshes_filters(
    exchange: ExchangeStandIn, db_path: Path
) -> None:
    """No key: no bracket request; new filters with the stored tables, named by their own
    source and date. A symbol with no known table is left out and counted."""
    await refresh_venues(db_path, ("binance",), market_settings(exchange))
    before = by_symbol((await stored(db_path))["binance"])
    exchange.listing("binance", "BTCUSDT").step = "0.002"
    exchange.listings.append(
        exchange.listing("binance", "ETHUSDT").__class__(
            **{
                **exchange.listing("binance", "ETHUSDT").__dict__,
                "symbol": "SUIUSDT",
                "base": "SUI",
            }
        )
    )
    brackets = exchange.count("/fapi/v1/leverageBracket")
    report = await refresh_venues(db_path, ("binance",), market_settings(exchange, key=False))
    assert exchange.count("/fapi/v1/leverageBracket") == brackets
    (outcome,) = report.outcomes
    assert outcome.ok and outcome.left_out == ("SUIUSDT",)
    assert "1 left out, no tier table known" in outcome.line()
    btc = by_symbol((await stored(db_path))["binance"])["BTCUSDT"]
    assert btc.qty_step == Decimal("0.002")
    assert (btc.tiers, btc.tiers_source, btc.tiers_as_of) == (
        before["BTCUSDT"].tiers,
        before["BTCUSDT"].tiers_source,
        before["BTCUSDT"].tiers_as_of,
    )


async def test_without_a_key_or_known_tables_binance_fails(
    exchange: ExchangeStandIn, db_path: Path
) -> None:
    """A first keyless refresh has no table to keep: it stores nothing and says what to do."""
    report = await refresh_venues(db_path, ("binance",), market_settings(exchange, key=False))
    (outcome,) = report.outcomes
    assert not outcome.ok and "RISKBOT_BINANCE_API_KEY" in outcome.reason
    assert await stored(db_path) == {}


@pytest.mark.slow
async def test_the_command_prints_a_line_per_venue(
    exchange: ExchangeStandIn, db_path: Path
) -> None:
    """`riskbot markets refresh` as the bot starts it: one line per venue, status 1 when one
    failed, and the key appears nowhere in what it prints."""
    exchange.fail("/v5/market/risk-limit")
    environment = {
        **{name: value for name, value in os.environ.items() if not name.startswith("RISKBOT_")},
        **exchange.environment(),
        "RISKBOT_DB": str(db_path),
        "RISKBOT_BINANCE_API_KEY": DEFAULT_KEY,
        "RISKBOT_BINANCE_API_SECRET": DEFAULT_SECRET,
    }
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "chatbot", "markets", "refresh",
        "--venue", "binance", "--venue", "bybit",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=environment,
    )  # fmt: skip
    out, err = await asyncio.wait_for(child.communicate(), 60)
    lines = out.decode().splitlines()
    assert child.returncode == 1, err.decode()
    assert len(lines) == 2
    assert lines[0].startswith("binance: ok, 3 perpetuals as of ")
    assert lines[1].startswith("bybit: failed, ") and "HTTP 500" in lines[1]
    assert DEFAULT_KEY not in out.decode() + err.decode()
    assert DEFAULT_SECRET not in out.decode() + err.decode()


async def test_a_venue_that_lists_nothing_is_not_stored(
    exchange: ExchangeStandIn, db_path: Path
) -> None:
    """An empty list is no snapshot: the venue fails rather than erase what members use."""
    settings = market_settings(exchange)
    await refresh_venues(db_path, ("okx",), settings)
    before = await stored(db_path)
    for listing in [item for item in exchange.listings if item.venue == "okx"]:
        exchange.delist("okx", listing.symbol)
    (outcome,) = (await refresh_venues(db_path, ("okx",), settings)).outcomes
    assert not outcome.ok and outcome.reason == "listed no perpetual"
    assert await stored(db_path) == before


async def test_okx_after_a_refresh_sizes_with_okxs_own_form(
    exchange: ExchangeStandIn, db_path: Path
) -> None:
    """OKX ships no tier table; once refreshed, `/size … venue okx` works for BTC, ETH and SOL.

    BTC by hand: the stand-in's BTC-USDT-SWAP has ctVal 0.01 BTC and a lot of 0.1 contract,
    so the step is 0.001 BTC; taker 0.05%, so 10 / 571.75 = 0.01749 → 0.017 BTC, margin
    1224 / 20 = 61.20, and OKX's isolated long form (EP − margin/Q) / (1 − (MMR + taker)) with
    the first tier's MMR of 0.4%: (72,000 − 3,600) / (1 − 0.0045) = 68,709.19136…
    """
    report = await refresh_venues(db_path, ("okx",), market_settings(exchange))
    assert report.ok, [outcome.line() for outcome in report.outcomes]
    catalog.install((await stored(db_path))["okx"])
    try:
        btc = evaluate(parse_command("/size BTC 72000 stop 71500 acct 1000 lev 20 venue okx"))
        eth = evaluate(parse_command("/size ETH 3200 stop 3150 acct 1000 lev 10 venue okx"))
        sol = evaluate(parse_command("/size SOL 150 stop 145 acct 1000 lev 5 venue okx"))
    finally:
        catalog.reset()
    result = btc.result
    assert isinstance(result, SizeResult)
    assert result.instrument.symbol == "BTC-USDT-SWAP"
    assert (result.quantity, result.initial_margin) == (Decimal("0.017"), Decimal("61.2"))
    assert result.liquidation_price is not None
    assert result.liquidation_price.quantize(Decimal("0.00001")) == Decimal("68709.19136")
    for other in (eth, sol):
        assert isinstance(other.result, SizeResult)
        assert other.result.instrument.venue == "okx"
        assert other.result.liquidation_price is not None
