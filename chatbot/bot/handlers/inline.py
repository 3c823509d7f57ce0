"""Inline mode: `@bot size BTC 72000 stop 71500 …` in any chat offers the result to send.

Results use the member's own defaults, so they are personal and never cached across members;
a half-typed query answers with what is still missing.
"""

from __future__ import annotations

from uuid import uuid4

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.ext import ContextTypes

from chatbot.bot.member import load_member
from chatbot.evaluation.calculators import evaluate
from chatbot.language.errors import CommandError
from chatbot.language.parser import parse_command
from chatbot.render.errors import render_error
from chatbot.render.html import to_plain
from chatbot.render.inline import render_inline_hint
from chatbot.render.results import render, summary


def _article(title: str, description: str, text: str) -> InlineQueryResultArticle:
    return InlineQueryResultArticle(
        id=uuid4().hex,
        title=title,
        description=description,
        input_message_content=InputTextMessageContent(text),
    )


async def on_inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.inline_query
    member = await load_member(update, context)
    if query is None or member is None:
        return
    text = query.query.strip()
    if not text:
        title, description = render_inline_hint(member.lang)
        results = [_article(title, description, to_plain(title))]
    else:
        try:
            check = evaluate(parse_command("/" + text.lstrip("/")), member.profile, member.group)
        except CommandError as error:
            message = render_error(error, member.lang)
            lines = to_plain(message).splitlines()
            results = [_article(lines[0], " ".join(lines[1:]), message)]
        else:
            reply = render(check, member.lang, rules=member.rules)
            results = [
                _article(summary(check, member.lang), to_plain(reply).splitlines()[0], reply)
            ]
    await query.answer(results, cache_time=0, is_personal=True)
