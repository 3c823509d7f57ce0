"""/start, /help, the example buttons and the answers to text the bot does not understand."""

from __future__ import annotations

from difflib import get_close_matches

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from chatbot.bot.handlers.lessons import lesson_tries
from chatbot.bot.member import Member, database, load_member
from chatbot.bot.replying import reply
from chatbot.evaluation.calculators import evaluate
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.parser import EXAMPLES, parse_command
from chatbot.render.errors import render_error
from chatbot.render.help import (
    HelpEntry,
    render_command_help,
    render_help,
    render_start,
    render_text_hint,
    try_label,
)
from chatbot.render.results import render

RUN = "run"
EXAMPLE_COMMANDS = ("size", "liq", "hedge", "funding")
# What a button or a deep link may run, by key: the examples, and each lesson's command.
RUNNABLE = {name: EXAMPLES[name] for name in EXAMPLE_COMMANDS} | lesson_tries()


def help_entries(context: ContextTypes.DEFAULT_TYPE) -> dict[str, HelpEntry]:
    """The registry's help, keyed by command and alias, placed in `bot_data` at build time."""
    entries: dict[str, HelpEntry] = context.bot_data["help"]
    return entries


def commands_help(context: ContextTypes.DEFAULT_TYPE) -> list[HelpEntry]:
    """Each command's help once, in registry order (aliases point to the same entry)."""
    return list(dict.fromkeys(help_entries(context).values()))


def example_buttons(lang: str) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(try_label(name, lang), callback_data=f"{RUN}:{name}")
        for name in EXAMPLE_COMMANDS
    ]
    return InlineKeyboardMarkup([buttons[:2], buttons[2:]])


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Welcome, or follow a deep link from a group (`/start stats`) to that command."""
    user = update.effective_user
    member = await load_member(update, context)
    if user is None or member is None:
        return
    await database(context).upsert_member(
        user.id, user.first_name, user.username, user.language_code
    )
    target = context.args[0] if context.args else ""
    deep_link = context.bot_data["deep_links"].get(target)
    if deep_link is not None:
        await deep_link(update, context)
        return
    if target in RUNNABLE:
        await reply(update, run_example(target, member))
        return
    text = render_start(commands_help(context), user.first_name, member.lang)
    await reply(update, text, example_buttons(member.lang))


async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """All commands, or one in detail with `/help size`."""
    member = await load_member(update, context)
    if member is None:
        return
    entries = help_entries(context)
    asked = context.args[0].lower().lstrip("/") if context.args else ""
    if asked in entries:
        await reply(update, render_command_help(entries[asked], member.lang))
        return
    await reply(update, render_help(commands_help(context), member.lang))


def run_example(key: str, member: Member) -> str:
    """An example is answered like the typed command, with the member's defaults, unlogged."""
    check = evaluate(parse_command(RUNNABLE[key]), member.profile, member.group)
    return render(check, member.lang, rules=member.rules)


async def on_run_example(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    member = await load_member(update, context)
    if query is None or query.data is None or member is None:
        return
    key = query.data.split(":")[1]
    if query.message is not None and key in RUNNABLE:
        await query.message.reply_text(run_example(key, member))
    await query.answer()


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command the bot does not have, in a private chat: name it and point to the closest."""
    message = update.effective_message
    member = await load_member(update, context)
    if message is None or message.text is None or member is None:
        return
    word = message.text.split()[0]
    close = get_close_matches(word.lstrip("/").lower(), list(help_entries(context)), n=1)
    error = CommandError(
        ErrorCode.UNKNOWN_COMMAND,
        word=word,
        example=EXAMPLES["size"],
        suggestion=f"/{close[0]}" if close else "",
    )
    await reply(update, render_error(error, member.lang))


async def on_plain_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Text that is not a command in a private chat gets a pointer, never silence."""
    member = await load_member(update, context)
    if member is not None:
        await reply(update, render_text_hint(member.lang))
