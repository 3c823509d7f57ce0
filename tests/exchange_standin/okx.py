"""OKX v5 answers (/api/v5/…) in OKX's own envelope: code "0", msg, data.

Shapes follow ccxt's recorded OKX markets (github.com/ccxt/ccxt@3802e1a2
ts/src/test/static/markets/okx.json, `info` being the raw instruments entry) and OKX's v5 API
pages "Get instruments", "Get mark price", "Get funding rate", "Get index tickers" and "Get
position tiers" (sizes in contracts; each tier's minSz one contract above the previous maxSz, as
OKX's "adjust position tiers of perpetual swaps" notices list them).
"""

from __future__ import annotations

from typing import Any

from .listings import Listing

JSON = Any
NO_INSTRUMENT = {"code": "51001", "msg": "Instrument ID does not exist", "data": []}


def envelope(data: list[JSON]) -> JSON:
    return {"code": "0", "msg": "", "data": data}


def family(listing: Listing) -> str:
    return f"{listing.base}-{listing.quote}"


def _instrument(listing: Listing, settle: str | None = None) -> JSON:
    return {
        "alias": "",
        "baseCcy": "",
        "category": "1",
        "ctMult": "1",
        "ctType": "linear" if settle is None else "inverse",
        "ctVal": listing.contract_size,
        "ctValCcy": listing.base if settle is None else "USD",
        "expTime": "",
        "instFamily": family(listing),
        "instId": listing.symbol,
        "instType": "SWAP",
        "lever": listing.max_leverage,
        "listTime": "1611916828000",
        "lotSz": listing.step,
        "maxIcebergSz": "100000000.0000000000000000",
        "maxLmtAmt": "20000000",
        "maxLmtSz": "100000000",
        "maxMktAmt": "",
        "maxMktSz": "12000",
        "maxStopSz": "12000",
        "maxTriggerSz": "100000000.0000000000000000",
        "maxTwapSz": "100000000.0000000000000000",
        "minSz": listing.min_qty,
        "optType": "",
        "quoteCcy": "",
        "ruleType": "normal",
        "settleCcy": settle or listing.quote,
        "state": "live" if listing.trading else "suspend",
        "stk": "",
        "tickSz": listing.tick,
        "uly": family(listing),
    }


def instruments(listings: list[Listing], query: dict[str, str]) -> JSON:
    """The USDT swaps, plus the coin-margined BTC-USD-SWAP that a refresh must leave out."""
    if query.get("instType") != "SWAP":
        return envelope([])
    own = [listing for listing in listings if listing.venue == "okx"]
    data = [_instrument(listing) for listing in own]
    if own:
        inverse = Listing(**{**own[0].__dict__, "symbol": "BTC-USD-SWAP", "quote": "USD"})
        data.append(_instrument(inverse, settle="BTC"))
    return envelope(data)


def mark_price(listing: Listing, server_time: int) -> JSON:
    return envelope(
        [
            {
                "instType": "SWAP",
                "instId": listing.symbol,
                "markPx": listing.mark,
                "ts": str(server_time),
            }
        ]
    )


def funding_rate(listing: Listing, server_time: int) -> JSON:
    return envelope(
        [
            {
                "fundingRate": listing.funding_rate,
                "fundingTime": str(listing.next_funding_time),
                "instId": listing.symbol,
                "instType": "SWAP",
                "method": "current_period",
                "maxFundingRate": "0.00375",
                "minFundingRate": "-0.00375",
                "nextFundingRate": "",
                "nextFundingTime": str(listing.next_funding_time + 8 * 3_600_000),
                "premium": "0.0001",
                "settFundingRate": listing.funding_rate,
                "settState": "settled",
                "ts": str(server_time),
            }
        ]
    )


def index_ticker(listing: Listing, server_time: int) -> JSON:
    return envelope(
        [
            {
                "instId": family(listing),
                "idxPx": listing.index,
                "high24h": listing.index,
                "low24h": listing.index,
                "open24h": listing.index,
                "sodUtc0": listing.index,
                "sodUtc8": listing.index,
                "ts": str(server_time),
            }
        ]
    )


def position_tiers(listing: Listing) -> JSON:
    rows, floor = [], 0
    for number, bracket in enumerate(listing.brackets, start=1):
        rows.append(
            {
                "baseMaxLoan": "",
                "imr": str(1 / float(bracket.max_leverage)),
                "instFamily": family(listing),
                "instId": "",
                "maxLever": bracket.max_leverage,
                "maxSz": bracket.cap,
                "minSz": str(floor),
                "mmr": bracket.mmr,
                "optMgnFactor": "0",
                "quoteMaxLoan": "",
                "tier": str(number),
                "uly": family(listing),
            }
        )
        floor = int(float(bracket.cap)) + 1
    return envelope(rows)
