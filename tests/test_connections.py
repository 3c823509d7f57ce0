"""The pool finds a connection the server closed without asking AnyIO for its socket each time."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager

import httpcore
import pytest
from httpcore._backends.anyio import AnyIOStream

from chatbot.bot.connections import SocketKeepingStream, readable
from chatbot.bot.sending import BoundedRequest
from tests.plain_http import http_server


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
    async with http_server() as served:
        with anyio_lookups(monkeypatch) as asked:
            for _ in range(2):
                assert await request.do_request(served.url, "POST") == (200, b"{}")
            after_two = list(asked)
            for _ in range(10):
                assert await request.do_request(served.url, "POST") == (200, b"{}")
        await request.shutdown()
        seen = await served.next_events(14)
    assert after_two.count("socket") == 1
    assert asked == after_two
    assert seen == ["connected", *["answered"] * 12, "closed"]


async def test_a_connection_the_server_closed_is_not_reused() -> None:
    """A server that hangs up after each answer: every request finds the old connection closed
    and opens a new one, instead of failing on the dead one."""
    request = BoundedRequest()
    async with http_server(hang_up=True) as served:
        for _ in range(3):
            assert await request.do_request(served.url, "POST") == (200, b"{}")
            assert await served.next_events(3) == ["connected", "answered", "closed"]
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
