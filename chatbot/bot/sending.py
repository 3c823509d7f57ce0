"""The transport of every request to Telegram but getUpdates: at most `IN_FLIGHT` at once.

httpcore's connection pool looks at every connection it holds, and asks each idle one whether
the server closed it, for each request it sends: with 256 updates handled at once, answers
went out on as many connections as were in flight (16 in a flood on loopback), and the pool's
bookkeeping took a fifth of the bot's time (260 `is_idle` calls a request, by cProfile). A
smaller pool alone is worse: requests waiting in httpcore's own queue are scanned too (a bare
bot with a pool of two answered 196 a second instead of 305). Waiting for a slot here costs
an `asyncio.Semaphore` instead, and the pool never holds more connections than slots.

Sixteen in flight carry Telegram's 30 messages a second as long as a request takes under half
a second, and over a 50 ms link a flood was answered faster than with no bound (190 a second
against 153; 113 with eight slots).
"""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING

from telegram.request import BaseRequest, HTTPXRequest, RequestData

if TYPE_CHECKING:
    from telegram._utils.types import ODVInput

IN_FLIGHT = 16


class GuardedRequest(HTTPXRequest):
    """python-telegram-bot's HTTPX transport with every request sent inside `guarded()`: the
    one override of its request method, shared by riskbot's transports."""

    def guarded(self) -> AbstractAsyncContextManager[object]:
        raise NotImplementedError

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        async with self.guarded():
            return await super().do_request(
                url,
                method,
                request_data,
                read_timeout,
                write_timeout,
                connect_timeout,
                pool_timeout,
            )


class BoundedRequest(GuardedRequest):
    """The transport of every request but getUpdates, holding at most `in_flight` at once."""

    def __init__(self, in_flight: int = IN_FLIGHT) -> None:
        super().__init__(connection_pool_size=in_flight)
        self._slots = asyncio.Semaphore(in_flight)

    def guarded(self) -> asyncio.Semaphore:
        return self._slots
