"""/policy in words: a community's limits, language and lessons, and who may change them."""

from __future__ import annotations

from chatbot.engine.models import Rules
from chatbot.language.parser import EXAMPLES
from chatbot.language.requests import Schedule
from chatbot.render.html import bold, code, escape
from chatbot.render.i18n import translator
from chatbot.render.pieces import leverage
from chatbot.render.schedule import when

# /policy's other form, the lesson schedule; the grammar's own example sets the limits.
LESSONS_EXAMPLE = "/policy channel @yourchannel daily 09:00 Europe/Berlin"


def render_policy(
    rules: Rules, language: str | None, lessons: Schedule | None, target: str | None, lang: str
) -> str:
    """The limits the community's members are judged by (its own or the defaults), its language
    if it chose one, and its lesson schedule, posted to `target` or to the group itself."""
    tr = translator(lang)
    lines = [bold(tr.gettext("Community policy"))]
    lines.append(
        tr.gettext(
            "Risk rule: {risk} · leverage limit: {leverage}",
            risk=tr.percent(rules.max_risk, exact=True),
            leverage=leverage(tr, rules.max_leverage),
        )
    )
    if language:
        lines.append(tr.gettext("Language: {lang}", lang=escape(language)))
    if lessons is None:
        lines.append(tr.gettext("Lessons: off"))
    else:
        where = escape(target) if target else tr.gettext("this group")
        lines.append(tr.gettext("Lessons: {when}, in {where}", when=when(tr, lessons), where=where))
    lines.append("")
    lines.append(
        tr.gettext(
            "Admins change it with {limits} or {lessons}.",
            limits=code(EXAMPLES["policy"]),
            lessons=code(LESSONS_EXAMPLE),
        )
    )
    return "\n".join(lines)


def render_policy_saved(lang: str) -> str:
    """A policy change is the group's: it judges every check its members make here."""
    return "✅ " + translator(lang).gettext(
        "Saved. Every check made in this group is now judged by this policy."
    )


def render_admins_only(lang: str) -> str:
    return translator(lang).gettext(
        "Only the group's admins can change its policy. Ask one of them, or see it with /policy."
    )


def render_policy_in_groups(lang: str) -> str:
    return translator(lang).gettext(
        "/policy sets a community's limits and lessons: use it in your group, as an admin."
    )


def render_channel_admins_only(channel: str, lang: str) -> str:
    return "❌ " + translator(lang).gettext(
        "Only an admin of {channel} can send the group's lessons there: ask one of its admins "
        "to send the command.",
        channel=escape(channel),
    )


def render_channel_not_ready(channel: str, lang: str) -> str:
    return "❌ " + translator(lang).gettext(
        "I cannot post in {channel}: add me to the channel as an admin who may post, then "
        "send the command again.",
        channel=escape(channel),
    )
