"""Inline mode: `@bot size BTC 72000 stop 71500 …` in any chat offers the result to send.

Results use the member's own defaults, so they are personal and never cached across members;
a half-typed query answers with what is still missing.
"""

from __future__ import annotations

from uuid import uuid4

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update

from chatbot.bot.context import BotContext, with_member
from chatbot.service import checks
from chatbot.service.members import Member


@with_member
async def on_inline(update: Update, context: BotContext, member: Member) -> None:
    query = update.inline_query
    if query is None:
        return
    article = await checks.inline_article(member, query.query, context.prices)
    result = InlineQueryResultArticle(
        id=uuid4().hex,
        title=article.title,
        description=article.description,
        input_message_content=InputTextMessageContent(article.text),
    )
    await query.answer([result], cache_time=0, is_personal=True)
