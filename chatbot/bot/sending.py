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

Each of those checks still asked AnyIO for the connection's socket, and AnyIO builds every
attribute it knows to answer (a `getpeername` system call among them): a tenth of the bot's
time in a flood. The socket of a connection never changes, so its stream keeps it
(`SocketKeepingStream`) and the check is the one `poll` httpcore itself makes.
"""

from __future__ import annotations

import asyncio
import select
import socket
import ssl
from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING

import httpcore
import httpx
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
        super().__init__(
            connection_pool_size=in_flight,
            httpx_kwargs={"transport": socket_keeping_transport(in_flight)},
        )
        self._slots = asyncio.Semaphore(in_flight)

    def guarded(self) -> asyncio.Semaphore:
        return self._slots


def socket_keeping_transport(connections: int) -> httpx.AsyncHTTPTransport:
    """httpx's transport with at most `connections` connections, each made by
    `SocketKeepingBackend`. httpx takes no network backend, so its pool is replaced by one
    with the same settings (a client given a transport ignores its own limits)."""
    context = httpx.create_ssl_context()
    transport = httpx.AsyncHTTPTransport(verify=context)
    limits = httpx.Limits(max_connections=connections)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=SocketKeepingBackend(),
    )
    return transport


class SocketKeepingBackend(httpcore.AsyncNetworkBackend):
    """httpcore's AnyIO backend, whose connections ask for their socket once."""

    def __init__(self) -> None:
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._backend.connect_tcp(host, port, timeout, local_address, socket_options)
        return SocketKeepingStream(stream)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._backend.connect_unix_socket(path, timeout, socket_options)
        return SocketKeepingStream(stream)

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


class SocketKeepingStream(httpcore.AsyncNetworkStream):
    """A connection that answers whether its server closed it (what the pool asks of every idle
    connection for every request) from the socket it looked up once."""

    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self._stream = stream
        self._socket: socket.socket | None = stream.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._stream.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._stream.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._stream.start_tls(ssl_context, server_hostname, timeout)
        return SocketKeepingStream(stream)

    def get_extra_info(self, info: str) -> object:
        if info == "is_readable" and self._socket is not None:
            return readable(self._socket)
        return self._stream.get_extra_info(info)


def readable(sock: socket.socket) -> bool:
    """Whether a read would return at once: data, or the end of a connection the server
    closed. A closed socket counts as readable, as httpcore counts it."""
    if sock.fileno() < 0:
        return True
    poll = select.poll()
    poll.register(sock, select.POLLIN)
    return bool(poll.poll(0))
