"""Who is asking: the member's language, clock, layers of defaults and rules, read once."""

from __future__ import annotations

from chatbot.engine.models import Frozen, Rules
from chatbot.evaluation.defaults import DEFAULT_TIMEZONE, Profile, rules_for
from chatbot.render.i18n import resolve_language
from chatbot.storage import Database
from chatbot.storage.rows import GroupPolicy, MemberSettings


class Member(Frozen):
    """A member as every answer needs them: ids, language, zone, defaults and rules.

    `chat_id` is where the question came from (the member's own id in a private chat);
    `private` is False when others read the answer too (a group), which then shows none of
    the member's own figures; `group` is the community's policy when it came from a group;
    `telegram_code` the language Telegram reports for the member, which their own choice
    overrides.
    """

    user_id: int
    chat_id: int
    lang: str
    tz: str
    settings: MemberSettings | None
    group: GroupPolicy | None
    rules: Rules
    telegram_code: str | None = None
    private: bool = True

    @property
    def profile(self) -> Profile:
        """The member's layer of defaults: their saved settings, or an empty layer."""
        return self.settings or Profile()


def language_of(
    settings: MemberSettings | None, telegram_code: str | None, policy: GroupPolicy | None
) -> str:
    """The member's choice, else Telegram's language, else the group's, else the default."""
    for choice in (
        settings.lang if settings else None,
        telegram_code,
        policy.lang if policy else None,
    ):
        if choice:
            return resolve_language(choice)
    return resolve_language(None)


def member_of(
    user_id: int,
    chat_id: int,
    settings: MemberSettings | None,
    policy: GroupPolicy | None,
    telegram_code: str | None,
    *,
    private: bool = True,
) -> Member:
    return Member(
        user_id=user_id,
        chat_id=chat_id,
        lang=language_of(settings, telegram_code, policy),
        tz=settings.tz if settings and settings.tz else DEFAULT_TIMEZONE,
        settings=settings,
        group=policy,
        rules=rules_for(settings, policy),
        telegram_code=telegram_code,
        private=private,
    )


def with_settings(member: Member, settings: MemberSettings) -> Member:
    """The same member after a change of settings: language, zone and rules follow it."""
    return member_of(
        member.user_id,
        member.chat_id,
        settings,
        member.group,
        member.telegram_code,
        private=member.private,
    )


async def load_member(
    db: Database, user_id: int, *, chat_id: int, group: bool, telegram_code: str | None
) -> Member:
    """The member asking in `chat_id`; a group's policy applies only to questions asked there."""
    settings = await db.member_settings(user_id)
    policy = await db.group_policy(chat_id) if group else None
    return member_of(user_id, chat_id, settings, policy, telegram_code, private=not group)


async def known_member(db: Database, user_id: int) -> Member:
    """A member the bot addresses unasked (a reminder, the command line), in their private
    chat: their language is the one they chose, else the one Telegram gave at /start."""
    settings = await db.member_settings(user_id)
    row = await db.member(user_id)
    return member_of(user_id, user_id, settings, None, row.language_code if row else None)


async def remember(
    db: Database, user_id: int, first_name: str | None, username: str | None, code: str | None
) -> None:
    """Keep the names and language Telegram gives at /start, for answers sent unasked."""
    await db.upsert_member(user_id, first_name, username, code)
