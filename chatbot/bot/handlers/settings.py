"""/settings: show the member's defaults and rules, or change them in one line."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from chatbot.bot.asking import member_request
from chatbot.bot.member import database, language_of, load_member
from chatbot.bot.replying import reply
from chatbot.evaluation.instruments import known_venue
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.member_commands import SettingsRequest
from chatbot.language.parser import EXAMPLES
from chatbot.render.errors import render_error
from chatbot.render.i18n import available_languages, match_language
from chatbot.render.settings import render_settings, render_settings_saved


def stored_changes(request: SettingsRequest) -> dict[str, object]:
    """The typed changes as storage columns, venue and language checked against what exists."""
    changes: dict[str, object] = {}
    for name, value in request.changes.items():
        if name == "venue" and value is not None:
            changes["venue"] = known_venue(str(value), EXAMPLES["settings"])
        elif name == "lang" and value is not None:
            changes["lang"] = stored_language(str(value), "settings")
        else:
            changes[name] = value
    return changes


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


async def on_settings(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    member = await load_member(update, context)
    if message is None or message.text is None or member is None:
        return
    db = database(context)
    lang = member.lang
    if len(message.text.split()) > 1:
        request = await member_request(update, context, member, SettingsRequest)
        if request is None:
            return
        try:
            changes = stored_changes(request)
        except CommandError as error:
            await reply(update, render_error(error, lang))
            return
        settings = await db.save_settings(member.user_id, **changes)
        user = update.effective_user
        lang = language_of(settings, user.language_code if user else None, None)
        text = render_settings_saved(lang) + "\n\n"
    else:
        settings, text = member.settings, ""
    await reply(update, text + render_settings(settings, lang))
