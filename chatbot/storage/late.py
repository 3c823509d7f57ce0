"""Answers owed: checks logged but not answered because Telegram would not take the answer.

The check stays unanswered (`replied` 0) and its answer waits here, as it was worded, until a
job delivers it; delivering removes the row and marks the check answered in one transaction,
so a redelivered question stays silent once the member has the answer. /forget erases the rows
with the member's other rows.
"""

from __future__ import annotations

import json

from chatbot.storage.db import Database
from chatbot.storage.rows import LateAnswer
from chatbot.storage.statements import MARK_REPLIED

_COLUMNS = tuple(LateAnswer.model_fields)
_QUEUE = (
    f"INSERT INTO late_answers ({', '.join(_COLUMNS)}) "
    f"VALUES ({', '.join(':' + column for column in _COLUMNS)}) "
    "ON CONFLICT (check_id) DO NOTHING"
)
_OWED = f"SELECT {', '.join(_COLUMNS)} FROM late_answers ORDER BY check_id LIMIT :limit"
_FORGET_ONE = "DELETE FROM late_answers WHERE check_id = :check_id"


async def queue(db: Database, late: LateAnswer) -> None:
    """Keep an answer Telegram did not take, once per check."""
    async with db.transaction() as conn:
        await conn.execute(_QUEUE, late.model_dump(mode="json"))


async def owed(db: Database, limit: int) -> list[LateAnswer]:
    """The oldest answers still owed, in the order they were asked."""
    async with db.connection() as conn:
        rows = await conn.execute_fetchall(_OWED, {"limit": limit})
    return [LateAnswer.model_validate(dict(row)) for row in rows]


async def delivered(db: Database, check_id: int) -> None:
    """The member has the answer: it is owed no more, and its check is answered. Written
    before anything else waiting, as any answer's mark is (`Database.mark_replied`)."""
    async with db.transaction(urgent=True) as conn:
        await conn.execute(_FORGET_ONE, {"check_id": check_id})
        await conn.execute(MARK_REPLIED, {"check_ids": json.dumps([check_id])})


async def undeliverable(db: Database, check_id: int) -> None:
    """An answer Telegram refuses for good (the member blocked the bot, the chat is gone): it
    is owed no more, and the check stays unanswered."""
    async with db.transaction() as conn:
        await conn.execute(_FORGET_ONE, {"check_id": check_id})
