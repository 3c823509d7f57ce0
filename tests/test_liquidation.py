"""Liquidation prices checked against published worked examples and hand calculations.

Sources:
- [FT-CALC] freqtrade tests/leverage/test_liquidation_price.py::test_liquidation_price
  (freqtrade@de07b1c4), the cases freqtrade took from Binance's own "calculation example"
  (wallet 1,535,443.01 USDT holding BTCUSDT and ETHUSDT); MMR and cum given, no buffer.
- [FT-ENTRY] freqtrade tests/freqtradebot/test_freqtradebot.py::test_execute_entry
  (freqtrade@0008a872): 30 units at 10 with 5x leverage, MMR 0.01, cum 0.01, buffer 0;
  its docstring also works the same formula for 1 unit with a wallet of 2.
- [BYBIT-HC] Bybit Help Center "Liquidation Price (USDT Contract)", example 1.
- [DOMAIN] the README's worked example (/size BTC 72000 stop 71500 acct 1000 lev 20), by hand
  with Binance's FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts":
  (61.2 − 0.017 × 72000) / (0.017 × 0.004 − 0.017) = 68,674.70.
Cross cases fold the other position's TMM and UPNL into the wallet (WB − TMM + UPNL), which
is how the single-position formula reads them.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from chatbot.engine.liquidation import binance_coinm, binance_usdm, bybit_linear, liquidate
from chatbot.engine.models import LiquidationModel, Side
from tests.engine_fixtures import BINANCE_BTC_TIERS, flat, inverse, linear

CENT = D("0.01")

WALLET = D("1535443.01")
# [FT-CALC] the other position's maintenance margin and unrealised PnL at its mark price:
BTC_TMM = D("109.488") * D("31967.27") * D("0.025") - D(16300)
BTC_UPNL = D("109.488") * (D("31967.27") - D("32481.98"))
ETH_TMM = D("3683.979") * D("1335.18") * D("0.10") - D(135365)
ETH_UPNL = D("3683.979") * (D("1335.18") - D("1456.84"))

BINANCE_CASES = [
    # (source, side, wallet, quantity, entry, mmr, cum, published price)
    ("FT-CALC ETH isolated", Side.LONG, WALLET, "3683.979", "1456.84", "0.10", "135365", "1114.78"),
    (
        "FT-CALC BTC isolated",
        Side.LONG,
        WALLET,
        "109.488",
        "32481.98",
        "0.025",
        "16300",
        "18778.73",
    ),
    (
        "FT-CALC ETH cross",
        Side.LONG,
        WALLET - BTC_TMM + BTC_UPNL,
        "3683.979",
        "1456.84",
        "0.10",
        "135365",
        "1153.26",
    ),
    (
        "FT-CALC BTC cross",
        Side.LONG,
        WALLET - ETH_TMM + ETH_UPNL,
        "109.488",
        "32481.98",
        "0.025",
        "16300",
        "26316.89",
    ),
    ("FT-ENTRY short", Side.SHORT, D(60), "30", "10", "0.01", "0.01", "11.88"),
    ("FT-ENTRY long", Side.LONG, D(60), "30", "10", "0.01", "0.01", "8.08"),
    ("FT-ENTRY docstring short", Side.SHORT, D(2), "1", "10", "0.01", "0.01", "11.89"),
    ("FT-ENTRY docstring long", Side.LONG, D(2), "1", "10", "0.01", "0.01", "8.07"),
    ("DOMAIN worked example", Side.LONG, D("61.2"), "0.017", "72000", "0.004", "0", "68674.70"),
]


@pytest.mark.parametrize(
    ("source", "side", "wallet", "quantity", "entry", "mmr", "cum", "expected"), BINANCE_CASES
)
def test_binance_usdm_matches_published_cases(
    source: str, side: Side, wallet: D, quantity: str, entry: str, mmr: str, cum: str, expected: str
) -> None:
    """Binance's USDⓈ-M formula reproduces each published liquidation price to the cent."""
    price, _ = binance_usdm(flat(mmr, cum), side, D(quantity), D(entry), wallet)
    assert price.quantize(CENT) == D(expected), source


def test_freqtrade_unrounded_values_match_to_many_digits() -> None:
    """[FT-ENTRY] asserts 11.88151815181518 and 8.080471380471382: no buffer in the formula."""
    short, _ = binance_usdm(flat("0.01", "0.01"), Side.SHORT, D(30), D(10), D(60))
    long, _ = binance_usdm(flat("0.01", "0.01"), Side.LONG, D(30), D(10), D(60))
    assert abs(short - D("11.88151815181518")) < D("1e-12")
    assert abs(long - D("8.080471380471382")) < D("1e-12")


@pytest.mark.parametrize(
    ("source", "side", "quantity", "entry", "wallet", "mmr", "expected"),
    [
        # IM = 20,000 / 50 = 400; MM = 20,000 × 0.5% = 100; LP = 20,000 − 300 / 1 = 19,700.
        ("BYBIT-HC example 1", Side.LONG, "1", "20000", "400", "0.005", "19700"),
        # IM = 300 / 5 = 60; MM = 300 × 1% = 3; LP = 10 ± 57 / 30.
        ("FT-ENTRY bybit short", Side.SHORT, "30", "10", "60", "0.01", "11.9"),
        ("FT-ENTRY bybit long", Side.LONG, "30", "10", "60", "0.01", "8.1"),
    ],
)
def test_bybit_linear_matches_published_cases(
    source: str, side: Side, quantity: str, entry: str, wallet: str, mmr: str, expected: str
) -> None:
    """Bybit's isolated form EP − side × (IM − MM) / Q gives the published prices exactly."""
    price, _ = bybit_linear(flat(mmr), side, D(quantity), D(entry), D(wallet))
    assert price == D(expected), source


def test_worked_example_through_liquidate() -> None:
    """The worked example through the tier lookup: tier 1 (0.4%, cum 0), ≈ 68,674.70."""
    result = liquidate(linear(), Side.LONG, D("0.017"), D(72000), D("61.2"))
    assert result.price is not None and result.tier is not None
    assert result.price.quantize(CENT) == D("68674.70")
    assert result.tier.mmr == D("0.004")
    # MM at entry = 1,224 × 0.4% − 0 = 4.896.
    assert result.maintenance_margin == D("4.896")


def test_retiers_when_liquidation_notional_falls_into_lower_bracket() -> None:
    """Binance FAQ: a notional that leaves its bracket at the liquidation price uses the other tier.

    0.7 BTC at 72,000 = 50,400 notional, bracket 2 (0.5%, cum 50); 10x isolated, WB = 5,040.
    Bracket 2 gives (5,040 + 50 − 50,400) / (0.0035 − 0.7) = 65,053.84, where the notional
    0.7 × 65,053.84 = 45,537.69 lies in bracket 1; bracket 1 gives
    (5,040 − 50,400) / (0.0028 − 0.7) = −45,360 / −0.6972 = 65,060.24, notional 45,542 (bracket 1).
    """
    result = liquidate(linear(), Side.LONG, D("0.7"), D(72000), D(5040))
    assert result.price is not None and result.tier is not None
    assert result.price.quantize(CENT) == D("65060.24")
    assert result.tier == BINANCE_BTC_TIERS[0]
    # The maintenance margin shown comes from the tier the price uses, bracket 1:
    # 50,400 × 0.4% − 0 = 201.6 (the entry bracket's 202 named a rate the price did not use).
    assert result.maintenance_margin == D("201.6")


def test_cross_margin_backs_with_whole_account() -> None:
    """Cross: WB is the whole 1,000 account: (1,000 − 1,224) / (0.017 × 0.004 − 0.017).

    −224 / −0.016932 = 13,229.39 (4 d.p. 13,229.3882), far below the isolated 68,674.70.
    """
    result = liquidate(linear(), Side.LONG, D("0.017"), D(72000), D(1000))
    assert result.price is not None
    assert result.price.quantize(CENT) == D("13229.39")


def test_long_fully_covered_by_margin_never_liquidates() -> None:
    """At 1x with 1,000 of margin for 1,000 of BTC the formula's price is ≤ 0: reported as 0."""
    result = liquidate(linear(), Side.LONG, D("0.01"), D(100000), D(1000))
    assert result.price == 0


def test_short_isolated_mirror_of_worked_example() -> None:
    """Short 0.017 at 72,000, 20x: (61.2 + 1,224) / (0.000068 + 0.017) = 1,285.2 / 0.017068."""
    result = liquidate(linear(), Side.SHORT, D("0.017"), D(72000), D("61.2"))
    assert result.price is not None
    # 1,285.2 / 0.017068 = 75,298.80 (75,298.8048…)
    assert result.price.quantize(CENT) == D("75298.80")


def test_coin_margined_long() -> None:
    """COIN-M: LP = N × (MMR + 1) / (WB + cum + N / EP) with N = 12 × 100 USD, 20x.

    WB = 1,200 / (72,000 × 20) = 0.000833… BTC, N / EP = 0.016666… BTC:
    LP = 1,200 × 1.004 / 0.0175 = 1,204.8 / 0.0175 = 68,845.71 (68,845.714285…).
    """
    price, tier = binance_coinm(
        inverse().tiers, Side.LONG, D(1200), D(72000), D(1200) / (D(72000) * D(20))
    )
    assert price.quantize(CENT) == D("68845.71")
    assert tier.mmr == D("0.004")


def test_coin_margined_short() -> None:
    """COIN-M short: LP = N × (MMR − 1) / (WB + cum − N / EP).

    1,200 × −0.996 / (0.000833 − 0.016667) = −1,195.2 / −0.0158333… = 75,486.32 (75,486.3158…).
    """
    price, _ = binance_coinm(
        inverse().tiers, Side.SHORT, D(1200), D(72000), D(1200) / (D(72000) * D(20))
    )
    assert price.quantize(CENT) == D("75486.32")


def test_venue_without_liquidation_price() -> None:
    """CME futures have margin calls, not a liquidation price: None, never a made-up number."""
    from tests.engine_fixtures import cme

    result = liquidate(cme(), Side.LONG, D("0.1"), D(72000), D(1440))
    assert result.price is None


@given(
    entry=st.decimals(min_value=D("0.0001"), max_value=D(200000), places=4),
    low=st.integers(min_value=1, max_value=124),
    step=st.integers(min_value=1, max_value=60),
    quantity=st.decimals(min_value=D("0.001"), max_value=D(50), places=3),
)
def test_long_isolated_below_entry_and_rising_with_leverage(
    entry: D, low: int, step: int, quantity: D
) -> None:
    """A long's isolated liquidation lies below entry and moves up (closer) as leverage rises."""
    assume(quantity * entry <= BINANCE_BTC_TIERS[-1].cap)  # beyond it the venue refuses
    high = min(low + step, 125)
    prices = []
    for leverage in (low, high):
        wallet = quantity * entry / leverage
        price, _ = binance_usdm(BINANCE_BTC_TIERS, Side.LONG, quantity, entry, wallet)
        prices.append(price)
    assert prices[0] < entry and prices[1] < entry
    assert prices[0] <= prices[1]


@given(
    entry=st.decimals(min_value=D(1), max_value=D(200000), places=2),
    leverage=st.integers(min_value=2, max_value=125),
    quantity=st.decimals(min_value=D("0.001"), max_value=D(100), places=3),
    side=st.sampled_from(Side),
    model=st.sampled_from([LiquidationModel.BINANCE_USDM, LiquidationModel.BYBIT_LINEAR]),
)
def test_long_and_short_mirror(
    entry: D, leverage: int, quantity: D, side: Side, model: LiquidationModel
) -> None:
    """Both sides liquidate on the losing side, where margin left equals maintenance margin."""
    assume(quantity * entry <= BINANCE_BTC_TIERS[-1].cap)  # beyond it the venue refuses
    instrument = linear(liquidation=model)
    wallet = quantity * entry / leverage
    result = liquidate(instrument, side, quantity, entry, wallet)
    assert result.price is not None and result.tier is not None
    assert side.sign * (result.price - entry) < 0
    margin_left = wallet + side.sign * quantity * (result.price - entry)
    if model is LiquidationModel.BINANCE_USDM:
        maintenance = quantity * result.price * result.tier.mmr - result.tier.cum
    else:
        maintenance = quantity * entry * result.tier.mmr - result.tier.cum
    assert abs(margin_left - maintenance) < D("1e-9") * (1 + wallet)
