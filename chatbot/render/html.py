"""The few Telegram-HTML pieces every reply is built from, escaping included."""

from __future__ import annotations

import html
import re

# A member can type up to 4,096 characters; echoing them back must not overflow the reply.
WORD_LIMIT = 64


def escape(text: object, limit: int = WORD_LIMIT) -> str:
    """Escape for Telegram HTML after clipping, so an entity is never cut in half."""
    raw = str(text)
    clipped = raw if len(raw) <= limit else raw[: limit - 1] + "…"
    return html.escape(clipped)


def code(text: object, limit: int = WORD_LIMIT) -> str:
    """Monospace: commands and words as typed, which Telegram lets members copy with a tap."""
    return f"<code>{escape(text, limit)}</code>"


def bold(text: str) -> str:
    """Bold around already-escaped text."""
    return f"<b>{text}</b>"


_TAG = re.compile(r"<[^>]*>")


def to_plain(text: str) -> str:
    """The reply without Telegram's tags and entities, for the command line."""
    return html.unescape(_TAG.sub("", text))
