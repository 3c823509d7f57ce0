"""What a member asked for, validated, before any default is filled in.

A field left `None` was not typed; the core fills it from the member's settings, then the
community's, then the global defaults, and names every default it used in the reply.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from chatbot.engine.models import ContractKind, MarginMode, Side


class Request(BaseModel):
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


class SizeRequest(Request):
    command: Literal["size"] = "size"
    symbol: str
    entry: Decimal
    stop: StopSpec
    account: Decimal | None = None
    leverage: Decimal | None = None
    risk: RiskSpec | None = None
    target: Decimal | None = None
    side: Side | None = None
    margin_mode: MarginMode | None = None
    contract: ContractSpec | None = None
    fee: Decimal | None = None
    venue: str | None = None
    mmr: Decimal | None = None


class LiqRequest(Request):
    command: Literal["liq"] = "liq"
    symbol: str
    entry: Decimal
    leverage: Decimal
    side: Side | None = None
    margin_mode: MarginMode | None = None
    account: Decimal | None = None
    quantity: Decimal | None = None
    venue: str | None = None
    mmr: Decimal | None = None


class PnlRequest(Request):
    command: Literal["pnl"] = "pnl"
    symbol: str
    entry: Decimal
    exit: Decimal
    quantity: Decimal
    side: Side | None = None
    contract: ContractSpec | None = None
    fee: Decimal | None = None
    stop: Decimal | None = None
    venue: str | None = None


class HedgeRequest(Request):
    command: Literal["hedge"] = "hedge"
    symbol: str
    spot_value: Decimal
    ratio: Decimal | None = None
    price: Decimal | None = None
    contract: ContractSpec | None = None
    venue: str | None = None


class FundingRequest(Request):
    command: Literal["funding"] = "funding"
    symbol: str
    notional: Decimal
    rate: Decimal
    hours: Decimal | None = None
    side: Side | None = None
    venue: str | None = None


class SettingsRequest(Request):
    """`/settings acct 1000 risk 1% tz Europe/Berlin`: each named setting, None to clear it.

    Keys are the stored names (`account`, `risk`, `leverage`, `fee`, `venue`, `margin_mode`,
    `max_risk`, `max_leverage`, `lang`, `tz`); an empty request shows the settings.
    """

    command: Literal["settings"] = "settings"
    changes: dict[str, RiskSpec | MarginMode | Decimal | str | None] = {}


Outcome = Literal["win", "loss", "be", "liq"]


class ResultRequest(Request):
    """`/result 12 win exit 73500`: how the trade of check 12 ended (`liq` = liquidated)."""

    command: Literal["result"] = "result"
    check_id: int
    outcome: Outcome
    exit: Decimal | None = None


ScheduleKind = Literal["daily", "weekly"]


class Schedule(Request):
    """`weekday` 0 = Monday (Python's convention); `tz` None means the member's own zone."""

    kind: ScheduleKind
    weekday: int | None = None
    at: str
    tz: str | None = None


class RemindRequest(Request):
    """`/remind daily 20:00 [TZ]`, `/remind weekly sun 18:00`, `/remind off`; bare shows them."""

    command: Literal["remind"] = "remind"
    schedule: Schedule | None = None
    off: bool = False


class PolicyRequest(Request):
    """`/policy maxrisk 1% maxlev 10 lang de`, `/policy channel @name daily 09:00 TZ`,
    `/policy lessons off`; a bare `/policy` shows the community's policy."""

    command: Literal["policy"] = "policy"
    changes: dict[str, Decimal | str | None] = {}
    channel: str | None = None
    lessons: Schedule | None = None
    lessons_off: bool = False


AnyRequest = SizeRequest | LiqRequest | PnlRequest | HedgeRequest | FundingRequest
MemberRequest = SettingsRequest | ResultRequest | RemindRequest | PolicyRequest
