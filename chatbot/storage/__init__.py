"""Persistence: every SQL statement of the bot lives in this package."""

from chatbot.storage.db import Database

__all__ = ["Database"]
