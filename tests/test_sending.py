"""Requests to Telegram beyond the slots wait for one, and all of them get through; the pool
finds a connection the server closed without asking AnyIO for its socket each time."""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import httpcore
import pytest
from httpcore._backends.anyio import AnyIOStream
from telegram.request import HTTPXRequest

from chatbot.bot.app import build_application
from chatbot.bot.sending import IN_FLIGHT, BoundedRequest, SocketKeepingStream, readable
from tests.conftest import bot_settings
from tests.standin import StandIn


async def test_no_more_than_the_slots_are_in_flight(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten requests through three slots: three reach the transport at once, never a fourth,
    and each one waiting goes out when an earlier one is answered."""
    entered: asyncio.Queue[asyncio.Future[tuple[int, bytes]]] = asyncio.Queue()
    inside = most = 0

    async def transport(self: HTTPXRequest, url: str, method: str, *rest: object) -> object:
        nonlocal inside, most
        inside += 1
        most = max(most, inside)
        answer: asyncio.Future[tuple[int, bytes]] = asyncio.get_running_loop().create_future()
        entered.put_nowait(answer)
        try:
            return await answer
        finally:
            inside -= 1

    monkeypatch.setattr(HTTPXRequest, "do_request", transport)
    request = BoundedRequest(in_flight=3)
    sent = [
        asyncio.create_task(request.do_request(f"https://api/bot/m{n}", "POST")) for n in range(10)
    ]
    for n in range(10):
        (await entered.get()).set_result((200, str(n).encode()))
    answers = await asyncio.gather(*sent)
    assert most == 3
    assert sorted(body for _, body in answers) == sorted(str(n).encode() for n in range(10))


async def test_the_bot_sends_through_the_bounded_transport(api: StandIn, db_path: Path) -> None:
    """Every request but getUpdates goes through the slots, sixteen of them."""
    application = build_application(bot_settings(api, db_path))
    assert isinstance(application.bot.request, BoundedRequest)
    assert IN_FLIGHT == 16


ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"


@asynccontextmanager
async def server(hang_up: bool) -> AsyncIterator[tuple[str, asyncio.Queue[str]]]:
    """An HTTP server answering `{}` to every request; with `hang_up` it closes the connection
    after each answer, as a server does with idle keep-alive connections, without saying so.
    Yields its URL and a queue of "connected", "answered" and "closed" events in order."""
    events: asyncio.Queue[str] = asyncio.Queue()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        events.put_nowait("connected")
        try:
            while True:
                await reader.readuntil(b"\r\n\r\n")
                writer.write(ANSWER)
                await writer.drain()
                events.put_nowait("answered")
                if hang_up:
                    break
        except asyncio.IncompleteReadError:
            pass  # the client closed the connection
        writer.close()
        await writer.wait_closed()
        events.put_nowait("closed")

    listening = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    async with listening:
        yield f"http://127.0.0.1:{port}/bot123:ABC/getMe", events


@contextmanager
def anyio_lookups(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every question a connection puts to AnyIO's stream (httpcore's only way to its socket)."""
    asked: list[str] = []
    real = AnyIOStream.get_extra_info

    def counted(self: AnyIOStream, info: str) -> object:
        asked.append(info)
        return real(self, info)

    monkeypatch.setattr(AnyIOStream, "get_extra_info", counted)
    yield asked


async def test_a_connection_asks_for_its_socket_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Twelve requests one after another on one kept-alive connection: the pool checks it for
    each (is it idle and still open?), and AnyIO is asked as often after twelve as after two."""
    request = BoundedRequest()
    async with server(hang_up=False) as (url, events):
        with anyio_lookups(monkeypatch) as asked:
            for _ in range(2):
                assert await request.do_request(url, "POST") == (200, b"{}")
            after_two = list(asked)
            for _ in range(10):
                assert await request.do_request(url, "POST") == (200, b"{}")
        await request.shutdown()
        seen = [await events.get() for _ in range(14)]
    assert after_two.count("socket") == 1
    assert asked == after_two
    assert seen == ["connected", *["answered"] * 12, "closed"]


async def test_a_connection_the_server_closed_is_not_reused() -> None:
    """A server that hangs up after each answer: every request finds the old connection closed
    and opens a new one, instead of failing on the dead one."""
    request = BoundedRequest()
    async with server(hang_up=True) as (url, events):
        for _ in range(3):
            assert await request.do_request(url, "POST") == (200, b"{}")
            assert [await events.get() for _ in range(3)] == ["connected", "answered", "closed"]
        await request.shutdown()


def test_readable_is_true_for_data_and_for_a_closed_end() -> None:
    """An idle connection is not readable; one with bytes waiting is, one whose peer closed is
    (the read would return the end), and so is a socket already closed here."""
    ours, theirs = socket.socketpair()
    with ours, theirs:
        assert not readable(ours)
        theirs.sendall(b"x")
        assert readable(ours)
        ours.recv(1)
        assert not readable(ours)
        theirs.close()
        assert readable(ours)
    assert readable(ours)


class FakeStream(httpcore.AsyncNetworkStream):
    """A stream on a socket, counting how often it is asked for it; TLS gives another one."""

    def __init__(self, sock: socket.socket | None, tls: socket.socket | None = None) -> None:
        self.sock, self.tls, self.lookups = sock, tls, 0

    def get_extra_info(self, info: str) -> object:
        self.lookups += 1
        return self.sock if info == "socket" else info

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return FakeStream(self.tls)


async def test_tls_gives_a_stream_that_keeps_the_new_socket() -> None:
    """After the TLS handshake the pool holds the stream TLS returned, keeping that one's socket."""
    plain, encrypted, peer = socket.socket(), *socket.socketpair()
    with plain, encrypted, peer:
        stream = SocketKeepingStream(FakeStream(plain, tls=encrypted))
        secured = await stream.start_tls(ssl.create_default_context(), "api.telegram.org")
        assert isinstance(secured, SocketKeepingStream)
        assert secured.get_extra_info("is_readable") is False
        peer.close()
        assert secured.get_extra_info("is_readable") is True


def test_a_stream_without_a_socket_asks_its_own() -> None:
    """A stream that has no socket to give (httpcore's own test streams) answers as before."""
    inner = FakeStream(None)
    stream = SocketKeepingStream(inner)
    assert stream.get_extra_info("is_readable") == "is_readable"
    assert stream.get_extra_info("ssl_object") == "ssl_object"
    assert inner.lookups == 3
