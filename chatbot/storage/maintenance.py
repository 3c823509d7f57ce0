"""Backups, schema upgrades and health of the member log, safe while the bot runs.

A backup reads the live file through its own query-only connection, so it can never change it
(not even migrate it before an upgrade), and copies it with SQLite's online backup API in one
step: one consistent snapshot of every committed write, taken while the bot keeps writing (WAL
lets readers and the writer proceed together). The copy is written next to the target, checked,
turned into a self-contained single file, and only then renamed over the target, so a failed
backup never replaces a good one. An existing target is replaced only when it is a regular
file holding an SQLite database (an earlier backup); a link, a device, a folder or any other
file is refused, since the command runs as root on servers and `riskbot backup /dev/null` once
replaced the device node.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import aiosqlite

from chatbot.markets.models import VenueSnapshot
from chatbot.storage.db import Database
from chatbot.storage.markets import load_snapshots
from chatbot.storage.migrations import MIGRATIONS, RESCORED_VERSION, schema_version

BUSY_SECONDS = 5.0  # as the bot's busy_timeout: wait for a writer instead of failing
_QUERY_ONLY = "PRAGMA query_only = ON"
_SINGLE_FILE = "PRAGMA journal_mode = DELETE"
_QUICK_CHECK = "PRAGMA quick_check"
_COMPANIONS = ("-wal", "-shm", "-journal")
_SQLITE_HEADER = b"SQLite format 3\x00"
_SCHEMA_VERSION = "PRAGMA schema_version"
_TAKE_WRITE_LOCK = "BEGIN IMMEDIATE"


class MaintenanceError(Exception):
    """A maintenance step that cannot be done, worded for the operator."""


@dataclass(frozen=True)
class SchemaState:
    """How far a database's schema is, against what this code knows."""

    version: int
    latest: int = len(MIGRATIONS)

    @property
    def current(self) -> bool:
        return self.version == self.latest


@asynccontextmanager
async def read_only(path: Path) -> AsyncIterator[aiosqlite.Connection]:
    """A connection that cannot change the data; a missing file is an error, not a new one.

    `query_only` rather than a read-only open: a read-only connection to a WAL database leaves
    its -wal and -shm files behind, owned by whoever ran the command (root, say), and a bot
    running as another user could then not open the database. A query-only connection that
    is the last one to close removes them, as the bot itself does.
    """
    if not path.is_file():
        raise MaintenanceError(f"no database at {path}")
    try:
        conn = await aiosqlite.connect(path, timeout=BUSY_SECONDS)
        await conn.execute(_QUERY_ONLY)
    except aiosqlite.Error as error:
        raise MaintenanceError(f"cannot open {path}: {error}") from None
    try:
        yield conn
    finally:
        await conn.close()


async def schema_state(path: Path) -> SchemaState:
    """The schema version of the database at `path`, read without changing anything."""
    async with read_only(path) as conn:
        try:
            return SchemaState(await schema_version(conn))
        except aiosqlite.DatabaseError as error:
            raise MaintenanceError(f"{path} is not a readable SQLite database: {error}") from None


def check_database(path: Path) -> None:
    """Open the member log for writing before the bot connects anywhere, so a missing folder,
    a file that is not SQLite or a read-only file is one clear line for the operator, not a
    traceback from inside the running bot. A new file is created, as the bot would."""
    try:
        with closing(sqlite3.connect(path, timeout=BUSY_SECONDS)) as conn:
            conn.execute(_SCHEMA_VERSION).fetchone()
            conn.execute(_TAKE_WRITE_LOCK)
            conn.rollback()
    except (sqlite3.Error, OSError) as error:
        raise MaintenanceError(f"cannot open the database {path}: {error}") from None


async def stored_snapshots(path: Path) -> list[VenueSnapshot]:
    """The market snapshots a refresh stored, read without changing anything (none if the
    database does not exist yet or predates the market tables)."""
    if not path.is_file():
        return []
    async with read_only(path) as conn:
        try:
            return await load_snapshots(conn)
        except aiosqlite.OperationalError:
            return []


async def migrate_file(path: Path) -> tuple[int, int]:
    """Bring the schema up to date (a no-op when it is) and recompute every member's standing
    from the rows, so the running record is what the log says; returns (version before, after)."""
    before = (await schema_state(path)).version if path.is_file() else 0
    try:
        async with await Database.open(path) as db:
            if not 0 < before < RESCORED_VERSION:  # below it, opening already rebuilt them
                await db.rebuild_standings()
    except (aiosqlite.Error, RuntimeError) as error:
        raise MaintenanceError(f"cannot migrate {path}: {error}") from None
    return before, (await schema_state(path)).version


async def _finish_copy(copy: Path) -> None:
    """Check the copy and make it one file (no -wal companion to lose on the way)."""
    async with aiosqlite.connect(copy) as conn:
        await conn.execute(_SINGLE_FILE)
        async with conn.execute(_QUICK_CHECK) as cursor:
            row = await cursor.fetchone()
    if row is None or row[0] != "ok":
        raise MaintenanceError(f"the copy failed its integrity check: {row and row[0]}")


def backup_file(target: Path, now: datetime) -> Path:
    """A folder gets a new file named by the UTC time (sorts by age); a file is used as is.

    A link is never followed, not even to a folder: it is returned as is and refused later.
    """
    if target.is_dir() and not target.is_symlink():
        return target / f"riskbot-{now:%Y%m%dT%H%M%SZ}.sqlite3"
    return target


def _replaceable(target: Path) -> None:
    """Refuse any existing target but a regular file holding an SQLite database."""
    if target.is_symlink():
        raise MaintenanceError(f"{target} is a symbolic link: give a new file or a folder")
    if not target.exists():
        return
    if not target.is_file():
        raise MaintenanceError(f"{target} is not a regular file: give a new file or a folder")
    with target.open("rb") as existing:
        header = existing.read(len(_SQLITE_HEADER))
    if header != _SQLITE_HEADER:
        raise MaintenanceError(
            f"{target} exists and is not a backup of the database: I will not replace it"
        )


def _remove_with_companions(path: Path) -> None:
    for suffix in ("", *_COMPANIONS):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def backup(source: Path, target: Path) -> SchemaState:
    """Copy the database at `source` to `target`, replacing `target` only when the copy is good."""
    if target.exists() and target.resolve() == source.resolve():
        raise MaintenanceError("the backup must go to another file than the database itself")
    if not target.parent.is_dir():
        raise MaintenanceError(f"no folder {target.parent} for the backup: create it first")
    _replaceable(target)
    partial = target.with_name(target.name + ".partial")
    _remove_with_companions(partial)
    try:
        async with read_only(source) as conn:
            await Database(conn).backup(partial)
        await _finish_copy(partial)
        for suffix in _COMPANIONS:  # a stale -wal would be replayed onto the new copy
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(partial, target)
    except aiosqlite.Error as error:
        raise MaintenanceError(f"the backup failed: {error}") from None
    finally:
        _remove_with_companions(partial)
    return await schema_state(target)
