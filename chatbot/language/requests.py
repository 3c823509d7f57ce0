"""The pieces requests share, validated, before any default is filled in.

A field left `None` was not typed; evaluation fills it from the member's settings, then the
community's, then the global defaults, and names every default it used in the reply. Each
command's own request model sits beside its grammar (`calculators.py`, `member_commands.py`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import ConfigDict

from chatbot.engine.models import ContractKind
from chatbot.engine.plain import PlainJson


class Request(PlainJson):
    """Base of every request: immutable, typo-proof, stored as JSON without exponents."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class RiskSpec(Request):
    """`risk 1%` is a share of the account (0.01); `risk $25` a fixed amount."""

    fraction: Decimal | None = None
    amount: Decimal | None = None


class StopSpec(Request):
    """`stop 71500` is a price; `stop 1%` a distance on the losing side, `-1%`/`+1%` below/above."""

    price: Decimal | None = None
    distance: Decimal | None = None
    direction: Literal[-1, 0, 1] = 0


class ContractSpec(Request):
    """`contract micro` names a venue's contract; `contract 0.01` a custom multiplier."""

    kind: ContractKind
    multiplier: Decimal | None = None


class QuantitySpec(Request):
    """`qty 5` counts the instrument's unit: base units, or contracts of an inverse instrument
    (USD each); `qty 0.1btc` names the coin (`coin`, upper case), converted to whole contracts
    at the position's price where contracts are counted."""

    amount: Decimal
    coin: str | None = None


class FillSpec(Request):
    """One fill of a position built in steps: a quantity at a price."""

    quantity: QuantitySpec
    price: Decimal


Outcome = Literal["win", "loss", "be", "liq"]
ScheduleKind = Literal["daily", "weekly"]


class Schedule(Request):
    """`weekday` 0 = Monday (Python's convention); `tz` None means the member's own zone."""

    kind: ScheduleKind
    weekday: int | None = None
    at: str
    tz: str | None = None
