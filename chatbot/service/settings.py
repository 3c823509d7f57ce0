"""/settings: the member's defaults and rules, shown, or changed in one line."""

from __future__ import annotations

from chatbot.evaluation.instruments import known_venue
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.member_commands import SettingsRequest
from chatbot.language.parser import EXAMPLES
from chatbot.render.i18n import available_languages, match_language
from chatbot.render.settings import render_settings, render_settings_saved
from chatbot.service.members import Member, with_settings
from chatbot.storage import Database


def show(member: Member) -> str:
    return render_settings(member.settings, member.lang)


def stored_language(code: str, command: str) -> str:
    """A language the bot has a catalog for, or the error listing those it has."""
    found = match_language(code)
    if found is None:
        raise CommandError(
            ErrorCode.UNKNOWN_LANGUAGE,
            word=code,
            example=EXAMPLES[command],
            known=", ".join(available_languages()),
        )
    return found


def stored_changes(request: SettingsRequest) -> dict[str, object]:
    """The typed changes as they are stored, venue and language checked against what exists."""
    changes: dict[str, object] = dict(request.changes)
    if changes.get("venue") is not None:
        changes["venue"] = known_venue(str(changes["venue"]), EXAMPLES["settings"])
    if changes.get("lang") is not None:
        changes["lang"] = stored_language(str(changes["lang"]), "settings")
    return changes


async def change(db: Database, member: Member, request: SettingsRequest) -> str:
    """Save the changes and show the settings, in the language they now choose; raises
    `CommandError` for a venue or a language the bot does not have."""
    settings = await db.save_settings(member.user_id, **stored_changes(request))
    changed = with_settings(member, settings)
    return render_settings_saved(changed.lang) + "\n\n" + show(changed)
