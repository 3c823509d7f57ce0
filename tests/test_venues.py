"""OKX linear and Bybit inverse liquidation, and inverse contracts across the engine.

Sources:
- [FT-ENTRY] freqtrade tests/freqtradebot/test_freqtradebot.py::test_execute_entry
  (freqtrade@0008a872), gate/okx rows: 30 units at 10, 5x (wallet 60), MMR 1%, taker 0.06%,
  published 11.87413417771621 (short) and 8.085708510208207 (long).
- [OKX-FORM] the OKX/Gate isolated form as freqtrade implements it
  (freqtrade/exchange/exchange.py, dry_run_liquidation_price): long
  (EP − margin/Q) / (1 − (MMR + taker)), short (EP + margin/Q) / (1 + (MMR + taker)).
- [BYBIT-INV] Bybit Help Center "Liquidation Price Calculation under Isolated Mode (Unified
  Trading Account)", inverse section, example: long $60,000 at 50,000, 10x, MMR 0.5%.
- [COINM] Binance FAQ "How to Calculate Liquidation Price of COIN-M Futures Contracts".
Other figures are worked by hand in each test's docstring.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from chatbot.engine.formulas import binance_coinm, bybit_inverse, okx_linear
from chatbot.engine.liquidation import liquidate, liquidation_check
from chatbot.engine.models import (
    Contract,
    ContractKind,
    EngineError,
    LiqInput,
    MarginMode,
    Risk,
    Side,
    SizeInput,
    Tier,
)
from chatbot.engine.sizing import size_position
from tests.engine_fixtures import bybit_inverse as bybit_inverse_btc
from tests.engine_fixtures import flat, inverse, okx

CENT = D("0.01")
TAKER = D("0.0006")
# An illustrative OKX-style table without maintenance amounts (OKX publishes none):
OKX_TWO_TIERS = (
    Tier(floor=D(0), cap=D(50_000), max_leverage=D(100), mmr=D("0.004"), cum=D(0)),
    Tier(floor=D(50_000), cap=D(100_000), max_leverage=D(50), mmr=D("0.01"), cum=D(0)),
)
BYBIT_TIERS = (Tier(floor=D(0), cap=D(150), max_leverage=D(100), mmr=D("0.005"), cum=D(0)),)


def test_okx_domain_example_long() -> None:
    """[OKX-FORM] long 1 at 10, 3x, MMR 1%, taker 0.06%: (10 − 3.3333…) / 0.9894 ≈ 6.738090425."""
    price, _ = okx_linear(flat("0.01"), Side.LONG, D(1), D(10), D(10) / 3, TAKER)
    assert price.quantize(D("1e-9")) == D("6.738090425")


@pytest.mark.parametrize(
    ("side", "expected"),
    [(Side.SHORT, "11.87413417771621"), (Side.LONG, "8.085708510208207")],
)
def test_okx_matches_freqtrade_cases(side: Side, expected: str) -> None:
    """[FT-ENTRY] 30 units at 10 with 60 of margin: 10 ± 2 over 1 ± 1.06%, to 1e-12."""
    price, _ = okx_linear(flat("0.01"), side, D(30), D(10), D(60), TAKER)
    assert abs(price - D(expected)) < D("1e-12")


def test_okx_short_by_hand() -> None:
    """Short 0.5 BTC at 60,000, 10x (margin 3,000), MMR 0.4%, taker 0.05%.

    LP = (60,000 + 3,000 / 0.5) / (1 + 0.0045) = 66,000 / 1.0045 = 65,704.33 (65,704.3305…).
    """
    price, tier = okx_linear(flat("0.004"), Side.SHORT, D("0.5"), D(60000), D(3000), D("0.0005"))
    assert price.quantize(CENT) == D("65704.33")
    assert tier.mmr == D("0.004")


def test_okx_rechecks_tier_at_liquidation_price() -> None:
    """Long 1 BTC at 52,000, 10x: entry notional 52,000 is in tier 2 (1%), the price is not.

    Tier 1: (52,000 − 5,200) / (1 − 0.0045) = 46,800 / 0.9955 = 47,011.55, notional in tier 1.
    Tier 2: 46,800 / (1 − 0.0105) = 47,296.61, notional 47,296 lies in tier 1: not its own.
    The maintenance margin shown comes from tier 1: 52,000 × 0.4% = 208.
    """
    result = liquidate(
        okx(OKX_TWO_TIERS), Side.LONG, D(1), D(52000), D(5200), leverage=D(10), fee_rate=D("0.0005")
    )
    assert result.price is not None and result.tier is not None
    assert result.price.quantize(CENT) == D("47011.55")
    assert result.tier == OKX_TWO_TIERS[0]
    assert result.maintenance_margin == D(208)


def test_okx_takes_the_price_the_market_reaches_first() -> None:
    """Long 1 BTC at 55,000, 10x (margin 5,500): both tiers land in their own bracket.

    Tier 1: 49,500 / 0.9955 = 49,723.76 (< 50,000); tier 2: 49,500 / 0.9895 = 50,025.27
    (≥ 50,000). Falling from 55,000 the price meets 50,025.27 first: there margin left
    5,500 − 4,974.73 = 525.27 equals 50,025.27 × (1% + 0.05%), so tier 2 liquidates.
    """
    result = liquidate(
        okx(OKX_TWO_TIERS), Side.LONG, D(1), D(55000), D(5500), leverage=D(10), fee_rate=D("0.0005")
    )
    assert result.price is not None and result.tier is not None
    assert result.price.quantize(CENT) == D("50025.27")
    assert result.tier == OKX_TWO_TIERS[1]


def test_okx_fee_defaults_to_the_instrument_taker() -> None:
    """/liq without a fee uses the venue's taker fee: the domain example at 0.06% through LiqInput.

    1 contract of ctVal 1 at 10, 3x: margin 3.3333…, LP ≈ 6.738090425 as above.
    """
    result = liquidation_check(
        LiqInput(
            instrument=okx(flat("0.01"), contract_value=D(1), fee=TAKER),
            entry=D(10),
            leverage=D(3),
            side=Side.LONG,
            margin_mode=MarginMode.ISOLATED,
            quantity=D(1),
        )
    )
    assert result.liquidation_price is not None
    assert result.liquidation_price.quantize(D("1e-9")) == D("6.738090425")
    assert result.contracts == 1


def test_okx_sizes_in_whole_contracts_of_ct_val() -> None:
    """Worked example on OKX (ctVal 0.01 BTC): 10 / 571.75 = 0.01749 BTC → 1 contract, 0.01 BTC.

    Loss = 0.01 × 571.75 = 5.7175, within the budget of 10.
    """
    result = size_position(
        SizeInput(
            instrument=okx(OKX_TWO_TIERS),
            contract=Contract(kind=ContractKind.STEP, size=D("0.01")),
            entry=D(72000),
            stop=D(71500),
            account=D(1000),
            leverage=D(20),
            risk=Risk(fraction=D("0.01")),
            fee_rate=D("0.0005"),
        )
    )
    assert result.contracts == 1
    assert result.quantity == D("0.01")
    assert result.loss_at_stop == D("5.7175")


def test_okx_refuses_a_unit_that_is_not_whole_contracts() -> None:
    """A unit of 0.015 BTC is one and a half OKX contracts: the venue cannot fill it."""
    with pytest.raises(EngineError) as raised:
        size_position(
            SizeInput(
                instrument=okx(OKX_TWO_TIERS),
                contract=Contract(kind=ContractKind.CUSTOM, size=D("0.015")),
                entry=D(72000),
                stop=D(71500),
                account=D(1000),
                leverage=D(20),
                risk=Risk(fraction=D("0.01")),
                fee_rate=D("0.0005"),
            )
        )
    assert raised.value.code == "contract_not_whole"
    assert raised.value.params["unit"] == D("0.01")


def test_bybit_inverse_help_page_long() -> None:
    """[BYBIT-INV] 60,000 × 1.005 / (1.2 + 0.12 + 0 + 0) = 60,300 / 1.32 ≈ 45,681.82.

    The older page's form (MM at entry) gives 60,000 / (1.2 + 0.12 − 0.006) = 45,662.10.
    """
    price, tier = bybit_inverse(
        flat("0.005"), Side.LONG, D(60000), D(50000), D("0.12"), D(0), D("0.00055")
    )
    assert price.quantize(CENT) == D("45681.82")
    assert tier.mmr == D("0.005")


def test_bybit_inverse_short_by_hand() -> None:
    """Short $60,000 at 50,000, 10x, MMR 0.5%: 60,000 × 0.995 / (1.2 − 0.12) = 59,700 / 1.08.

    = 55,277.78 (55,277.777…).
    """
    price, _ = bybit_inverse(
        flat("0.005"), Side.SHORT, D(60000), D(50000), D("0.12"), D(0), D("0.00055")
    )
    assert price.quantize(CENT) == D("55277.78")


def test_bybit_inverse_extra_margin_net_of_closing_fee() -> None:
    """Long as the help page with 0.1 BTC extra margin, taker 0.06%: extra counts / 1.0006.

    0.1 / 1.0006 = 0.0999400…; 60,300 / (1.32 + 0.0999400) = 60,300 / 1.4199400 = 42,466.58.
    """
    price, _ = bybit_inverse(
        flat("0.005"), Side.LONG, D(60000), D(50000), D("0.12"), D("0.1"), TAKER
    )
    assert price.quantize(CENT) == D("42466.58")


def test_bybit_inverse_through_liquidation_check_counts_contracts() -> None:
    """[BYBIT-INV] through /liq: 60,000 contracts of $1 at 50,000, 10x → ≈ 45,681.82, 1.2 BTC."""
    result = liquidation_check(
        LiqInput(
            instrument=bybit_inverse_btc(BYBIT_TIERS),
            entry=D(50000),
            leverage=D(10),
            side=Side.LONG,
            margin_mode=MarginMode.ISOLATED,
            quantity=D(60000),
        )
    )
    assert result.liquidation_price is not None
    assert result.liquidation_price.quantize(CENT) == D("45681.82")
    assert result.contracts == 60000
    assert result.quantity == D("1.2")
    assert result.notional == 60000
    # MM at entry = 1.2 BTC × 0.5% = 0.006 BTC, worth 300 USD at 50,000.
    assert result.maintenance_margin == D(300)


def test_coin_m_liq_reads_quantity_as_contracts() -> None:
    """[COINM] /liq on COIN-M counts $100 contracts as /pnl does: 12 contracts at 72,000, 20x.

    N = 1,200 USD, WB = 1,200 / 72,000 / 20 BTC: LP = 1,204.8 / 0.0175 = 68,845.71.
    """
    result = liquidation_check(
        LiqInput(
            instrument=inverse(),
            entry=D(72000),
            leverage=D(20),
            side=Side.LONG,
            margin_mode=MarginMode.ISOLATED,
            quantity=D(12),
        )
    )
    assert result.liquidation_price is not None
    assert result.liquidation_price.quantize(CENT) == D("68845.71")
    assert result.contracts == 12
    assert result.notional == 1200


@pytest.mark.parametrize("venue", ["coinm", "bybit"])
def test_inverse_short_at_one_x_is_covered_not_priced_at_zero(venue: str) -> None:
    """A 1x inverse short's coin margin keeps its dollar value: no rise liquidates it.

    COIN-M: WB + cum − N / EP = 0 (no price); Bybit: 1.2 − 1.2 − 0 − 0 = 0. The result says
    "covered" for a short, never a price of 0 that would read as "a fall to zero".
    """
    instrument = inverse() if venue == "coinm" else bybit_inverse_btc(BYBIT_TIERS)
    assert instrument.contract_value is not None
    contracts = D(60000) / instrument.contract_value
    result = liquidation_check(
        LiqInput(
            instrument=instrument,
            entry=D(50000),
            leverage=D(1),
            side=Side.SHORT,
            margin_mode=MarginMode.ISOLATED,
            quantity=contracts,
        )
    )
    assert result.liquidation_covered
    assert result.liquidation_price is None
    assert result.warnings == ()


def test_inverse_short_at_two_x_liquidates_on_a_rise() -> None:
    """[COINM] short 12 contracts at 72,000, 2x: WB = 1,200 / 144,000 = 1/120 BTC.

    LP = 1,200 × (0.004 − 1) / (1/120 − 1/60) = −1,195.2 / −(1/120) = 143,424: a rise.
    """
    price, _ = binance_coinm(inverse().tiers, Side.SHORT, D(1200), D(72000), D(1) / D(120))
    assert price.quantize(CENT) == D("143424.00")
