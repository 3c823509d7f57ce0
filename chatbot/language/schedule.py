"""When something should happen: `daily 20:00 Europe/Berlin`, `weekly sun 18:00`, `off`.

Shared by /remind (a member's reminders) and /policy (a community's lesson schedule).
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.requests import Schedule, ScheduleKind

STARTS = frozenset({"daily", "weekly", "off"})
_TIME = re.compile(r"(?P<h>[01]?[0-9]|2[0-3])[:.h](?P<m>[0-5][0-9])")
_DAYS = {
    name: index
    for index, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
}


def split(tokens: list[str]) -> tuple[list[str], list[str]]:
    """The words before a schedule, and the schedule itself (from `daily`/`weekly`/`off`)."""
    for index, token in enumerate(tokens):
        if token.lower() in STARTS:
            return tokens[:index], tokens[index:]
    return tokens, []


def time_of_day(word: str) -> str:
    """`20:00`, `9:30`, `21.30`, `7h15` → "HH:MM" on the 24-hour clock."""
    match = _TIME.fullmatch(word.strip().lower())
    if match is None:
        raise CommandError(ErrorCode.BAD_TIME, word=word)
    return f"{int(match['h']):02d}:{match['m']}"


def weekday(word: str) -> int:
    day = _DAYS.get(word.lower())
    if day is None:
        raise CommandError(ErrorCode.BAD_DAY, word=word)
    return day


def zone(word: str) -> str:
    """An IANA zone (`Europe/Berlin`, `UTC`): reminders follow the member's clock."""
    try:
        ZoneInfo(word)
    except (ZoneInfoNotFoundError, ValueError):
        raise CommandError(ErrorCode.UNKNOWN_TIMEZONE, word=word) from None
    return word


def parse(tokens: list[str]) -> Schedule | None:
    """A schedule from its words; None for `off`. Raises `CommandError` (without example)."""
    head, rest = tokens[0].lower(), tokens[1:]
    if head == "off":
        if rest:
            raise CommandError(ErrorCode.UNKNOWN_KEYWORD, word=rest[0], suggestion="")
        return None
    day = None
    if head == "weekly":
        if not rest:
            raise CommandError(ErrorCode.MISSING_ARGUMENT, what="day")
        day, rest = weekday(rest[0]), rest[1:]
    if not rest:
        raise CommandError(ErrorCode.MISSING_ARGUMENT, what="time")
    at, rest = time_of_day(rest[0]), rest[1:]
    tz = zone(rest[0]) if rest else None
    if len(rest) > 1:
        raise CommandError(ErrorCode.UNKNOWN_KEYWORD, word=rest[1], suggestion="")
    kind: ScheduleKind = "weekly" if head == "weekly" else "daily"
    return Schedule(kind=kind, weekday=day, at=at, tz=tz)
