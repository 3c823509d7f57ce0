"""The buttons under a /size reply in words: counting it or not, and drawing its chart."""

from __future__ import annotations

from chatbot.render.i18n import translator


def explore_label(exploring: bool, lang: str) -> str:
    """The button that switches a check between counted and "just exploring"."""
    tr = translator(lang)
    return tr.gettext("↩️ Count it") if exploring else tr.gettext("🔍 Just exploring")


def chart_label(lang: str) -> str:
    return translator(lang).gettext("📈 Chart")


def render_exploring(exploring: bool, lang: str) -> str:
    tr = translator(lang)
    if exploring:
        return tr.gettext("Marked as just exploring: it does not count for your streaks.")
    return tr.gettext("Counted again in your record.")
