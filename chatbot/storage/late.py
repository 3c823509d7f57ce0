"""Answers owed: checks logged but not answered because Telegram would not take the answer.

The check stays unanswered (`replied` 0) and its answer waits here, as it was worded, until a
job delivers it. Marking the check answered (`Database.mark_replied`, whoever answered it)
removes the row in the same transaction, so a redelivered question stays silent once the member
has the answer, and an answer is never owed after it was given. /forget erases the rows with
the member's other rows.
"""

from __future__ import annotations

from chatbot.storage.db import Database
from chatbot.storage.rows import LateAnswer
from chatbot.storage.sql import run_change

_COLUMNS = tuple(LateAnswer.model_fields)
_QUEUE = (
    f"INSERT INTO late_answers ({', '.join(_COLUMNS)}) "
    f"VALUES ({', '.join(':' + column for column in _COLUMNS)}) "
    "ON CONFLICT (check_id) DO NOTHING"
)
_OWED = f"SELECT {', '.join(_COLUMNS)} FROM late_answers ORDER BY check_id LIMIT :limit"
_STILL_OWED = "SELECT 1 FROM late_answers WHERE check_id = :check_id"
_FORGET_ONE = "DELETE FROM late_answers WHERE check_id = :check_id"


async def queue(db: Database, late: LateAnswer) -> None:
    """Keep an answer Telegram did not take, once per check."""
    values = late.model_dump(mode="json")
    await db.atomic(lambda raw: run_change(raw, _QUEUE, values))


async def owed(db: Database, limit: int) -> list[LateAnswer]:
    """The oldest answers still owed, in the order they were asked."""
    async with db.connection() as conn:
        rows = await conn.execute_fetchall(_OWED, {"limit": limit})
    return [LateAnswer.model_validate(dict(row)) for row in rows]


async def still_owed(db: Database, check_id: int) -> bool:
    """Whether the answer is still owed: the question's redelivery may have been answered."""
    async with db.connection() as conn:
        rows = await conn.execute_fetchall(_STILL_OWED, {"check_id": check_id})
    return bool(list(rows))


async def undeliverable(db: Database, check_id: int) -> None:
    """An answer Telegram refuses for good (the member blocked the bot, the chat is gone): it
    is owed no more, and the check stays unanswered."""
    await db.atomic(lambda raw: run_change(raw, _FORGET_ONE, {"check_id": check_id}))
