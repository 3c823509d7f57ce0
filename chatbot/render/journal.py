"""/journal and /result in words: the latest checks, and what a reported outcome counted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from chatbot.evaluation.discipline import TradeResult
from chatbot.evaluation.log import JournalRow
from chatbot.evaluation.outcomes import OutcomeFigures
from chatbot.language.parser import EXAMPLES
from chatbot.render.html import bold, code, escape
from chatbot.render.i18n import Translator, translator
from chatbot.render.record import r_multiple, result_word, rule_break


def _moment(tr: Translator, value: datetime, tz: str) -> str:
    return format_datetime(value, format="short", tzinfo=ZoneInfo(tz), locale=tr.locale)


def _verdict(tr: Translator, row: JournalRow) -> str:
    check = row.check
    if check.exploring:
        return tr.gettext("🔍 just exploring")
    if check.within_rules:
        return tr.gettext("✅ within rules")
    return "⛔ " + ", ".join(rule_break(tr, code_) for code_ in check.breaks)


def _ended(tr: Translator, row: JournalRow) -> str:
    outcome = row.outcome
    if outcome is None:
        return ""
    shown = " · " + result_word(tr, outcome.result)
    if outcome.liquidated:
        shown += " " + tr.gettext("(liquidated)")
    if outcome.r_multiple is not None:
        shown += f" {r_multiple(tr, outcome.r_multiple)}"
    return shown


def _journal_line(tr: Translator, row: JournalRow, tz: str) -> str:
    check = row.check
    parts = [bold(f"#{check.id}"), _moment(tr, check.created_at, tz), f"/{check.command}"]
    if check.symbol:
        parts.append(escape(check.symbol))
    if check.side:
        parts.append(tr.gettext(check.side))
    if check.risk_fraction is not None:
        parts.append(tr.gettext("risk {risk}", risk=tr.percent(check.risk_fraction)))
    if check.leverage is not None:
        parts.append(f"{tr.number(check.leverage)}x")
    line = " · ".join(parts)
    if check.command != "size":
        return line
    return f"{line}\n    {_verdict(tr, row)}{_ended(tr, row)}"


def render_journal(rows: Sequence[JournalRow], total: int, tz: str, lang: str) -> str:
    """The latest checks, newest first, with the numbers /result takes."""
    tr = translator(lang)
    if not rows:
        return tr.gettext(
            "Your journal is empty. Size a trade with {example} and it lands here.",
            example=code(EXAMPLES["size"]),
        )
    head = tr.ngettext(
        "Your journal: {count} check in all, newest first",
        "Your journal: {count} checks in all, newest first",
        total,
        count=total,
    )
    lines = [bold(head), *(_journal_line(tr, row, tz) for row in rows), ""]
    lines.append(
        tr.gettext("Record how a trade ended: {example}", example=code(EXAMPLES["result"]))
    )
    return "\n".join(lines)


def older_label(lang: str) -> str:
    """The button to the next page of older checks."""
    return translator(lang).gettext("Older checks ›")


def render_outcome_saved(check_id: int, figures: OutcomeFigures, lang: str) -> str:
    tr = translator(lang)
    what = result_word(tr, TradeResult(figures.result))
    if figures.liquidated:
        what += " " + tr.gettext("(liquidated)")
    if figures.r_multiple is not None:
        what += f", {r_multiple(tr, figures.r_multiple)}"
    return "📒 " + tr.gettext("Check #{id} logged as {outcome}.", id=check_id, outcome=what)
