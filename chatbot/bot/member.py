"""Who is talking, in which language and time zone, under which rules: read once per update."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Chat, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from chatbot.engine.models import Rules
from chatbot.evaluation.defaults import Profile, rules_for
from chatbot.render.i18n import resolve_language
from chatbot.storage import Database
from chatbot.storage.rows import GroupPolicy, MemberSettings

UTC = "UTC"


@dataclass(frozen=True)
class Member:
    """A member as the handlers need them: ids, language, zone, defaults and rules."""

    user_id: int
    chat_id: int
    lang: str
    tz: str
    settings: MemberSettings | None
    profile: Profile
    group: Profile | None
    rules: Rules


def database(context: ContextTypes.DEFAULT_TYPE) -> Database:
    """The database opened in `post_init`; handlers reach storage only through it."""
    db: Database = context.bot_data["db"]
    return db


def is_group(chat: Chat | None) -> bool:
    return chat is not None and chat.type in {ChatType.GROUP, ChatType.SUPERGROUP}


def group_profile(policy: GroupPolicy | None) -> Profile | None:
    """A community's limits, which rank below the member's own and above the globals."""
    if policy is None:
        return None
    return Profile(max_risk=policy.max_risk, max_leverage=policy.max_leverage)


def language_of(
    settings: MemberSettings | None, telegram_code: str | None, policy: GroupPolicy | None
) -> str:
    """The member's choice, else Telegram's language, else the group's, else English."""
    for choice in (
        settings.lang if settings else None,
        telegram_code,
        policy.lang if policy else None,
    ):
        if choice:
            return resolve_language(choice)
    return resolve_language(None)


async def load_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Member | None:
    """The member behind an update, or None for updates without a person (channel posts).

    Inline queries have no chat: they are answered as in the member's private chat.
    """
    user, chat = update.effective_user, update.effective_chat
    if user is None:
        return None
    db = database(context)
    settings = await db.member_settings(user.id)
    policy = await db.group_policy(chat.id) if chat and is_group(chat) else None
    profile, group = settings or Profile(), group_profile(policy)
    return Member(
        user_id=user.id,
        chat_id=chat.id if chat else user.id,
        lang=language_of(settings, user.language_code, policy),
        tz=(settings.tz if settings and settings.tz else UTC),
        settings=settings,
        profile=profile,
        group=group,
        rules=rules_for(profile, group),
    )
