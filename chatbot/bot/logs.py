"""Logging that never writes the bot token, whichever library logs it.

python-telegram-bot's HTTP client logs request URLs, and Telegram's URLs contain the token;
redacting at record creation covers every logger, handler and exception text at once.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

REDACTED = "<token>"


def install_redaction(secret: str) -> None:
    """Replace `secret` in every log record's message and exception text from now on."""
    previous: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        message = record.getMessage()
        if secret in message:
            record.msg, record.args = message.replace(secret, REDACTED), None
        if record.exc_info:
            text = "".join(traceback.format_exception(*record.exc_info))
            record.exc_text = text.replace(secret, REDACTED).rstrip("\n")
        return record

    logging.setLogRecordFactory(factory)


def configure_logging(level: str, secret: str) -> None:
    """One line a record on stderr; httpx's per-request lines only at DEBUG."""
    install_redaction(secret)
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )
    logging.getLogger("httpx").setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
