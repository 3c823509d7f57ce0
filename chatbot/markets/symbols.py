"""How members type a market, and how venues name contracts that stand for many coins.

Members type `pepe`, `PEPEUSDT`, `PEPE/USDT:USDT`, `PEPE-USDT-SWAP` or `1000PEPE`; venues list
`1000PEPEUSDT` (Binance, Bybit), `1MBABYDOGEUSDT` or Bybit's older `SHIB1000USDT`, whose price
is that of 1,000 (or a million) coins. Both sides are reduced to a coin, a scale and, where the
text names one, a quote asset, so that one comparison finds the contract.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

QUOTES: tuple[str, ...] = ("USDT", "USDC", "USD")
"""Quote assets a symbol may end with, longest first so that USDT is not read as USD + T."""

_NOT_QUOTES = frozenset({"PERP", "SWAP"})

# Venues scale cheap coins by powers of ten written before the coin (Binance 1000PEPE, Bybit
# 10000LADYS, 1MBABYDOGE for a million) or, rarely, after it (SHIB1000). A prefix counts only
# when a letter follows, so `1INCH` stays a coin of its own.
_PREFIXED = re.compile(r"^(?P<scale>10{3,}|1M)(?P<coin>[A-Z][A-Z0-9]*)$")
_SUFFIXED = re.compile(r"^(?P<coin>[A-Z][A-Z0-9]*?[A-Z])(?P<scale>10{3,})$")


class Reading(NamedTuple):
    """One way to read typed text: the base as written (maybe scaled) and the quote, if named."""

    base: str
    quote: str | None


def split_scale(base: str) -> tuple[str, Decimal]:
    """The coin a venue's base stands for and how many of it: `1000PEPE` is (PEPE, 1000)."""
    for pattern in (_PREFIXED, _SUFFIXED):
        match = pattern.match(base)
        if match:
            scale = match["scale"]
            return match["coin"], Decimal(1_000_000) if scale == "1M" else Decimal(scale)
    return base, Decimal(1)


def _quote(text: str) -> str | None:
    return None if not text or text in _NOT_QUOTES else text


def readings(typed: str) -> tuple[Reading, ...]:
    """Every reading of what a member typed, the most literal first.

    `PEPE/USDT:USDT` and `PEPE-USDT-SWAP` name their quote; run-together text such as
    `PEPEUSDT` is read both as written and with a known quote taken off the end.
    """
    text = typed.strip().upper()
    if "/" in text:
        base, _, rest = text.partition("/")
        return (Reading(base, _quote(rest.partition(":")[0])),)
    if "-" in text:
        base, _, rest = text.partition("-")
        return (Reading(base, _quote(rest.partition("-")[0])),)
    text = text.removesuffix("_PERP")
    found = [Reading(text, None)]
    found += [
        Reading(text.removesuffix(quote), quote)
        for quote in QUOTES
        if text.endswith(quote) and len(text) > len(quote)
    ]
    return tuple(found)


def coin_of(typed: str) -> str:
    """The coin a member most likely meant, for "did you mean" answers: `siuusdt` is SIU."""
    return split_scale(readings(typed)[-1].base)[0]
