"""The schema as ordered versions; `PRAGMA user_version` records how far a database got.

Never edit a shipped script: append a new one. Every amount is TEXT (an exact `Decimal`), every
timestamp an ISO-8601 UTC string, and every member table cascades from `members` so /forget can
erase a member in one transaction.
"""

from __future__ import annotations

import sqlite3

import aiosqlite

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE members (
        user_id INTEGER PRIMARY KEY,
        first_name TEXT,
        username TEXT,
        language_code TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE settings (
        user_id INTEGER PRIMARY KEY REFERENCES members (user_id) ON DELETE CASCADE,
        account TEXT,
        risk_fraction TEXT,
        risk_amount TEXT,
        leverage TEXT,
        fee TEXT,
        venue TEXT,
        margin_mode TEXT,
        max_risk TEXT,
        max_leverage TEXT,
        lang TEXT,
        tz TEXT,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE checks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        update_key TEXT NOT NULL UNIQUE,
        user_id INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
        chat_id INTEGER NOT NULL,
        command TEXT NOT NULL,
        request_json TEXT NOT NULL,
        result_json TEXT NOT NULL,
        symbol TEXT,
        side TEXT,
        risk_fraction TEXT,
        leverage TEXT,
        within_rules INTEGER NOT NULL CHECK (within_rules IN (0, 1)),
        breaks TEXT NOT NULL DEFAULT '',
        exploring INTEGER NOT NULL DEFAULT 0 CHECK (exploring IN (0, 1)),
        created_at TEXT NOT NULL,
        local_day TEXT NOT NULL
    );
    CREATE INDEX checks_by_member ON checks (user_id, id);
    CREATE TABLE outcomes (
        check_id INTEGER PRIMARY KEY REFERENCES checks (id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
        result TEXT NOT NULL CHECK (result IN ('win', 'loss', 'be')),
        exit_price TEXT,
        r_multiple TEXT,
        liquidated INTEGER NOT NULL DEFAULT 0 CHECK (liquidated IN (0, 1)),
        loss_beyond_budget TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX outcomes_by_member ON outcomes (user_id, check_id);
    CREATE TABLE groups (
        chat_id INTEGER PRIMARY KEY,
        title TEXT,
        max_risk TEXT,
        max_leverage TEXT,
        lang TEXT,
        updated_at TEXT NOT NULL
    );
    """,
    """
    ALTER TABLE checks ADD COLUMN replied INTEGER NOT NULL DEFAULT 0 CHECK (replied IN (0, 1));
    """,
    """
    CREATE TABLE reminders (
        user_id INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('daily', 'weekly')),
        weekday INTEGER CHECK (weekday BETWEEN 0 AND 6),
        at TEXT NOT NULL,
        tz TEXT NOT NULL,
        paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
        created_at TEXT NOT NULL,
        PRIMARY KEY (user_id, kind)
    );
    CREATE TABLE lesson_progress (
        user_id INTEGER PRIMARY KEY REFERENCES members (user_id) ON DELETE CASCADE,
        next_lesson INTEGER NOT NULL DEFAULT 0
    );
    ALTER TABLE groups ADD COLUMN lesson_target TEXT;
    ALTER TABLE groups ADD COLUMN lesson_kind TEXT CHECK (lesson_kind IN ('daily', 'weekly'));
    ALTER TABLE groups ADD COLUMN lesson_weekday INTEGER;
    ALTER TABLE groups ADD COLUMN lesson_at TEXT;
    ALTER TABLE groups ADD COLUMN lesson_tz TEXT;
    ALTER TABLE groups ADD COLUMN next_lesson INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE groups ADD COLUMN lessons_paused INTEGER NOT NULL DEFAULT 0;
    """,
    """
    CREATE TABLE market_snapshots (
        venue TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        as_of TEXT NOT NULL,
        instrument_count INTEGER NOT NULL CHECK (instrument_count >= 0),
        instruments_json TEXT NOT NULL,
        saved_at TEXT NOT NULL
    );
    """,
    """
    CREATE TABLE late_answers (
        check_id INTEGER PRIMARY KEY REFERENCES checks (id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
        chat_id INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        thread_id INTEGER,
        lang TEXT NOT NULL,
        text TEXT NOT NULL,
        markup_json TEXT,
        queued_at TEXT NOT NULL
    );
    """,
)


def statements(script: str) -> list[str]:
    """Split a script into statements: `executescript` would commit the migration's transaction."""
    found: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            statement = pending.strip().rstrip(";").strip()
            if statement:
                found.append(statement)
            pending = ""
    return found


async def schema_version(conn: aiosqlite.Connection) -> int:
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def migrate(conn: aiosqlite.Connection) -> int:
    """Apply the missing versions in one IMMEDIATE transaction, so two processes cannot race."""
    await conn.execute("BEGIN IMMEDIATE")
    try:
        version = await schema_version(conn)
        if version > len(MIGRATIONS):
            raise RuntimeError(f"database schema {version} is newer than this code knows")
        for number in range(version + 1, len(MIGRATIONS) + 1):
            for statement in statements(MIGRATIONS[number - 1]):
                await conn.execute(statement)
            await conn.execute(f"PRAGMA user_version = {number}")
    except BaseException:
        await conn.rollback()
        raise
    await conn.commit()
    return len(MIGRATIONS)
