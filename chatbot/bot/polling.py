"""Long polling that confirms an update to Telegram only once the bot has processed it.

Telegram forgets the updates it sent as soon as the bot asks for more (getUpdates with a higher
offset), and python-telegram-bot asks for more the moment it has queued a batch, long before its
handlers are done. A bot killed during a flood then loses every update it had fetched but not yet
answered: Telegram will not send them again. Asking for the next batch only once the last one is
processed leaves those updates with Telegram, which sends them again after a restart, and the
log's update key and replied flag (chatbot.service.checks) answer each exactly once.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from chatbot.bot.sending import GuardedRequest

# python-telegram-bot's own pool size for getUpdates: one long poll at a time.
POLL_CONNECTIONS = 1


class ConfirmWhenProcessed(GuardedRequest):
    """The getUpdates transport: every request first waits until `processed` is empty, that is
    until every update put into it has been handled (Application marks each one done)."""

    def __init__(self, processed: asyncio.Queue[object]) -> None:
        super().__init__(POLL_CONNECTIONS)
        self._processed = processed

    @asynccontextmanager
    async def guarded(self) -> AsyncIterator[None]:
        await self._processed.join()
        yield
