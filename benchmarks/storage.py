"""Storage: /stats, /journal and a /size's feedback line over a large log, and its size on disk.

The log is bulk-loaded with sqlite3's executemany into a database created (and migrated) by the
real `Database.open`, with rows made from real checks; what is timed is what the handlers call,
the service functions (`chatbot.service`): the real `Database` reads, the pure figures of
`chatbot.evaluation.discipline` and the renderers.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path

from benchmarks.figures import Latencies, timed
from chatbot.engine.models import SizeResult
from chatbot.evaluation.calculators import Check, evaluate
from chatbot.evaluation.discipline import judge
from chatbot.evaluation.log import NewCheck
from chatbot.evaluation.records import stored_result
from chatbot.language.parser import parse_command
from chatbot.service import journal, record
from chatbot.service.checks import feedback_line, new_check
from chatbot.service.members import Member, member_of
from chatbot.storage import Database

SEED = 7
TEMPLATES = (
    "/size BTC 72000 stop 71500 acct 1000 lev 5",
    "/size eth 3,2k sl=3150 acct $2500 x10 risk 0.5% tp 3400",
    "/size BTC 72000 stop 71500 acct 1000 lev 20",
    "/size BTC 72000 stop 1% acct 1000 lev 5 short",
    "/size SOL 150 stop 148.5 acct 500 lev 3 risk 3%",
    "/liq BTC 72000 lev 20",
    "/pnl BTC 72000 73500 qty 0.017 stop 71500",
)
# Weights of the templates above: mostly /size, as members use the bot.
WEIGHTS = (30, 20, 15, 10, 10, 8, 7)
EXPLORING = 0.03
OUTCOME = 0.3
SPAN = timedelta(days=365)
BATCH = 50_000
HEAVY_MEMBER = 99_000_000
_CHECK_COLUMNS = (*NewCheck.model_fields, "replied")


@dataclass(frozen=True)
class Load:
    members: int
    checks: int
    heavy_checks: int


@dataclass(frozen=True)
class StorageFigures:
    load: Load
    load_seconds: float
    size_bytes: int
    stats: Latencies
    journal: Latencies
    heavy_stats: Latencies
    heavy_journal: Latencies
    heavy_feedback: Latencies


def _template_rows() -> list[dict[str, object]]:
    """Column values of real checks (request, result, verdict), to copy into the load."""
    rows = []
    for text in TEMPLATES:
        check: Check = evaluate(parse_command(text))
        result = check.result
        verdict = judge(result.warnings) if isinstance(result, SizeResult) else judge(())
        rows.append(
            {
                "command": check.request.command,
                "request_json": check.request.model_dump_json(),
                "result_json": stored_result(check),
                "symbol": result.instrument.symbol,
                "side": getattr(result, "side", None),
                "risk_fraction": _text(getattr(result, "risk_fraction", None)),
                "leverage": _text(getattr(result, "leverage", None)),
                "within_rules": int(verdict.within_rules),
                "breaks": ",".join(verdict.breaks),
            }
        )
    return rows


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _checks(load: Load, rng: random.Random) -> Iterator[tuple[object, ...]]:
    """Checks in time order, each by a random member (the heavy one among them), so one
    member's rows are spread over the whole file as they are after a year of use."""
    templates = _template_rows()
    total = load.checks + load.heavy_checks
    start = datetime(2024, 1, 1, tzinfo=UTC)
    heavy_every = total / load.heavy_checks if load.heavy_checks else 0
    for n in range(total):
        heavy = heavy_every and int(n % heavy_every) == 0
        member = HEAVY_MEMBER if heavy else rng.randrange(load.members) + 1
        at = start + SPAN * (n / total)
        values = {
            **rng.choices(templates, WEIGHTS)[0],
            "update_key": f"{member}:{n}",
            "user_id": member,
            "chat_id": member,
            "exploring": int(rng.random() < EXPLORING),
            "created_at": at.isoformat(timespec="seconds"),
            "local_day": at.date().isoformat(),
            "replied": 1,
        }
        yield (n + 1, *(values[column] for column in _CHECK_COLUMNS))


def _outcomes(conn: sqlite3.Connection, rng: random.Random) -> Iterator[tuple[object, ...]]:
    """How a share of the /size checks ended, with R as the discipline figures read it."""
    rows = conn.execute("SELECT id, user_id, within_rules, created_at FROM checks")
    for check_id, member, within, created_at in rows:
        if rng.random() >= OUTCOME:
            continue
        result = rng.choice(("win", "loss", "be"))
        r = {"win": Decimal(rng.randrange(5, 30)) / 10, "loss": Decimal(-1), "be": Decimal(0)}
        beyond = "0.5" if result == "loss" and not within else None
        yield (check_id, member, result, None, str(r[result]), 0, beyond, created_at)


def bulk_load(path: Path, load: Load) -> None:
    """Members, checks and outcomes straight into the migrated file, in large transactions."""
    rng = random.Random(SEED)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = OFF")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        members = [(m, now) for m in (*range(1, load.members + 1), HEAVY_MEMBER)]
        insert_check = (
            f"INSERT INTO checks (id, {', '.join(_CHECK_COLUMNS)}) "
            f"VALUES ({', '.join('?' * (len(_CHECK_COLUMNS) + 1))})"
        )
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO members (user_id, created_at) VALUES (?, ?)", members)
        checks = _checks(load, rng)
        while batch := [row for _, row in zip(range(BATCH), checks, strict=False)]:
            conn.executemany(insert_check, batch)
        conn.execute("COMMIT")
        outcomes = list(_outcomes(conn, rng))
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO outcomes VALUES ({', '.join('?' * 8)})", outcomes)
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


async def _latencies(action: Callable[[], Awaitable[object]], times: int) -> Latencies:
    return Latencies(tuple([await timed(action) for _ in range(times)]))


async def _per_member(
    answer: Callable[[Database, int], Awaitable[object]], db: Database, members: list[int]
) -> Latencies:
    return Latencies(tuple([await timed(partial(answer, db, member)) for member in members]))


def _member(user_id: int) -> Member:
    """A member with no settings, in their private chat, reading English."""
    return member_of(user_id, user_id, None, None, "en")


async def answer_stats(db: Database, user_id: int) -> str:
    """What /stats answers for a member (`chatbot.service.record.stats`)."""
    return (await record.stats(db, _member(user_id))).text


async def answer_journal(db: Database, user_id: int) -> str:
    """What /journal answers for a member's first page (`chatbot.service.journal.page`)."""
    return (await journal.page(db, _member(user_id))).text


async def measure(path: Path, load: Load, samples: int) -> StorageFigures:
    async with await Database.open(path):
        pass  # creates the file with the current schema
    started = time.perf_counter()
    bulk_load(path, load)
    load_seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    rng = random.Random(SEED)
    members = [rng.randrange(load.members) + 1 for _ in range(samples)]
    async with await Database.open(path) as db:
        stats = await _per_member(answer_stats, db, members)
        journal = await _per_member(answer_journal, db, members)
        heavy_stats = await _latencies(lambda: answer_stats(db, HEAVY_MEMBER), samples // 10)
        heavy_journal = await _latencies(lambda: answer_journal(db, HEAVY_MEMBER), samples // 10)
        heavy_feedback = await _feedback(db, samples // 10)
    return StorageFigures(
        load, load_seconds, size, stats, journal, heavy_stats, heavy_journal, heavy_feedback
    )


async def _feedback(db: Database, times: int) -> Latencies:
    """The discipline line of a /size reply (`chatbot.service.checks.feedback_line`)."""
    member = _member(HEAVY_MEMBER)
    check = evaluate(parse_command(TEMPLATES[0]))
    latest = await db.journal(HEAVY_MEMBER, 1)
    check_id = latest[0].check.id
    row = new_check(f"{HEAVY_MEMBER}:{check_id}", datetime.now(UTC), member, check)
    return await _latencies(lambda: feedback_line(db, member, check_id, row), times)


def report(figures: StorageFigures) -> list[tuple[str, str, str, str]]:
    load = figures.load
    per_member = f"{load.checks // load.members:,}"
    heavy = f"{load.heavy_checks:,}"
    return [
        (f"/stats ({per_member} checks a member)", *_ms(figures.stats)),
        (f"/journal ({per_member} checks a member)", *_ms(figures.journal)),
        (f"/stats ({heavy} checks, one member)", *_ms(figures.heavy_stats)),
        (f"/journal ({heavy} checks, one member)", *_ms(figures.heavy_journal)),
        (f"/size feedback line ({heavy} checks)", *_ms(figures.heavy_feedback)),
    ]


def _ms(latencies: Latencies) -> tuple[str, str, str]:
    return (f"{latencies.p50_ms:.2f}", f"{latencies.p99_ms:.2f}", f"{latencies.max_ms:.2f}")


HEADER = ("answer", "p50 ms", "p99 ms", "max ms")
