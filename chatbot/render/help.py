"""/start and /help from the command registry: one list feeds the menu and the help."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chatbot.language.parser import EXAMPLES
from chatbot.render.html import bold, code, escape
from chatbot.render.i18n import translator
from chatbot.render.pieces import EXAMPLE_LIMIT


@dataclass(frozen=True)
class HelpEntry:
    """What /help says of one command; `summary` and `details` are catalog message ids."""

    name: str
    summary: str
    usage: str
    example: str | None = None
    details: str | None = None


def render_start(entries: Sequence[HelpEntry], first_name: str | None, lang: str) -> str:
    """What the bot does, then examples a beginner can copy with a tap or run with a button."""
    tr = translator(lang)
    hello = tr.gettext("Hi {name}!", name=escape(first_name)) if first_name else tr.gettext("Hi!")
    lines = [
        bold(hello),
        tr.gettext(
            "I size futures trades so a stop-loss costs only what your rule allows (one "
            "percent of your account unless you set another), fees included, and I show the "
            "margin, the "
            "liquidation price and whether your stop fires before it."
        ),
        "",
        tr.gettext("Try one (tap to copy, or press a button below):"),
    ]
    lines += [code(entry.example, EXAMPLE_LIMIT) for entry in entries if entry.example][:4]
    lines += ["", tr.gettext("Every command: {help}", help="/help")]
    return "\n".join(lines)


def render_help(entries: Sequence[HelpEntry], lang: str) -> str:
    tr = translator(lang)
    lines = [bold(tr.gettext("What I can do"))]
    lines += [f"/{entry.name} — {tr.gettext(entry.summary)}" for entry in entries]
    lines += ["", tr.gettext("More on one command: {example}", example=code("/help size"))]
    return "\n".join(lines)


def render_command_help(entry: HelpEntry, lang: str) -> str:
    tr = translator(lang)
    lines = [bold(f"/{entry.name}") + " — " + tr.gettext(entry.summary), code(entry.usage, 400)]
    if entry.details:
        lines.append(tr.gettext(entry.details))
    if entry.example:
        lines.append(tr.gettext("Example: {example}", example=code(entry.example, EXAMPLE_LIMIT)))
    return "\n".join(lines)


def try_label(name: str, lang: str) -> str:
    """The /start button that runs a command's example."""
    return translator(lang).gettext("Try /{name}", name=name)


def render_text_hint(lang: str) -> str:
    """Text that is not a command gets a pointer to one, never silence."""
    return translator(lang).gettext(
        "I read commands such as {example}. {help} lists them all.",
        example=code(EXAMPLES["size"]),
        help="/help",
    )
