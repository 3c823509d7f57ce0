"""Reading a member command (/settings, /result, /remind, /policy) or saying what was wrong."""

from __future__ import annotations

from typing import TypeVar

from telegram import Update

from chatbot.bot.context import BotContext, command_text
from chatbot.bot.replying import reply
from chatbot.language.errors import CommandError
from chatbot.language.member_commands import MemberRequest
from chatbot.language.parser import parse_member_command
from chatbot.render.errors import render_error
from chatbot.service.members import Member

R = TypeVar("R", bound=MemberRequest)


async def member_request(
    update: Update,
    context: BotContext,
    member: Member,
    kind: type[R],
    example: str | None = None,
) -> R | None:
    """The request the message holds, or None once the member has been told the problem, with
    `example` (one made of the member's own figures) in place of the grammar's."""
    try:
        request = parse_member_command(
            command_text(update, context), context.bot.username, lang=member.lang
        )
    except CommandError as error:
        if example is not None and error.example:
            error.example = example
        await reply(update, render_error(error, member.lang))
        return None
    assert isinstance(request, kind)
    return request
