"""The calculators, one entry each: the request a member types, its grammar and its checks.

Adding a calculator here (a request model, a builder and a `Grammar` in `CALCULATORS`) is all
the language layer needs: the parser, the private-chat matcher and the examples follow.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from chatbot.engine.models import MarginMode, OthersInCross, Side
from chatbot.language import values as v
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.grammar import Grammar, Parts, Typed
from chatbot.language.requests import (
    ContractSpec,
    FillSpec,
    QuantitySpec,
    Request,
    RiskSpec,
    StopSpec,
)


class SizeRequest(Request):
    """`entry` None: at the venue's mark price (left out, or typed `market`)."""

    command: Literal["size"] = "size"
    symbol: str
    entry: Decimal | None = None
    stop: StopSpec
    account: Decimal | None = None
    leverage: Decimal | None = None
    risk: RiskSpec | None = None
    target: Decimal | None = None
    side: Side | None = None
    margin_mode: MarginMode | None = None
    contract: ContractSpec | None = None
    fee: Decimal | None = None
    venue: str | None = None
    mmr: Decimal | None = None
    others: OthersInCross | None = None


class LiqRequest(Request):
    """`entry` None: at the venue's mark price (left out, or typed `market`)."""

    command: Literal["liq"] = "liq"
    symbol: str
    entry: Decimal | None = None
    leverage: Decimal
    side: Side | None = None
    margin_mode: MarginMode | None = None
    account: Decimal | None = None
    quantity: QuantitySpec | None = None
    venue: str | None = None
    mmr: Decimal | None = None
    others: OthersInCross | None = None


class PnlRequest(Request):
    """`funding` is what the position received (negative when paid); `rate` and `hours`
    compute it instead, at the entry price."""

    command: Literal["pnl"] = "pnl"
    symbol: str
    entry: Decimal
    exit: Decimal
    quantity: QuantitySpec
    side: Side | None = None
    contract: ContractSpec | None = None
    fee: Decimal | None = None
    stop: Decimal | None = None
    venue: str | None = None
    leverage: Decimal | None = None
    funding: Decimal | None = None
    rate: Decimal | None = None
    hours: Decimal | None = None


class HedgeRequest(Request):
    command: Literal["hedge"] = "hedge"
    symbol: str
    spot_value: Decimal
    ratio: Decimal | None = None
    price: Decimal | None = None
    contract: ContractSpec | None = None
    venue: str | None = None


class FundingRequest(Request):
    """`rate` None: the venue's current funding rate. The position as its value (`notional`)
    or its size (`quantity`), never both; `price` values a size and converts funding on
    coin-margined contracts into the coin."""

    command: Literal["funding"] = "funding"
    symbol: str
    notional: Decimal | None = None
    quantity: QuantitySpec | None = None
    rate: Decimal | None = None
    hours: Decimal | None = None
    side: Side | None = None
    venue: str | None = None
    price: Decimal | None = None


class PriceRequest(Request):
    """`/price BTC`: the venue's mark and index price and its current funding."""

    command: Literal["price"] = "price"
    symbol: str
    venue: str | None = None


class AvgRequest(Request):
    """A position built from several fills, seen as one: `/avg BTC 0.01@72000 0.02@70500`."""

    command: Literal["avg"] = "avg"
    symbol: str
    fills: tuple[FillSpec, ...]
    leverage: Decimal | None = None
    side: Side | None = None
    margin_mode: MarginMode | None = None
    account: Decimal | None = None
    fee: Decimal | None = None
    venue: str | None = None
    mmr: Decimal | None = None


Calculation = (
    SizeRequest
    | LiqRequest
    | PnlRequest
    | HedgeRequest
    | FundingRequest
    | PriceRequest
    | AvgRequest
)


# --- checks across values ---------------------------------------------------------------------


def _check_stop_price(entry: Decimal, stop: Decimal, side: Side | None, typed: Typed) -> None:
    """A stop at entry risks nothing; a stop on the profit side contradicts the typed side."""
    if stop == entry:
        raise CommandError(ErrorCode.STOP_EQUALS_ENTRY, word=typed.value)
    if side is not None and (stop > entry) == (side is Side.LONG):
        raise CommandError(ErrorCode.STOP_WRONG_SIDE, word=typed.value, side=side.value)


def check_size_prices(request: SizeRequest, entry: Decimal) -> None:
    """The cross checks of a /size whose entry became known only at the mark price."""
    _check_stop_spec(entry, request.stop, request.side, Typed(str(request.stop.price), ""))
    if request.target is not None:
        side = _implied_side(entry, request.stop, request.side)
        _check_target(entry, request.target, side, Typed(str(request.target), ""))


def _check_stop_spec(entry: Decimal, stop: StopSpec, side: Side | None, typed: Typed) -> None:
    if stop.price is not None:
        _check_stop_price(entry, stop.price, side, typed)
    elif side is not None and stop.direction == (1 if side is Side.LONG else -1):
        raise CommandError(ErrorCode.STOP_WRONG_SIDE, word=typed.value, side=side.value)


def _implied_side(entry: Decimal, stop: StopSpec, side: Side | None) -> Side:
    """The side the member means: typed, else given by the stop, else long (the default)."""
    if side is not None:
        return side
    if stop.price is not None:
        return Side.LONG if stop.price < entry else Side.SHORT
    return Side.SHORT if stop.direction == 1 else Side.LONG


def _check_target(entry: Decimal, target: Decimal, side: Side, typed: Typed) -> None:
    """A target must be where the trade makes money, or R is meaningless."""
    if (target - entry) * side.sign <= 0:
        raise CommandError(ErrorCode.TARGET_WRONG_SIDE, word=typed.value, side=side.value)


def _others(parts: Parts) -> OthersInCross | None:
    """`others_mm 12.5 others_upnl -30`: what a cross account's other positions hold and owe.

    They only ever reach a cross position, so a typed `isolated` contradicts them.
    """
    maintenance = parts.optional("others_mm", v.positive)
    upnl = parts.optional("others_upnl", v.amount)
    if maintenance is None and upnl is None:
        return None
    margin = parts.typed.get("margin")
    if margin is not None and margin.value == MarginMode.ISOLATED.value:
        other = parts.typed["others_mm" if maintenance is not None else "others_upnl"]
        raise CommandError(ErrorCode.CONFLICTING_WORDS, word=margin.word, other=other.word)
    return OthersInCross(maintenance=maintenance or Decimal(0), upnl=upnl or Decimal(0))


def _one_of(parts: Parts, first: str, second: str) -> None:
    """Two ways of giving one figure (funding as an amount or as a rate): only one may be."""
    if first in parts.typed and second in parts.typed:
        raise CommandError(
            ErrorCode.CONFLICTING_WORDS,
            word=parts.typed[second].word,
            other=parts.typed[first].word,
        )


# --- builders ---------------------------------------------------------------------------------


def _size(parts: Parts) -> SizeRequest:
    symbol = parts.required("symbol", v.symbol)
    entry = parts.optional("entry", v.price_or_market)
    stop = parts.required("stop", v.stop_spec)
    side = parts.optional("side", v.side)
    target = parts.optional("tp", v.price)
    if entry is not None:
        _check_stop_spec(entry, stop, side, parts.typed["stop"])
        if target is not None:
            _check_target(entry, target, _implied_side(entry, stop, side), parts.typed["tp"])
    return SizeRequest(
        symbol=symbol,
        entry=entry,
        stop=stop,
        account=parts.optional("acct", v.positive),
        leverage=parts.optional("lev", v.leverage),
        risk=parts.optional("risk", v.risk),
        target=target,
        side=side,
        margin_mode=parts.optional("margin", v.margin),
        contract=parts.optional("contract", v.contract),
        fee=parts.optional("fee", v.fee),
        venue=parts.optional("venue", v.venue),
        mmr=parts.optional("mmr", v.mmr),
        others=_others(parts),
    )


def _liq(parts: Parts) -> LiqRequest:
    return LiqRequest(
        symbol=parts.required("symbol", v.symbol),
        entry=parts.optional("entry", v.price_or_market),
        leverage=parts.required("lev", v.leverage),
        side=parts.optional("side", v.side),
        margin_mode=parts.optional("margin", v.margin),
        account=parts.optional("acct", v.positive),
        quantity=parts.optional("qty", v.quantity),
        venue=parts.optional("venue", v.venue),
        mmr=parts.optional("mmr", v.mmr),
        others=_others(parts),
    )


def _pnl(parts: Parts) -> PnlRequest:
    symbol = parts.required("symbol", v.symbol)
    entry = parts.required("entry", v.price)
    exit_price = parts.required("exit", v.price)
    quantity = parts.required("qty", v.quantity)
    side = parts.optional("side", v.side)
    stop = parts.optional("stop", v.price)
    if stop is not None:
        _check_stop_price(entry, stop, side, parts.typed["stop"])
    _one_of(parts, "funding", "rate")
    if "hours" in parts.typed and "rate" not in parts.typed:
        raise CommandError(ErrorCode.MISSING_ARGUMENT, what="rate")
    return PnlRequest(
        symbol=symbol,
        entry=entry,
        exit=exit_price,
        quantity=quantity,
        side=side,
        contract=parts.optional("contract", v.contract),
        fee=parts.optional("fee", v.fee),
        stop=stop,
        venue=parts.optional("venue", v.venue),
        leverage=parts.optional("lev", v.leverage),
        funding=parts.optional("funding", v.amount),
        rate=parts.optional("rate", v.funding_rate),
        hours=parts.optional("hours", v.hours),
    )


def _hedge(parts: Parts) -> HedgeRequest:
    return HedgeRequest(
        symbol=parts.required("symbol", v.symbol),
        spot_value=parts.required("spot_value", v.positive),
        ratio=parts.optional("ratio", v.ratio),
        price=parts.optional("price", v.price),
        contract=parts.optional("contract", v.contract),
        venue=parts.optional("venue", v.venue),
    )


def _funding(parts: Parts) -> FundingRequest:
    symbol = parts.required("symbol", v.symbol)
    _one_of(parts, "notional", "qty")
    if "qty" not in parts.typed:
        parts.required("notional", v.positive)
    return FundingRequest(
        symbol=symbol,
        notional=parts.optional("notional", v.positive),
        quantity=parts.optional("qty", v.quantity),
        rate=parts.optional("rate", v.funding_rate),
        hours=parts.optional("hours", v.hours),
        side=parts.optional("side", v.side),
        venue=parts.optional("venue", v.venue),
        price=parts.optional("price", v.price),
    )


def _avg(parts: Parts) -> AvgRequest:
    return AvgRequest(
        symbol=parts.required("symbol", v.symbol),
        fills=parts.many("fills", v.fills),
        leverage=parts.optional("lev", v.leverage),
        side=parts.optional("side", v.side),
        margin_mode=parts.optional("margin", v.margin),
        account=parts.optional("acct", v.positive),
        fee=parts.optional("fee", v.fee),
        venue=parts.optional("venue", v.venue),
        mmr=parts.optional("mmr", v.mmr),
    )


def _price(parts: Parts) -> PriceRequest:
    return PriceRequest(
        symbol=parts.required("symbol", v.symbol), venue=parts.optional("venue", v.venue)
    )


CALCULATORS: tuple[Grammar[Calculation], ...] = (
    Grammar(
        name="size",
        aliases=("calc", "rr"),
        example="/size BTC 72000 stop 71500 acct 1000 lev 20",
        usage="/size SYMBOL [ENTRY|market] stop STOP [acct A] [lev L] [risk 1%] [tp TARGET] "
        "[long|short] [isolated|cross] [contract micro|0.01] [fee 0.05%] [venue binance] "
        "[mmr 0.4%] [others_mm M others_upnl U]",
        build=_size,
        positionals=("symbol", "entry"),
        optional_last=True,
        keywords=(
            "stop",
            "acct",
            "lev",
            "risk",
            "tp",
            "fee",
            "venue",
            "mmr",
            "contract",
            "others_mm",
            "others_upnl",
        ),
        flags=("side", "margin", "contract"),
    ),
    Grammar(
        name="liq",
        example="/liq BTC 72000 lev 20",
        usage="/liq SYMBOL [ENTRY|market] lev L [long|short] [isolated|cross] [acct A] "
        "[qty Q|0.1btc] [others_mm M others_upnl U]",
        build=_liq,
        positionals=("symbol", "entry"),
        optional_last=True,
        keywords=("lev", "acct", "qty", "venue", "mmr", "others_mm", "others_upnl"),
        flags=("side", "margin"),
    ),
    Grammar(
        name="pnl",
        example="/pnl BTC 72000 73500 qty 0.017",
        usage="/pnl SYMBOL ENTRY EXIT qty Q [long|short] [contract micro] [stop S] [lev L] "
        "[funding -1.20 | rate 0.01% hours 24]",
        build=_pnl,
        positionals=("symbol", "entry", "exit"),
        optional_last=True,
        keywords=(
            "exit",
            "qty",
            "stop",
            "fee",
            "venue",
            "contract",
            "lev",
            "funding",
            "rate",
            "hours",
        ),
        flags=("side", "contract"),
    ),
    Grammar(
        name="hedge",
        example="/hedge BTC 5000 price 72000",
        usage="/hedge SYMBOL SPOT_VALUE [price P] [ratio 100%]",
        build=_hedge,
        positionals=("symbol", "spot_value"),
        keywords=("ratio", "price", "contract", "venue"),
    ),
    Grammar(
        name="funding",
        example="/funding BTC 1224 rate 0.01%",
        usage="/funding SYMBOL NOTIONAL|qty Q [rate R] [hours H] [long|short] [price P]",
        build=_funding,
        positionals=("symbol", "notional"),
        optional_last=True,
        keywords=("rate", "hours", "venue", "qty", "price"),
        flags=("side",),
    ),
    Grammar(
        name="price",
        example="/price BTC",
        usage="/price SYMBOL [venue binance]",
        build=_price,
        positionals=("symbol",),
        keywords=("venue",),
    ),
    Grammar(
        name="avg",
        aliases=("dca",),
        example="/avg BTC 0.01@72000 0.02@70500 lev 10",
        usage="/avg SYMBOL Q@P Q@P … [lev L] [long|short] [isolated|cross] [acct A] [fee F]",
        build=_avg,
        positionals=("symbol",),
        listed="fills",
        keywords=("lev", "acct", "fee", "venue", "mmr"),
        flags=("side", "margin"),
    ),
)
