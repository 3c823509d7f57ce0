"""/export and /forget: the member's data as a file, and erasing all of it after a yes."""

from __future__ import annotations

import csv
import io

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import ContextTypes

from chatbot.bot.member import database, load_member
from chatbot.bot.replying import reply
from chatbot.render.privacy import (
    forget_labels,
    render_export_caption,
    render_forget_confirm,
    render_forgotten,
    render_kept,
)
from chatbot.storage.rows import MemberExport

FORGET = "forget"
COLUMNS = (
    "record",
    "id",
    "created_at",
    "command",
    "symbol",
    "side",
    "risk_fraction",
    "leverage",
    "within_rules",
    "breaks",
    "exploring",
    "result",
    "exit_price",
    "r_multiple",
    "liquidated",
    "request",
    "setting",
    "value",
)


def _blank_none(values: dict[str, object]) -> dict[str, object]:
    return {key: "" if value is None else value for key, value in values.items()}


def export_csv(data: MemberExport) -> bytes:
    """Every check with its outcome and inputs, then each saved setting as a row of its own."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, restval="")
    writer.writeheader()
    for row in data.checks:
        check, outcome = row.check, row.outcome
        fields: dict[str, object] = {
            "record": "check",
            "id": check.id,
            "created_at": check.created_at.isoformat(),
            "command": check.command,
            "symbol": check.symbol,
            "side": check.side,
            "risk_fraction": check.risk_fraction,
            "leverage": check.leverage,
            "within_rules": int(check.within_rules),
            "breaks": " ".join(check.breaks),
            "exploring": int(check.exploring),
            "request": check.request_json,
        }
        if outcome is not None:
            fields |= {
                "result": outcome.result.value,
                "exit_price": outcome.exit_price,
                "r_multiple": outcome.r_multiple,
                "liquidated": int(outcome.liquidated),
            }
        writer.writerow(_blank_none(fields))
    if data.settings is not None:
        for name, value in data.settings.model_dump(exclude={"user_id", "updated_at"}).items():
            if value is not None:
                writer.writerow({"record": "setting", "setting": name, "value": value})
    return out.getvalue().encode("utf-8")


async def on_export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    member = await load_member(update, context)
    if message is None or member is None:
        return
    data = await database(context).export_rows(member.user_id)
    await message.reply_document(
        InputFile(export_csv(data), filename="riskbot-log.csv"),
        caption=render_export_caption(len(data.checks), member.lang),
    )


async def on_forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    member = await load_member(update, context)
    if member is None:
        return
    erase, keep = forget_labels(member.lang)
    buttons = [
        InlineKeyboardButton(erase, callback_data=f"{FORGET}:yes"),
        InlineKeyboardButton(keep, callback_data=f"{FORGET}:no"),
    ]
    await reply(update, render_forget_confirm(member.lang), InlineKeyboardMarkup([buttons]))


async def on_forget_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Only the member who pressed can erase, and only their own rows."""
    query = update.callback_query
    member = await load_member(update, context)
    if query is None or member is None:
        return
    if query.data == f"{FORGET}:yes":
        await database(context).forget(member.user_id)
        await query.edit_message_text(render_forgotten(member.lang))
    else:
        await query.edit_message_text(render_kept(member.lang))
    await query.answer()
