"""Who may run a group's admin-only commands, asked from Telegram on the server side.

A message proves nothing about its sender's rights: the answer comes from getChatMember on
every call, never from the message's own fields or a cache that could outlive a demotion. When
Telegram cannot say (an unknown chat, the bot removed from it), the answer is no.
"""

from __future__ import annotations

from telegram import Bot, Update
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, Forbidden

ADMIN_STATUSES = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR})


async def is_admin(bot: Bot, chat_id: int | str, user_id: int) -> bool:
    """Whether `user_id` is the chat's owner or one of its administrators right now."""
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except (BadRequest, Forbidden):
        return False
    return member.status in ADMIN_STATUSES


async def sender_is_admin(update: Update, bot: Bot) -> bool:
    """Whether the update's sender is an admin of its chat.

    An anonymous admin writes as the group itself (`sender_chat` is the chat), which only
    admins can do; a message sent on behalf of any other chat (a linked channel) is not one.
    """
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if chat is None or user is None:
        return False
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id == chat.id
    return await is_admin(bot, chat.id, user.id)
