"""Logging that never writes a secret or what members typed, whichever library logs it.

python-telegram-bot's HTTP client logs request URLs, and Telegram's URLs contain the token. At
DEBUG, PTB also logs whole updates ("Processing update …"), the parameters and results of every
Bot API call (replies quote the member's message), and the raw body a webhook received; and
aiosqlite logs each statement with its parameters (names, usernames). Both problems are solved
at record creation, which covers every logger, handler and exception text at once: arguments
that carry content (Telegram objects, containers, JSON text, pending calls) become a short
summary such as `<Update 17>` before the message is ever formatted, then secrets are replaced.
The secrets are every `SecretStr` the settings hold (`Settings.secret_values`: the bot token,
the webhook secret, an exchange's API key and secret) plus a webhook secret made at start.
"""

from __future__ import annotations

import functools
import json
import logging
import traceback
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from telegram import TelegramObject, Update

REDACTED = "<token>"
LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_CONTAINERS = (Mapping, list, tuple, set, frozenset, bytes, bytearray, functools.partial)


def withheld(value: object) -> object:
    """A log argument safe to print: scalars and plain words as they are, content summarised."""
    if isinstance(value, Update):
        return f"<Update {value.update_id}>"
    if isinstance(value, TelegramObject):
        return f"<{type(value).__name__}>"
    if isinstance(value, _CONTAINERS):
        return f"<{type(value).__name__} withheld>"
    if isinstance(value, str) and value.lstrip()[:1] in {"{", "["}:
        return "<data withheld>"
    return value


def _withhold_content(record: logging.LogRecord) -> None:
    if not isinstance(record.msg, str):
        record.msg = withheld(record.msg)
    if isinstance(record.args, Mapping):
        record.args = {name: withheld(value) for name, value in record.args.items()}
    elif record.args:
        record.args = tuple(withheld(value) for value in record.args)


def _scrub(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


def _redact(record: logging.LogRecord, secrets: tuple[str, ...]) -> None:
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a malformed call: logging reports it when it is emitted
        return
    cleaned = _scrub(message, secrets)
    if cleaned != message:
        record.msg, record.args = cleaned, None
    if record.exc_info:
        text = "".join(traceback.format_exception(*record.exc_info))
        record.exc_text = _scrub(text, secrets).rstrip("\n")


def install_redaction(*secrets: str) -> None:
    """From now on, every log record withholds member content and replaces each secret."""
    kept = tuple(secret for secret in secrets if secret)
    previous: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _withhold_content(record)
        _redact(record, kept)
        return record

    logging.setLogRecordFactory(factory)


class JsonLines(logging.Formatter):
    """One JSON object a line (time, level, logger, message, exception), for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, str] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str, *secrets: str, fmt: LogFormat = "text") -> None:
    """One record a line on stderr; per-request lines of httpx and tornado only at DEBUG."""
    install_redaction(*secrets)
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    logging.captureWarnings(True)
    quiet = logging.DEBUG if level == "DEBUG" else logging.WARNING
    for chatty in ("httpx", "tornado.access"):
        logging.getLogger(chatty).setLevel(quiet)
