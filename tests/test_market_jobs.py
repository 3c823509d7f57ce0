"""The bot's daily market refresh: a child process against the stand-in exchange, one log line
on failure, the stored snapshots installed afterwards, and ccxt never loaded by the bot."""

from __future__ import annotations

import asyncio
import logging
import sys
import textwrap
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from telegram.ext import ApplicationBuilder

from chatbot.bot.market_jobs import (
    EVERY,
    JOB_NAME,
    RefreshJob,
    install_stored,
    refresh_job,
    run_child,
    schedule_refresh,
)
from chatbot.markets.models import VenueSnapshot
from chatbot.storage import Database
from chatbot.storage.markets import save_snapshot
from tests.exchange_standin import DEFAULT_KEY, DEFAULT_SECRET, ExchangeStandIn

ALL = ["binance", "binance_coinm", "bybit", "bybit_inverse", "okx"]
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
async def exchange(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[ExchangeStandIn]:
    """The stand-in, and the environment the child process inherits pointing at it."""
    async with ExchangeStandIn() as server:
        for name, value in server.environment().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("RISKBOT_BINANCE_API_KEY", DEFAULT_KEY)
        monkeypatch.setenv("RISKBOT_BINANCE_API_SECRET", DEFAULT_SECRET)
        yield server


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    async with await Database.open(db_path) as database:
        yield database


class Installed(list[VenueSnapshot]):
    """The markets layer's install, as the test sees it: every snapshot it was handed."""

    def __call__(self, snapshot: VenueSnapshot) -> None:
        self.append(snapshot)


def riskbot_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """riskbot's own log lines (the stand-in's access log is not the bot's)."""
    return [record.getMessage() for record in caplog.records if record.name.startswith("chatbot")]


def context(job: RefreshJob, db: Database) -> Any:
    """The two things a PTB job callback reads: its job's data and the bot's data."""
    return SimpleNamespace(
        job=SimpleNamespace(data=job), application=SimpleNamespace(bot_data={"db": db})
    )


@pytest.mark.slow
async def test_the_job_refreshes_and_installs(
    exchange: ExchangeStandIn, db: Database, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A full refresh in a child process, then every venue's snapshot handed to the catalog;
    nothing logged when all went well."""
    installed = Installed()
    with caplog.at_level(logging.WARNING):
        await refresh_job(context(RefreshJob(db_path=db_path, install=installed), db))
    assert sorted(snapshot.venue for snapshot in installed) == ALL
    assert exchange.count("/fapi/v1/leverageBracket") == 1
    assert riskbot_lines(caplog) == []


@pytest.mark.slow
async def test_a_failed_venue_is_one_log_line_and_old_data_stays(
    exchange: ExchangeStandIn, db: Database, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """OKX fails half-way: one warning naming it; its stored snapshot is still installed."""
    old = VenueSnapshot(venue="okx", source="earlier", as_of=datetime(2025, 5, 31, tzinfo=UTC),
                        instruments=())  # fmt: skip
    async with db.connection() as conn:
        await save_snapshot(conn, old)
    exchange.fail("/api/v5/public/position-tiers")
    installed = Installed()
    with caplog.at_level(logging.WARNING):
        await refresh_job(context(RefreshJob(db_path=db_path, install=installed), db))
    messages = riskbot_lines(caplog)
    assert len(messages) == 1
    assert messages[0].startswith("market refresh: okx: failed, ")
    assert messages[0].endswith("kept the snapshot of 2025-05-31 00:00 UTC")
    assert {snapshot.venue: snapshot for snapshot in installed}["okx"] == old
    assert DEFAULT_KEY not in messages[0] and DEFAULT_SECRET not in messages[0]


async def test_a_stuck_child_is_stopped(db_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A child that never finishes is killed at the time limit, with one warning."""
    stuck = (sys.executable, "-c", "import threading; threading.Event().wait()")
    job = RefreshJob(
        db_path=db_path, install=Installed(), command=stuck, child_timeout=timedelta(seconds=0.5)
    )
    with caplog.at_level(logging.WARNING):
        assert await run_child(job) is None
    assert riskbot_lines(caplog) == [
        "market refresh stopped after 0:00:00.500000 without finishing"
    ]


async def test_a_child_without_a_report_is_logged(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A child that dies before reporting: its exit status and last line, nothing more."""
    dying = (sys.executable, "-c", "import sys; sys.exit('riskbot: something broke')")
    job = RefreshJob(db_path=db_path, install=Installed(), command=dying)
    with caplog.at_level(logging.WARNING):
        assert await run_child(job) is None
    assert riskbot_lines(caplog) == ["market refresh exited with 1: riskbot: something broke"]


async def test_install_stored_hands_over_every_venue(db: Database) -> None:
    """At start-up the bot installs what the database holds, before any refresh."""
    for venue in ("bybit", "okx"):
        async with db.connection() as conn:
            await save_snapshot(
                conn,
                VenueSnapshot(venue=venue, source="s", as_of=datetime.now(UTC), instruments=()),
            )
    installed = Installed()
    assert await install_stored(db, installed) == 2
    assert [snapshot.venue for snapshot in installed] == ["bybit", "okx"]


async def test_a_refused_snapshot_does_not_stop_the_others(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """The catalog refuses one venue's snapshot: logged once, the other venue installed."""
    for venue in ("gone", "okx"):
        async with db.connection() as conn:
            await save_snapshot(
                conn,
                VenueSnapshot(venue=venue, source="s", as_of=datetime.now(UTC), instruments=()),
            )
    installed = Installed()

    def install(snapshot: VenueSnapshot) -> None:
        if snapshot.venue == "gone":
            raise LookupError("unknown venue 'gone'")
        installed(snapshot)

    with caplog.at_level(logging.WARNING):
        assert await install_stored(db, install) == 1
    assert [snapshot.venue for snapshot in installed] == ["okx"]
    assert riskbot_lines(caplog) == ["stored gone snapshot not installed: unknown venue 'gone'"]


async def test_the_refresh_is_scheduled_every_24_hours(db_path: Path) -> None:
    """One repeating job, replaced rather than doubled when scheduled again."""
    application = ApplicationBuilder().token("123456:ABCDEFGHIJ").build()
    schedule_refresh(application, db_path, Installed())
    schedule_refresh(application, db_path, Installed())
    queue = application.job_queue
    assert queue is not None
    jobs = [job for job in queue.get_jobs_by_name(JOB_NAME) if not job.removed]
    assert len(jobs) == 1
    assert jobs[0].job.trigger.interval == EVERY == timedelta(hours=24)
    assert jobs[0].callback is refresh_job


# The child is a stand-in printing a report: what the bot process runs of the job (starting the
# child, reading its report, logging, installing) is the same whatever the child does, and the
# real child is run by the tests above.
BOT_PROCESS = textwrap.dedent(
    """
    import asyncio, sys, tempfile
    from pathlib import Path
    from types import SimpleNamespace

    import chatbot.bot.app
    from chatbot.bot import market_jobs
    from chatbot.storage import Database

    assert "ccxt" not in sys.modules, "importing the bot loaded ccxt"
    REPORT = '{"outcomes": [{"venue": "okx", "ok": false, "reason": "timed out"}]}'

    async def main() -> None:
        path = Path(tempfile.mkdtemp()) / "riskbot.sqlite3"
        child = (sys.executable, "-c", f"print({REPORT!r})")
        job = market_jobs.RefreshJob(db_path=path, install=print, command=child)
        async with await Database.open(path) as db:
            context = SimpleNamespace(
                job=SimpleNamespace(data=job), application=SimpleNamespace(bot_data={"db": db})
            )
            await market_jobs.refresh_job(context)

    asyncio.run(main())
    assert "ccxt" not in sys.modules, "the refresh job loaded ccxt into the bot"
    print("ccxt stayed out")
    """
)


@pytest.mark.slow
async def test_the_bot_process_never_imports_ccxt() -> None:
    """In a fresh interpreter: importing the bot and running its refresh job leaves ccxt out
    of the bot's modules."""
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", BOT_PROCESS,
        cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(child.communicate(), 120)
    assert child.returncode == 0, err.decode()
    assert out.decode().strip() == "ccxt stayed out"
    # The job read the child's report: its failure is the one line the bot logged.
    assert "market refresh: okx: failed, timed out" in err.decode()
