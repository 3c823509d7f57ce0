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
    Frozen,
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
    Side,
    SizeInput,
    SizeResult,
)
from chatbot.engine.sizing import max_notional_for_leverage, size_position
from chatbot.engine.trade import funding, hedge, profit_and_loss
from chatbot.evaluation.defaults import DefaultUsed, MarketQuote, Profile, Resolver, layers
from chatbot.evaluation.instruments import contract_for, instrument_for
from chatbot.evaluation.market import current_funding, live_mark, market_entry, per_coin_mark
from chatbot.language.calculators import (
    Calculation,
    FundingRequest,
    HedgeRequest,
    LiqRequest,
    PnlRequest,
    PriceRequest,
    SizeRequest,
    check_size_prices,
)
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.numbers import plausible
from chatbot.markets.prices import MarkPrice


class PriceResult(Frozen):
    """`/price`: the venue's mark and index price and funding, per coin as the member typed it."""

    instrument: Instrument
    price: MarkPrice


Result = SizeResult | LiqResult | PnlResult | HedgeResult | FundingResult | PriceResult


Q = TypeVar("Q", bound=Calculation)
Evaluator = Callable[[Any, Resolver], Result]

_EVALUATORS: dict[type, Evaluator] = {}


class Check(BaseModel):
    """A finished check: what was asked, what the engine found, which defaults filled the gaps,
    and the venue's mark price when the entry or the funding rate was taken from it."""

    model_config = ConfigDict(frozen=True)

    request: Calculation
    result: Result
    defaults: tuple[DefaultUsed, ...]
    market: MarkPrice | None = None
    far_from_mark: Decimal | None = None


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
    request: Calculation,
    member: Profile | None = None,
    group: Profile | None = None,
    market: MarketQuote | None = None,
) -> Check:
    """Run one request through the engine; raises `CommandError` for what defaults cannot fill.

    `market` is the venue's mark price, fetched by the caller for a request that leaves its
    entry or funding rate to the venue (`market_wanted` says which).
    """
    resolver = Resolver(request.command, layers(member, group), market)
    try:
        result = _EVALUATORS[type(request)](request, resolver)
    except EngineError as error:
        raise CommandError(
            ErrorCode.LEVERAGE_ABOVE_VENUE_MAX,
            word=f"{getattr(request, 'leverage', None)}x",
            example=resolver.example,
            **{key: str(value) for key, value in error.params.items()},
        ) from error
    used_market = _leaves_price_to_venue(request)
    mark = resolver.market.mark if used_market else None
    if mark is not None:
        mark = per_coin_mark(mark, result.instrument)
    return Check(
        request=request,
        result=result,
        defaults=tuple(resolver.used),
        market=mark,
        far_from_mark=_far_from_mark(request, result, resolver.market.references),
    )


def _far_from_mark(
    request: Calculation, result: Result, references: dict[str, Decimal]
) -> Decimal | None:
    """The known mark price of the coin when a typed entry is ten times away from it."""
    entry = getattr(request, "entry", None)
    reference = references.get(result.instrument.base)
    if entry is None or reference is None or plausible(entry, reference):
        return None
    return reference


def _leaves_price_to_venue(request: Calculation) -> bool:
    """Whether the check's entry or funding rate is the venue's (shown with its time)."""
    if isinstance(request, SizeRequest | LiqRequest):
        return request.entry is None
    return isinstance(request, FundingRequest) and request.rate is None


def _stop_price(request: SizeRequest, entry: Decimal) -> Decimal:
    """A stop given as a distance becomes a price on the losing side of the position."""
    stop = request.stop
    if stop.price is not None:
        return stop.price
    assert stop.distance is not None
    direction = stop.direction or (1 if request.side is Side.SHORT else -1)
    return entry * (1 + direction * stop.distance)


@evaluates(SizeRequest)
def _size(request: SizeRequest, r: Resolver) -> SizeResult:
    instrument = instrument_for(r, request.symbol, request.venue)
    entry = request.entry
    if entry is None:
        entry = market_entry(r, instrument)
        check_size_prices(request, entry)
    risk = r.need("risk", request.risk)
    return size_position(
        SizeInput(
            instrument=instrument,
            contract=contract_for(r, instrument, request.contract),
            entry=entry,
            stop=_stop_price(request, entry),
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
    entry = request.entry if request.entry is not None else market_entry(r, instrument)
    return liquidation_check(
        LiqInput(
            instrument=instrument,
            entry=entry,
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
            rate=request.rate if request.rate is not None else current_funding(r, instrument),
            hours=hours,
            interval_hours=interval,
        )
    )


@evaluates(PriceRequest)
def _price(request: PriceRequest, r: Resolver) -> PriceResult:
    instrument = instrument_for(r, request.symbol, request.venue, priced=False)
    return PriceResult(instrument=instrument, price=live_mark(r, instrument))
