"""The instrument and contract a request means, or the error that lists what the venue offers.

The market layer knows what venues list; this module turns a member's spelling into one of
them and refuses what does not exist with the choices that do.
"""

from __future__ import annotations

from chatbot import markets
from chatbot.engine.models import Contract, ContractKind, Instrument
from chatbot.evaluation.defaults import Profile, Resolver
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.requests import ContractSpec


def known_venue(name: str, example: str) -> str:
    """The canonical venue for a member's spelling, or the error listing the venues."""
    venue = markets.venue_key(name)
    if venue is None:
        known = ", ".join(sorted(set(markets.VENUE_ALIASES.values())))
        raise CommandError(ErrorCode.UNKNOWN_VENUE, word=name, example=example, known=known)
    return venue


def instrument_for(resolver: Resolver, symbol: str, venue_typed: str | None) -> Instrument:
    """The instrument of `symbol` on the typed (or default) venue; its fee joins the defaults."""
    venue = known_venue(resolver.need("venue", venue_typed), resolver.example)
    instrument = markets.find(venue, symbol)
    if instrument is None:
        raise CommandError(
            ErrorCode.UNKNOWN_SYMBOL,
            word=symbol,
            example=resolver.example,
            known=", ".join(markets.symbols(venue)),
            venue=markets.venue_name(venue),
        )
    resolver.add_venue_layer(Profile(fee=markets.venue_fee(venue)))
    return instrument


def contract_for(resolver: Resolver, instrument: Instrument, spec: ContractSpec | None) -> Contract:
    """The unit sizes round to: a named or custom contract, else the venue's own smallest unit."""
    unit = instrument.contract_value if instrument.inverse else instrument.qty_step
    assert unit is not None
    if spec is None:
        named = sorted(instrument.contracts.items(), key=lambda item: item[1])
        if named and named[0][1] == unit:
            return Contract(kind=ContractKind(named[0][0]), size=unit)
        return Contract(kind=ContractKind.STEP, size=unit)
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
