"""/export and /forget: the member's data as a file, and erasing all of it after a yes."""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, InputFile, Update

from chatbot.bot.buttons import FORGET, ForgetAnswer
from chatbot.bot.context import BotContext, with_member
from chatbot.bot.replying import edit_or_send, reply
from chatbot.bot.schedules import cancel_reminders
from chatbot.render.privacy import forget_labels, render_forget_confirm, render_kept
from chatbot.service import privacy
from chatbot.service.members import Member


@with_member
async def on_export(update: Update, context: BotContext, member: Member) -> None:
    message = update.effective_message
    if message is None:
        return
    export = await privacy.export(context.db, member)
    await message.reply_document(
        InputFile(export.content, filename=privacy.FILENAME), caption=export.caption
    )


@with_member
async def on_forget(update: Update, context: BotContext, member: Member) -> None:
    erase, keep = forget_labels(member.lang)
    buttons = [
        FORGET.key(erase, ForgetAnswer(answer="yes")),
        FORGET.key(keep, ForgetAnswer(answer="no")),
    ]
    await reply(update, render_forget_confirm(member.lang), InlineKeyboardMarkup([buttons]))


async def on_forget_answer(
    query: CallbackQuery, context: BotContext, member: Member, data: ForgetAnswer
) -> None:
    """Only the member who pressed can erase, and only their own rows; their reminders stop
    with them, so no check-in arrives after the erase."""
    if data.answer == "yes":
        text = await privacy.forget(context.db, member)
        cancel_reminders(context.jobs, member.user_id)
    else:
        text = render_kept(member.lang)
    await edit_or_send(query, context, member.chat_id, text)
    await query.answer()
