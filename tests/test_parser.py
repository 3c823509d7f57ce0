"""The command grammar of the README's "The command language" (chatbot.language.parser)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chatbot.engine.models import ContractKind, MarginMode, Side
from chatbot.language.calculators import (
    FundingRequest,
    HedgeRequest,
    LiqRequest,
    PnlRequest,
    PriceRequest,
    SizeRequest,
)
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.member_commands import (
    PolicyRequest,
    RemindRequest,
    ResultRequest,
    SettingsRequest,
)
from chatbot.language.parser import EXAMPLES, parse_command, parse_member_command
from chatbot.language.requests import ContractSpec, QuantitySpec, RiskSpec, Schedule, StopSpec
from tests.typed_commands import Typed, calculations, member_commands, mostly, with_text

BOT = "riskbot_test_bot"
WORKED = "/size BTC 72000 stop 71500 acct 1000 lev 20"


def size(text: str) -> SizeRequest:
    request = parse_command(text, BOT)
    assert isinstance(request, SizeRequest)
    return request


def error(text: str, bot_username: str | None = BOT) -> CommandError:
    with pytest.raises(CommandError) as caught:
        parse_command(text, bot_username)
    return caught.value


# --- what is accepted -------------------------------------------------------------------------


def test_worked_example() -> None:
    """The README's worked example reads as entry 72000, stop 71500, acct 1000, lev 20."""
    request = size(WORKED)
    assert request == SizeRequest(
        symbol="BTC",
        entry=Decimal("72000"),
        stop=StopSpec(price=Decimal("71500")),
        account=Decimal("1000"),
        leverage=Decimal("20"),
    )


@pytest.mark.parametrize("command", list(EXAMPLES))
def test_examples_parse(command: str) -> None:
    """Every example shown in an error message is itself a valid command."""
    member = {"settings", "result", "remind", "policy"}
    parse = parse_member_command if command in member else parse_command
    assert parse(EXAMPLES[command], BOT).command == command


@pytest.mark.parametrize(
    "text",
    [
        "/size btc 72000 stop=71500 acct=1000 lev=20",
        "/size btc 72000 stop:71500 acct:1000 lev:20",
        "/size btc 72000 stop = 71500 acct= 1000 lev =20",
        "/SIZE BTC 72000 STOP 71500 ACCT 1000 LEV 20",
        "/size@riskbot_test_bot BTC 72000 stop 71500 acct 1000 lev 20",
        "/size@RiskBot_Test_Bot BTC 72000 stop 71500 acct 1000 lev 20",
        "size BTC 72000 stop 71500 acct 1000 lev 20",
        "  /size   BTC\t72000\nstop 71500 acct 1000 lev 20  ",
        "/calc BTC 72000 stop 71500 acct 1000 lev 20",
        "/rr BTC 72000 stop 71500 acct 1000 lev 20",
        "/size BTC 72000 sl 71500 account 1000 leverage 20",
        "/size BTC 72000 lev 20 acct 1000 stop 71500",
        "/size BTC 72000 stop 71500 bal 1000 lev 20",
        "/size BTC 72000 stop 71500 balance 1000 lev 20",
        "/size BTC 72000 stop 71500 equity 1000 lev 20",
        "/size BTC 72,000 stop 71,500 acct 1,000 lev 20",
        "/size BTC 72_000 stop 71_500 acct 1_000 lev 20",
        "/size BTC 72k stop 71.5k acct 1k lev 20",
        "/size BTC 72k stop 71,5k acct $1000 lev 20x",
        "/size BTC 72000 stop 71500 acct 1000usdt lev x20",
        "/size BTC 72000 stop 71500 acct 1000$ 20X",
        "/size BTC 72000 stop 71500 acct 1000usd x20",
        "/size BTC $72000 stop $71500 acct 1000USDT lev 20x",
    ],
)
def test_spellings_of_the_worked_example(text: str) -> None:
    """Every spelling the README's "The command language" allows reads exactly like the worked
    example."""
    assert size(text) == size(WORKED)


def test_bot_name_is_not_required() -> None:
    """Without a known bot name, `/size@anything` is accepted (private chats, tests)."""
    assert parse_command("/size@some_bot BTC 72000 stop 71500", None).command == "size"


@pytest.mark.parametrize(
    "symbol",
    [
        *["btc", "BTC", "BTCUSDT", "btc/usdt", "BTC-PERP", "BTCUSD", "btcusdt.p", "$BTC"],
        *["BTCUSDC", "BTCBUSD", "BTC_USDT", "BTC:USDT", "BTC-USDT-SWAP", "btcusdtperp", "#btc"],
    ],
)
def test_symbol_normalized_to_base_asset(symbol: str) -> None:
    """Pairs, perpetual suffixes and `$` tags all name the base asset."""
    assert size(f"/size {symbol} 72000 stop 71500").symbol == "BTC"


@pytest.mark.parametrize(
    ("symbol", "expected"), [("1000PEPEUSDT", "1000PEPE"), ("USDT", "USDT"), ("eth", "ETH")]
)
def test_symbol_keeps_what_is_not_a_quote(symbol: str, expected: str) -> None:
    """A quote currency is only stripped when an asset is left in front of it."""
    assert size(f"/size {symbol} 1 stop 0.9").symbol == expected


def test_tiny_price_keeps_every_digit() -> None:
    """A coin priced 0.000013841 keeps every digit in entry and stop."""
    request = size("/size PEPE 0.000013841 stop 0.000013500")
    assert request.entry == Decimal("0.000013841")
    assert request.stop.price == Decimal("0.0000135")


@pytest.mark.parametrize(
    ("stop", "expected"),
    [
        ("1%", StopSpec(distance=Decimal("0.01"), direction=0)),
        ("-1%", StopSpec(distance=Decimal("0.01"), direction=-1)),
        ("+1%", StopSpec(distance=Decimal("0.01"), direction=1)),
        ("0.5%", StopSpec(distance=Decimal("0.005"), direction=0)),
        ("0,5%", StopSpec(distance=Decimal("0.005"), direction=0)),
        ("71500", StopSpec(price=Decimal("71500"))),
    ],
)
def test_stop_as_price_or_distance(stop: str, expected: StopSpec) -> None:
    """A stop is a price, or a distance on the losing side (`1%`), below (`-1%`) or above."""
    assert size(f"/size BTC 72000 stop {stop}").stop == expected


def test_stop_distance_with_short() -> None:
    """`stop 1%` with `short` stays a losing-side distance; the side is kept."""
    request = size("/size BTC 72000 stop 1% short")
    assert request.stop == StopSpec(distance=Decimal("0.01"))
    assert request.side is Side.SHORT


@pytest.mark.parametrize(
    ("risk", "expected"),
    [
        ("1%", RiskSpec(fraction=Decimal("0.01"))),
        ("0.5%", RiskSpec(fraction=Decimal("0.005"))),
        ("100%", RiskSpec(fraction=Decimal("1"))),
        ("$25", RiskSpec(amount=Decimal("25"))),
        ("25usdt", RiskSpec(amount=Decimal("25"))),
        ("25", RiskSpec(amount=Decimal("25"))),
    ],
)
def test_risk_share_or_amount(risk: str, expected: RiskSpec) -> None:
    """`risk 1%` is a share of the account; `risk $25` (or any bare number) an amount."""
    assert size(f"/size BTC 72000 stop 71500 risk {risk}").risk == expected


def test_every_size_keyword() -> None:
    """All optional parts of /size land in their fields."""
    request = size(
        "/size btc 72000 stop 71500 acct 1000 lev 20 risk 1% tp 75000 long isolated "
        "contract micro fee 0.04% venue Bybit mmr 0.5%"
    )
    assert request.target == Decimal("75000")
    assert request.side is Side.LONG
    assert request.margin_mode is MarginMode.ISOLATED
    assert request.contract == ContractSpec(kind=ContractKind.MICRO)
    assert request.fee == Decimal("0.0004")
    assert request.venue == "bybit"
    assert request.mmr == Decimal("0.005")


@pytest.mark.parametrize(
    ("words", "field", "expected"),
    [
        ("target 75000", "target", Decimal("75000")),
        ("take 75000", "target", Decimal("75000")),
        ("exchange binance", "venue", "binance"),
        ("ex binance", "venue", "binance"),
        ("short", "side", Side.SHORT),
        ("iso", "margin_mode", MarginMode.ISOLATED),
        ("cross", "margin_mode", MarginMode.CROSS),
        ("micro", "contract", ContractSpec(kind=ContractKind.MICRO)),
        ("nano", "contract", ContractSpec(kind=ContractKind.NANO)),
        ("standard", "contract", ContractSpec(kind=ContractKind.STANDARD)),
        ("contract nano", "contract", ContractSpec(kind=ContractKind.NANO)),
        ("contract 0.01", "contract", ContractSpec(kind=ContractKind.CUSTOM, multiplier="0.01")),
        ("long long", "side", Side.LONG),
        ("fee 0.05", "fee", Decimal("0.0005")),
        ("fee 0", "fee", Decimal("0")),
        ("mmr 0.4", "mmr", Decimal("0.004")),
        ("lev 1", "leverage", Decimal("1")),
        ("lev 200x", "leverage", Decimal("200")),
    ],
)
def test_size_aliases_and_flags(words: str, field: str, expected: object) -> None:
    """Keyword aliases and bare flags of /size fill the right field."""
    stop = "stop 72500" if "short" in words else "stop 71500"
    assert getattr(size(f"/size BTC 72000 {stop} {words}"), field) == expected


def test_short_target_below_entry() -> None:
    """For a short (stop above entry), a target below entry is on the winning side."""
    assert size("/size BTC 72000 stop 72500 tp 70000").target == Decimal("70000")


def test_liq() -> None:
    """/liq reads entry, leverage (keyword or bare) and its optional parts."""
    request = parse_command(
        "/liq eth 3000 25x short cross acct 500 qty 0.5 venue binance mmr 0.5%", BOT
    )
    assert request == LiqRequest(
        symbol="ETH",
        entry=Decimal("3000"),
        leverage=Decimal("25"),
        side=Side.SHORT,
        margin_mode=MarginMode.CROSS,
        account=Decimal("500"),
        quantity=QuantitySpec(amount=Decimal("0.5")),
        venue="binance",
        mmr=Decimal("0.005"),
    )


@pytest.mark.parametrize("alias", ["qty", "quantity", "size", "amount"])
def test_quantity_aliases(alias: str) -> None:
    """qty|quantity|size|amount all give the quantity of /pnl and /liq."""
    pnl = parse_command(f"/pnl BTC 72000 73500 {alias} 0.017", BOT)
    liq = parse_command(f"/liq BTC 72000 lev 20 {alias}=0.017", BOT)
    assert isinstance(pnl, PnlRequest) and isinstance(liq, LiqRequest)
    assert pnl.quantity == liq.quantity == QuantitySpec(amount=Decimal("0.017"))


def test_pnl() -> None:
    """/pnl reads entry and exit, quantity, a stop for R, side, contract and fee."""
    request = parse_command("/pnl BTC 72000 73500 qty 0.017 stop 71500 long micro fee 0.05", BOT)
    assert request == PnlRequest(
        symbol="BTC",
        entry=Decimal("72000"),
        exit=Decimal("73500"),
        quantity=QuantitySpec(amount=Decimal("0.017")),
        side=Side.LONG,
        contract=ContractSpec(kind=ContractKind.MICRO),
        fee=Decimal("0.0005"),
        stop=Decimal("71500"),
    )


def test_pnl_exit_as_keyword() -> None:
    """The exit of /pnl may also be given as `exit PRICE`, anywhere."""
    request = parse_command("/pnl BTC 72000 qty 0.017 exit 73500", BOT)
    assert isinstance(request, PnlRequest)
    assert request.exit == Decimal("73500")


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [("100%", "1"), ("50%", "0.5"), ("0.5", "0.5"), ("1", "1"), ("50", "0.5"), ("200%", "2")],
)
def test_hedge_ratio(ratio: str, expected: str) -> None:
    """A hedge ratio is a percent, or a bare fraction up to 1 and a percent above."""
    request = parse_command(f"/hedge BTC 5000 ratio {ratio}", BOT)
    assert isinstance(request, HedgeRequest)
    assert request.ratio == Decimal(expected)


def test_hedge() -> None:
    """/hedge reads the spot value, price, contract and venue."""
    request = parse_command("/hedge btc 5k price 72000 contract micro venue cme", BOT)
    assert request == HedgeRequest(
        symbol="BTC",
        spot_value=Decimal("5000"),
        price=Decimal("72000"),
        contract=ContractSpec(kind=ContractKind.MICRO),
        venue="cme",
    )


@pytest.mark.parametrize("hours", ["hours 8", "h 8", "8h", "hours 8h"])
def test_funding_hours(hours: str) -> None:
    """Funding hours read as `hours 8`, `h 8` or a bare `8h`."""
    request = parse_command(f"/funding BTC 1224 rate 0.01% {hours}", BOT)
    assert isinstance(request, FundingRequest)
    assert request.hours == Decimal("8")


def test_funding() -> None:
    """/funding reads a negative rate (percent, `%` optional) and a side."""
    request = parse_command("/funding BTC 1224 rate -0.01 short", BOT)
    assert request == FundingRequest(
        symbol="BTC", notional=Decimal("1224"), rate=Decimal("-0.0001"), side=Side.SHORT
    )


# --- what is refused --------------------------------------------------------------------------

E = ErrorCode
ERRORS: list[tuple[str, ErrorCode, str, dict[str, str], str]] = [
    ("", E.EMPTY, "", {}, "size"),
    ("   \n\t ", E.EMPTY, "", {}, "size"),
    ("/sise BTC 72000 stop 71500", E.UNKNOWN_COMMAND, "/sise", {"suggestion": "size"}, "size"),
    (
        "/size BTC 72.000 stop 71500",
        E.AMBIGUOUS_NUMBER,
        "72.000",
        {"decimal": "72", "thousands": "72000"},
        "size",
    ),
    ("/hello", E.UNKNOWN_COMMAND, "/hello", {"suggestion": ""}, "size"),
    ("hello there", E.UNKNOWN_COMMAND, "hello", {"suggestion": ""}, "size"),
    ("/", E.UNKNOWN_COMMAND, "/", {"suggestion": ""}, "size"),
    (
        "/size@other_bot BTC 1 stop 2",
        E.UNKNOWN_COMMAND,
        "/size@other_bot",
        {"other_bot": "other_bot"},
        "size",
    ),
    (
        "/liq@OtherBot BTC 1 lev 2",
        E.UNKNOWN_COMMAND,
        "/liq@OtherBot",
        {"other_bot": "OtherBot"},
        "liq",
    ),
    ("/size", E.MISSING_ARGUMENT, "", {"what": "symbol"}, "size"),
    ("/size BTC", E.MISSING_ARGUMENT, "", {"what": "stop"}, "size"),
    ("/size 72000 stop 1", E.MISSING_ARGUMENT, "72000", {"what": "symbol"}, "size"),
    ("/size stop 71500", E.MISSING_ARGUMENT, "stop", {"what": "symbol"}, "size"),
    ("/size B 72000 stop 1", E.MISSING_ARGUMENT, "B", {"what": "symbol"}, "size"),
    (
        "/size ABCDEFGHIJKLMNOP 72000 stop 1",
        E.MISSING_ARGUMENT,
        "ABCDEFGHIJKLMNOP",
        {"what": "symbol"},
        "size",
    ),
    ("/size BTC 72000", E.MISSING_ARGUMENT, "", {"what": "stop"}, "size"),
    ("/size BTC 72000 acct 1000", E.MISSING_ARGUMENT, "", {"what": "stop"}, "size"),
    ("/liq BTC 72000", E.MISSING_ARGUMENT, "", {"what": "lev"}, "liq"),
    ("/pnl BTC 72000 73500", E.MISSING_ARGUMENT, "", {"what": "qty"}, "pnl"),
    ("/pnl BTC 72000 qty 1", E.MISSING_ARGUMENT, "", {"what": "exit"}, "pnl"),
    ("/hedge BTC", E.MISSING_ARGUMENT, "", {"what": "spot_value"}, "hedge"),
    ("/funding BTC rate 1", E.MISSING_ARGUMENT, "", {"what": "notional"}, "funding"),
    ("/size BTC 72000 stop 71500 lev", E.MISSING_VALUE, "lev", {"what": "lev"}, "size"),
    ("/size BTC 72000 stop lev 20", E.MISSING_VALUE, "stop", {"what": "stop"}, "size"),
    ("/size BTC 72000 stop 71500 tp long", E.MISSING_VALUE, "tp", {"what": "tp"}, "size"),
    ("/size BTC 72000 stop=", E.MISSING_VALUE, "stop", {"what": "stop"}, "size"),
    ("/funding BTC 1224 rate", E.MISSING_VALUE, "rate", {"what": "rate"}, "funding"),
    ("/size BTC 72000 stpo 71500", E.UNKNOWN_KEYWORD, "stpo", {"suggestion": "stop"}, "size"),
    (
        "/size BTC 72000 stop 71500 levrage 20",
        E.UNKNOWN_KEYWORD,
        "levrage",
        {"suggestion": "leverage"},
        "size",
    ),
    (
        "/size BTC 72000 stop 71500 acount=1000",
        E.UNKNOWN_KEYWORD,
        "acount",
        {"suggestion": "account"},
        "size",
    ),
    (
        "/size BTC 72000 stop 71500 wombat 3",
        E.UNKNOWN_KEYWORD,
        "wombat",
        {"suggestion": ""},
        "size",
    ),
    ("/size BTC 72000 71500", E.UNKNOWN_KEYWORD, "71500", {"suggestion": ""}, "size"),
    ("/size BTC 72000 stop 71500 qty 1", E.UNKNOWN_KEYWORD, "qty", {}, "size"),
    ("/liq BTC 72000 lev 20 risk 1%", E.UNKNOWN_KEYWORD, "risk", {"suggestion": ""}, "liq"),
    ("/hedge BTC 5000 20x", E.UNKNOWN_KEYWORD, "20x", {"suggestion": ""}, "hedge"),
    ("/hedge BTC 5000 long", E.UNKNOWN_KEYWORD, "long", {"suggestion": ""}, "hedge"),
    (
        "/funding BTC 1 rate 1 ratio 1",
        E.UNKNOWN_KEYWORD,
        "ratio",
        {"suggestion": "rate"},
        "funding",
    ),
    (
        "/size BTC 72000 stop 71500 stop 71000",
        E.DUPLICATE_KEYWORD,
        "stop",
        {"what": "stop"},
        "size",
    ),
    ("/size BTC 72000 stop 71500 lev 20 20x", E.DUPLICATE_KEYWORD, "20x", {"what": "lev"}, "size"),
    (
        "/size BTC 72000 stop 71500 acct 1 bal 2",
        E.DUPLICATE_KEYWORD,
        "bal",
        {"what": "acct"},
        "size",
    ),
    ("/size BTC 1 stop 2 micro contract micro", E.DUPLICATE_KEYWORD, "contract", {}, "size"),
    ("/pnl BTC 1 2 qty 1 exit 3", E.DUPLICATE_KEYWORD, "exit", {"what": "exit"}, "pnl"),
    ("/size BTC abc stop 71500", E.NOT_A_NUMBER, "abc", {}, "size"),
    ("/size BTC 72000 stop 1e5", E.NOT_A_NUMBER, "1e5", {}, "size"),
    ("/size BTC 72000 stop NaN", E.NOT_A_NUMBER, "NaN", {}, "size"),
    ("/size BTC Infinity stop 1", E.NOT_A_NUMBER, "Infinity", {}, "size"),
    ("/size BTC 72000 stop 71500 lev twenty", E.NOT_A_NUMBER, "twenty", {}, "size"),
    ("/pnl BTC 72000 high qty 1", E.NOT_A_NUMBER, "high", {}, "pnl"),
    ("/size BTC 72000 stop 71500 fee $5", E.NOT_A_NUMBER, "$5", {}, "size"),
    ("/size BTC 0 stop 1", E.NOT_POSITIVE, "0", {"what": "entry"}, "size"),
    ("/size BTC -72000 stop 1", E.NOT_POSITIVE, "-72000", {"what": "entry"}, "size"),
    ("/size BTC 72000 stop -71500", E.NOT_POSITIVE, "-71500", {"what": "stop"}, "size"),
    ("/size BTC 72000 stop 71500 acct 0", E.NOT_POSITIVE, "0", {"what": "acct"}, "size"),
    ("/size BTC 72000 stop 71500 tp 0", E.NOT_POSITIVE, "0", {"what": "tp"}, "size"),
    ("/size BTC 72000 stop 71500 risk 0%", E.NOT_POSITIVE, "0%", {"what": "risk"}, "size"),
    ("/size BTC 72000 stop 71500 risk -1%", E.NOT_POSITIVE, "-1%", {"what": "risk"}, "size"),
    ("/size BTC 72000 stop 71500 risk $0", E.NOT_POSITIVE, "$0", {"what": "risk"}, "size"),
    ("/pnl BTC 72000 73500 qty 0", E.NOT_POSITIVE, "0", {"what": "qty"}, "pnl"),
    ("/pnl BTC 72000 0 qty 1", E.NOT_POSITIVE, "0", {"what": "exit"}, "pnl"),
    ("/hedge BTC 0", E.NOT_POSITIVE, "0", {"what": "spot_value"}, "hedge"),
    ("/hedge BTC 5000 price -1", E.NOT_POSITIVE, "-1", {"what": "price"}, "hedge"),
    ("/funding BTC 0 rate 0.01%", E.NOT_POSITIVE, "0", {"what": "notional"}, "funding"),
    ("/funding BTC 1 rate 0.01% hours 0", E.NOT_POSITIVE, "0", {"what": "hours"}, "funding"),
    ("/liq BTC 72000 lev 20 qty -1", E.NOT_POSITIVE, "-1", {"what": "qty"}, "liq"),
    ("/size BTC 1234567890123456 stop 1", E.ABSURD_NUMBER, "1234567890123456", {}, "size"),
    ("/size BTC 72000 stop 71500 acct 2000000000000", E.ABSURD_NUMBER, "2000000000000", {}, "size"),
    ("/size BTC 0.0000000000001 stop 1", E.ABSURD_NUMBER, "0.0000000000001", {}, "size"),
    ("/size BTC 72000 stop 72000", E.STOP_EQUALS_ENTRY, "72000", {}, "size"),
    ("/size BTC 72k stop 72,000", E.STOP_EQUALS_ENTRY, "72,000", {}, "size"),
    ("/pnl BTC 72000 73500 qty 1 stop 72000", E.STOP_EQUALS_ENTRY, "72000", {}, "pnl"),
    ("/size BTC 72000 stop 72500 long", E.STOP_WRONG_SIDE, "72500", {"side": "long"}, "size"),
    ("/size BTC 72000 stop 71500 short", E.STOP_WRONG_SIDE, "71500", {"side": "short"}, "size"),
    ("/size BTC 72000 stop +1% long", E.STOP_WRONG_SIDE, "+1%", {"side": "long"}, "size"),
    ("/size BTC 72000 short stop -1%", E.STOP_WRONG_SIDE, "-1%", {"side": "short"}, "size"),
    (
        "/pnl BTC 72000 73500 qty 1 stop 71500 short",
        E.STOP_WRONG_SIDE,
        "71500",
        {"side": "short"},
        "pnl",
    ),
    ("/size BTC 72000 stop 71500 tp 71000", E.TARGET_WRONG_SIDE, "71000", {"side": "long"}, "size"),
    ("/size BTC 72000 stop 71500 tp 72000", E.TARGET_WRONG_SIDE, "72000", {"side": "long"}, "size"),
    (
        "/size BTC 72000 stop 72500 tp 73000",
        E.TARGET_WRONG_SIDE,
        "73000",
        {"side": "short"},
        "size",
    ),
    ("/size BTC 72000 stop 1% tp 71000", E.TARGET_WRONG_SIDE, "71000", {"side": "long"}, "size"),
    ("/size BTC 72000 stop +1% tp 73000", E.TARGET_WRONG_SIDE, "73000", {"side": "short"}, "size"),
    (
        "/size BTC 72000 stop 1% short tp 73000",
        E.TARGET_WRONG_SIDE,
        "73000",
        {"side": "short"},
        "size",
    ),
    (
        "/size BTC 72000 stop 71500 long short",
        E.CONFLICTING_WORDS,
        "short",
        {"other": "long"},
        "size",
    ),
    (
        "/size BTC 72000 stop 71500 iso cross",
        E.CONFLICTING_WORDS,
        "cross",
        {"other": "iso"},
        "size",
    ),
    (
        "/size BTC 72000 stop 71500 micro nano",
        E.CONFLICTING_WORDS,
        "nano",
        {"other": "micro"},
        "size",
    ),
    (
        "/funding BTC 1 rate 1 short LONG",
        E.CONFLICTING_WORDS,
        "LONG",
        {"other": "short"},
        "funding",
    ),
    ("/size BTC 72000 stop 71500 lev 0", E.LEVERAGE_OUT_OF_RANGE, "0", {"what": "lev"}, "size"),
    ("/size BTC 72000 stop 71500 lev 0.5", E.LEVERAGE_OUT_OF_RANGE, "0.5", {"what": "lev"}, "size"),
    ("/size BTC 72000 stop 71500 201x", E.LEVERAGE_OUT_OF_RANGE, "201x", {"what": "lev"}, "size"),
    ("/liq BTC 72000 lev -5", E.LEVERAGE_OUT_OF_RANGE, "-5", {"what": "lev"}, "liq"),
    ("/size BTC 72000 stop 71500 risk 101%", E.RISK_ABOVE_100, "101%", {"what": "risk"}, "size"),
    ("/size BTC 72000 stop 0%", E.PERCENT_OUT_OF_RANGE, "0%", {"what": "stop"}, "size"),
    ("/size BTC 72000 stop 100%", E.PERCENT_OUT_OF_RANGE, "100%", {"what": "stop"}, "size"),
    ("/size BTC 72000 stop -150%", E.PERCENT_OUT_OF_RANGE, "-150%", {"what": "stop"}, "size"),
    ("/size BTC 72000 stop 71500 fee 5%", E.PERCENT_OUT_OF_RANGE, "5%", {"what": "fee"}, "size"),
    (
        "/size BTC 72000 stop 71500 fee -0.01",
        E.PERCENT_OUT_OF_RANGE,
        "-0.01",
        {"what": "fee"},
        "size",
    ),
    ("/size BTC 72000 stop 71500 mmr 0", E.PERCENT_OUT_OF_RANGE, "0", {"what": "mmr"}, "size"),
    ("/liq BTC 72000 lev 20 mmr 50%", E.PERCENT_OUT_OF_RANGE, "50%", {"what": "mmr"}, "liq"),
    ("/hedge BTC 5000 ratio 0", E.PERCENT_OUT_OF_RANGE, "0", {"what": "ratio"}, "hedge"),
    ("/hedge BTC 5000 ratio 201%", E.PERCENT_OUT_OF_RANGE, "201%", {"what": "ratio"}, "hedge"),
    ("/hedge BTC 5000 ratio -50%", E.PERCENT_OUT_OF_RANGE, "-50%", {"what": "ratio"}, "hedge"),
    ("/funding BTC 1224 rate 5%", E.PERCENT_OUT_OF_RANGE, "5%", {"what": "rate"}, "funding"),
    ("/funding BTC 1224 rate -5", E.PERCENT_OUT_OF_RANGE, "-5", {"what": "rate"}, "funding"),
    (
        "/size BTC 72000 stop 71500 contract mini",
        E.BAD_CONTRACT,
        "mini",
        {"what": "contract"},
        "size",
    ),
    ("/size BTC 72000 stop 71500 contract 0", E.BAD_CONTRACT, "0", {"what": "contract"}, "size"),
    ("/pnl BTC 1 2 qty 1 contract -1", E.BAD_CONTRACT, "-1", {"what": "contract"}, "pnl"),
    ("/hedge BTC 5000 contract 1e-3", E.BAD_CONTRACT, "1e-3", {"what": "contract"}, "hedge"),
    ("/size " + " ".join(["long"] * 30), E.TOO_MANY_WORDS, "long", {"limit": "30"}, "size"),
    ("/avg BTC 72000 0.01 70500 lev 5", E.INCOMPLETE_FILL, "70500", {"what": "fills"}, "avg"),
    ("/avg BTC 0.01@ lev 5", E.INCOMPLETE_FILL, "0.01@", {"what": "fills"}, "avg"),
    ("/liq BTC 72000 lev 20 qty $500", E.QUANTITY_IS_MONEY, "$500", {"what": "qty"}, "liq"),
    ("/pnl BTC 1 2 qty 500usdt", E.QUANTITY_IS_MONEY, "500usdt", {"what": "qty"}, "pnl"),
]


@pytest.mark.parametrize(
    ("text", "code", "word", "params", "command"), ERRORS, ids=[row[0][:60] for row in ERRORS]
)
def test_errors(
    text: str, code: ErrorCode, word: str, params: dict[str, str], command: str
) -> None:
    """Each mistake gets its own code, the word as typed and the example of its command."""
    raised = error(text)
    assert (raised.code, raised.word) == (code, word)
    assert params.items() <= raised.params.items()
    assert raised.example == EXAMPLES[command]


MEMBER_ERRORS: list[tuple[str, ErrorCode, str, str]] = [
    ("/result 12 maybe", E.BAD_OUTCOME, "maybe", "result"),
    ("/result x win", E.BAD_CHECK_ID, "x", "result"),
    ("/result 12", E.MISSING_ARGUMENT, "", "result"),
    ("/settings tz Mars/Base", E.UNKNOWN_TIMEZONE, "Mars/Base", "settings"),
    ("/settings lang 12345", E.UNKNOWN_LANGUAGE, "12345", "settings"),
    ("/settings maxrisk $5", E.PERCENT_OUT_OF_RANGE, "$5", "settings"),
    ("/settings lev 500", E.LEVERAGE_OUT_OF_RANGE, "500", "settings"),
    ("/settings acct", E.MISSING_VALUE, "acct", "settings"),
    ("/settings acc 1000", E.UNKNOWN_KEYWORD, "acc", "settings"),
    ("/size BTC 72000 stop 71500", E.UNKNOWN_COMMAND, "/size", "settings"),
    ("/remind daily 25:00", E.BAD_TIME, "25:00", "remind"),
    ("/remind weekly someday 10:00", E.BAD_DAY, "someday", "remind"),
    ("/remind weekly", E.MISSING_ARGUMENT, "", "remind"),
    ("/remind daily 10:00 Mars/Base", E.UNKNOWN_TIMEZONE, "Mars/Base", "remind"),
    ("/policy channel foo daily 09:00", E.BAD_CHANNEL, "foo", "policy"),
    ("/policy maxlev 0", E.LEVERAGE_OUT_OF_RANGE, "0", "policy"),
]


@pytest.mark.parametrize(("text", "code", "word", "command"), MEMBER_ERRORS)
def test_member_command_errors(text: str, code: ErrorCode, word: str, command: str) -> None:
    """/settings and /result mistakes get their own code, the word and their example."""
    with pytest.raises(CommandError) as raised:
        parse_member_command(text, BOT)
    assert (raised.value.code, raised.value.word) == (code, word)
    assert raised.value.example == EXAMPLES[command]


def test_settings_parse_every_keyword() -> None:
    """One /settings line sets each stored setting; `off` clears one."""
    request = parse_member_command(
        "/settings acct 1,000 risk 0.5% lev 10x fee 0.04% venue Bybit maxrisk 1% maxlev 5 "
        "lang pt-BR tz Europe/Berlin cross",
        BOT,
    )
    assert isinstance(request, SettingsRequest)
    assert request.changes == {
        "account": Decimal(1000),
        "risk": RiskSpec(fraction=Decimal("0.005")),
        "leverage": Decimal(10),
        "fee": Decimal("0.0004"),
        "venue": "bybit",
        "max_risk": Decimal("0.01"),
        "max_leverage": Decimal(5),
        "lang": "pt_br",
        "tz": "Europe/Berlin",
        "margin_mode": MarginMode.CROSS,
    }
    cleared = parse_member_command("/settings acct off", BOT)
    assert isinstance(cleared, SettingsRequest) and cleared.changes == {"account": None}


def test_remind_and_policy_parse() -> None:
    """Schedules read as 24-hour times with Monday = 0; `off` switches them off."""
    remind = parse_member_command("/remind weekly sun 18:30 Europe/Berlin", BOT)
    assert remind == RemindRequest(
        schedule=Schedule(kind="weekly", weekday=6, at="18:30", tz="Europe/Berlin")
    )
    assert parse_member_command("/remind off", BOT) == RemindRequest(off=True)
    assert parse_member_command("/remind", BOT) == RemindRequest()
    policy = parse_member_command(
        "/policy maxrisk 2% maxlev 25 lang de channel @riskschool daily 9:00 UTC", BOT
    )
    assert policy == PolicyRequest(
        changes={"max_risk": Decimal("0.02"), "max_leverage": Decimal(25), "lang": "de"},
        channel="@riskschool",
        lessons=Schedule(kind="daily", at="09:00", tz="UTC"),
    )
    assert parse_member_command("/policy lessons off", BOT) == PolicyRequest(lessons_off=True)


def test_result_parse() -> None:
    """`/result #12 won exit 73,5k` is check 12, a win, closed at 73,500."""
    request = parse_member_command("/result #12 won exit 73,5k", BOT)
    assert request == ResultRequest(check_id=12, outcome="win", exit=Decimal(73500))


@pytest.mark.parametrize(
    "text",
    [
        "/size BTC stop 71500 acct 1000 lev 20",
        "/size BTC market stop 71500 acct 1000 lev 20",
        "/size BTC mkt stop 1% acct 1000 lev 20",
        "/liq BTC 20x",
        "/liq BTC market lev 20",
    ],
)
def test_entry_left_out_or_market_is_the_mark_price(text: str) -> None:
    """Most members trade at market: a left-out entry (or `market`, `mkt`) is filled later with
    the venue's mark price, so the parser keeps it empty instead of refusing the command."""
    request = parse_command(text, BOT)
    assert isinstance(request, SizeRequest | LiqRequest)
    assert request.entry is None


def test_funding_without_rate_uses_the_current_rate() -> None:
    """`/funding BTC 1224` leaves the rate to the venue's current funding rate."""
    request = parse_command("/funding BTC 1224", BOT)
    assert isinstance(request, FundingRequest) and request.rate is None


def test_price_command() -> None:
    """`/price eth venue bybit` asks for the live prices of ETH on Bybit."""
    assert parse_command("/price eth venue bybit", BOT) == PriceRequest(symbol="ETH", venue="bybit")


def test_every_parser_error_code_is_tested() -> None:
    """The tables above cover every code the parser can raise."""
    core_codes = {
        E.MISSING_DEFAULT,
        E.UNKNOWN_VENUE,
        E.UNKNOWN_SYMBOL,
        E.TIERS_UNKNOWN,
        E.PRICE_UNAVAILABLE,
        E.POSITION_TOO_LARGE,
        E.UNKNOWN_CONTRACT,
        E.LEVERAGE_ABOVE_VENUE_MAX,
        # raised against the member's own log and rules (tests/test_outcomes.py, test_service.py)
        E.UNKNOWN_CHECK,
        E.WRONG_COIN,
        E.NOT_WHOLE_CONTRACTS,
        E.BELOW_ONE_CONTRACT,
        E.OTHERS_NEED_CROSS,
        E.OUTCOME_NEEDS_EXIT,
        E.NO_LIQUIDATION,
        E.EXPLORING_CHECK,
        E.RISK_ABOVE_OWN_RULE,
    }
    tested = {row[1] for row in ERRORS} | {row[1] for row in MEMBER_ERRORS}
    assert tested == set(ErrorCode) - core_codes


def test_thirty_words_are_fine() -> None:
    """Exactly 30 words is within the limit."""
    text = "/size BTC 72000 stop 71500 " + " ".join(["long"] * 25)
    assert len(text.split()) == 30
    assert size(text).side is Side.LONG


def test_too_many_characters() -> None:
    """A message longer than 4096 characters is refused as too many words."""
    raised = error("/size BTC 72000 stop 71500 venue " + "x" * 4096)
    assert raised.code is ErrorCode.TOO_MANY_WORDS
    assert raised.params["limit"] == "30"
    assert raised.example == EXAMPLES["size"]


FLOODS = [
    ("/size BTC " + "9" * 100_000, E.TOO_MANY_WORDS, {"limit": "30", "max_chars": "4096"}),
    ("/size " + "a" * 1_000_000, E.TOO_MANY_WORDS, {"limit": "30", "max_chars": "4096"}),
    (
        "/size BTC 72000 " + "stop " * 200_000,
        E.TOO_MANY_WORDS,
        {"limit": "30", "max_chars": "4096"},
    ),
    ("x" * 1_000_000, E.UNKNOWN_COMMAND, {"suggestion": ""}),
    ("/" + "s" * 1_000_000, E.UNKNOWN_COMMAND, {"suggestion": ""}),
]


@pytest.mark.parametrize(("text", "code", "params"), FLOODS, ids=[row[0][:12] for row in FLOODS])
def test_huge_input_is_refused_by_its_size(
    text: str, code: ErrorCode, params: dict[str, str]
) -> None:
    """Floods are refused for their length in characters before any word is read, and a huge
    unknown command word for being unknown; how fast is measured by `python -m benchmarks`."""
    raised = error(text)
    assert (raised.code, raised.params) == (code, params)
    assert raised.example == EXAMPLES["size"]


def test_long_word_within_limits_is_refused_precisely() -> None:
    """A 4000-character number inside the limits is read whole and refused as absurd."""
    raised = error("/size BTC 72000 stop " + "1" * 4000)
    assert (raised.code, raised.word) == (ErrorCode.ABSURD_NUMBER, "1" * 4000)
    assert raised.example == EXAMPLES["size"]


# --- properties -------------------------------------------------------------------------------

_VOCABULARY = [
    *["/size", "/calc", "/rr", "/liq", "/pnl", "/hedge", "/funding", "size", "/size@x"],
    *["stop", "sl", "acct", "lev", "risk", "tp", "fee", "venue", "mmr", "qty", "ratio"],
    *["price", "rate", "hours", "h", "exit", "contract", "long", "short", "iso", "cross"],
    *["micro", "nano", "standard", "btc", "BTCUSDT", "72000", "72,000", "71,5k", "1%"],
    *["-1%", "+1%", "20x", "x20", "8h", "$25", "0", "-5", "=", ":", "stop=", "1e5", "NaN"],
]
_TOKENS = st.one_of(st.sampled_from(_VOCABULARY), st.text(max_size=8))
_SOUP = st.builds(
    lambda head, words, glue: " ".join([head, *words]).replace(" =", glue),
    st.sampled_from(_VOCABULARY[:9]),
    st.lists(_TOKENS, max_size=12),
    st.sampled_from(" =:"),
)


@given(mostly(st.text(), calculations.map(with_text)))
@settings(max_examples=345)
def test_arbitrary_text_raises_only_command_errors(case: tuple[str, Typed | None]) -> None:
    """Any text at all gives a request or a CommandError with an example, never a crash; a
    command among it, typed as members type it, is read as they meant it."""
    text, typed = case
    try:
        request = parse_command(text, BOT, lang=typed.lang if typed else None)
    except CommandError as raised:
        assert raised.example in EXAMPLES.values()
        assert typed is None, f"{text!r} ({typed.lang}) refused: {raised.code}"
    else:
        assert typed is None or request == typed.request


@given(mostly(_SOUP, calculations.map(with_text)))
@settings(max_examples=575)
def test_command_soup_raises_only_command_errors(case: tuple[str, Typed | None]) -> None:
    """Command words followed by random tokens give a request or a precise CommandError; a
    command among them, typed as members type it, is read as they meant it."""
    text, typed = case
    try:
        request = parse_command(text, BOT, lang=typed.lang if typed else None)
    except CommandError as raised:
        assert raised.example in EXAMPLES.values()
        assert isinstance(raised.code, ErrorCode)
        assert typed is None, f"{text!r} ({typed.lang}) refused: {raised.code}"
    else:
        assert request.command in EXAMPLES
        assert typed is None or request == typed.request


_MEMBER_VOCABULARY = [
    *["/settings", "/result", "acct", "risk", "lev", "fee", "venue", "maxrisk", "maxlev"],
    *["lang", "tz", "off", "Europe/Berlin", "de", "cross", "12", "#12", "win", "liq", "exit"],
]
_MEMBER_SOUP = st.builds(
    lambda head, words: " ".join([head, *words]),
    st.sampled_from(["/settings", "/result"]),
    st.lists(st.one_of(st.sampled_from(_MEMBER_VOCABULARY), _TOKENS), max_size=12),
)


@given(mostly(_MEMBER_SOUP, member_commands.map(with_text)))
@settings(max_examples=345)
def test_member_commands_raise_only_command_errors(case: tuple[str, Typed | None]) -> None:
    """/settings and /result with random words give a request or a precise CommandError; one
    typed as members type it is read as they meant it."""
    text, typed = case
    try:
        request = parse_member_command(text, BOT, lang=typed.lang if typed else None)
    except CommandError as raised:
        assert raised.example in EXAMPLES.values()
        assert typed is None, f"{text!r} ({typed.lang}) refused: {raised.code}"
    else:
        if typed is None:
            assert request.command == text.split()[0].lstrip("/")
        else:
            assert request == typed.request
