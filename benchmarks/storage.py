"""Storage: /stats, /journal and a /size with its feedback line over a large log, and its size.

The log is bulk-loaded with sqlite3's executemany into a database created (and migrated) by the
real `Database.open`, with rows made from real checks (`chatbot.evaluation.records.recorded`);
the members' standings are then computed from the rows as `riskbot migrate` does. What is timed
is what the handlers call, the service functions (`chatbot.service`): the real `Database` reads
and writes, the figures of `chatbot.evaluation` and the renderers.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from functools import partial
from itertools import count
from pathlib import Path

from benchmarks.figures import Latencies, timed
from chatbot.evaluation.calculators import Check, evaluate
from chatbot.evaluation.log import NewCheck
from chatbot.evaluation.records import recorded
from chatbot.language.parser import parse_command
from chatbot.service import checks, journal, record
from chatbot.service.members import Member, member_of
from chatbot.storage import Database
from chatbot.storage.sql import sql_value

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
# A member with 4,000 checks and one with none, for "a /size is answered as fast either way".
BUSY_MEMBER, BUSY_CHECKS = 98_000_000, 4_000
NEW_MEMBER = 97_000_000
SIZE = TEMPLATES[0]
_CHECK_COLUMNS = (*NewCheck.model_fields, "replied")
R_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Load:
    members: int
    checks: int
    heavy_checks: int

    @property
    def total(self) -> int:
        return self.checks + self.heavy_checks + BUSY_CHECKS


@dataclass(frozen=True)
class StorageFigures:
    load: Load
    load_seconds: float
    rebuild_seconds: float
    size_bytes: int
    stats: Latencies
    journal: Latencies
    heavy_stats: Latencies
    heavy_journal: Latencies
    heavy_size: Latencies
    busy_size: Latencies
    new_size: Latencies

    @property
    def bytes_per_check(self) -> float:
        return self.size_bytes / self.load.total


def _member(user_id: int) -> Member:
    """A member with no settings, in their private chat, reading English."""
    return member_of(user_id, user_id, None, None, "en")


def _template_rows() -> list[dict[str, object]]:
    """Column values of real checks (request as evaluated, figures, verdict), to copy."""
    rules = _member(1).rules
    rows = []
    for text in TEMPLATES:
        check: Check = evaluate(parse_command(text))
        rows.append(recorded(check, rules))
    return rows


def _checks(load: Load, rng: random.Random) -> Iterator[tuple[object, ...]]:
    """Checks in time order, each by a random member (the heavy and the busy one among them),
    so one member's rows are spread over the whole file as they are after a year of use."""
    templates = _template_rows()
    total = load.total
    start = datetime(2024, 1, 1, tzinfo=UTC)
    heavy_every = total / load.heavy_checks if load.heavy_checks else 0
    busy_every = total / BUSY_CHECKS
    for n in range(total):
        if heavy_every and int(n % heavy_every) == 0:
            member = HEAVY_MEMBER
        elif int(n % busy_every) == 1:
            member = BUSY_MEMBER
        else:
            member = rng.randrange(load.members) + 1
        at = start + SPAN * (n / total)
        values = NewCheck.model_validate(
            {
                **rng.choices(templates, WEIGHTS)[0],
                "update_key": f"{member}:{n}",
                "user_id": member,
                "chat_id": member,
                "exploring": rng.random() < EXPLORING,
                "created_at": at,
                "local_day": at.date().isoformat(),
            }
        ).model_dump()
        values["replied"] = True
        yield (n + 1, *(sql_value(values[column]) for column in _CHECK_COLUMNS))


def _outcomes(conn: sqlite3.Connection, rng: random.Random) -> Iterator[tuple[object, ...]]:
    """How a share of the counted /size checks ended, with R as /result stores it."""
    rows = conn.execute(
        "SELECT id, user_id, within_rules, created_at FROM checks"
        " WHERE command = 'size' AND exploring = 0"
    )
    for check_id, member, within, created_at in rows:
        if rng.random() >= OUTCOME:
            continue
        result = rng.choice(("win", "loss", "be"))
        r = {
            "win": Decimal(rng.randrange(5000, 30000)) / 10000,
            "loss": Decimal(-rng.randrange(10000, 15000)) / 10000,
            "be": Decimal(0),
        }[result]
        beyond = "5.5" if result == "loss" and not within else None
        when = datetime.fromtimestamp(created_at, UTC).isoformat(timespec="seconds")
        r_text = str(r.quantize(R_PLACES, rounding=ROUND_HALF_EVEN))
        yield (check_id, member, result, None, r_text, 0, beyond, when)


def bulk_load(path: Path, load: Load) -> None:
    """Members, checks and outcomes straight into the migrated file, in large transactions."""
    rng = random.Random(SEED)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = OFF")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        everyone = (*range(1, load.members + 1), HEAVY_MEMBER, BUSY_MEMBER, NEW_MEMBER)
        insert_check = (
            f"INSERT INTO checks (id, {', '.join(_CHECK_COLUMNS)}) "
            f"VALUES ({', '.join('?' * (len(_CHECK_COLUMNS) + 1))})"
        )
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO members (user_id, created_at) VALUES (?, ?)",
            [(member, now) for member in everyone],
        )
        rows = _checks(load, rng)
        while batch := [row for _, row in zip(range(BATCH), rows, strict=False)]:
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


async def answer_stats(db: Database, user_id: int) -> str:
    """What /stats answers for a member (`chatbot.service.record.stats`)."""
    return (await record.stats(db, _member(user_id))).text


async def answer_journal(db: Database, user_id: int) -> str:
    """What /journal answers for a member's first page (`chatbot.service.journal.page`)."""
    return (await journal.page(db, _member(user_id))).text


_keys = count()


async def answer_size(db: Database, user_id: int) -> str | None:
    """A /size as the handler answers it: parsed and evaluated with the member's defaults,
    logged with the member's standing, worded with its feedback line, marked as answered."""
    member = _member(user_id)
    check = await checks.evaluate_for(member, SIZE)
    at = datetime.now(UTC)
    logged = await checks.log_check(db, member, check, f"bench:{next(_keys)}", at)
    await checks.answered(db, logged.check_id)
    return logged.text


def _file_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


async def measure(path: Path, load: Load, samples: int) -> StorageFigures:
    async with await Database.open(path):
        pass  # creates the file with the current schema
    started = time.perf_counter()
    bulk_load(path, load)
    load_seconds = time.perf_counter() - started
    async with await Database.open(path) as db:
        started = time.perf_counter()
        await db.rebuild_standings()  # as `riskbot migrate` does
        rebuild_seconds = time.perf_counter() - started
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = _file_size(path)
    rng = random.Random(SEED)
    members = [rng.randrange(load.members) + 1 for _ in range(samples)]
    async with await Database.open(path) as db:
        stats = await _per_member(answer_stats, db, members)
        journal_page = await _per_member(answer_journal, db, members)
        heavy_stats = await _latencies(lambda: answer_stats(db, HEAVY_MEMBER), samples)
        heavy_journal = await _latencies(lambda: answer_journal(db, HEAVY_MEMBER), samples)
        heavy_size = await _latencies(lambda: answer_size(db, HEAVY_MEMBER), samples)
        busy_size = await _latencies(lambda: answer_size(db, BUSY_MEMBER), samples)
        new_size = await _new_member_sizes(db, samples)
    return StorageFigures(
        load,
        load_seconds,
        rebuild_seconds,
        size,
        stats,
        journal_page,
        heavy_stats,
        heavy_journal,
        heavy_size,
        busy_size,
        new_size,
    )


async def _new_member_sizes(db: Database, times: int) -> Latencies:
    """A /size from a member with an empty record each time: a new member per sample."""
    samples = []
    for n in range(times):
        samples.append(await timed(partial(answer_size, db, NEW_MEMBER + 1 + n)))
    return Latencies(tuple(samples))


def report(figures: StorageFigures) -> list[tuple[str, str, str, str]]:
    load = figures.load
    per_member = f"{load.checks // load.members:,}"
    heavy = f"{load.heavy_checks:,}"
    return [
        (f"/stats ({per_member} checks a member)", *_ms(figures.stats)),
        (f"/journal ({per_member} checks a member)", *_ms(figures.journal)),
        (f"/stats ({heavy} checks, one member)", *_ms(figures.heavy_stats)),
        (f"/journal ({heavy} checks, one member)", *_ms(figures.heavy_journal)),
        (f"/size with its feedback line ({heavy} checks)", *_ms(figures.heavy_size)),
        (f"/size with its feedback line ({BUSY_CHECKS:,} checks)", *_ms(figures.busy_size)),
        ("/size with its feedback line (no checks)", *_ms(figures.new_size)),
    ]


def _ms(latencies: Latencies) -> tuple[str, str, str]:
    return (f"{latencies.p50_ms:.2f}", f"{latencies.p99_ms:.2f}", f"{latencies.max_ms:.2f}")


HEADER = ("answer", "p50 ms", "p99 ms", "max ms")
