"""Sending answers: in a group the reply quotes the member and stays in their forum topic."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes

from chatbot.bot.member import is_group
from chatbot.render.member import render_private_only


async def reply(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Answer the update's message; PTB keeps `message_thread_id` for topic messages."""
    message = update.effective_message
    if message is None:
        return None
    return await message.reply_text(
        text, reply_markup=markup, do_quote=is_group(update.effective_chat)
    )


async def send_to_private(
    update: Update, context: ContextTypes.DEFAULT_TYPE, start: str, lang: str
) -> None:
    """Personal figures are never shown in a group: offer a deep link into the private chat."""
    link = f"https://t.me/{context.bot.username}?start={start}"
    button = InlineKeyboardButton(text="🔒 " + context.bot.first_name, url=link)
    await reply(update, render_private_only(lang), InlineKeyboardMarkup([[button]]))
