"""The transports of riskbot's requests to Telegram: python-telegram-bot's HTTPX transport,
sending requests without files straight to httpcore, each inside a guard of its own.

Every request but getUpdates goes through `BoundedRequest`, at most `IN_FLIGHT` at once.
httpcore's connection pool looks at every connection it holds for each request it sends (is
it idle, did the server close it; a list of every connection for each idle one): with 256
updates at once and no bound, answers went out on as many connections as were in flight and
that bookkeeping took a fifth of the bot's time. So each connection is a pool of its own, a
lane, and a request takes a free lane, the one used last first: the bookkeeping of one
connection (a flood of 4,000 on loopback: 2.20 → 1.82 ms of CPU an answer). The slots, an
`asyncio.Semaphore`, bound every request, files too; there are as many lanes as slots, so a
request that holds a slot always finds a lane free.

Sixteen in flight carry Telegram's 30 messages a second as long as a request takes under half
a second, and over a 50 ms link a flood was answered faster than with no bound (190 a second
against 153; 113 with eight slots).

A request without files is the form httpx would send (python-telegram-bot's own encoding of
its parameters, its user agent) given to httpcore directly: httpx's client around it
(building, cookies, redirects, its own URL parser) cost a tenth of the bot's time in a flood.
Files still go through httpx, which writes their multipart body, on connections of its own.
"""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpcore
import httpx
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from chatbot.bot.connections import connection_pools, tls_context

if TYPE_CHECKING:
    from telegram._utils.types import ODVInput

IN_FLIGHT = 16

# python-telegram-bot's own defaults, for a request that names none.
TIMEOUT = httpx.Timeout(5.0, pool=1.0)

FORM = b"application/x-www-form-urlencoded"

# Everything httpcore raises for a request that did not get an answer, but a timeout.
FAILED = (
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.ProxyError,
    httpcore.UnsupportedProtocol,
)


class GuardedRequest(HTTPXRequest):
    """python-telegram-bot's HTTPX transport with `lanes` connections for requests without
    files, every request sent inside `guarded()`: the one override of its request method,
    shared by riskbot's transports."""

    def __init__(self, lanes: int) -> None:
        super().__init__(
            connection_pool_size=lanes,
            read_timeout=TIMEOUT.read,
            write_timeout=TIMEOUT.write,
            connect_timeout=TIMEOUT.connect,
            pool_timeout=TIMEOUT.pool,
            httpx_kwargs={"verify": tls_context()},
        )
        self._all_lanes = connection_pools(lanes)
        self._lanes: asyncio.LifoQueue[httpcore.AsyncConnectionPool] = asyncio.LifoQueue()
        for lane in self._all_lanes:
            self._lanes.put_nowait(lane)

    async def shutdown(self) -> None:
        await super().shutdown()
        for lane in self._all_lanes:
            await lane.aclose()

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
            if request_data is not None and request_data.contains_files:
                return await super().do_request(
                    url,
                    method,
                    request_data,
                    read_timeout,
                    write_timeout,
                    connect_timeout,
                    pool_timeout,
                )
            timeouts = {
                "read": _or(read_timeout, TIMEOUT.read),
                "write": _or(write_timeout, TIMEOUT.write),
                "connect": _or(connect_timeout, TIMEOUT.connect),
                "pool": _or(pool_timeout, TIMEOUT.pool),
            }
            return await self._send_form(url, method, request_data, timeouts)

    async def _send_form(
        self,
        url: str,
        method: str,
        request_data: RequestData | None,
        timeouts: dict[str, float | None],
    ) -> tuple[int, bytes]:
        """The request httpx would send, with python-telegram-bot's errors for its failures."""
        if self._client.is_closed:
            raise RuntimeError("This HTTPXRequest is not initialized!")
        body = request_data.url_encoded_parameters().encode() if request_data else b""
        headers = [
            (b"Host", urlsplit(url).netloc.encode()),
            (b"User-Agent", self.USER_AGENT.encode()),
            (b"Content-Type", FORM),
            (b"Content-Length", str(len(body)).encode()),
        ]
        lane = await self._lanes.get()
        try:
            response = await lane.request(
                method, url, headers=headers, content=body, extensions={"timeout": timeouts}
            )
        except httpcore.TimeoutException as err:
            raise TimedOut from err
        except FAILED as err:
            raise NetworkError(f"httpcore.{err.__class__.__name__}: {err}") from err
        finally:
            self._lanes.put_nowait(lane)
        return response.status, response.content


def _or(timeout: ODVInput[float], default: float | None) -> float | None:
    """A request's own timeout, or the transport's when it names none."""
    return default if isinstance(timeout, DefaultValue) else timeout


class BoundedRequest(GuardedRequest):
    """The transport of every request but getUpdates, holding at most `in_flight` at once."""

    def __init__(self, in_flight: int = IN_FLIGHT) -> None:
        super().__init__(in_flight)
        self._slots = asyncio.Semaphore(in_flight)

    def guarded(self) -> asyncio.Semaphore:
        return self._slots
