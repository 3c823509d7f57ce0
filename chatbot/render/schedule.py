"""When something happens, in words: "every Sunday at 18:00 (Europe/Berlin)".

Shared by the member's reminders and a community's lessons, as `chatbot.language.schedule`
is shared by /remind and /policy.
"""

from __future__ import annotations

from babel.dates import get_day_names

from chatbot.evaluation.defaults import DEFAULT_TIMEZONE
from chatbot.language.requests import Schedule
from chatbot.render.html import escape
from chatbot.render.i18n import Translator


def when(tr: Translator, plan: Schedule) -> str:
    """The day in the locale's words and the time as the locale writes it, with the zone, which
    is the default one when the schedule names none."""
    at, zone = tr.time(plan.at), escape(plan.tz or DEFAULT_TIMEZONE)
    if plan.kind == "weekly" and plan.weekday is not None:
        day = get_day_names("wide", locale=tr.locale)[plan.weekday]
        return tr.gettext("every {day} at {time} ({zone})", day=day, time=at, zone=zone)
    return tr.gettext("every day at {time} ({zone})", time=at, zone=zone)
