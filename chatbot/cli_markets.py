"""`riskbot markets list|show`: what the bot knows of each venue's instruments, and from where.

Every figure is printed with its source and date, and an unknown one says "not known offline"
rather than showing the placeholder the arithmetic runs on. JSON prints decimals in plain
notation (0.00000001, never 1E-8) so that other tools read them exactly.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from chatbot.engine.models import Instrument, Tier
from chatbot.markets import catalog
from chatbot.markets.models import Venue

EXIT_BAD_INPUT = 2
NOT_KNOWN = "not known offline"
FILTERS_NOT_KNOWN = "quantity step not known offline: round down to your venue's step"
FILTER_FIELDS = ("qty_step", "min_qty", "tick", "min_notional")

if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]


def add_markets_commands(commands: Subparsers) -> Subparsers:
    """Register `markets list` and `markets show`; returns the `markets` actions for more.

    Each action sets `func`, which takes the parsed arguments and returns the exit status.
    """
    markets = commands.add_parser("markets", help="instruments, filters and tier tables known")
    actions: Subparsers = markets.add_subparsers(dest="markets_command", required=True)
    listing = actions.add_parser("list", help="every instrument of a venue (or of all)")
    listing.add_argument("--venue", help="binance, coinm, bybit, bybit-inverse, okx, cme")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=run_list)
    show = actions.add_parser("show", help="one instrument with every figure and its source")
    show.add_argument("symbol", help="as members type it: pepe, PEPEUSDT, PEPE/USDT, 1000PEPE")
    show.add_argument("--venue", default="binance", help="default binance")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(func=run_show)
    return actions


def plain(value: Any) -> Any:
    """JSON-ready data with decimals in plain notation and datetimes in ISO 8601."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def instrument_json(instrument: Instrument) -> dict[str, Any]:
    """The instrument as JSON; filters no dated source gives are null, not placeholders."""
    data: dict[str, Any] = plain(instrument.model_dump())
    if not instrument.filters_known:
        data.update(dict.fromkeys(FILTER_FIELDS))
    data["tiers_known"] = bool(instrument.tiers)
    return data


def venue_json(venue: Venue) -> dict[str, Any]:
    snapshot = catalog.snapshot(venue.key)
    return {
        **plain(venue.model_dump()),
        "source": snapshot.source,
        "as_of": snapshot.as_of.isoformat(),
        "instruments": [instrument_json(item) for item in snapshot.instruments],
    }


def run_list(args: argparse.Namespace) -> int:
    chosen = _venues(args.venue)
    if chosen is None:
        return EXIT_BAD_INPUT
    if args.json:
        _print_json({"venues": [venue_json(venue) for venue in chosen]})
        return 0
    now = datetime.now(UTC)
    for venue in chosen:
        print("\n".join(_venue_lines(venue, now)))
    return 0


def run_show(args: argparse.Namespace) -> int:
    chosen = _venues(args.venue)
    if chosen is None:
        return EXIT_BAD_INPUT
    (venue,) = chosen
    try:
        instrument = catalog.resolve(venue.key, args.symbol)
    except catalog.SymbolNotFound as missing:
        return _not_found(venue, missing, args.json)
    if args.json:
        _print_json({"venue": plain(venue.model_dump()), "instrument": instrument_json(instrument)})
    else:
        print("\n".join(_instrument_lines(venue, instrument)))
    return 0


def _venues(spelling: str | None) -> tuple[Venue, ...] | None:
    if spelling is None:
        return catalog.venues()
    key = catalog.venue_key(spelling)
    if key is None:
        known = ", ".join(venue.key for venue in catalog.venues())
        print(f"riskbot: unknown venue {spelling!r}; venues: {known}", file=sys.stderr)
        return None
    return (catalog.venue(key),)


def _not_found(venue: Venue, missing: catalog.SymbolNotFound, as_json: bool) -> int:
    if as_json:
        _print_json(
            {
                "error": "symbol_not_found",
                "venue": venue.key,
                "typed": missing.typed,
                "suggestions": list(missing.suggestions),
                "listed_on": list(missing.listed_on),
                "as_of": missing.as_of.isoformat(),
            }
        )
        return EXIT_BAD_INPUT
    line = f"riskbot: {venue.name} lists no {missing.typed} (snapshot of {missing.as_of:%Y-%m-%d})."
    if missing.suggestions:
        line += f" Did you mean {' or '.join(missing.suggestions)}?"
    if missing.listed_on:
        names = ", ".join(catalog.venue(key).name for key in missing.listed_on)
        line += f" Listed on {names}."
    print(line, file=sys.stderr)
    return EXIT_BAD_INPUT


def _print_json(data: dict[str, Any]) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def _venue_lines(venue: Venue, now: datetime) -> list[str]:
    snapshot = catalog.snapshot(venue.key)
    age = (now - snapshot.as_of).days
    lines = [
        f"{venue.name} ({venue.key}): {len(snapshot.instruments)} instruments, snapshot of "
        f"{snapshot.as_of:%Y-%m-%d} ({age} days old)",
        f"  source: {snapshot.source}",
    ]
    for item in snapshot.instruments:
        coin = item.base if item.scale == 1 else f"{item.base} ×{item.scale}"
        tiers = (
            f"{len(item.tiers)} tiers ({item.tiers_as_of})" if item.tiers else "tiers " + NOT_KNOWN
        )
        filters = f"filters {item.filters_as_of}" if item.filters_known else "filters " + NOT_KNOWN
        lines.append(f"  {item.symbol:<18} {coin:<16} {tiers:<26} {filters}")
    return lines


def _instrument_lines(venue: Venue, item: Instrument) -> list[str]:
    lines = [
        f"{item.symbol} on {venue.name} ({venue.key})",
        f"coin {item.base}, quote {item.quote}",
    ]
    if item.scale != 1:
        lines.append(
            f"one unit of price and quantity is {format(item.scale, 'f')} {item.base}: "
            "prices per coin are multiplied by that"
        )
    if item.contract_value is not None:
        unit = "USD" if item.inverse else item.base
        lines.append(f"contract value {format(item.contract_value, 'f')} {unit}")
    leverage = NOT_KNOWN if item.max_leverage is None else f"{format(item.max_leverage, 'f')}x"
    lines.append(f"maximum leverage {leverage}")
    fee = item.taker_fee if item.taker_fee is not None else venue.taker_fee
    fee_text = NOT_KNOWN if fee is None else f"{format((fee * 100).normalize(), 'f')}%"
    lines.append(f"taker fee {fee_text} (venue default: {venue.fee_source})")
    lines += _filter_lines(item)
    lines += _tier_lines(item)
    return lines


def _filter_lines(item: Instrument) -> list[str]:
    if not item.filters_known:
        return [f"filters: {FILTERS_NOT_KNOWN}", f"  ({item.filters_source})"]
    return [
        f"filters of {item.filters_as_of}: quantity step {format(item.qty_step, 'f')}, minimum "
        f"quantity {format(item.min_qty, 'f')}, price tick {format(item.tick, 'f')}, minimum "
        f"notional {format(item.min_notional, 'f')} {item.quote}",
        f"  source: {item.filters_source}",
    ]


def _tier_lines(item: Instrument) -> list[str]:
    if not item.tiers:
        return [f"tier table: {item.tiers_source}"]
    unit = item.base if item.tiers_in_coin else item.quote
    lines = [
        f"tier table of {item.tiers_as_of} (notional in {unit})",
        f"  source: {item.tiers_source}",
        f"  {'tier':>4} {'floor':>14} {'cap':>14} {'max lev':>8} {'MMR':>8} {'cum':>14}",
    ]
    lines += [_tier_line(number, tier) for number, tier in enumerate(item.tiers, 1)]
    return lines


def _tier_line(number: int, tier: Tier) -> str:
    cap = "no cap" if tier.cap is None else format(tier.cap, "f")
    floor, leverage = format(tier.floor, "f"), format(tier.max_leverage, "f")
    mmr, cum = format(tier.mmr, "f"), format(tier.cum, "f")
    return f"  {number:>4} {floor:>14} {cap:>14} {leverage:>8} {mmr:>8} {cum:>14}"
