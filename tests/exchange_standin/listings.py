"""What the stand-in exchange lists: one `Listing` per contract, in the venue's own units.

The default figures are the venues' own, each from a named public source:
- Binance USDⓈ-M BTCUSDT filters (step 0.001, tick 0.10, minimum notional 5) and COIN-M
  BTCUSD_PERP (100 USD contracts, step 1, tick 0.1): ccxt's recorded Binance markets,
  github.com/ccxt/ccxt@0dca8ac0 ts/src/test/static/markets/binance.json.
- Binance BTCUSDT brackets (0-50,000 at 125x, MMR 0.4%, cum 0; 50,000-600,000 at 100x, MMR
  0.5%, cum 50; 600,000-3,000,000 at 75x, MMR 0.65%, cum 950): freqtrade's copy of
  GET /fapi/v1/leverageBracket, freqtrade/freqtrade@01d10aeb
  freqtrade/exchange/binance_leverage_tiers.json. ETHUSDT's single bracket (75x, MMR 0.65%,
  cap 10,000) is the example of Binance's "Notional and Leverage Brackets" API page.
- Bybit BTCUSDT (step 0.001, tick 0.10, minNotionalValue 5, 100x) and BTCUSD (1 USD contracts,
  step 1, tick 0.10): ccxt's recorded Bybit markets, github.com/ccxt/ccxt@1f8d53ec
  ts/src/test/static/markets/bybit.json. Risk limits (2,000,000 at MMR 0.5%, 100x; then
  4,000,000 at MMR 1%, 57.14x): the BTCUSDT rows of Bybit's "Get Risk Limit" response as
  client libraries record it (hirokisan/bybit v5_market_service_test.go,
  TestV5Market_GetRiskLimit); the second tier's deduction
  is 2,000,000 × (1% − 0.5%) = 10,000, the maintenance-amount rule every tiered venue uses.
- OKX BTC-USDT-SWAP (ctVal 0.01 BTC, lotSz 0.1, minSz 0.1, tickSz 0.1, 100x): ccxt's recorded
  OKX markets, github.com/ccxt/ccxt@3802e1a2 ts/src/test/static/markets/okx.json.

Figures of other contracts (1000PEPEUSDT, 10000LADYSUSDT, SOL, OKX's tiers) are the stand-in's own,
served
as given: a test compares what comes out of a refresh with what the stand-in served.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LINEAR_VENUES = ("binance", "bybit", "okx")
INVERSE_VENUES = ("binance_coinm", "bybit_inverse")


@dataclass
class Bracket:
    """One tier as the venue publishes it: cap in the venue's unit (USDT, coin or contracts)."""

    cap: str
    mmr: str
    max_leverage: str
    cum: str = "0"


@dataclass
class Listing:
    """One contract of one venue; `base` is the venue's base asset id (1000PEPE, not PEPE)."""

    venue: str
    symbol: str
    base: str
    quote: str
    tick: str
    step: str
    min_qty: str
    brackets: list[Bracket]
    min_notional: str = "5"
    contract_size: str = "1"
    max_leverage: str = "100"
    mark: str = "100"
    index: str = "100"
    funding_rate: str = "0.0001"
    next_funding_time: int = 1_700_006_400_000
    trading: bool = True
    extra: dict[str, str] = field(default_factory=dict)


def _btc_brackets() -> list[Bracket]:
    return [
        Bracket("50000", "0.004", "125", "0"),
        Bracket("600000", "0.005", "100", "50"),
        Bracket("3000000", "0.0065", "75", "950"),
    ]


def _bybit_limits() -> list[Bracket]:
    return [Bracket("2000000", "0.005", "100.00"), Bracket("4000000", "0.01", "57.14", "10000")]


def default_listings() -> list[Listing]:
    """BTC, ETH, SOL and a scaled PEPE contract on each venue that lists them."""
    return [
        Listing("binance", "BTCUSDT", "BTC", "USDT", "0.10", "0.001", "0.001", _btc_brackets()),
        Listing(
            "binance",
            "ETHUSDT",
            "ETH",
            "USDT",
            "0.01",
            "0.001",
            "0.001",
            [Bracket("10000", "0.0065", "75")],
        ),
        Listing(
            "binance",
            "1000PEPEUSDT",
            "1000PEPE",
            "USDT",
            "0.0000001",
            "1",
            "1",
            [Bracket("5000", "0.01", "50")],
        ),
        Listing(
            "binance_coinm",
            "BTCUSD_PERP",
            "BTC",
            "USD",
            "0.1",
            "1",
            "1",
            [Bracket("5", "0.004", "125")],
            min_notional="0",
            contract_size="100",
        ),
        Listing("bybit", "BTCUSDT", "BTC", "USDT", "0.10", "0.001", "0.001", _bybit_limits()),
        Listing(
            "bybit",
            "10000LADYSUSDT",
            "10000LADYS",
            "USDT",
            "0.0000001",
            "100",
            "100",
            [Bracket("200000", "0.01", "50.00")],
            max_leverage="50",
        ),
        Listing(
            "bybit_inverse",
            "BTCUSD",
            "BTC",
            "USD",
            "0.10",
            "1",
            "1",
            [Bracket("150", "0.005", "100.00")],
            min_notional="",
        ),
        Listing(
            "okx",
            "BTC-USDT-SWAP",
            "BTC",
            "USDT",
            "0.1",
            "0.1",
            "0.1",
            [Bracket("2000", "0.004", "100"), Bracket("12000", "0.006", "75")],
            min_notional="",
            contract_size="0.01",
        ),
        Listing(
            "okx",
            "ETH-USDT-SWAP",
            "ETH",
            "USDT",
            "0.01",
            "0.1",
            "0.1",
            [Bracket("5000", "0.005", "100")],
            min_notional="",
            contract_size="0.1",
        ),
        Listing(
            "okx",
            "SOL-USDT-SWAP",
            "SOL",
            "USDT",
            "0.01",
            "0.01",
            "0.01",
            [Bracket("10000", "0.01", "50")],
            min_notional="",
            contract_size="1",
            max_leverage="50",
        ),
    ]
