"""/export and /forget: the member's journal as a CSV file a spreadsheet opens cleanly in their
locale, their settings beside it, and erasing all of it."""

from __future__ import annotations

from chatbot.engine.models import Frozen
from chatbot.render.export import export_csv, render_export_caption
from chatbot.render.privacy import render_forgotten
from chatbot.service.members import Member
from chatbot.storage import Database

FILENAME = "riskbot-journal.csv"


class Export(Frozen):
    content: bytes
    caption: str


async def export(db: Database, member: Member) -> Export:
    """Every check with its outcome as one row of figures; the saved settings in the caption."""
    data = await db.export_rows(member.user_id)
    content = export_csv(data.checks, member.tz, member.lang)
    caption = render_export_caption(len(data.checks), data.settings, member.lang)
    return Export(content=content, caption=caption)


async def forget(db: Database, member: Member) -> str:
    """Erase every row of the member, in one transaction."""
    await db.forget(member.user_id)
    return render_forgotten(member.lang)
