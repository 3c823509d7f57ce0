"""Inline mode in words: what an empty `@bot` query shows before the member types a check."""

from __future__ import annotations

from chatbot.language.parser import EXAMPLES
from chatbot.render.i18n import translator


def render_inline_hint(lang: str) -> tuple[str, str]:
    """Title and description of the article shown before a query says anything; inline
    queries are typed without the slash."""
    tr = translator(lang)
    return (
        tr.gettext("Type a check, for example: {example}", example=EXAMPLES["size"][1:]),
        tr.gettext("Your saved settings fill in what you leave out."),
    )
