"""Binance USDⓈ-M (/fapi) and COIN-M (/dapi) answers in Binance's own formats.

Shapes follow ccxt's recorded Binance markets (github.com/ccxt/ccxt@0dca8ac0
ts/src/test/static/markets/binance.json, whose `info` is the raw exchangeInfo entry) and
Binance's API pages: "Exchange Information", "Mark Price" (premiumIndex: an object for one
USDⓈ-M symbol, a list on COIN-M), "Notional and Leverage Brackets" (USDⓈ-M: notionalFloor /
notionalCap; COIN-M v2: qtyFloor / qtyCap), all signed requests carrying X-MBX-APIKEY.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from .listings import Listing

JSON = Any
PERPETUAL_DELIVERY = "4133404800000"
INVALID_SYMBOL = (400, {"code": -1121, "msg": "Invalid symbol."})


def _filters(listing: Listing) -> list[dict[str, str]]:
    filters = [
        {
            "filterType": "PRICE_FILTER",
            "minPrice": listing.tick,
            "maxPrice": "4529764",
            "tickSize": listing.tick,
        },
        {
            "filterType": "LOT_SIZE",
            "stepSize": listing.step,
            "minQty": listing.min_qty,
            "maxQty": "1000",
        },
        {
            "filterType": "MARKET_LOT_SIZE",
            "stepSize": listing.step,
            "minQty": listing.min_qty,
            "maxQty": "120",
        },
        {"filterType": "MAX_NUM_ORDERS", "limit": "200"},
        {
            "filterType": "PERCENT_PRICE",
            "multiplierUp": "1.0500",
            "multiplierDown": "0.9500",
            "multiplierDecimal": "4",
        },
    ]
    if listing.venue == "binance":
        filters.append({"filterType": "MIN_NOTIONAL", "notional": listing.min_notional})
    return filters


def _symbol(listing: Listing, contract_type: str = "PERPETUAL") -> JSON:
    coinm = listing.venue == "binance_coinm"
    entry: dict[str, Any] = {
        "symbol": listing.symbol,
        "pair": listing.base + listing.quote,
        "contractType": contract_type,
        "deliveryDate": PERPETUAL_DELIVERY if contract_type == "PERPETUAL" else "1743148800000",
        "onboardDate": "1569398400000",
        ("contractStatus" if coinm else "status"): "TRADING" if listing.trading else "SETTLING",
        "maintMarginPercent": "2.5000",
        "requiredMarginPercent": "5.0000",
        "baseAsset": listing.base,
        "quoteAsset": listing.quote,
        "marginAsset": listing.base if coinm else listing.quote,
        "pricePrecision": "2",
        "quantityPrecision": "3",
        "baseAssetPrecision": "8",
        "quotePrecision": "8",
        "underlyingType": "COIN",
        "underlyingSubType": ["PoW"],
        "triggerProtect": "0.0500",
        "liquidationFee": "0.012500",
        "marketTakeBound": "0.05",
        "filters": _filters(listing),
        "orderTypes": ["LIMIT", "MARKET", "STOP", "STOP_MARKET"],
        "timeInForce": ["GTC", "IOC", "FOK", "GTX"],
    }
    if coinm:
        entry["contractSize"] = listing.contract_size
    return entry


def exchange_info(listings: list[Listing], venue: str, server_time: int) -> JSON:
    """Every symbol of the venue, plus a quarterly future and (USDⓈ-M) a USDC perpetual,
    which a refresh must leave out."""
    own = [listing for listing in listings if listing.venue == venue]
    symbols = [_symbol(listing) for listing in own]
    if own:
        first = own[0]
        quarterly = Listing(**{**first.__dict__, "symbol": first.symbol + "_250328"})
        symbols.append(_symbol(quarterly, "CURRENT_QUARTER"))
        if venue == "binance":
            usdc = Listing(**{**first.__dict__, "symbol": first.base + "USDC", "quote": "USDC"})
            symbols.append(_symbol(usdc))
    return {
        "timezone": "UTC",
        "serverTime": server_time,
        "futuresType": "COIN_MARGINED" if venue == "binance_coinm" else "U_MARGINED",
        "rateLimits": [
            {
                "rateLimitType": "REQUEST_WEIGHT",
                "interval": "MINUTE",
                "intervalNum": 1,
                "limit": 2400,
            },
        ],
        "exchangeFilters": [],
        "assets": [],
        "symbols": symbols,
    }


def premium_index(listing: Listing, server_time: int) -> JSON:
    entry = {
        "symbol": listing.symbol,
        "markPrice": listing.mark,
        "indexPrice": listing.index,
        "estimatedSettlePrice": listing.index,
        "lastFundingRate": listing.funding_rate,
        "interestRate": "0.00010000",
        "nextFundingTime": listing.next_funding_time,
        "time": server_time,
    }
    if listing.venue == "binance_coinm":
        return [{**entry, "pair": listing.base + listing.quote}]
    return entry


def brackets(listings: list[Listing], venue: str) -> JSON:
    coinm = venue == "binance_coinm"
    floor_key, cap_key = ("qtyFloor", "qtyCap") if coinm else ("notionalFloor", "notionalCap")
    answer = []
    for listing in listings:
        if listing.venue != venue or not listing.trading:
            continue
        rows, floor = [], 0.0
        for number, bracket in enumerate(listing.brackets, start=1):
            rows.append(
                {
                    "bracket": number,
                    "initialLeverage": int(float(bracket.max_leverage)),
                    cap_key: float(bracket.cap),
                    floor_key: floor,
                    "maintMarginRatio": float(bracket.mmr),
                    "cum": float(bracket.cum),
                }
            )
            floor = float(bracket.cap)
        answer.append({"symbol": listing.symbol, "brackets": rows})
    return answer


def signed(raw_query: str, api_key: str | None, key: str, secret: str) -> bool:
    """Binance's SIGNED rule: the key in X-MBX-APIKEY, and `signature` last in the query, the
    HMAC-SHA256 by the secret of everything before it."""
    payload, marker, signature = raw_query.rpartition("&signature=")
    if api_key != key or not marker or "timestamp=" not in payload:
        return False
    expected = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)
