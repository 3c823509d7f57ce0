"""`riskbot markets refresh [--venue V] [--json]`: every venue's perpetuals and tier tables from
its public API into the database, one transaction per venue.

A venue that fails (time-out, error, unreadable answer) keeps its last good snapshot; the others
are stored all the same. One line per venue; exit status 0 when every venue refreshed, 1 when
any failed. ccxt is imported only when the command runs, never when the parser is built: the
bot starts this command as a child process and must not load ccxt itself.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from chatbot.markets import shipped as shipped_files
from chatbot.markets.feeds import FEEDS, Refreshed, TierTable, kept_tables
from chatbot.markets.models import VenueSnapshot
from chatbot.markets.report import RefreshReport, VenueOutcome
from chatbot.markets.settings import MarketSettings
from chatbot.storage import Database
from chatbot.storage.markets import load_snapshots, save_snapshot

log = logging.getLogger(__name__)

EXIT_FAILURE = 1
ShippedLookup = Callable[[str], VenueSnapshot | None]


def nothing_shipped(venue: str) -> VenueSnapshot | None:
    """No shipped snapshot to keep tier tables from: only stored ones count."""
    return None


def shipped_or_none(venue: str) -> VenueSnapshot | None:
    """The snapshot shipped in the package, whose Binance tier tables a keyless refresh keeps."""
    try:
        return shipped_files.shipped(venue)
    except FileNotFoundError:
        return None


async def refresh_venues(
    db_path: str | Path,
    venues: Sequence[str],
    settings: MarketSettings,
    shipped: ShippedLookup = nothing_shipped,
) -> RefreshReport:
    """Refresh `venues` side by side; store each success, keep the last good snapshot of the
    others. Tier tables a keyless Binance cannot serve are kept from the stored or shipped
    snapshot, whichever is newer."""
    async with await Database.open(db_path) as db:
        async with db.connection() as conn:
            stored = {snapshot.venue: snapshot for snapshot in await load_snapshots(conn, venues)}
        attempts = [
            _attempt(venue, settings, _kept(shipped(venue), stored.get(venue))) for venue in venues
        ]
        outcomes = []
        for venue, result in zip(venues, await asyncio.gather(*attempts), strict=True):
            if isinstance(result, Refreshed):
                async with db.connection() as conn:
                    await save_snapshot(conn, result.snapshot)
                outcomes.append(_success(result))
            else:
                previous = stored.get(venue)
                kept = None if previous is None else previous.as_of
                outcomes.append(result.model_copy(update={"kept_as_of": kept}))
    return RefreshReport(outcomes=tuple(outcomes))


def _kept(*snapshots: VenueSnapshot | None) -> dict[str, TierTable]:
    return kept_tables([snapshot for snapshot in snapshots if snapshot is not None])


async def _attempt(
    venue: str, settings: MarketSettings, kept: dict[str, TierTable]
) -> Refreshed | VenueOutcome:
    """The fresh snapshot, or the failed outcome; the blocking ccxt calls run in a thread."""
    from chatbot.markets.refresh import RefreshError, fetch_snapshot

    try:
        refreshed = await asyncio.to_thread(fetch_snapshot, venue, settings, kept)
    except RefreshError as error:
        return VenueOutcome(venue=venue, ok=False, reason=error.reason)
    except Exception as error:  # a defect here must not cost the other venues their refresh
        log.exception("refreshing %s failed unexpectedly", venue)
        reason = f"failed unexpectedly ({type(error).__name__})"
        return VenueOutcome(venue=venue, ok=False, reason=reason)
    if refreshed.snapshot.instruments:
        return refreshed
    reason = "listed no perpetual"
    if refreshed.left_out:
        reason = "no perpetual with a known tier table"
        if FEEDS[venue].tiers_need_key:
            reason += " (Binance serves its tables only with RISKBOT_BINANCE_API_KEY)"
    return VenueOutcome(venue=venue, ok=False, reason=reason, left_out=refreshed.left_out)


def _success(refreshed: Refreshed) -> VenueOutcome:
    snapshot = refreshed.snapshot
    return VenueOutcome(
        venue=snapshot.venue,
        ok=True,
        count=len(snapshot.instruments),
        as_of=snapshot.as_of,
        left_out=refreshed.left_out,
    )


def add_refresh_command(
    markets: argparse._SubParsersAction[argparse.ArgumentParser],
    shipped: ShippedLookup = shipped_or_none,
) -> None:
    """`refresh` under the `markets` command's sub-parsers (`riskbot markets refresh`)."""
    refresh = markets.add_parser(
        "refresh", help="load every venue's perpetuals and tier tables from its public API"
    )
    refresh.add_argument(
        "--venue", choices=sorted(FEEDS), action="append", help="only this venue (repeatable)"
    )
    refresh.add_argument("--json", action="store_true", help="print the report as JSON")
    refresh.set_defaults(func=lambda args: run_refresh(args.venue, args.json, shipped))


def run_refresh(venues: Sequence[str] | None, as_json: bool, shipped: ShippedLookup) -> int:
    """The command: settings from the environment, one line per venue, status 0 or 1."""
    from chatbot.bot.config import StorageSettings

    chosen = list(venues) if venues else list(FEEDS)
    report = asyncio.run(refresh_venues(StorageSettings().db, chosen, MarketSettings(), shipped))
    if as_json:
        print(report.model_dump_json())
    else:
        for outcome in report.outcomes:
            print(outcome.line())
    return 0 if report.ok else EXIT_FAILURE
