"""The venues, instruments and tier tables the engine works with, from `chatbot/data`.

Tier tables change; the data file records where each figure comes from and when, and replies
name the table they used.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from chatbot.engine.models import Instrument, LiquidationModel, Tier

DEFAULT_VENUE = "binance"

VENUE_ALIASES: dict[str, str] = {
    "binance": "binance",
    "bn": "binance",
    "usdm": "binance",
    "binance-usdm": "binance",
    "binance_usdm": "binance",
    "bybit": "bybit",
    "coinm": "binance_coinm",
    "coin-m": "binance_coinm",
    "binance-coinm": "binance_coinm",
    "binance_coinm": "binance_coinm",
    "inverse": "binance_coinm",
    "cme": "cme",
}


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _instrument(
    venue: str, venue_data: dict[str, Any], base: str, raw: dict[str, Any]
) -> Instrument:
    tiers = tuple(
        Tier(
            floor=Decimal(tier["floor"]),
            cap=_decimal(tier["cap"]),
            max_leverage=Decimal(tier["max_leverage"]),
            mmr=Decimal(tier["mmr"]),
            cum=Decimal(tier["cum"]),
        )
        for tier in raw["tiers"]
    )
    return Instrument(
        venue=venue,
        venue_name=venue_data["name"],
        symbol=raw["symbol"],
        base=base,
        quote=raw["quote"],
        inverse=venue_data["kind"] == "inverse",
        liquidation=LiquidationModel(venue_data["liquidation"]),
        qty_step=Decimal(raw["qty_step"]),
        min_qty=Decimal(raw["min_qty"]),
        tick=Decimal(raw["tick"]),
        min_notional=Decimal(raw["min_notional"]),
        contract_value=_decimal(raw.get("contract_value")),
        contracts={name: Decimal(size) for name, size in raw.get("contracts", {}).items()},
        tiers=tiers,
        tiers_in_coin=raw.get("tier_unit") == "coin",
        tiers_source=raw["tiers_source"],
        tiers_as_of=raw["tiers_as_of"],
    )


@cache
def _catalog() -> dict[str, Any]:
    text = resources.files("chatbot").joinpath("data/instruments.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def instruments() -> dict[tuple[str, str], Instrument]:
    """Every instrument, keyed by (venue, base asset); parsed once per process."""
    venues = _catalog()["venues"]
    return {
        (venue, base): _instrument(venue, data, base, raw)
        for venue, data in venues.items()
        for base, raw in data["instruments"].items()
    }


def venue_key(name: str) -> str | None:
    """The venue a member's spelling means, or None."""
    return VENUE_ALIASES.get(name.strip().lower())


def venue_fee(venue: str) -> Decimal | None:
    """The venue's taker fee rate, where it charges one on notional (CME charges per contract)."""
    return _decimal(_catalog()["venues"][venue]["taker_fee"])


def venue_name(venue: str) -> str:
    """The venue as members know it, for messages."""
    name: str = _catalog()["venues"][venue]["name"]
    return name


def symbols(venue: str) -> list[str]:
    """Base assets the venue lists, for the "unknown symbol" answer."""
    return sorted(base for (key, base) in instruments() if key == venue)


def find(venue: str, base: str) -> Instrument | None:
    return instruments().get((venue, base))
