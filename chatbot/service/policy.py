"""/policy: a community's limits, language and lesson schedule, shown or changed.

Whether the sender is an admin, and whether the bot may post in a channel, is asked from
Telegram by the bot layer before a change reaches this module.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from chatbot.engine.models import Frozen
from chatbot.evaluation.defaults import DEFAULT_TIMEZONE, GLOBAL, rules_for
from chatbot.evaluation.instruments import venue_max_leverage
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.member_commands import PolicyRequest
from chatbot.language.parser import EXAMPLES
from chatbot.markets import catalog
from chatbot.render.policy import render_policy, render_policy_saved
from chatbot.service.settings import percent_text, stored_language
from chatbot.storage import Database
from chatbot.storage.rows import GroupPolicy

# The most a community may let its members risk per trade: five times the beginners' 1%.
MAX_POLICY_RISK = Decimal("0.05")


class PolicySaved(Frozen):
    """The community's policy after a change (for its lesson job), and the answer."""

    policy: GroupPolicy
    text: str


def view(policy: GroupPolicy | None, lang: str) -> str:
    """The limits the community's members are judged by, and its lesson schedule."""
    rules = rules_for(group=policy)
    if policy is None:
        return render_policy(rules, None, None, None, lang)
    lessons = None if policy.lessons_paused else policy.lessons
    return render_policy(rules, policy.lang, lessons, policy.lesson_target, lang)


async def show(db: Database, chat_id: int, lang: str) -> str:
    return view(await db.group_policy(chat_id), lang)


def sane(changes: dict[str, Any]) -> None:
    """A community's limits must be limits a beginner can live with: a risk rule above 5% per
    trade, or a leverage limit above what the default venue offers, is refused with the range."""
    risk = changes.get("max_risk")
    if isinstance(risk, Decimal) and not 0 < risk <= MAX_POLICY_RISK:
        raise CommandError(
            ErrorCode.PERCENT_OUT_OF_RANGE,
            word=percent_text(risk),
            example=EXAMPLES["policy"],
            what="maxrisk",
            low="0%",
            high="5%",
        )
    limit = changes.get("max_leverage")
    venue = GLOBAL.venue or ""
    highest = venue_max_leverage(venue)
    if isinstance(limit, Decimal) and highest is not None and limit > highest:
        raise CommandError(
            ErrorCode.LEVERAGE_OUT_OF_RANGE,
            word=f"{format(limit.normalize(), 'f')}x",
            example=EXAMPLES["policy"],
            low="1x",
            high=f"{format(highest.normalize(), 'f')}x ({catalog.venue(venue).name})",
        )


def policy_changes(request: PolicyRequest) -> dict[str, Any]:
    """The typed changes as stored: a lesson schedule in the default zone unless named, and
    unpaused, since admins setting it again means the bot may post now. Raises `CommandError`
    for a limit outside its sane range or a language the bot does not have."""
    changes: dict[str, Any] = dict(request.changes)
    sane(changes)
    if changes.get("lang"):
        changes["lang"] = stored_language(str(changes["lang"]), "policy")
    if request.lessons is not None:
        plan = request.lessons
        changes["lessons"] = plan.model_copy(update={"tz": plan.tz or DEFAULT_TIMEZONE})
        changes["lessons_paused"] = False
    if request.lessons_off:
        changes["lessons"] = None
    if request.channel is not None:
        changes["lesson_target"] = request.channel
    return changes


async def change(
    db: Database, chat_id: int, title: str | None, request: PolicyRequest, lang: str
) -> PolicySaved:
    """Save the change; the answer is in the community's language once it has one. Raises
    `CommandError` for a language the bot does not have."""
    policy = await db.save_policy(chat_id, title=title, **policy_changes(request))
    shown = policy.lang or lang
    return PolicySaved(
        policy=policy, text=render_policy_saved(shown) + "\n\n" + view(policy, shown)
    )
