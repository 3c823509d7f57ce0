"""Stored market snapshots: one row per venue, replaced whole or not at all."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import aiosqlite
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chatbot.engine.models import Instrument
from chatbot.markets.models import VenueSnapshot
from chatbot.storage import Database
from chatbot.storage.markets import load_snapshots, save_snapshot
from tests.engine_fixtures import linear

MAY = datetime(2025, 5, 31, 5, 20, tzinfo=UTC)
JUNE = datetime(2025, 6, 1, 5, 21, 7, tzinfo=UTC)


def btc(tick: str = "0.10", scale: int = 1) -> Instrument:
    """Binance BTCUSDT of the engine tests, with another tick or a scale for the round trips."""
    return linear().model_copy(update={"tick": Decimal(tick), "scale": Decimal(scale)})


def snapshot(venue: str, when: datetime, *instruments: Instrument) -> VenueSnapshot:
    return VenueSnapshot(venue=venue, source=f"{venue} test", as_of=when, instruments=instruments)


@pytest.fixture
async def conn(db_path: Path) -> AsyncIterator[aiosqlite.Connection]:
    async with await Database.open(db_path) as db, db.connection() as connection:
        yield connection


async def test_a_snapshot_round_trips(conn: aiosqlite.Connection) -> None:
    """What is saved is what is loaded: every figure an exact Decimal, the date with its zone."""
    saved = snapshot("binance", JUNE, btc())
    await save_snapshot(conn, saved)
    assert await load_snapshots(conn) == [saved]


async def test_saving_again_replaces_the_venue_only(conn: aiosqlite.Connection) -> None:
    """A venue's new snapshot replaces its old one and leaves the other venues alone."""
    await save_snapshot(conn, snapshot("binance", MAY, btc("0.10")))
    await save_snapshot(conn, snapshot("okx", MAY))
    await save_snapshot(conn, snapshot("binance", JUNE, btc("0.20")))
    loaded = {item.venue: item for item in await load_snapshots(conn)}
    assert loaded["binance"].as_of == JUNE
    assert loaded["binance"].instruments[0].tick == Decimal("0.20")
    assert loaded["okx"].as_of == MAY


async def test_a_failed_save_keeps_the_last_good_snapshot(conn: aiosqlite.Connection) -> None:
    """The write fails inside its transaction (an injected trigger): nothing changes."""
    await save_snapshot(conn, snapshot("binance", MAY, btc("0.10")))
    await conn.execute(
        "CREATE TEMP TRIGGER refuse BEFORE UPDATE ON market_snapshots "
        "BEGIN SELECT RAISE(ABORT, 'injected'); END"
    )
    with pytest.raises(aiosqlite.Error):
        await save_snapshot(conn, snapshot("binance", JUNE, btc("0.20")))
    (loaded,) = await load_snapshots(conn)
    assert (loaded.as_of, loaded.instruments[0].tick) == (MAY, Decimal("0.10"))
    assert not conn.in_transaction


async def test_load_picks_the_venues_asked_for(conn: aiosqlite.Connection) -> None:
    """`venues` narrows the answer; the rest stay stored."""
    for venue in ("binance", "bybit", "okx"):
        await save_snapshot(conn, snapshot(venue, MAY))
    assert [item.venue for item in await load_snapshots(conn, ["okx", "bybit"])] == [
        "bybit",
        "okx",
    ]


async def test_an_unreadable_row_is_left_out_with_one_warning(
    conn: aiosqlite.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    """A row another version wrote and this one cannot read: skipped, named, no crash."""
    await save_snapshot(conn, snapshot("okx", MAY))
    await conn.execute(
        "INSERT INTO market_snapshots VALUES ('bybit', 's', ?, 1, '[{\"venue\": 1}]', ?)",
        (MAY.isoformat(), MAY.isoformat()),
    )
    await conn.commit()
    with caplog.at_level(logging.WARNING, logger="chatbot.storage.markets"):
        loaded = await load_snapshots(conn)
    assert [item.venue for item in loaded] == ["okx"]
    assert [record.getMessage() for record in caplog.records] == [
        "stored bybit snapshot unreadable by this version, left out"
    ]


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    tick=st.decimals(min_value=Decimal("1E-10"), max_value=Decimal(100000), places=10),
    scale=st.sampled_from([1, 1000, 10000, 1000000]),
)
async def test_figures_survive_storage_exactly(
    conn: aiosqlite.Connection, tick: Decimal, scale: int
) -> None:
    """Any tick and scale come back as the same Decimal, never a float's neighbour."""
    saved = snapshot("binance", JUNE, btc(str(tick), scale))
    await save_snapshot(conn, saved)
    (loaded,) = await load_snapshots(conn)
    assert loaded.instruments[0].tick == tick
    assert loaded.instruments[0].scale == scale
