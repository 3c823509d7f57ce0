"""Refuse or warn, never price the impossible: the venue's brackets decide what is a position.

Sources:
- [BINANCE-BRACKETS] Binance USDⓈ-M BTCUSDT brackets 1–4 (ccxt/ccxt@0dca8ac0, raw
  GET /fapi/v1/leverageBracket): 125x to 50,000; 100x to 600,000; 75x to 3,000,000; 50x to
  12,000,000, with cum 0, 50, 950, 11,450.
- [USDM] Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts".
- Two positions once priced although the venue would refuse them: `/liq BTC 72000 lev 125
  qty 100` ($7.2M at 125x) and a COIN-M position beyond the single 5 BTC bracket.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatbot.engine.liquidation import liquidate, liquidation_check
from chatbot.engine.models import (
    EngineError,
    Instrument,
    LiqInput,
    LiquidationModel,
    MarginMode,
    Risk,
    Side,
    SizeCap,
    SizeInput,
    Tier,
    WarningCode,
)
from chatbot.engine.sizing import size_position
from chatbot.engine.tiers import effective_tiers, tier_for
from tests.engine_fixtures import (
    BINANCE_BTC_TIERS,
    BINANCE_BTC_TIERS_TO_12M,
    STEP,
    bybit_inverse,
    inverse,
    linear,
    okx,
)

CENT = D("0.01")


def liq(instrument: Instrument, quantity: str, leverage: str, **changes: object) -> LiqInput:
    """A long at 72,000 with the given size and leverage, `changes` applied."""
    base: dict[str, object] = dict(
        instrument=instrument,
        entry=D(72000),
        leverage=D(leverage),
        side=Side.LONG,
        margin_mode=MarginMode.ISOLATED,
        quantity=D(quantity),
    )
    base.update(changes)
    return LiqInput.model_validate(base)


def test_leverage_above_what_the_tier_allows_gets_no_price() -> None:
    """[BINANCE-BRACKETS] 100 BTC at 72,000 = $7.2M lies in bracket 4, which allows 50x.

    At 125x the venue would refuse it: no price, the code, 50x for that bracket, and $50,000
    as the largest notional Binance takes at 125x.
    """
    result = liquidation_check(liq(linear(tiers=BINANCE_BTC_TIERS_TO_12M), "100", "125"))
    assert result.liquidation_price is None
    assert result.warnings == (WarningCode.LEVERAGE_ABOVE_TIER_MAX,)
    assert result.tier_max_leverage == 50
    assert result.venue_max_notional == 50_000
    assert result.maintenance_margin is None


def test_same_position_at_the_tier_leverage_is_priced() -> None:
    """[USDM] the $7.2M long at 50x: WB = 144,000, bracket 4 (1%, cum 11,450).

    LP = (144,000 + 11,450 − 7,200,000) / (100 × 0.01 − 100) = −7,044,550 / −99 = 71,157.07;
    notional there 7,115,707 stays in bracket 4, on the losing side of 72,000.
    """
    result = liquidation_check(liq(linear(tiers=BINANCE_BTC_TIERS_TO_12M), "100", "50"))
    assert result.liquidation_price is not None
    assert result.liquidation_price.quantize(CENT) == D("71157.07")
    assert result.warnings == ()


def test_notional_above_last_bracket_gets_no_price() -> None:
    """COIN-M ships one bracket capped at 5 BTC: 72,000 contracts of $100 at 72,000 are 100 BTC.

    The venue takes at most 5 BTC at 20x: no price, `notional_above_venue_max`, maximum 5.
    """
    result = liquidation_check(liq(inverse(), "72000", "20"))
    assert result.liquidation_price is None
    assert result.warnings == (WarningCode.NOTIONAL_ABOVE_VENUE_MAX,)
    assert result.venue_max_notional == 5
    assert result.tier_max_leverage is None


def test_tier_for_refuses_above_the_last_cap() -> None:
    """The last cap is the largest position: at it the last tier applies, above it none."""
    assert tier_for(BINANCE_BTC_TIERS, D(3_000_000)) == BINANCE_BTC_TIERS[-1]
    with pytest.raises(EngineError) as raised:
        tier_for(BINANCE_BTC_TIERS, D("3000000.01"))
    assert raised.value.code == "notional_above_venue_max"


def test_mmr_override_keeps_the_venue_caps() -> None:
    """`mmr 0.4%` changes rates, not limits: every bracket keeps its floor, cap and leverage."""
    tiers = effective_tiers(linear(), D("0.004"))
    assert [(t.floor, t.cap, t.max_leverage) for t in tiers] == [
        (t.floor, t.cap, t.max_leverage) for t in BINANCE_BTC_TIERS
    ]
    assert {t.mmr for t in tiers} == {D("0.004")} and {t.cum for t in tiers} == {D(0)}


def test_sizing_with_mmr_override_stays_within_venue_cap() -> None:
    """5% risk of 10,000,000 with a 500 stop wants 500,000 / 571.75 = 874.5 BTC ($63M).

    At 20x the brackets reach 3,000,000: 3,000,000 / 72,000 = 41.666… → 41.666 BTC, with or
    without `mmr 0.4%` (it once replaced the table with one uncapped tier).
    """
    result = size_position(
        SizeInput(
            instrument=linear(),
            contract=STEP,
            entry=D(72000),
            stop=D(71500),
            account=D(10_000_000),
            leverage=D(20),
            risk=Risk(fraction=D("0.05")),
            fee_rate=D("0.0005"),
            mmr_override=D("0.004"),
        )
    )
    assert result.size_cap is SizeCap.VENUE_LEVERAGE
    assert result.quantity == D("41.666")


def test_mmr_and_mm_pin_the_tier() -> None:
    """`mmr 0.5% mm 50` states bracket 2 for 0.7 BTC at 72,000, 10x (WB 5,040): no recheck.

    LP = (5,040 + 50 − 50,400) / (0.7 × 0.005 − 0.7) = −45,310 / −0.6965 = 65,053.84 (the
    table alone rechecks into bracket 1 and gives 65,060.24). MM = 50,400 × 0.5% − 50 = 202.
    """
    result = liquidate(
        linear(), Side.LONG, D("0.7"), D(72000), D(5040), D("0.005"), mm_override=D(50)
    )
    assert result.price is not None and result.tier is not None
    assert result.price.quantize(CENT) == D("65053.84")
    assert (result.tier.mmr, result.tier.cum) == (D("0.005"), D(50))
    assert result.maintenance_margin == D(202)


def test_mm_alone_overrides_the_amount_of_the_tier_that_applies() -> None:
    """`mm 10` on the worked example keeps bracket 1's 0.4%: (61.2 + 10 − 1,224) / (−0.016932).

    = −1,152.8 / −0.016932 = 68,084.10 (68,084.0964…); MM = 4.896 − 10 → 0, never negative.
    """
    result = liquidate(linear(), Side.LONG, D("0.017"), D(72000), D("61.2"), mm_override=D(10))
    assert result.price is not None
    assert result.price.quantize(CENT) == D("68084.10")
    assert result.maintenance_margin == 0


def test_margin_below_maintenance_is_refused() -> None:
    """`mmr 2%` at 100x: margin 1% of notional is below the 2% maintenance margin at entry.

    The formula would put a long's liquidation above its entry; the venue would liquidate it
    at once, so there is no price but `margin_below_maintenance`.
    """
    result = liquidation_check(liq(linear(), "0.01", "100", mmr_override=D("0.02")))
    assert result.liquidation_price is None
    assert result.warnings == (WarningCode.MARGIN_BELOW_MAINTENANCE,)
    # MM = 720 × 2% = 14.40 against a margin of 7.20.
    assert result.maintenance_margin == D("14.4")


def test_sizing_warns_when_margin_is_below_maintenance() -> None:
    """Sizing at 100x with `mmr 2%`: a size is found, but no liquidation price and a warning."""
    result = size_position(
        SizeInput(
            instrument=linear(),
            contract=STEP,
            entry=D(72000),
            stop=D(71500),
            account=D(1000),
            leverage=D(100),
            risk=Risk(fraction=D("0.01")),
            fee_rate=D("0.0005"),
            mmr_override=D("0.02"),
        )
    )
    assert result.quantity == D("0.017")
    assert result.liquidation_price is None
    assert result.warnings[0] is WarningCode.MARGIN_BELOW_MAINTENANCE


# --- the property: every accepted position liquidates on its losing side ----------------------

PRICED = [model for model in LiquidationModel if model is not LiquidationModel.NONE]


@st.composite
def tables(draw: st.DrawFn, inverse_table: bool) -> tuple[Tier, ...]:
    """A venue-shaped table: rising MMR, falling leverage, each MMR below 1/leverage − fee.

    The maintenance amounts join the brackets as venues publish them (Binance's cum:
    cum_k = cum_{k−1} + floor_k × (MMR_k − MMR_{k−1})), in the table's unit × rate.
    """
    count = draw(st.integers(min_value=1, max_value=5))
    top = draw(st.integers(min_value=2, max_value=125))
    floor, mmr, cum = D(0), D(0), D(0)
    tiers = []
    for index in range(count):
        leverage = max(D(1), D(top) / (2**index))
        ceiling = D(1) / leverage - D("0.002")
        rate = draw(st.decimals(min_value=D("0.001"), max_value=max(ceiling, D("0.001"))))
        rate = max(rate, mmr)
        cum = cum + floor * (rate - mmr) if index else D(0)
        step = draw(st.integers(min_value=1, max_value=1000))
        cap = floor + D(step) * (D("0.1") if inverse_table else D(1000))
        last = index == count - 1
        capped = draw(st.booleans()) if last else True
        tiers.append(
            Tier(
                floor=floor,
                cap=cap if capped else None,
                max_leverage=leverage,
                mmr=rate,
                cum=cum,
            )
        )
        floor, mmr = cap, rate
    return tuple(tiers)


def _instrument(model: LiquidationModel, tiers: tuple[Tier, ...]) -> Instrument:
    if model is LiquidationModel.OKX_LINEAR:
        return okx(tiers, contract_value=D("0.001"))
    if model is LiquidationModel.BYBIT_INVERSE:
        return bybit_inverse(tiers)
    if model is LiquidationModel.BINANCE_COINM:
        return inverse().model_copy(update={"tiers": tiers})
    return linear(liquidation=model, tiers=tiers)


@st.composite
def positions(draw: st.DrawFn) -> LiqInput:
    model = draw(st.sampled_from(PRICED))
    inverse_model = model in (LiquidationModel.BINANCE_COINM, LiquidationModel.BYBIT_INVERSE)
    tiers = draw(tables(inverse_model))
    top = int(tiers[0].max_leverage)
    return LiqInput(
        instrument=_instrument(model, tiers),
        entry=draw(st.decimals(min_value=D("0.01"), max_value=D(200_000), places=2)),
        leverage=D(draw(st.integers(min_value=1, max_value=top))),
        side=draw(st.sampled_from(Side)),
        margin_mode=MarginMode.ISOLATED,
        quantity=draw(st.decimals(min_value=D("0.001"), max_value=D(1000), places=3)),
        fee_rate=D("0.0005"),
        mmr_override=draw(st.none() | st.decimals(min_value=D(0), max_value=D("0.2"), places=4)),
    )


@given(positions())
def test_no_accepted_liquidation_on_the_wrong_side(data: LiqInput) -> None:
    """Random venue, table, side, leverage and size: a long liquidates below, a short above.

    A position the venue refuses has no price; one no move liquidates is covered; every other
    price lies strictly on the losing side of the entry.
    """
    result = liquidation_check(data)
    price = result.liquidation_price
    if price is None:
        assert result.liquidation_covered or result.warnings
        assert not (result.liquidation_covered and data.side is Side.LONG)
        return
    if result.liquidation_covered:
        assert data.side is Side.LONG and price == 0
        return
    assert data.side.sign * (price - data.entry) < 0


@given(positions())
def test_positions_within_the_brackets_are_accepted(data: LiqInput) -> None:
    """On venue-shaped tables, without overrides, a position within the caps is always priced."""
    result = liquidation_check(data.model_copy(update={"mmr_override": None}))
    refused = {WarningCode.LEVERAGE_ABOVE_TIER_MAX, WarningCode.NOTIONAL_ABOVE_VENUE_MAX}
    if refused & set(result.warnings):
        return
    assert WarningCode.MARGIN_BELOW_MAINTENANCE not in result.warnings
    assert result.liquidation_price is not None or result.liquidation_covered


@given(
    data=positions(),
    distance=st.decimals(min_value=D("0.001"), max_value=D("0.5"), places=3),
    account=st.decimals(min_value=D(10), max_value=D(100_000_000), places=2),
)
def test_sized_positions_are_ones_the_venue_accepts(
    data: LiqInput, distance: D, account: D
) -> None:
    """Sizing caps the size by the brackets, so its position is never refused for its size."""
    stop = data.entry * (1 - distance) if data.side is Side.LONG else data.entry * (1 + distance)
    instrument = data.instrument
    unit = instrument.contract_value if instrument.inverse else instrument.qty_step
    assert unit is not None
    result = size_position(
        SizeInput(
            instrument=instrument,
            contract=STEP.model_copy(update={"size": unit}),
            entry=data.entry,
            stop=stop,
            account=account,
            leverage=data.leverage,
            risk=Risk(fraction=D("0.05")),
            fee_rate=D("0.0005"),
        )
    )
    refused = {WarningCode.LEVERAGE_ABOVE_TIER_MAX, WarningCode.NOTIONAL_ABOVE_VENUE_MAX}
    assert not refused & set(result.warnings)
    price = result.liquidation_price
    if price is not None and not result.liquidation_covered:
        assert result.side.sign * (price - result.entry) < 0
