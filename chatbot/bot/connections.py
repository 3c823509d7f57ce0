"""The connections riskbot's transports hold to Telegram: httpcore's pools, whose connections
ask for their socket once.

httpcore asks every idle connection whether the server closed it, for every request. Through
AnyIO each question built every attribute the socket has (a `getpeername` system call among
them), a tenth of the bot's time in a flood. A connection's socket never changes, so its stream
keeps it and answers with the same `poll` httpcore itself makes.
"""

from __future__ import annotations

import select
import socket
import ssl
from collections.abc import Iterable
from functools import cache

import httpcore
import httpx


@cache
def tls_context() -> ssl.SSLContext:
    """The one TLS context of every connection: building one loads every trusted certificate
    (20 ms here), and the bot would otherwise build one for each pool and each httpx client."""
    return httpx.create_ssl_context()


def connection_pools(count: int) -> tuple[httpcore.AsyncConnectionPool, ...]:
    """`count` pools of one connection each, kept alive as long as httpx keeps its own."""
    limits = httpx.Limits(max_connections=1)
    return tuple(
        httpcore.AsyncConnectionPool(
            ssl_context=tls_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=SocketKeepingBackend(),
        )
        for _ in range(count)
    )


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
