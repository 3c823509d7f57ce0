"""/export as a file a spreadsheet opens cleanly in the member's locale: one row per check, one
column per figure, headers in the member's language.

Where the member's language writes a decimal comma (de, es, pt, ru, tr), spreadsheets in that
locale split a CSV on semicolons, so the file uses `;` there and `,` elsewhere; numbers are
plain (no grouping marks, no currency sign, no exponent) with the locale's decimal mark, R to
two decimals, and times are ISO 8601 in the member's time zone with their offset. The file
starts with a UTF-8 byte order mark, which spreadsheets read as "this is UTF-8".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from zoneinfo import ZoneInfo

from babel.numbers import get_decimal_symbol

from chatbot.evaluation.defaults import Preferences
from chatbot.evaluation.log import JournalRow
from chatbot.render.i18n import N_, Translator, translator
from chatbot.render.record import check_breaks, result_word
from chatbot.render.settings import LABELS, setting_value

BOM = "\ufeff"
R_PLACES = Decimal("0.01")
PERCENT_PLACES = Decimal("0.0001")

Cell = Callable[[Translator, JournalRow, str], object]


def _number(tr: Translator, value: Decimal | None) -> str:
    if value is None:
        return ""
    mark = get_decimal_symbol(tr.locale)
    return format(value, "f").replace(".", mark)


def _time(value: datetime | None, tz: str) -> str:
    return "" if value is None else value.astimezone(ZoneInfo(tz)).isoformat()


def _verdict(tr: Translator, row: JournalRow, tz: str) -> str:
    check = row.check
    if check.command != "size":
        return ""
    if check.exploring:
        return tr.gettext("just exploring")
    if check.within_rules:
        return tr.gettext("within rules")
    return "; ".join(check_breaks(tr, check))


def _outcome(tr: Translator, row: JournalRow, tz: str) -> str:
    outcome = row.outcome
    if outcome is None:
        return ""
    return tr.gettext("liquidated") if outcome.liquidated else result_word(tr, outcome.result)


def _percent(value: Decimal | None) -> Decimal | None:
    return None if value is None else (value * 100).quantize(PERCENT_PLACES).normalize()


def _r(row: JournalRow) -> Decimal | None:
    if row.outcome is None or row.outcome.r_multiple is None:
        return None
    return row.outcome.r_multiple.quantize(R_PLACES, rounding=ROUND_HALF_EVEN)


def _figure(name: str) -> Cell:
    return lambda tr, row, tz: _number(tr, getattr(row.check, name))


# Each column: its header, and how a row fills it.
COLUMNS: tuple[tuple[str, Cell], ...] = (
    (N_("check"), lambda tr, row, tz: row.check.id),
    (N_("time"), lambda tr, row, tz: _time(row.check.created_at, tz)),
    (N_("command"), lambda tr, row, tz: row.check.command),
    (N_("symbol"), lambda tr, row, tz: row.check.symbol or ""),
    (N_("side"), lambda tr, row, tz: tr.gettext(row.check.side) if row.check.side else ""),
    (N_("entry"), _figure("entry")),
    (N_("stop"), _figure("stop")),
    (N_("target"), _figure("target")),
    (N_("quantity"), _figure("quantity")),
    (N_("position value"), _figure("notional")),
    (N_("margin"), _figure("margin")),
    (N_("liquidation"), _figure("liquidation")),
    (N_("account"), _figure("account")),
    (N_("risk %"), lambda tr, row, tz: _number(tr, _percent(row.check.risk_fraction))),
    (N_("leverage"), _figure("leverage")),
    (N_("fees"), _figure("fees")),
    (N_("verdict"), _verdict),
    (N_("outcome"), _outcome),
    (N_("exit"), lambda tr, row, tz: _number(tr, row.outcome.exit_price if row.outcome else None)),
    (N_("R"), lambda tr, row, tz: _number(tr, _r(row))),
    (
        N_("outcome time"),
        lambda tr, row, tz: _time(row.outcome.created_at if row.outcome else None, tz),
    ),
)


def delimiter(tr: Translator) -> str:
    """`;` where the decimal mark is a comma (as spreadsheets there expect), else `,`."""
    return ";" if get_decimal_symbol(tr.locale) == "," else ","


def export_csv(rows: Sequence[JournalRow], tz: str, lang: str) -> bytes:
    """Every check with its outcome, oldest first, one column per figure."""
    tr = translator(lang)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter(tr))
    writer.writerow([tr.gettext(title) for title, _ in COLUMNS])
    for row in rows:
        writer.writerow([cell(tr, row, tz) for _, cell in COLUMNS])
    return (BOM + out.getvalue()).encode("utf-8")


def render_export_caption(count: int, settings: Preferences | None, lang: str) -> str:
    """The file's caption: how many checks, and the member's saved settings, which are not
    figures of a check and so not columns of the file."""
    tr = translator(lang)
    lines = [
        tr.ngettext(
            "Your journal: {count} check, with its outcome.",
            "Your journal: {count} checks, with their outcomes.",
            count,
            count=count,
        )
    ]
    saved = [
        f"{tr.gettext(label)}: {setting_value(tr, name, getattr(settings, name, None))}"
        for name, label in LABELS.items()
        if getattr(settings, name, None) is not None
    ]
    if saved:
        lines += ["", tr.gettext("Your saved settings:"), *saved]
    return "\n".join(lines)
