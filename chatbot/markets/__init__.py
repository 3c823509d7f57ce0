"""The market-data layer: venues, their instruments and tier tables, and where each figure is from.

`catalog` is the interface (venues, symbol resolution, installing refreshed snapshots); the
names below keep the earlier module-level calls working on top of it. Their callers predate
scaled contracts, unknown filters and missing tier tables, so `find` and `symbols` offer only
instruments those callers size correctly: scale 1, dated filters and a tier table. Everything
else is reached through `catalog.resolve`.
"""

from __future__ import annotations

from decimal import Decimal

from chatbot.engine.models import Instrument
from chatbot.markets import catalog
from chatbot.markets.venues import ALIASES

DEFAULT_VENUE = "binance"

VENUE_ALIASES: dict[str, str] = dict(ALIASES)


def instruments() -> dict[tuple[str, str], Instrument]:
    """Every instrument of every venue, keyed by (venue, coin)."""
    return {
        (venue.key, item.base): item
        for venue in catalog.venues()
        for item in catalog.instruments(venue.key)
    }


def venue_key(name: str) -> str | None:
    """The venue a member's spelling means, or None."""
    return catalog.venue_key(name)


def venue_fee(venue: str) -> Decimal | None:
    """The venue's taker fee rate, where it charges one on notional (CME charges per contract)."""
    return catalog.venue(venue).taker_fee


def venue_name(venue: str) -> str:
    """The venue as members know it, for messages."""
    return catalog.venue(venue).name


def symbols(venue: str) -> list[str]:
    """The coins `find` offers on the venue, for the "unknown symbol" answer."""
    return sorted(item.base for item in catalog.instruments(venue) if _complete(item))


def find(venue: str, base: str) -> Instrument | None:
    """The instrument a member's symbol means on the venue, if `find`'s callers can size it."""
    found = catalog.find(venue, base)
    return found if found is not None and _complete(found) else None


def _complete(item: Instrument) -> bool:
    return item.scale == 1 and item.filters_known and bool(item.tiers)
