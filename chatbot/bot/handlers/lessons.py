"""/lesson, /lessons and the scheduled lessons a community sends to a group or channel."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from chatbot.bot.member import database, load_member
from chatbot.bot.replying import reply
from chatbot.bot.schedules import cancel_lessons
from chatbot.render.lessons import (
    LESSONS,
    Lesson,
    find_lesson,
    render_lesson,
    render_lesson_list,
    render_unknown_lesson,
    try_it_label,
)

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
    link = f"https://t.me/{bot_username}?start={try_payload(LESSONS[index])}"
    text = try_it_label(lang)
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, url=link)]])


async def on_lesson(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/lesson` continues the member's course; `/lesson liquidation` opens one topic."""
    member = await load_member(update, context)
    if member is None:
        return
    db = database(context)
    if context.args:
        index = find_lesson(context.args[0])
        if index is None:
            await reply(update, render_unknown_lesson(context.args[0], member.lang))
            return
    else:
        index = await db.next_lesson(member.user_id) % len(LESSONS)
    markup = try_button(index, member.lang, context.bot.username)
    await reply(update, render_lesson(index, member.lang), markup)
    await db.set_next_lesson(member.user_id, index + 1)


async def on_lessons(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    member = await load_member(update, context)
    if member is not None:
        await reply(update, render_lesson_list(member.lang))


async def send_lesson(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The job: the community's next lesson, to its channel or the group itself."""
    job = context.job
    assert job is not None and job.chat_id is not None
    db = database(context)
    policy = await db.group_policy(job.chat_id)
    if policy is None or policy.lessons is None:
        return
    index = policy.next_lesson % len(LESSONS)
    lang = policy.lang or "en"
    target = policy.lesson_target or policy.chat_id
    try:
        await context.bot.send_message(
            target,
            render_lesson(index, lang),
            reply_markup=try_button(index, lang, context.bot.username),
        )
    except (Forbidden, BadRequest):
        log.warning("lessons for chat %s paused: cannot post to the target", policy.chat_id)
        await db.save_policy(policy.chat_id, lessons_paused=True)
        assert context.job_queue is not None
        cancel_lessons(context.job_queue, policy.chat_id)
        return
    await db.save_policy(policy.chat_id, next_lesson=index + 1)
