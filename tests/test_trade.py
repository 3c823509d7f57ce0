"""PnL, hedge and funding, hand-computed from the published formulas."""

from __future__ import annotations

from decimal import Decimal as D

from chatbot.engine.models import (
    Contract,
    ContractKind,
    FundingInput,
    HedgeInput,
    PnlInput,
    Side,
    WarningCode,
)
from chatbot.engine.trade import funding, hedge, profit_and_loss
from tests.engine_fixtures import COIN_CONTRACT, STEP, cme, inverse, linear

FEE = D("0.0005")


def test_linear_long_profit_with_r() -> None:
    """0.017 BTC 72,000 → 73,500: gross 25.5, fees 0.0005 × 0.017 × 145,500 = 1.23675.

    Net 24.26325; with the stop at 71,500 the risk is 9.71975, so R = 2.4963.
    """
    result = profit_and_loss(
        PnlInput(
            instrument=linear(),
            contract=STEP,
            side=Side.LONG,
            entry=D(72000),
            exit=D(73500),
            quantity=D("0.017"),
            fee_rate=FEE,
            stop=D(71500),
        )
    )
    assert result.gross == D("25.5")
    assert result.fees == D("1.23675")
    assert result.net == D("24.26325")
    assert result.risk_at_stop == D("9.71975")
    assert result.r_multiple is not None
    assert result.r_multiple.quantize(D("0.0001")) == D("2.4963")


def test_linear_short_loss() -> None:
    """Short 0.1 BTC 72,000 → 73,000: gross −100, fees 0.0005 × 0.1 × 145,000 = 7.25.

    Net −107.25.
    """
    result = profit_and_loss(
        PnlInput(
            instrument=cme(),
            contract=Contract(kind=ContractKind.MICRO, size=D("0.1")),
            side=Side.SHORT,
            entry=D(72000),
            exit=D(73000),
            quantity=D("0.1"),
            fee_rate=FEE,
        )
    )
    assert result.gross == D(-100)
    assert result.net == D("-107.25")
    assert result.contracts == 1


def test_inverse_pnl_in_coin() -> None:
    """Inverse PnL(coin) = side × contracts × value × (1/EP − 1/exit).

    10 contracts of $100 long 50,000 → 60,000: 1,000 × (1/50,000 − 1/60,000) = 0.003333… BTC,
    worth 0.003333… × 60,000 = 200 USD at the exit price.
    """
    result = profit_and_loss(
        PnlInput(
            instrument=inverse(),
            contract=COIN_CONTRACT,
            side=Side.LONG,
            entry=D(50000),
            exit=D(60000),
            quantity=D(10),
            fee_rate=D(0),
        )
    )
    assert result.gross_coin is not None
    assert result.gross_coin.quantize(D("0.00000001")) == D("0.00333333")
    assert result.gross.quantize(D("0.01")) == D("200.00")
    assert result.notional == D(1000)


def test_partial_hedge_states_its_ratio() -> None:
    """A $500 short against $5,000 spot hedges 10%: a 10% drop gains $50, not more."""
    result = hedge(
        HedgeInput(
            instrument=cme(),
            contract=Contract(kind=ContractKind.CUSTOM, size=D("0.1")),
            spot_value=D(5000),
            ratio=D("0.1"),
            price=D(5000),
        )
    )
    # 500 / (0.1 × 5,000) = 1 contract of 0.1 BTC worth $500.
    assert result.contracts == 1
    assert result.actual_ratio == D("0.1")
    assert result.gain_on_ten_pct_drop == D(50)
    assert result.warnings == (WarningCode.PARTIAL_HEDGE,)


def test_full_hedge_rounds_to_nearest_step() -> None:
    """$5,000 at 72,000 with 0.001 BTC steps: 5,000 / 72 = 69.4 → 69 steps = 0.069 BTC = $4,968."""
    result = hedge(
        HedgeInput(
            instrument=linear(), contract=STEP, spot_value=D(5000), ratio=D(1), price=D(72000)
        )
    )
    assert result.quantity == D("0.069")
    assert result.hedged_notional == D(4968)
    assert result.actual_ratio == D("0.9936")
    assert result.warnings == ()


def test_hedge_without_price_gives_notional_only() -> None:
    """Without a price a linear hedge can only say the notional to short."""
    result = hedge(HedgeInput(instrument=linear(), contract=STEP, spot_value=D(5000), ratio=D(1)))
    assert result.hedge_notional == D(5000)
    assert result.contracts is None


def test_funding_long_pays_positive_rate() -> None:
    """1,224 × 0.01% × 24 h / 8 h = 0.3672 paid by a long."""
    result = funding(
        FundingInput(
            instrument=linear(),
            side=Side.LONG,
            notional=D(1224),
            rate=D("0.0001"),
            hours=D(24),
            interval_hours=D(8),
        )
    )
    assert result.intervals == 3
    assert result.amount == D("0.3672")
    assert result.pays


def test_funding_short_receives_positive_rate() -> None:
    """A short receives a positive rate: 10,000 × 0.03% × 8 / 8 = 3."""
    result = funding(
        FundingInput(
            instrument=linear(),
            side=Side.SHORT,
            notional=D(10000),
            rate=D("0.0003"),
            hours=D(8),
            interval_hours=D(8),
        )
    )
    assert result.amount == D(3)
    assert not result.pays
