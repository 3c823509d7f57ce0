"""/journal (paged) and /result: the member's log and how each trade ended."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from chatbot.bot.asking import member_request
from chatbot.bot.member import Member, database, load_member
from chatbot.bot.replying import reply
from chatbot.evaluation.discipline import TradeResult
from chatbot.evaluation.outcomes import outcome_figures
from chatbot.evaluation.records import revive_size
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.member_commands import ResultRequest
from chatbot.language.parser import EXAMPLES
from chatbot.render.errors import render_error
from chatbot.render.journal import older_label, render_journal, render_outcome_saved

PAGE = 10
OLDER = "journal"


async def journal_page(
    context: ContextTypes.DEFAULT_TYPE, member: Member, before_id: int | None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page, newest first, with a button to the older checks when there are any."""
    db = database(context)
    rows = await db.journal(member.user_id, PAGE + 1, before_id=before_id)
    shown = rows[:PAGE]
    text = render_journal(
        shown,
        await db.count_checks(member.user_id),
        member.tz,
        member.lang,
    )
    if len(rows) <= PAGE:
        return text, None
    label = older_label(member.lang)
    button = InlineKeyboardButton(label, callback_data=f"{OLDER}:{shown[-1].check.id}")
    return text, InlineKeyboardMarkup([[button]])


async def on_journal(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    member = await load_member(update, context)
    if member is None:
        return
    text, markup = await journal_page(context, member, None)
    await reply(update, text, markup)


async def on_journal_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    member = await load_member(update, context)
    if query is None or query.data is None or member is None:
        return
    text, markup = await journal_page(context, member, int(query.data.split(":")[1]))
    await query.edit_message_text(text, reply_markup=markup)
    await query.answer()


async def record_result(
    context: ContextTypes.DEFAULT_TYPE, member: Member, request: ResultRequest
) -> str:
    """Store the outcome of one of the member's own /size checks and say what it counted."""
    db = database(context)
    row = await db.get_check(member.user_id, request.check_id)
    sized = revive_size(row.check.result_json) if row and row.check.command == "size" else None
    if sized is None:
        raise CommandError(
            ErrorCode.UNKNOWN_CHECK, word=str(request.check_id), example=EXAMPLES["result"]
        )
    figures = outcome_figures(sized, request.outcome, request.exit, member.rules.max_risk)
    result = TradeResult(figures.result)
    await db.record_outcome(
        member.user_id,
        request.check_id,
        result,
        exit_price=request.exit,
        r_multiple=figures.r_multiple,
        liquidated=figures.liquidated,
        loss_beyond_budget=figures.loss_beyond_budget,
    )
    return render_outcome_saved(request.check_id, figures, member.lang)


async def on_result(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    member = await load_member(update, context)
    if message is None or message.text is None or member is None:
        return
    request = await member_request(update, context, member, ResultRequest)
    if request is None:
        return
    try:
        text = await record_result(context, member, request)
    except CommandError as error:
        text = render_error(error, member.lang)
    await reply(update, text)
