"""Average entry, ROE, PnL with funding, break-even, cross with other positions, coin funding.

Sources:
- [BYBIT-PNL-USDT] Bybit Help Center "P&L calculations (USDT Contract)": average entry of
  0.5 at 5,000 and 0.3 at 6,000 is 5,375; 0.2 long at 7,000 marked at 7,500 shows 100 USDT,
  10x margin 140 (ROE 71.4% before Bybit adds the fee to close to the margin).
- [BYBIT-PNL-INV] Bybit Help Center "Profit/Loss calculations (Inverse Contracts)": 1,000
  contracts at 5,000 and 2,000 at 6,000 average 3,000 / 0.5333 BTC = 5,625.
- [BYBIT-ROE-INV] Bybit Help Center "How to calculate unrealised P&L and does increasing
  leverage also increase my profits": 800 contracts long at 10,500, 25x, last 12,000:
  P&L 0.00952381 BTC on 0.00304762 BTC of margin = 312%, $114.29; at 50x, 624%.
- [FT-CALC] freqtrade tests/leverage/test_liquidation_price.py (freqtrade@de07b1c4), Binance's
  cross example: wallet 1,535,443.01 holding ETHUSDT and BTCUSDT; ETH cross → 1,153.26.
- [FT-TRADE] freqtrade's trade accounting (freqtrade/persistence/trade_model.py): profit =
  side × amount × (close − open) − fees + funding fees, funding received positive.
Other figures are worked by hand in each docstring.
"""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from chatbot.engine.liquidation import liquidation_check
from chatbot.engine.models import (
    AverageInput,
    Fill,
    FundingInput,
    LiqInput,
    MarginMode,
    OpenPosition,
    OthersInCross,
    PnlInput,
    Side,
)
from chatbot.engine.positions import average_entry, break_even, others_in_cross
from chatbot.engine.sizing import contracts_for_coin
from chatbot.engine.trade import funding, profit_and_loss
from tests.engine_fixtures import COIN_CONTRACT, STEP, bybit_inverse, flat, inverse, linear

CENT = D("0.01")
ONE_USD = COIN_CONTRACT.model_copy(update={"size": D(1)})


def test_average_entry_linear() -> None:
    """[BYBIT-PNL-USDT] (0.5 × 5,000 + 0.3 × 6,000) / 0.8 = 4,300 / 0.8 = 5,375."""
    fills = (Fill(quantity=D("0.5"), price=D(5000)), Fill(quantity=D("0.3"), price=D(6000)))
    result = average_entry(AverageInput(instrument=linear(), fills=fills))
    assert result.entry == D(5375)
    assert result.quantity == D("0.8")
    assert result.notional == D(4300)


def test_average_entry_inverse() -> None:
    """[BYBIT-PNL-INV] 3,000 / (1,000 / 5,000 + 2,000 / 6,000) = 3,000 / 0.5333… = 5,625."""
    fills = (Fill(quantity=D(1000), price=D(5000)), Fill(quantity=D(2000), price=D(6000)))
    result = average_entry(AverageInput(instrument=bybit_inverse(flat("0.005")), fills=fills))
    assert result.entry.quantize(CENT) == D("5625.00")
    assert result.notional == D(3000)


def test_average_entry_inverse_in_hundred_dollar_contracts() -> None:
    """The same fills on COIN-M are 10 and 20 contracts of $100: the contract value cancels."""
    fills = (Fill(quantity=D(10), price=D(5000)), Fill(quantity=D(20), price=D(6000)))
    result = average_entry(AverageInput(instrument=inverse(), fills=fills))
    assert result.entry.quantize(CENT) == D("5625.00")
    assert result.notional == D(3000)


def test_roe_linear() -> None:
    """[BYBIT-PNL-USDT] 0.2 BTC 7,000 → 7,500 at 10x: IM 140, PnL 100, ROE 100 / 140 = 71.4%."""
    result = profit_and_loss(
        PnlInput(
            instrument=linear(),
            contract=STEP,
            side=Side.LONG,
            entry=D(7000),
            exit=D(7500),
            quantity=D("0.2"),
            fee_rate=D(0),
            leverage=D(10),
        )
    )
    assert result.initial_margin == D(140)
    assert result.gross == D(100)
    assert result.roe is not None
    assert result.roe.quantize(D("0.001")) == D("0.714")


def test_roe_inverse_in_coin() -> None:
    """[BYBIT-ROE-INV] 800 contracts 10,500 → 12,000: 0.00952381 / 0.00304762 BTC = 312.5%.

    PnL = 800 × (1/10,500 − 1/12,000) = 0.00952381 BTC = $114.29 at 12,000; at 50x the margin
    halves and the ROE doubles to 625%, the PnL unchanged.
    """
    data = PnlInput(
        instrument=bybit_inverse(flat("0.005")),
        contract=ONE_USD,
        side=Side.LONG,
        entry=D(10500),
        exit=D(12000),
        quantity=D(800),
        fee_rate=D(0),
        leverage=D(25),
    )
    result = profit_and_loss(data)
    assert result.gross_coin is not None
    assert result.gross_coin.quantize(D("0.00000001")) == D("0.00952381")
    assert result.gross.quantize(CENT) == D("114.29")
    assert result.roe is not None
    assert result.roe.quantize(D("1e-9")) == D("3.125")
    doubled = profit_and_loss(data.model_copy(update={"leverage": D(50)}))
    assert doubled.roe is not None
    assert doubled.roe.quantize(D("1e-9")) == D("6.25")
    assert doubled.gross == result.gross


def test_pnl_with_fees_and_funding() -> None:
    """Short 0.4 BTC 6,000 → 5,000, taker 0.055%, funding paid 2.10 ([FT-TRADE] signs).

    Opening fee 0.4 × 6,000 × 0.055% = 1.32, closing 0.4 × 5,000 × 0.055% = 1.10;
    net = 400 − 1.32 − 1.10 − 2.10 = 395.48 (Bybit's closed-P&L example uses these figures).
    """
    result = profit_and_loss(
        PnlInput(
            instrument=linear(),
            contract=STEP,
            side=Side.SHORT,
            entry=D(6000),
            exit=D(5000),
            quantity=D("0.4"),
            fee_rate=D("0.00055"),
            funding=D("-2.10"),
        )
    )
    assert result.gross == D(400)
    assert result.opening_fee == D("1.32")
    assert result.closing_fee == D("1.10")
    assert result.funding == D("-2.10")
    assert result.net == D("395.48")


def test_break_even_includes_both_fees() -> None:
    """Long at 72,000, taker 0.05%: 72,000 × 1.0005 / 0.9995 = 72,036 / 0.9995 = 72,072.04.

    Short: 72,000 × 0.9995 / 1.0005 = 71,964 / 1.0005 = 71,928.04 (71,928.0359…).
    """
    long = break_even(Side.LONG, D(72000), D("0.0005"))
    short = break_even(Side.SHORT, D(72000), D("0.0005"))
    assert long is not None and short is not None
    assert long.quantize(CENT) == D("72072.04")
    assert short.quantize(CENT) == D("71928.04")


def test_break_even_pays_back_funding() -> None:
    """Long 1 BTC at 10,000, taker 0.1%, funding paid 10: (10,010 + 10) / 0.999 = 10,030.03."""
    price = break_even(Side.LONG, D(10000), D("0.001"), size=D(1), funding=D(-10))
    assert price is not None
    assert price.quantize(CENT) == D("10030.03")


def test_break_even_none_when_funding_exceeds_any_exit() -> None:
    """A short of 1 unit at 100 that paid 200 in funding cannot win it back above zero."""
    assert break_even(Side.SHORT, D(100), D(0), size=D(1), funding=D(-200)) is None


@given(
    side=st.sampled_from(Side),
    entry=st.decimals(min_value=D(1), max_value=D(200000), places=2),
    fee=st.decimals(min_value=D(0), max_value=D("0.002"), places=5),
    size=st.decimals(min_value=D(1), max_value=D(1000), places=0),
    paid=st.decimals(min_value=D(-5), max_value=D(5), places=2),
    inverse_venue=st.booleans(),
)
def test_pnl_at_break_even_is_zero(
    side: Side, entry: D, fee: D, size: D, paid: D, inverse_venue: bool
) -> None:
    """Closing at the break-even price, fees and funding included, nets nothing."""
    instrument = bybit_inverse(flat("0.005")) if inverse_venue else linear()
    contract = ONE_USD if inverse_venue else STEP
    funding_asset = paid / entry if inverse_venue else paid
    price = break_even(side, entry, fee, inverse=inverse_venue, size=size, funding=funding_asset)
    if price is None:
        return
    result = profit_and_loss(
        PnlInput(
            instrument=instrument,
            contract=contract,
            side=side,
            entry=entry,
            exit=price,
            quantity=size,
            fee_rate=fee,
            funding=funding_asset,
        )
    )
    assert abs(result.net) < D("1e-12") * (1 + size * entry)
    assert result.break_even == price


WALLET = D("1535443.01")
BTC_OTHER = OpenPosition(
    side=Side.LONG,
    quantity=D("109.488"),
    entry=D("32481.98"),
    mark=D("31967.27"),
    mmr=D("0.025"),
    cum=D(16300),
)


def test_cross_next_to_other_positions() -> None:
    """[FT-CALC] ETHUSDT cross next to the BTCUSDT position: 1,153.26.

    TMM = 109.488 × 31,967.27 × 2.5% − 16,300; UPNL = 109.488 × (31,967.27 − 32,481.98);
    LP = (WB − TMM + UPNL + 135,365 − 3,683.979 × 1,456.84) / (3,683.979 × (0.10 − 1)).
    """
    others = others_in_cross([BTC_OTHER])
    assert others.maintenance == D("109.488") * D("31967.27") * D("0.025") - D(16300)
    assert others.upnl == D("109.488") * (D("31967.27") - D("32481.98"))
    result = liquidation_check(
        LiqInput(
            instrument=linear(tiers=flat("0.10", "135365")),
            entry=D("1456.84"),
            leverage=D(10),
            side=Side.LONG,
            margin_mode=MarginMode.CROSS,
            quantity=D("3683.979"),
            account=WALLET,
            others=others,
        )
    )
    assert result.liquidation_price is not None
    assert result.liquidation_price.quantize(CENT) == D("1153.26")
    assert result.wallet_balance == WALLET - others.maintenance + others.upnl


def test_cross_without_others_is_the_single_position_form() -> None:
    """With TMM = UPNL = 0 the worked example's cross price stays 13,229.39."""
    result = liquidation_check(
        LiqInput(
            instrument=linear(),
            entry=D(72000),
            leverage=D(20),
            side=Side.LONG,
            margin_mode=MarginMode.CROSS,
            quantity=D("0.017"),
            account=D(1000),
            others=OthersInCross(),
        )
    )
    assert result.liquidation_price is not None
    assert result.liquidation_price.quantize(CENT) == D("13229.39")


def test_coin_margined_funding_is_charged_in_coin() -> None:
    """12 contracts of $100 = $1,200 at mark 60,000, rate 0.01%, one interval.

    USD 1,200 × 0.0001 = 0.12; in coin 1,200 / 60,000 × 0.0001 = 0.000002 BTC, paid by a long.
    """
    result = funding(
        FundingInput(
            instrument=inverse(),
            side=Side.LONG,
            notional=D(1200),
            rate=D("0.0001"),
            hours=D(8),
            interval_hours=D(8),
            mark=D(60000),
        )
    )
    assert result.amount == D("0.12")
    assert result.amount_coin == D("0.000002")
    assert result.pays


def test_coin_becomes_whole_contracts() -> None:
    """0.0166 BTC at 72,000 is $1,195.20: 11.952 contracts of $100 → 11, never rounded up."""
    assert contracts_for_coin(inverse(), D("0.0166"), D(72000)) == 11
    assert contracts_for_coin(inverse(), D("0.5"), D(72000)) == 360
