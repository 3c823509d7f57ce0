"""Reminders and lesson schedules in the job queue, rebuilt from SQLite at every start.

SQLite is the source of truth (no pickled jobs), so a restart loses none. A common time such as
20:00 is spread over a few minutes by a per-member offset, so it is never a burst.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import get_args
from zoneinfo import ZoneInfo

from telegram.ext import Job, JobQueue

from chatbot.bot.context import BotApp, BotContext, JobCallback
from chatbot.evaluation.defaults import DEFAULT_TIMEZONE
from chatbot.evaluation.log import Reminder
from chatbot.language.requests import ScheduleKind
from chatbot.service import lessons, reminders
from chatbot.storage import Database
from chatbot.storage.rows import GroupPolicy

JITTER = timedelta(minutes=5)
Queue = JobQueue[BotContext]


def jitter(key: int) -> timedelta:
    """A stable offset in [0, 5 min) per member or chat: the same every restart."""
    return timedelta(seconds=(key * 2654435761) % int(JITTER.total_seconds()))


def fire_time(at: str, tz: str, offset: timedelta) -> time:
    """The wall-clock time in the member's zone at which the job fires."""
    hour, minute = (int(part) for part in at.split(":"))
    shifted = datetime.combine(date(2000, 1, 3), time(hour, minute)) + offset
    return shifted.time().replace(tzinfo=ZoneInfo(tz))


def fire_days(weekday: int | None) -> tuple[int, ...]:
    """PTB counts days from Sunday = 0; the schedules count from Monday = 0 like Python."""
    if weekday is None:
        return tuple(range(7))
    return ((weekday + 1) % 7,)


def reminder_job(user_id: int, kind: str) -> str:
    return f"remind:{user_id}:{kind}"


def lesson_job(chat_id: int) -> str:
    return f"lessons:{chat_id}"


def _replace(queue: Queue, name: str) -> None:
    for job in queue.get_jobs_by_name(name):
        job.schedule_removal()


def schedule_reminder(queue: Queue, reminder: Reminder, callback: JobCallback) -> Job[BotContext]:
    name = reminder_job(reminder.user_id, reminder.kind)
    _replace(queue, name)
    return queue.run_daily(
        callback,
        fire_time(reminder.at, reminder.tz, jitter(reminder.user_id)),
        days=fire_days(reminder.weekday),
        name=name,
        chat_id=reminder.user_id,
        user_id=reminder.user_id,
    )


def cancel_reminders(queue: Queue, user_id: int) -> None:
    for kind in get_args(ScheduleKind):
        _replace(queue, reminder_job(user_id, kind))


def cancel_lessons(queue: Queue, chat_id: int) -> None:
    _replace(queue, lesson_job(chat_id))


def schedule_lessons(
    queue: Queue, policy: GroupPolicy, callback: JobCallback
) -> Job[BotContext] | None:
    """The community's lesson job, or none when its lessons are off or paused."""
    name = lesson_job(policy.chat_id)
    _replace(queue, name)
    plan = policy.lessons
    if plan is None or policy.lessons_paused:
        return None
    return queue.run_daily(
        callback,
        fire_time(plan.at, plan.tz or DEFAULT_TIMEZONE, jitter(policy.chat_id)),
        days=fire_days(plan.weekday),
        name=name,
        chat_id=policy.chat_id,
    )


async def restore(
    application: BotApp, db: Database, remind: JobCallback, teach: JobCallback
) -> None:
    """Every active reminder and lesson schedule back into the job queue."""
    queue = application.job_queue
    assert queue is not None
    for reminder in await reminders.active(db):
        schedule_reminder(queue, reminder, remind)
    for policy in await lessons.scheduled(db):
        schedule_lessons(queue, policy, teach)
