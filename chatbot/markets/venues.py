"""The venues members trade on, the names they type for them, and each one's default taker fee.

Fees are the venue's base (no VIP, no discount) taker rate on notional, each with where it comes
from; a member's own fee, typed or saved, always wins over these.
"""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType

from chatbot.engine.models import LiquidationModel
from chatbot.markets.models import Venue

_CCXT_BINANCE = "ccxt/ccxt@0dca8ac0a3ce97d642fd9973b3121c2d6e3e3063"
_CCXT_BYBIT = "ccxt/ccxt@1f8d53ec6ee5e019956c2fd2dc204102b924716d"
_CCXT_OKX = "ccxt/ccxt@3802e1a243497a0ffd025df7a97023315217391f"

VENUES: tuple[Venue, ...] = (
    Venue(
        key="binance",
        name="Binance USDⓈ-M",
        inverse=False,
        liquidation=LiquidationModel.BINANCE_USDM,
        taker_fee=Decimal("0.0005"),
        fee_source=(
            "Project default taker rate 0.05%, the rate of the worked example the bot is tested "
            "against; not verified against a Binance fee page. "
            f"{_CCXT_BINANCE} ts/src/test/static/markets/binance.json carries taker 0.0004 for "
            "USDⓈ-M perpetuals (ccxt's static default, recorded before 2023-12-29)."
        ),
    ),
    Venue(
        key="binance_coinm",
        name="Binance COIN-M",
        inverse=True,
        liquidation=LiquidationModel.BINANCE_COINM,
        taker_fee=Decimal("0.0005"),
        fee_source=(
            f"{_CCXT_BINANCE} ts/src/test/static/markets/binance.json, BTC/USD:BTC 'taker': "
            "0.0005 (ccxt's static default, recorded before 2023-12-29); not verified against a "
            "Binance fee page."
        ),
    ),
    Venue(
        key="bybit",
        name="Bybit USDT perpetual",
        inverse=False,
        liquidation=LiquidationModel.BYBIT_LINEAR,
        taker_fee=Decimal("0.0006"),
        fee_source=(
            f"{_CCXT_BYBIT} ts/src/test/static/markets/bybit.json: 'taker': 0.0006 on linear "
            "perpetuals (ccxt's static default, recorded 2025-04-07 to 2025-05-30); not verified "
            "against Bybit's fee schedule."
        ),
    ),
    Venue(
        key="bybit_inverse",
        name="Bybit inverse perpetual",
        inverse=True,
        liquidation=LiquidationModel.BYBIT_INVERSE,
        taker_fee=Decimal("0.0006"),
        fee_source=(
            f"{_CCXT_BYBIT} ts/src/test/static/markets/bybit.json: 'taker': 0.0006 on inverse "
            "perpetuals such as BTC/USD:BTC (ccxt's static default, recorded 2025-04-07 to "
            "2025-05-30); not verified against Bybit's fee schedule."
        ),
    ),
    Venue(
        key="okx",
        name="OKX USDT swap",
        inverse=False,
        liquidation=LiquidationModel.OKX_LINEAR,
        taker_fee=Decimal("0.0005"),
        fee_source=(
            f"{_CCXT_OKX} ts/src/test/static/markets/okx.json: 'taker': 0.0005 on USDT swaps "
            "(ccxt's static default, recorded 2023-12-15 to 2024-12-27); not verified against "
            "OKX's fee schedule."
        ),
    ),
    Venue(
        key="cme",
        name="CME (Micro/standard Bitcoin and Ether futures)",
        inverse=False,
        liquidation=LiquidationModel.NONE,
        taker_fee=None,
        fee_source=(
            "CME fees are per contract (exchange, clearing and broker), not a rate on notional; "
            "no fee figure is shipped. Exchange futures use daily margin calls set by CME "
            "Clearing and the broker, not a liquidation price."
        ),
    ),
)

VENUE_KEYS: tuple[str, ...] = tuple(venue.key for venue in VENUES)

ALIASES: MappingProxyType[str, str] = MappingProxyType(
    {
        "binance": "binance",
        "bn": "binance",
        "usdm": "binance",
        "binance-usdm": "binance",
        "binance_usdm": "binance",
        "binanceusdm": "binance",
        "coinm": "binance_coinm",
        "coin-m": "binance_coinm",
        "binance-coinm": "binance_coinm",
        "binance_coinm": "binance_coinm",
        "binancecoinm": "binance_coinm",
        "inverse": "binance_coinm",
        "bybit": "bybit",
        "bybit-linear": "bybit",
        "bybit_linear": "bybit",
        "bybit-usdt": "bybit",
        "bybit_inverse": "bybit_inverse",
        "bybit-inverse": "bybit_inverse",
        "bybitinverse": "bybit_inverse",
        "okx": "okx",
        "okex": "okx",
        "okx-swap": "okx",
        "cme": "cme",
    }
)
"""Every spelling a member may type for a venue, lower case; the value is the venue's key."""
