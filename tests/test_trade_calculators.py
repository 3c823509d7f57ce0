"""/pnl with ROE, break-even and funding; cross margin next to other positions; one `qty`."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from chatbot.engine.models import FundingResult, LiqResult, OthersInCross, PnlResult, SizeResult
from chatbot.evaluation.calculators import evaluate
from chatbot.language.calculators import FundingRequest, LiqRequest, PnlRequest, SizeRequest
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.parser import parse_command
from chatbot.language.requests import QuantitySpec
from chatbot.render.errors import render_error
from chatbot.render.html import to_plain
from chatbot.render.results import render

CENT = D("0.01")


def checked(text: str) -> object:
    return evaluate(parse_command(text)).result


def reply(text: str, lang: str = "en") -> str:
    return to_plain(render(evaluate(parse_command(text, lang=lang)), lang))


def refused(text: str) -> CommandError:
    with pytest.raises(CommandError) as caught:
        evaluate(parse_command(text))
    return caught.value


# --- /pnl --------------------------------------------------------------------------------------


def test_pnl_reads_leverage_and_funding() -> None:
    """`lev`, a funding amount or a rate with hours join /pnl; an amount and a rate conflict."""
    request = parse_command("/pnl BTC 72000 73500 qty 0.017 lev 20 funding -1.20")
    assert isinstance(request, PnlRequest)
    assert (request.leverage, request.funding) == (D(20), D("-1.20"))
    rated = parse_command("/pnl BTC 72000 73500 qty 0.017 rate 0.01% hours 24")
    assert isinstance(rated, PnlRequest)
    assert (rated.rate, rated.hours, rated.funding) == (D("0.0001"), D(24), None)
    with pytest.raises(CommandError) as both:
        parse_command("/pnl BTC 72000 73500 qty 0.017 funding -1 rate 0.01%")
    assert (both.value.code, both.value.word) == (ErrorCode.CONFLICTING_WORDS, "rate")
    with pytest.raises(CommandError) as hours_alone:
        parse_command("/pnl BTC 72000 73500 qty 0.017 hours 24")
    assert hours_alone.value.params["what"] == "rate"


def test_roe_on_margin() -> None:
    """By hand, ROE = PnL / initial margin: long 0.2 BTC at 7,000, 10x, closed at 7,500:
    IM = 1,400 / 10 = 140, PnL = 0.2 × 500 = 100 before fees, ROE = 100 / 140 = 71.43%."""
    result = checked("/pnl BTC 7000 7500 qty 0.2 lev 10 fee 0")
    assert isinstance(result, PnlResult)
    assert result.initial_margin == 140 and result.gross == 100
    assert result.roe is not None and result.roe.quantize(D("0.0001")) == D("0.7143")
    assert "ROE on $140.00 margin (10x): +71.43% before fees" in reply(
        "/pnl BTC 7000 7500 qty 0.2 lev 10 fee 0"
    )


def test_funding_paid_and_break_even_with_both_fees() -> None:
    """By hand, PnL = side × Q × (exit − EP) − opening fee − closing fee + funding received:
    0.017 × 1,500 = 25.50; fees 0.0005 × 0.017 × 72,000 = 0.612 and × 73,500 = 0.62475;
    funding −1.20 → net 23.06325. Break-even X = (Q·EP·(1 + f) − F) / (Q·(1 − f))
    = (1,224.612 + 1.20) / 0.0169915 = 72,142.66. ROE at 20x: 25.50 / 61.20 = 41.67% before
    fees, 23.06325 / 61.20 = 37.69% after fees and funding."""
    text = "/pnl BTC 72000 73500 qty 0.017 lev 20 funding -1.20"
    result = checked(text)
    assert isinstance(result, PnlResult)
    assert result.net == D("23.06325")
    assert result.break_even is not None and result.break_even.quantize(CENT) == D("72142.66")
    shown = reply(text)
    for line in (
        "Gross +$25.50 − fees $1.24 − funding paid $1.20 = net +$23.06",
        "Break-even exit $72,142.66: it pays back the fees ($0.61 to open, $0.62 to close) and "
        "the funding.",
        "ROE on $61.20 margin (20x): +41.67% before fees, +37.69% after fees and funding",
    ):
        assert line in shown


def test_funding_from_rate_and_hours() -> None:
    """A long pays a positive rate: 1,224 × 0.01% × 24 / 8 = 0.3672, so net = 25.50 − 1.23675
    − 0.3672 = 23.89605 (the funding interval, 8 h, is named as the default it is)."""
    text = "/pnl BTC 72000 73500 qty 0.017 rate 0.01% hours 24"
    result = checked(text)
    assert isinstance(result, PnlResult)
    assert result.funding == D("-0.3672") and result.net == D("23.89605")
    assert "funding every 8 h" in reply(text)


def test_short_receives_positive_funding() -> None:
    """A short receives a positive rate: + 1,224 × 0.01% = 0.1224 over one interval."""
    result = checked("/pnl BTC 72000 71000 qty 0.017 short rate 0.01%")
    assert isinstance(result, PnlResult)
    assert result.funding == D("0.1224")
    assert "+ funding received $0.12" in reply("/pnl BTC 72000 71000 qty 0.017 short rate 0.01%")


def test_inverse_funding_from_rate_is_coin() -> None:
    """Binance COIN-M charges funding in BTC on the value at the mark ("Introduction to Binance
    Futures Funding Rates"): 72 contracts × $100 × 0.01% × 3 = $2.16 = 0.00003 BTC at 72,000,
    and PnL values every coin amount at the exit, so −0.00003 × 73,500 = −2.205."""
    result = checked("/pnl BTC 72000 73500 qty 72 venue binance_coinm rate 0.01% hours 24")
    assert isinstance(result, PnlResult)
    assert result.funding == D("-2.205")


def test_pnl_without_leverage_has_no_roe() -> None:
    """No leverage typed and none saved: no margin is guessed, so no ROE line."""
    shown = reply("/pnl BTC 72000 73500 qty 0.017")
    assert "ROE" not in shown and "Break-even exit $72,072.04" in shown


# --- cross margin next to other positions ------------------------------------------------------


def test_others_parse_for_size_and_liq() -> None:
    """`others_mm`, `others_upnl` (and `tmm`, `upnl`) for /size and /liq, negative PnL kept."""
    liq = parse_command("/liq BTC 72000 lev 20 cross acct 1000 qty 0.017 tmm 12.5 upnl -30")
    assert isinstance(liq, LiqRequest)
    assert liq.others == OthersInCross(maintenance=D("12.5"), upnl=D(-30))
    size = parse_command("/size BTC 72000 stop 71500 cross others_upnl=+40")
    assert isinstance(size, SizeRequest)
    assert size.others == OthersInCross(upnl=D(40))
    with pytest.raises(CommandError) as isolated:
        parse_command("/liq BTC 72000 lev 20 isolated others_mm 5")
    assert (isolated.value.code, isolated.value.params["other"]) == (
        ErrorCode.CONFLICTING_WORDS,
        "others_mm",
    )


def test_cross_liquidation_next_to_other_positions() -> None:
    """Binance's USDⓈ-M form LP = (WB − TMM + UPNL + cum − side·Q·EP) / (Q·MMR − side·Q), by
    hand: WB 1,000, TMM 12.5, UPNL −30, long 0.017 at 72,000, MMR 0.4%, cum 0:
    (1,000 − 12.5 − 30 − 1,224) / (0.000068 − 0.017) = −266.5 / −0.016932 = 15,739.43."""
    text = "/liq BTC 72000 lev 20 cross acct 1000 qty 0.017 others_mm 12.5 others_upnl -30"
    result = checked(text)
    assert isinstance(result, LiqResult)
    assert result.wallet_balance == D("957.5")
    assert result.liquidation_price is not None
    assert result.liquidation_price.quantize(CENT) == D("15739.43")
    alone = checked("/liq BTC 72000 lev 20 cross acct 1000 qty 0.017")
    assert isinstance(alone, LiqResult) and alone.liquidation_price is not None
    # Without others the wallet is the account: (1,000 − 1,224) / −0.016932 = 13,229.39.
    assert alone.liquidation_price.quantize(CENT) == D("13229.39")


def test_size_in_cross_counts_other_positions() -> None:
    """The same 0.017 BTC sized by risk, liquidated where /liq above puts it."""
    result = checked(
        "/size BTC 72000 stop 71500 acct 1000 lev 20 cross others_mm 12.5 others_upnl -30"
    )
    assert isinstance(result, SizeResult)
    assert result.quantity == D("0.017")
    assert result.liquidation_price is not None
    assert result.liquidation_price.quantize(CENT) == D("15739.43")


def test_others_with_isolated_default_are_refused() -> None:
    """Isolated is the default: other positions typed without `cross` are named, not dropped."""
    error = refused("/liq BTC 72000 lev 20 qty 0.017 others_upnl -30")
    assert (error.code, error.word) == (ErrorCode.OTHERS_NEED_CROSS, "others_upnl")
    assert "add cross" in to_plain(render_error(error, "en"))


# --- one meaning of qty ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "spec"),
    [
        ("5", QuantitySpec(amount=D(5))),
        ("0.1btc", QuantitySpec(amount=D("0.1"), coin="BTC")),
        ("0,1BTC", QuantitySpec(amount=D("0.1"), coin="BTC")),
        ("1.5k", QuantitySpec(amount=D(1500))),
        ("5000000pepe", QuantitySpec(amount=D(5000000), coin="PEPE")),
    ],
)
def test_qty_is_a_count_or_a_coin_amount(typed: str, spec: QuantitySpec) -> None:
    """A bare number counts the instrument's unit; a number with a coin's name is that coin."""
    request = parse_command(f"/liq BTC 72000 lev 20 qty {typed}")
    assert isinstance(request, LiqRequest) and request.quantity == spec


def test_inverse_qty_counts_contracts_everywhere() -> None:
    """`qty 5` on Binance COIN-M is 5 contracts of $100 in /liq, /pnl and /funding alike."""
    liq = checked("/liq BTC 72000 lev 20 qty 5 venue binance_coinm")
    pnl = checked("/pnl BTC 72000 73500 qty 5 venue binance_coinm")
    paid = checked("/funding BTC qty 5 rate 0.01% venue binance_coinm")
    assert isinstance(liq, LiqResult) and isinstance(pnl, PnlResult)
    assert isinstance(paid, FundingResult)
    assert liq.contracts == pnl.contracts == 5
    assert liq.notional == pnl.notional == paid.notional == 500


def test_inverse_coin_amount_rounds_down_to_whole_contracts() -> None:
    """0.1234 BTC at 72,000 is $8,884.80 = 88.848 contracts of $100: 88, and the reply says so."""
    liq = checked("/liq BTC 72000 lev 20 qty 0.1234btc venue binance_coinm")
    assert isinstance(liq, LiqResult) and liq.contracts == 88
    shown = reply("/liq BTC 72000 lev 20 qty 0.1234btc venue binance_coinm")
    assert "size 88 contracts of $100" in shown
    assert "88 contracts of $100 (from your coin amount, rounded down)" in shown
    pnl = checked("/pnl BTC 72000 73500 qty 0.1234btc venue binance_coinm")
    assert isinstance(pnl, PnlResult) and pnl.contracts == 88


def test_default_size_of_an_inverse_liq_is_one_contract() -> None:
    """The venue's smallest order on COIN-M is one contract, not "1 BTC"."""
    assert "1 contract of $100 (venue)" in reply("/liq BTC 72000 lev 20 venue binance_coinm")


def test_linear_qty_with_the_coin_is_the_same_quantity() -> None:
    """On a linear instrument `qty 0.017btc` and `qty 0.017` are the same 0.017 BTC."""
    typed = checked("/pnl BTC 72000 73500 qty 0.017btc")
    bare = checked("/pnl BTC 72000 73500 qty 0.017")
    assert isinstance(typed, PnlResult) and isinstance(bare, PnlResult)
    assert typed.net == bare.net


def test_funding_by_quantity_and_in_coin() -> None:
    """5 contracts × $100 × 0.01% × 3 = $0.15, in BTC at 72,000: 0.0000020833 BTC."""
    request = parse_command("/funding BTC qty 5 rate 0.01% hours 24 price 72000")
    assert isinstance(request, FundingRequest) and request.notional is None
    text = "/funding BTC qty 5 rate 0.01% hours 24 venue binance_coinm price 72000"
    result = checked(text)
    assert isinstance(result, FundingResult)
    assert result.amount == D("0.15") and result.amount_coin is not None
    assert result.amount_coin.quantize(D("1E-10")) == D("0.0000020833")
    assert "You pay 0.0000020833 BTC ($0.15)." in reply(text)
    hint = reply("/funding BTC qty 5 rate 0.01% hours 24 venue binance_coinm")
    assert "add price 72000 to see it in BTC" in hint
    linear = checked("/funding BTC qty 0.017 rate 0.01% price 72000")
    assert isinstance(linear, FundingResult) and linear.notional == 1224


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("/funding BTC qty 0.017 rate 0.01%", ErrorCode.MISSING_DEFAULT),
        ("/liq BTC 72000 lev 20 qty 2.5 venue binance_coinm", ErrorCode.NOT_WHOLE_CONTRACTS),
        ("/liq BTC 72000 lev 20 qty 0.1eth", ErrorCode.WRONG_COIN),
        ("/pnl BTC 72000 73500 qty 0.001btc venue binance_coinm", ErrorCode.BELOW_ONE_CONTRACT),
    ],
)
def test_quantities_that_mean_nothing_are_refused(text: str, code: ErrorCode) -> None:
    """A coin amount without a price, half a contract, another coin, less than a contract."""
    assert refused(text).code is code


def test_funding_takes_a_value_or_a_quantity() -> None:
    """Both is a contradiction, neither is the missing position value."""
    with pytest.raises(CommandError) as both:
        parse_command("/funding BTC 1224 qty 0.017 rate 0.01%")
    assert both.value.code is ErrorCode.CONFLICTING_WORDS
    with pytest.raises(CommandError) as neither:
        parse_command("/funding BTC rate 0.01%")
    assert neither.value.params["what"] == "notional"


def test_bybit_inverse_liquidation_is_priced() -> None:
    """Bybit's inverse form needs the taker fee (Bybit Help Center, "Liquidation Price
    (Inverse Contract)"); /liq used to fail there with a leverage error. Long $60,000 at
    50,000, 10x, MMR 0.5%, no extra margin → ≈ 45,681.82."""
    result = checked("/liq BTC 50000 lev 10 qty 60000 venue bybit_inverse")
    assert isinstance(result, LiqResult) and result.liquidation_price is not None
    assert result.liquidation_price.quantize(CENT) == D("45681.82")
