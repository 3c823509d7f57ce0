"""/policy: a community's risk limits, language and lesson schedule, set by its admins.

Admin rights are asked from Telegram on every change (`chatbot.bot.admins`), never read from
the message.
"""

from __future__ import annotations

from typing import Any

from telegram import Bot, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from chatbot.bot.admins import ADMIN_STATUSES, sender_is_admin
from chatbot.bot.asking import member_request
from chatbot.bot.handlers.lessons import send_lesson
from chatbot.bot.handlers.settings import stored_language
from chatbot.bot.member import Member, database, group_profile, is_group, load_member
from chatbot.bot.replying import reply
from chatbot.bot.schedules import cancel_lessons, schedule_lessons
from chatbot.evaluation.defaults import rules_for
from chatbot.language.errors import CommandError
from chatbot.language.member_commands import PolicyRequest
from chatbot.render.errors import render_error
from chatbot.render.policy import (
    render_admins_only,
    render_channel_not_ready,
    render_policy,
    render_policy_in_groups,
)
from chatbot.render.settings import render_settings_saved
from chatbot.storage.rows import GroupPolicy


async def can_post(bot: Bot, channel: str) -> bool:
    """Lessons go to a channel only where the bot is an admin allowed to post."""
    try:
        member = await bot.get_chat_member(channel, bot.id)
    except (BadRequest, Forbidden):
        return False
    return (
        member.status in ADMIN_STATUSES and getattr(member, "can_post_messages", None) is not False
    )


def policy_view(policy: GroupPolicy | None, lang: str) -> str:
    """The community's limits as its members are judged by them, and its lesson schedule."""
    rules = rules_for(group=group_profile(policy))
    if policy is None:
        return render_policy(rules, None, None, None, lang)
    lessons = None if policy.lessons_paused else policy.lessons
    return render_policy(rules, policy.lang, lessons, policy.lesson_target, lang)


def policy_changes(request: PolicyRequest) -> dict[str, Any]:
    changes: dict[str, Any] = dict(request.changes)
    if changes.get("lang"):
        changes["lang"] = stored_language(str(changes["lang"]), "policy")
    if request.lessons is not None:
        plan = request.lessons
        changes |= {
            "lessons": plan.model_copy(update={"tz": plan.tz or "UTC"}),
            "lessons_paused": False,
        }
    if request.lessons_off:
        changes["lessons"] = None
    if request.channel is not None:
        changes["lesson_target"] = request.channel
    return changes


async def _apply(
    update: Update, context: ContextTypes.DEFAULT_TYPE, member: Member, request: PolicyRequest
) -> str:
    if request.channel is not None and not await can_post(context.bot, request.channel):
        return render_channel_not_ready(request.channel, member.lang)
    db = database(context)
    chat = update.effective_chat
    assert chat is not None
    policy = await db.save_policy(chat.id, title=chat.title, **policy_changes(request))
    assert context.job_queue is not None
    if policy.lessons is None:
        cancel_lessons(context.job_queue, chat.id)
    else:
        schedule_lessons(context.job_queue, policy, send_lesson)
    lang = policy.lang or member.lang
    return render_settings_saved(lang) + "\n\n" + policy_view(policy, lang)


async def on_policy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    member = await load_member(update, context)
    if message is None or message.text is None or member is None:
        return
    if not is_group(update.effective_chat):
        await reply(update, render_policy_in_groups(member.lang))
        return
    request = await member_request(update, context, member, PolicyRequest)
    if request is None:
        return
    if request == PolicyRequest():
        await reply(
            update, policy_view(await database(context).group_policy(member.chat_id), member.lang)
        )
    elif not await sender_is_admin(update, context.bot):
        await reply(update, render_admins_only(member.lang))
    else:
        try:
            text = await _apply(update, context, member, request)
        except CommandError as error:
            text = render_error(error, member.lang)
        await reply(update, text)
