"""How values and statements go through aiosqlite: one conversion, one trip per statement."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum

import aiosqlite


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
    return list(await conn.execute_fetchall(sql, values))


async def change(conn: aiosqlite.Connection, sql: str, values: Mapping[str, object]) -> int:
    """Run one write statement and say how many rows it touched."""
    async with conn.execute(sql, values) as cursor:
        return cursor.rowcount
