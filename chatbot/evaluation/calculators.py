"""Each calculator's evaluation, one function per request: defaults filled, engine run.

A request type maps to exactly one evaluator (registered with `@evaluates`); `evaluate` finds
it by the request's type, so adding a calculator is one decorated function here.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from chatbot.engine.liquidation import (
    FEE_FORMS,
    effective_tiers,
    inverse_contract_value,
    liquidation_check,
)
from chatbot.engine.models import (
    AverageInput,
    EngineError,
    Fill,
    Frozen,
    FundingInput,
    FundingResult,
    HedgeInput,
    HedgeResult,
    Instrument,
    LiqInput,
    LiqResult,
    MarginMode,
    OthersInCross,
    PnlInput,
    PnlResult,
    Risk,
    Side,
    SizeInput,
    SizeResult,
)
from chatbot.engine.plain import plain
from chatbot.engine.positions import average_entry, break_even
from chatbot.engine.sizing import max_notional_for_leverage, size_position
from chatbot.engine.trade import funding, hedge, profit_and_loss
from chatbot.evaluation.defaults import DefaultUsed, MarketQuote, Profile, Resolver, layers
from chatbot.evaluation.instruments import contract_for, instrument_for, quantity_for
from chatbot.evaluation.market import (
    current_funding,
    leaves_price_to_venue,
    live_mark,
    market_entry,
    per_coin_mark,
)
from chatbot.language.calculators import (
    AvgRequest,
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


class AvgResult(LiqResult):
    """`/avg`: several fills as the one position they make, at the member's leverage.

    `fills` count base units (linear) or contracts (inverse), as `quantity_for` reads them;
    `break_even` is the exit that pays back both taker fees at `fee_rate`.
    """

    fills: tuple[Fill, ...]
    fee_rate: Decimal
    break_even: Decimal | None


class PriceResult(Frozen):
    """`/price`: the venue's mark and index price and funding, per coin as the member typed it."""

    instrument: Instrument
    price: MarkPrice


Result = SizeResult | LiqResult | PnlResult | HedgeResult | FundingResult | AvgResult | PriceResult
Q = TypeVar("Q", bound=Calculation)
Evaluator = Callable[[Any, Resolver], Result]

_EVALUATORS: dict[type, Evaluator] = {}


class Check(BaseModel):
    """A finished check: what was asked, what the engine found, which defaults filled the gaps,
    the venue's mark price when the entry or funding rate was taken from it, and the known
    mark price when a typed entry is ten times away from it."""

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
        raise _engine_error(error, request, resolver) from error
    mark = resolver.market.mark if leaves_price_to_venue(request) else None
    return Check(
        request=request,
        result=result,
        defaults=tuple(resolver.used),
        market=None if mark is None else per_coin_mark(mark, result.instrument),
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


def _engine_error(error: EngineError, request: Calculation, r: Resolver) -> CommandError:
    """What the engine could not honour, in the member's terms: each engine code has its own
    message, so a fee the venue does not publish is never called a leverage problem."""
    params = {key: _param(value) for key, value in error.params.items()}
    if error.code == "leverage_above_venue_max":
        word = f"{_leverage_used(request, r)}x"
        return CommandError(
            ErrorCode.LEVERAGE_ABOVE_VENUE_MAX, word=word, example=r.example, **params
        )
    if error.code == "taker_fee_unknown":
        return CommandError(ErrorCode.MISSING_DEFAULT, word="fee", example=r.example, what="fee")
    if error.code == "contract_not_whole":
        word, unit = params.get("size", ""), params.get("unit", "")
        return CommandError(ErrorCode.UNKNOWN_CONTRACT, word=word, example=r.example, unit=unit)
    if error.code == "notional_above_venue_max":
        word = request.symbol
        return CommandError(ErrorCode.POSITION_TOO_LARGE, word=word, example=r.example, **params)
    return CommandError(ErrorCode.TIERS_UNKNOWN, word=request.symbol, example=r.example, **params)


def _leverage_used(request: Calculation, resolver: Resolver) -> str:
    """The leverage as typed, else the default the evaluation took from the member's settings."""
    typed = getattr(request, "leverage", None)
    if typed is not None:
        return plain(typed)
    return next((used.value for used in resolver.used if used.name == "leverage"), "")


def _param(value: object) -> str:
    return plain(value) if isinstance(value, Decimal) else str(value)


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
    mode = r.need("margin_mode", request.margin_mode)
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
            margin_mode=mode,
            mmr_override=request.mmr,
            others=_others(r, mode, request.others),
            rules=r.rules(),
        )
    )


def _others(r: Resolver, mode: MarginMode, others: OthersInCross | None) -> OthersInCross:
    """Other positions reach only a cross position: given for an isolated one, they are a
    mistake to name, not figures to drop."""
    if others is None:
        return OthersInCross()
    if mode is not MarginMode.CROSS:
        word = "others_mm" if others.maintenance else "others_upnl"
        raise CommandError(ErrorCode.OTHERS_NEED_CROSS, word=word, example=r.example)
    return others


def _cross_account(r: Resolver, mode: MarginMode, account: Decimal | None) -> Decimal | None:
    """Cross margin puts the account behind the position, so it must be known."""
    return r.need("account", account) if mode is MarginMode.CROSS else account


def _position_size(
    r: Resolver, instrument: Instrument, request: LiqRequest, entry: Decimal
) -> Decimal:
    """The typed quantity (see `quantity_for`), else the venue's smallest order, named."""
    if request.quantity is not None:
        return quantity_for(r, instrument, request.quantity, entry)
    name = "contracts" if instrument.inverse else "quantity"
    return r.given(name, None, instrument.min_qty, "venue")


@evaluates(LiqRequest)
def _liq(request: LiqRequest, r: Resolver) -> LiqResult:
    instrument = instrument_for(r, request.symbol, request.venue)
    mode = r.need("margin_mode", request.margin_mode)
    side = r.given("side", request.side, Side.LONG)
    account = _cross_account(r, mode, request.account)
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
            quantity=_position_size(r, instrument, request, entry),
            account=account,
            mmr_override=request.mmr,
            fee_rate=_liquidation_fee(r, instrument),
            others=_others(r, mode, request.others),
        )
    )


def _liquidation_fee(r: Resolver, instrument: Instrument) -> Decimal | None:
    """The taker fee, for the venue forms that count the fee to close at liquidation (OKX,
    Bybit inverse); the others leave it out, so the reply names no fee it did not use."""
    return r.need("fee", None) if instrument.liquidation in FEE_FORMS else None


@evaluates(PnlRequest)
def _pnl(request: PnlRequest, r: Resolver) -> PnlResult:
    instrument = instrument_for(r, request.symbol, request.venue)
    contract = contract_for(r, instrument, request.contract)
    side = r.given("side", request.side, Side.LONG)
    spec = request.quantity
    if spec.coin is None and request.contract is not None and not instrument.inverse:
        quantity = spec.amount * contract.size  # `qty 2 contract micro`: two micro contracts
    else:
        quantity = quantity_for(r, instrument, spec, request.entry)
    notional = quantity * (contract.size if instrument.inverse else request.entry)
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
            leverage=r.pick("leverage", request.leverage),
            funding=_pnl_funding(r, request, instrument, side, notional),
        )
    )


def _pnl_funding(
    r: Resolver, request: PnlRequest, instrument: Instrument, side: Side, notional: Decimal
) -> Decimal:
    """Funding received over the trade (negative when paid), in the asset it settles in: as
    typed, or from `rate` and `hours` on the position's value at entry (quote money, USD for
    inverse contracts, whose funding is converted into the coin at the entry price)."""
    if request.funding is not None:
        return request.funding
    if request.rate is None:
        return Decimal(0)
    over = _funding_over(r, instrument, side, notional, request.rate, request.hours, request.entry)
    amount = over.amount if over.amount_coin is None else over.amount_coin
    return -amount if over.pays else amount


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
    side = r.given("side", request.side, Side.LONG)
    notional = _funding_notional(r, instrument, request)
    rate = request.rate if request.rate is not None else current_funding(r, instrument)
    return _funding_over(r, instrument, side, notional, rate, request.hours, request.price)


def _funding_notional(r: Resolver, instrument: Instrument, request: FundingRequest) -> Decimal:
    """The position's value as typed, or its size (`quantity_for`) valued: contracts × their
    USD value, or base units × `price`."""
    if request.quantity is None:
        assert request.notional is not None  # the grammar takes one of the two
        return request.notional
    size = quantity_for(r, instrument, request.quantity, request.price)
    if instrument.inverse:
        return size * inverse_contract_value(instrument)
    if request.price is None:
        raise CommandError(ErrorCode.MISSING_DEFAULT, word="qty", example=r.example, what="price")
    return size * request.price


def _funding_over(
    r: Resolver,
    instrument: Instrument,
    side: Side,
    notional: Decimal,
    rate: Decimal,
    hours: Decimal | None,
    mark: Decimal | None,
) -> FundingResult:
    """Funding on `notional` for `hours` (one interval unless typed); coin-margined contracts
    pay it in the coin, valued at `mark`."""
    interval: Decimal = r.need("funding_interval", None)
    return funding(
        FundingInput(
            instrument=instrument,
            side=side,
            notional=notional,
            rate=rate,
            hours=r.given("hours", hours, interval),
            interval_hours=interval,
            mark=mark,
        )
    )


@evaluates(AvgRequest)
def _avg(request: AvgRequest, r: Resolver) -> AvgResult:
    instrument = instrument_for(r, request.symbol, request.venue)
    fills = tuple(
        Fill(quantity=quantity_for(r, instrument, fill.quantity, fill.price), price=fill.price)
        for fill in request.fills
    )
    average = average_entry(AverageInput(instrument=instrument, fills=fills))
    side = r.given("side", request.side, Side.LONG)
    mode = r.need("margin_mode", request.margin_mode)
    fee = r.need("fee", request.fee)
    position = liquidation_check(
        LiqInput(
            instrument=instrument,
            entry=average.entry,
            leverage=r.need("leverage", request.leverage),
            side=side,
            margin_mode=mode,
            quantity=average.quantity,
            account=_cross_account(r, mode, request.account),
            mmr_override=request.mmr,
            fee_rate=fee,
        )
    )
    size = average.notional if instrument.inverse else average.quantity
    even = break_even(side, average.entry, fee, inverse=instrument.inverse, size=size)
    return AvgResult.model_validate(
        {**dict(position), "fills": fills, "fee_rate": fee, "break_even": even}
    )


@evaluates(PriceRequest)
def _price(request: PriceRequest, r: Resolver) -> PriceResult:
    instrument = instrument_for(r, request.symbol, request.venue, priced=False)
    return PriceResult(instrument=instrument, price=live_mark(r, instrument))
