"""/size, /liq, /pnl, /hedge, /funding: evaluated with the member's defaults, logged, answered.

A check is logged under its chat and message ids before it is answered, so a redelivered
update is logged once and answered again only if its first answer never went out. An answer
Telegram will not take (an outage beyond `reply`'s quick retries) is owed: kept in the database
and delivered by a job once Telegram is back (`chatbot.bot.late`).
"""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from chatbot.bot.buttons import CHART, EXPLORE, CheckButton, Explore
from chatbot.bot.context import BotContext, text_of, with_member
from chatbot.bot.late import answering, owe, transient
from chatbot.bot.replying import edit_markup, reply
from chatbot.language.errors import CommandError
from chatbot.render.chat import render_not_yours
from chatbot.render.checks import chart_label, explore_label
from chatbot.render.errors import render_error
from chatbot.service import checks
from chatbot.service.members import Member


def update_key(message: Message) -> str:
    """Telegram's message id is unique per chat: together they name one member action."""
    return f"{message.chat_id}:{message.message_id}"


def check_keyboard(check_id: int, exploring: bool, lang: str) -> InlineKeyboardMarkup:
    """The buttons under a /size reply: (un)mark it as just exploring, and draw its chart."""
    explore = EXPLORE.key(
        explore_label(exploring, lang), Explore(check_id=check_id, exploring=not exploring)
    )
    chart = CHART.key(chart_label(lang), CheckButton(check_id=check_id))
    return InlineKeyboardMarkup([[explore, chart]])


@with_member
async def on_calculation(update: Update, context: BotContext, member: Member) -> None:
    """Answer a calculator command, from a slash command or plain text in a private chat."""
    message = update.effective_message
    if message is None:
        return
    try:
        check = await checks.evaluate_for(
            member, text_of(update), context.prices, context.bot.username
        )
    except CommandError as error:
        await reply(update, render_error(error, member.lang))
        return
    logged = await checks.log_check(context.db, member, check, update_key(message), message.date)
    if logged.text is None:
        return
    markup = check_keyboard(logged.check_id, False, member.lang) if logged.sized else None
    async with answering(context.bot_data, logged.check_id) as mine:
        # The same question delivered twice at once is answered once: by whoever claims it
        # first, unless that one already answered it before this one got here.
        if not mine or await checks.was_answered(context.db, logged.check_id):
            return
        try:
            await reply(update, logged.text, markup)
        except TelegramError as error:
            if not transient(error):
                raise
            await owe(context, message, logged.check_id, logged.text, markup, member)
            return
        await checks.answered(context.db, logged.check_id)


async def on_exploring(
    query: CallbackQuery, context: BotContext, member: Member, data: Explore
) -> None:
    """Mark (or unmark) a check as just exploring: only its own member may press it."""
    said = await checks.set_exploring(context.db, member, data.check_id, data.exploring)
    if said is None:
        await query.answer(render_not_yours(member.lang), show_alert=True)
        return
    await query.answer(said)
    await edit_markup(query, check_keyboard(data.check_id, data.exploring, member.lang))
