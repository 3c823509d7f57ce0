"""Alerts to the operators (RISKBOT_ADMIN_IDS) when an update fails, which no flood can flood.

Each failure is noted with its update id and the kind of error only, never what the member
wrote. The first alert goes out at once; further failures within `ALERT_EVERY` seconds are
counted and sent as one summary when the minute is over, so a member who makes the bot fail
in a loop (or a Telegram outage that fails every update) costs the operators one message a
minute. An alert Telegram does not take is kept and tried again, later each time, so the
operators hear of an outage once it is over.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import MutableMapping
from dataclasses import dataclass, field

from telegram.error import TelegramError

from chatbot.bot.context import BotContext
from chatbot.bot.late import backoff

log = logging.getLogger(__name__)

JOB_NAME = "operator-alerts"
ALERT_EVERY = 60.0  # seconds between two alerts to the operators
STATE_KEY = "alerts"


@dataclass
class Alerts:
    """Failures not yet told, and when the operators may next be told; one telling at a time,
    so failures at the same moment are not each the first of the minute."""

    kinds: Counter[str] = field(default_factory=Counter)
    last_update: int | None = None
    next_at: float = 0.0
    failures: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def note(self, update_id: int | None, kind: str) -> None:
        self.kinds[kind] += 1
        self.last_update = update_id

    def text(self) -> str:
        """One failure by its update and kind; several counted by kind, with the last update."""
        total = sum(self.kinds.values())
        if total == 1:
            (kind,) = self.kinds
            return f"⚠️ update {self.last_update} failed: {kind}"
        kinds = ", ".join(f"{kind} × {count}" for kind, count in self.kinds.most_common())
        return f"⚠️ {total} updates failed ({kinds}); the last was update {self.last_update}"

    def sent(self, now: float, told: Counter[str]) -> None:
        """`told` went out; failures noted while it was sent wait for the next alert."""
        self.kinds -= told
        self.failures = 0
        self.next_at = now + ALERT_EVERY

    def not_sent(self, now: float) -> float:
        self.failures += 1
        self.next_at = now + backoff(self.failures)
        return self.next_at - now


def alerts_of(bot_data: MutableMapping[str, object]) -> Alerts:
    """The application's alerts, made on first use (each Application has its own)."""
    state = bot_data.setdefault(STATE_KEY, Alerts())
    assert isinstance(state, Alerts)
    return state


async def alert(context: BotContext, update_id: int | None, error: BaseException | None) -> None:
    """Note a failed update, and tell the operators if they may be told now."""
    alerts_of(context.bot_data).note(update_id, type(error).__name__)
    await tell_operators(context)


async def tell_operators(context: BotContext) -> None:
    """Send what is noted, if anything is and the last alert is a minute old (also the job)."""
    alerts = alerts_of(context.bot_data)
    now = context.now()
    if not alerts.kinds or now < alerts.next_at or alerts.lock.locked():
        return
    async with alerts.lock:
        operators: frozenset[int] = context.bot_data.get("operators", frozenset())
        told, text = Counter(alerts.kinds), alerts.text()
        try:
            for operator in sorted(operators):
                await context.bot.send_message(operator, text, parse_mode=None)
        except TelegramError as error:
            wait = alerts.not_sent(now)
            log.warning("could not alert the operators (%s): again in %.0f s", error, wait)
            return
        alerts.sent(now, told)
