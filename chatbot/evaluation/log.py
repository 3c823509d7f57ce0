"""What is kept about a member's trading: each check, how its trade ended, and the reminders.

Storage hands these out as they are and the renderer words them as they are, so a journal line
or a check-in is never a copy of a row: they live here, below both.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import AwareDatetime

from chatbot.engine.models import Frozen
from chatbot.evaluation.discipline import Codes, LocalDay, TradeResult
from chatbot.language.requests import Schedule


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
    """A logged check with its outcome, if the member reported one: one line of /journal."""

    check: CheckRow
    outcome: OutcomeRow | None


class Reminder(Schedule):
    """A member's discipline reminder: their schedule, with the zone it fires in settled."""

    user_id: int
    tz: str
    paused: bool = False
