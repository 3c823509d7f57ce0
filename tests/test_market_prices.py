"""Mark prices from the venues' public endpoints (the stand-in exchange on loopback), with a
cache of at most ten seconds whose clock the test holds."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from chatbot.markets.prices import MarkPrice, MarkPrices, PriceUnavailable
from chatbot.markets.settings import MarketSettings
from tests.exchange_standin import NOW_MS, ExchangeStandIn

STAMP = datetime.fromtimestamp(NOW_MS / 1000, UTC)  # the stand-in's server time
NEXT_FUNDING = datetime.fromtimestamp(1_700_006_400, UTC)


class Clock:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def exchange() -> AsyncIterator[ExchangeStandIn]:
    async with ExchangeStandIn() as server:
        yield server


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def prices(exchange: ExchangeStandIn, clock: Clock) -> AsyncIterator[MarkPrices]:
    settings = MarketSettings.model_validate(exchange.settings())
    book = MarkPrices(settings, clock=clock, timeout=0.5)
    yield book
    await book.aclose()


async def test_binance_mark_price_of_the_worked_example(
    exchange: ExchangeStandIn, prices: MarkPrices
) -> None:
    """premiumIndex answering 72000.00 gives the worked example's entry, with index, funding
    and the venue's own time stamp."""
    btc = exchange.listing("binance", "BTCUSDT")
    btc.mark, btc.index, btc.funding_rate = "72000.00", "71990.50", "0.00038246"
    price = await prices.get("binance", "BTCUSDT")
    assert price == MarkPrice(
        venue="binance",
        symbol="BTCUSDT",
        mark=Decimal("72000.00"),
        index=Decimal("71990.50"),
        funding_rate=Decimal("0.00038246"),
        next_funding_time=NEXT_FUNDING,
        at=STAMP,
        source=f"Binance USDⓈ-M mark price, GET /fapi/v1/premiumIndex at {exchange.url[7:]}",
    )


async def test_binance_coinm_answers_a_list(exchange: ExchangeStandIn, prices: MarkPrices) -> None:
    """COIN-M's premiumIndex is a list, served from its own host setting."""
    exchange.listing("binance_coinm", "BTCUSD_PERP").mark = "71888.8"
    price = await prices.get("binance_coinm", "BTCUSD_PERP")
    assert (price.mark, price.at) == (Decimal("71888.8"), STAMP)
    assert exchange.count("/dapi/v1/premiumIndex") == 1


@pytest.mark.parametrize(("venue", "symbol"), [("bybit", "BTCUSDT"), ("bybit_inverse", "BTCUSD")])
async def test_bybit_tickers(
    exchange: ExchangeStandIn, prices: MarkPrices, venue: str, symbol: str
) -> None:
    """Bybit's ticker of the right category: mark, index, funding and its next time."""
    listing = exchange.listing(venue, symbol)
    listing.mark, listing.index, listing.funding_rate = "72013.40", "72010.00", "-0.000103"
    price = await prices.get(venue, symbol)
    assert (price.mark, price.index, price.funding_rate) == (
        Decimal("72013.40"),
        Decimal("72010.00"),
        Decimal("-0.000103"),
    )
    assert (price.next_funding_time, price.at) == (NEXT_FUNDING, STAMP)
    category = "inverse" if venue == "bybit_inverse" else "linear"
    assert exchange.hits[-1].query == {"category": category, "symbol": symbol}


async def test_okx_mark_funding_and_index(exchange: ExchangeStandIn, prices: MarkPrices) -> None:
    """OKX: markPx from mark-price, fundingRate and its settlement time from funding-rate,
    idxPx from the BTC-USDT index ticker."""
    btc = exchange.listing("okx", "BTC-USDT-SWAP")
    btc.mark, btc.index, btc.funding_rate = "72001.1", "71999.9", "0.0000792386885340"
    price = await prices.get("okx", "BTC-USDT-SWAP")
    assert (price.mark, price.index, price.funding_rate) == (
        Decimal("72001.1"),
        Decimal("71999.9"),
        Decimal("0.0000792386885340"),
    )
    assert (price.next_funding_time, price.at) == (NEXT_FUNDING, STAMP)
    index_hit = next(hit for hit in exchange.hits if hit.path == "/api/v5/market/index-tickers")
    assert index_hit.query == {"instId": "BTC-USDT"}


async def test_okx_without_funding_still_gives_the_mark(
    exchange: ExchangeStandIn, prices: MarkPrices
) -> None:
    """Funding and index only complete the reply: their failure leaves the mark usable."""
    exchange.fail("/api/v5/public/funding-rate")
    exchange.fail("/api/v5/market/index-tickers")
    price = await prices.get("okx", "BTC-USDT-SWAP")
    assert price.mark == Decimal(100)
    assert (price.funding_rate, price.next_funding_time, price.index) == (None, None, None)


async def test_a_price_is_cached_for_ten_seconds(
    exchange: ExchangeStandIn, prices: MarkPrices, clock: Clock
) -> None:
    """Asked again 9.9 s later: the same answer and no request; at 10 s a new request."""
    first = await prices.get("binance", "BTCUSDT")
    clock.now += 9.9
    exchange.listing("binance", "BTCUSDT").mark = "101"
    assert await prices.get("binance", "BTCUSDT") == first
    assert exchange.count("/fapi/v1/premiumIndex") == 1
    clock.now += 0.1
    assert (await prices.get("binance", "BTCUSDT")).mark == Decimal(101)
    assert exchange.count("/fapi/v1/premiumIndex") == 2


async def test_the_cache_is_per_venue_and_symbol(
    exchange: ExchangeStandIn, prices: MarkPrices
) -> None:
    """Binance BTCUSDT and Bybit BTCUSDT are two prices, each fetched once."""
    await prices.get("binance", "BTCUSDT")
    await prices.get("bybit", "BTCUSDT")
    await prices.get("binance", "BTCUSDT")
    assert exchange.count("/fapi/v1/premiumIndex") == 1
    assert exchange.count("/v5/market/tickers") == 1


async def test_simultaneous_asks_make_one_request(
    exchange: ExchangeStandIn, prices: MarkPrices
) -> None:
    """Twenty members asking at once for the same price cost the venue one request."""
    answers = await asyncio.gather(*(prices.get("binance", "BTCUSDT") for _ in range(20)))
    assert len(set(answers)) == 1
    assert exchange.count("/fapi/v1/premiumIndex") == 1


async def test_a_server_error_is_price_unavailable(
    exchange: ExchangeStandIn, prices: MarkPrices
) -> None:
    """HTTP 500: PriceUnavailable with venue, symbol and the status; no price invented."""
    exchange.fail("/fapi/v1/premiumIndex")
    with pytest.raises(PriceUnavailable) as caught:
        await prices.get("binance", "BTCUSDT")
    error = caught.value
    assert (error.venue, error.symbol, error.last) == ("binance", "BTCUSDT", None)
    assert error.reason == f"{exchange.url[7:]} answered HTTP 500"


async def test_a_venue_that_hangs_is_price_unavailable(
    exchange: ExchangeStandIn, prices: MarkPrices
) -> None:
    """No answer within the time-out: PriceUnavailable saying how long it waited."""
    exchange.hang("/v5/market/tickers")
    with pytest.raises(PriceUnavailable) as caught:
        await prices.get("bybit", "BTCUSDT")
    assert caught.value.reason == f"no answer from {exchange.url[7:]} within 0.5 s"


async def test_an_expired_price_is_never_served_silently(
    exchange: ExchangeStandIn, prices: MarkPrices, clock: Clock
) -> None:
    """Past ten seconds and the venue down: PriceUnavailable, carrying the last price and its
    own time stamp so a reply can say how old it is."""
    first = await prices.get("binance", "BTCUSDT")
    clock.now += 60
    exchange.fail("/fapi/v1/premiumIndex")
    with pytest.raises(PriceUnavailable) as caught:
        await prices.get("binance", "BTCUSDT")
    assert caught.value.last == first
    assert caught.value.last is not None and caught.value.last.at == STAMP


@pytest.mark.parametrize(
    ("venue", "reason"),
    [
        ("binance", "answered HTTP 400: Invalid symbol."),
        ("bybit", "Bybit: Not supported symbols"),
        ("okx", "OKX: Instrument ID does not exist"),
    ],
)
async def test_an_unknown_symbol_gets_the_venues_own_words(
    prices: MarkPrices, venue: str, reason: str
) -> None:
    """Each venue's error for a symbol it does not list is passed on as the reason."""
    with pytest.raises(PriceUnavailable) as caught:
        await prices.get(venue, "NOPEUSDT")
    assert caught.value.reason.endswith(reason)


async def test_cme_has_no_public_mark_price(prices: MarkPrices) -> None:
    """CME futures are not served here: the member is asked for the entry instead."""
    with pytest.raises(PriceUnavailable) as caught:
        await prices.get("cme", "MBT")
    assert caught.value.reason == "cme publishes no mark price here"
