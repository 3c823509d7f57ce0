"""/journal and /result in words: each sized trade on two lines a trader reads, and what a
reported outcome counted.

A trade reads: number, date, symbol, side, entry → stop on the first line; size, risk, leverage,
the verdict and the outcome in R on the second. The other calculators (/liq, /pnl, …) are not
trades: they appear, one line each, only under `/journal all`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton

from chatbot.evaluation.discipline import TradeResult
from chatbot.evaluation.instruments import listed
from chatbot.evaluation.log import CheckRow, JournalRow
from chatbot.evaluation.outcomes import OutcomeFigures
from chatbot.language.parser import EXAMPLES
from chatbot.render.html import bold, code, escape
from chatbot.render.i18n import Translator, translator
from chatbot.render.pieces import leverage, units, word
from chatbot.render.record import check_breaks, r_multiple, result_word

ALL = "all"


def result_example(check_id: int | None) -> str:
    """`/result 57 win exit 73500` with the member's own latest check, not a made-up 12."""
    example = EXAMPLES["result"]
    if check_id is None:
        return example
    words = example.split()
    return " ".join([words[0], str(check_id), *words[2:]])


def _moment(tr: Translator, value: datetime, tz: str) -> str:
    local = value.astimezone(ZoneInfo(tz))
    return f"{format_skeleton('MMMd', local, locale=tr.locale)} {tr.time(f'{local:%H:%M}')}"


def _verdict(tr: Translator, check: CheckRow) -> str:
    if check.exploring:
        return tr.gettext("🔍 just exploring")
    if check.within_rules:
        return tr.gettext("✅ within rules")
    return "⛔ " + ", ".join(check_breaks(tr, check))


def _ended(tr: Translator, row: JournalRow) -> str:
    outcome = row.outcome
    if outcome is None:
        return tr.gettext("open")
    shown = result_word(tr, outcome.result)
    if outcome.liquidated:
        shown = tr.gettext("liquidated")
    if outcome.r_multiple is not None:
        shown += f" {r_multiple(tr, outcome.r_multiple)}"
    return bold(shown)


def _trade(tr: Translator, row: JournalRow, tz: str) -> str:
    """Two lines: what was planned, then what it was sized to, the verdict and how it ended."""
    check = row.check
    first = [bold(f"#{check.id}"), _moment(tr, check.created_at, tz)]
    if check.symbol:
        first.append(f"{escape(check.symbol)} {word(tr, check.side or '')}".strip())
    if check.entry is not None and check.stop is not None:
        first.append(f"{tr.price(check.entry)} → {tr.price(check.stop)}")
    second = []
    if check.quantity is not None:
        instrument = listed(check.venue or "", check.symbol or "")
        base = instrument.base if instrument else ""
        second.append(units(tr, check.quantity, base) if base else tr.qty(check.quantity))
    if check.risk_fraction is not None:
        second.append(tr.gettext("risk {risk}", risk=tr.percent(check.risk_fraction)))
    if check.leverage is not None:
        second.append(leverage(tr, check.leverage))
    second += [_verdict(tr, check), _ended(tr, row)]
    return " · ".join(first) + "\n    " + " · ".join(second)


def _other(tr: Translator, row: JournalRow, tz: str) -> str:
    """A calculator that is not a trade, on one line."""
    check = row.check
    parts = [bold(f"#{check.id}"), _moment(tr, check.created_at, tz), f"/{check.command}"]
    if check.symbol:
        parts.append(escape(check.symbol))
    if check.side:
        parts.append(word(tr, check.side))
    if check.leverage is not None:
        parts.append(leverage(tr, check.leverage))
    return " · ".join(parts)


def render_journal(
    rows: Sequence[JournalRow],
    counted: int,
    latest: int | None,
    tz: str,
    lang: str,
    *,
    everything: bool = False,
) -> str:
    """A page of the log, newest first, ending with how to record an outcome, using the
    member's own latest check number (`latest`)."""
    tr = translator(lang)
    if not rows:
        return tr.gettext(
            "Your journal is empty. Size a trade with {example} and it lands here.",
            example=code(EXAMPLES["size"]),
        )
    if everything:
        head = tr.gettext("All your checks, newest first")
    else:
        head = tr.ngettext(
            "Your trades, newest first ({count} counted in your record)",
            "Your trades, newest first ({count} counted in your record)",
            counted,
            count=counted,
        )
    entries = [
        _trade(tr, row, tz) if row.check.command == "size" else _other(tr, row, tz) for row in rows
    ]
    lines = [bold(head), *entries, ""]
    lines.append(
        tr.gettext("Record how a trade ended: {example}", example=code(result_example(latest)))
    )
    if not everything:
        lines.append(tr.gettext("Other calculators: {command}", command=code("/journal all")))
    return "\n".join(lines)


def older_label(lang: str) -> str:
    """The button to the next page of older checks."""
    return translator(lang).gettext("Older checks ›")


def render_outcome_saved(check_id: int, figures: OutcomeFigures, lang: str) -> str:
    tr = translator(lang)
    what = result_word(tr, TradeResult(figures.result))
    if figures.liquidated:
        what = tr.gettext("liquidated")
    what += f", {r_multiple(tr, figures.r_multiple)}"
    return "📒 " + tr.gettext("Check #{id} logged as {outcome}.", id=check_id, outcome=what)
