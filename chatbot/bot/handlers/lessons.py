"""/lesson, /lessons and the scheduled lessons a community sends to a group or channel."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden
from telegram.helpers import create_deep_linked_url

from chatbot.bot.context import BotContext, with_member
from chatbot.bot.replying import reply
from chatbot.bot.schedules import cancel_lessons
from chatbot.render.lessons import LESSONS, Lesson, render_lesson_list, try_it_label
from chatbot.service import lessons
from chatbot.service.members import Member

log = logging.getLogger(__name__)
TRY = "try-"
PERSONAL_TRIES = frozenset({"/stats", "/ready", "/streak", "/journal"})


def try_payload(lesson: Lesson) -> str:
    """The /start payload that runs a lesson's command in the member's private chat."""
    if lesson.try_it in PERSONAL_TRIES:
        return lesson.try_it.lstrip("/")
    return TRY + lesson.key


def lesson_tries() -> dict[str, str]:
    """Calculator commands lessons end with, by their /start payload."""
    return {
        try_payload(lesson): lesson.try_it
        for lesson in LESSONS
        if lesson.try_it not in PERSONAL_TRIES
    }


def try_button(index: int, lang: str, bot_username: str) -> InlineKeyboardMarkup:
    """A deep link, so "try it" works from a channel or group too, in the member's own chat."""
    link = create_deep_linked_url(bot_username, try_payload(LESSONS[index]))
    return InlineKeyboardMarkup([[InlineKeyboardButton(try_it_label(lang), url=link)]])


@with_member
async def on_lesson(update: Update, context: BotContext, member: Member) -> None:
    """`/lesson` continues the member's course; `/lesson liquidation` opens one topic."""
    topic = context.args[0] if context.args else None
    lesson = await lessons.lesson(context.db, member, topic)
    if isinstance(lesson, str):
        await reply(update, lesson)
        return
    await reply(update, lesson.text, try_button(lesson.index, lesson.lang, context.bot.username))


@with_member
async def on_lessons(update: Update, context: BotContext, member: Member) -> None:
    await reply(update, render_lesson_list(member.lang))


async def send_lesson(context: BotContext) -> None:
    """The job: the community's next lesson, to its channel or the group itself."""
    job = context.job
    assert job is not None and job.chat_id is not None
    due = await lessons.due(context.db, job.chat_id)
    if due is None:
        return
    try:
        await context.bot.send_message(
            due.target,
            due.text,
            reply_markup=try_button(due.index, due.lang, context.bot.username),
        )
    except (Forbidden, BadRequest):
        log.warning("lessons for chat %s paused: cannot post to the target", due.chat_id)
        await lessons.pause(context.db, due.chat_id)
        cancel_lessons(context.jobs, due.chat_id)
        return
    await lessons.posted(context.db, due)
