"""Every command, defined once: its handler, its menu entry in every language and its /help.

A personal command (the member's own figures) is never answered in a group; the registry wraps
its handler so groups get a deep link into the private chat instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import BotCommand, Update
from telegram.constants import BotCommandLimit

from chatbot.bot.context import BotContext, Callback, is_group
from chatbot.bot.handlers.checks import on_calculation
from chatbot.bot.handlers.journal import on_journal, on_result
from chatbot.bot.handlers.lessons import on_lesson, on_lessons
from chatbot.bot.handlers.policy import on_policy
from chatbot.bot.handlers.privacy import on_export, on_forget
from chatbot.bot.handlers.record import on_ready, on_stats, on_streak
from chatbot.bot.handlers.reminders import on_remind
from chatbot.bot.handlers.settings import on_settings
from chatbot.bot.handlers.start import on_help, on_start
from chatbot.bot.replying import send_to_private
from chatbot.bot.throttle import admitted
from chatbot.language.parser import GRAMMARS
from chatbot.render.help import HelpEntry
from chatbot.render.i18n import N_, translator


@dataclass(frozen=True)
class Command:
    """One command: its handler, menu line and help. A command with a grammar (`GRAMMARS`)
    takes its usage, example and aliases from it, so they are written once."""

    name: str
    callback: Callback
    summary: str
    usage: str = ""
    example: str | None = None
    details: str | None = None
    aliases: tuple[str, ...] = ()
    personal: bool = False
    groups_only: bool = False
    in_menu: bool = True

    def __post_init__(self) -> None:
        grammar = GRAMMARS.get(self.name)
        if grammar is not None:
            object.__setattr__(self, "usage", grammar.usage)
            object.__setattr__(self, "example", grammar.example)
            object.__setattr__(self, "aliases", grammar.aliases)

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
        details=N_(
            "The size risks only your rule (fees included), rounded down. Numbers may be "
            "written 72k, 72,000 or $72000; the stop may be a distance such as 1%."
        ),
    ),
    Command("liq", on_calculation, N_("liquidation price of a position")),
    Command("pnl", on_calculation, N_("profit or loss of a trade, fees and R")),
    Command("hedge", on_calculation, N_("contracts to short against a spot holding")),
    Command("funding", on_calculation, N_("funding paid or received")),
    Command("price", on_calculation, N_("mark price, index price and funding now")),
    Command(
        "avg",
        on_calculation,
        N_("average entry of several fills, with margin, liquidation and break-even"),
        details=N_(
            "Give each fill as quantity@price, or as a price then its quantity. Inverse "
            "contracts count contracts (5) or the coin (0.1btc), averaged by the coin they buy."
        ),
    ),
    Command("settings", on_settings, N_("your defaults and rules"), personal=True),
    Command(
        "journal",
        on_journal,
        N_("your latest trades"),
        "/journal [all]",
        "/journal all",
        details=N_(
            "Each trade on two lines: entry → stop, size, risk, leverage, the verdict and the "
            "outcome in R. /journal all adds the other calculators."
        ),
        personal=True,
    ),
    Command("result", on_result, N_("record how a checked trade ended"), personal=True),
    Command("stats", on_stats, N_("your discipline figures"), "/stats", personal=True),
    Command("streak", on_streak, N_("your streaks"), "/streak", personal=True),
    Command(
        "ready", on_ready, N_("are you ready for standard contracts?"), "/ready", personal=True
    ),
    Command("remind", on_remind, N_("daily or weekly discipline reminders"), personal=True),
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
        groups_only=True,
    ),
    Command("export", on_export, N_("your data as a file"), "/export", personal=True),
    Command("forget", on_forget, N_("erase all your data"), "/forget", personal=True),
    Command("help", on_help, N_("what I can do"), "/help [command]", "/help size"),
    Command("start", on_start, N_("start here"), "/start", in_menu=False),
)


def private_only(command: Command) -> Callback:
    """A personal command answers in private only: in a group, however it was reached (typed,
    or a `/start export` deep link), the group gets a link into the private chat instead."""

    async def callback(update: Update, context: BotContext) -> None:
        if command.personal and is_group(update.effective_chat):
            member = await context.member(update)
            if member is not None:
                await send_to_private(update, context, command.name, member.lang)
            return
        await command.callback(update, context)

    return callback


def guarded(command: Command) -> Callback:
    """In a group, each member's commands are rate limited, and personal commands answer in
    private only."""
    answer = private_only(command)

    async def callback(update: Update, context: BotContext) -> None:
        if await admitted(update, context):
            await answer(update, context)

    return callback


def help_entries() -> dict[str, HelpEntry]:
    """Help keyed by every name a member may ask about (`/help calc` finds /size)."""
    return {name: c.help for c in COMMANDS for name in (c.name, *c.aliases) if c.in_menu}


def deep_links() -> dict[str, Callback]:
    """`/start stats` from a group's deep link runs /stats in the private chat, and only there:
    the same link typed in a group is still a personal command."""
    return {command.name: private_only(command) for command in COMMANDS if command.personal}


def menu(lang: str, *, groups: bool) -> list[BotCommand]:
    """The menu for one language; groups see only the commands that answer there."""
    return [
        command.menu_entry(lang)
        for command in COMMANDS
        if command.in_menu and not (command.personal if groups else command.groups_only)
    ]
