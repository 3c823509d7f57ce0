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
    # A check becomes columns (its inputs as evaluated, the figures the journal shows, the rules
    # that judged it) instead of 1.6 KB of JSON, its time Unix seconds; the member's standing is
    # kept as a running record. Outcomes are copied to a table that points at the new checks
    # before the old ones go, so no cascade can reach them. `Database.open` rebuilds the
    # standings from the rows right after this step.
    """
    CREATE TABLE checks_v5 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        update_key TEXT NOT NULL UNIQUE,
        user_id INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
        chat_id INTEGER NOT NULL,
        command TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        local_day TEXT NOT NULL,
        request TEXT,
        venue TEXT,
        symbol TEXT,
        side TEXT,
        leverage TEXT,
        entry TEXT,
        stop TEXT,
        target TEXT,
        account TEXT,
        risk TEXT,
        fee TEXT,
        margin_mode TEXT,
        contract TEXT,
        mmr TEXT,
        quantity TEXT,
        notional TEXT,
        margin TEXT,
        liquidation TEXT,
        fees TEXT,
        max_risk TEXT,
        max_leverage TEXT,
        risk_owner TEXT,
        leverage_owner TEXT,
        within_rules INTEGER NOT NULL CHECK (within_rules IN (0, 1)),
        breaks TEXT NOT NULL DEFAULT '',
        exploring INTEGER NOT NULL DEFAULT 0 CHECK (exploring IN (0, 1)),
        replied INTEGER NOT NULL DEFAULT 0 CHECK (replied IN (0, 1))
    );
    INSERT INTO checks_v5
    SELECT id, update_key, user_id, chat_id, command,
           CAST(strftime('%s', created_at) AS INTEGER), local_day,
           CASE WHEN command = 'size' THEN NULL ELSE request_json END,
           json_extract(result_json, '$.venue'), symbol, side, leverage,
           json_extract(result_json, '$.entry'), json_extract(result_json, '$.stop'),
           json_extract(result_json, '$.target'), json_extract(result_json, '$.account'),
           json_extract(result_json, '$.risk_budget'), json_extract(result_json, '$.fee_rate'),
           CASE json_extract(result_json, '$.margin_mode') WHEN 'cross' THEN 'cross' END,
           CASE WHEN json_extract(request_json, '$.contract') IS NOT NULL
                THEN json_extract(result_json, '$.contract.kind') || ':'
                     || json_extract(result_json, '$.contract.size') END,
           json_extract(request_json, '$.mmr'),
           json_extract(result_json, '$.quantity'), json_extract(result_json, '$.notional'),
           json_extract(result_json, '$.initial_margin'),
           json_extract(result_json, '$.liquidation_price'), json_extract(result_json, '$.fees'),
           NULL, NULL, NULL, NULL,
           within_rules, breaks, exploring, replied
    FROM checks;
    CREATE TABLE outcomes_v5 (
        check_id INTEGER PRIMARY KEY REFERENCES checks_v5 (id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
        result TEXT NOT NULL CHECK (result IN ('win', 'loss', 'be')),
        exit_price TEXT,
        r_multiple TEXT,
        liquidated INTEGER NOT NULL DEFAULT 0 CHECK (liquidated IN (0, 1)),
        loss_beyond_budget TEXT,
        created_at TEXT NOT NULL
    );
    INSERT INTO outcomes_v5 SELECT * FROM outcomes;
    DROP TABLE outcomes;
    DROP TABLE checks;
    ALTER TABLE checks_v5 RENAME TO checks;
    ALTER TABLE outcomes_v5 RENAME TO outcomes;
    CREATE INDEX checks_by_member ON checks (user_id, id);
    CREATE INDEX outcomes_by_member ON outcomes (user_id, check_id);
    CREATE TABLE standings (
        user_id INTEGER PRIMARY KEY REFERENCES members (user_id) ON DELETE CASCADE,
        tally TEXT NOT NULL,
        run TEXT NOT NULL,
        settled TEXT NOT NULL,
        settled_id INTEGER NOT NULL DEFAULT 0,
        pending_since INTEGER
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
    # No change of schema: outcomes logged before this version are scored again from their
    # checks' own figures (`Database.open`); until the v5 code, a liquidation counted less than
    # a stop-out and a win had no R.
    "",
    # A check's time in Unix seconds, as schema 5 meant: with pydantic 2.14 the serializer of
    # every field (`PlainJson`) overrode the one that made seconds, and times went in as ISO
    # text, which compared greater than any number ("checks since" found every check).
    """
    UPDATE checks SET created_at = CAST(strftime('%s', created_at) AS INTEGER)
    WHERE typeof(created_at) = 'text';
    """,
)
# A database below this version needs its outcomes scored again and its standings rebuilt
# (the standings arrived in version 5, every outcome's R from its check's figures in 7).
RESCORED_VERSION = 7


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
