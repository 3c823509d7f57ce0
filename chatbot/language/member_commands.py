"""The commands that change what is stored about a member or a group, one entry each.

`/settings`, `/result`, `/remind` and `/policy`: their requests, grammars and examples. The
calculators live in `calculators.py`; both feed the same parser.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Literal

from pydantic import Field

from chatbot.engine.models import MarginMode
from chatbot.language import schedule
from chatbot.language import values as v
from chatbot.language.grammar import Grammar, Parts, Typed
from chatbot.language.requests import Outcome, Request, RiskSpec, Schedule


class SettingsRequest(Request):
    """`/settings acct 1000 risk 1% tz Europe/Berlin`: each named setting, None to clear it.

    Keys are the stored names (`account`, `risk`, `leverage`, `fee`, `venue`, `margin_mode`,
    `max_risk`, `max_leverage`, `lang`, `tz`); an empty request shows the settings.
    """

    command: Literal["settings"] = "settings"
    changes: dict[str, RiskSpec | MarginMode | Decimal | str | None] = Field(default_factory=dict)


class ResultRequest(Request):
    """`/result 12 win exit 73500`: how the trade of check 12 ended (`liq` = liquidated)."""

    command: Literal["result"] = "result"
    check_id: int
    outcome: Outcome
    exit: Decimal | None = None


class RemindRequest(Request):
    """`/remind daily 20:00 [TZ]`, `/remind weekly sun 18:00`, `/remind off`; bare shows them."""

    command: Literal["remind"] = "remind"
    schedule: Schedule | None = None
    off: bool = False


class PolicyRequest(Request):
    """`/policy maxrisk 1% maxlev 10 lang de`, `/policy channel @name daily 09:00 TZ`,
    `/policy lessons off`; a bare `/policy` shows the community's policy."""

    command: Literal["policy"] = "policy"
    changes: dict[str, Decimal | str | None] = Field(default_factory=dict)
    channel: str | None = None
    lessons: Schedule | None = None
    lessons_off: bool = False


MemberRequest = SettingsRequest | ResultRequest | RemindRequest | PolicyRequest

Setting = RiskSpec | MarginMode | Decimal | str

# keyword → (stored name, reader of its value)
_SETTINGS: dict[str, tuple[str, Callable[[Typed, str], Setting]]] = {
    "acct": ("account", v.positive),
    "risk": ("risk", v.risk),
    "lev": ("leverage", v.leverage),
    "fee": ("fee", v.fee),
    "venue": ("venue", v.venue),
    "maxrisk": ("max_risk", v.max_risk),
    "maxlev": ("max_leverage", v.leverage),
    "lang": ("lang", v.language),
    "tz": ("tz", v.timezone),
    "margin": ("margin_mode", v.margin),
}
_POLICY = ("maxrisk", "maxlev", "lang")


def _changes(parts: Parts, names: tuple[str, ...]) -> dict[str, Setting | None]:
    """Each named setting read by its reader, or None where the member cleared it (`off`)."""
    changes: dict[str, Setting | None] = {}
    for name, typed in parts.typed.items():
        if name in names:
            setting, read = _SETTINGS[name]
            changes[setting] = None if v.cleared(typed) else read(typed, name)
    return changes


def _settings(parts: Parts) -> SettingsRequest:
    return SettingsRequest(changes=_changes(parts, tuple(_SETTINGS)))


def _result(parts: Parts) -> ResultRequest:
    return ResultRequest(
        check_id=parts.required("id", v.check_id),
        outcome=parts.required("outcome", v.outcome),
        exit=parts.optional("exit", v.positive),
    )


def _remind(parts: Parts) -> RemindRequest:
    if not parts.schedule:
        return RemindRequest()
    plan = schedule.parse(list(parts.schedule))
    return RemindRequest(schedule=plan, off=plan is None)


def _policy(parts: Parts) -> PolicyRequest:
    changes = _changes(parts, _POLICY)
    plan = schedule.parse(list(parts.schedule)) if parts.schedule else None
    return PolicyRequest(
        changes={key: value for key, value in changes.items() if not isinstance(value, RiskSpec)},
        channel=parts.optional("channel", v.channel),
        lessons=plan,
        lessons_off=bool(parts.schedule) and plan is None,
    )


MEMBER_COMMANDS: tuple[Grammar[MemberRequest], ...] = (
    Grammar(
        name="settings",
        example="/settings acct 1000 risk 1% lev 10 tz Europe/Berlin",
        usage="/settings [acct A] [risk 1%] [lev L] [fee F] [venue V] [isolated|cross] "
        "[maxrisk 1%] [maxlev 10] [lang de] [tz Europe/Berlin]",
        build=_settings,
        keywords=("acct", "risk", "lev", "fee", "venue", "maxrisk", "maxlev", "lang", "tz"),
        flags=("margin",),
    ),
    Grammar(
        name="result",
        example="/result 12 win exit 73500",
        usage="/result ID win|loss|be|liq [exit PRICE]",
        build=_result,
        positionals=("id", "outcome"),
        keywords=("exit",),
    ),
    Grammar(
        name="remind",
        example="/remind daily 20:00 Europe/Berlin",
        usage="/remind daily HH:MM [TZ] | /remind weekly DAY HH:MM [TZ] | /remind off",
        build=_remind,
        scheduled=True,
    ),
    Grammar(
        name="policy",
        example="/policy maxrisk 1% maxlev 10 lang de",
        usage="/policy [maxrisk 1%] [maxlev 10] [lang de] [channel @name] "
        "[daily HH:MM TZ | weekly DAY HH:MM TZ | lessons off]",
        build=_policy,
        keywords=("maxrisk", "maxlev", "lang", "channel"),
        flags=("lessons",),
        scheduled=True,
    ),
)
