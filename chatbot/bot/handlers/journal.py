"""/journal (paged) and /result: the member's log and how each trade ended."""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, Update

from chatbot.bot.asking import member_request
from chatbot.bot.buttons import OLDER, OLDER_ALL, OlderChecks
from chatbot.bot.context import BotContext, with_member
from chatbot.bot.replying import edit_or_send, reply
from chatbot.language.errors import CommandError
from chatbot.language.member_commands import ResultRequest
from chatbot.render.errors import render_error
from chatbot.render.journal import ALL, older_label
from chatbot.service import journal
from chatbot.service.journal import JournalPage
from chatbot.service.members import Member


def page_keyboard(page: JournalPage, lang: str) -> InlineKeyboardMarkup | None:
    """A button to the older checks, when there are any."""
    if page.older_than is None:
        return None
    kind = OLDER_ALL if page.everything else OLDER
    button = kind.key(older_label(lang), OlderChecks(before_id=page.older_than))
    return InlineKeyboardMarkup([[button]])


@with_member
async def on_journal(update: Update, context: BotContext, member: Member) -> None:
    """The sized trades; `/journal all` every check, the other calculators too."""
    everything = [word.lower() for word in context.args or ()] == [ALL]
    page = await journal.page(context.db, member, everything=everything)
    await reply(update, page.text, page_keyboard(page, member.lang))


async def _turn(
    query: CallbackQuery, context: BotContext, member: Member, data: OlderChecks, everything: bool
) -> None:
    page = await journal.page(context.db, member, data.before_id, everything=everything)
    markup = page_keyboard(page, member.lang)
    await edit_or_send(query, context, member.chat_id, page.text, markup)
    await query.answer()


async def on_journal_page(
    query: CallbackQuery, context: BotContext, member: Member, data: OlderChecks
) -> None:
    await _turn(query, context, member, data, everything=False)


async def on_journal_all_page(
    query: CallbackQuery, context: BotContext, member: Member, data: OlderChecks
) -> None:
    await _turn(query, context, member, data, everything=True)


async def result_text(context: BotContext, member: Member, request: ResultRequest) -> str:
    """What recording the outcome counted, or why it could not be recorded."""
    try:
        return await journal.record_result(context.db, member, request)
    except CommandError as error:
        return render_error(error, member.lang)


@with_member
async def on_result(update: Update, context: BotContext, member: Member) -> None:
    """Record an outcome; a mistake is answered with the member's own latest check number."""
    example = await journal.own_example(context.db, member)
    request = await member_request(update, context, member, ResultRequest, example)
    if request is not None:
        await reply(update, await result_text(context, member, request))
