"""The bot's only database: members' settings, their logged checks and outcomes, groups' policies.

One aiosqlite connection, used by one coroutine at a time (`Turns`, where marking an answer as
sent goes first): a write is a `BEGIN IMMEDIATE` transaction that commits or rolls back as a
whole, run as one function on aiosqlite's thread (`atomic`; reads and writes that wait together
share one trip, the writes one transaction with a savepoint each), and a read never sees a
write that is half done.
WAL with synchronous=NORMAL keeps every committed write through a crash of the bot (only an
OS crash or a power cut can cost the last commits), and `busy_timeout` lets a second process,
such as a backup or an admin's sqlite shell, wait instead of failing. A write waits as long as
the other process holds the database, one `busy_timeout` after another: a check is never
dropped because someone held a transaction open for longer than five seconds.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from sqlite3 import Row
from types import TracebackType
from typing import Any, TypeVar

import aiosqlite
from pydantic import BaseModel

from chatbot.evaluation.discipline import DisciplineRow
from chatbot.evaluation.log import JournalRow, NewCheck, Reminder
from chatbot.evaluation.outcomes import OutcomeFigures
from chatbot.evaluation.standing import Marking, Standing
from chatbot.storage import record, statements
from chatbot.storage.migrations import RESCORED_VERSION, migrate, schema_version
from chatbot.storage.record import CheckLogged, journal_row
from chatbot.storage.rows import GroupPolicy, MemberExport, MemberRow, MemberSettings
from chatbot.storage.sql import (
    Busy,
    Done,
    Job,
    Work,
    atomically,
    fetch_all,
    fetch_one,
    in_one_trip,
    in_thread,
    run_change,
)
from chatbot.storage.sql import now as _now
from chatbot.storage.sql import params as _params
from chatbot.storage.turns import Turns

log = logging.getLogger(__name__)
T = TypeVar("T")


def _validated(
    model: type[BaseModel], key: dict[str, object], changes: Mapping[str, object]
) -> dict[str, object]:
    """Only the model's own fields may change, each validated (and typed) by the model, then
    dumped as the columns that hold them."""
    settable = set(model.model_fields) - {*key, "updated_at"}
    unknown = set(changes) - settable
    if unknown:
        raise ValueError(f"unknown field(s) for {model.__name__}: {', '.join(sorted(unknown))}")
    checked = model.model_validate({**key, "updated_at": _now(), **changes})
    columns: dict[str, object] = checked.model_dump(include={*changes, "updated_at"})
    return columns


def _upsert_sql(table: str, key: str, columns: Iterable[str]) -> str:
    """Set the given columns of one row, creating the row if needed; names come from models."""
    names = [key, *columns]
    updates = ", ".join(f"{name} = excluded.{name}" for name in names[1:])
    return (
        f"INSERT INTO {table} ({', '.join(names)}) "
        f"VALUES ({', '.join(':' + name for name in names)}) "
        f"ON CONFLICT ({key}) DO UPDATE SET {updates} RETURNING *"
    )


class Database:
    """Async access to the bot's sqlite file; open with `await Database.open(path)`."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._turns = Turns()
        self._to_mark: set[int] = set()
        self._jobs: list[Job[Any]] = []

    @classmethod
    async def open(cls, path: str | Path) -> Database:
        """Connect, set the pragmas and bring the schema up to date before any use."""
        conn = await aiosqlite.connect(path, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            for pragma in statements.PRAGMAS:
                await conn.execute(pragma)
            before = await schema_version(conn)
            await migrate(conn)
        except BaseException:
            await conn.close()
            raise
        db = cls(conn)
        if 0 < before < RESCORED_VERSION:
            await db.atomic(record.rescore)
            await db.rebuild_standings()
        return db

    async def close(self) -> None:
        async with self._turns.turn():
            await self._conn.close()

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def atomic(self, work: Work[T], *, urgent: bool = False) -> T:
        """Every write: the statements of `work` as one transaction, committed as a whole or
        rolled back on any error, in one trip to the database thread rather than a trip for
        each statement. An urgent one goes before every write and read still waiting."""
        return await self._queued(Job(work=work, write=True), urgent)

    async def _fetch(self, work: Work[T]) -> T:
        """A read: `work`'s statements, outside any write."""
        return await self._queued(Job(work=work, write=False), urgent=False)

    async def _one(self, sql: str, values: Mapping[str, object]) -> Row | None:
        return await self._fetch(lambda raw: fetch_one(raw, sql, values))

    async def _all(self, sql: str, values: Mapping[str, object]) -> list[Row]:
        return await self._fetch(lambda raw: fetch_all(raw, sql, values))

    async def _queued(self, job: Job[T], urgent: bool) -> T:
        """Run `job` with every other one waiting for its turn, in one trip (`in_one_trip`).

        A trip to aiosqlite's thread and back costs about 0.1 ms of the machine (a read in its
        own trip 95 µs, in a shared one 4 µs), and each commit writes the log once: under a
        flood, whoever's turn comes first takes every waiting read and write along, so the
        member reads of a batch of updates and their checks' writes cost a trip and a commit
        together, each write still undone alone if it fails.
        """
        self._jobs.append(job)
        async with self._turns.turn(urgent=urgent):
            if not job.done.done():
                jobs, self._jobs = self._jobs, []
                # Shielded: a cancelled caller must not leave the others' outcomes unknown.
                await asyncio.shield(self._run(jobs))
        return job.done.result()

    async def _run(self, jobs: list[Job[Any]]) -> None:
        reads = [job for job in jobs if not job.write]
        writes = [job for job in jobs if job.write]
        trip = in_one_trip([job.work for job in reads], [job.work for job in writes])
        try:
            outcomes = await self._patiently(trip)
        except Exception as error:
            outcomes = [Done(error=error)] * len(jobs)
        except BaseException:  # the loop is going down: no caller may wait for ever
            for job in jobs:
                job.done.cancel()
            raise
        for job, outcome in zip(reads + writes, outcomes, strict=True):
            if outcome.error is None:
                job.done.set_result(outcome.value)
            else:
                job.done.set_exception(outcome.error)

    async def _patiently(self, work: Work[T]) -> T:
        """Run `work` on the database thread, again each time another process kept the write
        lock for a whole busy_timeout (logged, so an operator sees who holds it)."""
        waits = 0
        while True:
            try:
                return await in_thread(self._conn, work)
            except Busy:
                waits += 1
                log.warning("another process holds the database: still waiting (%s)", waits)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection, held alone, for statement modules of their own (storage.markets)."""
        async with self._turns.turn():
            yield self._conn

    # members and their settings

    async def upsert_member(
        self, user_id: int, first_name: str | None, username: str | None, language_code: str | None
    ) -> None:
        """Keep the member's Telegram names current; created_at stays the first time seen."""
        params = _params(
            {
                "user_id": user_id,
                "first_name": first_name,
                "username": username,
                "language_code": language_code,
                "created_at": _now(),
            }
        )
        await self.atomic(lambda raw: run_change(raw, statements.UPSERT_MEMBER, params))

    async def member(self, user_id: int) -> MemberRow | None:
        row = await self._one(statements.MEMBER, {"user_id": user_id})
        return None if row is None else MemberRow.model_validate(dict(row))

    async def member_settings(self, user_id: int) -> MemberSettings | None:
        row = await self._one(statements.SETTINGS, {"user_id": user_id})
        return None if row is None else MemberSettings.model_validate(dict(row))

    async def save_settings(self, user_id: int, **changes: Any) -> MemberSettings:
        """Set the named settings (None clears one); an unknown name raises ValueError."""
        values = _validated(MemberSettings, {"user_id": user_id}, changes)
        sql = _upsert_sql("settings", "user_id", values)

        def upsert(raw: sqlite3.Connection) -> sqlite3.Row | None:
            _ensure_member(raw, user_id)
            return fetch_one(raw, sql, _params({"user_id": user_id, **values}))

        row = await self.atomic(upsert)
        assert row is not None
        return MemberSettings.model_validate(dict(row))

    # checks, outcomes and the member's standing

    async def record_check(self, check: NewCheck) -> CheckLogged:
        """Log a check once per update, and with a new /size the member's standing, together."""

        def log(raw: sqlite3.Connection) -> CheckLogged:
            _ensure_member(raw, check.user_id)
            return record.insert_check(raw, check)

        return await self.atomic(log)

    async def was_replied(self, check_id: int) -> bool:
        """A redelivered update is answered again only if the first delivery never was."""
        row = await self._one(statements.REPLIED, {"check_id": check_id})
        return row is not None and bool(row["replied"])

    async def mark_replied(self, check_id: int) -> None:
        """The member has the answer: a redelivery of this update must stay silent, and the
        answer is no longer owed if it was.

        Until this is written a crash means a second answer, so it goes before anything else
        waiting, and the marks of answers that arrive together are written in one transaction;
        it returns once this one is written, by this call or by the one that took it along.
        Marks keep this queue of their own rather than joining the shared trips (`_queued`):
        there they would wait for the commit of every check logged with them.
        """
        self._to_mark.add(check_id)
        async with self._turns.turn(urgent=True):
            marks, self._to_mark = self._to_mark, set()
            if not marks:
                return
            ids = {"check_ids": json.dumps(sorted(marks))}

            def mark(raw: sqlite3.Connection) -> None:
                for statement in statements.MARK_REPLIED:
                    raw.execute(statement, ids)

            try:
                await self._patiently(atomically(mark))
            except BaseException:
                self._to_mark |= marks
                raise

    async def set_exploring(
        self, user_id: int, check_id: int, exploring: bool, at: datetime | None = None
    ) -> Marking:
        """Mark the member's own /size check as "just exploring" (or count it again), while it
        has no outcome and is less than 24 hours old at `at` (now by default)."""
        when = at or _now()
        return await self.atomic(
            lambda raw: record.mark_exploring(raw, user_id, check_id, exploring, when)
        )

    async def record_outcome(self, user_id: int, check_id: int, figures: OutcomeFigures) -> Marking:
        """Set (or replace) how the member's own counted /size check ended."""
        return await self.atomic(lambda raw: record.save_outcome(raw, user_id, check_id, figures))

    async def standing(self, user_id: int) -> Standing:
        """The member's running record: one row, whatever the history."""
        return await self._fetch(lambda raw: record.standing(raw, user_id))

    async def rebuild_standings(self, user_id: int | None = None) -> int:
        """Compute standings again from the rows (`riskbot migrate`); returns how many."""
        return await self.atomic(lambda raw: record.rebuild(raw, _now(), user_id))

    async def get_check(self, user_id: int, check_id: int) -> JournalRow | None:
        """The member's own check with its outcome; another member's id reads as missing."""
        values = {"user_id": user_id, "check_id": check_id}
        row = await self._one(statements.JOURNAL_ONE, values)
        return None if row is None else journal_row(row)

    async def journal(
        self, user_id: int, limit: int, before_id: int | None = None, *, sized: bool = False
    ) -> list[JournalRow]:
        """A page of the log, newest first (only /size checks when `sized`); pass the last id
        shown as `before_id` for the next."""
        values = {"user_id": user_id, "limit": limit, "before_id": before_id, "sized": sized}
        rows = await self._all(statements.JOURNAL_PAGE, values)
        return [journal_row(row) for row in rows]

    async def count_checks(self, user_id: int) -> int:
        row = await self._one(statements.COUNT_CHECKS, {"user_id": user_id})
        assert row is not None
        return int(row[0])

    async def latest_check(self, user_id: int) -> int | None:
        """The member's latest counted /size check, for examples that use their own number."""
        row = await self._one(statements.LATEST_SIZE, {"user_id": user_id})
        return None if row is None or row[0] is None else int(row[0])

    async def discipline_rows(self, user_id: int) -> list[DisciplineRow]:
        """The member's whole record in id order, as `chatbot.evaluation.discipline` reads it:
        for rebuilding and checking the standing, never on a member's request."""
        rows = await self._all(statements.DISCIPLINE_ALL, {"user_id": user_id})
        return [DisciplineRow.model_validate(dict(row)) for row in rows]

    async def latest_counted(self, user_id: int, limit: int) -> list[DisciplineRow]:
        """The latest `limit` counted /size checks, oldest first, for the risk chart."""
        rows = await self._all(statements.LATEST_COUNTED, {"user_id": user_id, "limit": limit})
        return [DisciplineRow.model_validate(dict(row)) for row in reversed(rows)]

    async def export_rows(self, user_id: int) -> MemberExport:
        """Everything stored about the member, read in one go so the parts agree."""
        params = {"user_id": user_id}

        def read(raw: sqlite3.Connection) -> tuple[Row | None, Row | None, list[Row]]:
            member = fetch_one(raw, statements.MEMBER, params)
            settings = fetch_one(raw, statements.SETTINGS, params)
            return member, settings, fetch_all(raw, statements.JOURNAL_ALL, params)

        member, settings, checks = await self._fetch(read)
        return MemberExport(
            member=None if member is None else MemberRow.model_validate(dict(member)),
            settings=None if settings is None else MemberSettings.model_validate(dict(settings)),
            checks=tuple(journal_row(row) for row in checks),
        )

    async def forget(self, user_id: int) -> int:
        """Erase every row of the member in one transaction, then checkpoint the write-ahead
        log so no copy of the rows stays in the -wal file; returns how many rows went."""
        counts = await self.atomic(
            lambda raw: [run_change(raw, sql, {"user_id": user_id}) for sql in statements.FORGET]
        )
        (busy, _, _), *_ = await self._all(statements.WAL_CHECKPOINT, {})
        if busy:
            log.warning("another connection reads the database: the erase is checkpointed later")
        return sum(counts)

    # groups

    async def group_policy(self, chat_id: int) -> GroupPolicy | None:
        row = await self._one(statements.POLICY, {"chat_id": chat_id})
        return None if row is None else GroupPolicy.model_validate(dict(row))

    async def save_policy(self, chat_id: int, **changes: Any) -> GroupPolicy:
        """Set the named policy fields (None clears one); an unknown name raises ValueError."""
        values = _validated(GroupPolicy, {"chat_id": chat_id}, changes)
        sql = _upsert_sql("groups", "chat_id", values)
        row = await self.atomic(
            lambda raw: fetch_one(raw, sql, _params({"chat_id": chat_id, **values}))
        )
        assert row is not None
        return GroupPolicy.model_validate(dict(row))

    async def lesson_schedules(self) -> list[GroupPolicy]:
        """Every community with an active lesson schedule, for the job queue at start-up."""
        rows = await self._all(statements.LESSON_SCHEDULES, {})
        return [GroupPolicy.model_validate(dict(row)) for row in rows]

    # reminders and lessons

    async def save_reminder(self, reminder: Reminder) -> None:
        """Set the member's daily or weekly reminder (one of each), unpausing it."""
        params = _params({**reminder.model_dump(exclude={"paused"}), "created_at": _now()})

        def save(raw: sqlite3.Connection) -> None:
            _ensure_member(raw, reminder.user_id)
            raw.execute(statements.SAVE_REMINDER, params)

        await self.atomic(save)

    async def reminders(self, user_id: int) -> list[Reminder]:
        rows = await self._all(statements.REMINDERS, {"user_id": user_id})
        return [Reminder.model_validate(dict(row)) for row in rows]

    async def active_reminders(self) -> list[Reminder]:
        """Every reminder that should fire: SQLite, not the job queue, is the source of truth."""
        rows = await self._all(statements.ACTIVE_REMINDERS, {})
        return [Reminder.model_validate(dict(row)) for row in rows]

    async def delete_reminders(self, user_id: int) -> int:
        return await self.atomic(
            lambda raw: run_change(raw, statements.DELETE_REMINDERS, {"user_id": user_id})
        )

    async def pause_reminders(self, user_id: int) -> None:
        """A member who blocked the bot gets no more attempts until they set a reminder again."""
        await self.atomic(
            lambda raw: run_change(raw, statements.PAUSE_REMINDERS, {"user_id": user_id})
        )

    async def open_checks(self, user_id: int, since: datetime) -> list[JournalRow]:
        """Counted /size checks since `since` whose outcome the member has not recorded."""
        params = {"user_id": user_id, "since": int(since.timestamp())}
        rows = await self._all(statements.OPEN_CHECKS, params)
        return [journal_row(row) for row in rows]

    async def breaks_since(self, user_id: int, since: datetime) -> list[str]:
        """Every rule broken by a counted check since `since`, one entry per break."""
        params = {"user_id": user_id, "since": int(since.timestamp())}
        rows = await self._all(statements.BREAKS_SINCE, params)
        return [code for row in rows for code in str(row["breaks"]).split(",") if code]

    async def next_lesson(self, user_id: int) -> int:
        row = await self._one(statements.NEXT_LESSON, {"user_id": user_id})
        return 0 if row is None else int(row["next_lesson"])

    async def set_next_lesson(self, user_id: int, index: int) -> None:
        def save(raw: sqlite3.Connection) -> None:
            _ensure_member(raw, user_id)
            raw.execute(statements.SET_NEXT_LESSON, {"user_id": user_id, "next_lesson": index})

        await self.atomic(save)

    # maintenance

    async def backup(self, path: str | Path) -> None:
        """Copy the database with sqlite's online backup API: a consistent file of what is
        committed, taken between two writes of this process while the bot keeps running."""
        async with aiosqlite.connect(path, check_same_thread=False) as target, self._turns.turn():
            await self._conn.backup(target)


def _ensure_member(raw: sqlite3.Connection, user_id: int) -> None:
    """A check or a setting must never be lost because /start was skipped."""
    raw.execute(statements.ENSURE_MEMBER, _params({"user_id": user_id, "created_at": _now()}))
