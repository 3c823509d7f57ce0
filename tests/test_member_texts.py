"""The member's own texts: every example they show is a real command, and they take models."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from chatbot.engine.models import Rules
from chatbot.evaluation.discipline import Streaks
from chatbot.evaluation.log import Reminder
from chatbot.language.member_commands import PolicyRequest, RemindRequest, SettingsRequest
from chatbot.language.parser import parse_member_command
from chatbot.language.requests import Schedule
from chatbot.render.policy import LESSONS_EXAMPLE, render_policy
from chatbot.render.reminders import (
    OFF_EXAMPLE,
    WEEKLY_EXAMPLE,
    render_check_in,
    render_reminders,
)
from chatbot.render.settings import CLEAR_EXAMPLE
from chatbot.storage.rows import GroupPolicy, MemberSettings


@pytest.mark.parametrize(
    ("example", "request_"),
    [
        (CLEAR_EXAMPLE, SettingsRequest(changes={"leverage": None})),
        (WEEKLY_EXAMPLE, RemindRequest(schedule=Schedule(kind="weekly", weekday=6, at="18:00"))),
        (OFF_EXAMPLE, RemindRequest(off=True)),
        (
            LESSONS_EXAMPLE,
            PolicyRequest(
                channel="@yourchannel",
                lessons=Schedule(kind="daily", at="09:00", tz="Europe/Berlin"),
            ),
        ),
    ],
)
def test_examples_beside_the_grammars_parse(example: str, request_: object) -> None:
    """The forms a grammar's one example does not show are commands the parser reads as meant."""
    assert parse_member_command(example) == request_


def test_reminders_are_listed_with_the_locales_time_and_day() -> None:
    """A weekly reminder in German names the day in German and keeps the 24-hour clock."""
    reminder = Reminder(user_id=1, kind="weekly", weekday=6, at="18:30", tz="Europe/Berlin")
    text = render_reminders([reminder], "de")
    assert "Sonntag" in text and "18:30 (Europe/Berlin)" in text
    paused = render_reminders([reminder.model_copy(update={"paused": True})], "en")
    assert "paused" in paused


def test_check_in_states_the_members_rules() -> None:
    """The rules come as the engine's Rules: 2% and 5x are said as typed."""
    rules = Rules(max_risk=Decimal("0.02"), max_leverage=Decimal("5"))
    text = render_check_in(rules, Streaks(), [], {}, "en")
    assert "risk at most 2% a trade, leverage at most 5x" in text
    assert "No rule broken this week" in text


def test_policy_shows_a_schedule_without_a_zone_in_the_default_one() -> None:
    """A lesson schedule stored before zones were required is shown in UTC."""
    lessons = Schedule(kind="weekly", weekday=0, at="09:00")
    text = render_policy(Rules(), "de", lessons, "@school", "en")
    assert "every Monday at 09:00 (UTC), in @school" in text
    assert "Language: de" in text


def test_settings_row_reads_its_risk_columns_into_one_risk() -> None:
    """`risk_fraction`/`risk_amount` on disk are one RiskSpec in the model, and back."""
    now = datetime(2024, 5, 1, tzinfo=UTC)
    row = {"user_id": 1, "risk_fraction": None, "risk_amount": "25", "updated_at": now}
    settings = MemberSettings.model_validate(row)
    assert settings.risk is not None and settings.risk.amount == Decimal("25")
    columns = settings.model_dump(include={"risk"})
    assert columns == {"risk_fraction": None, "risk_amount": Decimal("25")}
    empty = MemberSettings.model_validate(row | {"risk_amount": None})
    assert empty.risk is None


def test_group_row_reads_its_lesson_columns_into_one_schedule() -> None:
    """The four lesson columns are one Schedule; a row whose lessons were turned off by an
    earlier version (kind cleared, time kept) reads as no schedule rather than an error."""
    now = datetime(2024, 5, 1, tzinfo=UTC)
    row = {
        "chat_id": -1,
        "lesson_kind": "weekly",
        "lesson_weekday": 2,
        "lesson_at": "09:00",
        "lesson_tz": "UTC",
        "lesson_target": "@school",
        "updated_at": now,
    }
    policy = GroupPolicy.model_validate(row)
    assert policy.lessons == Schedule(kind="weekly", weekday=2, at="09:00", tz="UTC")
    assert policy.lesson_target == "@school"
    assert GroupPolicy.model_validate(row | {"lesson_kind": None}).lessons is None
    assert policy.model_dump(include={"lessons"}) == {
        "lesson_kind": "weekly",
        "lesson_weekday": 2,
        "lesson_at": "09:00",
        "lesson_tz": "UTC",
    }
