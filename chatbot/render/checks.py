"""The buttons under a /size reply in words: counting it or not, its details, its chart."""

from __future__ import annotations

from chatbot.evaluation.standing import Marking
from chatbot.render.chat import render_not_yours
from chatbot.render.i18n import translator


def explore_label(exploring: bool, lang: str) -> str:
    """The button that switches a check between counted and "just exploring"."""
    tr = translator(lang)
    return tr.gettext("↩️ Count it") if exploring else tr.gettext("🔍 Just exploring")


def chart_label(lang: str) -> str:
    return translator(lang).gettext("📈 Chart")


def details_label(lang: str) -> str:
    return translator(lang).gettext("➕ Details")


def render_exploring(marking: Marking, exploring: bool, lang: str) -> str:
    """What pressing the button did; a check past its chance to change stays in the record."""
    tr = translator(lang)
    match marking:
        case Marking.MARKED if exploring:
            return tr.gettext("Marked as just exploring: it does not count for your streaks.")
        case Marking.MARKED:
            return tr.gettext("Counted again in your record.")
        case Marking.OUTCOME_RECORDED:
            return tr.gettext("Its outcome is recorded: this check stays in your record.")
        case Marking.TOO_LATE:
            return tr.gettext(
                "A check can be marked as just exploring only in its first 24 hours: this one "
                "stays in your record."
            )
    return render_not_yours(lang)
