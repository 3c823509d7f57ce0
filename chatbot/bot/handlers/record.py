"""/stats, /streak and /ready: the member's discipline, computed from their own log."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from telegram import Update
from telegram.ext import ContextTypes

from chatbot.bot.handlers.charts import send_risk_chart
from chatbot.bot.member import Member, database, load_member
from chatbot.bot.replying import reply
from chatbot.evaluation.discipline import DisciplineRow, readiness_of, stats_of, streaks_of
from chatbot.render.record import render_ready, render_stats, render_streak

Rows = Sequence[DisciplineRow]


async def _answer_from_record(
    update: Update, context: ContextTypes.DEFAULT_TYPE, words: Callable[[Rows, str], str]
) -> tuple[Member, Rows] | None:
    """Answer from the member's record; returns who asked and the record, for a chart."""
    member = await load_member(update, context)
    if member is None:
        return None
    rows = await database(context).discipline_rows(member.user_id)
    await reply(update, words(rows, member.lang))
    return member, rows


async def on_stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    answered = await _answer_from_record(
        update, context, lambda rows, lang: render_stats(stats_of(rows), streaks_of(rows), lang)
    )
    if answered is not None:
        await send_risk_chart(update, context, *answered)


async def on_streak(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _answer_from_record(
        update, context, lambda rows, lang: render_streak(streaks_of(rows), lang)
    )


async def on_ready(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _answer_from_record(
        update, context, lambda rows, lang: render_ready(readiness_of(rows), lang)
    )
