"""/remind and the reminder job: a check-in built from the member's own log.

A member who blocked the bot gets their reminders paused, not an endless stream of errors.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import CallbackQueryLimit
from telegram.error import Forbidden
from telegram.ext import ContextTypes

from chatbot.bot.asking import member_request
from chatbot.bot.handlers.journal import record_result
from chatbot.bot.member import database, language_of, load_member
from chatbot.bot.replying import reply
from chatbot.bot.schedules import cancel_reminders, schedule_reminder
from chatbot.evaluation.defaults import rules_for
from chatbot.evaluation.discipline import TradeResult, streaks_of
from chatbot.evaluation.log import Reminder
from chatbot.language.errors import CommandError
from chatbot.language.member_commands import RemindRequest, ResultRequest
from chatbot.render.errors import render_error
from chatbot.render.html import to_plain
from chatbot.render.reminders import (
    outcome_button_label,
    render_check_in,
    render_reminder_set,
    render_reminders,
    render_reminders_off,
)

log = logging.getLogger(__name__)
OUTCOME = "outcome"
OPEN_WINDOW = timedelta(days=1)
WEEK = timedelta(days=7)
MAX_OPEN_SHOWN = 5


async def on_remind(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    member = await load_member(update, context)
    if message is None or message.text is None or member is None:
        return
    request = await member_request(update, context, member, RemindRequest)
    if request is None:
        return
    db, queue = database(context), context.job_queue
    assert queue is not None
    if request.off:
        await db.delete_reminders(member.user_id)
        cancel_reminders(queue, member.user_id)
        await reply(update, render_reminders_off(member.lang))
    elif request.schedule is not None:
        plan = request.schedule
        saved = Reminder.model_validate(
            {**plan.model_dump(), "user_id": member.user_id, "tz": plan.tz or member.tz}
        )
        await db.save_reminder(saved)
        schedule_reminder(queue, saved, send_reminder)
        await reply(update, render_reminder_set(saved, member.lang))
    else:
        await reply(update, render_reminders(await db.reminders(member.user_id), member.lang))


def outcome_buttons(check_ids: list[int], lang: str) -> InlineKeyboardMarkup | None:
    rows = [
        [
            InlineKeyboardButton(
                outcome_button_label(check_id, result, lang),
                callback_data=f"{OUTCOME}:{check_id}:{result.value}",
            )
            for result in TradeResult
        ]
        for check_id in check_ids
    ]
    return InlineKeyboardMarkup(rows) if rows else None


async def send_reminder(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The job: rules, streak, yesterday's open checks with buttons, the week's breaks."""
    job = context.job
    assert job is not None and job.user_id is not None
    user_id = job.user_id
    db = database(context)
    settings, row = await db.member_settings(user_id), await db.member(user_id)
    lang = language_of(settings, row.language_code if row else None, None)
    rules = rules_for(settings)
    now = datetime.now(UTC)
    open_rows = (await db.open_checks(user_id, now - OPEN_WINDOW))[:MAX_OPEN_SHOWN]
    text = render_check_in(
        rules,
        streaks_of(await db.discipline_rows(user_id)),
        open_rows,
        Counter(await db.breaks_since(user_id, now - WEEK)),
        lang,
    )
    markup = outcome_buttons([open_row.check.id for open_row in open_rows], lang)
    try:
        await context.bot.send_message(user_id, text, reply_markup=markup)
    except Forbidden:
        log.info("member %s blocked the bot: reminders paused", user_id)
        await db.pause_reminders(user_id)
        assert context.job_queue is not None
        cancel_reminders(context.job_queue, user_id)


async def on_outcome_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reminder's outcome button records that outcome, as /result would."""
    query = update.callback_query
    member = await load_member(update, context)
    if query is None or query.data is None or member is None:
        return
    _, check_id, result = query.data.split(":")
    request = ResultRequest(check_id=int(check_id), outcome=result)  # type: ignore[arg-type]
    try:
        text = await record_result(context, member, request)
    except CommandError as error:
        text = render_error(error, member.lang)
    await query.answer(to_plain(text)[: CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH])
