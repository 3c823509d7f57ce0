"""What the storage hands out and takes in: frozen models, never sqlite rows.

Amounts are `Decimal` here and TEXT on disk, so a stored 0.0125 reads back as exactly 0.0125
(and 1000.10 keeps its trailing zero). Timestamps are timezone-aware UTC.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import AwareDatetime

from chatbot.engine.models import Frozen, MarginMode
from chatbot.evaluation.discipline import Codes, LocalDay, TradeResult

ScheduleKind = Literal["daily", "weekly"]


class MemberRow(Frozen):
    user_id: int
    first_name: str | None
    username: str | None
    language_code: str | None
    created_at: datetime


class MemberSettings(Frozen):
    """A member's saved defaults; None means "not set", so the next layer of defaults applies."""

    user_id: int
    account: Decimal | None = None
    risk_fraction: Decimal | None = None
    risk_amount: Decimal | None = None
    leverage: Decimal | None = None
    fee: Decimal | None = None
    venue: str | None = None
    margin_mode: MarginMode | None = None
    max_risk: Decimal | None = None
    max_leverage: Decimal | None = None
    lang: str | None = None
    tz: str | None = None
    updated_at: datetime


class GroupPolicy(Frozen):
    """A community's limits and language, set by its admins with /policy."""

    chat_id: int
    title: str | None = None
    max_risk: Decimal | None = None
    max_leverage: Decimal | None = None
    lang: str | None = None
    lesson_target: str | None = None
    lesson_kind: ScheduleKind | None = None
    lesson_weekday: int | None = None
    lesson_at: str | None = None
    lesson_tz: str | None = None
    next_lesson: int = 0
    lessons_paused: bool = False
    updated_at: datetime


class Reminder(Frozen):
    """A member's discipline reminder: daily, or weekly on `weekday` (0 = Monday), at `at`."""

    user_id: int
    kind: ScheduleKind
    weekday: int | None = None
    at: str
    tz: str
    paused: bool = False


class NewCheck(Frozen):
    """One check to log; `update_key` identifies the Telegram update so a redelivery logs once."""

    update_key: str
    user_id: int
    chat_id: int
    command: str
    request_json: str
    result_json: str
    symbol: str | None = None
    side: str | None = None
    risk_fraction: Decimal | None = None
    leverage: Decimal | None = None
    within_rules: bool
    breaks: Codes = ()
    exploring: bool = False
    created_at: AwareDatetime
    local_day: LocalDay


class CheckRow(NewCheck):
    id: int


class OutcomeRow(Frozen):
    result: TradeResult
    exit_price: Decimal | None
    r_multiple: Decimal | None
    liquidated: bool
    loss_beyond_budget: Decimal | None
    created_at: datetime


class JournalRow(Frozen):
    """A logged check with its outcome, if the member reported one."""

    check: CheckRow
    outcome: OutcomeRow | None


class MemberExport(Frozen):
    """Everything stored about one member, for /export."""

    member: MemberRow | None
    settings: MemberSettings | None
    checks: tuple[JournalRow, ...]
