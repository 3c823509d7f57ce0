"""The engine's vocabulary: frozen models in, frozen models out.

Every amount is a `Decimal` so that a liquidation price printed to the cent is the price the
formula gives, not a float's neighbour of it. Rates (risk, fee, MMR) are fractions: 1% is 0.01.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import ConfigDict, Field, model_validator

from chatbot.engine.plain import PlainJson


class Frozen(PlainJson):
    """Base for every engine model: immutable, so results can be shared and cached safely;
    its JSON writes decimals without exponents."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Side(StrEnum):
    LONG = "long"
    SHORT = "short"

    @property
    def sign(self) -> int:
        """+1 for long, −1 for short: the `side` factor of every venue formula."""
        return 1 if self is Side.LONG else -1


class MarginMode(StrEnum):
    ISOLATED = "isolated"
    CROSS = "cross"


class ContractKind(StrEnum):
    """What one unit of size is: the venue's quantity step, a named contract, or a custom one."""

    STEP = "step"
    STANDARD = "standard"
    MICRO = "micro"
    NANO = "nano"
    CUSTOM = "custom"


class LiquidationModel(StrEnum):
    """Which venue's published liquidation formula applies (see `liquidation.py`)."""

    BINANCE_USDM = "binance_usdm"
    BYBIT_LINEAR = "bybit_linear"
    BINANCE_COINM = "binance_coinm"
    OKX_LINEAR = "okx_linear"
    BYBIT_INVERSE = "bybit_inverse"
    NONE = "none"


class WarningCode(StrEnum):
    """Stable codes: rendering turns them into words, tests and JSON keep the codes."""

    LIQUIDATION_BEFORE_STOP = "liquidation_before_stop"
    RISK_ABOVE_RULE = "risk_above_rule"
    LEVERAGE_ABOVE_LIMIT = "leverage_above_limit"
    MIN_SIZE_EXCEEDS_RISK = "min_size_exceeds_risk"
    MIN_SIZE_EXCEEDS_MARGIN = "min_size_exceeds_margin"
    FEES_LARGE_VS_STOP = "fees_large_vs_stop"
    BELOW_MIN_NOTIONAL = "below_min_notional"
    CROSS_WHOLE_ACCOUNT = "cross_whole_account"
    NO_EXCHANGE_LIQUIDATION = "no_exchange_liquidation"
    PARTIAL_HEDGE = "partial_hedge"
    LEVERAGE_ABOVE_TIER_MAX = "leverage_above_tier_max"
    NOTIONAL_ABOVE_VENUE_MAX = "notional_above_venue_max"
    MARGIN_BELOW_MAINTENANCE = "margin_below_maintenance"


class SizeCap(StrEnum):
    """Which limit decided the size, so the reply can say why it is not bigger."""

    RISK = "risk"
    MARGIN = "margin"
    VENUE_LEVERAGE = "venue_leverage"


class EngineError(ValueError):
    """An input the formulas cannot honour, with a stable code and the figures to explain it."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class Tier(Frozen):
    """One row of a venue's leverage bracket table; `cum` is the maintenance amount.

    `floor` and `cap` are in the table's unit (quote money, or coin where the instrument says
    `tiers_in_coin`); `cum` (Binance's cum, Bybit's MM deduction) is in the margin asset: quote
    money for linear instruments, coin for inverse ones.
    """

    floor: Decimal
    cap: Decimal | None
    max_leverage: Decimal
    mmr: Decimal
    cum: Decimal

    def holds(self, notional: Decimal) -> bool:
        """Brackets are [floor, cap), as the venues' APIs publish them."""
        return self.floor <= notional and (self.cap is None or notional < self.cap)


class Instrument(Frozen):
    """A tradable contract on one venue, with the filters and tier table the engine needs.

    `scale` is how many coins one unit of the venue's price and quantity stands for: 1000 for
    Binance's `1000PEPEUSDT`, whose price is that of 1,000 PEPE; members type the coin. Where
    no dated source gives the filters, `filters_known` is False and `qty_step`, `min_qty`,
    `tick` and `min_notional` hold placeholders that only let the arithmetic run (the finest
    step, no minimum): replies must say the filters are unknown rather than present them.
    """

    venue: str
    venue_name: str
    symbol: str
    base: str
    quote: str
    inverse: bool
    liquidation: LiquidationModel
    qty_step: Decimal
    min_qty: Decimal
    tick: Decimal
    min_notional: Decimal
    contract_value: Decimal | None = None
    contracts: dict[str, Decimal] = Field(default_factory=dict)
    tiers: tuple[Tier, ...]
    tiers_in_coin: bool = False
    tiers_source: str
    tiers_as_of: str
    scale: Decimal = Decimal(1)
    max_leverage: Decimal | None = None
    taker_fee: Decimal | None = None
    filters_source: str = ""
    filters_as_of: str = ""
    filters_known: bool = True


class Contract(Frozen):
    """The unit a size is rounded to: base units per contract (linear) or USD (inverse)."""

    kind: ContractKind
    size: Decimal


class RuleOwner(StrEnum):
    """Whose limit a rule is: the member's own, their group's policy, or the beginner default."""

    MEMBER = "member"
    GROUP = "group"
    DEFAULT = "default"


class Rules(Frozen):
    """The member's discipline rules, used only to raise warnings, never to change numbers.

    The owners say whose each limit is, so a broken rule can be named with its owner."""

    max_risk: Decimal = Decimal("0.01")
    max_leverage: Decimal = Decimal("10")
    fees_share_warning: Decimal = Decimal("0.2")
    risk_owner: RuleOwner = RuleOwner.DEFAULT
    leverage_owner: RuleOwner = RuleOwner.DEFAULT


class Risk(Frozen):
    """A risk budget: a share of the account, or a fixed amount of quote currency."""

    fraction: Decimal | None = None
    amount: Decimal | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Risk:
        if (self.fraction is None) == (self.amount is None):
            raise ValueError("a risk is either a share of the account or an amount")
        return self

    def budget(self, account: Decimal) -> Decimal:
        """The money this trade may lose at its stop, fees included."""
        return self.amount if self.amount is not None else account * (self.fraction or 0)


class OthersInCross(Frozen):
    """The other open positions of a cross-margin account, as Binance's form counts them.

    `maintenance` is TMM (their maintenance margin at mark) and `upnl` their unrealised PnL at
    mark, both in the margin asset valued in quote money; the wallet that backs this position
    becomes WB − TMM + UPNL. Isolated positions ignore them: other positions cannot reach an
    isolated margin.
    """

    maintenance: Decimal = Decimal(0)
    upnl: Decimal = Decimal(0)


class SizeInput(Frozen):
    """A trade to size. `mmr_override` and `mm_override` replace the maintenance rate and
    amount of the bracket that applies, never the venue's caps; `others` counts in cross mode.
    """

    instrument: Instrument
    contract: Contract
    entry: Decimal
    stop: Decimal
    target: Decimal | None = None
    account: Decimal
    leverage: Decimal
    risk: Risk
    fee_rate: Decimal
    margin_mode: MarginMode = MarginMode.ISOLATED
    mmr_override: Decimal | None = None
    mm_override: Decimal | None = None
    others: OthersInCross = OthersInCross()
    rules: Rules = Rules()


class Refusal(Frozen):
    """Why the venue would not hold a position, with the limit a member can plan to.

    `tier_max_leverage` is the most the bracket holding the notional allows; `venue_max_notional`
    the largest notional the venue takes at the chosen leverage, in the table's unit.
    """

    code: WarningCode
    tier_max_leverage: Decimal | None = None
    venue_max_notional: Decimal | None = None


class Liquidation(Frozen):
    """A liquidation price and the tier it was computed with (None where a venue has none).

    `covered` means no price move against the position liquidates it: a long whose margin
    covers a fall to zero (price 0), or a short whose margin outgrows any rise (price None, as
    an inverse short at 1x). A refused position has neither price nor tier; its maintenance
    margin is None only when no bracket of the venue holds its notional.
    """

    price: Decimal | None
    tier: Tier | None
    maintenance_margin: Decimal | None
    covered: bool = False
    refusal: Refusal | None = None


class SizeResult(Frozen):
    instrument: Instrument
    contract: Contract
    side: Side
    entry: Decimal
    stop: Decimal
    target: Decimal | None
    margin_mode: MarginMode
    account: Decimal
    leverage: Decimal
    fee_rate: Decimal
    stop_distance: Decimal
    stop_distance_pct: Decimal
    loss_per_unit: Decimal
    risk_budget: Decimal
    risk_fraction: Decimal
    quantity: Decimal
    contracts: Decimal
    notional: Decimal
    initial_margin: Decimal
    maintenance_margin: Decimal
    effective_leverage: Decimal
    fees: Decimal
    loss_at_stop: Decimal
    loss_at_stop_pct: Decimal
    min_size_loss: Decimal
    size_cap: SizeCap
    liquidation_price: Decimal | None
    liquidation_distance_pct: Decimal | None
    stop_to_liquidation: Decimal | None
    tier: Tier | None
    reward_at_target: Decimal | None
    r_multiple: Decimal | None
    warnings: tuple[WarningCode, ...]
    liquidation_covered: bool = False


class LiqInput(Frozen):
    """`quantity` is base units for linear instruments and contracts for inverse ones.

    `fee_rate` is the taker fee the OKX and Bybit inverse forms count at liquidation; left out,
    the instrument's own taker fee is used. The overrides and `others` mean what they mean in
    `SizeInput`.
    """

    instrument: Instrument
    entry: Decimal
    leverage: Decimal
    side: Side
    margin_mode: MarginMode
    quantity: Decimal
    account: Decimal | None = None
    mmr_override: Decimal | None = None
    mm_override: Decimal | None = None
    fee_rate: Decimal | None = None
    others: OthersInCross = OthersInCross()


class LiqResult(Frozen):
    """`quantity` is base units (for inverse contracts, the coin they hold at entry).

    No price with a refusal code in `warnings` means the venue would not hold the position;
    `liquidation_covered` means no move against it liquidates it (see `Liquidation`).
    """

    instrument: Instrument
    entry: Decimal
    leverage: Decimal
    side: Side
    margin_mode: MarginMode
    quantity: Decimal
    notional: Decimal
    initial_margin: Decimal
    wallet_balance: Decimal
    maintenance_margin: Decimal | None
    liquidation_price: Decimal | None
    liquidation_distance_pct: Decimal | None
    tier: Tier | None
    warnings: tuple[WarningCode, ...]
    contracts: Decimal | None = None
    liquidation_covered: bool = False
    tier_max_leverage: Decimal | None = None
    venue_max_notional: Decimal | None = None


class PnlInput(Frozen):
    """`quantity` is base units for linear instruments and contracts for inverse ones.

    `funding` is what the position received in funding (negative when it paid), in the asset
    it settles in: quote money for linear instruments, coin for inverse ones. `leverage`, when
    known, gives the initial margin and the return on it (ROE).
    """

    instrument: Instrument
    contract: Contract
    side: Side
    entry: Decimal
    exit: Decimal
    quantity: Decimal
    fee_rate: Decimal
    stop: Decimal | None = None
    leverage: Decimal | None = None
    funding: Decimal = Decimal(0)


class PnlResult(Frozen):
    instrument: Instrument
    contract: Contract
    side: Side
    entry: Decimal
    exit: Decimal
    quantity: Decimal
    contracts: Decimal
    notional: Decimal
    gross: Decimal
    fees: Decimal
    net: Decimal
    gross_coin: Decimal | None
    move_pct: Decimal
    risk_at_stop: Decimal | None
    r_multiple: Decimal | None
    opening_fee: Decimal = Decimal(0)
    closing_fee: Decimal = Decimal(0)
    funding: Decimal = Decimal(0)
    break_even: Decimal | None = None
    initial_margin: Decimal | None = None
    roe: Decimal | None = None
    net_roe: Decimal | None = None


class HedgeInput(Frozen):
    instrument: Instrument
    contract: Contract
    spot_value: Decimal
    ratio: Decimal
    price: Decimal | None = None


class HedgeResult(Frozen):
    instrument: Instrument
    contract: Contract
    spot_value: Decimal
    ratio: Decimal
    price: Decimal | None
    hedge_notional: Decimal
    quantity: Decimal | None
    contracts: Decimal | None
    hedged_notional: Decimal | None
    actual_ratio: Decimal | None
    gain_on_ten_pct_drop: Decimal | None
    warnings: tuple[WarningCode, ...]


class FundingInput(Frozen):
    """`notional` is quote money (USD for inverse contracts: contracts × contract value).

    Coin-margined contracts pay funding in coin, on the position's value at the mark price:
    give `mark` for them and the result carries the amount in coin too.
    """

    instrument: Instrument
    side: Side
    notional: Decimal
    rate: Decimal
    hours: Decimal
    interval_hours: Decimal
    mark: Decimal | None = None


class FundingResult(Frozen):
    instrument: Instrument
    side: Side
    notional: Decimal
    rate: Decimal
    hours: Decimal
    interval_hours: Decimal
    intervals: Decimal
    amount: Decimal
    pays: bool
    amount_coin: Decimal | None = None


class Fill(Frozen):
    """One fill of a position: base units (linear) or contracts (inverse) at a price."""

    quantity: Decimal = Field(gt=0)
    price: Decimal = Field(gt=0)


class AverageInput(Frozen):
    instrument: Instrument
    fills: tuple[Fill, ...] = Field(min_length=1)


class AverageResult(Frozen):
    """The fills as one position: its size, average entry and notional (USD for inverse)."""

    instrument: Instrument
    fills: tuple[Fill, ...]
    quantity: Decimal
    entry: Decimal
    notional: Decimal


class OpenPosition(Frozen):
    """Another linear position of a cross account, at its mark price, with its bracket's rates."""

    side: Side
    quantity: Decimal
    entry: Decimal
    mark: Decimal
    mmr: Decimal
    cum: Decimal = Decimal(0)
