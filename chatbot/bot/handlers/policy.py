"""/policy: a community's risk limits, language and lesson schedule, set by its admins.

Admin rights are asked from Telegram on every change (`chatbot.bot.admins`), never read from
the message. Lessons go to a channel only when the sender is an admin of that channel too: an
admin of one group must not make the bot post in any channel that happens to have it as admin.
"""

from __future__ import annotations

from telegram import Bot, Update
from telegram.error import BadRequest, Forbidden

from chatbot.bot.admins import ADMIN_STATUSES, is_admin, sender_is_admin
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
    render_channel_admins_only,
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


async def channel_refusal(
    update: Update, context: BotContext, member: Member, channel: str
) -> str | None:
    """Why lessons cannot go to `channel`, or None when they can: the sender must be one of
    its admins as a person (an anonymous group admin cannot be asked about), and the bot must
    be allowed to post there."""
    message = update.effective_message
    anonymous = message is not None and message.sender_chat is not None
    if anonymous or not await is_admin(context.bot, channel, member.user_id):
        return render_channel_admins_only(channel, member.lang)
    if not await can_post(context.bot, channel):
        return render_channel_not_ready(channel, member.lang)
    return None


async def _apply(
    update: Update, context: BotContext, member: Member, request: PolicyRequest
) -> str:
    if request.channel is not None:
        refusal = await channel_refusal(update, context, member, request.channel)
        if refusal is not None:
            return refusal
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
