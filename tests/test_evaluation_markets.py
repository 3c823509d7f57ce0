"""Checks against the market data: scaled contracts per coin, unknown symbols, unknown tables."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatbot.engine.models import Contract, ContractKind, Instrument, Risk, SizeInput, SizeResult
from chatbot.engine.sizing import size_position
from chatbot.evaluation.calculators import evaluate
from chatbot.evaluation.instruments import per_coin
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.parser import parse_command
from chatbot.markets import catalog

D = Decimal


def sized(text: str) -> SizeResult:
    result = evaluate(parse_command(text)).result
    assert isinstance(result, SizeResult)
    return result


def test_pepe_is_the_1000pepe_contract_sized_per_coin() -> None:
    """`/size PEPE 0.0000123 stop 0.0000118 acct 500 lev 5` on Binance USDⓈ-M.

    By hand: budget 1% × 500 = 5; loss per PEPE = 0.0000005 + 0.0005 × 0.0000241
    = 0.00000051205; 5 / 0.00000051205 = 9,764,671.4188… PEPE. Binance's step for 1000PEPEUSDT
    is not known offline, so nothing is rounded to a guessed step: the size keeps every digit a
    contract step of 10⁻⁸ (10⁻⁵ PEPE) allows, and the notional is 9,764,671.4188 × 0.0000123.
    """
    result = sized("/size PEPE 0.0000123 stop 0.0000118 acct 500 lev 5")
    assert (result.instrument.symbol, result.instrument.base) == ("1000PEPEUSDT", "PEPE")
    assert result.instrument.scale == 1000
    assert result.quantity == D("9764671.41880")
    assert result.notional == D("9764671.41880") * D("0.0000123")
    assert result.loss_at_stop <= D(5)


@pytest.mark.parametrize("typed", ["pepe", "PEPE", "PEPEUSDT", "PEPE/USDT", "1000PEPE"])
def test_every_spelling_of_pepe_finds_the_scaled_contract(typed: str) -> None:
    """Members type the coin in many ways; each is the same contract, priced per coin."""
    result = sized(f"/size {typed} 0.0000123 stop 0.0000118 acct 500 lev 5")
    assert result.instrument.symbol == "1000PEPEUSDT"
    assert result.entry == D("0.0000123")


@given(
    entry=st.decimals(min_value=D("0.000005"), max_value=D("0.00005"), places=8),
    distance=st.decimals(min_value=D("0.01"), max_value=D("0.2"), places=3),
    leverage=st.integers(min_value=1, max_value=20),
)
def test_per_coin_figures_are_the_contracts_figures(
    entry: Decimal, distance: Decimal, leverage: int
) -> None:
    """Sizing PEPE per coin gives the venue's own figures for 1000PEPEUSDT: the same notional,
    margin and loss, and a liquidation price exactly 1/1000 of the contract's."""
    contract = catalog.resolve("binance", "PEPE")
    stop = entry * (1 - distance)

    def run(instrument: Instrument, scale: Decimal) -> SizeResult:
        return size_position(
            SizeInput(
                instrument=instrument,
                contract=Contract(kind=ContractKind.STEP, size=instrument.qty_step),
                entry=entry * scale,
                stop=stop * scale,
                account=D(1000),
                leverage=D(leverage),
                risk=Risk(fraction=D("0.01")),
                fee_rate=D("0.0005"),
            )
        )

    coin, venue = run(per_coin(contract), D(1)), run(contract, D(1000))
    assert coin.quantity == venue.quantity * 1000
    assert (coin.notional, coin.initial_margin) == (venue.notional, venue.initial_margin)
    assert coin.loss_at_stop == venue.loss_at_stop
    if venue.liquidation_price is not None:
        assert coin.liquidation_price == venue.liquidation_price / 1000


def test_unknown_symbol_suggests_and_dates_the_list() -> None:
    """SIU is no Binance coin; SUI is the nearest, and the list's date is named."""
    with pytest.raises(CommandError) as caught:
        evaluate(parse_command("/size SIU 2 stop 1.9 acct 1000"))
    assert caught.value.code is ErrorCode.UNKNOWN_SYMBOL
    assert caught.value.params["suggestions"].startswith("SUI")
    assert caught.value.params["as_of"] == "2024-10-24"


def test_symbol_listed_elsewhere_names_the_venue() -> None:
    """ARB is not in OKX's shipped list but Binance USDⓈ-M lists it: the reply says so."""
    with pytest.raises(CommandError) as caught:
        evaluate(parse_command("/size ARB 0.45 stop 0.43 acct 1000 venue okx"))
    assert caught.value.code is ErrorCode.UNKNOWN_SYMBOL
    assert "Binance USDⓈ-M" in caught.value.params["listed_on"]
    assert caught.value.params["venue_hint"] == "venue binance"


def test_unknown_tier_table_is_said_not_guessed() -> None:
    """OKX ships no tier table offline: no liquidation price is invented, another venue named."""
    with pytest.raises(CommandError) as caught:
        evaluate(parse_command("/size BTC 72000 stop 71500 acct 1000 lev 20 venue okx"))
    assert caught.value.code is ErrorCode.TIERS_UNKNOWN
    assert caught.value.params["symbol"] == "BTC-USDT-SWAP"
    assert caught.value.params["example_venue"] == "venue binance"
