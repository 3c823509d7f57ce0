"""Replies as members read them: the README's worked example, both languages, escaping, limits.

Results come straight from the engine with instruments built here, so these tests do not
depend on the parser or the shipped data file. Expected figures are worked out by hand in the
comments, never copied from the code's output.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from telegram.constants import MessageLimit

from chatbot.engine.liquidation import liquidation_check
from chatbot.engine.models import (
    Contract,
    ContractKind,
    FundingInput,
    HedgeInput,
    Instrument,
    LiqInput,
    LiquidationModel,
    MarginMode,
    PnlInput,
    Risk,
    Side,
    SizeInput,
    Tier,
    WarningCode,
)
from chatbot.engine.sizing import size_position
from chatbot.engine.trade import funding, hedge, profit_and_loss
from chatbot.evaluation.calculators import Check
from chatbot.evaluation.defaults import DefaultUsed
from chatbot.language.calculators import (
    FundingRequest,
    HedgeRequest,
    LiqRequest,
    PnlRequest,
    SizeRequest,
)
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.requests import QuantitySpec, StopSpec
from chatbot.render.errors import render_error
from chatbot.render.html import to_plain
from chatbot.render.i18n import available_languages, translator
from chatbot.render.results import render, render_details

D = Decimal
NBSP = "\xa0"  # CLDR puts a no-break space between a German number and its % or $ sign
LANGS = available_languages()

BINANCE_TIERS = (
    Tier(floor=D(0), cap=D(50000), max_leverage=D(125), mmr=D("0.004"), cum=D(0)),
    Tier(floor=D(50000), cap=D(600000), max_leverage=D(100), mmr=D("0.005"), cum=D(50)),
)
BTC = Instrument(
    venue="binance",
    venue_name="Binance USDⓈ-M",
    symbol="BTCUSDT",
    base="BTC",
    quote="USDT",
    inverse=False,
    liquidation=LiquidationModel.BINANCE_USDM,
    qty_step=D("0.001"),
    min_qty=D("0.001"),
    tick=D("0.10"),
    min_notional=D(5),
    tiers=BINANCE_TIERS,
    tiers_source="test table",
    tiers_as_of="2023-12-29",
)
PEPE = BTC.model_copy(
    update={
        "symbol": "PEPEUSDT",
        "base": "PEPE",
        "qty_step": D(1),
        "min_qty": D(1),
        "tick": D("0.000000001"),
    }
)
CME = Instrument(
    venue="cme",
    venue_name="CME",
    symbol="MBT",
    base="BTC",
    quote="USD",
    inverse=False,
    liquidation=LiquidationModel.NONE,
    qty_step=D("0.1"),
    min_qty=D("0.1"),
    tick=D(5),
    min_notional=D(0),
    contracts={"micro": D("0.1"), "standard": D(5)},
    tiers=(Tier(floor=D(0), cap=None, max_leverage=D(200), mmr=D(0), cum=D(0)),),
    tiers_source="test table",
    tiers_as_of="not applicable",
)
COINM = Instrument(
    venue="binance_coinm",
    venue_name="Binance COIN-M",
    symbol="BTCUSD_PERP",
    base="BTC",
    quote="USD",
    inverse=True,
    liquidation=LiquidationModel.BINANCE_COINM,
    qty_step=D(1),
    min_qty=D("0.0001"),
    tick=D("0.1"),
    min_notional=D(0),
    contract_value=D(100),
    tiers=(Tier(floor=D(0), cap=D(5), max_leverage=D(125), mmr=D("0.004"), cum=D(0)),),
    tiers_in_coin=True,
    tiers_source="test table",
    tiers_as_of="2023-12-29",
)
STEP = Contract(kind=ContractKind.STEP, size=D("0.001"))
GLOBAL_DEFAULTS = (
    DefaultUsed(name="risk", value="0.01", source="global"),
    DefaultUsed(name="fee", value="0.0005", source="venue"),
    DefaultUsed(name="margin_mode", value="isolated", source="global"),
    DefaultUsed(name="venue", value="binance", source="global"),
)


def size_check(
    instrument: Instrument = BTC,
    *,
    entry: str = "72000",
    stop: str = "71500",
    account: str = "1000",
    leverage: str = "20",
    risk: Risk | None = None,
    mode: MarginMode = MarginMode.ISOLATED,
    contract: Contract = STEP,
    target: str | None = None,
    defaults: tuple[DefaultUsed, ...] = GLOBAL_DEFAULTS,
) -> Check:
    """A /size check as the core would build it, with the default fee of 0.05%."""
    result = size_position(
        SizeInput(
            instrument=instrument,
            contract=contract,
            entry=D(entry),
            stop=D(stop),
            target=None if target is None else D(target),
            account=D(account),
            leverage=D(leverage),
            risk=risk or Risk(fraction=D("0.01")),
            fee_rate=D("0.0005"),
            margin_mode=mode,
        )
    )
    request = SizeRequest(
        symbol=instrument.base, entry=D(entry), stop=StopSpec(price=D(stop)), account=D(account)
    )
    return Check(request=request, result=result, defaults=defaults)


def warnings_of(check: Check) -> tuple[WarningCode, ...]:
    return tuple(getattr(check.result, "warnings", ()))


def plain(check: Check, lang: str = "en", **kwargs: object) -> str:
    return to_plain(render(check, lang, **kwargs))  # type: ignore[arg-type]


# --- the worked example --------------------------------------------------------------------


def details(check: Check, lang: str = "en") -> str:
    return to_plain(render_details(check.result, lang))


def test_worked_example_english() -> None:
    """The /size reply shows the worked example's size, loss, margin and liquidation in at most
    12 lines; the details add the rest."""
    text = plain(size_check())
    # loss per BTC = 500 + 0.0005 × (72000 + 71500) = 571.75; 10 / 571.75 = 0.01749 → 0.017;
    # notional 0.017 × 72000 = 1224
    assert "Size 0.017 BTC · $1,224.00" in text
    # loss 0.017 × 500 + 0.0005 × 0.017 × 143500 = 8.5 + 1.21975 = 9.72; budget 1% of 1000
    assert "Loss at stop $9.72 ≤ budget $10.00 (1%)" in text
    # margin 1224 / 20 = 61.20
    assert "Margin $61.20 at 20x" in text
    # stop distance 500 / 72000 = 0.694%
    assert "Entry $72,000.00 → stop $71,500.00 (0.69%)" in text
    # LP = (61.2 − 1224) / (0.017 × 0.004 − 0.017) = 68,674.70, below the stop at 71,500:
    # the stop fires first.
    assert "Liquidation ≈ $68,674.70: the stop fires first" in text
    assert "⛔ Leverage 20x: above the 10x limit for beginners" in text
    assert len(text.splitlines()) <= 12
    more = details(size_check())
    assert "Stop distance $500.00 (0.69%)" in more
    assert "= 17 × 0.001 BTC (Binance USDⓈ-M quantity step)" in more
    # (72000 − 68674.70) / 72000 = 4.62%; 71500 − 68674.70 = 2825.30
    assert "Liquidation ≈ $68,674.70, 4.62% below entry" in more
    assert "Stop is $2,825.30 above liquidation: it fires first." in more
    assert "Binance USDⓈ-M tier 1, MMR 0.40%, table of Dec 29, 2023" in more
    # 9.71975 / 1000 = 0.97%; fees 0.0005 × 0.017 × 143500 = 1.22
    assert "Loss at stop: 0.97% of your account, fees $1.22 included" in more
    # 1224 / 1000 = 1.224 account leverage, to one decimal like every leverage
    assert "Account leverage 1.2x" in more
    assert "LIQUIDATION COMES FIRST" not in text + more


def test_worked_example_order_follows_the_layout() -> None:
    """Trade, size, money, danger, verdict, defaults: the order of the README's "What a
    `/size` reply contains"."""
    text = plain(size_check())
    marks = ["Entry", "Size", "Loss at stop", "Margin", "Liquidation ≈", "⛔", "Defaults:"]
    positions = [text.index(mark) for mark in marks]
    assert positions == sorted(positions)


def test_worked_example_german_number_format() -> None:
    """German replies group with dots, use decimal commas and put % after a space."""
    text = plain(size_check(), "de")
    assert "0,017 BTC" in text
    assert f"1.224,00{NBSP}$" in text
    assert f"68.674,70{NBSP}$" in text
    assert "Verlust am Stop" in text
    more = details(size_check(), "de")
    assert f"4,62{NBSP}% unter dem Einstieg" in more
    assert f"2.825,30{NBSP}$" in more


def test_phone_sized_replies() -> None:
    """With a target, a rule broken, a feedback line and the defaults: at most 12 lines."""
    for check in (
        size_check(target="74000"),
        size_check(stop="68400"),
        size_check(leverage="5", risk=Risk(fraction=D("0.03")), target="74000"),
    ):
        text = plain(check, feedback="✅ Within your 1% rule, streak 4.")
        assert len(text.splitlines()) <= 12, text


def test_defaults_line_names_sources() -> None:
    """The last line lists each default with where it came from, member values as settings."""
    defaults = (*GLOBAL_DEFAULTS, DefaultUsed(name="account", value="1000", source="member"))
    text = plain(size_check(defaults=defaults))
    last = text.splitlines()[-1]
    expected = (
        "Defaults: risk 1% · fee 0.05% (venue) · isolated · Binance USDⓈ-M · "
        "account $1,000.00 (your settings)"
    )
    assert last == expected
    german = plain(size_check(defaults=defaults), "de").splitlines()[-1]
    assert german == (
        f"Voreinstellungen: Risiko 1{NBSP}% · Gebühr 0,05{NBSP}% (Börse) · isoliert · "
        f"Binance USDⓈ-M · Konto 1.000,00{NBSP}$ (deine Einstellungen)"
    )


def test_feedback_line_only_when_given() -> None:
    """The discipline line appears just before the defaults, and nothing when there is none."""
    line = "3 checks in a row within your rules."
    with_line = plain(size_check(), feedback=line).splitlines()
    assert with_line[-3:] == [line, "", with_line[-1]]
    assert line not in plain(size_check())


def test_target_and_r() -> None:
    """A target shows the R multiple; the details the reward after fees."""
    # reward = 0.017 × 1000 − 0.0005 × 0.017 × (72000 + 73000) = 17 − 1.2325 = 15.7675
    # R = 15.7675 / 9.71975 = 1.62
    assert "Target $73,000.00 = 1.62 R" in plain(size_check(target="73000"))
    assert "At the target: +$15.77 after fees" in details(size_check(target="73000"))


# --- danger --------------------------------------------------------------------------------


def test_liquidation_before_stop_is_loud() -> None:
    """20x with a 5% stop: liquidation at 68,674.70 comes before the stop at 68,400."""
    # loss/BTC = 3600 + 0.0005 × 140400 = 3670.2; 10 / 3670.2 = 0.0027 → 0.002 BTC; at tier 1
    # the isolated LP does not depend on size: (72000/20 − 72000) / (0.004 − 1) = 68,674.70
    check = size_check(stop="68400")
    assert WarningCode.LIQUIDATION_BEFORE_STOP in warnings_of(check)
    html = render(check, "en")
    assert "⛔ <b>Liquidation ≈ $68,674.70 comes first</b>: your stop never fires" in html
    assert "it fires first" not in to_plain(html)
    more = render_details(check.result, "en")
    assert "⚠️ <b>LIQUIDATION COMES FIRST</b>" in more
    assert "liquidated at $68,674.70, before your stop at $68,400.00" in to_plain(more)
    assert "LIQUIDATION KOMMT ZUERST" in details(check, "de")


def test_no_exchange_liquidation_explained() -> None:
    """CME has no exchange liquidation price: the reply says the broker calls for margin."""
    micro = Contract(kind=ContractKind.MICRO, size=D("0.1"))
    # loss/BTC = 1000 + 0.0005 × 143000 = 1071.5; budget 1% of 20000 = 200 → 0.1866 BTC → 1 micro
    check = size_check(
        CME, stop="71000", account="20000", leverage="5", contract=micro, defaults=()
    )
    text = plain(check)
    assert "Size 0.1 BTC · $7,200.00" in text
    assert "= 1 micro contract of 0.1 BTC" in details(check)
    both = text + details(check)
    assert both.count("ℹ️ CME sets no liquidation price: when your account runs short") == 1


def test_liquidation_at_zero() -> None:
    """At 1x isolated a long's liquidation is at zero: the margin covers a fall to zero."""
    text = plain(size_check(leverage="1"))
    assert "No liquidation: your margin covers a fall to zero." in text


def test_margin_cap_is_named() -> None:
    """A fixed $100 risk on a $100 account at 2x is capped by the margin, and says so."""
    # margin cap = 100 / (72000 × (1/2 + 0.0005)) = 0.00277 BTC < risk cap 100 / 571.75 = 0.17
    check = size_check(account="100", leverage="2", risk=Risk(amount=D(100)), defaults=())
    assert "Capped by the margin your account can post at 2x." in details(check)


# --- warnings ------------------------------------------------------------------------------


def warning_checks() -> dict[WarningCode, Check]:
    """One check that raises each warning code."""
    hedge_result = hedge(
        HedgeInput(
            instrument=BTC, contract=STEP, spot_value=D(5000), ratio=D("0.1"), price=D(72000)
        )
    )
    liq_cross = liquidation_check(
        LiqInput(
            instrument=BTC,
            entry=D(72000),
            leverage=D(20),
            side=Side.LONG,
            margin_mode=MarginMode.CROSS,
            quantity=D("0.017"),
            account=D(1000),
        )
    )
    micro = Contract(kind=ContractKind.MICRO, size=D("0.1"))
    pepe_step = Contract(kind=ContractKind.STEP, size=D(1))

    def liq(quantity: str, leverage: str = "125", mmr: str | None = None) -> Check:
        """A /liq the venue refuses: BINANCE_TIERS allows 125x to $50,000, 100x to $600,000."""
        result = liquidation_check(
            LiqInput(
                instrument=BTC,
                entry=D(72000),
                leverage=D(leverage),
                side=Side.LONG,
                margin_mode=MarginMode.ISOLATED,
                quantity=D(quantity),
                mmr_override=None if mmr is None else D(mmr),
            )
        )
        request = LiqRequest(symbol="BTC", entry=D(72000), leverage=D(leverage))
        return Check(request=request, result=result, defaults=())

    return {
        WarningCode.LIQUIDATION_BEFORE_STOP: size_check(stop="68400"),
        WarningCode.RISK_ABOVE_RULE: size_check(leverage="5", risk=Risk(fraction=D("0.1"))),
        WarningCode.LEVERAGE_ABOVE_LIMIT: size_check(),
        WarningCode.MIN_SIZE_EXCEEDS_RISK: size_check(account="50"),
        WarningCode.MIN_SIZE_EXCEEDS_MARGIN: size_check(
            account="2", leverage="1", risk=Risk(amount=D(100))
        ),
        WarningCode.FEES_LARGE_VS_STOP: size_check(stop="71990"),
        WarningCode.BELOW_MIN_NOTIONAL: size_check(
            PEPE, entry="0.000013841", stop="0.000013", account="1", contract=pepe_step
        ),
        WarningCode.CROSS_WHOLE_ACCOUNT: Check(
            request=LiqRequest(symbol="BTC", entry=D(72000), leverage=D(20)),
            result=liq_cross,
            defaults=(),
        ),
        WarningCode.NO_EXCHANGE_LIQUIDATION: size_check(
            CME, stop="71000", account="20000", leverage="5", contract=micro
        ),
        WarningCode.PARTIAL_HEDGE: Check(
            request=HedgeRequest(symbol="BTC", spot_value=D(5000)),
            result=hedge_result,
            defaults=(),
        ),
        # 1 BTC = $72,000 sits in the 100x bracket; 10 BTC = $720,000 is above its $600,000 cap
        WarningCode.LEVERAGE_ABOVE_TIER_MAX: liq("1"),
        WarningCode.NOTIONAL_ABOVE_VENUE_MAX: liq("10", leverage="20"),
        # margin 1/20 = 5% of the notional, below a maintenance rate of 49%
        WarningCode.MARGIN_BELOW_MAINTENANCE: liq("0.017", leverage="20", mmr="0.49"),
    }


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", list(WarningCode))
def test_every_warning_renders(code: WarningCode, lang: str) -> None:
    """Each warning code becomes one marked line in each language, no placeholder left."""
    check = warning_checks()[code]
    assert code in warnings_of(check)
    text = plain(check, lang) + "\n" + details(check, lang)
    marked = [line for line in text.splitlines() if line.startswith(("⚠️", "ℹ️", "⛔"))]
    assert len(marked) >= len(warnings_of(check))
    assert "{" not in text


def test_refused_position_words_english() -> None:
    """A position the venue refuses names the limits instead of pricing a liquidation."""
    checks = warning_checks()
    tier = plain(checks[WarningCode.LEVERAGE_ABOVE_TIER_MAX])
    assert "No liquidation price: the venue would not hold this position." in tier
    assert (
        "allows at most 100x on a position of $72,000.00; at 125x it takes at most $50,000" in tier
    )
    assert "Liquidation ≈" not in tier
    venue = plain(checks[WarningCode.NOTIONAL_ABOVE_VENUE_MAX])
    assert "takes at most $600,000.00 at 20x, less than this position of $720,000.00" in venue


def test_warning_words_english() -> None:
    """Warnings carry the figures: the rule multiple, the smallest loss, the venue minimum."""
    checks = warning_checks()
    risky = plain(checks[WarningCode.RISK_ABOVE_RULE])
    # 10% risk against the 1% rule is 10 times the rule
    assert "⛔ Risk 10%: 10× the 1% rule for beginners" in risky
    assert "acceptable" not in risky.lower()
    # 0.001 BTC × 571.75 = 0.57 > budget 1% of 50 = 0.50
    small = plain(checks[WarningCode.MIN_SIZE_EXCEEDS_RISK])
    assert "Even the smallest size (0.001 BTC) would lose $0.57, above your budget $0.50" in small
    assert "Size: none fits" in small
    # loss/PEPE = 0.000000841 + 0.0005 × 0.000026841 = 0.00000085442; 0.01 / that = 11,703.8
    # → 11,703 PEPE; 11,703 × 0.000013841 = 0.162 < the 5 USDT minimum order
    tiny = plain(checks[WarningCode.BELOW_MIN_NOTIONAL])
    assert "the venue's minimum order is $5 and this position is only $0.16" in tiny
    # money below a cent keeps 4 significant digits: 0.000000841
    assert "Entry $0.000013841 → stop $0.000013 (6.08%)" in tiny
    assert "Stop distance $0.000000841 (6.08%)" in details(checks[WarningCode.BELOW_MIN_NOTIONAL])
    hedged = plain(checks[WarningCode.PARTIAL_HEDGE])
    # 5000 × 10% = 500 → 500 / 72 per 0.001 BTC = 6.94 → 7 steps = 504 → 10.08% of the spot
    assert "Short 7 × 0.001 BTC (Binance USDⓈ-M quantity step) = 0.007 BTC ($504.00)" in hedged
    assert "covers only 10.08% of your spot: a full hedge is a short worth $5,000.00" in hedged
    assert "If the price drops 10%: your spot loses $500.00, the short gains $50.40." in hedged


# --- other commands ------------------------------------------------------------------------


def test_liq_reply() -> None:
    """/liq shows the size it assumed, the liquidation price and the tier."""
    result = liquidation_check(
        LiqInput(
            instrument=BTC,
            entry=D(72000),
            leverage=D(20),
            side=Side.LONG,
            margin_mode=MarginMode.ISOLATED,
            quantity=D("0.001"),
        )
    )
    defaults = (DefaultUsed(name="quantity", value="0.001", source="venue"),)
    check = Check(
        request=LiqRequest(symbol="BTC", entry=D(72000), leverage=D(20)),
        result=result,
        defaults=defaults,
    )
    text = plain(check)
    # 0.001 × 72000 = 72 notional, 72 / 20 = 3.60 margin, LP as in the worked example
    assert "Entry $72,000.00 at 20x, isolated: size 0.001 BTC ($72.00), margin $3.60" in text
    assert "Liquidation ≈ $68,674.70, 4.62% below entry" in text
    assert text.endswith("Defaults: quantity 0.001 BTC (venue)")


def test_pnl_reply_linear_with_r() -> None:
    """/pnl shows gross, fees, net, the move and R when a stop is known."""
    result = profit_and_loss(
        PnlInput(
            instrument=BTC,
            contract=STEP,
            side=Side.LONG,
            entry=D(72000),
            exit=D(73500),
            quantity=D("0.017"),
            fee_rate=D("0.0005"),
            stop=D(71500),
        )
    )
    check = Check(
        request=PnlRequest(
            symbol="BTC", entry=D(72000), exit=D(73500), quantity=QuantitySpec(amount=D("0.017"))
        ),
        result=result,
        defaults=(),
    )
    text = plain(check)
    # gross 0.017 × 1500 = 25.50; fees 0.0005 × 0.017 × 145500 = 1.23675; net 24.26
    assert "Entry $72,000.00 → exit $73,500.00: 2.08% in your favour" in text
    assert "Gross +$25.50 − fees $1.24 = net +$24.26" in text
    # R = 24.26325 / 9.71975 = 2.50
    assert "That is 2.5 R (risk at stop incl. fees $9.72)" in text


def test_pnl_reply_inverse_in_coin() -> None:
    """Inverse PnL is shown in the coin it settles in, and contracts in USD."""
    contract = Contract(kind=ContractKind.STEP, size=D(100))
    result = profit_and_loss(
        PnlInput(
            instrument=COINM,
            contract=contract,
            side=Side.SHORT,
            entry=D(80000),
            exit=D(64000),
            quantity=D(12),
            fee_rate=D(0),
        )
    )
    check = Check(
        request=PnlRequest(
            symbol="BTC", entry=D(80000), exit=D(64000), quantity=QuantitySpec(amount=D(12))
        ),
        result=result,
        defaults=(),
    )
    text = plain(check)
    # short 12 × 100 USD: 1200 × (1/80000 − 1/64000) × −1 = 1200 × 0.000003125 = 0.00375 BTC
    assert "Settled in BTC: +0.00375 BTC before fees" in text
    assert "12 contracts of $100" in text
    assert "20.00% in your favour" in text


def test_hedge_without_price_asks_for_it() -> None:
    """A linear hedge without a price says how to add one, and still states the ratio."""
    result = hedge(HedgeInput(instrument=BTC, contract=STEP, spot_value=D(5000), ratio=D(1)))
    check = Check(
        request=HedgeRequest(symbol="BTC", spot_value=D(5000)),
        result=result,
        defaults=(DefaultUsed(name="ratio", value="1", source="global"),),
    )
    html = render(check, "en")
    assert "Add <code>price 72000</code> to get the number of contracts." in html
    text = to_plain(html)
    assert "Spot $5,000.00 × hedge ratio 100% = short $5,000.00" in text
    assert text.endswith("Defaults: hedge ratio 100%")


@pytest.mark.parametrize(
    ("side", "rate", "says"),
    [
        (Side.LONG, "0.0001", "You pay $3.00."),
        (Side.SHORT, "0.0001", "You receive $3.00."),
        (Side.LONG, "-0.0001", "You receive $3.00."),
    ],
)
def test_funding_reply(side: Side, rate: str, says: str) -> None:
    """Funding says who pays and over how many intervals."""
    # 10000 × 0.01% × 24 h / 8 h = 1 × 3 = 3.00
    result = funding(
        FundingInput(
            instrument=BTC,
            side=side,
            notional=D(10000),
            rate=D(rate),
            hours=D(24),
            interval_hours=D(8),
        )
    )
    check = Check(
        request=FundingRequest(symbol="BTC", notional=D(10000), rate=D(rate)),
        result=result,
        defaults=(),
    )
    text = plain(check)
    assert "for 24 h (3 funding intervals)" in text
    assert says in text


# --- errors --------------------------------------------------------------------------------

ALL_PARAMS = {
    "suggestion": "stop",
    "other": "short",
    "other_bot": "otherbot",
    "what": "account",
    "known": "binance, bybit",
    "venue": "binance",
    "symbol": "BTCUSDT",
    "offered": "micro 0.1, standard 5",
    "unit": "0.1",
    "maximum": "125",
    "limit": "30",
    "max_chars": "1000",
    "low": "1",
    "high": "200",
    "side": "long",
    "decimal": "72",
    "thousands": "72000",
    "digits": "0-9",
    "as_of": "2024-10-24",
    "suggestions": "SUI, SEI",
    "listed_on": "Binance USDⓈ-M",
    "venue_hint": "venue binance",
    "example_venue": "venue binance",
    "last_price": "71950",
    "last_at": "2026-11-30 05:10:00 UTC",
    "coin": "ETH",
    "base": "BTC",
    "value": "100",
    "price": "5000",
    "rule": "0.02",
}
EXAMPLE = "/size BTC 72000 stop 71500 acct 1000 lev 20"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("params", [ALL_PARAMS, {}], ids=["all-params", "word-only"])
@pytest.mark.parametrize("code", list(ErrorCode))
def test_every_error_renders(code: ErrorCode, params: dict[str, str], lang: str) -> None:
    """Each error names the typed word, shows the example, and leaves no placeholder."""
    word = "" if code is ErrorCode.EMPTY else "zz9"
    text = to_plain(render_error(CommandError(code, word=word, example=EXAMPLE, **params), lang))
    if code is ErrorCode.MISSING_DEFAULT and params:
        # the core's `word` is the internal name (`account`): the reply names it in words and
        # shows what to type instead
        assert "acct 1000" in text and "/settings acct 1000" in text
    else:
        assert word in text
    assert text.endswith(EXAMPLE)
    assert "{" not in text and "}" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_errors_have_their_own_messages(lang: str) -> None:
    """No two error codes share a message, so each problem is named precisely."""
    messages = {
        to_plain(render_error(CommandError(code, word="zz9", **ALL_PARAMS), lang))
        for code in ErrorCode
    }
    assert len(messages) == len(ErrorCode)


def test_error_uses_params() -> None:
    """Suggestions, missing defaults and venue limits come out in words a member can act on."""
    unknown = CommandError(
        ErrorCode.UNKNOWN_KEYWORD, word="stpo", example=EXAMPLE, suggestion="stop"
    )
    assert render_error(unknown, "en").startswith(
        "❌ I don't know the word <code>stpo</code>. Did you mean <code>stop</code>?\n"
        "Example: <code>/size BTC 72000"
    )
    missing = CommandError(ErrorCode.MISSING_DEFAULT, word="account", what="account")
    assert to_plain(render_error(missing, "en")) == (
        "❌ I need your account size: add acct 1000 to the command, or save it once with "
        "/settings acct 1000."
    )
    venue_max = CommandError(ErrorCode.LEVERAGE_ABOVE_VENUE_MAX, word="150x", maximum="125")
    assert "maximum of 125x" in to_plain(render_error(venue_max, "en"))
    assert "Maximum der Börse von 125x" in to_plain(render_error(venue_max, "de"))


def test_hostile_words_are_escaped() -> None:
    """Tags typed by a member or found in data are shown as text, never as markup."""
    error = CommandError(
        ErrorCode.UNKNOWN_KEYWORD, word="<b>x</b>&", example="/size <i>", suggestion="<a href=x>"
    )
    html = render_error(error, "en")
    assert "&lt;b&gt;x&lt;/b&gt;&amp;" in html
    assert "&lt;a href=x&gt;" in html and "&lt;i&gt;" in html
    assert "<b>x" not in html and "<a " not in html and "<i>" not in html
    hostile = BTC.model_copy(update={"symbol": "<b>BTC", "venue_name": "Evil & Co"})
    reply = render(size_check(hostile), "en")
    assert "&lt;b&gt;BTC" in reply and "Evil &amp; Co" in reply


def test_only_telegram_tags() -> None:
    """Replies use only the tags Telegram's HTML mode accepts."""
    allowed = {"b", "i", "code", "u", "blockquote"}
    replies = [render(check, lang) for check in warning_checks().values() for lang in LANGS]
    for reply in replies:
        tags = set(re.findall(r"</?([a-z]+)", reply))
        assert tags <= allowed, tags


# --- numbers and limits --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "value", "currency", "shown"),
    [
        ("en", "0.000013841", None, "0.000013841"),
        ("en", "0.000013841", "USDT", "$0.000013841"),
        ("de", "0.000013841", None, "0,000013841"),
        ("en", "72000", None, "72,000.00"),
        ("en", "72000", "USD", "$72,000.00"),
        ("de", "72000", "USDT", f"72.000,00{NBSP}$"),
        ("en", "68674.69883", "USDT", "$68,674.70"),
        ("en", "1.23456", None, "1.2346"),
        ("en", "100000000000000000000", None, "100,000,000,000,000,000,000.00"),
    ],
)
def test_price_format(lang: str, value: str, currency: str | None, shown: str) -> None:
    """Prices keep ≥ 2 decimals and ≥ 5 significant digits, never 0.000000 or 1E+20."""
    assert translator(lang).price(D(value), currency) == shown


def test_quantity_money_percent_format() -> None:
    """Sizes are exact, coins get their symbol, percentages two decimals in the locale's style."""
    en, de = translator("en"), translator("de")
    assert en.qty(D("0.0170")) == "0.017"
    assert en.qty(D(1200) / D(72000)) == "0.01666667"
    assert en.money(D("0.00085"), "BTC") == "0.00085 BTC"
    assert en.money(D("1224"), "USDT") == "$1,224.00"
    assert en.percent(D("0.0069444")) == "0.69%"
    assert en.percent(D("0.0462")) == "4.62%"
    assert de.percent(D("0.0069444")) == f"0,69{NBSP}%"
    assert en.percent(D("0.00001")) == "0.001%"


def test_unknown_language_falls_back_to_english() -> None:
    """A member whose language has no catalog reads English; regional codes find their base."""
    assert translator("xx").lang == "en"
    assert translator("de-AT").lang == "de"
    assert plain(size_check(), "xx") == plain(size_check(), "en")


def test_longest_replies_fit_one_message() -> None:
    """The fullest /size reply and an error echoing a flood stay under Telegram's limit."""
    pepe_step = Contract(kind=ContractKind.STEP, size=D(1))
    defaults = tuple(
        DefaultUsed(name=name, value="x" * 500, source="member")
        for name in ("risk", "fee", "margin_mode", "venue", "account", "leverage", "side")
    )
    # cross, 50% risk, 50x, fees against a tight stop: four warnings at once
    fullest = size_check(
        PEPE,
        entry="0.000013841",
        stop="0.0000138",
        account="1",
        leverage="50",
        risk=Risk(fraction=D("0.5")),
        mode=MarginMode.CROSS,
        contract=pepe_step,
        target="0.00002",
        defaults=defaults,
    )
    assert len(warnings_of(fullest)) == 4
    for lang in LANGS:
        reply = render(fullest, lang, feedback="y" * 5000)
        assert len(reply) < MessageLimit.MAX_TEXT_LENGTH
    flood = "w" * 5000
    error = CommandError(
        ErrorCode.UNKNOWN_CONTRACT,
        word=flood,
        example=flood,
        **{key: flood for key in ALL_PARAMS},
    )
    for lang in LANGS:
        assert len(render_error(error, lang)) < MessageLimit.MAX_TEXT_LENGTH
