"""The instrument and contract a request means, or the error that says what the venue offers.

The market layer knows what venues list; this module turns a member's spelling into one of
them, in the member's own units: a coin listed as a scaled contract (Binance's `1000PEPEUSDT`,
priced per 1,000 PEPE) is handed to the engine per coin, its step and minimum multiplied and
its tick divided by the scale. Notional, margin and tier brackets do not change under that
rescaling, and every venue formula is linear in price and quantity, so each figure the engine
returns is the venue's own, read per coin as the member typed it.
"""

from __future__ import annotations

from decimal import Decimal

from chatbot.engine.models import Contract, ContractKind, Instrument, LiquidationModel
from chatbot.engine.plain import plain
from chatbot.engine.sizing import contracts_for_coin
from chatbot.evaluation.defaults import Profile, Resolver
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.requests import ContractSpec, QuantitySpec
from chatbot.markets import catalog


def known_venue(name: str, example: str) -> str:
    """The canonical venue for a member's spelling, or the error listing the venues."""
    venue = catalog.venue_key(name)
    if venue is None:
        known = ", ".join(item.key for item in catalog.venues())
        raise CommandError(ErrorCode.UNKNOWN_VENUE, word=name, example=example, known=known)
    return venue


def venue_max_leverage(venue: str) -> Decimal | None:
    """The most leverage the venue offers on any instrument it lists (None if it says none)."""
    offered = [
        item.max_leverage or (item.tiers[0].max_leverage if item.tiers else None)
        for item in catalog.instruments(venue)
    ]
    known = [value for value in offered if value is not None]
    return max(known) if known else None


def per_coin(instrument: Instrument) -> Instrument:
    """A scaled contract restated per coin (see the module docstring); others as they are."""
    scale = instrument.scale
    if scale == 1:
        return instrument
    return instrument.model_copy(
        update={
            "qty_step": instrument.qty_step * scale,
            "min_qty": instrument.min_qty * scale,
            "tick": instrument.tick / scale,
        }
    )


def listed(venue: str, typed: str) -> Instrument | None:
    """The instrument a logged check named, per coin, if the venue still lists it."""
    found = catalog.find(venue, typed)
    return None if found is None else per_coin(found)


def resolved(venue: str, symbol: str, example: str) -> Instrument:
    """The venue's own instrument for a member's symbol, or the error saying what it lists."""
    try:
        return catalog.resolve(venue, symbol)
    except catalog.SymbolNotFound as missing:
        raise _unknown_symbol(symbol, venue, missing, example) from None


def instrument_for(
    resolver: Resolver, symbol: str, venue_typed: str | None, *, priced: bool = True
) -> Instrument:
    """The instrument of `symbol` on the typed (or default) venue, per coin; its fee joins the
    defaults. `priced` requests need its tier table; /price does not."""
    venue = known_venue(resolver.need("venue", venue_typed), resolver.example)
    found = resolved(venue, symbol, resolver.example)
    if priced and not found.tiers and found.liquidation is not LiquidationModel.NONE:
        raise CommandError(
            ErrorCode.TIERS_UNKNOWN,
            word=symbol,
            example=resolver.example,
            venue=found.venue_name,
            symbol=found.symbol,
            example_venue=_priced_elsewhere(symbol, venue),
        )
    fee = found.taker_fee if found.taker_fee is not None else catalog.venue(venue).taker_fee
    resolver.add_venue_layer(Profile(fee=fee))
    return per_coin(found)


def _priced_elsewhere(symbol: str, venue: str) -> str:
    """`venue binance` where another venue lists the coin with a tier table, else ""."""
    for key in catalog.listed_on(symbol, exclude=venue):
        other = catalog.find(key, symbol)
        if other is not None and other.tiers:
            return f"venue {key}"
    return ""


def _unknown_symbol(
    symbol: str, venue: str, missing: catalog.SymbolNotFound, example: str
) -> CommandError:
    """Nearest listed coins, and the venues that do list it, with the list's date."""
    elsewhere = [catalog.venue(key) for key in missing.listed_on]
    params = {
        "venue": catalog.venue(venue).name,
        "as_of": f"{missing.as_of:%Y-%m-%d}",
        "suggestions": ", ".join(missing.suggestions),
        "listed_on": ", ".join(item.name for item in elsewhere),
        "venue_hint": f"venue {elsewhere[0].key}" if elsewhere else "",
    }
    return CommandError(ErrorCode.UNKNOWN_SYMBOL, word=symbol, example=example, **params)


def _unit(instrument: Instrument) -> Decimal:
    unit = instrument.contract_value if instrument.inverse else instrument.qty_step
    assert unit is not None
    return unit


def default_contract(instrument: Instrument) -> Contract:
    """The venue's own smallest unit, named when the venue names it."""
    unit = _unit(instrument)
    named = sorted(instrument.contracts.items(), key=lambda item: item[1])
    if named and named[0][1] == unit:
        return Contract(kind=ContractKind(named[0][0]), size=unit)
    return Contract(kind=ContractKind.STEP, size=unit)


def contract_for(resolver: Resolver, instrument: Instrument, spec: ContractSpec | None) -> Contract:
    """The unit sizes round to: a named or custom contract, else the venue's own smallest unit."""
    unit = _unit(instrument)
    if spec is None:
        return default_contract(instrument)
    size = (
        spec.multiplier if spec.kind is ContractKind.CUSTOM else instrument.contracts.get(spec.kind)
    )
    if size is None or size <= 0 or size % unit != 0:
        offered = ", ".join(f"{name} {size}" for name, size in instrument.contracts.items())
        raise CommandError(
            ErrorCode.UNKNOWN_CONTRACT,
            word=str(spec.multiplier or spec.kind),
            example=resolver.example,
            venue=instrument.venue_name,
            symbol=instrument.symbol,
            offered=offered,
            unit=str(unit),
        )
    return Contract(kind=spec.kind, size=size)


def quantity_for(
    resolver: Resolver, instrument: Instrument, spec: QuantitySpec, price: Decimal | None
) -> Decimal:
    """What `qty` means, the same in every calculator: base units of a linear instrument;
    contracts of an inverse one (USD each), whole, or a coin amount converted at `price` and
    rounded down to whole contracts, as sizes always are. A conversion is named in the reply's
    last line, so the member sees the contracts used rather than the coin typed."""
    if spec.coin is not None and spec.coin != instrument.base:
        raise CommandError(
            ErrorCode.WRONG_COIN,
            word=f"{plain(spec.amount)}{spec.coin.lower()}",
            example=resolver.example,
            coin=spec.coin,
            base=instrument.base,
        )
    if not instrument.inverse:
        return spec.amount
    value = plain(instrument.contract_value or Decimal(0))
    if spec.coin is None:
        if spec.amount != spec.amount.to_integral_value():
            raise CommandError(
                ErrorCode.NOT_WHOLE_CONTRACTS,
                word=plain(spec.amount),
                example=resolver.example,
                symbol=instrument.symbol,
                value=value,
            )
        return spec.amount
    if price is None:
        raise CommandError(
            ErrorCode.MISSING_DEFAULT, word="qty", example=resolver.example, what="price"
        )
    contracts = contracts_for_coin(instrument, spec.amount, price)
    if contracts < 1:
        raise CommandError(
            ErrorCode.BELOW_ONE_CONTRACT,
            word=f"{plain(spec.amount)}{spec.coin.lower()}",
            example=resolver.example,
            value=value,
            price=plain(price),
        )
    resolver.note("contracts", plain(contracts), "coin")
    return contracts
