"""Outcomes in R from a check's own figures, each worked out by hand from the worked example.

The worked example (`/size BTC 72000 stop 71500 acct 1000 lev 20`, Binance USDⓈ-M BTCUSDT,
taker fee 0.05%, first tier MMR 0.4%, cum 0): 0.017 BTC, notional 1,224, margin 61.20, loss at
stop with fees 0.017 × 500 + 0.0005 × 0.017 × (72,000 + 71,500) = 9.71975, liquidation
(61.2 − 1,224) / (0.017 × 0.004 − 0.017) = 1,162.8 / 0.016932.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from chatbot.engine.models import SizeResult
from chatbot.evaluation.calculators import evaluate
from chatbot.evaluation.discipline import TradeResult
from chatbot.evaluation.outcomes import outcome_figures
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.parser import parse_command

RULE = Decimal("0.01")
LOSS_AT_STOP = Decimal("0.017") * 500 + Decimal("0.0005") * Decimal("0.017") * (72000 + 71500)
LIQUIDATION = Decimal("1162.8") / Decimal("0.016932")


def sized(text: str) -> SizeResult:
    result = evaluate(parse_command(text)).result
    assert isinstance(result, SizeResult)
    return result


WORKED = "/size BTC 72000 stop 71500 acct 1000 lev 20"


def test_a_liquidation_costs_the_whole_margin_plus_fees() -> None:
    """/result liq: margin 61.20 + fee in 0.0005 × 0.017 × 72,000 + fee out at the liquidation
    price, against the 9.71975 loss at stop: about −6.42 R (not the −5.94 R of an exit at the
    liquidation price, the defect this test was written for)."""
    figures = outcome_figures(sized(WORKED), "liq", None, RULE)
    fees = Decimal("0.0005") * Decimal("0.017") * (72000 + LIQUIDATION)
    lost = Decimal("61.2") + fees
    assert figures.liquidated
    assert figures.result is TradeResult.LOSS
    assert figures.exit_price is not None
    assert abs(figures.exit_price - LIQUIDATION) < Decimal("0.01")
    assert figures.r_multiple == (-lost / LOSS_AT_STOP).quantize(Decimal("0.0001"))
    assert round(figures.r_multiple, 2) == Decimal("-6.42")
    # Beyond the 1% rule's $10 budget: 62.3957… − 10.
    assert figures.loss_beyond_budget == (lost - 10).quantize(Decimal("0.0001"))


def test_a_liquidation_before_the_stop_is_at_least_one_r() -> None:
    """Stop 68,000 at 20x: 0.002 BTC (10 / (4,000 + 0.0005 × 140,000) = 0.00245 → 0.002), margin
    7.20, loss at stop 8 + 0.14 = 8.14; liquidation ≈ 68,674.70 comes first and takes
    7.20 + fees ≈ 7.34, less than the stop would have: it still counts −1 R."""
    result = sized("/size BTC 72000 stop 68000 acct 1000 lev 20")
    assert result.quantity == Decimal("0.002")
    figures = outcome_figures(result, "liq", None, RULE)
    assert figures.r_multiple == Decimal(-1)


def test_a_loss_without_exit_is_minus_one_r() -> None:
    """The stop: −9.71975 against a 9.71975 risk."""
    figures = outcome_figures(sized(WORKED), "loss", None, RULE)
    assert figures.r_multiple == Decimal(-1)
    assert figures.exit_price == Decimal(71500)
    assert figures.loss_beyond_budget == Decimal(0)


def test_a_win_without_exit_is_taken_at_the_target() -> None:
    """tp 74,000: 0.017 × 2,000 − 0.0005 × 0.017 × (72,000 + 74,000) = 34 − 1.241 = 32.759,
    over 9.71975: +3.3704 R."""
    figures = outcome_figures(sized(WORKED + " tp 74000"), "win", None, RULE)
    reward = Decimal(34) - Decimal("0.0005") * Decimal("0.017") * (72000 + 74000)
    assert figures.r_multiple == (reward / LOSS_AT_STOP).quantize(Decimal("0.0001"))
    assert figures.exit_price == Decimal(74000)
    assert figures.loss_beyond_budget is None


def test_a_win_with_an_exit_price() -> None:
    """Exit 73,500: 0.017 × 1,500 − 0.0005 × 0.017 × 145,500 = 25.5 − 1.23675 = 24.26325."""
    figures = outcome_figures(sized(WORKED), "win", Decimal(73500), RULE)
    net = Decimal("25.5") - Decimal("0.0005") * Decimal("0.017") * 145500
    assert figures.r_multiple == (net / LOSS_AT_STOP).quantize(Decimal("0.0001"))
    assert round(figures.r_multiple, 2) == Decimal("2.50")


def test_a_win_needs_a_target_or_an_exit() -> None:
    """Without a target there is no price to take the win at: the member is asked for it."""
    with pytest.raises(CommandError) as raised:
        outcome_figures(sized(WORKED), "win", None, RULE)
    assert raised.value.code is ErrorCode.OUTCOME_NEEDS_EXIT


def test_break_even_without_exit_is_zero_r() -> None:
    """Out at break-even: nothing won, nothing lost."""
    figures = outcome_figures(sized(WORKED), "be", None, RULE)
    assert figures.r_multiple == Decimal(0)
    assert figures.exit_price is None


def test_an_oversized_loss_measures_beyond_the_rule() -> None:
    """Risk 3% on $1,000: 0.052 BTC (30 / 571.75 = 0.05247); loss at stop 26 + 0.0005 × 0.052 ×
    143,500 = 29.731; beyond the 1% rule's $10: 19.731."""
    figures = outcome_figures(sized(WORKED + " risk 3%"), "loss", None, RULE)
    assert figures.r_multiple == Decimal(-1)
    assert figures.loss_beyond_budget == Decimal("19.731")


def test_a_check_without_liquidation_cannot_be_liquidated() -> None:
    """At 1x a long's margin covers a fall to zero: no liquidation to report."""
    with pytest.raises(CommandError) as raised:
        outcome_figures(sized("/size BTC 72000 stop 71500 acct 1000 lev 1"), "liq", None, RULE)
    assert raised.value.code is ErrorCode.NO_LIQUIDATION
