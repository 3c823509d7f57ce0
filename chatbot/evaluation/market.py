"""The venue's live price in a check: which requests need it, and what it means per coin.

Mark prices are fetched by the caller (the bot or the command line, which do I/O); evaluation
only says which instrument's price a request needs and turns the quote into the entry or the
funding rate, or into the precise error that asks the member to type the entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from chatbot.engine.models import Instrument
from chatbot.evaluation.defaults import Profile, Resolver, layers
from chatbot.evaluation.instruments import known_venue, resolved
from chatbot.language.calculators import (
    Calculation,
    FundingRequest,
    LiqRequest,
    PriceRequest,
    SizeRequest,
)
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.markets import catalog
from chatbot.markets.prices import MarkPrice


def market_wanted(
    request: Calculation, member: Profile | None = None, group: Profile | None = None
) -> Instrument | None:
    """The venue's instrument (its own symbol and units) whose mark price the request needs."""
    if not (isinstance(request, PriceRequest) or leaves_price_to_venue(request)):
        return None
    resolver = Resolver(request.command, layers(member, group))
    venue = known_venue(resolver.need("venue", request.venue), resolver.example)
    return resolved(venue, request.symbol, resolver.example)


def reference_marks(known: Iterable[MarkPrice]) -> dict[str, Decimal]:
    """Known mark prices per coin, by the coin members type (`BTC`, `PEPE`): what settles a
    price typed in a form that could mean two numbers."""
    marks: dict[str, Decimal] = {}
    for mark in known:
        instrument = catalog.find(mark.venue, mark.symbol)
        if instrument is not None:
            marks.setdefault(instrument.base, per_coin_mark(mark, instrument).mark)
    return marks


def leaves_price_to_venue(request: Calculation) -> bool:
    """Whether the check's entry or funding rate is the venue's (shown with its time)."""
    if isinstance(request, SizeRequest | LiqRequest):
        return request.entry is None
    return isinstance(request, FundingRequest) and request.rate is None


def per_coin_mark(mark: MarkPrice, instrument: Instrument) -> MarkPrice:
    """A scaled contract's mark and index are for `scale` coins: restate them per coin."""
    scale = instrument.scale
    if scale == 1:
        return mark
    index = None if mark.index is None else mark.index / scale
    return mark.model_copy(update={"mark": mark.mark / scale, "index": index})


def live_mark(r: Resolver, instrument: Instrument) -> MarkPrice:
    """The mark price just had, per coin, or the error asking for the entry (with the last
    known price and its time, so an old price is never used without saying how old)."""
    if r.market.mark is not None:
        return per_coin_mark(r.market.mark, instrument)
    params = {"venue": instrument.venue_name, "symbol": instrument.symbol}
    last = r.market.last
    if last is not None:
        params["last_price"] = str(per_coin_mark(last, instrument).mark)
        params["last_at"] = f"{last.at:%Y-%m-%d %H:%M:%S} UTC"
    raise CommandError(
        ErrorCode.PRICE_UNAVAILABLE, word=instrument.base, example=r.example, **params
    )


def market_entry(r: Resolver, instrument: Instrument) -> Decimal:
    """The entry of a trade at market: the venue's mark price now."""
    return live_mark(r, instrument).mark


def current_funding(r: Resolver, instrument: Instrument) -> Decimal:
    """The venue's current funding rate, or the error asking for `rate`."""
    rate = live_mark(r, instrument).funding_rate
    if rate is None:
        raise CommandError(ErrorCode.MISSING_DEFAULT, word="rate", example=r.example, what="rate")
    return rate
