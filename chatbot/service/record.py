"""/stats, /streak and /ready: the member's discipline, computed from their own log."""

from __future__ import annotations

from chatbot.engine.models import Frozen
from chatbot.evaluation.discipline import DisciplineRow, readiness_of, stats_of, streaks_of
from chatbot.render.record import render_ready, render_stats, render_streak
from chatbot.service.members import Member
from chatbot.storage import Database


class StatsAnswer(Frozen):
    """The /stats text, and the record it was computed from, for the risk chart after it."""

    text: str
    rows: tuple[DisciplineRow, ...]


async def stats(db: Database, member: Member) -> StatsAnswer:
    rows = tuple(await db.discipline_rows(member.user_id))
    text = render_stats(stats_of(rows), streaks_of(rows), member.lang)
    return StatsAnswer(text=text, rows=rows)


async def streak(db: Database, member: Member) -> str:
    rows = await db.discipline_rows(member.user_id)
    return render_streak(streaks_of(rows), member.lang)


async def ready(db: Database, member: Member) -> str:
    rows = await db.discipline_rows(member.user_id)
    return render_ready(readiness_of(rows), member.lang)
