"""Write the market snapshots shipped in the package (chatbot/markets/data/<venue>.json).

Run from the repository root with the public files it converts, fetched beforehand:

    git show 3d9514d2:freqtrade/exchange/binance_leverage_tiers.json > tiers.json  # freqtrade
    # ccxt/ccxt ts/src/test/static/markets/{binance,bybit,okx}.json at the commits in SOURCES
    python scripts/build_market_snapshot.py --freqtrade-tiers tiers.json \
        --ccxt-binance binance.json --ccxt-bybit bybit.json --ccxt-okx okx.json

Only facts are taken (brackets, filters, contract sizes), converted to the project's own models
and written with their source, commit and date. The commits and dates below name the files the
shipped snapshot was built from; update them when building from newer files. Figures no dated
public file gives (CME contract specs, Binance COIN-M's first bracket, Bybit's base risk limit)
are written from the cited constants here. The fetched files are never committed.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from chatbot.engine.models import Instrument, Tier
from chatbot.markets.models import (
    PLACEHOLDER_MIN_NOTIONAL,
    PLACEHOLDER_STEP,
    Venue,
    VenueSnapshot,
)
from chatbot.markets.shipped import encode
from chatbot.markets.symbols import split_scale
from chatbot.markets.venues import VENUES

FREQTRADE = "freqtrade/freqtrade@3d9514d2660c42dfdbde517f7b421d1a5cf4f196"
FREQTRADE_DATE = "2024-10-24"
CCXT = {
    "binance": ("ccxt/ccxt@0dca8ac0a3ce97d642fd9973b3121c2d6e3e3063", "2023-12-29"),
    "bybit": ("ccxt/ccxt@1f8d53ec6ee5e019956c2fd2dc204102b924716d", "2025-05-30"),
    "okx": ("ccxt/ccxt@3802e1a243497a0ffd025df7a97023315217391f", "2024-12-27"),
}
CCXT_DATING = {
    "binance": "undated; it lists the future BTCUSDT_231229, so it was recorded before 2023-12-29",
    "bybit": "undated; it lists options listed 2025-04-07 and expiring 2025-05-30",
    "okx": "undated; it lists an option listed 2023-12-15 and expiring 2024-12-27",
}
NOT_KNOWN = "not known offline"
FILTERS_UNKNOWN = (
    f"{NOT_KNOWN}: no dated public source gives this instrument's quantity step, minimum, tick "
    "or minimum notional; round down to your venue's step"
)
TIERS_UNKNOWN = (
    f"{NOT_KNOWN}: no dated public source gives this instrument's tier table; refresh from the "
    "venue (riskbot markets refresh) or give your tier's maintenance rate with mmr"
)
BYBIT_BASE_TIER = (
    "Bybit Help Center 'Liquidation Price (USDT Contract)' worked example (MMR 0.5%, no "
    "maintenance deduction, base risk limit); the maximum leverage is the instrument's own from "
    "{filters}. Bybit's full risk-limit table is in no dated public source, so only this base tier "
    "is shipped: members with a larger position should give their tier's rate with mmr."
)
BYBIT_INVERSE_BASE_TIER = (
    "Bybit Help Center inverse-contract liquidation price worked example (MMR 0.5%, base risk "
    "limit); the maximum leverage is the instrument's own from {filters}. Bybit's inverse "
    "risk-limit table is in no dated public source, so only this base tier is shipped."
)
COINM_BTC_TIER = Tier(
    floor=Decimal(0),
    cap=Decimal(5),
    max_leverage=Decimal(125),
    mmr=Decimal("0.004"),
    cum=Decimal(0),
)
COINM_BTC_TIER_SOURCE = (
    "First bracket only: MMR 0.4%, cum 0, 125x from the Binance API docs example "
    "(https://developers.binance.com/docs/derivatives/coin-margined-futures/account/"
    "Notional-Bracket-for-Symbol); its cap is the smallest the FAQ publishes (5 BTC, 'Leverage "
    "and Margin in Coin-Margined Futures', https://www.binance.com/en-NG/support/faq/"
    "be2c7d9d95b04a7e8044ed02dd7dfe5c), so larger positions are refused rather than priced with "
    "a guessed tier. No complete BTCUSD_PERP bracket table was found in a public source; the "
    "fragments conflict (the API example shows a 50 BTC cap for bracket 1; the /en/ FAQ says "
    "125x up to 10 BTC). Brackets are in coin (BTC notional)."
)
CME_TIER = Tier(
    floor=Decimal(0), cap=None, max_leverage=Decimal(200), mmr=Decimal(0), cum=Decimal(0)
)
CME_TIER_SOURCE = (
    "No tier table: CME futures are margined by CME Clearing and the broker with margin calls, "
    "not a liquidation price. The single row only lets leverage up to the bot's own limit of "
    "200x through."
)
CME_SPECS: dict[str, dict[str, Any]] = {
    "BTC": {
        "symbol": "MBT",
        "step": "0.1",
        "tick": "5",
        "contracts": {"micro": "0.1", "standard": "5"},
        "as_of": "2021-05-03",
        "source": (
            "CME contract specs: Micro Bitcoin (MBT) 0.10 bitcoin, 1/50 of the five-bitcoin BTC "
            "contract (https://www.cmegroup.com/activetrader/microbitcoin); BTC futures 5 "
            "bitcoin, tick $5.00 per bitcoin (https://www.cmegroup.com/trading/equity-index/"
            "us-index/bitcoin_contractSpecs_options.html?optionProductId=8875); MBT tick $5 per "
            "bitcoin = $0.50 per contract as reproduced from CME's table by "
            "https://www.interactivebrokers.com.au/en/trading/cme-micro-bitcoin.php. symbol is "
            "the micro code MBT; qty_step is the micro contract; tick is USD per bitcoin; dated "
            "by the MBT launch (2021-05-03)."
        ),
    },
    "ETH": {
        "symbol": "MET",
        "step": "0.1",
        "tick": "0.50",
        "contracts": {"micro": "0.1", "standard": "50"},
        "as_of": "2021-11-02",
        "source": (
            "CME contract specs: Micro Ether (MET) 0.10 ether (https://cmegroup.com/markets/"
            "cryptocurrencies/micro-bitcoin-and-micro-ether-options.html); MET tick $0.50 per "
            "ether = $0.05 per contract as reproduced by https://edgeclear.com/"
            "cme-micro-ether-futures/ (2021-11-02); standard Ether 50 ether "
            "(https://www.cmegroup.com/markets/cryptocurrencies/ether/ether-euro.html, 'sized at "
            "50 ether per contract' like its USD counterpart). symbol is the micro code MET."
        ),
    },
}

Build = Callable[[Venue, dict[str, Path]], tuple[str, datetime, list[Instrument]]]


def number(text: object) -> Decimal:
    """A figure as the source wrote it, without float noise or a trailing `.0` on integers."""
    value = Decimal(str(text))
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def day(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=UTC)


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def swaps(markets: dict[str, Any], linear: bool, settle: str | None) -> Iterator[dict[str, Any]]:
    """ccxt's perpetual markets of one kind, in the file's order."""
    for market in markets.values():
        if market.get("type") != "swap" or bool(market.get("linear")) is not linear:
            continue
        if settle is None or market.get("settle") == settle:
            yield market


def ccxt_source(venue: str, symbol: str, fields: str) -> str:
    commit, _ = CCXT[venue]
    return (
        f"{commit} ts/src/test/static/markets/{venue}.json, market '{symbol}' ({fields}); "
        f"{CCXT_DATING[venue]}"
    )


def unknown_filters() -> dict[str, Any]:
    return {
        "qty_step": PLACEHOLDER_STEP,
        "min_qty": PLACEHOLDER_STEP,
        "tick": PLACEHOLDER_STEP,
        "min_notional": PLACEHOLDER_MIN_NOTIONAL,
        "filters_known": False,
        "filters_source": FILTERS_UNKNOWN,
        "filters_as_of": "",
    }


def instrument(venue: Venue, **fields: Any) -> Instrument:
    """An instrument of `venue`; fields not given take the venue's or the model's defaults."""
    tiers = fields.setdefault("tiers", ())
    fields.setdefault("tiers_source", TIERS_UNKNOWN)
    fields.setdefault("tiers_as_of", "")
    if tiers and "max_leverage" not in fields:
        fields["max_leverage"] = tiers[0].max_leverage
    return Instrument.model_validate(
        {
            "venue": venue.key,
            "venue_name": venue.name,
            "inverse": venue.inverse,
            "liquidation": venue.liquidation,
            **fields,
        }
    )


def binance_filters(market: dict[str, Any]) -> dict[str, Any]:
    filters = {item["filterType"]: item for item in market["info"]["filters"]}
    return {
        "qty_step": number(filters["LOT_SIZE"]["stepSize"]),
        "min_qty": number(filters["LOT_SIZE"]["minQty"]),
        "tick": Decimal(filters["PRICE_FILTER"]["tickSize"]),
        "min_notional": number(filters.get("MIN_NOTIONAL", {}).get("notional", 0)),
        "filters_source": ccxt_source(
            "binance",
            market["symbol"],
            "the exchange's exchangeInfo filters: PRICE_FILTER tickSize, LOT_SIZE stepSize and "
            "minQty, MIN_NOTIONAL notional",
        ),
        "filters_as_of": CCXT["binance"][1],
    }


def bracket(row: dict[str, Any]) -> Tier:
    info = row["info"]
    return Tier(
        floor=number(info["notionalFloor"]),
        cap=number(info["notionalCap"]),
        max_leverage=number(info["initialLeverage"]),
        mmr=number(info["maintMarginRatio"]),
        cum=number(info["cum"]),
    )


def build_binance(venue: Venue, paths: dict[str, Path]) -> tuple[str, datetime, list[Instrument]]:
    brackets = load(paths["freqtrade"])
    filters = {
        market["id"]: binance_filters(market)
        for market in swaps(load(paths["binance"]), linear=True, settle="USDT")
        if market["info"].get("contractType") == "PERPETUAL"
    }
    found = []
    for key, rows in brackets.items():
        base, _, rest = key.partition("/")
        if rest != "USDT:USDT":
            continue
        coin, scale = split_scale(base)
        symbol = f"{base}USDT"
        found.append(
            instrument(
                venue,
                symbol=symbol,
                base=coin,
                scale=scale,
                quote="USDT",
                tiers=tuple(bracket(row) for row in rows),
                tiers_source=(
                    f"{FREQTRADE} freqtrade/exchange/binance_leverage_tiers.json, key '{key}' "
                    "(the exchange's leverage brackets as ccxt's fetch_leverage_tiers returns "
                    f"them), dated by the commit, {FREQTRADE_DATE}"
                ),
                tiers_as_of=FREQTRADE_DATE,
                **filters.get(symbol, unknown_filters()),
            )
        )
    source = (
        f"tier tables: {FREQTRADE} freqtrade/exchange/binance_leverage_tiers.json "
        f"({FREQTRADE_DATE}); filters: {CCXT['binance'][0]} ts/src/test/static/markets/"
        "binance.json where it lists the instrument"
    )
    return source, day(FREQTRADE_DATE), found


def build_binance_coinm(
    venue: Venue, paths: dict[str, Path]
) -> tuple[str, datetime, list[Instrument]]:
    found = []
    for market in swaps(load(paths["binance"]), linear=False, settle=None):
        known = market["base"] == "BTC"
        found.append(
            instrument(
                venue,
                symbol=market["id"],
                base=market["base"],
                quote=market["quote"],
                contract_value=number(market["contractSize"]),
                tiers=(COINM_BTC_TIER,) if known else (),
                tiers_in_coin=True,
                **(
                    {"tiers_source": COINM_BTC_TIER_SOURCE, "tiers_as_of": "undated"}
                    if known
                    else {}
                ),
                **binance_filters(market),
            )
        )
    commit, as_of = CCXT["binance"]
    return f"{commit} ts/src/test/static/markets/binance.json", day(as_of), found


def bybit_filters(market: dict[str, Any]) -> dict[str, Any]:
    info = market["info"]
    lots = info["lotSizeFilter"]
    return {
        "qty_step": number(lots["qtyStep"]),
        "min_qty": number(lots["minOrderQty"]),
        "tick": Decimal(info["priceFilter"]["tickSize"]),
        "min_notional": number(lots.get("minNotionalValue") or 0),
        "max_leverage": number(info["leverageFilter"]["maxLeverage"]),
        "filters_source": ccxt_source(
            "bybit",
            market["symbol"],
            "the exchange's instruments-info: priceFilter.tickSize, lotSizeFilter.qtyStep, "
            "minOrderQty and minNotionalValue, leverageFilter.maxLeverage",
        ),
        "filters_as_of": CCXT["bybit"][1],
    }


def base_tier(max_leverage: Decimal) -> Tier:
    return Tier(
        floor=Decimal(0), cap=None, max_leverage=max_leverage, mmr=Decimal("0.005"), cum=Decimal(0)
    )


BYBIT_BASE_TIER_COINS = ("BTC", "ETH", "SOL", "XRP", "DOGE")
BYBIT_UNLISTED_MAX_LEVERAGE = Decimal(100)


def build_bybit(venue: Venue, paths: dict[str, Path]) -> tuple[str, datetime, list[Instrument]]:
    markets = {m["base"]: m for m in swaps(load(paths["bybit"]), linear=True, settle="USDT")}
    coins = list(markets) + [coin for coin in BYBIT_BASE_TIER_COINS if coin not in markets]
    found = []
    for coin in coins:
        market = markets.get(coin)
        fields = bybit_filters(market) if market else unknown_filters()
        maximum = fields.get("max_leverage", BYBIT_UNLISTED_MAX_LEVERAGE)
        if coin in BYBIT_BASE_TIER_COINS:
            cited = fields["filters_source"] if market else "no dated source (100x, unverified)"
            fields |= {
                "tiers": (base_tier(maximum),),
                "tiers_source": BYBIT_BASE_TIER.format(filters=cited),
                "tiers_as_of": "undated",
            }
        found.append(instrument(venue, symbol=f"{coin}USDT", base=coin, quote="USDT", **fields))
    commit, as_of = CCXT["bybit"]
    return f"{commit} ts/src/test/static/markets/bybit.json", day(as_of), found


def build_bybit_inverse(
    venue: Venue, paths: dict[str, Path]
) -> tuple[str, datetime, list[Instrument]]:
    found = []
    for market in swaps(load(paths["bybit"]), linear=False, settle=None):
        fields = bybit_filters(market)
        if market["base"] == "BTC":
            fields |= {
                "tiers": (base_tier(fields["max_leverage"]),),
                "tiers_source": BYBIT_INVERSE_BASE_TIER.format(filters=fields["filters_source"]),
                "tiers_as_of": "undated",
            }
        found.append(
            instrument(
                venue,
                symbol=market["id"],
                base=market["base"],
                quote=market["quote"],
                contract_value=number(market["contractSize"]),
                tiers_in_coin=True,
                **fields,
            )
        )
    commit, as_of = CCXT["bybit"]
    return f"{commit} ts/src/test/static/markets/bybit.json", day(as_of), found


def build_okx(venue: Venue, paths: dict[str, Path]) -> tuple[str, datetime, list[Instrument]]:
    """OKX sizes are contracts of ctVal coins: steps and minimums are converted to coins."""
    found = []
    for market in swaps(load(paths["okx"]), linear=True, settle="USDT"):
        info = market["info"]
        per_contract = Decimal(info["ctVal"])
        found.append(
            instrument(
                venue,
                symbol=info["instId"],
                base=market["base"],
                quote="USDT",
                contract_value=number(per_contract),
                qty_step=number(Decimal(info["lotSz"]) * per_contract),
                min_qty=number(Decimal(info["minSz"]) * per_contract),
                tick=Decimal(info["tickSz"]),
                min_notional=Decimal(0),
                max_leverage=number(info["lever"]),
                filters_source=ccxt_source(
                    "okx",
                    market["symbol"],
                    "the exchange's public instruments: ctVal coins per contract, lotSz and "
                    "minSz in contracts (converted to coins here), tickSz, lever; OKX sets no "
                    "minimum notional",
                ),
                filters_as_of=CCXT["okx"][1],
            )
        )
    commit, as_of = CCXT["okx"]
    return f"{commit} ts/src/test/static/markets/okx.json", day(as_of), found


def build_cme(venue: Venue, paths: dict[str, Path]) -> tuple[str, datetime, list[Instrument]]:
    found = [
        instrument(
            venue,
            symbol=spec["symbol"],
            base=coin,
            quote="USD",
            qty_step=number(spec["step"]),
            min_qty=number(spec["step"]),
            tick=Decimal(spec["tick"]),
            min_notional=Decimal(0),
            contracts={name: number(size) for name, size in spec["contracts"].items()},
            tiers=(CME_TIER,),
            tiers_source=CME_TIER_SOURCE,
            tiers_as_of="not applicable",
            max_leverage=None,
            filters_source=spec["source"],
            filters_as_of=spec["as_of"],
        )
        for coin, spec in CME_SPECS.items()
    ]
    latest = max(spec["as_of"] for spec in CME_SPECS.values())
    return "CME contract specifications (cited per instrument)", day(latest), found


BUILDERS: dict[str, Build] = {
    "binance": build_binance,
    "binance_coinm": build_binance_coinm,
    "bybit": build_bybit,
    "bybit_inverse": build_bybit_inverse,
    "okx": build_okx,
    "cme": build_cme,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--freqtrade-tiers", type=Path, required=True)
    parser.add_argument("--ccxt-binance", type=Path, required=True)
    parser.add_argument("--ccxt-bybit", type=Path, required=True)
    parser.add_argument("--ccxt-okx", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("chatbot/markets/data"))
    args = parser.parse_args()
    paths = {
        "freqtrade": args.freqtrade_tiers,
        "binance": args.ccxt_binance,
        "bybit": args.ccxt_bybit,
        "okx": args.ccxt_okx,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    for venue in VENUES:
        source, as_of, found = BUILDERS[venue.key](venue, paths)
        snapshot = VenueSnapshot(
            venue=venue.key, source=source, as_of=as_of, instruments=tuple(found)
        )
        (args.out / f"{venue.key}.json").write_bytes(encode(snapshot))
        print(f"{venue.key}: {len(found)} instruments")


if __name__ == "__main__":
    main()
