"""/policy: a community's limits, language and lesson schedule, shown or changed.

Whether the sender is an admin, and whether the bot may post in a channel, is asked from
Telegram by the bot layer before a change reaches this module.
"""

from __future__ import annotations

from typing import Any

from chatbot.engine.models import Frozen
from chatbot.evaluation.defaults import DEFAULT_TIMEZONE, rules_for
from chatbot.language.member_commands import PolicyRequest
from chatbot.render.policy import render_policy
from chatbot.render.settings import render_settings_saved
from chatbot.service.settings import stored_language
from chatbot.storage import Database
from chatbot.storage.rows import GroupPolicy


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


def policy_changes(request: PolicyRequest) -> dict[str, Any]:
    """The typed changes as stored: a lesson schedule in the default zone unless named, and
    unpaused, since admins setting it again means the bot may post now."""
    changes: dict[str, Any] = dict(request.changes)
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
        policy=policy, text=render_settings_saved(shown) + "\n\n" + view(policy, shown)
    )
