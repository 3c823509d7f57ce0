"""Charts as photos: the price ladder behind a /size reply's button, the risk chart of /stats.

Drawing takes a fraction of a second of CPU, so it runs in a worker thread
(`asyncio.to_thread`) and the event loop keeps answering other members meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InputFile, Message, Update
from telegram.ext import ContextTypes

from chatbot.bot.member import Member, database, is_group, load_member
from chatbot.engine.models import SizeResult
from chatbot.evaluation.discipline import DisciplineRow, stats_of
from chatbot.evaluation.records import revive_size
from chatbot.render.charts import (
    chart_unavailable,
    ladder_caption,
    price_ladder_png,
    risk_caption,
    risk_chart_png,
)
from chatbot.render.chat import render_not_yours
from chatbot.render.checks import chart_label

CHART = "chart"
# One point is not a line: the risk chart appears once two counted checks can be compared.
MIN_CHART_CHECKS = 2


def chart_button(check_id: int, lang: str) -> InlineKeyboardButton:
    """The "Chart" button under a /size reply, naming its check."""
    return InlineKeyboardButton(chart_label(lang), callback_data=f"{CHART}:{check_id}")


async def _send_photo(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    member: Member,
    png: bytes,
    caption: str,
    *,
    quote: bool,
) -> None:
    """Reply with the picture where the update came from (PTB keeps the forum topic); a message
    too old for the bot to see gets the picture in the chat instead."""
    photo = InputFile(png, filename="chart.png")
    target = update.effective_message
    if isinstance(target, Message):
        await target.reply_photo(photo, caption=caption, do_quote=quote)
        return
    await context.bot.send_photo(member.chat_id, photo, caption=caption)


async def _own_size(
    context: ContextTypes.DEFAULT_TYPE, member: Member, check_id: int
) -> SizeResult | str:
    """The member's own /size result for `check_id`, or why it cannot be drawn."""
    row = await database(context).get_check(member.user_id, check_id)
    if row is None or row.check.command != "size":
        return render_not_yours(member.lang)
    sized = revive_size(row.check.result_json)
    return chart_unavailable(member.lang) if sized is None else sized


async def on_chart(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the price ladder of a check; only the member who ran it may ask (their figures)."""
    query = update.callback_query
    member = await load_member(update, context)
    if query is None or query.data is None or member is None:
        return
    check_id = int(query.data.split(":")[1])
    sized = await _own_size(context, member, check_id)
    if isinstance(sized, str):
        await query.answer(sized, show_alert=True)
        return
    png = await asyncio.to_thread(price_ladder_png, sized, member.lang)
    caption = ladder_caption(check_id, sized, member.lang)
    await _send_photo(update, context, member, png, caption, quote=True)
    await query.answer()


async def send_risk_chart(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    member: Member,
    rows: Sequence[DisciplineRow],
) -> None:
    """After the /stats text: risk per check against the member's rule, once there is a line."""
    if stats_of(rows).counted < MIN_CHART_CHECKS:
        return
    rule = member.rules.max_risk
    png = await asyncio.to_thread(risk_chart_png, rows, rule, member.lang)
    caption = risk_caption(rule, member.lang)
    await _send_photo(update, context, member, png, caption, quote=is_group(update.effective_chat))
