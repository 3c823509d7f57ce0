"""Each calculator's evaluation, one function per request: defaults filled, engine run.

A request type maps to exactly one evaluator (registered with `@evaluates`); `evaluate` finds
it by the request's type, so adding a calculator is one decorated function here.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from chatbot.engine.liquidation import effective_tiers, liquidation_check
from chatbot.engine.models import (
    EngineError,
    FundingInput,
    FundingResult,
    HedgeInput,
    HedgeResult,
    LiqInput,
    LiqResult,
    MarginMode,
    PnlInput,
    PnlResult,
    Risk,
    Side,
    SizeInput,
    SizeResult,
)
from chatbot.engine.sizing import max_notional_for_leverage, size_position
from chatbot.engine.trade import funding, hedge, profit_and_loss
from chatbot.evaluation.defaults import DefaultUsed, Profile, Resolver, layers
from chatbot.evaluation.instruments import contract_for, instrument_for
from chatbot.language.calculators import (
    Calculation,
    FundingRequest,
    HedgeRequest,
    LiqRequest,
    PnlRequest,
    SizeRequest,
)
from chatbot.language.errors import CommandError, ErrorCode

Result = SizeResult | LiqResult | PnlResult | HedgeResult | FundingResult
Q = TypeVar("Q", bound=Calculation)
Evaluator = Callable[[Any, Resolver], Result]

_EVALUATORS: dict[type, Evaluator] = {}


class Check(BaseModel):
    """A finished check: what was asked, what the engine found, which defaults filled the gaps."""

    model_config = ConfigDict(frozen=True)

    request: Calculation
    result: Result
    defaults: tuple[DefaultUsed, ...]


def evaluates(
    request_type: type[Q],
) -> Callable[[Callable[[Q, Resolver], Result]], Callable[[Q, Resolver], Result]]:
    """Register the evaluator of one request type."""

    def register(function: Callable[[Q, Resolver], Result]) -> Callable[[Q, Resolver], Result]:
        _EVALUATORS[request_type] = function
        return function

    return register


def evaluated_types() -> frozenset[type]:
    """The request types that have an evaluator, for the test that every calculator has one."""
    return frozenset(_EVALUATORS)


def evaluate(
    request: Calculation, member: Profile | None = None, group: Profile | None = None
) -> Check:
    """Run one request through the engine; raises `CommandError` for what defaults cannot fill."""
    resolver = Resolver(request.command, layers(member, group))
    try:
        result = _EVALUATORS[type(request)](request, resolver)
    except EngineError as error:
        raise CommandError(
            ErrorCode.LEVERAGE_ABOVE_VENUE_MAX,
            word=f"{getattr(request, 'leverage', None)}x",
            example=resolver.example,
            **{key: str(value) for key, value in error.params.items()},
        ) from error
    return Check(request=request, result=result, defaults=tuple(resolver.used))


def _stop_price(request: SizeRequest) -> Decimal:
    """A stop given as a distance becomes a price on the losing side of the position."""
    stop = request.stop
    if stop.price is not None:
        return stop.price
    assert stop.distance is not None
    direction = stop.direction or (1 if request.side is Side.SHORT else -1)
    return request.entry * (1 + direction * stop.distance)


@evaluates(SizeRequest)
def _size(request: SizeRequest, r: Resolver) -> SizeResult:
    instrument = instrument_for(r, request.symbol, request.venue)
    risk = r.need("risk", request.risk)
    return size_position(
        SizeInput(
            instrument=instrument,
            contract=contract_for(r, instrument, request.contract),
            entry=request.entry,
            stop=_stop_price(request),
            target=request.target,
            account=r.need("account", request.account),
            leverage=r.need("leverage", request.leverage),
            risk=Risk(fraction=risk.fraction, amount=risk.amount),
            fee_rate=r.need("fee", request.fee),
            margin_mode=r.need("margin_mode", request.margin_mode),
            mmr_override=request.mmr,
            rules=r.rules(),
        )
    )


@evaluates(LiqRequest)
def _liq(request: LiqRequest, r: Resolver) -> LiqResult:
    instrument = instrument_for(r, request.symbol, request.venue)
    mode = r.need("margin_mode", request.margin_mode)
    side = r.given("side", request.side, Side.LONG)
    account = r.need("account", request.account) if mode is MarginMode.CROSS else request.account
    max_notional_for_leverage(effective_tiers(instrument, request.mmr), request.leverage)
    if request.quantity is None and mode is MarginMode.CROSS:
        raise CommandError(
            ErrorCode.MISSING_DEFAULT, word="qty", example=r.example, what="quantity"
        )
    return liquidation_check(
        LiqInput(
            instrument=instrument,
            entry=request.entry,
            leverage=request.leverage,
            side=side,
            margin_mode=mode,
            quantity=r.given("quantity", request.quantity, instrument.min_qty, "venue"),
            account=account,
            mmr_override=request.mmr,
        )
    )


@evaluates(PnlRequest)
def _pnl(request: PnlRequest, r: Resolver) -> PnlResult:
    instrument = instrument_for(r, request.symbol, request.venue)
    contract = contract_for(r, instrument, request.contract)
    side = r.given("side", request.side, Side.LONG)
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


@evaluates(HedgeRequest)
def _hedge(request: HedgeRequest, r: Resolver) -> HedgeResult:
    instrument = instrument_for(r, request.symbol, request.venue)
    return hedge(
        HedgeInput(
            instrument=instrument,
            contract=contract_for(r, instrument, request.contract),
            spot_value=request.spot_value,
            ratio=r.given("ratio", request.ratio, Decimal(1)),
            price=request.price,
        )
    )


@evaluates(FundingRequest)
def _funding(request: FundingRequest, r: Resolver) -> FundingResult:
    instrument = instrument_for(r, request.symbol, request.venue)
    interval: Decimal = r.need("funding_interval", None)
    hours = r.given("hours", request.hours, interval)
    return funding(
        FundingInput(
            instrument=instrument,
            side=r.given("side", request.side, Side.LONG),
            notional=request.notional,
            rate=request.rate,
            hours=hours,
            interval_hours=interval,
        )
    )
