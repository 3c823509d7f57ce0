"""Sizing by risk, hand-computed from the published formulas (derived in each docstring)."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import assume, given
from hypothesis import strategies as st

from chatbot.engine.models import (
    Contract,
    ContractKind,
    MarginMode,
    Risk,
    Side,
    SizeCap,
    SizeInput,
    WarningCode,
)
from chatbot.engine.sizing import size_position
from tests.engine_fixtures import COIN_CONTRACT, STEP, cme, inverse, linear

CENT = D("0.01")
ONE_PCT = Risk(fraction=D("0.01"))
FEE = D("0.0005")


def size(**changes: object) -> SizeInput:
    """The worked example's inputs, with `changes` applied."""
    base = dict(
        instrument=linear(),
        contract=STEP,
        entry=D(72000),
        stop=D(71500),
        account=D(1000),
        leverage=D(20),
        risk=ONE_PCT,
        fee_rate=FEE,
    )
    base.update(changes)
    return SizeInput.model_validate(base)


def test_worked_example() -> None:
    """README worked example: 0.017 BTC, $1,224, margin $61.20, loss $9.72, liq 68,674.70.

    Loss per BTC = 500 + 0.0005 × 143,500 = 571.75; 10 / 571.75 = 0.01749 → 0.017.
    Loss at stop = 0.017 × 500 + 0.612 + 0.60775 = 9.71975; fees 1.21975.
    """
    result = size_position(size())
    assert result.side is Side.LONG
    assert result.risk_budget == D(10)
    assert result.stop_distance == D(500)
    assert result.stop_distance_pct.quantize(D("0.00001")) == D("0.00694")
    assert result.loss_per_unit == D("571.75")
    assert result.quantity == D("0.017")
    assert result.contracts == 17
    assert result.notional == D(1224)
    assert result.initial_margin == D("61.2")
    assert result.loss_at_stop == D("9.71975")
    assert result.loss_at_stop.quantize(CENT) == D("9.72")
    assert result.fees == D("1.21975")
    assert result.effective_leverage == D("1.224")
    assert result.liquidation_price is not None
    assert result.liquidation_price.quantize(CENT) == D("68674.70")
    assert result.liquidation_distance_pct is not None
    assert result.liquidation_distance_pct.quantize(D("0.0001")) == D("0.0462")
    assert result.stop_to_liquidation is not None
    assert result.stop_to_liquidation.quantize(CENT) == D("2825.30")
    assert result.size_cap is SizeCap.RISK
    # 20x is above the beginner limit of 10x; nothing else is wrong with this trade.
    assert result.warnings == (WarningCode.LEVERAGE_ABOVE_LIMIT,)


def test_short_side_inferred_from_stop_above_entry() -> None:
    """Stop 72,500 above entry 72,000 is a short: loss per BTC 500 + 0.0005 × 144,500 = 572.25.

    10 / 572.25 = 0.017474 → 0.017 BTC; loss = 8.5 + 0.612 + 0.61625 = 9.72825.
    """
    result = size_position(size(stop=D(72500)))
    assert result.side is Side.SHORT
    assert result.quantity == D("0.017")
    assert result.loss_at_stop == D("9.72825")
    assert result.liquidation_price is not None and result.liquidation_price > D(72500)


def test_stop_beyond_liquidation_is_flagged() -> None:
    """The article's pitfall: 20x with a 5% stop (68,400) liquidates first, at ≈ 68,674.70.

    Loss per BTC = 3,600 + 0.0005 × 140,400 = 3,670.2; 10 / 3,670.2 = 0.0027 → 0.002 BTC.
    """
    result = size_position(size(stop=D(68400)))
    assert result.quantity == D("0.002")
    assert result.liquidation_price is not None
    assert result.liquidation_price.quantize(CENT) == D("68674.70")
    assert WarningCode.LIQUIDATION_BEFORE_STOP in result.warnings
    assert result.stop_to_liquidation is not None and result.stop_to_liquidation < 0


def test_fixed_risk_amount() -> None:
    """`risk $25`: 25 / 571.75 = 0.04372 → 0.043 BTC, loss 0.043 × 571.75 = 24.58525 (2.46%)."""
    result = size_position(size(risk=Risk(amount=D(25))))
    assert result.quantity == D("0.043")
    assert result.loss_at_stop == D("24.58525")
    assert result.risk_fraction == D("0.025")
    assert WarningCode.RISK_ABOVE_RULE in result.warnings


def test_ten_percent_risk_is_flagged() -> None:
    """The article's "10% fits my tolerance" is ten times the 1% rule: always a warning."""
    result = size_position(size(risk=Risk(fraction=D("0.10")), leverage=D(5)))
    assert WarningCode.RISK_ABOVE_RULE in result.warnings
    assert result.risk_fraction == D("0.10")


def test_cross_margin_liquidation_uses_whole_account() -> None:
    """Cross: liquidation (1,000 − 1,224) / (0.017 × 0.004 − 0.017) = 13,229.39, and a warning."""
    result = size_position(size(margin_mode=MarginMode.CROSS))
    assert result.liquidation_price is not None
    assert result.liquidation_price.quantize(CENT) == D("13229.39")
    assert WarningCode.CROSS_WHOLE_ACCOUNT in result.warnings


def test_margin_cap_binds_for_small_account() -> None:
    """Account 100 at 2x, 2% risk, stop 0.1% away: risk allows more than the margin can post.

    Risk: 2 / (72 + 0.0005 × 143,928) = 2 / 143.964 = 0.01389 BTC; margin: 100 /
    (72,000 × (1/2 + 0.0005)) = 100 / 36,036 = 0.002775 → 0.002 BTC (margin 72, fees inside).
    """
    result = size_position(
        size(account=D(100), leverage=D(2), stop=D(71928), risk=Risk(fraction=D("0.02")))
    )
    assert result.size_cap is SizeCap.MARGIN
    assert result.quantity == D("0.002")
    assert result.initial_margin == D(72)


def test_venue_leverage_bracket_caps_size() -> None:
    """At 110x only bracket 1 (125x, up to 50,000) allows the leverage: 50,000 / 72,000 = 0.6944.

    A 10% risk on 100,000 with a 500 stop would want 10,000 / 571.75 = 17.49 BTC; the venue
    cap rounds down to 0.694 BTC.
    """
    result = size_position(size(account=D(100000), leverage=D(110), risk=Risk(fraction=D("0.10"))))
    assert result.size_cap is SizeCap.VENUE_LEVERAGE
    assert result.quantity == D("0.694")


def test_one_contract_too_big_for_budget() -> None:
    """CME standard contract is 5 BTC: it would lose 5 × 571.75 = 2,858.75 on a budget of 10."""
    standard = Contract(kind=ContractKind.STANDARD, size=D(5))
    result = size_position(size(instrument=cme(), contract=standard))
    assert result.quantity == 0
    assert result.min_size_loss == D("2858.75")
    assert WarningCode.MIN_SIZE_EXCEEDS_RISK in result.warnings
    assert result.liquidation_price is None


def test_micro_contracts_round_down() -> None:
    """CME micro 0.1 BTC, account 10,000: 100 / 571.75 = 0.1749 BTC → 1 contract, loss 57.175."""
    micro = Contract(kind=ContractKind.MICRO, size=D("0.1"))
    result = size_position(size(instrument=cme(), contract=micro, account=D(10000), leverage=D(5)))
    assert result.contracts == 1
    assert result.quantity == D("0.1")
    assert result.loss_at_stop == D("57.175")
    assert WarningCode.NO_EXCHANGE_LIQUIDATION in result.warnings


def test_custom_multiplier_on_linear_venue() -> None:
    """`contract 0.01`: 0.01749 BTC → 1 contract of 0.01 BTC, loss 5.7175."""
    custom = Contract(kind=ContractKind.CUSTOM, size=D("0.01"))
    result = size_position(size(contract=custom))
    assert result.contracts == 1
    assert result.quantity == D("0.01")
    assert result.loss_at_stop == D("5.7175")


def test_inverse_contracts_of_100_usd() -> None:
    """COIN-M, contracts of $100. Loss a contract (USD at entry) = 100 × (500/71,500 +
    0.0005 × (1 + 72,000/71,500)) = 0.79965…; 10 / 0.79965 = 12.5 → 12 contracts ($1,200).
    Liquidation 1,204.8 / 0.0175 = 68,845.71 (see test_liquidation).
    """
    result = size_position(size(instrument=inverse(), contract=COIN_CONTRACT))
    assert result.contracts == 12
    assert result.notional == D(1200)
    assert result.loss_at_stop.quantize(CENT) == D("9.60")
    assert result.liquidation_price is not None
    assert result.liquidation_price.quantize(CENT) == D("68845.71")


def test_target_gives_r_multiple() -> None:
    """Target 73,500: reward = 0.017 × 1,500 − 0.0005 × 0.017 × 145,500 = 25.5 − 1.23675 = 24.26325.

    R = 24.26325 / 9.71975 = 2.4963 (2.49633…).
    """
    result = size_position(size(target=D(73500)))
    assert result.reward_at_target == D("24.26325")
    assert result.r_multiple is not None
    assert result.r_multiple.quantize(D("0.0001")) == D("2.4963")


def test_fees_large_against_tight_stop() -> None:
    """A 20-dollar stop: fees 0.0005 × 143,980 = 71.99 a BTC against a 20 move: fees dominate."""
    result = size_position(size(stop=D(71980)))
    assert WarningCode.FEES_LARGE_VS_STOP in result.warnings


def test_below_minimum_notional() -> None:
    """Budget 1.5 / (1,000 + 0.0005 × 7,000) = 0.0014 → 0.001 BTC at 4,000 = $4, under $5."""
    result = size_position(size(entry=D(4000), stop=D(3000), account=D(150), leverage=D(2)))
    assert result.quantity == D("0.001")
    assert WarningCode.BELOW_MIN_NOTIONAL in result.warnings


prices = st.decimals(min_value=D("0.00001"), max_value=D(500000), places=5)


@given(
    entry=prices,
    distance=st.decimals(min_value=D("0.001"), max_value=D("0.5"), places=3),
    below=st.booleans(),
    account=st.decimals(min_value=D(10), max_value=D(10_000_000), places=2),
    risk=st.decimals(min_value=D("0.001"), max_value=D("0.2"), places=3),
    leverage=st.integers(min_value=1, max_value=125),
    fee=st.decimals(min_value=D(0), max_value=D("0.002"), places=4),
    contract=st.sampled_from(["0.001", "0.01", "0.1", "1"]),
)
def test_loss_at_stop_never_exceeds_budget(
    entry: D,
    distance: D,
    below: bool,
    account: D,
    risk: D,
    leverage: int,
    fee: D,
    contract: str,
) -> None:
    """Whatever the inputs, rounding and fees never let the loss at the stop exceed the budget."""
    stop = entry * (1 - distance) if below else entry * (1 + distance)
    assume(stop > 0 and stop != entry)
    result = size_position(
        size(
            entry=entry,
            stop=stop,
            account=account,
            risk=Risk(fraction=risk),
            leverage=D(leverage),
            fee_rate=fee,
            contract=Contract(kind=ContractKind.CUSTOM, size=D(contract)),
        )
    )
    assert result.loss_at_stop <= result.risk_budget
    assert result.initial_margin <= account


@given(
    entry=st.decimals(min_value=D(1), max_value=D(200000), places=2),
    distance=st.decimals(min_value=D("0.001"), max_value=D("0.5"), places=3),
    leverage=st.integers(min_value=1, max_value=50),
)
def test_long_and_short_size_mirror_without_fees(entry: D, distance: D, leverage: int) -> None:
    """Without fees a long stopped d below and a short stopped d above get the same size."""
    d = entry * distance
    long = size_position(size(entry=entry, stop=entry - d, fee_rate=D(0), leverage=D(leverage)))
    short = size_position(size(entry=entry, stop=entry + d, fee_rate=D(0), leverage=D(leverage)))
    assert long.side is Side.LONG and short.side is Side.SHORT
    assert long.quantity == short.quantity
    assert long.loss_at_stop == short.loss_at_stop
