"""The price a perpetual trades at now: each venue's public mark price, index and funding.

Fetched in the bot process with httpx (never ccxt, which the bot must not load), from the
venues' documented public endpoints:
- Binance USDⓈ-M `GET /fapi/v1/premiumIndex?symbol=` (markPrice, indexPrice, lastFundingRate,
  nextFundingTime, time) and COIN-M `GET /dapi/v1/premiumIndex?symbol=` (the same, in a list),
  the latter from its own host (`RISKBOT_BINANCE_COINM_URL`, default dapi.binance.com);
- Bybit `GET /v5/market/tickers?category=linear|inverse&symbol=` (markPrice, indexPrice,
  fundingRate, nextFundingTime; the envelope's `time`);
- OKX `GET /api/v5/public/mark-price?instType=SWAP&instId=` (markPx, ts), with
  `/api/v5/public/funding-rate?instId=` (fundingRate, fundingTime: when that rate is settled)
  and `/api/v5/market/index-tickers?instId=BTC-USDT` (idxPx); the mark alone is required.

A price is cached per venue and symbol for at most `max_age` seconds (10 by default): a cached
price is never older than that, and when no fresh one can be had the caller gets
`PriceUnavailable`, which carries the last known price with its own time, never a silent stale
one. Liquidation is triggered by the mark price, not the last trade.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from chatbot.engine.models import Frozen
from chatbot.markets.feeds import FEEDS
from chatbot.markets.settings import MarketSettings

MAX_AGE = 10.0
TIMEOUT = 2.0


def _from_millis(value: Any) -> Any:
    """The venues stamp times in Unix milliseconds, as numbers or strings."""
    if isinstance(value, int | str) and str(value).isdigit():
        return datetime.fromtimestamp(int(value) / 1000, UTC)
    return value


def _blank_is_none(value: Any) -> Any:
    """An empty string is how the venues say "no figure" (OKX, Bybit)."""
    return None if value == "" else value


Millis = Annotated[datetime, BeforeValidator(_from_millis)]
Figure = Annotated[Decimal | None, BeforeValidator(_blank_is_none)]


class MarkPrice(Frozen):
    """A venue's mark price of one perpetual; `at` is the venue's own time stamp of it."""

    venue: str
    symbol: str
    mark: Decimal
    index: Decimal | None
    funding_rate: Decimal | None
    next_funding_time: datetime | None
    at: datetime
    source: str


class PriceUnavailable(Exception):
    """No fresh mark price; `last` is the last one known (with its time), if any."""

    def __init__(self, venue: str, symbol: str, reason: str, last: MarkPrice | None = None):
        super().__init__(f"{venue} {symbol}: {reason}")
        self.venue = venue
        self.symbol = symbol
        self.reason = reason
        self.last = last


class _Answer(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)


class _BinancePremium(_Answer):
    mark: Decimal = Field(alias="markPrice")
    index: Figure = Field(alias="indexPrice")
    funding_rate: Figure = Field(alias="lastFundingRate")
    next_funding_time: Millis | None = Field(alias="nextFundingTime")
    at: Millis = Field(alias="time")


class _BybitTicker(_Answer):
    mark: Decimal = Field(alias="markPrice")
    index: Figure = Field(alias="indexPrice")
    funding_rate: Figure = Field(alias="fundingRate")
    next_funding_time: Millis | None = Field(alias="nextFundingTime")


class _BybitResult(_Answer):
    tickers: list[_BybitTicker] = Field(default=[], alias="list")


class _BybitTickers(_Answer):
    code: int = Field(alias="retCode")
    message: str = Field(alias="retMsg")
    at: Millis = Field(alias="time")
    result: _BybitResult


class _OkxMark(_Answer):
    mark: Decimal = Field(alias="markPx")
    at: Millis = Field(alias="ts")


class _OkxFunding(_Answer):
    funding_rate: Figure = Field(alias="fundingRate")
    next_funding_time: Millis | None = Field(alias="fundingTime")


class _OkxIndex(_Answer):
    index: Figure = Field(alias="idxPx")


class _OkxEnvelope(_Answer):
    code: str
    message: str = Field(default="", alias="msg")
    data: list[dict[str, Any]] = []


AnswerT = TypeVar("AnswerT", bound=_Answer)


class _Failed(Exception):
    """Why one request gave no price, worded for the member-facing reply."""


class MarkPrices:
    """Mark prices with a short cache; share one per bot and close it at shutdown.

    `clock` is monotonic seconds, injected so tests control expiry without sleeping.
    """

    def __init__(
        self,
        settings: MarketSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_age: float = MAX_AGE,
        timeout: float = TIMEOUT,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self._settings = settings
        self._clock = clock
        self._max_age = max_age
        self._timeout = timeout
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self._cache: dict[tuple[str, str], tuple[float, MarkPrice]] = {}
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}

    async def aclose(self) -> None:
        await self._client.aclose()

    def known(self) -> list[MarkPrice]:
        """Every price fetched so far, however old: references for reading typed numbers and
        judging whether a typed price is plausible, never an entry."""
        return [price for _, price in self._cache.values()]

    async def get(self, venue: str, symbol: str) -> MarkPrice:
        """The venue's mark price of `symbol`, at most `max_age` seconds old."""
        key = (venue, symbol)
        async with self._locks.setdefault(key, asyncio.Lock()):
            cached = self._cache.get(key)
            if cached is not None and self._clock() - cached[0] < self._max_age:
                return cached[1]
            last = cached[1] if cached is not None else None
            try:
                price = await self._fetch(venue, symbol)
            except _Failed as failure:
                raise PriceUnavailable(venue, symbol, str(failure), last) from None
            self._cache[key] = (self._clock(), price)
            return price

    async def _fetch(self, venue: str, symbol: str) -> MarkPrice:
        if venue in ("binance", "binance_coinm"):
            return await self._binance(venue, symbol)
        if venue in ("bybit", "bybit_inverse"):
            return await self._bybit(venue, symbol)
        if venue == "okx":
            return await self._okx(symbol)
        raise _Failed(f"{venue} publishes no mark price here")

    async def _json(self, base: str, path: str, params: dict[str, str]) -> Any:
        url = base.rstrip("/") + path
        try:
            response = await self._client.get(url, params=params, timeout=self._timeout)
        except httpx.TimeoutException:
            raise _Failed(f"no answer from {_host(base)} within {self._timeout:g} s") from None
        except httpx.HTTPError as error:
            raise _Failed(f"{_host(base)} unreachable ({type(error).__name__})") from None
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if response.status_code != 200:
            said = payload.get("msg") if isinstance(payload, dict) else None
            detail = f": {said}" if isinstance(said, str) and said else ""
            raise _Failed(f"{_host(base)} answered HTTP {response.status_code}{detail}")
        if payload is None:
            raise _Failed(f"{_host(base)} answered with no JSON")
        return payload

    def _named(self, venue: str, symbol: str, path: str, base: str) -> dict[str, str]:
        """Venue, symbol and where the price came from, for the reply to name."""
        source = f"{FEEDS[venue].name} mark price, GET {path} at {_host(base)}"
        return {"venue": venue, "symbol": symbol, "source": source}

    async def _binance(self, venue: str, symbol: str) -> MarkPrice:
        coinm = venue == "binance_coinm"
        base = self._settings.base("binance_coinm_url" if coinm else "binance_url")
        path = "/dapi/v1/premiumIndex" if coinm else "/fapi/v1/premiumIndex"
        payload = await self._json(base, path, {"symbol": symbol})
        if coinm:
            payload = payload[0] if isinstance(payload, list) and payload else None
        premium = _read(_BinancePremium, payload, base).model_dump()
        return MarkPrice.model_validate({**self._named(venue, symbol, path, base), **premium})

    async def _bybit(self, venue: str, symbol: str) -> MarkPrice:
        base, path = self._settings.base("bybit_url"), "/v5/market/tickers"
        category = "inverse" if venue == "bybit_inverse" else "linear"
        payload = await self._json(base, path, {"category": category, "symbol": symbol})
        answer = _read(_BybitTickers, payload, base)
        if answer.code != 0 or not answer.result.tickers:
            raise _Failed(f"Bybit: {answer.message or 'no ticker'}")
        ticker = answer.result.tickers[0].model_dump()
        return MarkPrice.model_validate(
            {**self._named(venue, symbol, path, base), "at": answer.at, **ticker}
        )

    async def _okx(self, symbol: str) -> MarkPrice:
        base = self._settings.base("okx_url")
        family = symbol.removesuffix("-SWAP")
        mark_path = "/api/v5/public/mark-price"
        answers: tuple[dict[str, Any] | BaseException, ...] = await asyncio.gather(
            self._okx_data(base, mark_path, {"instType": "SWAP", "instId": symbol}),
            self._okx_data(base, "/api/v5/public/funding-rate", {"instId": symbol}),
            self._okx_data(base, "/api/v5/market/index-tickers", {"instId": family}),
            return_exceptions=True,
        )
        if isinstance(answers[0], BaseException):
            raise answers[0]
        # Funding and index only complete the price; without them the mark still serves.
        figures: dict[str, Any] = {"index": None, "funding_rate": None, "next_funding_time": None}
        models: tuple[type[_Answer], ...] = (_OkxMark, _OkxFunding, _OkxIndex)
        for model, data in zip(models, answers, strict=True):
            if not isinstance(data, BaseException):
                figures.update(_read(model, data, base).model_dump())
        return MarkPrice.model_validate({**self._named("okx", symbol, mark_path, base), **figures})

    async def _okx_data(self, base: str, path: str, params: dict[str, str]) -> dict[str, Any]:
        envelope = _read(_OkxEnvelope, await self._json(base, path, params), base)
        if envelope.code != "0" or not envelope.data:
            raise _Failed(f"OKX: {envelope.message or 'no data'}")
        return envelope.data[0]


def _read(model: type[AnswerT], payload: Any, base: str) -> AnswerT:
    try:
        return model.model_validate(payload)
    except ValidationError:
        raise _Failed(f"{_host(base)} answered in an unexpected format") from None


def _host(base: str) -> str:
    return urlsplit(base).netloc or base
