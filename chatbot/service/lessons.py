"""/lesson for a member, and the lessons a community's schedule posts to a group or channel."""

from __future__ import annotations

from chatbot.engine.models import Frozen
from chatbot.evaluation.defaults import DEFAULT_LANGUAGE
from chatbot.render.lessons import LESSONS, find_lesson, render_lesson, render_unknown_lesson
from chatbot.service.members import Member
from chatbot.storage import Database
from chatbot.storage.rows import GroupPolicy


class LessonText(Frozen):
    """A lesson's text and its index in `LESSONS` (its "try it" button names the lesson)."""

    index: int
    text: str
    lang: str


class DueLesson(LessonText):
    """A community's next lesson and where it goes: its channel, or the group itself."""

    chat_id: int
    target: int | str


async def lesson(db: Database, member: Member, topic: str | None) -> LessonText | str:
    """The lesson on `topic`, else the member's next one in the course; the course moves on
    past whichever was shown. An unknown topic gets the answer saying so."""
    if topic is not None:
        index = find_lesson(topic)
        if index is None:
            return render_unknown_lesson(topic, member.lang)
    else:
        index = await db.next_lesson(member.user_id) % len(LESSONS)
    await db.set_next_lesson(member.user_id, index + 1)
    return LessonText(index=index, text=render_lesson(index, member.lang), lang=member.lang)


async def due(db: Database, chat_id: int) -> DueLesson | None:
    """The community's next lesson, or None when its lessons were turned off meanwhile."""
    policy = await db.group_policy(chat_id)
    if policy is None or policy.lessons is None:
        return None
    index = policy.next_lesson % len(LESSONS)
    lang = policy.lang or DEFAULT_LANGUAGE
    return DueLesson(
        index=index,
        text=render_lesson(index, lang),
        lang=lang,
        chat_id=chat_id,
        target=policy.lesson_target or chat_id,
    )


async def posted(db: Database, sent: DueLesson) -> None:
    await db.save_policy(sent.chat_id, next_lesson=sent.index + 1)


async def pause(db: Database, chat_id: int) -> None:
    """The bot cannot post there: no more attempts until an admin sets the schedule again."""
    await db.save_policy(chat_id, lessons_paused=True)


async def scheduled(db: Database) -> list[GroupPolicy]:
    """Every community with an active lesson schedule, for the job queue at start-up."""
    return await db.lesson_schedules()
