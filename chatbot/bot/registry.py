"""Every command, defined once: its handler, its menu entry in every language and its /help.

A personal command (the member's own figures) is never answered in a group; the registry wraps
its handler so groups get a deep link into the private chat instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import BotCommand, Update
from telegram.constants import BotCommandLimit
from telegram.ext import ContextTypes

from chatbot.bot.handlers.checks import on_calculation
from chatbot.bot.handlers.journal import on_journal, on_result
from chatbot.bot.handlers.lessons import on_lesson, on_lessons
from chatbot.bot.handlers.policy import on_policy
from chatbot.bot.handlers.privacy import on_export, on_forget
from chatbot.bot.handlers.record import on_ready, on_stats, on_streak
from chatbot.bot.handlers.reminders import on_remind
from chatbot.bot.handlers.settings import on_settings
from chatbot.bot.handlers.start import on_help, on_start
from chatbot.bot.member import is_group, load_member
from chatbot.bot.replying import send_to_private
from chatbot.bot.throttle import admitted
from chatbot.language.parser import EXAMPLES
from chatbot.render.help import HelpEntry
from chatbot.render.i18n import N_, translator

Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


@dataclass(frozen=True)
class Command:
    name: str
    callback: Callback
    summary: str
    usage: str
    example: str | None = None
    details: str | None = None
    aliases: tuple[str, ...] = ()
    personal: bool = False
    groups_only: bool = False
    in_menu: bool = True

    @property
    def help(self) -> HelpEntry:
        return HelpEntry(self.name, self.summary, self.usage, self.example, self.details)

    def menu_entry(self, lang: str) -> BotCommand:
        description = translator(lang).gettext(self.summary)
        return BotCommand(self.name, description[: BotCommandLimit.MAX_DESCRIPTION])


COMMANDS: tuple[Command, ...] = (
    Command(
        "size",
        on_calculation,
        N_("size a trade by your risk rule, with margin and liquidation"),
        "/size SYMBOL ENTRY stop STOP [acct A] [lev L] [risk 1%] [tp TARGET] [long|short] "
        "[isolated|cross] [contract micro|0.01] [fee 0.05%] [venue binance] [mmr 0.4%]",
        EXAMPLES["size"],
        N_(
            "The size risks only your rule (fees included), rounded down. Numbers may be "
            "written 72k, 72,000 or $72000; the stop may be a distance such as 1%."
        ),
        aliases=("calc", "rr"),
    ),
    Command(
        "liq",
        on_calculation,
        N_("liquidation price of a position"),
        "/liq SYMBOL ENTRY lev L [long|short] [isolated|cross] [acct A] [qty Q]",
        EXAMPLES["liq"],
    ),
    Command(
        "pnl",
        on_calculation,
        N_("profit or loss of a trade, fees and R"),
        "/pnl SYMBOL ENTRY EXIT qty Q [long|short] [contract micro] [stop S]",
        EXAMPLES["pnl"],
    ),
    Command(
        "hedge",
        on_calculation,
        N_("contracts to short against a spot holding"),
        "/hedge SYMBOL SPOT_VALUE [price P] [ratio 100%]",
        EXAMPLES["hedge"],
    ),
    Command(
        "funding",
        on_calculation,
        N_("funding paid or received"),
        "/funding SYMBOL NOTIONAL rate R [hours H] [long|short]",
        EXAMPLES["funding"],
    ),
    Command(
        "settings",
        on_settings,
        N_("your defaults and rules"),
        "/settings [acct A] [risk 1%] [lev L] [fee F] [venue V] [isolated|cross] "
        "[maxrisk 1%] [maxlev 10] [lang de] [tz Europe/Berlin]",
        EXAMPLES["settings"],
        personal=True,
    ),
    Command(
        "journal",
        on_journal,
        N_("your latest checks"),
        "/journal",
        personal=True,
    ),
    Command(
        "result",
        on_result,
        N_("record how a checked trade ended"),
        "/result ID win|loss|be|liq [exit PRICE]",
        EXAMPLES["result"],
        personal=True,
    ),
    Command("stats", on_stats, N_("your discipline figures"), "/stats", personal=True),
    Command("streak", on_streak, N_("your streaks"), "/streak", personal=True),
    Command(
        "ready",
        on_ready,
        N_("are you ready for standard contracts?"),
        "/ready",
        personal=True,
    ),
    Command(
        "remind",
        on_remind,
        N_("daily or weekly discipline reminders"),
        "/remind daily HH:MM [TZ] | /remind weekly DAY HH:MM [TZ] | /remind off",
        EXAMPLES["remind"],
        personal=True,
    ),
    Command(
        "lesson",
        on_lesson,
        N_("a short lesson with a worked example"),
        "/lesson [TOPIC]",
        "/lesson liquidation",
    ),
    Command("lessons", on_lessons, N_("the list of lessons"), "/lessons"),
    Command(
        "policy",
        on_policy,
        N_("the group's risk limits, language and lessons (admins)"),
        "/policy [maxrisk 1%] [maxlev 10] [lang de] [channel @name] "
        "[daily HH:MM TZ | weekly DAY HH:MM TZ | lessons off]",
        EXAMPLES["policy"],
        groups_only=True,
    ),
    Command("export", on_export, N_("your data as a file"), "/export", personal=True),
    Command("forget", on_forget, N_("erase all your data"), "/forget", personal=True),
    Command("help", on_help, N_("what I can do"), "/help [command]", "/help size"),
    Command("start", on_start, N_("start here"), "/start", in_menu=False),
)


def guarded(command: Command) -> Callback:
    """In a group, each member's commands are rate limited, and personal commands answer in
    private only: the group gets a link into the private chat instead."""

    async def callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await admitted(update, context):
            return
        if command.personal and is_group(update.effective_chat):
            member = await load_member(update, context)
            if member is not None:
                await send_to_private(update, context, command.name, member.lang)
            return
        await command.callback(update, context)

    return callback


def help_entries() -> dict[str, HelpEntry]:
    """Help keyed by every name a member may ask about (`/help calc` finds /size)."""
    return {name: c.help for c in COMMANDS for name in (c.name, *c.aliases) if c.in_menu}


def deep_links() -> dict[str, Callback]:
    """`/start stats` from a group's deep link runs /stats in the private chat."""
    return {command.name: command.callback for command in COMMANDS if command.personal}


def menu(lang: str, *, groups: bool) -> list[BotCommand]:
    """The menu for one language; groups see only the commands that answer there."""
    return [
        command.menu_entry(lang)
        for command in COMMANDS
        if command.in_menu and not (command.personal if groups else command.groups_only)
    ]
