"""One connection, one user at a time, with a way to the front of the queue.

`asyncio.Lock` serves waiters in arrival order. Under a flood of a few hundred members that
order costs answers: marking an answer as sent would wait behind every check logged since,
and a bot killed in that wait sends those answers a second time after its restart (the
reliability suite's kill -9 flood saw every answer of the moment doubled). An urgent turn is
served before every ordinary one, so the mark follows the answer within one statement's time.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Turns:
    """A lock whose urgent waiters go before the ordinary ones, each kind in arrival order."""

    def __init__(self) -> None:
        self._held = False
        self._urgent: deque[asyncio.Future[None]] = deque()
        self._ordinary: deque[asyncio.Future[None]] = deque()

    @asynccontextmanager
    async def turn(self, *, urgent: bool = False) -> AsyncIterator[None]:
        """Hold the lock for the block; an urgent turn is served before any ordinary one."""
        await self._acquire(urgent)
        try:
            yield
        finally:
            self._release()

    async def _acquire(self, urgent: bool) -> None:
        if not self._held:
            self._held = True
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue = self._urgent if urgent else self._ordinary
        queue.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release()  # handed the lock just as it was cancelled: pass it on
            elif waiter in queue:  # a release may have passed over it already
                queue.remove(waiter)
            raise

    def _release(self) -> None:
        """Hand the lock to the next waiter, urgent first, or free it."""
        for queue in (self._urgent, self._ordinary):
            while queue:
                waiter = queue.popleft()
                if not waiter.done():
                    waiter.set_result(None)
                    return
        self._held = False
