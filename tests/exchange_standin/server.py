"""`ExchangeStandIn`: Binance, Bybit and OKX public REST APIs on 127.0.0.1, for tests.

One tornado server inside the test's event loop answers every venue's paths (they do not
collide), so the refresh child process and the bot's mark-price client are both pointed at
`standin.url` through RISKBOT_BINANCE_URL, RISKBOT_BINANCE_COINM_URL, RISKBOT_BYBIT_URL and
RISKBOT_OKX_URL. Tests program it: list or delist contracts, fail or hang a path, count hits.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

import tornado.httpserver
import tornado.netutil
import tornado.web

from . import binance, bybit, okx
from .listings import Listing, default_listings

JSON = Any
Answer = tuple[int, JSON]
DEFAULT_KEY = "stand-in-key"
DEFAULT_SECRET = "stand-in-secret"
NOW_MS = 1_700_000_000_000  # 2023-11-14T22:13:20Z


@dataclass
class Hit:
    """One request as the stand-in saw it."""

    path: str
    query: dict[str, str]
    api_key: str | None


@dataclass
class _Fault:
    path: str
    kind: str
    status: int
    remaining: int | None

    def take(self, path: str) -> bool:
        if path != self.path or self.remaining == 0:
            return False
        if self.remaining is not None:
            self.remaining -= 1
        return True


@dataclass
class ExchangeStandIn:
    """The venues' REST APIs for one test: `async with ExchangeStandIn() as exchange:`."""

    listings: list[Listing] = field(default_factory=default_listings)
    binance_key: str = DEFAULT_KEY
    binance_secret: str = DEFAULT_SECRET
    now_ms: int = NOW_MS
    risk_limit_page_size: int = 100
    hits: list[Hit] = field(default_factory=list)
    _faults: list[_Fault] = field(default_factory=list)
    _released: asyncio.Event = field(default_factory=asyncio.Event)
    _server: tornado.httpserver.HTTPServer | None = None
    _port: int = 0

    async def __aenter__(self) -> Self:
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1", family=socket.AF_INET)
        self._port = sockets[0].getsockname()[1]
        app = tornado.web.Application([(r"(/.*)", _Handler, {"standin": self})])
        self._server = tornado.httpserver.HTTPServer(app)
        self._server.add_sockets(sockets)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._released.set()
        assert self._server is not None
        self._server.stop()
        await self._server.close_all_connections()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    def settings(self) -> dict[str, str]:
        """MarketSettings fields that point riskbot's refresh and mark prices here."""
        names = ("binance_url", "binance_coinm_url", "bybit_url", "okx_url")
        return {name: self.url for name in names}

    def environment(self) -> dict[str, str]:
        """The settings that point riskbot's refresh and mark prices here."""
        return {
            name: self.url
            for name in (
                "RISKBOT_BINANCE_URL",
                "RISKBOT_BINANCE_COINM_URL",
                "RISKBOT_BYBIT_URL",
                "RISKBOT_OKX_URL",
            )
        }

    # ------------------------------------------------------------ programming

    def listing(self, venue: str, symbol: str) -> Listing:
        return next(item for item in self.listings if (item.venue, item.symbol) == (venue, symbol))

    def delist(self, venue: str, symbol: str) -> None:
        """The venue stops listing the contract: it vanishes from every answer."""
        self.listings.remove(self.listing(venue, symbol))

    def fail(self, path: str, status: int = 500, times: int | None = None) -> None:
        """Answer `path` with `status` (every time, or the next `times` times)."""
        self._faults.append(_Fault(path, "fail", status, times))

    def hang(self, path: str, times: int | None = None) -> None:
        """Never answer `path` while the stand-in runs, as a venue that stopped responding."""
        self._faults.append(_Fault(path, "hang", 0, times))

    def count(self, path: str) -> int:
        return sum(hit.path == path for hit in self.hits)

    # ------------------------------------------------------------- answering

    def answer(self, path: str, query: dict[str, str], raw: str, api_key: str | None) -> Answer:
        route = _ROUTES.get(path)
        if route is None:
            return 404, {"code": -1, "msg": f"stand-in has no {path}"}
        return route(self, query, raw, api_key)

    def find(self, venues: tuple[str, ...], symbol: str | None) -> Listing | None:
        return next(
            (item for item in self.listings if item.venue in venues and item.symbol == symbol),
            None,
        )


class _Handler(tornado.web.RequestHandler):
    def initialize(self, standin: ExchangeStandIn) -> None:
        self.standin = standin

    def compute_etag(self) -> None:
        return None

    async def get(self, path: str) -> None:
        standin = self.standin
        query = {name: values[-1].decode() for name, values in self.request.query_arguments.items()}
        api_key = self.request.headers.get("X-MBX-APIKEY")
        standin.hits.append(Hit(path, query, api_key))
        fault = next((fault for fault in standin._faults if fault.take(path)), None)
        if fault is not None and fault.kind == "hang":
            await standin._released.wait()
            self.request.connection.close()  # type: ignore[union-attr]
            return
        if fault is not None:  # as a venue's gateway fails: a status and an HTML page
            self.set_status(fault.status)
            self.set_header("Content-Type", "text/html")
            self.finish(f"<html><body><h1>{fault.status}</h1></body></html>")
            return
        status, payload = standin.answer(path, query, self.request.query, api_key)
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload))


def _binance_info(venue: str) -> Callable[[ExchangeStandIn, dict[str, str], str, Any], Answer]:
    def route(standin: ExchangeStandIn, query: dict[str, str], raw: str, key: Any) -> Answer:
        return 200, binance.exchange_info(standin.listings, venue, standin.now_ms)

    return route


def _binance_premium(venue: str) -> Callable[[ExchangeStandIn, dict[str, str], str, Any], Answer]:
    def route(standin: ExchangeStandIn, query: dict[str, str], raw: str, key: Any) -> Answer:
        listing = standin.find((venue,), query.get("symbol"))
        if listing is None:
            return binance.INVALID_SYMBOL
        return 200, binance.premium_index(listing, standin.now_ms)

    return route


def _binance_brackets(venue: str) -> Callable[[ExchangeStandIn, dict[str, str], str, Any], Answer]:
    def route(standin: ExchangeStandIn, query: dict[str, str], raw: str, key: Any) -> Answer:
        if not binance.signed(raw, key, standin.binance_key, standin.binance_secret):
            return 401, {"code": -2015, "msg": "Invalid API-key, IP, or permissions for action."}
        return 200, binance.brackets(standin.listings, venue)

    return route


def _time(standin: ExchangeStandIn, query: dict[str, str], raw: str, key: Any) -> Answer:
    return 200, {"serverTime": standin.now_ms}


def _bybit_instruments(s: ExchangeStandIn, q: dict[str, str], raw: str, key: Any) -> Answer:
    return 200, bybit.instruments(s.listings, q, s.now_ms)


def _bybit_tickers(s: ExchangeStandIn, q: dict[str, str], raw: str, key: Any) -> Answer:
    venue = {"linear": "bybit", "inverse": "bybit_inverse"}.get(q.get("category", ""), "")
    listing = s.find((venue,), q.get("symbol"))
    if listing is None:
        return 200, bybit.not_supported(s.now_ms)
    return 200, bybit.tickers(listing, s.now_ms)


def _bybit_risk(s: ExchangeStandIn, q: dict[str, str], raw: str, key: Any) -> Answer:
    return 200, bybit.risk_limits(s.listings, q, s.now_ms, s.risk_limit_page_size)


def _bybit_time(s: ExchangeStandIn, q: dict[str, str], raw: str, key: Any) -> Answer:
    seconds = str(s.now_ms // 1000)
    return 200, bybit.envelope({"timeSecond": seconds, "timeNano": seconds + "0" * 9}, s.now_ms)


def _okx_instruments(s: ExchangeStandIn, q: dict[str, str], raw: str, key: Any) -> Answer:
    return 200, okx.instruments(s.listings, q)


def _okx_one(
    render: Callable[[Listing, int], JSON],
) -> Callable[[ExchangeStandIn, dict[str, str], str, Any], Answer]:
    def route(s: ExchangeStandIn, q: dict[str, str], raw: str, key: Any) -> Answer:
        listing = s.find(("okx",), q.get("instId"))
        return (200, okx.NO_INSTRUMENT) if listing is None else (200, render(listing, s.now_ms))

    return route


def _okx_index(s: ExchangeStandIn, q: dict[str, str], raw: str, key: Any) -> Answer:
    listing = next(
        (
            item
            for item in s.listings
            if item.venue == "okx" and okx.family(item) == q.get("instId")
        ),
        None,
    )
    return (
        (200, okx.NO_INSTRUMENT) if listing is None else (200, okx.index_ticker(listing, s.now_ms))
    )


def _okx_tiers(s: ExchangeStandIn, q: dict[str, str], raw: str, key: Any) -> Answer:
    wanted = q.get("instFamily") or q.get("uly")
    listing = next(
        (item for item in s.listings if item.venue == "okx" and okx.family(item) == wanted),
        None,
    )
    return (200, okx.NO_INSTRUMENT) if listing is None else (200, okx.position_tiers(listing))


def _okx_time(s: ExchangeStandIn, q: dict[str, str], raw: str, key: Any) -> Answer:
    return 200, okx.envelope([{"ts": str(s.now_ms)}])


_ROUTES: dict[str, Callable[[ExchangeStandIn, dict[str, str], str, Any], Answer]] = {
    "/fapi/v1/exchangeInfo": _binance_info("binance"),
    "/fapi/v1/premiumIndex": _binance_premium("binance"),
    "/fapi/v1/leverageBracket": _binance_brackets("binance"),
    "/fapi/v1/time": _time,
    "/dapi/v1/exchangeInfo": _binance_info("binance_coinm"),
    "/dapi/v1/premiumIndex": _binance_premium("binance_coinm"),
    "/dapi/v2/leverageBracket": _binance_brackets("binance_coinm"),
    "/dapi/v1/time": _time,
    "/v5/market/instruments-info": _bybit_instruments,
    "/v5/market/tickers": _bybit_tickers,
    "/v5/market/risk-limit": _bybit_risk,
    "/v5/market/time": _bybit_time,
    "/api/v5/public/instruments": _okx_instruments,
    "/api/v5/public/mark-price": _okx_one(okx.mark_price),
    "/api/v5/public/funding-rate": _okx_one(okx.funding_rate),
    "/api/v5/market/index-tickers": _okx_index,
    "/api/v5/public/position-tiers": _okx_tiers,
    "/api/v5/public/time": _okx_time,
}
