"""/remind and the check-in it sends: the member's rules, streaks, open trades and breaks."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from chatbot.engine.models import Frozen
from chatbot.evaluation.log import Reminder
from chatbot.language.requests import Schedule
from chatbot.render.reminders import (
    render_check_in,
    render_reminder_set,
    render_reminders,
    render_reminders_off,
)
from chatbot.service.members import Member
from chatbot.storage import Database

OPEN_WINDOW = timedelta(days=1)
WEEK = timedelta(days=7)
MAX_OPEN_SHOWN = 5


class ReminderSet(Frozen):
    reminder: Reminder
    text: str


class CheckIn(Frozen):
    """The check-in's text, and the open checks it lists, for one outcome button each."""

    text: str
    open_checks: tuple[int, ...]


async def show(db: Database, member: Member) -> str:
    return render_reminders(await db.reminders(member.user_id), member.lang)


async def set_reminder(db: Database, member: Member, plan: Schedule) -> ReminderSet:
    """Save the reminder, in the member's own zone when the command named none."""
    reminder = Reminder.model_validate(
        {**plan.model_dump(), "user_id": member.user_id, "tz": plan.tz or member.tz}
    )
    await db.save_reminder(reminder)
    return ReminderSet(reminder=reminder, text=render_reminder_set(reminder, member.lang))


async def stop(db: Database, member: Member) -> str:
    await db.delete_reminders(member.user_id)
    return render_reminders_off(member.lang)


async def check_in(db: Database, member: Member, now: datetime) -> CheckIn:
    """Checks of the last day still without an outcome (a few, so the buttons fit), the
    streaks, and the rules broken in the last seven days."""
    open_rows = (await db.open_checks(member.user_id, now - OPEN_WINDOW))[:MAX_OPEN_SHOWN]
    text = render_check_in(
        member.rules,
        (await db.standing(member.user_id)).streaks,
        open_rows,
        Counter(await db.breaks_since(member.user_id, now - WEEK)),
        member.lang,
    )
    return CheckIn(text=text, open_checks=tuple(row.check.id for row in open_rows))


async def wanted(db: Database, user_id: int) -> bool:
    """Whether the member still has an active reminder: a job due just as they erased their
    data, or stopped their reminders, must send nothing."""
    return any(not reminder.paused for reminder in await db.reminders(user_id))


async def pause(db: Database, user_id: int) -> None:
    """A member who blocked the bot gets no more attempts until they set a reminder again."""
    await db.pause_reminders(user_id)


async def active(db: Database) -> list[Reminder]:
    """Every reminder that should fire: the database, not the job queue, is the truth."""
    return await db.active_reminders()
