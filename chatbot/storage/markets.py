"""Stored market snapshots: one row per venue, its instruments as one compact JSON document.

A venue's snapshot is always written whole and read whole (into memory, at start and after each
refresh) and never queried instrument by instrument, so one row per venue is the natural unit:
replacing it is a single statement inside one transaction (all or nothing, a failed refresh
leaves the last good row untouched), and loading it is one parse by pydantic's JSON core. A row
per instrument would buy SQL queries nobody makes, at the price of hundreds of deletes and
inserts per venue. `instrument_count` lets a health check report a venue without parsing it.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import UTC, datetime

import aiosqlite
from pydantic import TypeAdapter, ValidationError

from chatbot.engine.models import Instrument
from chatbot.markets.models import VenueSnapshot

log = logging.getLogger(__name__)

_INSTRUMENTS = TypeAdapter(tuple[Instrument, ...])
_SAVE = """
    INSERT INTO market_snapshots (venue, source, as_of, instrument_count, instruments_json,
                                  saved_at)
    VALUES (:venue, :source, :as_of, :instrument_count, :instruments_json, :saved_at)
    ON CONFLICT (venue) DO UPDATE SET
        source = excluded.source,
        as_of = excluded.as_of,
        instrument_count = excluded.instrument_count,
        instruments_json = excluded.instruments_json,
        saved_at = excluded.saved_at
"""
# The row as the snapshot's own JSON, so pydantic reads it in one pass.
_LOAD = """
    SELECT venue, json_object('venue', venue, 'source', source, 'as_of', as_of,
                              'instruments', json(instruments_json))
    FROM market_snapshots ORDER BY venue
"""


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


async def save_snapshot(
    conn: aiosqlite.Connection, snapshot: VenueSnapshot, saved_at: datetime | None = None
) -> None:
    """Replace the venue's stored snapshot in one IMMEDIATE transaction: all of it or none."""
    params = {
        "venue": snapshot.venue,
        "source": snapshot.source,
        "as_of": _stamp(snapshot.as_of),
        "instrument_count": len(snapshot.instruments),
        "instruments_json": _INSTRUMENTS.dump_json(
            snapshot.instruments, exclude_defaults=True
        ).decode(),
        "saved_at": _stamp(saved_at or datetime.now(UTC)),
    }
    await conn.execute("BEGIN IMMEDIATE")
    try:
        await conn.execute(_SAVE, params)
    except BaseException:
        await conn.rollback()
        raise
    await conn.commit()


async def load_snapshots(
    conn: aiosqlite.Connection, venues: Collection[str] | None = None
) -> list[VenueSnapshot]:
    """The stored snapshots by venue name (all, or those of `venues`).

    A row this version cannot read (written by another version of the instrument model) is
    left out with one warning, so the bot starts on the shipped data instead of failing.
    """
    async with conn.execute(_LOAD) as cursor:
        rows = await cursor.fetchall()
    found = []
    for venue, document in rows:
        if venues is not None and venue not in venues:
            continue
        try:
            found.append(VenueSnapshot.model_validate_json(document))
        except ValidationError:
            log.warning("stored %s snapshot unreadable by this version, left out", venue)
    return found
