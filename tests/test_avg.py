"""/avg (/dca): several fills as the one position they make, from the typed words to the reply."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from chatbot.engine.models import MarginMode, Side
from chatbot.evaluation.calculators import AvgResult, Check, evaluate
from chatbot.evaluation.defaults import Profile
from chatbot.language.calculators import AvgRequest
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.parser import parse_command
from chatbot.language.requests import FillSpec, QuantitySpec
from chatbot.render.html import to_plain
from chatbot.render.results import render, summary
from tests.conftest import Chat, running
from tests.standin import StandIn

CENT = D("0.01")


def fill(quantity: str, price: str, coin: str | None = None) -> FillSpec:
    return FillSpec(quantity=QuantitySpec(amount=D(quantity), coin=coin), price=D(price))


def averaged(text: str, member: Profile | None = None) -> AvgResult:
    result = evaluate(parse_command(text), member).result
    assert isinstance(result, AvgResult)
    return result


# --- the words ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "/avg BTC 0.01@72000 0.02@70500",
        "/avg BTC 72000 0.01 70500 0.02",
        "/dca btc 0.01 @ 72000 0.02@ 70500",
        "/avg BTC 0.01@72k 70500 0.02",
        "/avg BTCUSDT 0.01@72,000 0.02@70,500",
    ],
)
def test_fills_read_as_quantity_at_price_or_price_then_quantity(text: str) -> None:
    """`Q@P`, bare pairs `P Q`, spaces around `@` and a mix of both read as the same fills."""
    request = parse_command(text)
    assert isinstance(request, AvgRequest)
    assert request.fills == (fill("0.01", "72000"), fill("0.02", "70500"))


def test_keywords_and_flags_sit_anywhere_between_fills() -> None:
    """Leverage, side and margin mode may come before, between or after the fills."""
    request = parse_command("/avg ETH lev 5 3000 1 short 0.5@3100 cross acct 2000 fee 0.04%")
    assert request == AvgRequest(
        symbol="ETH",
        fills=(fill("1", "3000"), fill("0.5", "3100")),
        leverage=D(5),
        side=Side.SHORT,
        margin_mode=MarginMode.CROSS,
        account=D(2000),
        fee=D("0.0004"),
    )


def test_fill_in_coin_keeps_the_coin() -> None:
    """`0.1btc@5000` is an amount of the coin, converted only once the instrument is known."""
    request = parse_command("/avg BTC 0.1btc@5000 10@6000 venue binance_coinm")
    assert isinstance(request, AvgRequest)
    assert request.fills == (fill("0.1", "5000", "BTC"), fill("10", "6000"))


@pytest.mark.parametrize(
    ("text", "code", "word"),
    [
        ("/avg BTC 72000 0.01 70500", ErrorCode.INCOMPLETE_FILL, "70500"),
        ("/avg BTC 0.01@ lev 5", ErrorCode.INCOMPLETE_FILL, "0.01@"),
        ("/avg BTC @72000", ErrorCode.INCOMPLETE_FILL, "@72000"),
        ("/avg BTC lev 5", ErrorCode.MISSING_ARGUMENT, ""),
        ("/avg BTC 0.01@72000 levv 5", ErrorCode.UNKNOWN_KEYWORD, "levv"),
        ("/avg BTC 0@72000", ErrorCode.NOT_POSITIVE, "0"),
        ("/avg BTC 0.01@abc", ErrorCode.NOT_A_NUMBER, "abc"),
        ("/avg BTC $500@72000", ErrorCode.QUANTITY_IS_MONEY, "$500"),
    ],
)
def test_broken_fills_are_named(text: str, code: ErrorCode, word: str) -> None:
    """A price without its quantity, a misspelt keyword or money as a quantity: each named."""
    with pytest.raises(CommandError) as caught:
        parse_command(text)
    assert (caught.value.code, caught.value.word) == (code, word)


# --- the figures -------------------------------------------------------------------------------


def test_linear_average_is_weighted_by_quantity() -> None:
    """By hand, Σqᵢpᵢ/Σqᵢ: (0.5 × 5,000 + 0.3 × 6,000) / 0.8 = 4,300 / 0.8 = 5,375.

    At 2x on Binance BTCUSDT (tier 1: MMR 0.4%, cum 0): margin 4,300 / 2 = 2,150; liquidation
    (2,150 − 0.8 × 5,375) / (0.8 × 0.004 − 0.8) = −2,150 / −0.7968 = 2,698.29; break-even at
    fee 0.05%: 5,375 × 1.0005 / 0.9995 = 5,380.38.
    """
    result = averaged("/avg BTC 0.5@5000 0.3@6000 lev 2 fee 0.05%")
    assert result.entry == D(5375)
    assert (result.quantity, result.notional, result.initial_margin) == (D("0.8"), 4300, 2150)
    assert result.liquidation_price is not None
    assert result.liquidation_price.quantize(CENT) == D("2698.29")
    assert result.break_even is not None and result.break_even.quantize(CENT) == D("5380.38")


def test_inverse_average_is_weighted_by_the_coin_each_fill_bought() -> None:
    """By hand, Σusdᵢ/Σ(usdᵢ/pᵢ): $1,000 at 5,000 and $2,000 at 6,000 (10 and 20 contracts of
    $100 on Binance COIN-M) → 3,000 / (0.2 + 0.3333…) = 5,625, not the 5,666.67 of a plain mean.

    At 5x, Binance's COIN-M form with WB = 3,000 / 5,625 / 5 BTC, MMR 0.4%: liquidation
    3,000 × 1.004 / (0.10667 + 3,000 / 5,625) = 3,012 / 0.64 = 4,706.25.
    """
    result = averaged("/avg BTC 10@5000 20@6000 venue binance_coinm lev 5 fee 0.05%")
    assert result.entry == D(5625)
    assert (result.contracts, result.notional) == (D(30), D(3000))
    assert result.liquidation_price is not None
    assert result.liquidation_price.quantize(CENT) == D("4706.25")
    assert result.break_even is not None
    assert result.break_even.quantize(CENT) == (D(5625) * D("1.0005") / D("0.9995")).quantize(CENT)


def test_bybit_help_centre_examples() -> None:
    """Bybit Help Center, "How to calculate the position's average entry price": BTCUSDT 1 at
    10,000 and 2 at 13,000 → 12,000; BTCUSD 50 contracts at 10,000 and 50 at 15,000 → 12,000."""
    assert averaged("/avg BTC 1@10000 2@13000 venue bybit lev 10").entry == D(12000)
    inverse = averaged("/avg BTC 50@10000 50@15000 venue bybit_inverse lev 10")
    assert inverse.entry == D(12000)


def test_coin_fill_becomes_whole_contracts_and_says_so() -> None:
    """0.1234 BTC at 5,000 is $617 = 6.17 contracts of $100, rounded down to 6."""
    check = evaluate(parse_command("/avg BTC 0.1234btc@5000 venue binance_coinm lev 5"))
    assert isinstance(check.result, AvgResult)
    assert check.result.fills[0].quantity == 6
    reply = to_plain(render(check, "en"))
    assert "6 contracts of $100 (from your coin amount, rounded down)" in reply


def test_leverage_comes_from_the_members_settings() -> None:
    """Without `lev` the member's saved leverage is used and named; with none, it is asked for."""
    result = averaged("/avg BTC 0.5@5000 0.3@6000", Profile(leverage=D(2)))
    assert result.initial_margin == 2150
    with pytest.raises(CommandError) as caught:
        evaluate(parse_command("/avg BTC 0.5@5000 0.3@6000"))
    assert (caught.value.code, caught.value.params["what"]) == (
        ErrorCode.MISSING_DEFAULT,
        "leverage",
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("/avg BTC 0.1eth@5000 lev 5", ErrorCode.WRONG_COIN),
        ("/avg BTC 2.5@5000 venue binance_coinm lev 5", ErrorCode.NOT_WHOLE_CONTRACTS),
        ("/avg BTC 0.0001btc@5000 venue binance_coinm lev 5", ErrorCode.BELOW_ONE_CONTRACT),
        ("/avg BTC 0.01@72000 cross lev 5", ErrorCode.MISSING_DEFAULT),
    ],
)
def test_quantities_a_venue_cannot_hold_are_refused(text: str, code: ErrorCode) -> None:
    """Another coin, half a contract, less than one contract, cross without an account."""
    with pytest.raises(CommandError) as caught:
        evaluate(parse_command(text))
    assert caught.value.code is code


# --- the reply ---------------------------------------------------------------------------------


def test_reply_shows_fills_average_margin_break_even_and_liquidation() -> None:
    """The figures of the linear example above, in the order a member checks them."""
    check = evaluate(parse_command("/avg BTC 0.5@5000 0.3@6000 lev 2 fee 0.05%"))
    reply = to_plain(render(check, "en"))
    for line in (
        "Fills: 0.5 BTC at $5,000.00 · 0.3 BTC at $6,000.00",
        "Average entry $5,375.00 for 0.8 BTC · position value $4,300.00",
        "Margin at 2x, isolated: $2,150.00",
        "Break-even exit $5,380.38: it pays back both fees at 0.05%.",
        "Liquidation ≈ $2,698.29, 49.80% below entry",
    ):
        assert line in reply
    assert reply.index("Fills") < reply.index("Average") < reply.index("Liquidation")
    assert summary(check, "en") == "Average entry $5,375.00 · liquidation $2,698.29"


def test_german_reply() -> None:
    """German numbers and words: 5.375,00 $ and "Durchschnittlicher Einstieg"."""
    check: Check = evaluate(parse_command("/avg BTC 0.5@5000 0.3@6000 lev 2", lang="de"), None)
    reply = to_plain(render(check, "de"))
    assert "Durchschnittlicher Einstieg 5.375,00" in reply


# --- through the bot ---------------------------------------------------------------------------


async def test_avg_through_the_bot(api: StandIn, db_path: Path) -> None:
    """A member averages fills with their saved leverage, in both spellings and with /dca."""
    async with running(api, db_path):
        me = Chat(api)
        await me.say("/settings lev 5")
        linear = await me.say("/avg BTC 0.5@5000 0.3@6000")
        assert "Average entry <b>$5,375.00</b>" in linear["text"]
        assert "leverage 5x (your settings)" in linear["text"]
        inverse = await me.say("/dca BTC 5000 10 6000 20 venue binance_coinm")
        assert "Average entry <b>$5,625.00</b>" in inverse["text"]
        assert "30 contracts of $100" in inverse["text"]
        plain = await me.say("avg BTC 0.5@5000 0.3@6000")
        assert "$5,375.00" in plain["text"]
        wrong = await me.say("/avg BTC 72000 0.01 70500")
        assert "70500" in wrong["text"] and "incomplete fill" in wrong["text"]
        assert "/avg" in (await me.say("/help"))["text"]
        assert "Q@P" in (await me.say("/help avg"))["text"]
