"""Requests to Telegram beyond the slots wait for one, and all of them get through; a request
without files goes straight to the pool, as httpx would have sent it."""

from __future__ import annotations

import asyncio
import socket
import ssl
from pathlib import Path
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from chatbot.bot.app import build_application
from chatbot.bot.connections import tls_context
from chatbot.bot.polling import ConfirmWhenProcessed
from chatbot.bot.sending import IN_FLIGHT, BoundedRequest, GuardedRequest
from tests.conftest import bot_settings
from tests.plain_http import http_server
from tests.standin import StandIn


async def test_no_more_than_the_slots_are_in_flight(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten requests through three slots: three reach the pool at once, never a fourth, and each
    one waiting goes out when an earlier one is answered."""
    entered: asyncio.Queue[asyncio.Future[tuple[int, bytes]]] = asyncio.Queue()
    inside = most = 0

    async def pool(self: GuardedRequest, *request: object) -> object:
        nonlocal inside, most
        inside += 1
        most = max(most, inside)
        answer: asyncio.Future[tuple[int, bytes]] = asyncio.get_running_loop().create_future()
        entered.put_nowait(answer)
        try:
            return await answer
        finally:
            inside -= 1

    monkeypatch.setattr(GuardedRequest, "_send_form", pool)
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


def message() -> RequestData:
    """A sendMessage with what an answer carries: HTML, letters beyond ASCII, a keyboard."""
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Details ▸", callback_data="d:7")]])
    return RequestData(
        [
            RequestParameter.from_input("chat_id", 42),
            RequestParameter.from_input("text", "<b>Größe</b>: 0.0138 BTC & 1 000 $"),
            RequestParameter.from_input("parse_mode", "HTML"),
            RequestParameter.from_input("reply_markup", keyboard),
        ]
    )


def headers(head: bytes) -> dict[bytes, bytes]:
    """A request head's header lines by lower-case name."""
    lines = head.strip().split(b"\r\n")[1:]
    return {name.lower(): value.strip() for name, _, value in (h.partition(b":") for h in lines)}


async def test_a_form_request_is_what_httpx_would_send() -> None:
    """The same sendMessage through python-telegram-bot's own transport and through ours: the
    same request line, body, content type, user agent and host."""
    theirs, ours = HTTPXRequest(), BoundedRequest()
    async with http_server() as served:
        url = served.url + "sendMessage"
        assert await theirs.do_request(url, "POST", message()) == (200, b"{}")
        assert await ours.do_request(url, "POST", message()) == (200, b"{}")
        await theirs.shutdown()
        await ours.shutdown()
    (their_head, their_body), (our_head, our_body) = served.requests
    assert our_body == their_body
    assert our_head.split(b"\r\n")[0] == their_head.split(b"\r\n")[0]
    for name in (b"content-type", b"user-agent", b"host", b"content-length"):
        assert headers(our_head)[name] == headers(their_head)[name]


async def test_an_unanswered_request_times_out() -> None:
    """A server that never answers: the request's own read timeout ends it, as TimedOut."""
    request = BoundedRequest()
    async with http_server(silent=True) as served:
        with pytest.raises(TimedOut):
            await request.do_request(served.url + "getMe", "POST", read_timeout=0.01)
        await request.shutdown()


async def test_a_refused_connection_is_a_network_error() -> None:
    """Nobody listening on the port: python-telegram-bot's NetworkError, naming the cause."""
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    request = BoundedRequest()
    with pytest.raises(NetworkError, match="ConnectError"):
        await request.do_request(f"http://127.0.0.1:{port}/bot123:ABC/getMe", "POST")
    await request.shutdown()


async def test_a_closed_transport_refuses_to_send() -> None:
    """After shutdown a request is a programming error, as with python-telegram-bot's own."""
    request = ConfirmWhenProcessed(asyncio.Queue())
    await request.shutdown()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:9/bot123:ABC/getUpdates", "POST")


async def test_the_bot_builds_one_tls_context(
    api: StandIn, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each TLS context loads every trusted certificate: the bot's two transports, their lanes
    and httpx's clients share one."""
    built = []
    real = ssl.create_default_context

    def counted(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        built.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(ssl, "create_default_context", counted)
    tls_context.cache_clear()
    application = build_application(bot_settings(api, db_path))
    assert isinstance(application.bot.request, BoundedRequest)
    assert len(built) == 1
