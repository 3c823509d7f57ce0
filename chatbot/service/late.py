"""Answers owed to members because Telegram would not take them when they were due.

The bot layer words each answer as it would have sent it and keeps it here; its job delivers
the answers in the order they were asked, telling each chat once that they are late.
"""

from __future__ import annotations

from chatbot.render.chat import render_late
from chatbot.storage import Database
from chatbot.storage import late as storage
from chatbot.storage.rows import LateAnswer


async def owe(db: Database, answer: LateAnswer) -> None:
    await storage.queue(db, answer)


async def owed(db: Database, limit: int) -> list[LateAnswer]:
    return await storage.owed(db, limit)


async def still_owed(db: Database, check_id: int) -> bool:
    return await storage.still_owed(db, check_id)


async def delivered(db: Database, check_id: int) -> None:
    """The member has the answer: its check is answered, so a redelivery stays silent."""
    await db.mark_replied(check_id)


async def undeliverable(db: Database, check_id: int) -> None:
    """Telegram refuses the answer for good (the member blocked the bot): stop trying."""
    await storage.undeliverable(db, check_id)


def late_note(lang: str) -> str:
    return render_late(lang)
