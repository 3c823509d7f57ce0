"""Requests to Telegram beyond the slots wait for one, and all of them get through."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from telegram.request import HTTPXRequest

from chatbot.bot.app import build_application
from chatbot.bot.sending import IN_FLIGHT, BoundedRequest
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
