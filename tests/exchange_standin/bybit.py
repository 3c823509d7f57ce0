"""Bybit v5 answers (/v5/market/…) in Bybit's own envelope: retCode, retMsg, result, time.

Shapes follow ccxt's recorded Bybit markets (github.com/ccxt/ccxt@1f8d53ec
ts/src/test/static/markets/bybit.json, `info` being the raw instruments-info entry) and Bybit's
v5 API pages "Get Instruments Info", "Get Tickers" and "Get Risk Limit" (cursor pagination
through `nextPageCursor`, empty when there is no next page).
"""

from __future__ import annotations

from typing import Any

from .listings import Listing

JSON = Any
CATEGORY = {"bybit": "linear", "bybit_inverse": "inverse"}


def envelope(result: JSON, server_time: int, code: int = 0, message: str = "OK") -> JSON:
    return {
        "retCode": code,
        "retMsg": message,
        "result": result,
        "retExtInfo": {},
        "time": server_time,
    }


def not_supported(server_time: int) -> JSON:
    return envelope({}, server_time, 10001, "Not supported symbols")


def _instrument(listing: Listing) -> JSON:
    linear = listing.venue == "bybit"
    return {
        "symbol": listing.symbol,
        "contractType": "LinearPerpetual" if linear else "InversePerpetual",
        "status": "Trading" if listing.trading else "Closed",
        "baseCoin": listing.base,
        "quoteCoin": listing.quote,
        "launchTime": "1584230400000",
        "deliveryTime": "0",
        "deliveryFeeRate": "",
        "priceScale": "2",
        "leverageFilter": {
            "minLeverage": "1",
            "maxLeverage": f"{float(listing.max_leverage):.2f}",
            "leverageStep": "0.01",
        },
        "priceFilter": {
            "minPrice": listing.tick,
            "maxPrice": "1999999.80",
            "tickSize": listing.tick,
        },
        "lotSizeFilter": {
            "maxOrderQty": "1190.000",
            "minOrderQty": listing.min_qty,
            "qtyStep": listing.step,
            "postOnlyMaxOrderQty": "1190.000",
            "maxMktOrderQty": "119.000",
            "minNotionalValue": listing.min_notional,
        },
        "unifiedMarginTrade": True,
        "fundingInterval": 480,
        "settleCoin": listing.quote if linear else listing.base,
        "copyTrading": "both",
        "upperFundingRate": "0.005",
        "lowerFundingRate": "-0.005",
        "isPreListing": False,
        "preListingInfo": None,
        "displayName": "",
    }


def instruments(listings: list[Listing], query: dict[str, str], server_time: int) -> JSON:
    """The category's instruments; none in status PreLaunch (ccxt asks for those apart)."""
    category = query.get("category")
    chosen = [
        _instrument(listing)
        for listing in listings
        if CATEGORY.get(listing.venue) == category and query.get("status") != "PreLaunch"
    ]
    result = {"category": category, "list": chosen, "nextPageCursor": ""}
    return envelope(result, server_time)


def tickers(listing: Listing, server_time: int) -> JSON:
    ticker = {
        "symbol": listing.symbol,
        "lastPrice": listing.mark,
        "indexPrice": listing.index,
        "markPrice": listing.mark,
        "prevPrice24h": listing.mark,
        "price24hPcnt": "0.008047",
        "highPrice24h": listing.mark,
        "lowPrice24h": listing.mark,
        "openInterest": "373504107",
        "openInterestValue": "22505.67",
        "turnover24h": "2352.94950046",
        "volume24h": "49337318",
        "fundingRate": listing.funding_rate,
        "nextFundingTime": str(listing.next_funding_time),
        "predictedDeliveryPrice": "",
        "basisRate": "",
        "deliveryFeeRate": "",
        "deliveryTime": "0",
        "bid1Price": listing.mark,
        "bid1Size": "1",
        "ask1Price": listing.mark,
        "ask1Size": "1",
        "basis": "",
    }
    category = CATEGORY[listing.venue]
    return envelope({"category": category, "list": [ticker]}, server_time)


def risk_limits(
    listings: list[Listing], query: dict[str, str], server_time: int, page_size: int
) -> JSON:
    """Every tier of the category, `page_size` symbols a page, the cursor an opaque offset."""
    category = query.get("category")
    chosen = [
        listing
        for listing in listings
        if CATEGORY.get(listing.venue) == category and listing.trading
    ]
    start = int(query.get("cursor") or 0)
    page = chosen[start : start + page_size]
    rows = []
    for listing in page:
        for number, bracket in enumerate(listing.brackets, start=1):
            rows.append(
                {
                    "id": number,
                    "symbol": listing.symbol,
                    "riskLimitValue": bracket.cap,
                    "maintenanceMargin": bracket.mmr,
                    "initialMargin": str(1 / float(bracket.max_leverage)),
                    "isLowestRisk": 1 if number == 1 else 0,
                    "maxLeverage": bracket.max_leverage,
                    "mmDeduction": "" if bracket.cum == "0" else bracket.cum,
                }
            )
    following = start + page_size
    cursor = str(following) if following < len(chosen) else ""
    return envelope({"category": category, "list": rows, "nextPageCursor": cursor}, server_time)
