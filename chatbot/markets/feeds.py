"""How each refreshable venue's public API is read, and how its figures become `Instrument`s.

Pure conversions over ccxt's unified market and leverage-tier structures (plain mappings), so
they are tested without ccxt or a network; `chatbot.markets.refresh` fetches, this module reads.

Units, venue by venue (each venue's API documentation, and ccxt's recorded markets under
github.com/ccxt/ccxt ts/src/test/static/markets/):
- Binance USDⓈ-M, Bybit linear: quantity, step and minimum in the venue's unit of the base coin;
  tier floors and caps in USDT notional.
- Binance COIN-M, Bybit inverse: quantity in contracts of `contract_value` USD; tier floors and
  caps in coin (Binance qtyFloor/qtyCap; Bybit inverse riskLimitValue).
- OKX USDT swaps: the API counts contracts of `ctVal` coins (lotSz, minSz and the position tiers'
  minSz/maxSz, OKX "OKX to adjust position tiers of perpetual swaps", 2023-04-17: "Max. amount
  (Cont)"); here they are converted to coins (contracts × ctVal) so that the engine sizes every
  linear contract in coins, and `contract_value` keeps ctVal to show contracts.
- Scaled contracts (Binance 1000PEPEUSDT, Bybit 10000LADYSUSDT, SHIB1000USDT) quote the price
  and quantity of 10ⁿ coins: `base` is the coin, `scale` the multiple.
- Fees: none of these public endpoints publishes a fee (ccxt's market `taker` is its own static
  default), so `taker_fee` stays None and the venue's default fee applies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from chatbot.engine.models import Frozen, Instrument, LiquidationModel, Tier
from chatbot.markets.models import VenueSnapshot
from chatbot.markets.symbols import split_scale

ZERO = Decimal(0)
ONE = Decimal(1)

# 1 followed by three or more zeros, or Binance's "1M" (1MBABYDOGEUSDT), before the coin; or
# Bybit's suffix form (SHIB1000USDT). The coin must start with a letter, so 1INCH is a coin.


class Feed(Frozen):
    """One venue's API as the refresh reads it; `sizes_in_contracts` marks OKX's contracts."""

    key: str
    name: str
    liquidation: LiquidationModel
    inverse: bool
    ccxt_id: str
    market_type: Literal["linear", "inverse"]
    url_setting: str
    settle: str | None
    sizes_in_contracts: bool = False
    tiers_need_key: bool = False
    markets_path: str
    tiers_path: str


FEEDS: dict[str, Feed] = {
    feed.key: feed
    for feed in (
        Feed(
            key="binance",
            name="Binance USDⓈ-M",
            liquidation=LiquidationModel.BINANCE_USDM,
            inverse=False,
            ccxt_id="binanceusdm",
            market_type="linear",
            url_setting="binance_url",
            settle="USDT",
            tiers_need_key=True,
            markets_path="GET /fapi/v1/exchangeInfo",
            tiers_path="GET /fapi/v1/leverageBracket",
        ),
        Feed(
            key="binance_coinm",
            name="Binance COIN-M",
            liquidation=LiquidationModel.BINANCE_COINM,
            inverse=True,
            ccxt_id="binancecoinm",
            market_type="inverse",
            url_setting="binance_coinm_url",
            settle=None,
            tiers_need_key=True,
            markets_path="GET /dapi/v1/exchangeInfo",
            tiers_path="GET /dapi/v2/leverageBracket",
        ),
        Feed(
            key="bybit",
            name="Bybit USDT perpetual",
            liquidation=LiquidationModel.BYBIT_LINEAR,
            inverse=False,
            ccxt_id="bybit",
            market_type="linear",
            url_setting="bybit_url",
            settle="USDT",
            markets_path="GET /v5/market/instruments-info?category=linear",
            tiers_path="GET /v5/market/risk-limit?category=linear",
        ),
        Feed(
            key="bybit_inverse",
            name="Bybit inverse perpetual",
            liquidation=LiquidationModel.BYBIT_INVERSE,
            inverse=True,
            ccxt_id="bybit",
            market_type="inverse",
            url_setting="bybit_url",
            settle=None,
            markets_path="GET /v5/market/instruments-info?category=inverse",
            tiers_path="GET /v5/market/risk-limit?category=inverse",
        ),
        Feed(
            key="okx",
            name="OKX USDT swap",
            liquidation=LiquidationModel.OKX_LINEAR,
            inverse=False,
            ccxt_id="okx",
            market_type="linear",
            url_setting="okx_url",
            settle="USDT",
            sizes_in_contracts=True,
            markets_path="GET /api/v5/public/instruments?instType=SWAP",
            tiers_path="GET /api/v5/public/position-tiers?instType=SWAP&tdMode=isolated",
        ),
    )
}


class TierTable(Frozen):
    """A tier table with where and when it came from, as an instrument carries it."""

    tiers: tuple[Tier, ...]
    source: str
    as_of: str


class Refreshed(Frozen):
    """A fresh snapshot, and the listed perpetuals left out because no tier table was known."""

    snapshot: VenueSnapshot
    left_out: tuple[str, ...]


class MarketDataError(ValueError):
    """A venue answered with a figure this code cannot read: the venue's refresh fails whole."""


def decimal(value: Any) -> Decimal | None:
    """A venue figure as an exact Decimal; ccxt parses JSON numbers to float, whose shortest
    repr is the literal the venue sent."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise MarketDataError(f"not a number: {value!r}") from None
    if not number.is_finite():
        raise MarketDataError(f"not a finite number: {value!r}")
    return plain(number)


def plain(number: Decimal) -> Decimal:
    """Without the float's trailing zeros (100.0 → 100, 0.010 → 0.01), never in E-notation for
    a whole number."""
    if number == number.to_integral_value():
        return number.quantize(ONE)
    return number.normalize()


def required(value: Any, what: str) -> Decimal:
    number = decimal(value)
    if number is None:
        raise MarketDataError(f"missing {what}")
    return number


def is_listed(market: Mapping[str, Any], feed: Feed) -> bool:
    """A perpetual of the venue's kind that trades now (not delivery futures, not pre-launch,
    not settling); linear venues keep their USDT-settled contracts only."""
    if not (market.get("swap") and market.get("active")):
        return False
    if feed.inverse:
        return bool(market.get("inverse")) and market.get("settle") == market.get("base")
    return bool(market.get("linear")) and market.get("settle") == feed.settle


def tier_table(
    rows: Sequence[Mapping[str, Any]], feed: Feed, contract_size: Decimal, source: str, as_of: str
) -> TierTable:
    """ccxt's leverage tiers as the engine's: each floor is the previous cap, because venues
    publish either contiguous ranges (Binance) or whole-contract ones (OKX 0-2000, 2001-…)."""
    unit = contract_size if feed.sizes_in_contracts else ONE
    tiers: list[Tier] = []
    for row in rows:
        info = row.get("info") or {}
        cap = decimal(row.get("maxNotional"))
        floor = (tiers[-1].cap or ZERO) if tiers else ZERO
        tiers.append(
            Tier(
                floor=floor,
                cap=None if cap is None else plain(cap * unit),
                max_leverage=required(row.get("maxLeverage"), "tier max leverage"),
                mmr=required(row.get("maintenanceMarginRate"), "tier maintenance margin rate"),
                cum=decimal(info.get("cum", info.get("mmDeduction"))) or ZERO,
            )
        )
    _check_tiers(tiers)
    return TierTable(tiers=tuple(tiers), source=source, as_of=as_of)


def _check_tiers(tiers: Sequence[Tier]) -> None:
    if not tiers:
        raise MarketDataError("empty tier table")
    if any(tier.cap is None for tier in tiers[:-1]):
        raise MarketDataError("a tier below the top one has no cap")
    for tier in tiers:
        if not (ZERO < tier.mmr < ONE) or tier.max_leverage <= 0:
            raise MarketDataError(f"implausible tier: MMR {tier.mmr}, {tier.max_leverage}x")
        if tier.cap is not None and tier.cap <= tier.floor:
            raise MarketDataError(f"tier cap {tier.cap} not above floor {tier.floor}")


def contract_size(market: Mapping[str, Any]) -> Decimal:
    return decimal(market.get("contractSize")) or ONE


def instrument(
    market: Mapping[str, Any],
    feed: Feed,
    tiers: TierTable,
    filters_source: str,
    filters_as_of: str,
) -> Instrument:
    """One listed market as the engine's instrument, sizes in coins (linear) or contracts."""
    size = contract_size(market)
    unit = size if feed.sizes_in_contracts else ONE
    step = required(_path(market, "precision", "amount"), "quantity step")
    coin, scale = split_scale(str(market["base"]))
    return Instrument(
        venue=feed.key,
        venue_name=feed.name,
        symbol=str(market["id"]),
        base=coin,
        quote=str(market["quote"]),
        inverse=feed.inverse,
        liquidation=feed.liquidation,
        qty_step=plain(step * unit),
        min_qty=plain((decimal(_path(market, "limits", "amount", "min")) or step) * unit),
        tick=required(_path(market, "precision", "price"), "price tick"),
        min_notional=min_notional(market),
        contract_value=size if feed.inverse or feed.sizes_in_contracts else None,
        tiers=tiers.tiers,
        tiers_in_coin=feed.inverse or feed.sizes_in_contracts,
        tiers_source=tiers.source,
        tiers_as_of=tiers.as_of,
        scale=scale,
        max_leverage=decimal(_path(market, "limits", "leverage", "max"))
        or (tiers.tiers[0].max_leverage if tiers.tiers else None),
        filters_source=filters_source,
        filters_as_of=filters_as_of,
    )


def min_notional(market: Mapping[str, Any]) -> Decimal:
    """ccxt's cost minimum, or Bybit's lotSizeFilter.minNotionalValue, which ccxt leaves out;
    0 where the venue has none (OKX, the inverse venues)."""
    found = decimal(_path(market, "limits", "cost", "min"))
    if found is None:
        found = decimal(_path(market, "info", "lotSizeFilter", "minNotionalValue"))
    return found or ZERO


def kept_tables(snapshots: Sequence[VenueSnapshot]) -> dict[str, TierTable]:
    """Each symbol's most recent tier table among earlier snapshots (stored or shipped): what
    a venue that serves tables only with a key keeps when none is set."""
    kept: dict[str, TierTable] = {}
    for snapshot in snapshots:
        for item in snapshot.instruments:
            if not item.tiers:
                continue
            known = kept.get(item.symbol)
            if known is None or known.as_of < item.tiers_as_of:
                kept[item.symbol] = TierTable(
                    tiers=item.tiers, source=item.tiers_source, as_of=item.tiers_as_of
                )
    return kept


def _path(data: Mapping[str, Any], *keys: str) -> Any:
    value: Any = data
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value
