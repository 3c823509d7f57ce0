"""Requests drawn at random and printed as members type them, with the request each means.

A request is drawn first (values in the ranges the parser accepts, a stop on the losing side,
a target on the winning side, a typed side that agrees with the stop), then printed with the
spellings of `tests.spellings`: any spelling of the command word and keywords, the keyword
pairs in any order, any separator, any case, any number style exact for the value.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from hypothesis import strategies as st

from chatbot.engine.models import ContractKind, MarginMode, Side
from chatbot.language.calculators import (
    Calculation,
    FundingRequest,
    HedgeRequest,
    LiqRequest,
    PnlRequest,
    PriceRequest,
    SizeRequest,
)
from chatbot.language.member_commands import MemberRequest, ResultRequest, SettingsRequest
from chatbot.language.requests import ContractSpec, QuantitySpec, RiskSpec, StopSpec
from tests.spellings import (
    BASES,
    BOT,
    CLEAR_WORDS,
    COMMAND_WORDS,
    DECIMAL_MARKS,
    LANGUAGE_CODES,
    MARGIN_WORDS,
    MARKET_WORDS,
    MAX_WORDS,
    NAMED_CONTRACTS,
    OUTCOME_WORDS,
    PAIR_SEPARATORS,
    SIDE_WORDS,
    SPACES,
    VENUES,
    ZONES,
    Clause,
    choose,
    decimal,
    hours,
    leverage,
    number,
    pair,
    percent,
    rate,
    ratio,
    recase,
    risk,
    spelled,
    stop,
    symbol,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Typed:
    """A command as a member typed it, and the request it means."""

    text: str
    request: Calculation | MemberRequest
    lang: str  # the member's language, which says how they write numbers


# --- values a member might ask for --------------------------------------------------------------


# Round figures (72000, 71500, 1.5 million) are what members type most, and where `72k` fits.
ROUND = st.builds(lambda n, power: n * 10**power, st.integers(1, 9_999), st.integers(2, 6))
UNITS = st.one_of(st.integers(1, 10**8), ROUND)
PLACES = st.integers(0, 10)  # from 72000 down to a coin priced 0.000013841
AMOUNTS = st.builds(decimal, st.one_of(st.integers(1, 10**9), ROUND), st.integers(0, 2))
PRICES = st.builds(decimal, UNITS, PLACES)
QUANTITIES = st.builds(decimal, st.integers(1, 10**7), st.integers(0, 8))
MULTIPLIERS = st.builds(decimal, st.integers(1, 10**4), st.integers(0, 4))
LEVERAGES = st.one_of(
    st.integers(1, 200).map(Decimal), st.integers(10, 2000).map(lambda n: decimal(n, 1))
)
RISK_FRACTIONS = st.integers(1, 10_000).map(lambda n: decimal(n, 4))  # 0.01% to 100%
STOP_DISTANCES = st.integers(1, 9_999).map(lambda n: decimal(n, 4))  # 0.01% up to 99.99%
RISKS = st.one_of(
    st.builds(lambda fraction: RiskSpec(fraction=fraction), RISK_FRACTIONS),
    st.builds(lambda amount: RiskSpec(amount=amount), AMOUNTS),
)
FEES = st.integers(0, 4_999).map(lambda n: decimal(n, 5))  # 0% up to 4.999%
MMRS = st.integers(1, 4_999).map(lambda n: decimal(n, 4))  # 0.01% up to 49.99%
FUNDING_RATES = st.integers(-4_999, 4_999).map(lambda n: decimal(n, 5))  # within ±5%
HOLDING_HOURS = st.integers(1, 400).map(lambda n: decimal(n * 5, 1))  # 0.5 h up to 200 h
RATIOS = st.integers(1, 2_000).map(lambda n: decimal(n, 3))  # 0.1% up to 200%
SIDES = st.sampled_from(Side)
MARGINS = st.sampled_from(MarginMode)
VENUE_NAMES = st.sampled_from(VENUES)
CONTRACTS = st.one_of(
    st.sampled_from(NAMED_CONTRACTS).map(lambda kind: ContractSpec(kind=kind)),
    st.builds(lambda m: ContractSpec(kind=ContractKind.CUSTOM, multiplier=m), MULTIPLIERS),
)


def language(draw: st.DrawFn) -> tuple[str, str]:
    """The member's language, and with it their decimal mark."""
    lang = choose(draw, tuple(DECIMAL_MARKS))
    return lang, DECIMAL_MARKS[lang]


def maybe(draw: st.DrawFn, values: st.SearchStrategy[T]) -> T | None:
    """An optional part: left out as often as typed."""
    return draw(_optional(values))


@functools.cache
def _optional(values: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | values


# --- printing ---------------------------------------------------------------------------------


def command_word(draw: st.DrawFn, command: str) -> str:
    """`/size`, `/size@bot` (in groups) or `size` without the slash (in private chats)."""
    word = spelled(draw, COMMAND_WORDS[command])
    form = choose(draw, ("/{}", "{}", "/{}@{}"))
    return form.format(word, recase(draw, BOT))


def assemble(draw: st.DrawFn, command: str, positionals: list[str], clauses: list[Clause]) -> str:
    """The command word and the positionals first, then the clauses in any order, each pair
    with any separator, words apart and around by white space, within the limit on words."""
    head = command_word(draw, command)
    shuffled = draw(st.permutations(clauses))
    printed = [choose(draw, PAIR_SEPARATORS).join(clause) for clause in shuffled]
    while sum(len(part.split()) for part in [head, *positionals, *printed]) > MAX_WORDS:
        spread = next(i for i, part in enumerate(printed) if len(part.split()) > 1)
        printed[spread] = "=".join(shuffled[spread])
    around, between = choose(draw, SPACES), choose(draw, SPACES)
    return around + between.join([head, *positionals, *printed]) + around


def leverage_clause(draw: st.DrawFn, value: Decimal) -> Clause:
    """`lev 20`, `leverage=x20`, or `20x` on its own."""
    if draw(st.booleans()):
        return (leverage(draw, value, bare=True),)
    return pair(draw, "leverage", leverage(draw, value))


def contract_clause(draw: st.DrawFn, spec: ContractSpec, mark: str, as_flag: bool) -> Clause:
    """`contract 0.01`, `contract micro`, or `micro` on its own where the command has the flag."""
    if spec.kind is ContractKind.CUSTOM:
        assert spec.multiplier is not None
        return pair(draw, "contract", number(draw, spec.multiplier, mark))
    word = recase(draw, spec.kind.value)
    return (word,) if as_flag and draw(st.booleans()) else pair(draw, "contract", word)


def flag(draw: st.DrawFn, words: Sequence[str]) -> Clause:
    return (spelled(draw, words),)


def optional_clauses(draw: st.DrawFn, request: Calculation, mark: str) -> list[Clause]:
    """The clauses of the optional parts the request has, as any calculator spells them."""
    fields = request.model_dump(exclude_none=True)
    printers: dict[str, Callable[[], Clause]] = {
        "account": lambda: pair(draw, "account", number(draw, fields["account"], mark, money=True)),
        "side": lambda: flag(draw, SIDE_WORDS[fields["side"]]),
        "margin_mode": lambda: flag(draw, MARGIN_WORDS[fields["margin_mode"]]),
        "fee": lambda: pair(draw, "fee", rate(draw, fields["fee"])),
        "venue": lambda: pair(draw, "venue", recase(draw, fields["venue"])),
        "mmr": lambda: pair(draw, "mmr", rate(draw, fields["mmr"])),
        "quantity": lambda: pair(
            draw, "quantity", number(draw, fields["quantity"]["amount"], mark)
        ),
        "price": lambda: pair(draw, "price", number(draw, fields["price"], mark, money=True)),
    }
    return [printers[name]() for name in printers if name in fields]


def entry(draw: st.DrawFn, price: Decimal | None, mark: str) -> list[str]:
    """An entry price as typed; at the market, a word for it or nothing at all."""
    if price is not None:
        return [number(draw, price, mark, money=True)]
    return [spelled(draw, MARKET_WORDS)] if draw(st.booleans()) else []


# --- the calculators --------------------------------------------------------------------------


def counted(amount: Decimal) -> QuantitySpec:
    """`qty 0.017`: an amount in the instrument's own unit (no coin named)."""
    return QuantitySpec(amount=amount)


def _priced(draw: st.DrawFn, count: int) -> list[Decimal]:
    """Distinct prices on one grid, ascending: from whole dollars down to fractions of a cent."""
    places = draw(PLACES)
    units = sorted(draw(st.lists(UNITS, min_size=count, max_size=count, unique=True)))
    return [decimal(n, places) for n in units]


@st.composite
def sizes(draw: st.DrawFn) -> Typed:
    """/size: a stop price on the losing side, or a distance; a target on the winning side;
    the entry typed, or left to the market (then the stop is checked once the price is known)."""
    lang, mark = language(draw)
    side = draw(SIDES)
    low, middle, high = _priced(draw, 3)
    at_market = draw(st.booleans())
    if draw(st.booleans()):
        stop_spec = StopSpec(price=low if side is Side.LONG else high)
        typed_side = maybe(draw, st.just(side))
    else:
        losing = -1 if side is Side.LONG else 1
        direction = choose(draw, (0, losing))
        stop_spec = StopSpec(distance=draw(STOP_DISTANCES), direction=direction)
        typed_side = maybe(draw, st.just(side))
        if typed_side is None and direction == 0:
            side = Side.LONG  # a distance with no side is read as a long
    target = maybe(draw, st.just(high if side is Side.LONG else low))
    request = SizeRequest(
        symbol=choose(draw, BASES),
        entry=None if at_market else middle,
        stop=stop_spec,
        account=maybe(draw, AMOUNTS),
        leverage=maybe(draw, LEVERAGES),
        risk=maybe(draw, RISKS),
        target=target,
        side=typed_side,
        margin_mode=maybe(draw, MARGINS),
        contract=maybe(draw, CONTRACTS),
        fee=maybe(draw, FEES),
        venue=maybe(draw, VENUE_NAMES),
        mmr=maybe(draw, MMRS),
    )
    clauses = [
        pair(draw, "stop", stop(draw, stop_spec, mark)),
        *optional_clauses(draw, request, mark),
    ]
    if request.leverage is not None:
        clauses.append(leverage_clause(draw, request.leverage))
    if request.risk is not None:
        clauses.append(pair(draw, "risk", risk(draw, request.risk, mark)))
    if request.target is not None:
        clauses.append(pair(draw, "target", number(draw, request.target, mark, money=True)))
    if request.contract is not None:
        clauses.append(contract_clause(draw, request.contract, mark, as_flag=True))
    positionals = [symbol(draw, request.symbol), *entry(draw, request.entry, mark)]
    return Typed(assemble(draw, "size", positionals, clauses), request, lang)


@st.composite
def liqs(draw: st.DrawFn) -> Typed:
    """/liq: the leverage, the entry typed or left to the market, the rest optional."""
    lang, mark = language(draw)
    request = LiqRequest(
        symbol=choose(draw, BASES),
        entry=maybe(draw, PRICES),
        leverage=draw(LEVERAGES),
        side=maybe(draw, SIDES),
        margin_mode=maybe(draw, MARGINS),
        account=maybe(draw, AMOUNTS),
        quantity=maybe(draw, QUANTITIES.map(counted)),
        venue=maybe(draw, VENUE_NAMES),
        mmr=maybe(draw, MMRS),
    )
    clauses = [leverage_clause(draw, request.leverage), *optional_clauses(draw, request, mark)]
    positionals = [symbol(draw, request.symbol), *entry(draw, request.entry, mark)]
    return Typed(assemble(draw, "liq", positionals, clauses), request, lang)


@st.composite
def pnls(draw: st.DrawFn) -> Typed:
    """/pnl: entry, exit (third word or `exit PRICE` anywhere), quantity; a stop for R."""
    lang, mark = language(draw)
    entry, stop_price, exit_price = draw(st.permutations(_priced(draw, 3)))
    if draw(st.booleans()):
        side = maybe(draw, SIDES)
        stop_price = None
    else:  # a typed side must agree with the stop
        side = maybe(draw, st.just(Side.LONG if stop_price < entry else Side.SHORT))
    request = PnlRequest(
        symbol=choose(draw, BASES),
        entry=entry,
        exit=exit_price,
        quantity=counted(draw(QUANTITIES)),
        side=side,
        contract=maybe(draw, CONTRACTS),
        fee=maybe(draw, FEES),
        stop=stop_price,
        venue=maybe(draw, VENUE_NAMES),
    )
    clauses = optional_clauses(draw, request, mark)
    positionals = [symbol(draw, request.symbol), number(draw, entry, mark, money=True)]
    typed_exit = number(draw, exit_price, mark, money=True)
    if draw(st.booleans()):
        positionals.append(typed_exit)
    else:
        clauses.append(pair(draw, "exit", typed_exit))
    if stop_price is not None:
        clauses.append(pair(draw, "stop", number(draw, stop_price, mark, money=True)))
    if request.contract is not None:
        clauses.append(contract_clause(draw, request.contract, mark, as_flag=True))
    return Typed(assemble(draw, "pnl", positionals, clauses), request, lang)


@st.composite
def hedges(draw: st.DrawFn) -> Typed:
    """/hedge: the spot value, with ratio, price, contract (`contract micro`) and venue."""
    lang, mark = language(draw)
    request = HedgeRequest(
        symbol=choose(draw, BASES),
        spot_value=draw(AMOUNTS),
        ratio=maybe(draw, RATIOS),
        price=maybe(draw, PRICES),
        contract=maybe(draw, CONTRACTS),
        venue=maybe(draw, VENUE_NAMES),
    )
    clauses = optional_clauses(draw, request, mark)
    if request.ratio is not None:
        clauses.append(pair(draw, "ratio", ratio(draw, request.ratio)))
    if request.contract is not None:
        clauses.append(contract_clause(draw, request.contract, mark, as_flag=False))
    positionals = [symbol(draw, request.symbol), number(draw, request.spot_value, mark, money=True)]
    return Typed(assemble(draw, "hedge", positionals, clauses), request, lang)


@st.composite
def fundings(draw: st.DrawFn) -> Typed:
    """/funding: the notional, the rate (negative when shorts pay; left out, the venue's
    current one), hours and side."""
    lang, mark = language(draw)
    request = FundingRequest(
        symbol=choose(draw, BASES),
        notional=draw(AMOUNTS),
        rate=maybe(draw, FUNDING_RATES),
        hours=maybe(draw, HOLDING_HOURS),
        side=maybe(draw, SIDES),
        venue=maybe(draw, VENUE_NAMES),
    )
    clauses = optional_clauses(draw, request, mark)
    if request.rate is not None:
        clauses.append(pair(draw, "rate", rate(draw, request.rate)))
    if request.hours is not None:
        if draw(st.booleans()):
            clauses.append((hours(draw, request.hours, bare=True),))
        else:
            clauses.append(pair(draw, "hours", hours(draw, request.hours)))
    positionals = [symbol(draw, request.symbol), number(draw, request.notional, mark, money=True)]
    return Typed(assemble(draw, "funding", positionals, clauses), request, lang)


@st.composite
def prices(draw: st.DrawFn) -> Typed:
    """/price: a symbol, and the venue optional."""
    lang, mark = language(draw)
    request = PriceRequest(symbol=choose(draw, BASES), venue=maybe(draw, VENUE_NAMES))
    clauses = optional_clauses(draw, request, mark)
    return Typed(assemble(draw, "price", [symbol(draw, request.symbol)], clauses), request, lang)


CALCULATIONS: dict[str, st.SearchStrategy[Typed]] = {
    "size": sizes(),
    "liq": liqs(),
    "pnl": pnls(),
    "hedge": hedges(),
    "funding": fundings(),
    "price": prices(),
}
calculations = st.one_of(*CALCULATIONS.values())


# --- the member's own commands ----------------------------------------------------------------


@st.composite
def results(draw: st.DrawFn) -> Typed:
    """/result ID OUTCOME [exit PRICE]: `12` or `#12`, `win`/`won`/`tp`, …"""
    lang, mark = language(draw)
    request = ResultRequest(
        check_id=draw(st.integers(1, 10**12 - 1)),
        outcome=choose(draw, sorted(OUTCOME_WORDS)),
        exit=maybe(draw, PRICES),
    )
    number_sign = choose(draw, ("", "#"))
    positionals = [
        f"{number_sign}{request.check_id}",
        spelled(draw, OUTCOME_WORDS[request.outcome]),
    ]
    clauses = []
    if request.exit is not None:
        clauses.append(pair(draw, "exit", number(draw, request.exit, mark, money=True)))
    return Typed(_member(draw, "result", positionals, clauses), request, lang)


@st.composite
def settings(draw: st.DrawFn) -> Typed:
    """/settings: any of the member's settings, each set or cleared (`off`, `none`, `-`)."""
    lang, mark = language(draw)
    values: dict[str, st.SearchStrategy[object]] = {
        "account": AMOUNTS,
        "risk": RISKS,
        "leverage": LEVERAGES,
        "fee": FEES,
        "venue": VENUE_NAMES,
        "max_risk": RISK_FRACTIONS,
        "max_leverage": LEVERAGES,
        "lang": st.sampled_from(sorted(LANGUAGE_CODES)),
        "tz": st.sampled_from(ZONES),
    }
    chosen = draw(st.lists(st.sampled_from(sorted(values)), unique=True, max_size=len(values)))
    changes: dict[str, object] = {}
    clauses: list[Clause] = []
    for name in chosen:
        typed = maybe(draw, values[name])
        if typed is None:
            changes[name] = None
            clauses.append(pair(draw, name, spelled(draw, CLEAR_WORDS)))
            continue
        changes[name] = LANGUAGE_CODES[str(typed)] if name == "lang" else typed
        clauses.append(pair(draw, name, _setting(draw, name, typed, mark)))
    margin = maybe(draw, MARGINS)
    if margin is not None:
        changes["margin_mode"] = margin
        clauses.append(flag(draw, MARGIN_WORDS[margin]))
    request = SettingsRequest.model_validate({"changes": changes})
    return Typed(_member(draw, "settings", [], clauses), request, lang)


def _setting(draw: st.DrawFn, name: str, value: object, mark: str) -> str:
    """One setting's value as typed; a time zone keeps its case, as the IANA database does."""
    if isinstance(value, RiskSpec):
        return risk(draw, value, mark)
    assert isinstance(value, Decimal | str)
    printers: dict[str, Callable[[], str]] = {
        "account": lambda: number(draw, Decimal(value), mark, money=True),
        "leverage": lambda: leverage(draw, Decimal(value)),
        "max_leverage": lambda: leverage(draw, Decimal(value)),
        "fee": lambda: rate(draw, Decimal(value)),
        "max_risk": lambda: percent(draw, Decimal(value)),
        "venue": lambda: recase(draw, str(value)),
        "lang": lambda: recase(draw, str(value)),
        "tz": lambda: str(value),
    }
    return printers[name]()


def _member(draw: st.DrawFn, command: str, positionals: list[str], clauses: list[Clause]) -> str:
    """A member command printed like a calculator: `/settings`, `settings`, `/settings@bot`."""
    shuffled = draw(st.permutations(clauses))
    printed = [choose(draw, PAIR_SEPARATORS).join(clause) for clause in shuffled]
    head = choose(draw, ("/{}", "/{}@{}")).format(recase(draw, command), recase(draw, BOT))
    return " ".join([head, *positionals, *printed])


member_commands = st.one_of(results(), settings())


@st.composite
def mostly(
    draw: st.DrawFn, fuzz: st.SearchStrategy[str], valid: st.SearchStrategy[tuple[str, T]]
) -> tuple[str, T | None]:
    """Mostly `fuzz` text, meaning nothing in particular, and one example in eight a valid one
    with what it means: a fuzz test then also fails for a parser that refuses everything (the
    round trip of `test_parser_roundtrip` is where valid commands are tried at length)."""
    if draw(st.integers(0, 7)) < 7:
        return draw(fuzz), None
    return draw(valid)


def with_text(typed: Typed) -> tuple[str, Typed]:
    """The text of a typed command beside it, as `mostly` pairs its cases."""
    return typed.text, typed
