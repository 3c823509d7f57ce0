"""/start, /help, the example buttons and the answers to text the bot does not understand."""

from __future__ import annotations

from difflib import get_close_matches

from telegram import CallbackQuery, InlineKeyboardMarkup, Update

from chatbot.bot.buttons import RUN, RunExample
from chatbot.bot.context import BotContext, text_of, with_member
from chatbot.bot.handlers.lessons import lesson_tries
from chatbot.bot.replying import reply, visible
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.parser import EXAMPLES
from chatbot.render.errors import render_error
from chatbot.render.help import (
    HelpEntry,
    render_command_help,
    render_help,
    render_start,
    render_text_hint,
    try_label,
)
from chatbot.service import checks, members
from chatbot.service.members import Member

EXAMPLE_COMMANDS = ("size", "liq", "hedge", "funding")
# What a button or a deep link may run, by key: the examples, and each lesson's command.
RUNNABLE = {name: EXAMPLES[name] for name in EXAMPLE_COMMANDS} | lesson_tries()


def help_entries(context: BotContext) -> dict[str, HelpEntry]:
    """The registry's help, keyed by command and alias, placed in `bot_data` at build time."""
    entries: dict[str, HelpEntry] = context.bot_data["help"]
    return entries


def commands_help(context: BotContext) -> list[HelpEntry]:
    """Each command's help once, in registry order (aliases point to the same entry)."""
    return list(dict.fromkeys(help_entries(context).values()))


def example_buttons(lang: str) -> InlineKeyboardMarkup:
    buttons = [RUN.key(try_label(name, lang), RunExample(key=name)) for name in EXAMPLE_COMMANDS]
    return InlineKeyboardMarkup([buttons[:2], buttons[2:]])


@with_member
async def on_start(update: Update, context: BotContext, member: Member) -> None:
    """Welcome, or follow a deep link from a group (`/start stats`) to that command."""
    user = update.effective_user
    assert user is not None  # a member is always a user
    await members.remember(context.db, user.id, user.first_name, user.username, user.language_code)
    target = context.args[0] if context.args else ""
    deep_link = context.bot_data["deep_links"].get(target)
    if deep_link is not None:
        await deep_link(update, context)
        return
    if target in RUNNABLE:
        await reply(update, await run_example(target, member, context))
        return
    text = render_start(commands_help(context), user.first_name, member.lang)
    await reply(update, text, example_buttons(member.lang))


@with_member
async def on_help(update: Update, context: BotContext, member: Member) -> None:
    """All commands, or one in detail with `/help size`."""
    entries = help_entries(context)
    asked = context.args[0].lower().lstrip("/") if context.args else ""
    if asked in entries:
        await reply(update, render_command_help(entries[asked], member.lang))
        return
    await reply(update, render_help(commands_help(context), member.lang))


async def run_example(key: str, member: Member, context: BotContext) -> str:
    """An example is answered like the typed command, with the member's defaults, unlogged."""
    check = await checks.evaluate_for(member, RUNNABLE[key], context.prices)
    return checks.answer(check, member)


async def on_run_example(
    query: CallbackQuery, context: BotContext, member: Member, data: RunExample
) -> None:
    if data.key in RUNNABLE:
        text = await run_example(data.key, member, context)
        message = visible(query.message)
        if message is not None:
            await message.reply_text(text)
        else:
            await context.bot.send_message(member.chat_id, text)
    await query.answer()


@with_member
async def on_unknown_command(update: Update, context: BotContext, member: Member) -> None:
    """A command the bot does not have, in a private chat: name it and point to the closest."""
    words = text_of(update).split()
    if not words:
        return
    close = get_close_matches(words[0].lstrip("/").lower(), list(help_entries(context)), n=1)
    error = CommandError(
        ErrorCode.UNKNOWN_COMMAND,
        word=words[0],
        example=EXAMPLES["size"],
        suggestion=f"/{close[0]}" if close else "",
    )
    await reply(update, render_error(error, member.lang))


@with_member
async def on_plain_text(update: Update, context: BotContext, member: Member) -> None:
    """Text that is not a command in a private chat gets a pointer, never silence."""
    await reply(update, render_text_hint(member.lang))
