"""/size, /liq, /pnl, /hedge, /funding: parse, evaluate, log, answer with feedback.

Every check is logged before it is answered, keyed by chat and message, so a redelivered
update is logged once and answered again only if its first answer never went out.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes

from chatbot.bot.handlers.charts import chart_button
from chatbot.bot.member import Member, database, load_member
from chatbot.bot.replying import reply
from chatbot.engine.models import SizeResult
from chatbot.evaluation.calculators import Check, evaluate
from chatbot.evaluation.discipline import Verdict, feedback, judge, stats_of, streaks_of
from chatbot.evaluation.log import NewCheck
from chatbot.evaluation.records import stored_result
from chatbot.language.errors import CommandError
from chatbot.language.parser import parse_command
from chatbot.render.chat import render_not_yours
from chatbot.render.checks import explore_label, render_exploring
from chatbot.render.errors import render_error
from chatbot.render.record import render_feedback
from chatbot.render.results import render
from chatbot.storage import Database

EXPLORE = "explore"


def update_key(message: Message) -> str:
    """Telegram's message id is unique per chat: together they name one member action."""
    return f"{message.chat_id}:{message.message_id}"


def new_check(message: Message, member: Member, check: Check) -> NewCheck:
    """The log row of a check, with the verdict of the member's rules on it."""
    result = check.result
    verdict = judge(result.warnings) if isinstance(result, SizeResult) else judge(())
    return NewCheck(
        update_key=update_key(message),
        user_id=member.user_id,
        chat_id=member.chat_id,
        command=check.request.command,
        request_json=check.request.model_dump_json(),
        result_json=stored_result(check),
        symbol=result.instrument.symbol,
        side=getattr(result, "side", None),
        risk_fraction=result.risk_fraction if isinstance(result, SizeResult) else None,
        leverage=getattr(result, "leverage", None),
        within_rules=verdict.within_rules,
        breaks=verdict.breaks,
        created_at=message.date,
        local_day=message.date.astimezone(ZoneInfo(member.tz)).date().isoformat(),
    )


async def feedback_line(db: Database, member: Member, check_id: int, row: NewCheck) -> str:
    """One line from the member's record, comparing it without and with this check."""
    rows = await db.discipline_rows(member.user_id)
    before = [earlier for earlier in rows if earlier.check_id != check_id]
    verdict = Verdict(within_rules=row.within_rules, breaks=row.breaks)
    line = feedback(
        streaks_of(before),
        streaks_of(rows),
        verdict,
        stats_of(rows),
        rule=member.rules.max_risk,
    )
    return render_feedback(line, member.lang)


def check_keyboard(check_id: int, exploring: bool, lang: str) -> InlineKeyboardMarkup:
    """The buttons under a /size reply: (un)mark it as just exploring, and draw its chart."""
    text = explore_label(exploring, lang)
    data = f"{EXPLORE}:{check_id}:{0 if exploring else 1}"
    explore = InlineKeyboardButton(text, callback_data=data)
    return InlineKeyboardMarkup([[explore, chart_button(check_id, lang)]])


async def on_calculation(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a calculator command, from a slash command or plain text in a private chat."""
    message = update.effective_message
    member = await load_member(update, context)
    if message is None or message.text is None or member is None:
        return
    try:
        request = parse_command(message.text, context.bot.username)
        check = evaluate(request, member.profile, member.group)
    except CommandError as error:
        await reply(update, render_error(error, member.lang))
        return
    db = database(context)
    row = new_check(message, member, check)
    check_id, inserted = await db.record_check(row)
    if not inserted and await db.was_replied(check_id):
        return
    sized = isinstance(check.result, SizeResult)
    line = await feedback_line(db, member, check_id, row) if sized else None
    markup = check_keyboard(check_id, False, member.lang) if sized else None
    await reply(update, render(check, member.lang, feedback=line, rules=member.rules), markup)
    await db.mark_replied(check_id)


async def on_exploring(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Mark (or unmark) a check as just exploring: only its own member may press it."""
    query = update.callback_query
    member = await load_member(update, context)
    if query is None or query.data is None or member is None:
        return
    _, check_id, flag = query.data.split(":")
    exploring = flag == "1"
    changed = await database(context).set_exploring(member.user_id, int(check_id), exploring)
    if not changed:
        await query.answer(render_not_yours(member.lang), show_alert=True)
        return
    await query.answer(render_exploring(exploring, member.lang))
    await query.edit_message_reply_markup(check_keyboard(int(check_id), exploring, member.lang))
