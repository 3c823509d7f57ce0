"""Local stand-in for the venues' public REST APIs (Binance, Bybit, OKX), for tests that refresh
markets or fetch mark prices without the network.

async with ExchangeStandIn() as exchange:
    settings = MarketSettings(**exchange.settings())
"""

from .listings import Bracket, Listing, default_listings
from .server import DEFAULT_KEY, DEFAULT_SECRET, NOW_MS, ExchangeStandIn, Hit

__all__ = [
    "DEFAULT_KEY",
    "DEFAULT_SECRET",
    "NOW_MS",
    "Bracket",
    "ExchangeStandIn",
    "Hit",
    "Listing",
    "default_listings",
]
