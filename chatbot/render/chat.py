"""What the bot says about the conversation itself rather than anyone's figures: a failure on
its side, a button pressed by someone else, personal figures kept out of a group."""

from __future__ import annotations

from chatbot.render.i18n import translator


def render_failure(lang: str) -> str:
    """Said when a handler failed: the bot cannot know whether the message was acted on, so
    it promises nothing about it."""
    return "⚠️ " + translator(lang).gettext(
        "Something went wrong on my side: please send your message again in a moment."
    )


def render_not_yours(lang: str) -> str:
    return translator(lang).gettext("This button belongs to the member who ran the check.")


def render_private_only(lang: str) -> str:
    return "🔒 " + translator(lang).gettext(
        "Your personal figures stay private: tap below to see them in our chat."
    )


def render_late(lang: str) -> str:
    """Said once, before the answers a member is owed after Telegram could not take them."""
    return "⏳ " + translator(lang).gettext(
        "Sorry for the wait: Telegram would not take my answers for a while. Here is what you "
        "asked for."
    )
