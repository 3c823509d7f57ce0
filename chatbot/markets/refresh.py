"""Refresh one venue's perpetuals and tier tables from its public API, through ccxt.

ccxt is the field's standard exchange client: it normalizes markets, precisions, limits,
contract sizes and tier tables, and signs Binance's bracket request. It is also heavy (74 MB,
about 100 MB resident and 0.6 s to import), so this is the only module that imports it, and it
runs in the `riskbot markets refresh` child process, never in the bot.

Every request goes to the base URL of the venue's setting (`RISKBOT_BINANCE_URL`, …), and each
may take at most `refresh_timeout` seconds: a venue that does not answer fails alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import ccxt  # type: ignore[import-untyped]
from pydantic import ValidationError

from chatbot.markets.feeds import (
    FEEDS,
    Feed,
    MarketDataError,
    Refreshed,
    TierTable,
    contract_size,
    instrument,
    is_listed,
    tier_table,
)
from chatbot.markets.models import VenueSnapshot
from chatbot.markets.settings import MarketSettings

# ccxt's own debug lines carry whole URLs and bodies; they have no place in riskbot's log.
logging.getLogger("ccxt").setLevel(logging.WARNING)

BYBIT_MAX_PAGES = 200


class RefreshError(Exception):
    """A venue whose refresh failed, with a reason worded for the operator (no URL, no key)."""

    def __init__(self, venue: str, reason: str) -> None:
        super().__init__(f"{venue}: {reason}")
        self.venue = venue
        self.reason = reason


def _now() -> datetime:
    return datetime.now(UTC)


def refreshable() -> tuple[str, ...]:
    """The venues this module can refresh (CME's figures are static and never refreshed)."""
    return tuple(FEEDS)


def fetch_snapshot(
    venue: str,
    settings: MarketSettings,
    kept: Mapping[str, TierTable] | None = None,
    now: Callable[[], datetime] = _now,
) -> Refreshed:
    """All of `venue`'s listed perpetuals, or `RefreshError`; never a partial snapshot.

    `kept` holds tier tables by symbol (from the stored or shipped snapshot) for a venue that
    serves its tables only with an API key when none is set: Binance without a key refreshes
    its filters and keeps those tables, with their own source and date.
    """
    feed = FEEDS.get(venue)
    if feed is None:
        raise RefreshError(venue, "not a venue that can be refreshed")
    base = settings.base(feed.url_setting)
    exchange = client(feed, settings, base)
    statuses = _record_statuses(exchange)
    try:
        return _fetch(exchange, feed, settings, base, kept or {}, now())
    except ccxt.RequestTimeout:
        raise RefreshError(
            venue, f"no answer from {_host(base)} within {settings.refresh_timeout:g} s"
        ) from None
    except ccxt.AuthenticationError:
        raise RefreshError(venue, f"{_host(base)} refused the API key") from None
    except ccxt.BaseError as error:
        raise RefreshError(venue, _reason(error, base, statuses)) from None
    except (MarketDataError, ValidationError, KeyError, TypeError) as error:
        raise RefreshError(venue, f"{_host(base)} answered with unreadable data: {error}") from None
    finally:
        exchange.session.close()


def _fetch(
    exchange: Any,
    feed: Feed,
    settings: MarketSettings,
    base: str,
    kept: Mapping[str, TierTable],
    fetched: datetime,
) -> Refreshed:
    # fetch_markets, not load_markets: loading also asks for currencies, a private endpoint on
    # Binance and OKX that a key for brackets need not open.
    markets = [market for market in exchange.fetch_markets() if is_listed(market, feed)]
    exchange.set_markets(markets)
    day = fetched.date().isoformat()
    tables = _tier_tables(exchange, feed, settings, base, markets, day)
    source = f"{feed.name} API at {_host(base)}"
    filters_source = f"{source}: {feed.markets_path} (ccxt {ccxt.__version__})"
    instruments, left_out = [], []
    for market in markets:
        table = tables.get(market["symbol"]) or kept.get(market["id"])
        if table is None:
            left_out.append(str(market["id"]))
            continue
        instruments.append(instrument(market, feed, table, filters_source, day))
    snapshot = VenueSnapshot(
        venue=feed.key,
        source=f"{source} (ccxt {ccxt.__version__})",
        as_of=fetched,
        instruments=tuple(sorted(instruments, key=lambda item: item.symbol)),
    )
    return Refreshed(snapshot=snapshot, left_out=tuple(sorted(left_out)))


def client(feed: Feed, settings: MarketSettings, base: str) -> Any:
    """A ccxt client whose every API entry points at `base`, with the time-out of the setting."""
    exchange = getattr(ccxt, feed.ccxt_id)(
        {
            "timeout": int(settings.refresh_timeout * 1000),
            "enableRateLimit": True,
            "options": {
                "defaultType": "swap",
                "defaultSubType": feed.market_type,
                "fetchMarkets": {"types": [_market_type(feed)]},
            },
        }
    )
    exchange.urls["api"] = _pointed(exchange, exchange.urls["api"], base.rstrip("/"))
    credentials = settings.binance_credentials() if feed.tiers_need_key else None
    if credentials is not None:
        exchange.apiKey, exchange.secret = credentials
    return exchange


def _market_type(feed: Feed) -> str:
    """ccxt's name of the market list to load: OKX lists by instrument type, the others by kind."""
    return "swap" if feed.ccxt_id == "okx" else feed.market_type


def _pointed(exchange: Any, urls: Any, base: str) -> Any:
    """The same URL tree with every scheme and host replaced by `base` (paths kept)."""
    if isinstance(urls, Mapping):
        return {name: _pointed(exchange, value, base) for name, value in urls.items()}
    if isinstance(urls, str):
        path = urlsplit(exchange.implode_hostname(urls)).path
        return base + path
    return urls


def _tier_tables(
    exchange: Any,
    feed: Feed,
    settings: MarketSettings,
    base: str,
    markets: list[dict[str, Any]],
    day: str,
) -> dict[str, TierTable]:
    """Tier tables by ccxt symbol; none for a keyed venue when no key is set."""
    if feed.tiers_need_key and settings.binance_credentials() is None:
        return {}
    source = f"{feed.name} API at {_host(base)}: {feed.tiers_path} (ccxt {ccxt.__version__})"
    by_symbol = {market["symbol"]: market for market in markets}
    if feed.ccxt_id == "okx":
        rows = {
            symbol: exchange.fetch_market_leverage_tiers(symbol, {"marginMode": "isolated"})
            for symbol in by_symbol
        }
    elif feed.ccxt_id == "bybit":
        rows = _bybit_risk_limits(exchange, feed)
    else:
        rows = exchange.fetch_leverage_tiers()
    return {
        symbol: tier_table(table, feed, contract_size(by_symbol[symbol]), source, day)
        for symbol, table in rows.items()
        if symbol in by_symbol and table
    }


def _bybit_risk_limits(exchange: Any, feed: Feed) -> dict[str, list[dict[str, Any]]]:
    """Every page of Bybit's public risk-limit table, parsed by ccxt.

    Read page by page here: ccxt's own paginated helper retries each failure three times, and
    a venue that fails should fail once, quickly.
    """
    rows: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(BYBIT_MAX_PAGES):
        request = {"category": feed.market_type, **({"cursor": cursor} if cursor else {})}
        result = exchange.publicGetV5MarketRiskLimit(request).get("result") or {}
        rows.extend(result.get("list") or [])
        cursor = result.get("nextPageCursor") or None
        if cursor is None:
            break
    parsed: dict[str, list[dict[str, Any]]] = exchange.parse_leverage_tiers(rows, None, "symbol")
    return parsed


def _host(base: str) -> str:
    return urlsplit(base).netloc or base


def _record_statuses(exchange: Any) -> list[int]:
    """The HTTP status of every answer, through ccxt's `on_rest_response` hook: its errors
    carry the status only in some messages."""
    statuses: list[int] = []
    answer = exchange.on_rest_response

    def record(code: int, *rest: Any) -> Any:
        statuses.append(int(code))
        return answer(code, *rest)

    exchange.on_rest_response = record
    return statuses


def _reason(error: Exception, base: str, statuses: list[int]) -> str:
    """ccxt's message names the signed URL and the body; the operator needs the host, what
    kind of failure, and the HTTP status when there is one."""
    if statuses and statuses[-1] >= 400:
        return f"{_host(base)} answered HTTP {statuses[-1]}"
    if isinstance(error, ccxt.NetworkError):
        return f"{_host(base)} unreachable ({type(error).__name__})"
    return f"{_host(base)} refused the request ({type(error).__name__})"
