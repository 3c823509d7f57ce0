"""/settings: show the member's defaults and rules, or change them in one line."""

from __future__ import annotations

from telegram import Update

from chatbot.bot.asking import member_request
from chatbot.bot.context import BotContext, with_member
from chatbot.bot.replying import reply
from chatbot.language.errors import CommandError
from chatbot.language.member_commands import SettingsRequest
from chatbot.render.errors import render_error
from chatbot.service import settings
from chatbot.service.members import Member


@with_member
async def on_settings(update: Update, context: BotContext, member: Member) -> None:
    request = await member_request(update, context, member, SettingsRequest)
    if request is None:
        return
    if not request.changes:
        await reply(update, settings.show(member))
        return
    try:
        text = await settings.change(context.db, member, request)
    except CommandError as error:
        text = render_error(error, member.lang)
    await reply(update, text)
