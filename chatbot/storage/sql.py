"""How values and statements go through aiosqlite: one conversion; a read in one trip to its
thread, and a write transaction, whatever its statements, in one trip too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from typing import TypeVar, cast

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


async def one(
    conn: aiosqlite.Connection, sql: str, values: Mapping[str, object]
) -> sqlite3.Row | None:
    rows = await all_rows(conn, sql, values)
    return rows[0] if rows else None


async def all_rows(
    conn: aiosqlite.Connection, sql: str, values: Mapping[str, object]
) -> list[sqlite3.Row]:
    """Execute and fetch in one trip to aiosqlite's thread (a cursor costs three): each trip
    is about 0.1 ms, and a /size used to make eighteen (benchmarks/, README "Performance")."""
    return await in_thread(conn, lambda raw: fetch_all(raw, sql, values))


# ---------------------------------------------------------------- a transaction in one trip


class Busy(Exception):
    """Another process held the write lock for a whole `busy_timeout`."""


@dataclass(frozen=True)
class Done:
    """What one work of a shared transaction gave: its value, or the error that undid it."""

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


def each_atomically(works: Sequence[Work[object]]) -> Work[list[Done]]:
    """`works` in one transaction, each in a savepoint of its own: one that fails is undone
    alone and hands back its error, and the others are committed together, in one write of
    the log instead of one each. An error outside any work (the commit itself) undoes all."""

    def transaction(raw: sqlite3.Connection) -> list[Done]:
        begin(raw)
        done: list[Done] = []
        try:
            for work in works:
                raw.execute("SAVEPOINT work")
                try:
                    done.append(Done(value=work(raw)))
                except Exception as error:
                    raw.execute("ROLLBACK TO work")
                    done.append(Done(error=error))
                raw.execute("RELEASE work")
        except BaseException:
            raw.rollback()
            raise
        raw.commit()
        return done

    return transaction


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
