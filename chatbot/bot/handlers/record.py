"""/stats, /streak and /ready: the member's discipline, computed from their own log."""

from __future__ import annotations

from telegram import Update

from chatbot.bot.context import BotContext, is_group, with_member
from chatbot.bot.handlers.charts import send_picture
from chatbot.bot.replying import reply
from chatbot.service import charts, record
from chatbot.service.members import Member


@with_member
async def on_stats(update: Update, context: BotContext, member: Member) -> None:
    """The figures, then the risk chart once the record draws a line."""
    answer = await record.stats(context.db, member)
    await reply(update, answer.text)
    picture = await charts.risk_chart(context.db, member, answer.standing)
    if picture is not None:
        quote = is_group(update.effective_chat)
        await send_picture(context, member, update.effective_message, picture, quote=quote)


@with_member
async def on_streak(update: Update, context: BotContext, member: Member) -> None:
    await reply(update, await record.streak(context.db, member))


@with_member
async def on_ready(update: Update, context: BotContext, member: Member) -> None:
    await reply(update, await record.ready(context.db, member))
