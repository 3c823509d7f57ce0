"""How values and statements go through aiosqlite: one conversion, and the reads and writes
waiting together in one trip to its thread, the writes in one transaction.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from typing import Generic, TypeVar, cast

import aiosqlite

T = TypeVar("T")
# Statements run by the caller on the sqlite3 connection, on aiosqlite's thread.
Work = Callable[[sqlite3.Connection], T]


def now() -> datetime:
    return datetime.now(UTC)


def sql_value(value: object) -> object:
    """A Python value as sqlite stores it here: decimals as exact TEXT, never as a float (and
    never in exponent form: `format(…, "f")` writes 7.2E+4 as 72000)."""
    match value:
        case bool():
            return int(value)
        case None | int():
            return value
        case Decimal():
            return format(value, "f")
        case datetime():
            return value.astimezone(UTC).isoformat(timespec="seconds")
        case Enum():
            return value.value
        case tuple():
            return ",".join(value)
        case str():
            return value
    raise TypeError(f"cannot store {type(value).__name__}")


def params(values: Mapping[str, object]) -> dict[str, object]:
    return {name: sql_value(value) for name, value in values.items()}


# ---------------------------------------------------------------- a transaction in one trip


class Busy(Exception):
    """Another process held the write lock for a whole `busy_timeout`."""


@dataclass(frozen=True)
class Done:
    """What one read or write of a shared trip gave: its value, or the error that undid it."""

    value: object = None
    error: Exception | None = None


async def in_thread(conn: aiosqlite.Connection, work: Work[T]) -> T:
    """Run `work` with the sqlite3 connection on aiosqlite's own thread, in one trip.

    Each call of aiosqlite's API is a trip to its thread and back, and under a flood each trip
    waits for the other thread's turn at the interpreter: logging a /size with its standing
    took six, and in a flood the bot answered almost twice as fast with its database stubbed
    out.
    aiosqlite has no public call for a function of several statements, so this is the one
    place that uses its `_execute` (which its own cursors use).
    """
    execute = cast("Callable[..., Awaitable[T]]", conn._execute)
    return await execute(work, conn._conn)


def begin(raw: sqlite3.Connection) -> None:
    """Take the write lock; `Busy` when another process kept it for a whole busy_timeout."""
    try:
        raw.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY:
            raise Busy from error
        raise


def atomically(work: Work[T]) -> Work[T]:
    """`work` as one transaction: committed as a whole, or rolled back on any error."""

    def transaction(raw: sqlite3.Connection) -> T:
        begin(raw)
        try:
            result = work(raw)
        except BaseException:
            raw.rollback()
            raise
        raw.commit()
        return result

    return transaction


@dataclass(frozen=True)
class Job(Generic[T]):
    """A read or a write waiting for its turn at the connection, and where its outcome goes."""

    work: Work[T]
    write: bool
    done: asyncio.Future[T] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


def in_one_trip(reads: Sequence[Work[object]], writes: Sequence[Work[object]]) -> Work[list[Done]]:
    """The reads, then the writes in one transaction, each write in a savepoint of its own: one
    that fails is undone alone and hands back its error, and the others are committed together,
    in one write of the log instead of one each. An error outside any work (the commit itself,
    `Busy` before the first) undoes all of them."""

    def trip(raw: sqlite3.Connection) -> list[Done]:
        done = [_attempt(work, raw) for work in reads]
        if not writes:
            return done
        begin(raw)
        try:
            for work in writes:
                raw.execute("SAVEPOINT work")
                outcome = _attempt(work, raw)
                if outcome.error is not None:
                    raw.execute("ROLLBACK TO work")
                raw.execute("RELEASE work")
                done.append(outcome)
        except BaseException:
            raw.rollback()
            raise
        raw.commit()
        return done

    return trip


def _attempt(work: Work[object], raw: sqlite3.Connection) -> Done:
    try:
        return Done(value=work(raw))
    except Exception as error:
        return Done(error=error)


def fetch_all(raw: sqlite3.Connection, sql: str, values: Mapping[str, object]) -> list[sqlite3.Row]:
    rows: list[sqlite3.Row] = raw.execute(sql, values).fetchall()
    return rows


def fetch_one(
    raw: sqlite3.Connection, sql: str, values: Mapping[str, object]
) -> sqlite3.Row | None:
    row: sqlite3.Row | None = raw.execute(sql, values).fetchone()
    return row


def run_change(raw: sqlite3.Connection, sql: str, values: Mapping[str, object]) -> int:
    """Run one write statement and say how many rows it touched."""
    return raw.execute(sql, values).rowcount
