"""/export and /forget in words: the file's caption, and erasing everything after a yes."""

from __future__ import annotations

from chatbot.render.i18n import translator


def render_forget_confirm(lang: str) -> str:
    return "⚠️ " + translator(lang).gettext(
        "This erases your settings, every check in your log and every outcome. It cannot be "
        "undone. Erase everything?"
    )


def forget_labels(lang: str) -> tuple[str, str]:
    """The two answers to the question above: erase, or keep."""
    tr = translator(lang)
    return tr.gettext("Erase everything"), tr.gettext("Keep my data")


def render_forgotten(lang: str) -> str:
    return "🗑 " + translator(lang).gettext("Done: everything I stored about you is erased.")


def render_kept(lang: str) -> str:
    return translator(lang).gettext("Nothing was erased.")
