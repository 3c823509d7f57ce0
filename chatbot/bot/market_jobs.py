"""The daily market refresh, run from the bot's job queue as a child process.

The refresh goes through ccxt, which costs about 100 MB of resident memory and 0.6 s to import;
the bot must stay small, so it starts `python -m chatbot markets refresh --json` as a child
process, waits for it, then installs whatever the database now holds (fresh snapshots, or the
last good ones of venues that failed). A failure is logged in one line; the bot goes on with
the data it had.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from telegram.ext import Application, ContextTypes

from chatbot.engine.models import Frozen
from chatbot.markets.models import VenueSnapshot
from chatbot.markets.report import RefreshReport
from chatbot.storage import Database
from chatbot.storage.markets import load_snapshots

log = logging.getLogger(__name__)

JOB_NAME = "markets:refresh"
EVERY = timedelta(hours=24)
# A refresh of every venue takes about a minute (OKX's tiers come one family at a time); a
# child that runs far longer is stuck and is stopped.
CHILD_TIMEOUT = timedelta(minutes=15)
# The markets layer's `install` of one venue's snapshot (chatbot.markets.catalog.install).
Install = Callable[[VenueSnapshot], None]


class RefreshJob(Frozen):
    """What the job needs: the database the child writes, and how snapshots reach the catalog."""

    db_path: Path
    install: Install
    child_timeout: timedelta = CHILD_TIMEOUT
    command: tuple[str, ...] = (sys.executable, "-m", "chatbot", "markets", "refresh", "--json")


async def install_stored(db: Database, install: Install) -> int:
    """Hand every stored snapshot to the markets layer; how many it took.

    One it refuses (a venue this version no longer knows) is logged and skipped, so the other
    venues are still installed.
    """
    async with db.connection() as conn:
        snapshots = await load_snapshots(conn)
    taken = 0
    for snapshot in snapshots:
        try:
            install(snapshot)
        except (LookupError, ValueError) as error:
            log.warning("stored %s snapshot not installed: %s", snapshot.venue, error)
            continue
        taken += 1
    return taken


async def run_child(job: RefreshJob) -> RefreshReport | None:
    """Run the refresh command; its report, or None (logged) when it gave none."""
    environment = {**os.environ, "RISKBOT_DB": str(job.db_path)}
    child = await asyncio.create_subprocess_exec(
        *job.command,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=environment,
    )
    try:
        out, err = await asyncio.wait_for(child.communicate(), job.child_timeout.total_seconds())
    except TimeoutError:
        child.kill()
        await child.wait()
        log.warning("market refresh stopped after %s without finishing", job.child_timeout)
        return None
    try:
        return RefreshReport.model_validate_json(out)
    except ValidationError:
        last = err.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        log.warning("market refresh exited with %s: %s", child.returncode, last[0])
        return None


async def refresh_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Refresh in a child process, log failures in one line, install the stored snapshots."""
    assert context.job is not None
    job: RefreshJob = context.job.data  # type: ignore[assignment]
    report = await run_child(job)
    if report is not None and not report.ok:
        log.warning(
            "market refresh: %s", "; ".join(outcome.line() for outcome in report.failures())
        )
    db: Database = context.application.bot_data["db"]
    await install_stored(db, job.install)


def schedule_refresh(
    application: Application[Any, Any, Any, Any, Any, Any],
    db_path: Path,
    install: Install,
    first: timedelta = EVERY,
) -> None:
    """Refresh every 24 hours, the first time after `first` (the stored data serves till then)."""
    queue = application.job_queue
    assert queue is not None
    for old in queue.get_jobs_by_name(JOB_NAME):
        old.schedule_removal()
    queue.run_repeating(
        refresh_job,
        interval=EVERY,
        first=first,
        name=JOB_NAME,
        data=RefreshJob(db_path=db_path, install=install),
    )
