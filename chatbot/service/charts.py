"""Charts as pictures with captions: a check's price ladder, and the risk record of /stats.

Drawing takes a fraction of a second of CPU, so it runs in a worker thread
(`asyncio.to_thread`) and the event loop keeps answering other members meanwhile.
"""

from __future__ import annotations

import asyncio

from chatbot.engine.models import Frozen
from chatbot.evaluation.standing import Standing
from chatbot.render.charts import MAX_POINTS
from chatbot.render.ladder import ladder_caption, price_ladder_png
from chatbot.render.risk_chart import risk_caption, risk_chart_png
from chatbot.service.checks import own_size
from chatbot.service.members import Member
from chatbot.storage import Database

# One point is not a line: the risk chart appears once two counted checks can be compared.
MIN_CHART_CHECKS = 2


class Picture(Frozen):
    png: bytes
    caption: str


async def price_ladder(db: Database, member: Member, check_id: int) -> Picture | str:
    """The price ladder of the member's own check, or why there is none; pressed in a group,
    the picture leaves out the member's account."""
    sized = await own_size(db, member, check_id)
    if isinstance(sized, str):
        return sized
    png = await asyncio.to_thread(price_ladder_png, sized, member.lang, private=member.private)
    return Picture(png=png, caption=ladder_caption(check_id, sized, member.lang))


async def risk_chart(db: Database, member: Member, standing: Standing) -> Picture | None:
    """Risk per check against the member's rule, once there is a line to draw: the latest
    checks only, so the cost does not grow with the record."""
    counted = standing.tally.counted
    if counted < MIN_CHART_CHECKS:
        return None
    points = await db.latest_counted(member.user_id, MAX_POINTS)
    rule = member.rules.max_risk
    png = await asyncio.to_thread(
        risk_chart_png, points, rule, member.lang, standing.streaks, counted
    )
    return Picture(png=png, caption=risk_caption(rule, member.lang))
