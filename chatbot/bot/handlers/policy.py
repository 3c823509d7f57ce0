"""/policy: a community's risk limits, language and lesson schedule, set by its admins.

Admin rights are asked from Telegram on every change (`chatbot.bot.admins`), never read from
the message.
"""

from __future__ import annotations

from telegram import Bot, Update
from telegram.error import BadRequest, Forbidden

from chatbot.bot.admins import ADMIN_STATUSES, sender_is_admin
from chatbot.bot.asking import member_request
from chatbot.bot.context import BotContext, is_group, with_member
from chatbot.bot.handlers.lessons import send_lesson
from chatbot.bot.replying import reply
from chatbot.bot.schedules import cancel_lessons, schedule_lessons
from chatbot.language.errors import CommandError
from chatbot.language.member_commands import PolicyRequest
from chatbot.render.errors import render_error
from chatbot.render.policy import (
    render_admins_only,
    render_channel_not_ready,
    render_policy_in_groups,
)
from chatbot.service import policy
from chatbot.service.members import Member


async def can_post(bot: Bot, channel: str) -> bool:
    """Lessons go to a channel only where the bot is an admin allowed to post."""
    try:
        member = await bot.get_chat_member(channel, bot.id)
    except (BadRequest, Forbidden):
        return False
    return (
        member.status in ADMIN_STATUSES and getattr(member, "can_post_messages", None) is not False
    )


async def _apply(
    update: Update, context: BotContext, member: Member, request: PolicyRequest
) -> str:
    if request.channel is not None and not await can_post(context.bot, request.channel):
        return render_channel_not_ready(request.channel, member.lang)
    chat = update.effective_chat
    assert chat is not None
    try:
        saved = await policy.change(context.db, chat.id, chat.title, request, member.lang)
    except CommandError as error:
        return render_error(error, member.lang)
    queue = context.jobs
    if saved.policy.lessons is None:
        cancel_lessons(queue, chat.id)
    else:
        schedule_lessons(queue, saved.policy, send_lesson)
    return saved.text


@with_member
async def on_policy(update: Update, context: BotContext, member: Member) -> None:
    if not is_group(update.effective_chat):
        await reply(update, render_policy_in_groups(member.lang))
        return
    request = await member_request(update, context, member, PolicyRequest)
    if request is None:
        return
    if request == PolicyRequest():
        await reply(update, await policy.show(context.db, member.chat_id, member.lang))
    elif not await sender_is_admin(update, context.bot):
        await reply(update, render_admins_only(member.lang))
    else:
        await reply(update, await _apply(update, context, member, request))
