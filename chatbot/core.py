"""Requests plus defaults plus venue data make engine inputs; results come back as data.

This is the one place that decides what a missing value means (member's settings, then the
community's policy, then the global defaults of domain.md) and records which defaults it used,
so every reply can name them. It returns data, never message text.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict

from chatbot import markets
from chatbot.engine.liquidation import effective_tiers, liquidation_check
from chatbot.engine.models import (
    Contract,
    ContractKind,
    EngineError,
    FundingInput,
    FundingResult,
    HedgeInput,
    HedgeResult,
    Instrument,
    LiqInput,
    LiqResult,
    MarginMode,
    PnlInput,
    PnlResult,
    Risk,
    Rules,
    Side,
    SizeInput,
    SizeResult,
)
from chatbot.engine.sizing import max_notional_for_leverage, size_position
from chatbot.engine.trade import funding, hedge, profit_and_loss
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.parser import EXAMPLES
from chatbot.language.requests import (
    AnyRequest,
    ContractSpec,
    FundingRequest,
    HedgeRequest,
    LiqRequest,
    Outcome,
    PnlRequest,
    RiskSpec,
    SizeRequest,
    StopSpec,
)

Source = Literal["member", "group", "global", "venue"]
T = TypeVar("T")


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


GLOBAL = Profile(
    risk=RiskSpec(fraction=Decimal("0.01")),
    fee=Decimal("0.0005"),
    venue=markets.DEFAULT_VENUE,
    margin_mode=MarginMode.ISOLATED,
    max_risk=Decimal("0.01"),
    max_leverage=Decimal("10"),
    funding_interval=Decimal("8"),
)


class DefaultUsed(BaseModel):
    """A value the member did not type, where it came from, for the reply's last line."""

    model_config = ConfigDict(frozen=True)

    name: str
    value: str
    source: Source


Result = SizeResult | LiqResult | PnlResult | HedgeResult | FundingResult


class Check(BaseModel):
    """A finished check: what was asked, what the engine found, which defaults filled the gaps."""

    model_config = ConfigDict(frozen=True)

    request: AnyRequest
    result: Result
    defaults: tuple[DefaultUsed, ...]


class _Resolver:
    """Looks a value up through the layers and remembers each default it hands out."""

    def __init__(self, command: str, layers: tuple[tuple[Source, Profile], ...]) -> None:
        self.command = command
        self.layers = layers
        self.used: list[DefaultUsed] = []

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
                ErrorCode.MISSING_DEFAULT, word=name, example=EXAMPLES[self.command], what=name
            )
        return value

    def add_venue_layer(self, profile: Profile) -> None:
        """Venue figures (its taker fee) rank below the member and group, above the globals."""
        self.layers = (*self.layers[:-1], ("venue", profile), self.layers[-1])

    def note(self, name: str, value: str, source: Source) -> None:
        self.used.append(DefaultUsed(name=name, value=value, source=source))


def _show(value: object) -> str:
    if isinstance(value, RiskSpec):
        return f"{value.fraction}" if value.fraction is not None else f"${value.amount}"
    return str(value)


def _instrument(resolver: _Resolver, symbol: str, venue_typed: str | None) -> Instrument:
    example = EXAMPLES[resolver.command]
    venue = known_venue(resolver.need("venue", venue_typed), example)
    instrument = markets.find(venue, symbol)
    if instrument is None:
        known = ", ".join(markets.symbols(venue))
        raise CommandError(
            ErrorCode.UNKNOWN_SYMBOL,
            word=symbol,
            example=example,
            known=known,
            venue=markets.venue_name(venue),
        )
    resolver.add_venue_layer(Profile(fee=markets.venue_fee(venue)))
    return instrument


def _contract(resolver: _Resolver, instrument: Instrument, spec: ContractSpec | None) -> Contract:
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
            example=EXAMPLES[resolver.command],
            venue=instrument.venue_name,
            symbol=instrument.symbol,
            offered=offered,
            unit=str(unit),
        )
    return Contract(kind=spec.kind, size=size)


def _layers(member: Profile | None, group: Profile | None) -> tuple[tuple[Source, Profile], ...]:
    """The order every missing value is looked up in: member, then group, then global."""
    return (("member", member or Profile()), ("group", group or Profile()), ("global", GLOBAL))


def rules_for(member: Profile | None = None, group: Profile | None = None) -> Rules:
    """The rules a member is judged by, looked up in the same order as every default."""
    return _rules(_Resolver("size", _layers(member, group)))


def _rules(resolver: _Resolver) -> Rules:
    """The member's rules judge the trade; they are not defaults of it, so they go unnoted."""
    return Rules(
        max_risk=resolver.pick("max_risk", None, quiet=True),
        max_leverage=resolver.pick("max_leverage", None, quiet=True),
    )


def _stop_price(request: SizeRequest) -> Decimal:
    """A stop given as a distance becomes a price on the losing side of the position."""
    stop: StopSpec = request.stop
    if stop.price is not None:
        return stop.price
    assert stop.distance is not None
    direction = stop.direction or (1 if request.side is Side.SHORT else -1)
    return request.entry * (1 + direction * stop.distance)


def _engine_error(error: EngineError, request: AnyRequest) -> CommandError:
    leverage = getattr(request, "leverage", None)
    return CommandError(
        ErrorCode.LEVERAGE_ABOVE_VENUE_MAX,
        word=f"{leverage}x",
        example=EXAMPLES[request.command],
        **{key: str(value) for key, value in error.params.items()},
    )


def _size(request: SizeRequest, r: _Resolver) -> SizeResult:
    instrument = _instrument(r, request.symbol, request.venue)
    risk = r.need("risk", request.risk)
    return size_position(
        SizeInput(
            instrument=instrument,
            contract=_contract(r, instrument, request.contract),
            entry=request.entry,
            stop=_stop_price(request),
            target=request.target,
            account=r.need("account", request.account),
            leverage=r.need("leverage", request.leverage),
            risk=Risk(fraction=risk.fraction, amount=risk.amount),
            fee_rate=r.need("fee", request.fee),
            margin_mode=r.need("margin_mode", request.margin_mode),
            mmr_override=request.mmr,
            rules=_rules(r),
        )
    )


def _liq(request: LiqRequest, r: _Resolver) -> LiqResult:
    instrument = _instrument(r, request.symbol, request.venue)
    mode = r.need("margin_mode", request.margin_mode)
    side = request.side
    if side is None:
        side = Side.LONG
        r.note("side", side.value, "global")
    account = request.account
    if mode is MarginMode.CROSS:
        account = r.need("account", account)
    max_notional_for_leverage(effective_tiers(instrument, request.mmr), request.leverage)
    quantity = request.quantity
    if quantity is None:
        if mode is MarginMode.CROSS:
            raise CommandError(
                ErrorCode.MISSING_DEFAULT, word="qty", example=EXAMPLES["liq"], what="quantity"
            )
        quantity = instrument.min_qty
        r.note("quantity", str(quantity), "venue")
    return liquidation_check(
        LiqInput(
            instrument=instrument,
            entry=request.entry,
            leverage=request.leverage,
            side=side,
            margin_mode=mode,
            quantity=quantity,
            account=account,
            mmr_override=request.mmr,
        )
    )


def _pnl(request: PnlRequest, r: _Resolver) -> PnlResult:
    instrument = _instrument(r, request.symbol, request.venue)
    contract = _contract(r, instrument, request.contract)
    side = request.side
    if side is None:
        side = Side.LONG
        r.note("side", side.value, "global")
    counts_contracts = request.contract is not None and not instrument.inverse
    quantity = request.quantity * contract.size if counts_contracts else request.quantity
    return profit_and_loss(
        PnlInput(
            instrument=instrument,
            contract=contract,
            side=side,
            entry=request.entry,
            exit=request.exit,
            quantity=quantity,
            fee_rate=r.need("fee", request.fee),
            stop=request.stop,
        )
    )


def _hedge(request: HedgeRequest, r: _Resolver) -> HedgeResult:
    instrument = _instrument(r, request.symbol, request.venue)
    ratio = request.ratio
    if ratio is None:
        ratio = Decimal(1)
        r.note("ratio", "1", "global")
    return hedge(
        HedgeInput(
            instrument=instrument,
            contract=_contract(r, instrument, request.contract),
            spot_value=request.spot_value,
            ratio=ratio,
            price=request.price,
        )
    )


def _funding(request: FundingRequest, r: _Resolver) -> FundingResult:
    instrument = _instrument(r, request.symbol, request.venue)
    interval = r.need("funding_interval", None)
    hours = request.hours
    if hours is None:
        hours = interval
        r.note("hours", str(hours), "global")
    side = request.side
    if side is None:
        side = Side.LONG
        r.note("side", side.value, "global")
    return funding(
        FundingInput(
            instrument=instrument,
            side=side,
            notional=request.notional,
            rate=request.rate,
            hours=hours,
            interval_hours=interval,
        )
    )


def evaluate(
    request: AnyRequest, member: Profile | None = None, group: Profile | None = None
) -> Check:
    """Run one request through the engine; raises `CommandError` for what defaults cannot fill."""
    resolver = _Resolver(request.command, _layers(member, group))
    try:
        match request:
            case SizeRequest():
                result: Result = _size(request, resolver)
            case LiqRequest():
                result = _liq(request, resolver)
            case PnlRequest():
                result = _pnl(request, resolver)
            case HedgeRequest():
                result = _hedge(request, resolver)
            case FundingRequest():
                result = _funding(request, resolver)
    except EngineError as error:
        raise _engine_error(error, request) from error
    return Check(request=request, result=result, defaults=tuple(resolver.used))


def stored_result(check: Check) -> str:
    """The result as JSON for the log: figures only, the instrument named, not its tier table."""
    result = check.result
    data = result.model_dump(mode="json", exclude={"instrument"})
    data["venue"], data["base"] = result.instrument.venue, result.instrument.base
    return json.dumps(data)


def revive_size(result_json: str) -> SizeResult | None:
    """A logged /size result with its instrument, or None if the venue no longer lists it."""
    data = json.loads(result_json)
    instrument = markets.find(data.pop("venue"), data.pop("base"))
    if instrument is None:
        return None
    return SizeResult.model_validate({**data, "instrument": instrument})


class OutcomeFigures(BaseModel):
    """What a reported outcome means for the record: R, liquidation, loss beyond the rule."""

    model_config = ConfigDict(frozen=True)

    result: Literal["win", "loss", "be"]
    r_multiple: Decimal | None
    liquidated: bool
    loss_beyond_budget: Decimal | None


def outcome_figures(
    sized: SizeResult, outcome: Outcome, exit_price: Decimal | None, rule: Decimal
) -> OutcomeFigures:
    """R = net result / loss at stop (both fees included); a loss without an exit price is
    taken at the stop (−1 R), a liquidation without one at the whole isolated margin.

    The loss beyond budget measures against the member's rule (account × max risk), so an
    oversized trade shows what breaking the rule cost, not only that it was broken.
    """
    liquidated = outcome == "liq"
    if exit_price is None and liquidated:
        exit_price = sized.liquidation_price
    net: Decimal | None = None
    if exit_price is not None and sized.quantity > 0:
        inverse = sized.instrument.inverse
        pnl = profit_and_loss(
            PnlInput(
                instrument=sized.instrument,
                contract=sized.contract,
                side=sized.side,
                entry=sized.entry,
                exit=exit_price,
                quantity=sized.contracts if inverse else sized.quantity,
                fee_rate=sized.fee_rate,
            )
        )
        net = pnl.net
    elif outcome in {"loss", "liq"}:
        net = -(sized.initial_margin if liquidated else sized.loss_at_stop)
    elif outcome == "be":
        net = Decimal(0)
    r_multiple = None if net is None or not sized.loss_at_stop else net / sized.loss_at_stop
    beyond = None
    if net is not None and net < 0:
        beyond = max(-net - sized.account * rule, Decimal(0))
    result: Literal["win", "loss", "be"] = "loss" if liquidated else outcome  # type: ignore[assignment]
    return OutcomeFigures(
        result=result, r_multiple=r_multiple, liquidated=liquidated, loss_beyond_budget=beyond
    )


def known_venue(name: str, example: str) -> str:
    """The canonical venue for a member's spelling, or the error listing the venues."""
    venue = markets.venue_key(name)
    if venue is None:
        known = ", ".join(sorted(set(markets.VENUE_ALIASES.values())))
        raise CommandError(ErrorCode.UNKNOWN_VENUE, word=name, example=example, known=known)
    return venue
