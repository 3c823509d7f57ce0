"""Start-up: how long a bot process takes until it polls, and its resident memory then.

Each start is a fresh process against the stand-in Bot API: the clock runs from spawning the
process to its first getUpdates, when it is ready to answer. riskbot starts with a database
that already holds a stored market snapshot of every venue (as after a refresh), so loading
and installing them is inside the figure; the bare python-telegram-bot bot of
benchmarks/bare_bot.py, measured in the same run, is the baseline. The refresh itself (ccxt)
runs in a child process a day later and is never part of the bot's start-up or memory.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.e2e import LOOPBACK_FLOOD, Contender, bot_process, rss_bytes
from benchmarks.figures import mebibytes
from benchmarks.meter import Meter
from chatbot.markets import catalog
from chatbot.storage import Database
from chatbot.storage.markets import save_snapshot

BARE = Contender("bare PTB bot", bare=True, concurrent_updates=1)
RISKBOT = Contender("riskbot", bare=False, concurrent_updates=256)
TARGET_SECONDS = 1.5
TARGET_BYTES = 120 * 1024 * 1024


@dataclass(frozen=True)
class Start:
    seconds: float
    rss: int


async def _with_stored_markets(workdir: Path) -> None:
    """A database as after `riskbot markets refresh`: every venue's snapshot stored."""
    db = await Database.open(workdir / "riskbot.sqlite3")
    async with db, db.connection() as conn:
        for venue in catalog.venues():
            await save_snapshot(conn, catalog.snapshot(venue.key))


async def _start(contender: Contender, workdir: Path) -> Start:
    workdir.mkdir(parents=True)
    if not contender.bare:
        await _with_stored_markets(workdir)
    async with Meter() as api:
        began = time.monotonic()
        async with bot_process(contender, api, LOOPBACK_FLOOD, workdir) as pid:
            ready = time.monotonic() - began
            return Start(ready, rss_bytes(pid))


async def measure(repeats: int) -> dict[str, list[Start]]:
    """`repeats` starts of each bot, alternating, so both see the same machine."""
    starts: dict[str, list[Start]] = {BARE.label: [], RISKBOT.label: []}
    with tempfile.TemporaryDirectory(prefix="riskbot-start-") as tmp:
        for n in range(repeats):
            for contender in (BARE, RISKBOT):
                workdir = Path(tmp) / f"{n}-{contender.name.replace(' ', '-')}"
                starts[contender.label].append(await _start(contender, workdir))
    return starts


def report(starts: dict[str, list[Start]]) -> list[tuple[object, ...]]:
    bare = statistics.median(start.seconds for start in starts[BARE.label])
    rows: list[tuple[object, ...]] = []
    for label, runs in starts.items():
        seconds = statistics.median(start.seconds for start in runs)
        rss = max(start.rss for start in runs)
        rows.append(
            (
                label,
                f"{seconds:.2f}",
                f"{max(start.seconds for start in runs):.2f}",
                mebibytes(rss),
                f"{seconds / bare:.2f}",
            )
        )
    return rows


def verdict(starts: dict[str, list[Start]]) -> str:
    runs = starts[RISKBOT.label]
    seconds = max(start.seconds for start in runs)
    rss = max(start.rss for start in runs)
    met = seconds < TARGET_SECONDS and rss < TARGET_BYTES
    return (
        f"riskbot's slowest start {seconds:.2f} s (target under {TARGET_SECONDS} s) and largest "
        f"memory after start-up {mebibytes(rss)} (target under {mebibytes(TARGET_BYTES)}): "
        + ("met" if met else "NOT met")
    )


HEADER = ("bot", "start-up median s", "slowest s", "RSS after start-up", "ratio to bare")
