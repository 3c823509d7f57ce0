"""How a command is declared: its words, its example, and how its typed parts build a request.

Every command the bot understands is one `Grammar` entry (the calculators in `calculators.py`,
the member's own commands in `member_commands.py`). The parser, the private-chat matcher and
every example shown to members are derived from those entries, so a command is declared once.
The shared vocabulary (keyword spellings, flags, bare tokens such as `20x`) lives here because
members expect `sl` to mean the stop in every command that has one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic, TypeVar

from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.numbers import POINT, NumberStyle

T = TypeVar("T")
R = TypeVar("R")

KEYWORDS: dict[str, tuple[str, ...]] = {
    "stop": ("stop", "sl"),
    "acct": ("acct", "account", "bal", "balance", "equity"),
    "lev": ("lev", "leverage"),
    "risk": ("risk",),
    "tp": ("tp", "target", "take"),
    "fee": ("fee",),
    "venue": ("venue", "exchange", "ex"),
    "mmr": ("mmr",),
    "qty": ("qty", "quantity", "size", "amount"),
    "ratio": ("ratio",),
    "price": ("price",),
    "rate": ("rate",),
    "hours": ("hours", "h"),
    "exit": ("exit",),
    "contract": ("contract",),
    "maxrisk": ("maxrisk", "max_risk", "rule"),
    "maxlev": ("maxlev", "max_lev", "maxleverage"),
    "lang": ("lang", "language"),
    "tz": ("tz", "timezone"),
    "channel": ("channel",),
    "funding": ("funding",),
    "others_mm": ("others_mm", "othersmm", "tmm"),
    "others_upnl": ("others_upnl", "othersupnl", "upnl"),
}

FLAGS: dict[str, dict[str, str]] = {
    "side": {"long": "long", "short": "short"},
    "margin": {"isolated": "isolated", "iso": "isolated", "cross": "cross"},
    "contract": {kind: kind for kind in ("standard", "micro", "nano")},
    "lessons": {"lessons": "lessons", "lesson": "lessons"},
}

BARE_TOKENS = {
    "lev": re.compile(r"x[0-9][0-9.,]*|[0-9][0-9.,]*x"),
    "hours": re.compile(r"[0-9][0-9.,]*h"),
}


@dataclass(frozen=True)
class Typed:
    """A value as the member typed it, and the word that introduced it (for error messages).

    `style` is how this member writes numbers; `reference` a price the command's instrument
    trades near, if known, which settles a number that could be read two ways.
    """

    word: str
    value: str
    style: NumberStyle = POINT
    reference: Decimal | None = None


Reader = Callable[[Typed, str], T]


@dataclass(frozen=True)
class Parts:
    """Every part of one command as typed, keyed by canonical name, before values are read.

    `schedule` holds the words from `daily`/`weekly`/`off` on, for commands that take one;
    `listed` the values of a command's list (`Grammar.listed`), in the order typed.
    """

    typed: dict[str, Typed]
    schedule: tuple[str, ...] = ()
    listed: tuple[Typed, ...] = ()

    def required(self, name: str, read: Reader[T]) -> T:
        """A part without a default: its absence is named in the error."""
        if name not in self.typed:
            raise CommandError(ErrorCode.MISSING_ARGUMENT, what=name)
        return read(self.typed[name], name)

    def optional(self, name: str, read: Reader[T]) -> T | None:
        """A part left out stays `None`, so evaluation can fill and name the default it used."""
        return read(self.typed[name], name) if name in self.typed else None

    def many(self, name: str, read: Callable[[tuple[Typed, ...], str], T]) -> T:
        """The command's list, read as a whole (its values may pair up); an empty one is
        missing, named as the list."""
        if not self.listed:
            raise CommandError(ErrorCode.MISSING_ARGUMENT, what=name)
        return read(self.listed, name)


@dataclass(frozen=True)
class Grammar(Generic[R]):
    """What one command accepts after its command word, and how its parts become a request.

    `positionals` come first in this order (the last one may be left out when
    `optional_last`); `keywords` and `flags` name entries of `KEYWORDS` and `FLAGS`. A command
    that takes any number of values (`/avg BTC 0.01@72000 0.02@70500`) names that list in
    `listed`: every word after the positionals that starts like a number, wherever it sits
    between the keywords, joins it.
    """

    name: str
    example: str
    usage: str
    build: Callable[[Parts], R]
    positionals: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    optional_last: bool = False
    listed: str | None = None
    scheduled: bool = False
    words: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", (self.name, *self.aliases))
