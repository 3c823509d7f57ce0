"""Symbols as members type them, did-you-mean answers, and snapshots replaced at run time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest

from chatbot import markets
from chatbot.engine.models import Instrument, Tier
from chatbot.markets import catalog
from chatbot.markets.models import VenueSnapshot

REFRESHED = datetime(2026, 11, 30, 5, 21, tzinfo=UTC)


@pytest.fixture(autouse=True)
def shipped_only() -> Iterator[None]:
    catalog.reset()
    yield
    catalog.reset()


def okx_instrument(symbol: str, base: str, scale: D = D(1)) -> Instrument:
    venue = catalog.venue("okx")
    return Instrument(
        venue="okx",
        venue_name=venue.name,
        symbol=symbol,
        base=base,
        quote="USDT",
        inverse=False,
        liquidation=venue.liquidation,
        qty_step=D("0.01"),
        min_qty=D("0.01"),
        tick=D("0.001"),
        min_notional=D(0),
        contract_value=D(1),
        tiers=(Tier(floor=D(0), cap=None, max_leverage=D(50), mmr=D("0.01"), cum=D(0)),),
        tiers_source="stand-in position tiers",
        tiers_as_of="2026-11-30",
        scale=scale,
    )


def okx_snapshot(*items: Instrument) -> VenueSnapshot:
    return VenueSnapshot(venue="okx", source="stand-in", as_of=REFRESHED, instruments=items)


@pytest.mark.parametrize(
    "typed",
    [
        "pepe",
        "PEPE",
        "PEPEUSDT",
        "PEPE/USDT",
        "PEPE/USDT:USDT",
        "PEPE-USDT-SWAP",
        "1000PEPE",
        "1000PEPEUSDT",
        " 1000pepeusdt ",
    ],
)
def test_pepe_in_every_spelling_is_the_1000pepe_contract(typed: str) -> None:
    """Binance lists PEPE only per 1,000 coins: every spelling finds 1000PEPEUSDT, coin PEPE."""
    pepe = catalog.resolve("binance", typed)
    assert (pepe.symbol, pepe.base, pepe.scale) == ("1000PEPEUSDT", "PEPE", D(1000))


@pytest.mark.parametrize(
    ("coin", "symbol", "scale"),
    [
        ("SHIB", "1000SHIBUSDT", D(1000)),
        ("bonk", "1000BONKUSDT", D(1000)),
        ("FLOKI", "1000FLOKIUSDT", D(1000)),
        ("lunc", "1000LUNCUSDT", D(1000)),
        ("BABYDOGE", "1MBABYDOGEUSDT", D(1_000_000)),
        ("1inch", "1INCHUSDT", D(1)),
        ("arb", "ARBUSDT", D(1)),
        ("SUI", "SUIUSDT", D(1)),
    ],
)
def test_coins_resolve_to_binance_contracts(coin: str, symbol: str, scale: D) -> None:
    """Scaled coins get their 1000… (or 1M…) contract; 1INCH and ARB are plain coins."""
    found = catalog.resolve("binance", coin)
    assert (found.symbol, found.scale) == (symbol, scale)


def test_venue_symbols_resolve_on_their_own_venues() -> None:
    """Each venue's own way of writing a symbol finds the instrument."""
    assert catalog.resolve("binance_coinm", "BTCUSD_PERP").base == "BTC"
    assert catalog.resolve("bybit_inverse", "btcusd").symbol == "BTCUSD"
    assert catalog.resolve("okx", "eth-usdt-swap").symbol == "ETH-USDT-SWAP"
    assert catalog.resolve("cme", "MBT").base == "BTC"
    assert catalog.resolve("cme", "eth").symbol == "MET"


def test_a_named_quote_must_match() -> None:
    """PEPE/USDC is not Binance's USDT contract, and BTCUSDT is not a COIN-M contract."""
    with pytest.raises(catalog.SymbolNotFound):
        catalog.resolve("binance", "PEPE/USDC")
    with pytest.raises(catalog.SymbolNotFound) as missing:
        catalog.resolve("binance_coinm", "BTCUSDT")
    assert "binance" in missing.value.listed_on


def test_unknown_symbol_suggests_the_nearest_listed_coin_and_dates_the_list() -> None:
    """SIU is SUI with two letters swapped: it comes first, with the snapshot's date."""
    with pytest.raises(catalog.SymbolNotFound) as missing:
        catalog.resolve("binance", "siu")
    assert missing.value.suggestions[0] == "SUI"
    assert missing.value.as_of == datetime(2024, 10, 24, tzinfo=UTC)
    assert missing.value.listed_on == ()


def test_symbol_listed_elsewhere_names_the_venues() -> None:
    """OKX's shipped list has no ARB; Binance USDⓈ-M does, and the answer says so."""
    with pytest.raises(catalog.SymbolNotFound) as missing:
        catalog.resolve("okx", "ARB")
    assert missing.value.listed_on == ("binance",)
    assert catalog.listed_on("BTC") == (
        "binance",
        "binance_coinm",
        "bybit",
        "bybit_inverse",
        "okx",
        "cme",
    )


def test_venue_spellings() -> None:
    """Members' venue names map to keys; an unknown key is a typed error listing the known ones."""
    spellings = {
        "BN": "binance",
        "usdm": "binance",
        "coinm": "binance_coinm",
        "Bybit": "bybit",
        "bybit-inverse": "bybit_inverse",
        "bybit_inverse": "bybit_inverse",
        "OKX": "okx",
        "okex": "okx",
        "cme": "cme",
    }
    for typed, key in spellings.items():
        assert catalog.venue_key(typed) == key
    assert catalog.venue_key("kraken") is None
    with pytest.raises(catalog.UnknownVenue) as unknown:
        catalog.venue("kraken")
    assert "okx" in unknown.value.known


def test_install_replaces_a_venues_snapshot_until_reset() -> None:
    """A refreshed OKX snapshot with SOL answers at once; reset brings the shipped one back."""
    assert catalog.find("okx", "SOL") is None
    catalog.install(okx_snapshot(okx_instrument("SOL-USDT-SWAP", "SOL")))
    assert catalog.resolve("okx", "sol").symbol == "SOL-USDT-SWAP"
    assert catalog.find("okx", "BTC") is None
    assert catalog.snapshot_age("okx", REFRESHED + timedelta(hours=3)) == timedelta(hours=3)
    catalog.reset()
    assert catalog.find("okx", "SOL") is None
    assert catalog.resolve("okx", "BTC").symbol == "BTC-USDT-SWAP"


def test_install_refuses_mixed_or_unknown_venues() -> None:
    """A snapshot must hold only its own venue's instruments, of a venue the catalog knows."""
    stray = catalog.resolve("binance", "BTC")
    with pytest.raises(ValueError, match="binance"):
        catalog.install(okx_snapshot(stray))
    with pytest.raises(catalog.UnknownVenue):
        catalog.install(VenueSnapshot(venue="kraken", source="x", as_of=REFRESHED, instruments=()))


def test_scale_typed_must_match_the_contracts_scale() -> None:
    """Where a venue lists PEPE per coin, 1000PEPE (prices per 1,000 coins) is not it."""
    catalog.install(okx_snapshot(okx_instrument("PEPE-USDT-SWAP", "PEPE")))
    assert catalog.resolve("okx", "pepe").scale == 1
    with pytest.raises(catalog.SymbolNotFound) as missing:
        catalog.resolve("okx", "1000PEPE")
    assert missing.value.suggestions == ("PEPE",)


def test_unscaled_contract_wins_over_a_scaled_one_for_the_coin() -> None:
    """With both PEPE and 1000PEPE listed, the coin means the unscaled one; 1000PEPE the other."""
    catalog.install(
        okx_snapshot(
            okx_instrument("1000PEPE-USDT-SWAP", "PEPE", D(1000)),
            okx_instrument("PEPE-USDT-SWAP", "PEPE"),
        )
    )
    assert catalog.resolve("okx", "PEPE").symbol == "PEPE-USDT-SWAP"
    assert catalog.resolve("okx", "1000PEPE").symbol == "1000PEPE-USDT-SWAP"


def test_default_venue_is_listed() -> None:
    """The global default venue is one the catalog knows."""
    assert catalog.venue(markets.DEFAULT_VENUE).name == "Binance USDⓈ-M"
