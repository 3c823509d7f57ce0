"""Which instruments each venue lists, and which one a member's typed symbol means.

The shipped snapshots answer until a newer one is installed: the bot installs the snapshots its
refresh stored, at start and after each refresh. Lookups only read memory; nothing here touches
the network or the database.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from chatbot.engine.models import Instrument
from chatbot.markets.models import Venue, VenueSnapshot
from chatbot.markets.shipped import shipped
from chatbot.markets.symbols import coin_of, readings, split_scale
from chatbot.markets.venues import ALIASES, VENUE_KEYS, VENUES

SUGGESTIONS = 3
_CLOSENESS = 0.6


class UnknownVenue(LookupError):
    """A venue key or spelling the catalog does not know; `known` lists the keys it does."""

    def __init__(self, spelling: str) -> None:
        super().__init__(f"unknown venue {spelling!r}")
        self.spelling = spelling
        self.known = VENUE_KEYS


class SymbolNotFound(LookupError):
    """The venue lists nothing the member's text can mean.

    `suggestions` are the nearest coins the venue lists (SUI for SIU), `listed_on` the other
    venues that do list it, and `as_of` the date of the snapshot that was searched, so the reply
    can say how old the list is.
    """

    def __init__(
        self,
        venue: str,
        typed: str,
        suggestions: tuple[str, ...],
        listed_on: tuple[str, ...],
        as_of: datetime,
    ) -> None:
        super().__init__(f"{venue} lists no {typed!r}")
        self.venue = venue
        self.typed = typed
        self.suggestions = suggestions
        self.listed_on = listed_on
        self.as_of = as_of


class _Index(NamedTuple):
    by_symbol: dict[str, Instrument]
    by_coin: dict[str, tuple[Instrument, ...]]


_installed: dict[str, VenueSnapshot] = {}
_indexes: dict[str, _Index] = {}
_VENUES = {venue.key: venue for venue in VENUES}


def venues() -> tuple[Venue, ...]:
    """Every venue, in the order replies list them."""
    return VENUES


def venue(key: str) -> Venue:
    """The venue with this key; raises `UnknownVenue`."""
    try:
        return _VENUES[key]
    except KeyError:
        raise UnknownVenue(key) from None


def venue_key(spelling: str) -> str | None:
    """The venue a member's spelling means (`bn`, `Bybit-Inverse`, `okex` …), or None."""
    return ALIASES.get(spelling.strip().lower())


def snapshot(key: str) -> VenueSnapshot:
    """The snapshot lookups use: the installed one, else the one shipped in the package."""
    venue(key)
    return _installed.get(key) or shipped(key)


def install(new: VenueSnapshot) -> None:
    """Use `new` for its venue from now on, replacing the shipped or an older installed one.

    Raises ValueError when the snapshot names an unknown venue or holds another venue's
    instruments: a refresh must never mix venues up.
    """
    venue(new.venue)
    strays = sorted({item.venue for item in new.instruments} - {new.venue})
    if strays:
        raise ValueError(f"snapshot of {new.venue} holds instruments of {', '.join(strays)}")
    _installed[new.venue] = new
    _indexes.pop(new.venue, None)


def reset() -> None:
    """Forget installed snapshots: every venue answers from its shipped one again."""
    _installed.clear()
    _indexes.clear()


def instruments(key: str) -> tuple[Instrument, ...]:
    """Every instrument the venue lists, in the snapshot's order."""
    return snapshot(key).instruments


def coins(key: str) -> list[str]:
    """The coins the venue lists, sorted: what members type, not the venue's symbols."""
    return sorted(_index(key).by_coin)


def snapshot_age(key: str, now: datetime | None = None) -> timedelta:
    """How old the venue's snapshot is at `now` (default: the current time)."""
    return (now or datetime.now(UTC)) - snapshot(key).as_of


def find(key: str, typed: str) -> Instrument | None:
    """The instrument the member's text means on the venue, or None."""
    index = _index(key)
    exact = index.by_symbol.get(typed.strip().upper())
    if exact is not None:
        return exact
    for reading in readings(typed):
        coin, scale = split_scale(reading.base)
        for item in index.by_coin.get(coin, ()):
            if reading.quote in (None, item.quote) and scale in (1, item.scale):
                return item
    return None


def resolve(key: str, typed: str) -> Instrument:
    """The instrument the member's text means on the venue; raises `SymbolNotFound`.

    A coin the venue lists only as a scaled contract resolves to it: on Binance, `PEPE` is
    `1000PEPEUSDT` with `base` PEPE and `scale` 1000, and prices typed per coin must be
    multiplied by the scale to be the contract's prices.
    """
    found = find(key, typed)
    if found is not None:
        return found
    raise SymbolNotFound(
        venue=key,
        typed=typed,
        suggestions=suggest(key, typed),
        listed_on=listed_on(typed, exclude=key),
        as_of=snapshot(key).as_of,
    )


def suggest(key: str, typed: str) -> tuple[str, ...]:
    """The venue's coins nearest to what was typed, closest first.

    difflib's ratio scores SIU as near SUN as SUI; a coin with the very letters typed (two
    swapped, the commonest slip) ranks first among equals.
    """
    coin = coin_of(typed)
    scored = []
    for listed in coins(key):
        ratio = difflib.SequenceMatcher(None, coin, listed).ratio()
        if ratio >= _CLOSENESS:
            scored.append((-ratio, sorted(listed) != sorted(coin), listed))
    return tuple(listed for *_, listed in sorted(scored)[:SUGGESTIONS])


def listed_on(typed: str, exclude: str | None = None) -> tuple[str, ...]:
    """The venues (keys) whose snapshot lists what the member typed."""
    return tuple(key for key in VENUE_KEYS if key != exclude and find(key, typed) is not None)


def _index(key: str) -> _Index:
    index = _indexes.get(key)
    if index is None:
        index = _indexes[key] = _build(instruments(key))
    return index


def _build(items: Iterable[Instrument]) -> _Index:
    """Symbols as the venue writes them, and coins with unscaled contracts before scaled ones."""
    by_symbol: dict[str, Instrument] = {}
    by_coin: dict[str, list[Instrument]] = {}
    for item in items:
        by_symbol.setdefault(item.symbol.upper(), item)
        by_coin.setdefault(item.base.upper(), []).append(item)
    ordered = {coin: tuple(sorted(found, key=_scale)) for coin, found in by_coin.items()}
    return _Index(by_symbol=by_symbol, by_coin=ordered)


def _scale(item: Instrument) -> Decimal:
    return item.scale
