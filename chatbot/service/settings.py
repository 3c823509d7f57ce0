"""/settings: the member's defaults and rules, shown, or changed in one line."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from chatbot.evaluation.defaults import Preferences, rules_for
from chatbot.evaluation.instruments import known_venue
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.member_commands import SettingsRequest
from chatbot.language.parser import EXAMPLES
from chatbot.render.html import to_plain
from chatbot.render.i18n import available_languages, match_language, translator
from chatbot.render.settings import render_settings, render_settings_saved, setting_value
from chatbot.service.members import Member, with_settings
from chatbot.storage import Database


def show(member: Member) -> str:
    """The settings in the member's language; a language they did not choose is Telegram's
    when Telegram's code gave it, else the default."""
    chose = member.settings is not None and member.settings.lang is not None
    from_telegram = not chose and match_language(member.telegram_code) == member.lang
    return render_settings(member.settings, member.lang, telegram=from_telegram)


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


def within_own_rule(member: Member, changes: dict[str, object]) -> None:
    """A risk per trade above the member's own risk rule would break it on every check: refuse
    it, unless the same line raises the rule (or lowers the risk) to match."""
    own: Preferences = member.settings or Preferences()
    merged = own.model_copy(update=changes)
    risk = merged.risk
    if risk is None or not {"risk", "max_risk", "account"} & changes.keys():
        return
    rule = rules_for(merged).max_risk
    fraction = risk.fraction
    if fraction is None and risk.amount is not None and merged.account:
        fraction = risk.amount / merged.account
    if fraction is not None and fraction > rule:
        typed = to_plain(setting_value(translator(member.lang), "risk", risk))
        asked = percent_text(risk.fraction) if risk.fraction is not None else f"${risk.amount}"
        raise CommandError(
            ErrorCode.RISK_ABOVE_OWN_RULE,
            word=typed,
            example=f"/settings risk {asked} maxrisk {percent_text(fraction)}",
            rule=str(rule),
        )


def percent_text(fraction: Decimal) -> str:
    """A fraction as a member types it: 0.03 → 3%, 0.0083333… → 0.84% (rounded up, so a rule
    typed from it holds the risk it was computed from)."""
    percent = (fraction * 100).quantize(Decimal("0.01"), rounding=ROUND_CEILING).normalize()
    return f"{format(percent, 'f')}%"


async def change(db: Database, member: Member, request: SettingsRequest) -> str:
    """Save the changes and show the settings, in the language they now choose; raises
    `CommandError` for a venue or a language the bot does not have, or a risk above the
    member's own rule."""
    changes = stored_changes(request)
    within_own_rule(member, changes)
    settings = await db.save_settings(member.user_id, **changes)
    changed = with_settings(member, settings)
    return render_settings_saved(changed.lang) + "\n\n" + show(changed)
