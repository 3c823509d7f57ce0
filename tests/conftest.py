"""Fixtures that run the real bot against the stand-in Bot API server on loopback, and the
helpers tests share to drive it: a clock to move, and signs that the bot is done."""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram.ext import AIORateLimiter, Application

from chatbot.bot import replying
from chatbot.bot.app import build_application
from chatbot.bot.config import Settings
from tests.standin import DEFAULT_USER_ID, Call, StandIn

# 5x keeps within the beginner limit of 10x, so the check respects every default rule.
WITHIN = "/size BTC 72000 stop 71500 acct 1000 lev 5"


@pytest.fixture(autouse=True, scope="session")
def one_tls_context() -> Iterator[None]:
    """One TLS context for every HTTP client the tests make.

    Each python-telegram-bot client builds an httpx client, and each of those a TLS context
    from the CA bundle: about 20 ms of CPU, some 190 times a run, a tenth of the suite's time.
    The bots here only talk plain HTTP to the stand-in on loopback, so the context is never
    used; sharing one is safe (an SSLContext is meant to be shared). If httpx moves this
    function, the patch fails loudly here rather than slowing the suite quietly.
    """
    transports = httpx._transports.default
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            transports, "create_ssl_context", functools.cache(transports.create_ssl_context)
        )
        yield


@pytest.fixture
async def api() -> AsyncIterator[StandIn]:
    async with StandIn() as server:
        yield server


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "riskbot.sqlite3"


@pytest.fixture
def prompt_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """An answer lost in transit is tried again at once: the bot's pauses of 0.5 and 2 s
    between attempts are real seconds, which an outage in simulated time must not wait for.
    The attempts themselves, and what happens when all fail, are unchanged."""
    monkeypatch.setattr(replying, "RETRY_DELAYS", (0.0,) * len(replying.RETRY_DELAYS))


# Nothing listens on the discard port of loopback: a test that does not start the exchange
# stand-in can never reach a real venue, and a mark price is simply unavailable.
NO_EXCHANGE = "http://127.0.0.1:9"
EXCHANGES = ("binance_url", "binance_coinm_url", "bybit_url", "okx_url")


def bot_settings(api: StandIn, db_path: Path, **overrides: Any) -> Settings:
    urls = dict.fromkeys(EXCHANGES, NO_EXCHANGE)
    return Settings(token=api.token, api_url=api.url, db=db_path, **{**urls, **overrides})


@asynccontextmanager
async def running(
    api: StandIn, db_path: Path, poll_interval: float = 0, **overrides: Any
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """The production application, polling the stand-in, with Telegram's pace limits lifted
    (the stand-in has none) so floods finish quickly; retries stay on. `overrides` are more
    settings, such as the exchanges' addresses of an exchange stand-in.

    python-telegram-bot waits 1 s after a failed getUpdates, then 1.5 times longer after each
    further failure, unless `poll_interval` is set: then it waits 1.5 × `poll_interval`.
    """
    limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3)
    app = build_application(bot_settings(api, db_path, **overrides), rate_limiter=limiter)
    async with app:
        assert app.post_init is not None and app.post_shutdown is not None
        await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=poll_interval, timeout=1)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
            await app.post_shutdown(app)


@dataclass
class Chat:
    """One member talking to the bot: send a text, get the bot's next message back."""

    api: StandIn
    user_id: int = DEFAULT_USER_ID
    chat_id: int | None = None
    chat_type: str = "private"
    language_code: str = "en"

    @property
    def where(self) -> int:
        return self.chat_id if self.chat_id is not None else self.user_id

    def _answers(self) -> list[dict[str, Any]]:
        """New messages to this chat (edits of earlier ones are not answers)."""
        return [
            call.params
            for call in self.api.calls
            if call.ok
            and call.method in {"sendMessage", "sendDocument", "sendPhoto"}
            and call.params.get("chat_id") == self.where
        ]

    async def say(self, text: str, **fields: Any) -> dict[str, Any]:
        """Send `text` and return the bot's answer to it."""
        before = len(self._answers())
        self.api.push_message(
            text,
            user_id=self.user_id,
            chat_id=self.chat_id,
            chat_type=self.chat_type,  # type: ignore[arg-type]
            language_code=self.language_code,
            **fields,
        )
        await self.api.wait_for(lambda call: len(self._answers()) > before, timeout=10)
        return self._answers()[before]

    async def press(self, data: str, message_id: int | None = None) -> dict[str, Any]:
        """Press an inline button; the handlers answer the query last, once their work is done."""
        answered = sum(call.method == "answerCallbackQuery" for call in self.api.calls)
        self.api.push_callback(data, self.user_id, self.chat_id, message_id)
        calls = await self.api.wait_for("answerCallbackQuery", count=answered + 1)
        return calls[-1].params


class Clock:
    """The bot's monotonic clock (`CLOCK_KEY` in `bot_data`), held still or moved on by the
    test: time passes for the throttles, owed answers and alerts without waiting for it."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def confirmed(update: dict[str, Any]) -> Callable[[Call], bool]:
    """The sign that the bot handled `update` and every one before it: it asks for updates
    past it only once it has (`chatbot.bot.polling`)."""

    def asks_past(call: Call) -> bool:
        offset = int(call.params.get("offset") or 0)
        return call.method == "getUpdates" and offset > update["update_id"]

    return asks_past


@contextmanager
def error_records() -> Iterator[list[logging.LogRecord]]:
    """Every ERROR (or worse) logged meanwhile: a failing handler always logs one."""

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            kept.append(record)

    kept: list[logging.LogRecord] = []
    handler = Keep(logging.ERROR)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield kept
    finally:
        root.removeHandler(handler)
