"""/size, /liq, /pnl, /hedge, /funding: evaluated with the member's defaults, logged, answered.

A check is logged under its chat and message ids before it is answered, so a redelivered
update is logged once and answered again only if its first answer never went out. An answer
Telegram will not take (an outage beyond `reply`'s quick retries) is owed: kept in the database
and delivered by a job once Telegram is back (`chatbot.bot.late`).
"""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from chatbot.bot.buttons import CHART, DETAILS, EXPLORE, CheckButton, Explore
from chatbot.bot.context import BotContext, text_of, with_member
from chatbot.bot.late import answering, owe, transient
from chatbot.bot.replying import edit_markup, reply
from chatbot.evaluation.standing import Marking
from chatbot.language.errors import CommandError
from chatbot.render.checks import chart_label, details_label, explore_label
from chatbot.render.errors import render_error
from chatbot.render.results import has_details
from chatbot.service import checks
from chatbot.service.members import Member


def update_key(message: Message) -> str:
    """Telegram's message id is unique per chat: together they name one member action."""
    return f"{message.chat_id}:{message.message_id}"


def check_keyboard(
    check_id: int, lang: str, *, exploring: bool | None = False, details: bool = True
) -> InlineKeyboardMarkup:
    """The buttons under a /size reply: (un)mark it as just exploring while it may still change
    (`exploring` None once it may not), show its details (until shown), and draw its chart."""
    row = []
    if exploring is not None:
        mark = Explore(check_id=check_id, exploring=not exploring)
        row.append(EXPLORE.key(explore_label(exploring, lang), mark))
    if details:
        row.append(DETAILS.key(details_label(lang), CheckButton(check_id=check_id)))
    row.append(CHART.key(chart_label(lang), CheckButton(check_id=check_id)))
    return InlineKeyboardMarkup([row])


def shows(query: CallbackQuery, button_prefix: str) -> bool:
    """Whether the pressed message still carries a button of this kind."""
    message = query.message
    markup = message.reply_markup if isinstance(message, Message) else None
    if markup is None:
        return False
    return any(
        str(key.callback_data or "").startswith(button_prefix + ":")
        for row in markup.inline_keyboard
        for key in row
    )


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
    markup = None
    if logged.sized:
        markup = check_keyboard(logged.check_id, member.lang, details=has_details(check.result))
    async with answering(context.bot_data, logged.check_id) as mine:
        # The same question delivered twice at once is answered once: by whoever claims it
        # first, unless that one already answered it before this one got here. The delivery
        # that logged it claims it with nothing awaited in between, before any other delivery
        # can have heard of the check, so only the others need to ask the database.
        if not mine:
            return
        if not logged.first and await checks.was_answered(context.db, logged.check_id):
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
    """Mark (or unmark) a check as just exploring: only its own member may press it, and only
    while the check may still change; after that the button goes."""
    said = await checks.set_exploring(context.db, member, data.check_id, data.exploring)
    if said.marking is Marking.NOT_YOURS:
        await query.answer(said.text, show_alert=True)
        return
    marked = said.marking is Marking.MARKED
    keyboard = check_keyboard(
        data.check_id,
        member.lang,
        exploring=data.exploring if marked else None,
        details=shows(query, DETAILS.prefix),
    )
    await edit_markup(query, keyboard)
    await query.answer(said.text, show_alert=not marked)


async def on_details(
    query: CallbackQuery, context: BotContext, member: Member, data: CheckButton
) -> None:
    """Add the rest of a /size reply to the message itself; only its member may ask (their
    figures). A message Telegram no longer shows the bot gets the details as a new message."""
    details = await checks.details(context.db, member, data.check_id)
    if not details.found:
        await query.answer(details.text, show_alert=True)
        return
    message = query.message
    if not isinstance(message, Message) or not message.text:
        await context.bot.send_message(member.chat_id, details.text)
        await query.answer()
        return
    keyboard = check_keyboard(
        data.check_id,
        member.lang,
        exploring=_exploring_shown(query),
        details=False,
    )
    await query.edit_message_text(message.text_html + "\n\n" + details.text, reply_markup=keyboard)
    await query.answer()


def _exploring_shown(query: CallbackQuery) -> bool | None:
    """The state the exploring button shows now (None when it is gone), to keep it as it is."""
    message = query.message
    markup = message.reply_markup if isinstance(message, Message) else None
    for row in markup.inline_keyboard if markup else ():
        for key in row:
            found = EXPLORE.parse(key.callback_data)
            if found is not None:
                return not found.exploring
    return None
