"""A per-member command limit in groups, so one member cannot flood a community or the bot.

`Throttle` is a pure sliding window (no clock, no I/O: the caller passes the time), keyed by
(chat, member), so a flooding member never slows anyone else down. The first command over the
limit gets one quiet answer saying when to try again; every further one is dropped in silence
until the window has room, because a flood of "slow down" replies would be a flood too.
Commands that were held do not count, so a member who stops waiting is free again on time.
"""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from collections.abc import Hashable, MutableMapping
from dataclasses import dataclass, field
from enum import Enum

from telegram import Update

from chatbot.bot.context import BotContext, is_group
from chatbot.render.i18n import translator

log = logging.getLogger(__name__)

COMMANDS_PER_WINDOW = 5
WINDOW_SECONDS = 60.0
# Above this many tracked (chat, member) pairs, pairs idle for a whole window are dropped.
TRACKED_PAIRS = 10_000
BOT_DATA_KEY = "throttle"


class Admission(Enum):
    """Whether a member's command gets through the group limit (not a discipline verdict)."""

    ANSWER = "answer"
    WARN = "warn"  # the first command over the limit: answer once, quietly
    SILENT = "silent"  # every further one until the window has room


@dataclass(frozen=True)
class Decision:
    admission: Admission
    retry_after: int = 0  # whole seconds until the next command will be answered


@dataclass
class _Window:
    answered: deque[float] = field(default_factory=deque)
    warned: bool = False


class Throttle:
    """At most `limit` answered commands per key within any `window` seconds."""

    def __init__(self, limit: int = COMMANDS_PER_WINDOW, window: float = WINDOW_SECONDS) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("the limit must be at least 1 and the window positive")
        self.limit = limit
        self.window = window
        self.held = 0  # commands refused since start, for logs and tests
        self._windows: dict[Hashable, _Window] = {}
        self._swept = -math.inf

    def decide(self, key: Hashable, now: float) -> Decision:
        """Whether the command arriving at `now` (monotonic seconds) from `key` is answered."""
        self._forget_idle(now)
        window = self._windows.setdefault(key, _Window())
        answered = window.answered
        while answered and answered[0] <= now - self.window:
            answered.popleft()
        if len(answered) < self.limit:
            answered.append(now)
            window.warned = False
            return Decision(Admission.ANSWER)
        self.held += 1
        retry_after = max(1, math.ceil(answered[0] + self.window - now))
        if window.warned:
            return Decision(Admission.SILENT, retry_after)
        window.warned = True
        return Decision(Admission.WARN, retry_after)

    def tracked(self) -> int:
        """How many (chat, member) pairs are remembered now."""
        return len(self._windows)

    def _forget_idle(self, now: float) -> None:
        """Bound the memory: at most once a window, drop pairs idle for a whole window."""
        if len(self._windows) < TRACKED_PAIRS or now - self._swept < self.window:
            return
        self._swept = now
        idle = [
            key
            for key, window in self._windows.items()
            if not window.answered or window.answered[-1] <= now - self.window
        ]
        for key in idle:
            del self._windows[key]


def throttle_of(bot_data: MutableMapping[str, object]) -> Throttle:
    """The application's one throttle, made on first use (each Application has its own)."""
    throttle = bot_data.setdefault(BOT_DATA_KEY, Throttle())
    assert isinstance(throttle, Throttle)
    return throttle


def render_slow_down(lang: str, seconds: int) -> str:
    """The one quiet answer a flooding member gets."""
    return translator(lang).ngettext(
        "⏳ Slow down, please: I answer a few commands a minute per member here. "
        "Try again in {seconds} second.",
        "⏳ Slow down, please: I answer a few commands a minute per member here. "
        "Try again in {seconds} seconds.",
        seconds,
        seconds=seconds,
    )


async def admitted(update: Update, context: BotContext) -> bool:
    """Whether a command is answered; private chats are never limited, groups per member."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or not is_group(chat):
        return True
    decision = throttle_of(context.bot_data).decide((chat.id, user.id), time.monotonic())
    if decision.admission is Admission.ANSWER:
        return True
    if decision.admission is Admission.WARN:
        log.info("member %s held in chat %s for %s s", user.id, chat.id, decision.retry_after)
        await _warn(update, context, decision.retry_after)
    return False


async def _warn(update: Update, context: BotContext, seconds: int) -> None:
    message = update.effective_message
    member = await context.member(update)
    if message is None or member is None:
        return
    await message.reply_text(
        render_slow_down(member.lang, seconds), do_quote=True, disable_notification=True
    )
