"""Where a value the member did not type comes from, and the record of each default used.

This is the one place that decides what a missing value means: the member's settings, then the
community's policy, then the venue's own figures, then the global defaults. Every default handed
out is noted, so every reply can name the defaults it used.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from chatbot import markets
from chatbot.engine.models import MarginMode, RuleOwner, Rules
from chatbot.engine.plain import plain
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.parser import EXAMPLES
from chatbot.language.requests import RiskSpec
from chatbot.markets.prices import MarkPrice

# "coin": a figure converted from the coin amount the member typed (contracts from `0.1btc`).
Source = Literal["member", "group", "global", "venue", "coin"]
T = TypeVar("T")

DEFAULT_LANGUAGE = "en"
DEFAULT_TIMEZONE = "UTC"


class Profile(BaseModel):
    """One layer of defaults (a member's settings or a group's policy); None means "not set"."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    account: Decimal | None = None
    risk: RiskSpec | None = None
    leverage: Decimal | None = None
    fee: Decimal | None = None
    venue: str | None = None
    margin_mode: MarginMode | None = None
    max_risk: Decimal | None = None
    max_leverage: Decimal | None = None
    funding_interval: Decimal | None = None


class Preferences(Profile):
    """A member's own layer: their defaults, and the language and clock their answers use."""

    lang: str | None = None
    tz: str | None = None


GLOBAL = Profile(
    risk=RiskSpec(fraction=Decimal("0.01")),
    fee=Decimal("0.0005"),
    venue=markets.DEFAULT_VENUE,
    margin_mode=MarginMode.ISOLATED,
    max_risk=Decimal("0.01"),
    max_leverage=Decimal("10"),
    funding_interval=Decimal("8"),
)


class MarketQuote(BaseModel):
    """The venue's live price for a request that leaves the entry or funding rate to it:
    `mark` when one was had just now, else `last`, the last known one (for saying how old).
    `references` are the mark prices known per coin (`BTC`), however old: a typed entry ten
    times away from its coin's is most likely a typo."""

    model_config = ConfigDict(frozen=True)

    mark: MarkPrice | None = None
    last: MarkPrice | None = None
    references: dict[str, Decimal] = Field(default_factory=dict)


class DefaultUsed(BaseModel):
    """A value the member did not type, where it came from, for the reply's last line."""

    model_config = ConfigDict(frozen=True)

    name: str
    value: str
    source: Source


Layers = tuple[tuple[Source, Profile], ...]
_OWNERS: dict[Source, RuleOwner] = {"member": RuleOwner.MEMBER, "group": RuleOwner.GROUP}


def layers(member: Profile | None, group: Profile | None) -> Layers:
    """The order every missing value is looked up in: member, then group, then global."""
    return (("member", member or Profile()), ("group", group or Profile()), ("global", GLOBAL))


class Resolver:
    """Looks a value up through the layers and remembers each default it hands out."""

    def __init__(self, command: str, layers: Layers, market: MarketQuote | None = None) -> None:
        self.command = command
        self.layers = layers
        self.market = market or MarketQuote()
        self.used: list[DefaultUsed] = []

    @property
    def example(self) -> str:
        """The example of the command being evaluated, for errors raised while filling it."""
        return EXAMPLES[self.command]

    def pick(self, name: str, typed: T | None, *, quiet: bool = False) -> T | None:
        """The typed value, else the first layer that sets it (noted unless `quiet`)."""
        if typed is not None:
            return typed
        for source, profile in self.layers:
            value = getattr(profile, name)
            if value is not None:
                if not quiet:
                    self.note(name, _show(value), source)
                return value  # type: ignore[no-any-return]
        return None

    def need(self, name: str, typed: T | None) -> T:
        value = self.pick(name, typed)
        if value is None:
            raise CommandError(
                ErrorCode.MISSING_DEFAULT, word=name, example=self.example, what=name
            )
        return value

    def given(self, name: str, typed: T | None, default: T, source: Source = "global") -> T:
        """A value with a fixed default outside the layers (a side, a ratio), noted when used."""
        if typed is not None:
            return typed
        self.note(name, _show(default), source)
        return default

    def add_venue_layer(self, profile: Profile) -> None:
        """Venue figures (its taker fee) rank below the member and group, above the globals."""
        self.layers = (*self.layers[:-1], ("venue", profile), self.layers[-1])

    def note(self, name: str, value: str, source: Source) -> None:
        self.used.append(DefaultUsed(name=name, value=value, source=source))

    def rules(self) -> Rules:
        """The rules that judge the trade; they are not defaults of it, so they go unnoted.

        Rules stack: where both the member and the group set a limit, the stricter applies (a
        member's own rule can tighten a group's policy, never loosen it); where neither does,
        the beginner default."""
        risk, risk_owner = self._strictest("max_risk")
        leverage, leverage_owner = self._strictest("max_leverage")
        return Rules(
            max_risk=risk,
            max_leverage=leverage,
            risk_owner=risk_owner,
            leverage_owner=leverage_owner,
        )

    def _strictest(self, name: str) -> tuple[Decimal, RuleOwner]:
        set_by = [
            (getattr(profile, name), _OWNERS[source])
            for source, profile in self.layers
            if source in _OWNERS and getattr(profile, name) is not None
        ]
        if not set_by:
            value: Decimal = getattr(GLOBAL, name)
            return value, RuleOwner.DEFAULT
        # min() keeps the first of equals: the member's own rule names a tie.
        return min(set_by, key=lambda pair: pair[0])


def _show(value: object) -> str:
    if isinstance(value, RiskSpec):
        if value.fraction is not None:
            return plain(value.fraction)
        return f"${plain(value.amount or Decimal(0))}"
    return plain(value) if isinstance(value, Decimal) else str(value)


def rules_for(member: Profile | None = None, group: Profile | None = None) -> Rules:
    """The rules a member is judged by: the stricter of their own and the group's, per limit."""
    return Resolver("size", layers(member, group)).rules()
