"""The member's log and standing, changed together: each function runs inside the caller's
transaction, on the database thread in one trip (`Database._atomic`), so a check or an outcome
and the standing it changes are committed as one, or not at all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime

from chatbot.engine.models import Frozen
from chatbot.evaluation.discipline import DisciplineRow, Scored, scored_of
from chatbot.evaluation.log import CheckRow, JournalRow, NewCheck, OutcomeRow
from chatbot.evaluation.outcomes import OutcomeFigures, outcome_figures
from chatbot.evaluation.records import revive_size
from chatbot.evaluation.standing import (
    EXPLORE_WINDOW,
    SETTLE_BATCH,
    Marking,
    Standing,
    rebuilt,
    settled_through,
    settling,
    with_check,
    with_exploring,
    with_outcome,
)
from chatbot.language.errors import CommandError
from chatbot.language.requests import Outcome
from chatbot.storage import statements
from chatbot.storage.sql import fetch_all, fetch_one, now, params, run_change

ALL = -1


class CheckLogged(Frozen):
    """A logged check: its id, whether this call inserted it, and for a new /size the standing
    without and with it (for the feedback line)."""

    check_id: int
    inserted: bool
    before: Standing | None = None
    after: Standing | None = None


def _rows(rows: Iterable[sqlite3.Row]) -> list[DisciplineRow]:
    return [DisciplineRow.model_validate(dict(row)) for row in rows]


def standing(conn: sqlite3.Connection, user_id: int) -> Standing:
    """The member's standing; a member without checks has the empty one."""
    row = fetch_one(conn, statements.STANDING, {"user_id": user_id})
    return Standing() if row is None else Standing.model_validate(dict(row))


def save_standing(conn: sqlite3.Connection, user_id: int, kept: Standing) -> None:
    values = {
        "user_id": user_id,
        "tally": kept.tally.model_dump_json(),
        "run": kept.run.model_dump_json(),
        "settled": kept.settled.model_dump_json(),
        "settled_id": kept.settled_id,
        "pending_since": None
        if kept.pending_since is None
        else int(kept.pending_since.timestamp()),
    }
    conn.execute(statements.SAVE_STANDING, values)


def unsettled(
    conn: sqlite3.Connection, user_id: int, after: int, limit: int = ALL
) -> list[DisciplineRow]:
    values = {"user_id": user_id, "after": after, "limit": limit}
    return _rows(fetch_all(conn, statements.UNSETTLED, values))


def insert_check(conn: sqlite3.Connection, check: NewCheck) -> CheckLogged:
    """Log the check once per update; a new /size advances the standing (and settles a batch
    of old checks when some are due), so the cost stays flat whatever the history."""
    inserted = fetch_all(conn, statements.INSERT_CHECK, params(check.model_dump()))
    if not inserted:
        row = fetch_one(conn, statements.CHECK_ID, {"update_key": check.update_key})
        assert row is not None
        return CheckLogged(check_id=int(row["id"]), inserted=False)
    check_id = int(inserted[0]["id"])
    if check.command != "size":
        return CheckLogged(check_id=check_id, inserted=True)
    before = standing(conn, check.user_id)
    counted = DisciplineRow.model_validate(
        check.model_dump(include={"created_at", "local_day", "within_rules", "breaks"})
        | {"check_id": check_id}
    )
    after = with_check(before, counted)
    if settling(after, check.created_at):
        batch = unsettled(conn, check.user_id, after.settled_id, SETTLE_BATCH)
        after = settled_through(after, batch, check.created_at)
    save_standing(conn, check.user_id, after)
    return CheckLogged(check_id=check_id, inserted=True, before=before, after=after)


def _own(conn: sqlite3.Connection, user_id: int, check_id: int) -> DisciplineRow | None:
    row = fetch_one(conn, statements.DISCIPLINE_ONE, {"user_id": user_id, "check_id": check_id})
    return None if row is None else DisciplineRow.model_validate(dict(row))


def mark_exploring(
    conn: sqlite3.Connection, user_id: int, check_id: int, exploring: bool, at: datetime
) -> Marking:
    """Mark a /size check as "just exploring" (or count it again): only the member's own,
    before its outcome is recorded and within 24 hours; the record then counts it for good."""
    check = _own(conn, user_id, check_id)
    if check is None:
        return Marking.NOT_YOURS
    if check.result is not None:
        return Marking.OUTCOME_RECORDED
    kept = standing(conn, user_id)
    if check.check_id <= kept.settled_id or check.created_at <= at - EXPLORE_WINDOW:
        return Marking.TOO_LATE
    if check.exploring == exploring:
        return Marking.MARKED
    run_change(conn, statements.SET_EXPLORING, {"check_id": check_id, "exploring": exploring})
    replay = unsettled(conn, user_id, kept.settled_id)
    changed = check.model_copy(update={"exploring": exploring})
    save_standing(conn, user_id, with_exploring(kept, changed, replay))
    return Marking.MARKED


def save_outcome(
    conn: sqlite3.Connection, user_id: int, check_id: int, figures: OutcomeFigures
) -> Marking:
    """Set (or replace) how a counted /size check ended, and its place in the standing."""
    check = _own(conn, user_id, check_id)
    if check is None:
        return Marking.NOT_YOURS
    if check.exploring:
        return Marking.EXPLORING
    values = figures.model_dump() | {"user_id": user_id, "check_id": check_id, "created_at": now()}
    run_change(conn, statements.UPSERT_OUTCOME, params(values))
    new = Scored.model_validate(
        figures.model_dump(exclude={"exit_price"})
        | check.model_dump(include={"local_day", "within_rules"})
    )
    kept = with_outcome(standing(conn, user_id), scored_of(check), new)
    save_standing(conn, user_id, kept)
    return Marking.MARKED


def rebuild(conn: sqlite3.Connection, at: datetime, user_id: int | None = None) -> int:
    """Compute standings again from the rows (one member's, or everyone's); returns how many."""
    if user_id is None:
        conn.execute(statements.DELETE_STANDINGS)
        members = [int(row[0]) for row in fetch_all(conn, statements.MEMBERS_WITH_CHECKS, {})]
    else:
        members = [user_id]
    for member in members:
        rows = _rows(fetch_all(conn, statements.DISCIPLINE_ALL, {"user_id": member}))
        save_standing(conn, member, rebuilt(rows, at))
    return len(members)


def journal_row(row: sqlite3.Row) -> JournalRow:
    """A check with its outcome, from a row of the checks joined with the outcomes."""
    data = dict(row)
    outcome = {name[2:]: data.pop(name) for name in list(data) if name.startswith("o_")}
    return JournalRow(
        check=CheckRow.model_validate(data),
        outcome=None if outcome["result"] is None else OutcomeRow.model_validate(outcome),
    )


def rescore(conn: sqlite3.Connection) -> int:
    """Score every outcome again from its check's own figures, as a new one is scored; returns
    how many it scored. One whose check cannot be sized again (a delisted coin) or that lacks a
    price it needs (a win logged without an exit, on a check without a target) keeps its score.
    """
    scored = 0
    for row in map(journal_row, fetch_all(conn, statements.EVERY_OUTCOME, {})):
        old = row.outcome
        sized = revive_size(row.check)
        if old is None or sized is None:
            continue
        kind: Outcome = "liq" if old.liquidated else old.result.value
        try:
            new = outcome_figures(sized, kind, old.exit_price, row.check.rules.max_risk)
        except CommandError:
            continue
        values = params(new.model_dump() | {"check_id": row.check.id})
        scored += run_change(conn, statements.RESCORE_OUTCOME, values)
    return scored
