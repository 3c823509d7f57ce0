"""/stats, /streak and /ready: the member's discipline, read from their standing (one row)."""

from __future__ import annotations

from chatbot.engine.models import Frozen
from chatbot.evaluation.discipline import readiness_from
from chatbot.evaluation.standing import Standing
from chatbot.render.record import render_ready, render_stats, render_streak
from chatbot.service.members import Member
from chatbot.storage import Database


class StatsAnswer(Frozen):
    """The /stats text, and the standing it was read from, for the risk chart after it."""

    text: str
    standing: Standing


async def stats(db: Database, member: Member) -> StatsAnswer:
    standing = await db.standing(member.user_id)
    text = render_stats(standing.stats, standing.streaks, member.lang)
    return StatsAnswer(text=text, standing=standing)


async def streak(db: Database, member: Member) -> str:
    return render_streak((await db.standing(member.user_id)).streaks, member.lang)


async def ready(db: Database, member: Member) -> str:
    standing = await db.standing(member.user_id)
    return render_ready(readiness_from(standing.tally), member.lang)
