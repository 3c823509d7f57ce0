"""Answers Telegram would not take, delivered later from the database until they arrive.

A /size is logged before it is answered. When Telegram keeps failing after `reply`'s own quick
retries (an outage longer than a few seconds: 5xx, time-outs, dropped connections, flood
waits), the answer is kept in the database as worded and the check stays unanswered. A job
looks at the owed answers every `TICK` seconds and sends them in the order they were asked,
each quoting its question, after one note per chat that they are late. While Telegram still
fails, it waits longer after each failure (1, 2, 4 … 60 s), so an outage costs one probe a
minute, not a storm of requests; a restart loses nothing, since the answers are in SQLite.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from telegram import InlineKeyboardMarkup, Message, ReplyParameters
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from chatbot.bot.context import BotContext
from chatbot.service import late
from chatbot.service.members import Member
from chatbot.storage.rows import LateAnswer

log = logging.getLogger(__name__)

JOB_NAME = "owed-answers"
TICK = 1.0  # seconds between two looks at the owed answers
FIRST_DELAY, MAX_DELAY = 1.0, 60.0  # the wait after the first failure, and the longest
BATCH = 50  # answers taken from the database at a time
STATE_KEY = "owed"


def backoff(failures: int) -> float:
    """Seconds to wait after `failures` failures in a row: doubling, up to a minute."""
    return float(min(FIRST_DELAY * 2 ** (failures - 1), MAX_DELAY))


def transient(error: TelegramError) -> bool:
    """Telegram or the network failing, which time mends; not a refusal of this message
    (a Bad Request is one, though python-telegram-bot files it under network errors)."""
    if isinstance(error, RetryAfter):
        return True
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


@dataclass
class Owed:
    """When the next delivery is due, how many failed in a row, which chats were told, and
    which checks are being answered right now (by a handler or by the job)."""

    next_at: float = 0.0
    failures: int = 0
    told: set[int] = field(default_factory=set)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    answering: set[int] = field(default_factory=set)

    def failed(self, now: float) -> float:
        self.failures += 1
        self.next_at = now + backoff(self.failures)
        return self.next_at - now

    def recovered(self) -> None:
        self.failures = 0
        self.next_at = 0.0


def owed_state(bot_data: MutableMapping[str, object]) -> Owed:
    """The application's delivery state, made on first use (each Application has its own)."""
    state = bot_data.setdefault(STATE_KEY, Owed())
    assert isinstance(state, Owed)
    return state


@asynccontextmanager
async def answering(bot_data: MutableMapping[str, object], check_id: int) -> AsyncIterator[bool]:
    """Whether this caller answers the check: False when a handler or the job already does.

    A question Telegram sends again after a crash may reach a handler while the job delivers
    the answer the crashed run owed; one event loop runs both, so a set of the checks being
    answered keeps them from answering the same check twice.
    """
    state = owed_state(bot_data)
    if check_id in state.answering:
        yield False
        return
    state.answering.add(check_id)
    try:
        yield True
    finally:
        state.answering.discard(check_id)


async def owe(
    context: BotContext,
    message: Message,
    check_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None,
    member: Member,
) -> None:
    """Keep the answer Telegram would not take, for the job to deliver."""
    answer = LateAnswer(
        check_id=check_id,
        user_id=member.user_id,
        chat_id=message.chat_id,
        message_id=message.message_id,
        thread_id=message.message_thread_id if message.is_topic_message else None,
        lang=member.lang,
        text=text,
        markup_json=markup.to_json() if markup is not None else None,
        queued_at=datetime.now(UTC),
    )
    await late.owe(context.db, answer)
    log.warning("Telegram would not take the answer to check %s: it is owed", check_id)


async def deliver_owed(context: BotContext) -> None:
    """The job: deliver what is owed when due; one delivery at a time."""
    state = owed_state(context.bot_data)
    now = context.now()
    if now < state.next_at or state.lock.locked():
        return
    async with state.lock:
        try:
            delivered = await _deliver(context, state)
        except TelegramError as error:
            if not transient(error):
                raise
            wait = state.failed(now)
            log.warning("Telegram still fails (%s): owed answers again in %.0f s", error, wait)
            return
    if delivered:
        state.recovered()


async def _deliver(context: BotContext, state: Owed) -> bool:
    """Send the oldest owed answers; False when none was owed."""
    answers = await late.owed(context.db, BATCH)
    if not answers:
        state.told.clear()  # the next outage is told about again
        return False
    for answer in answers:
        async with answering(context.bot_data, answer.check_id) as mine:
            if mine and await late.still_owed(context.db, answer.check_id):
                await _send(context, state, answer)
    return True


async def _send(context: BotContext, state: Owed, answer: LateAnswer) -> None:
    """The chat's one note that answers are late, then the answer quoting its question."""
    markup = None
    if answer.markup_json is not None:
        markup = InlineKeyboardMarkup.de_json(json.loads(answer.markup_json), context.bot)
    quoted = ReplyParameters(answer.message_id, allow_sending_without_reply=True)
    try:
        if answer.chat_id not in state.told:
            note = late.late_note(answer.lang)
            await context.bot.send_message(answer.chat_id, note, message_thread_id=answer.thread_id)
            state.told.add(answer.chat_id)
        await context.bot.send_message(
            answer.chat_id,
            answer.text,
            reply_markup=markup,
            reply_parameters=quoted,
            message_thread_id=answer.thread_id,
        )
    except (Forbidden, BadRequest) as error:
        log.warning("the answer to check %s is refused for good: %s", answer.check_id, error)
        await late.undeliverable(context.db, answer.check_id)
        return
    await late.delivered(context.db, answer.check_id)
