"""/remind and the reminder job: a check-in built from the member's own log.

A member who blocked the bot gets their reminders paused, not an endless stream of errors.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.constants import CallbackQueryLimit
from telegram.error import Forbidden

from chatbot.bot.asking import member_request
from chatbot.bot.buttons import OUTCOME, OutcomeOfCheck
from chatbot.bot.context import BotContext, with_member
from chatbot.bot.handlers.journal import result_text
from chatbot.bot.replying import reply
from chatbot.bot.schedules import cancel_reminders, schedule_reminder
from chatbot.evaluation.discipline import TradeResult
from chatbot.language.member_commands import RemindRequest, ResultRequest
from chatbot.render.html import to_plain
from chatbot.render.reminders import outcome_button_label
from chatbot.service import reminders
from chatbot.service.members import Member, known_member

log = logging.getLogger(__name__)


@with_member
async def on_remind(update: Update, context: BotContext, member: Member) -> None:
    request = await member_request(update, context, member, RemindRequest)
    if request is None:
        return
    queue = context.jobs
    if request.off:
        text = await reminders.stop(context.db, member)
        cancel_reminders(queue, member.user_id)
    elif request.schedule is not None:
        saved = await reminders.set_reminder(context.db, member, request.schedule)
        schedule_reminder(queue, saved.reminder, send_reminder)
        text = saved.text
    else:
        text = await reminders.show(context.db, member)
    await reply(update, text)


def outcome_buttons(check_ids: Sequence[int], lang: str) -> InlineKeyboardMarkup | None:
    """A row per open check: how did it end?"""
    rows = [
        [
            OUTCOME.key(
                outcome_button_label(check_id, result, lang),
                OutcomeOfCheck(check_id=check_id, result=result),
            )
            for result in TradeResult
        ]
        for check_id in check_ids
    ]
    return InlineKeyboardMarkup(rows) if rows else None


async def send_reminder(context: BotContext) -> None:
    """The job: rules, streak, yesterday's open checks with buttons, the week's breaks."""
    job = context.job
    assert job is not None and job.user_id is not None
    if not await reminders.wanted(context.db, job.user_id):
        cancel_reminders(context.jobs, job.user_id)  # erased or stopped meanwhile
        return
    member = await known_member(context.db, job.user_id)
    check_in = await reminders.check_in(context.db, member, datetime.now(UTC))
    markup = outcome_buttons(check_in.open_checks, member.lang)
    try:
        await context.bot.send_message(member.user_id, check_in.text, reply_markup=markup)
    except Forbidden:
        log.info("member %s blocked the bot: reminders paused", member.user_id)
        await reminders.pause(context.db, member.user_id)
        cancel_reminders(context.jobs, member.user_id)


async def on_outcome_button(
    query: CallbackQuery, context: BotContext, member: Member, data: OutcomeOfCheck
) -> None:
    """A reminder's outcome button records that outcome, as /result would."""
    request = ResultRequest.model_validate(
        {"check_id": data.check_id, "outcome": data.result.value}
    )
    text = await result_text(context, member, request)
    await query.answer(to_plain(text)[: CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH])
