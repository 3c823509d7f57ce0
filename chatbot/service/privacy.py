"""/export and /forget: everything stored about a member as a CSV file, and erasing all of it."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from chatbot.engine.models import Frozen
from chatbot.engine.plain import plain
from chatbot.render.privacy import render_export_caption, render_forgotten
from chatbot.service.members import Member
from chatbot.storage import Database
from chatbot.storage.rows import MemberExport

FILENAME = "riskbot-log.csv"
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


class Export(Frozen):
    content: bytes
    caption: str


def _cell(value: object) -> object:
    """A CSV cell: nothing for a missing value, a decimal without an exponent."""
    if value is None:
        return ""
    return plain(value) if isinstance(value, Decimal) else value


def _cells(values: dict[str, object]) -> dict[str, object]:
    return {key: _cell(value) for key, value in values.items()}


def export_csv(data: MemberExport) -> bytes:
    """Every check with its outcome and inputs, then each saved setting as a row of its own,
    named by its stored column."""
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
        writer.writerow(_cells(fields))
    if data.settings is not None:
        for name, value in data.settings.model_dump(exclude={"user_id", "updated_at"}).items():
            if value is not None:
                writer.writerow(_cells({"record": "setting", "setting": name, "value": value}))
    return out.getvalue().encode("utf-8")


async def export(db: Database, member: Member) -> Export:
    data = await db.export_rows(member.user_id)
    caption = render_export_caption(len(data.checks), member.lang)
    return Export(content=export_csv(data), caption=caption)


async def forget(db: Database, member: Member) -> str:
    """Erase every row of the member, in one transaction."""
    await db.forget(member.user_id)
    return render_forgotten(member.lang)
