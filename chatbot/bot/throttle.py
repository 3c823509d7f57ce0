"""Per-member limits, so one member cannot flood a community, the bot or its operators.

In a group, each member's commands are limited (`COMMANDS_PER_WINDOW` a minute); in a private
chat, and on buttons anywhere, a looser limit (`PRIVATE_PER_WINDOW`) applies to every message
and press, since anything a member sends costs the bot work, and a failure an alert.

`Throttle` is a pure sliding window (no clock, no I/O: the caller passes the time), keyed by
(chat, member), so a flooding member never slows anyone else down. The first command over the
limit gets one quiet answer saying when to try again; every further one is dropped in silence
until the window has room, because a flood of "slow down" replies would be a flood too.
Commands that were held do not count, so a member who stops waiting is free again on time.
"""

from __future__ import annotations

import logging
import math
from collections import deque
from collections.abc import Hashable, MutableMapping
from dataclasses import dataclass, field
from enum import Enum

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from chatbot.bot.context import BotContext, is_group
from chatbot.render.i18n import translator

log = logging.getLogger(__name__)

COMMANDS_PER_WINDOW = 5
PRIVATE_PER_WINDOW = 30  # about one every two seconds, kept up for a minute
WINDOW_SECONDS = 60.0
# Above this many tracked (chat, member) pairs, pairs idle for a whole window are dropped.
TRACKED_PAIRS = 10_000
BOT_DATA_KEY = "throttle"
PRIVATE_KEY = "throttle_private"


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


def throttle_of(
    bot_data: MutableMapping[str, object],
    key: str = BOT_DATA_KEY,
    limit: int = COMMANDS_PER_WINDOW,
) -> Throttle:
    """The application's throttle under `key`, made on first use (each Application has its
    own)."""
    throttle = bot_data.get(key)
    if throttle is None:  # not setdefault: that would build a throttle on every message
        throttle = bot_data[key] = Throttle(limit)
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
    decision = throttle_of(context.bot_data).decide((chat.id, user.id), context.now())
    if decision.admission is Admission.ANSWER:
        return True
    if decision.admission is Admission.WARN:
        log.info("member %s held in chat %s for %s s", user.id, chat.id, decision.retry_after)
        await _warn(update, context, decision.retry_after)
    return False


async def limit_private(update: Update, context: BotContext) -> None:
    """Runs before every handler: a member's messages in private and button presses anywhere
    beyond the private limit get one quiet answer, then none, and reach no handler."""
    user, chat = update.effective_user, update.effective_chat
    query = update.callback_query
    private = update.message is not None and chat is not None and chat.type == ChatType.PRIVATE
    if user is None or not (private or query is not None):
        return
    where = chat.id if chat is not None else user.id
    throttle = throttle_of(context.bot_data, PRIVATE_KEY, PRIVATE_PER_WINDOW)
    decision = throttle.decide(("private", where, user.id), context.now())
    if decision.admission is Admission.ANSWER:
        return
    if decision.admission is Admission.WARN:
        log.info("member %s held for %s s", user.id, decision.retry_after)
        member = await context.member(update)
        assert member is not None  # every update with a user has a member
        text = render_slow_down(member.lang, decision.retry_after)
        if query is not None:
            await query.answer(text)
        elif update.message is not None:
            await update.message.reply_text(text, disable_notification=True)
    raise ApplicationHandlerStop


async def _warn(update: Update, context: BotContext, seconds: int) -> None:
    message = update.effective_message
    member = await context.member(update)
    if message is None or member is None:
        return
    await message.reply_text(
        render_slow_down(member.lang, seconds), do_quote=True, disable_notification=True
    )
