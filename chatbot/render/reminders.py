"""/remind and the check-in it sends, in words: the member's rules, streaks, open trades."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from chatbot.engine.models import Rules
from chatbot.evaluation.discipline import Streaks, TradeResult
from chatbot.evaluation.log import JournalRow, Reminder
from chatbot.language.parser import EXAMPLES
from chatbot.render.html import bold, code, escape
from chatbot.render.i18n import translator
from chatbot.render.record import result_word, rule_breaks, streak_lines
from chatbot.render.schedule import when

# The other two forms /remind takes; the grammar's own example is the daily one.
WEEKLY_EXAMPLE = "/remind weekly sun 18:00"
OFF_EXAMPLE = "/remind off"
_MARKS = {TradeResult.WIN: "✅", TradeResult.LOSS: "❌", TradeResult.BE: "➖"}


def render_reminders(reminders: Sequence[Reminder], lang: str) -> str:
    """The member's reminders, or how to set one."""
    tr = translator(lang)
    if not reminders:
        return tr.gettext(
            "No reminders yet. {daily} or {weekly} sets one; {off} stops them.",
            daily=code(EXAMPLES["remind"]),
            weekly=code(WEEKLY_EXAMPLE),
            off=code(OFF_EXAMPLE),
        )
    lines = [bold(tr.gettext("Your reminders"))]
    for reminder in reminders:
        line = "⏰ " + when(tr, reminder)
        if reminder.paused:
            line += " " + tr.gettext("(paused: send any command to the bot, then set it again)")
        lines.append(line)
    lines.append(tr.gettext("{off} stops them.", off=code(OFF_EXAMPLE)))
    return "\n".join(lines)


def render_reminder_set(reminder: Reminder, lang: str) -> str:
    tr = translator(lang)
    return "⏰ " + tr.gettext(
        "Reminder set: {when}. It will show your rules, your streak and the trades still "
        "waiting for an outcome.",
        when=when(tr, reminder),
    )


def render_reminders_off(lang: str) -> str:
    return translator(lang).gettext("Reminders stopped.")


def render_check_in(
    rules: Rules,
    streaks: Streaks,
    open_checks: Sequence[JournalRow],
    week_breaks: Mapping[str, int],
    lang: str,
) -> str:
    """The check-in itself: the member's rules, streak, open trades and the week's breaks."""
    tr = translator(lang)
    lines = [
        bold("⏰ " + tr.gettext("Your discipline check-in")),
        tr.gettext(
            "Your rules: risk at most {risk} a trade, leverage at most {leverage}x, the stop "
            "always before liquidation.",
            risk=tr.percent(rules.max_risk, exact=True),
            leverage=tr.number(rules.max_leverage),
        ),
        *streak_lines(tr, streaks),
    ]
    if open_checks:
        lines.append("")
        lines.append(tr.gettext("Checks from the last day without an outcome:"))
        lines += [
            f"#{check.id} · {escape(check.symbol or '')} · {tr.gettext(check.side or '')}"
            for check in (row.check for row in open_checks)
        ]
        lines.append(
            tr.gettext("Tap how each ended, or use {example}.", example=code(EXAMPLES["result"]))
        )
    if week_breaks:
        lines.append("")
        kinds = rule_breaks(tr, week_breaks)
        lines.append(tr.gettext("Rule breaks this week: {kinds}", kinds=kinds))
    else:
        lines.append(tr.gettext("No rule broken this week. Keep it that way."))
    return "\n".join(lines)


def outcome_button_label(check_id: int, result: TradeResult, lang: str) -> str:
    return f"#{check_id} {_MARKS[result]} {result_word(translator(lang), result)}"
