"""How members type a market, and how venues name contracts that stand for many coins.

Members type `pepe`, `PEPEUSDT`, `PEPE/USDT:USDT`, `PEPE-USDT-SWAP` or `1000PEPE`; venues list
`1000PEPEUSDT` (Binance, Bybit), `1MBABYDOGEUSDT` or Bybit's older `SHIB1000USDT`, whose price
is that of 1,000 (or a million) coins. Both sides are reduced to a coin, a scale and, where the
text names one, a quote asset, so that one comparison finds the contract.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

QUOTES: tuple[str, ...] = ("USDT", "USDC", "USD")
"""Quote assets a symbol may end with, longest first so that USDT is not read as USD + T."""

_NOT_QUOTES = frozenset({"PERP", "SWAP"})

_SCALE_PREFIXES: tuple[tuple[str, Decimal], ...] = (
    ("1000000", Decimal(1_000_000)),
    ("100000", Decimal(100_000)),
    ("10000", Decimal(10_000)),
    ("1000", Decimal(1000)),
    ("1M", Decimal(1_000_000)),
)
_SCALE_SUFFIX = ("1000", Decimal(1000))


class Reading(NamedTuple):
    """One way to read typed text: the base as written (maybe scaled) and the quote, if named."""

    base: str
    quote: str | None


def split_scale(base: str) -> tuple[str, Decimal]:
    """The coin a venue's base stands for and how many of it: `1000PEPE` is (PEPE, 1000).

    A prefix counts only when a letter follows it, so `1INCH` stays a coin of its own.
    """
    for prefix, scale in _SCALE_PREFIXES:
        rest = base.removeprefix(prefix)
        if rest != base and rest[:1].isalpha():
            return rest, scale
    suffix, scale = _SCALE_SUFFIX
    rest = base.removesuffix(suffix)
    if rest != base and rest.isalpha():
        return rest, scale
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
