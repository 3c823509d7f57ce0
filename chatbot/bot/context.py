"""The context every handler and job receives: PTB's, with the database and the member.

The member behind an update is loaded once, on first use, and kept on the context, which
python-telegram-bot builds once per update: the throttle, the registry's privacy guard and the
handler itself all share that one load. Handlers written with `with_member` receive the member
as an argument and never see an update without one (a channel post has no member).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Coroutine
from typing import Any, cast

from telegram import Chat, Update
from telegram.constants import ChatType
from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from chatbot.markets.prices import MarkPrices
from chatbot.service.members import Member, load_member
from chatbot.storage import Database

Data = dict[Any, Any]
DB_KEY = "db"
PRICES_KEY = "prices"
CLOCK_KEY = "clock"


class BotContext(CallbackContext[ExtBot[None], Data, Data, Data]):
    """`context` in this bot: `context.db`, and `await context.member(update)`."""

    _member: Member | None

    @property
    def db(self) -> Database:
        """The database opened at start-up; handlers reach storage only through the service."""
        db: Database = self.bot_data[DB_KEY]
        return db

    @property
    def prices(self) -> MarkPrices:
        """The venues' mark prices, fetched in this process and cached for a few seconds."""
        prices: MarkPrices = self.bot_data[PRICES_KEY]
        return prices

    @property
    def jobs(self) -> JobQueue[BotContext]:
        """The job queue, typed for this context; the bot depends on PTB's job-queue extra, so
        there always is one. PTB types `job_queue` with a type variable left unbound (`ST`),
        which no annotation can meet: the cast names the queue `build_application` made."""
        queue = cast("JobQueue[BotContext] | None", self.application.job_queue)
        assert queue is not None
        return queue

    def now(self) -> float:
        """Monotonic seconds, by which the throttles, the owed answers and the operators'
        alerts keep time; a test puts its own clock in `bot_data` to let time pass."""
        clock: Callable[[], float] = self.bot_data.get(CLOCK_KEY, time.monotonic)
        return clock()

    async def member(self, update: Update) -> Member | None:
        """The member behind the update, or None for updates without a person (channel posts).

        Inline queries have no chat: they are answered as in the member's private chat.
        """
        if not hasattr(self, "_member"):
            self._member = await _load(self.db, update)
        return self._member


BotApp = Application[ExtBot[None], BotContext, Data, Data, Data, JobQueue[BotContext]]
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]
MemberCallback = Callable[[Update, BotContext, Member], Coroutine[Any, Any, None]]
JobCallback = Callable[[BotContext], Coroutine[Any, Any, None]]


def is_group(chat: Chat | None) -> bool:
    return chat is not None and chat.type in {ChatType.GROUP, ChatType.SUPERGROUP}


async def _load(db: Database, update: Update) -> Member | None:
    user, chat = update.effective_user, update.effective_chat
    if user is None:
        return None
    return await load_member(
        db,
        user.id,
        chat_id=chat.id if chat else user.id,
        group=is_group(chat),
        telegram_code=user.language_code,
    )


def with_member(handler: MemberCallback) -> Callback:
    """A PTB callback that hands `handler` the update's member, and ignores updates without."""

    @functools.wraps(handler)
    async def callback(update: Update, context: BotContext) -> None:
        member = await context.member(update)
        if member is not None:
            await handler(update, context, member)

    return callback


def text_of(update: Update) -> str:
    """The text of the update's message; commands and text filters guarantee there is one."""
    message = update.effective_message
    return (message.text or "") if message is not None else ""


def command_text(update: Update, context: BotContext) -> str:
    """The command the message asks for: a deep link (`/start settings`, from a group's "open
    in private" button) asks for the command it names, which then reads as typed alone."""
    text = text_of(update)
    head = text.split(maxsplit=1)[0].partition("@")[0].lower() if text.strip() else ""
    if head == "/start" and context.args:
        return "/" + context.args[0]
    return text
