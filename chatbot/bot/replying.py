"""Sending answers: in a group the reply quotes the member and stays in their forum topic."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MaybeInaccessibleMessage,
    Message,
    Update,
)
from telegram.error import BadRequest, NetworkError
from telegram.helpers import create_deep_linked_url

from chatbot.bot.context import BotContext, is_group
from chatbot.render.chat import render_private_only

log = logging.getLogger(__name__)

# Seconds to wait before each further attempt at an answer that failed in transit.
RETRY_DELAYS = (0.5, 2.0)


async def reply(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Answer the update's message; PTB keeps `message_thread_id` for topic messages.

    The update is already confirmed to Telegram, so an answer lost to a 5xx, a time-out or a
    dropped connection would be lost for good: those are tried again (python-telegram-bot does
    not; its rate limiter only retries flood waits), and a check's answer that still fails is
    owed and delivered later (`chatbot.bot.late`). Telegram may have sent a message whose
    answer got lost on the way back, so a member can, rarely, get an answer twice, never none.
    A Bad Request is the bot's own mistake and is not repeated.
    """
    message = update.effective_message
    if message is None:
        return None
    quote = is_group(update.effective_chat)
    for delay in RETRY_DELAYS:
        try:
            return await message.reply_text(text, reply_markup=markup, do_quote=quote)
        except BadRequest:
            raise
        except NetworkError as error:
            log.warning("sending an answer failed (%s); trying again in %s s", error, delay)
            await asyncio.sleep(delay)
    return await message.reply_text(text, reply_markup=markup, do_quote=quote)


async def send_to_private(update: Update, context: BotContext, start: str, lang: str) -> None:
    """Personal figures are never shown in a group: offer a deep link into the private chat."""
    link = create_deep_linked_url(context.bot.username, start)
    button = InlineKeyboardButton(text="🔒 " + context.bot.first_name, url=link)
    await reply(update, render_private_only(lang), InlineKeyboardMarkup([[button]]))


def visible(message: MaybeInaccessibleMessage | None) -> Message | None:
    """The message, if the bot can still reply to it or edit it. Telegram sends a message it
    no longer shows the bot (deleted, or too old) with date 0, and a forged press none."""
    if isinstance(message, Message) and message.is_accessible:
        return message
    return None


def editable(query: CallbackQuery) -> bool:
    """Whether the pressed message can be edited: the bot sees it, or it was sent inline."""
    return query.inline_message_id is not None or visible(query.message) is not None


@asynccontextmanager
async def unchanged_is_fine() -> AsyncIterator[None]:
    """A button pressed twice asks for the edit it already got; Telegram refuses an edit that
    changes nothing ("message is not modified"), and the message already says the right thing."""
    try:
        yield
    except BadRequest as error:
        if "not modified" not in error.message:
            raise


async def edit_markup(query: CallbackQuery, markup: InlineKeyboardMarkup) -> None:
    """Swap the pressed message's buttons, where it can still be edited."""
    if editable(query):
        async with unchanged_is_fine():
            await query.edit_message_reply_markup(markup)


async def edit_or_send(
    query: CallbackQuery,
    context: BotContext,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Replace the pressed message's text, or, when it cannot be edited, send the text anew to
    `chat_id`: what a button did is always said, never lost to an error after it was done."""
    if editable(query):
        async with unchanged_is_fine():
            await query.edit_message_text(text, reply_markup=markup)
    else:
        await context.bot.send_message(chat_id, text, reply_markup=markup)
