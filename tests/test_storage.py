"""The storage keeps what it acknowledged, once, for the right member, and forgets completely."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import aiosqlite
import pytest

from chatbot.engine.models import MarginMode
from chatbot.evaluation.discipline import TradeResult
from chatbot.evaluation.log import NewCheck
from chatbot.evaluation.outcomes import OutcomeFigures
from chatbot.evaluation.standing import Marking, Standing
from chatbot.language.requests import RiskSpec
from chatbot.storage import Database, record
from chatbot.storage.migrations import MIGRATIONS, migrate
from chatbot.storage.rows import MemberExport

ALICE = 710_000_001
BOB = 720_000_002
GROUP = -1_009_000_000_003


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "bot.sqlite3"


@pytest.fixture
async def db(path: Path) -> AsyncIterator[Database]:
    async with await Database.open(path) as database:
        yield database


def new_check(key: str, user_id: int = ALICE, **fields: object) -> NewCheck:
    values: dict[str, object] = {
        "update_key": key,
        "user_id": user_id,
        "chat_id": user_id,
        "command": "size",
        "venue": "binance",
        "symbol": "BTCUSDT",
        "side": "long",
        "entry": Decimal("72000"),
        "stop": Decimal("71500"),
        "account": Decimal("1000"),
        "risk": Decimal("10"),
        "fee": Decimal("0.0005"),
        "quantity": Decimal("0.017"),
        "leverage": Decimal("20"),
        "within_rules": True,
        "created_at": datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
        "local_day": "2024-05-01",
    }
    return NewCheck.model_validate(values | fields)


def raw(path: Path) -> closing[sqlite3.Connection]:
    """A plain second connection, to check the file itself and not the API's view of it."""
    return closing(sqlite3.connect(path))


async def test_open_twice_keeps_schema_version(path: Path) -> None:
    """Reopening (and migrating again) neither fails nor changes the schema."""
    async with await Database.open(path) as first:
        await first.record_check(new_check("u1"))
    async with await Database.open(path) as second:
        assert await second.count_checks(ALICE) == 1
    async with aiosqlite.connect(path) as conn:
        assert await migrate(conn) == len(MIGRATIONS)
    with raw(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_a_checks_time_is_stored_as_unix_seconds(db: Database, path: Path) -> None:
    """A check's time is an integer on disk (2024-05-01 12:00 UTC = 1,714,564,800 s), so the
    checks "since" a moment are found by comparing numbers: an earlier one is left out."""
    await db.record_check(new_check("old"))
    later = datetime(2024, 5, 2, 9, 0, tzinfo=UTC)
    await db.record_check(new_check("new", created_at=later, local_day="2024-05-02"))
    with raw(path) as conn:
        stored = conn.execute("SELECT created_at, typeof(created_at) FROM checks ORDER BY id")
        assert stored.fetchall() == [(1_714_564_800, "integer"), (1_714_640_400, "integer")]
    since = datetime(2024, 5, 2, 0, 0, tzinfo=UTC)
    assert [row.check.update_key for row in await db.open_checks(ALICE, since)] == ["new"]


async def test_check_times_stored_as_text_become_seconds(path: Path) -> None:
    """A database whose check times went in as ISO text (schema 7 under pydantic 2.14) gets
    them as Unix seconds when opened: 2024-05-01 12:00 UTC = 1,714,564,800."""
    async with await Database.open(path) as db:
        await db.record_check(new_check("old"))
    with raw(path) as conn:
        conn.execute("UPDATE checks SET created_at = '2024-05-01T12:00:00+00:00'")
        conn.execute("PRAGMA user_version = 7")
        conn.commit()
    async with await Database.open(path):
        pass
    with raw(path) as conn:
        stored = conn.execute("SELECT created_at, typeof(created_at) FROM checks").fetchall()
        assert stored == [(1_714_564_800, "integer")]


async def test_redelivered_update_is_logged_once(db: Database) -> None:
    """The same update key returns the first id and says it inserted nothing."""
    first = await db.record_check(new_check("u1"))
    again = await db.record_check(new_check("u1", symbol="ETHUSDT"))
    assert (first.check_id, first.inserted) == (1, True)
    assert (again.check_id, again.inserted) == (1, False)
    stored = await db.get_check(ALICE, 1)
    assert stored is not None and stored.check.symbol == "BTCUSDT"


async def test_redelivery_after_reply_stays_silent(db: Database) -> None:
    """A check is unanswered until marked replied, so only a lost reply is sent again."""
    check_id = (await db.record_check(new_check("u1"))).check_id
    assert not await db.was_replied(check_id)
    await db.mark_replied(check_id)
    assert await db.was_replied(check_id)


async def test_concurrent_checks_exactly_once(path: Path) -> None:
    """200 concurrent writes through two connections: one row per key, one insert per key."""
    async with await Database.open(path) as one, await Database.open(path) as two:
        calls = [
            (one if n % 2 else two).record_check(new_check("same" if n < 100 else f"k{n}"))
            for n in range(200)
        ]
        results = [(r.check_id, r.inserted) for r in await asyncio.gather(*calls)]
        same = {result for n, result in enumerate(results) if n < 100}
        assert {check_id for check_id, _ in same} == {results[0][0]}
        assert sum(inserted for _, inserted in same) == 1
        assert all(inserted for _, inserted in results[100:])
        assert await one.count_checks(ALICE) == 101
        assert (await one.standing(ALICE)).tally.counted == 101


def counting_trips(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count trips to aiosqlite's thread from now on: the list holds one number, the count."""
    trips = [0]
    execute = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, *args: object, **kwargs: object) -> object:
        trips[0] += 1
        return await execute(self, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return trips


async def test_a_check_is_logged_in_one_trip_and_marked_answered_in_another(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each trip to aiosqlite's thread waits for that thread's turn: a /size with its standing
    is one transaction in one trip, and marking it answered one more (they were 6 and 5)."""
    trips = counting_trips(monkeypatch)
    logged = await db.record_check(new_check("u1"))
    assert logged.inserted and logged.after is not None and logged.after.streaks.checks == 1
    assert trips[0] == 1
    await db.mark_replied(logged.check_id)
    assert trips[0] == 2
    monkeypatch.undo()
    assert await db.was_replied(logged.check_id)


async def test_failed_write_is_rolled_back_whole(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write failing half-way (the standing, after the check) leaves nothing, not even the
    member row it began with."""

    def fail(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("chatbot.storage.record.save_standing", fail)
    with pytest.raises(RuntimeError):
        await db.record_check(new_check("u1"))
    monkeypatch.undo()
    assert await db.export_rows(ALICE) == MemberExport(member=None, settings=None, checks=())
    assert await db.standing(ALICE) == Standing()
    logged = await db.record_check(new_check("u1"))
    assert (logged.check_id, logged.inserted) == (1, True)


async def test_reads_and_writes_that_wait_together_share_one_trip(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fifty settings read and fifty checks logged at once take two trips to the database
    thread and one commit, not a hundred trips: the first read goes alone, the 99 that queued
    meanwhile go together, each with its own result."""
    await db.save_settings(BOB, risk=RiskSpec(fraction=Decimal("0.02")))
    trips = counting_trips(monkeypatch)
    reads = [db.member_settings(BOB if n % 2 else ALICE) for n in range(50)]
    writes = [db.record_check(new_check(f"k{n}")) for n in range(50)]
    results = await asyncio.gather(*reads, *writes)
    settings, logged = results[:50], results[50:]
    assert trips[0] == 2
    assert [item is None for item in settings] == [n % 2 == 0 for n in range(50)]
    assert [item.check_id for item in logged] == list(range(1, 51))
    assert [item.after.streaks.checks for item in logged if item.after] == list(range(1, 51))
    monkeypatch.undo()
    assert await db.count_checks(ALICE) == 50


async def test_a_write_that_fails_among_others_is_undone_alone(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a shared transaction the failing write gets its error and leaves nothing; the
    writes before and after it are kept."""
    real = record.save_standing

    def fail_for_bob(conn: sqlite3.Connection, user_id: int, kept: Standing) -> None:
        real(conn, user_id, kept)
        if user_id == BOB:
            raise RuntimeError("disk full")

    monkeypatch.setattr(record, "save_standing", fail_for_bob)
    first = db.record_check(new_check("a0"))  # takes the first turn alone
    together = [
        db.record_check(new_check("a1")),
        db.record_check(new_check("b1", user_id=BOB)),
        db.record_check(new_check("a2")),
    ]
    results = await asyncio.gather(first, *together, return_exceptions=True)
    assert isinstance(results[2], RuntimeError)
    # Bob's check left no row: a2 is the third check stored.
    assert [r.check_id for r in results if not isinstance(r, BaseException)] == [1, 2, 3]
    monkeypatch.undo()
    assert await db.count_checks(ALICE) == 3
    assert await db.export_rows(BOB) == MemberExport(member=None, settings=None, checks=())
    assert await db.standing(BOB) == Standing()


def outcome(result: TradeResult, r: str, **fields: object) -> OutcomeFigures:
    return OutcomeFigures.model_validate(
        {
            "result": result,
            "exit_price": None,
            "r_multiple": Decimal(r),
            "liquidated": False,
            "loss_beyond_budget": None,
        }
        | fields
    )


async def test_exploring_only_on_own_check(db: Database) -> None:
    """Another member cannot mark someone's check as exploring."""
    check_id = (await db.record_check(new_check("u1"))).check_id
    at = datetime(2024, 5, 1, 13, tzinfo=UTC)
    assert await db.set_exploring(BOB, check_id, True, at) is Marking.NOT_YOURS
    assert await db.set_exploring(ALICE, check_id + 1, True, at) is Marking.NOT_YOURS
    assert await db.set_exploring(ALICE, check_id, True, at) is Marking.MARKED
    rows = await db.discipline_rows(ALICE)
    assert [row.exploring for row in rows] == [True]
    assert (await db.standing(ALICE)).tally.counted == 0


async def test_exploring_closes_after_a_day_or_an_outcome(db: Database) -> None:
    """Made at 12:00 on 1 May: markable until 12:00 on 2 May, and never once it has an outcome."""
    first = (await db.record_check(new_check("u1"))).check_id
    second = (await db.record_check(new_check("u2"))).check_id
    late = datetime(2024, 5, 2, 12, tzinfo=UTC)
    assert await db.set_exploring(ALICE, first, True, late) is Marking.TOO_LATE
    assert await db.set_exploring(ALICE, first, True, late - timedelta(seconds=1)) is (
        Marking.MARKED
    )
    assert await db.record_outcome(ALICE, second, outcome(TradeResult.LOSS, "-1")) is (
        Marking.MARKED
    )
    early = datetime(2024, 5, 1, 12, 5, tzinfo=UTC)
    assert await db.set_exploring(ALICE, second, True, early) is Marking.OUTCOME_RECORDED
    assert await db.record_outcome(ALICE, first, outcome(TradeResult.WIN, "2")) is (
        Marking.EXPLORING
    )
    tally = (await db.standing(ALICE)).tally
    assert (tally.counted, tally.losses, tally.wins, tally.total_r) == (1, 1, 0, Decimal(-1))


async def test_outcome_only_on_own_check_and_replaced(db: Database, path: Path) -> None:
    """An outcome lands only on the member's own check; a second /result replaces the first,
    in the standing too (+2 R taken out, −1.25 R put in)."""
    check_id = (await db.record_check(new_check("u1"))).check_id
    win = outcome(TradeResult.WIN, "2")
    assert await db.record_outcome(BOB, check_id, win) is Marking.NOT_YOURS
    assert (await db.get_check(BOB, check_id)) is None
    assert await db.record_outcome(ALICE, check_id, win) is Marking.MARKED
    loss = outcome(
        TradeResult.LOSS,
        "-1.25",
        exit_price=Decimal("71500.0"),
        liquidated=True,
        loss_beyond_budget=Decimal("2.50"),
    )
    assert await db.record_outcome(ALICE, check_id, loss) is Marking.MARKED
    tally = (await db.standing(ALICE)).tally
    assert (tally.wins, tally.losses, tally.liquidations) == (0, 1, 1)
    assert tally.total_r == Decimal("-1.25")
    row = await db.get_check(ALICE, check_id)
    assert row is not None and row.outcome is not None
    assert row.outcome.result is TradeResult.LOSS
    assert str(row.outcome.exit_price) == "71500.0"
    assert row.outcome.r_multiple == Decimal("-1.25")
    assert row.outcome.liquidated
    assert str(row.outcome.loss_beyond_budget) == "2.50"
    with raw(path) as conn:
        assert conn.execute("SELECT count(*) FROM outcomes").fetchone()[0] == 1


async def test_journal_pages_newest_first(db: Database) -> None:
    """Paging by the last id shown walks the whole log once, newest first, and only the member's."""
    for n in range(25):
        await db.record_check(new_check(f"a{n}"))
        await db.record_check(new_check(f"b{n}", user_id=BOB))
    seen: list[int] = []
    before: int | None = None
    while page := await db.journal(ALICE, 10, before_id=before):
        assert len(page) <= 10
        seen += [row.check.id for row in page]
        before = page[-1].check.id
    assert seen == sorted(seen, reverse=True)
    assert len(seen) == len(set(seen)) == 25 == await db.count_checks(ALICE)
    mine = await db.journal(ALICE, 100)
    assert {row.check.user_id for row in mine} == {ALICE}
    assert mine[0].outcome is None


async def test_forget_erases_every_row_of_the_member(db: Database, path: Path) -> None:
    """After /forget no column of any table holds the member's id; the other member is intact."""
    for user in (ALICE, BOB):
        await db.upsert_member(user, "Name", f"user{user}", "en")
        await db.save_settings(user, account=Decimal("1000"), tz="Europe/Berlin")
        for n in range(3):
            logged = await db.record_check(new_check(f"{user}-{n}", user_id=user))
            await db.record_outcome(user, logged.check_id, outcome(TradeResult.BE, "0"))
    await db.save_policy(GROUP, title="traders", max_risk=Decimal("0.01"))
    before = mentions(path, BOB)

    # 3 outcomes + 1 standing + 3 checks + 1 settings + 1 member
    assert await db.forget(ALICE) == 9

    assert mentions(path, ALICE) == {}
    assert mentions(path, BOB) == before
    assert await db.member_settings(ALICE) is None
    assert await db.journal(ALICE, 10) == []
    assert await db.group_policy(GROUP) is not None


async def test_backup_during_writes_holds_every_committed_check(
    db: Database, tmp_path: Path
) -> None:
    """A backup taken while checks keep arriving opens cleanly and holds all acknowledged ones."""
    acknowledged: list[int] = []

    async def writer() -> None:
        for n in range(300):
            acknowledged.append((await db.record_check(new_check(f"w{n}"))).check_id)

    task = asyncio.create_task(writer())
    while len(acknowledged) < 50:
        await asyncio.sleep(0)
    committed = list(acknowledged)
    target = tmp_path / "backup.sqlite3"
    await db.backup(target)
    await task

    with raw(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    async with await Database.open(target) as copy:
        ids = {row.check.id for row in await copy.journal(ALICE, 1000)}
    assert set(committed) <= ids <= set(acknowledged)
    assert len(acknowledged) == 300


async def test_settings_round_trip_decimals_exactly(db: Database, path: Path) -> None:
    """Decimals come back digit for digit (stored as TEXT), and None clears a setting."""
    saved = await db.save_settings(
        ALICE,
        account=Decimal("1000.10"),
        risk=RiskSpec(fraction=Decimal("0.0125")),
        fee=Decimal("0.00045"),
        leverage=Decimal("20"),
        margin_mode=MarginMode.CROSS,
        tz="Asia/Tokyo",
    )
    await db.save_settings(ALICE, leverage=None, max_risk=Decimal("0.01"))
    settings = await db.member_settings(ALICE)
    assert settings is not None
    assert str(settings.account) == "1000.10"
    assert settings.risk == RiskSpec(fraction=Decimal("0.0125"))
    assert str(settings.fee) == "0.00045"
    assert settings.leverage is None
    assert settings.max_risk == Decimal("0.01")
    assert settings.margin_mode is MarginMode.CROSS
    assert settings.tz == "Asia/Tokyo" == saved.tz
    with raw(path) as conn:
        types = conn.execute(
            "SELECT typeof(account), typeof(risk_fraction), typeof(fee) FROM settings"
        ).fetchone()
    assert types == ("text", "text", "text")


async def test_unknown_setting_is_refused(db: Database) -> None:
    """Only known fields can be saved, for members and groups alike."""
    with pytest.raises(ValueError, match="colour"):
        await db.save_settings(ALICE, colour="blue")
    with pytest.raises(ValueError, match="updated_at"):
        await db.save_policy(GROUP, updated_at="now")
    assert await db.member_settings(ALICE) is None


async def test_group_policy_round_trip(db: Database) -> None:
    """A policy change keeps the fields it does not name."""
    assert await db.group_policy(GROUP) is None
    await db.save_policy(GROUP, title="traders", max_leverage=Decimal("5"))
    await db.save_policy(GROUP, lang="de")
    policy = await db.group_policy(GROUP)
    assert policy is not None
    assert (policy.title, policy.max_leverage, policy.lang) == ("traders", Decimal("5"), "de")


async def test_export_holds_member_settings_and_checks(db: Database) -> None:
    """The export has the member, the settings and every check with its outcome, oldest first."""
    await db.upsert_member(ALICE, "Alice", "alice", "en")
    await db.save_settings(ALICE, account=Decimal("500"))
    first = (await db.record_check(new_check("u1"))).check_id
    await db.record_check(new_check("u2", within_rules=False, breaks=("risk_above_rule",)))
    await db.record_outcome(ALICE, first, outcome(TradeResult.WIN, "1.5"))
    export = await db.export_rows(ALICE)
    assert export.member is not None and export.member.username == "alice"
    assert export.settings is not None and export.settings.account == Decimal("500")
    assert [row.check.update_key for row in export.checks] == ["u1", "u2"]
    assert export.checks[0].outcome is not None
    assert export.checks[1].check.breaks == ("risk_above_rule",)


def mentions(path: Path, value: int) -> dict[tuple[str, str], int]:
    """How many rows of every column of every table hold `value` (also inside text or JSON)."""
    found: dict[tuple[str, str], int] = {}
    with raw(path) as conn:
        tables = [
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        for table in tables:
            for column in [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]:
                count = conn.execute(
                    f"SELECT count(*) FROM {table} WHERE CAST({column} AS TEXT) LIKE ?",
                    (f"%{value}%",),
                ).fetchone()[0]
                if count:
                    found[table, column] = count
    return found
