"""Results and errors as Telegram HTML in the member's language: the only place with words.

The engine and the core return figures and codes; this module decides how a beginner reads
them. Every string that comes from a member or a data file is escaped (an unescaped `<` breaks
the whole reply), clipped so the reply stays under Telegram's 4,096 characters, and placed
outside the translatable text, so catalogs hold plain sentences with `{placeholders}` only.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from chatbot.engine.models import (
    Contract,
    ContractKind,
    FundingResult,
    HedgeResult,
    Instrument,
    LiqResult,
    LiquidationModel,
    MarginMode,
    PnlResult,
    Rules,
    Side,
    SizeCap,
    SizeResult,
    Tier,
    WarningCode,
)
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.render.html import WORD_LIMIT
from chatbot.render.html import bold as _bold
from chatbot.render.html import code as _code
from chatbot.render.html import escape as _e
from chatbot.render.i18n import COIN_DECIMALS, N_, Translator, translator

if TYPE_CHECKING:
    from chatbot.core import Check, DefaultUsed, Result

LIST_LIMIT = 400
EXAMPLE_LIMIT = 200
FEEDBACK_LIMIT = 600
TEN_PERCENT = Decimal("0.1")
ZERO = Decimal(0)
_TAG = re.compile(r"<[^>]*>")

# --- small pieces --------------------------------------------------------------------------


_WORDS = {
    "long": N_("long"),
    "short": N_("short"),
    "isolated": N_("isolated"),
    "cross": N_("cross"),
}


def _word(tr: Translator, value: str) -> str:
    """A fixed word of the command language (side, margin mode) in the member's language."""
    known = _WORDS.get(value)
    return tr.gettext(known) if known else _e(value)


def _leverage(tr: Translator, value: Decimal) -> str:
    return f"{tr.number(value, 0, 2)}x"


def _units(tr: Translator, value: Decimal, asset: str) -> str:
    """A size in base units with its asset: 0.017 BTC."""
    return f"{tr.qty(value)} {_e(asset)}"


def _header(instrument: Instrument, *extra: str) -> str:
    parts = [_bold(_e(instrument.symbol)), _e(instrument.venue_name), *extra]
    return " · ".join(parts)


def _plural_n(count: Decimal) -> int:
    """gettext plural rules take integers; a fraction (1.5 intervals) takes the plural form 2."""
    return int(count) if count == count.to_integral_value() else 2


# --- contracts -----------------------------------------------------------------------------


def _contracts(tr: Translator, instrument: Instrument, contract: Contract, count: Decimal) -> str:
    """How many of the chosen unit: a step count, named contracts, or inverse USD contracts."""
    n, shown = _plural_n(count), tr.number(count, 0, COIN_DECIMALS)
    if instrument.inverse:
        value = tr.money(contract.size, "USD", exact=True)
        return tr.ngettext(
            "{count} contract of {value}",
            "{count} contracts of {value}",
            n,
            count=shown,
            value=value,
        )
    size = _units(tr, contract.size, instrument.base)
    match contract.kind:
        case ContractKind.STEP:
            return tr.gettext(
                "{count} × {size} ({venue} quantity step)",
                count=shown,
                size=size,
                venue=_e(instrument.venue_name),
            )
        case ContractKind.STANDARD:
            return tr.ngettext(
                "{count} standard contract of {size}",
                "{count} standard contracts of {size}",
                n,
                count=shown,
                size=size,
            )
        case ContractKind.MICRO:
            return tr.ngettext(
                "{count} micro contract of {size}",
                "{count} micro contracts of {size}",
                n,
                count=shown,
                size=size,
            )
        case ContractKind.NANO:
            return tr.ngettext(
                "{count} nano contract of {size}",
                "{count} nano contracts of {size}",
                n,
                count=shown,
                size=size,
            )
        case _:
            return tr.ngettext(
                "{count} contract of {size} (your size)",
                "{count} contracts of {size} (your size)",
                n,
                count=shown,
                size=size,
            )


# --- danger --------------------------------------------------------------------------------


def _tier_line(tr: Translator, instrument: Instrument, tier: Tier | None) -> str | None:
    """Name the table used: three formulas circulate, only the venue's own tiered one is right."""
    if tier is None:
        return None
    mmr = tr.percent(tier.mmr)
    if tier not in instrument.tiers:
        return tr.gettext("MMR {mmr} (your value)", mmr=mmr)
    values = {
        "venue": _e(instrument.venue_name),
        "tier": tr.number(Decimal(instrument.tiers.index(tier) + 1)),
        "mmr": mmr,
    }
    dated = tr.date(instrument.tiers_as_of)
    if dated is None:
        return tr.gettext(
            "{venue} tier {tier}, MMR {mmr} (table: {as_of})",
            as_of=_e(instrument.tiers_as_of),
            **values,
        )
    return tr.gettext("{venue} tier {tier}, MMR {mmr}, table of {date}", date=dated, **values)


def _no_liquidation_price(tr: Translator, instrument: Instrument) -> str:
    """CME and other regulated futures have margin calls, not a liquidation price."""
    return tr.gettext(
        "{venue} sets no liquidation price: when your account runs short, your broker asks for "
        "more money (a margin call) or closes the position.",
        venue=_e(instrument.venue_name),
    )


def _liquidation_line(
    tr: Translator,
    instrument: Instrument,
    side: Side,
    price: Decimal | None,
    distance: Decimal | None,
) -> str:
    if price is None or instrument.liquidation is LiquidationModel.NONE:
        return "ℹ️ " + _no_liquidation_price(tr, instrument)
    if price == 0:
        return tr.gettext("No liquidation: your margin covers a fall to zero.")
    values = {
        "price": _bold(tr.price(price, instrument.quote)),
        "distance": tr.percent(distance or ZERO),
    }
    if side is Side.LONG:
        return tr.gettext("Liquidation ≈ {price}, {distance} below entry", **values)
    return tr.gettext("Liquidation ≈ {price}, {distance} above entry", **values)


def _stop_vs_liquidation(tr: Translator, result: SizeResult) -> str | None:
    """The loud line when liquidation comes first, else how far the stop sits before it."""
    gap, price = result.stop_to_liquidation, result.liquidation_price
    if gap is None or price is None or price == 0:
        return None
    quote = result.instrument.quote
    if WarningCode.LIQUIDATION_BEFORE_STOP in result.warnings:
        loud = _bold(tr.gettext("LIQUIDATION COMES FIRST"))
        return (
            "⚠️ "
            + loud
            + ": "
            + tr.gettext(
                "you are liquidated at {liquidation}, before your stop at {stop}: your stop never "
                "fires. Use less leverage or a closer stop.",
                liquidation=tr.price(price, quote),
                stop=tr.price(result.stop, quote),
            )
        )
    values = {"gap": tr.price(gap, quote)}
    if result.side is Side.LONG:
        return tr.gettext("Stop is {gap} above liquidation: it fires first.", **values)
    return tr.gettext("Stop is {gap} below liquidation: it fires first.", **values)


# --- warnings ------------------------------------------------------------------------------


def _size_of(result: Result) -> SizeResult:
    """Warnings raised only by sizing read sizing figures; anything else is a programming error."""
    assert isinstance(result, SizeResult), result
    return result


def _smallest(tr: Translator, result: SizeResult) -> str:
    """The smallest openable size, recovered from what it would lose per base unit."""
    return _units(tr, result.min_size_loss / result.loss_per_unit, result.instrument.base)


def _risk_above_rule(tr: Translator, result: Result, rules: Rules) -> str:
    size = _size_of(result)
    return tr.gettext(
        "This risks {risk} of your account: {multiple}× your {rule} rule. Beginners stay at "
        "{rule} or less per trade.",
        risk=tr.percent(size.risk_fraction),
        multiple=tr.number(size.risk_fraction / rules.max_risk, 0, 1),
        rule=tr.percent(rules.max_risk, exact=True),
    )


def _leverage_above_limit(tr: Translator, result: Result, rules: Rules) -> str:
    size = _size_of(result)
    return tr.gettext(
        "Leverage {leverage} is above the {limit} limit for beginners: it does not change the "
        "risk, but it brings liquidation closer.",
        leverage=_leverage(tr, size.leverage),
        limit=_leverage(tr, rules.max_leverage),
    )


def _min_size_exceeds_risk(tr: Translator, result: Result, rules: Rules) -> str:
    size = _size_of(result)
    quote = size.instrument.quote
    return tr.gettext(
        "Even the smallest size ({size}) would lose {loss}, above your budget {budget}: skip "
        "this trade or use a closer stop.",
        size=_smallest(tr, size),
        loss=tr.money(size.min_size_loss, quote),
        budget=tr.money(size.risk_budget, quote),
    )


def _min_size_exceeds_margin(tr: Translator, result: Result, rules: Rules) -> str:
    size = _size_of(result)
    return tr.gettext(
        "Even the smallest size ({size}) needs more margin than your account of {account} can "
        "post at {leverage}.",
        size=_smallest(tr, size),
        account=tr.money(size.account, size.instrument.quote),
        leverage=_leverage(tr, size.leverage),
    )


def _fees_large_vs_stop(tr: Translator, result: Result, rules: Rules) -> str:
    size = _size_of(result)
    quote = size.instrument.quote
    return tr.gettext(
        "Fees are {fees} of the {loss} loss at stop ({share}): the stop is so close that fees "
        "eat much of the trade.",
        fees=tr.money(size.fees, quote),
        loss=tr.money(size.loss_at_stop, quote),
        share=tr.percent(size.fees / size.loss_at_stop),
    )


def _below_min_notional(tr: Translator, result: Result, rules: Rules) -> str:
    size = _size_of(result)
    quote = size.instrument.quote
    return tr.gettext(
        "This cannot be opened: the venue's minimum order is {minimum} and this position is "
        "only {notional}.",
        minimum=tr.money(size.instrument.min_notional, quote, exact=True),
        notional=tr.money(size.notional, quote),
    )


def _cross_whole_account(tr: Translator, result: Result, rules: Rules) -> str:
    account = result.wallet_balance if isinstance(result, LiqResult) else _size_of(result).account
    return tr.gettext(
        "Cross margin: your whole account ({account}) backs this position and is at stake, not "
        "only the margin.",
        account=tr.money(account, result.instrument.quote),
    )


def _no_exchange_liquidation(tr: Translator, result: Result, rules: Rules) -> str:
    return _no_liquidation_price(tr, result.instrument)


def _partial_hedge(tr: Translator, result: Result, rules: Rules) -> str:
    assert isinstance(result, HedgeResult), result
    return tr.gettext(
        "This short covers only {ratio} of your spot: a full hedge is a short worth {spot}.",
        ratio=tr.percent(result.actual_ratio or ZERO),
        spot=tr.money(result.spot_value, result.instrument.quote),
    )


def _liquidation_before_stop(tr: Translator, result: Result, rules: Rules) -> str:
    line = _stop_vs_liquidation(tr, _size_of(result))
    assert line is not None
    return line


_Builder = Callable[[Translator, "Result", Rules], str]
_WARNINGS: dict[WarningCode, _Builder] = {
    WarningCode.LIQUIDATION_BEFORE_STOP: _liquidation_before_stop,
    WarningCode.RISK_ABOVE_RULE: _risk_above_rule,
    WarningCode.LEVERAGE_ABOVE_LIMIT: _leverage_above_limit,
    WarningCode.MIN_SIZE_EXCEEDS_RISK: _min_size_exceeds_risk,
    WarningCode.MIN_SIZE_EXCEEDS_MARGIN: _min_size_exceeds_margin,
    WarningCode.FEES_LARGE_VS_STOP: _fees_large_vs_stop,
    WarningCode.BELOW_MIN_NOTIONAL: _below_min_notional,
    WarningCode.CROSS_WHOLE_ACCOUNT: _cross_whole_account,
    WarningCode.NO_EXCHANGE_LIQUIDATION: _no_exchange_liquidation,
    WarningCode.PARTIAL_HEDGE: _partial_hedge,
}
_INFO_ONLY = frozenset({WarningCode.NO_EXCHANGE_LIQUIDATION})


def _warning_lines(
    tr: Translator, result: Result, rules: Rules, shown: Iterable[WarningCode] = ()
) -> list[str]:
    """One plain line per warning, skipping those already said in the danger section."""
    skip = set(shown)
    lines = []
    for code in getattr(result, "warnings", ()):
        if code in skip:
            continue
        mark = "ℹ️ " if code in _INFO_ONLY else "⚠️ "
        text = _WARNINGS[code](tr, result, rules)
        lines.append(text if text.startswith("⚠️") else mark + text)
    return lines


# --- /size ---------------------------------------------------------------------------------


def _size_trade(tr: Translator, r: SizeResult) -> list[str]:
    """Section 1: what the member asked, so a typo in the entry or stop is seen at once."""
    quote = r.instrument.quote
    lines = [
        _header(r.instrument, _word(tr, r.side.value)),
        tr.gettext(
            "Entry {entry} → stop {stop} ({distance}, {percent})",
            entry=tr.price(r.entry, quote),
            stop=tr.price(r.stop, quote),
            distance=tr.price(r.stop_distance, quote),
            percent=tr.percent(r.stop_distance_pct),
        ),
    ]
    if r.target is not None and r.reward_at_target is not None and r.r_multiple is not None:
        lines.append(
            tr.gettext(
                "Target {target}: {reward} after fees = {r} R",
                target=tr.price(r.target, quote),
                reward=tr.signed_money(r.reward_at_target, quote),
                r=tr.number(r.r_multiple, 0, 2),
            )
        )
    return lines


def _size_size(tr: Translator, r: SizeResult) -> list[str]:
    """Section 2: the size in base units and in the contracts the member will actually click."""
    if r.quantity == 0:
        return [tr.gettext("Size: none fits, see the warning below.")]
    quantity = _bold(_units(tr, r.quantity, r.instrument.base))
    return [
        tr.gettext(
            "Size: {quantity} = {contracts}",
            quantity=quantity,
            contracts=_contracts(tr, r.instrument, r.contract, r.contracts),
        ),
        tr.gettext(
            "Position value (notional): {notional}",
            notional=tr.money(r.notional, r.instrument.quote),
        ),
    ]


_CAPS = {
    SizeCap.MARGIN: N_("Capped by the margin your account can post at {leverage}."),
    SizeCap.VENUE_LEVERAGE: N_("Capped by the venue's maximum position at {leverage}."),
}


def _size_money(tr: Translator, r: SizeResult) -> list[str]:
    """Section 3: the loss at stop with fees inside the budget, then what the leverage locks."""
    quote = r.instrument.quote
    values = {
        "loss": _bold(tr.money(r.loss_at_stop, quote)),
        "loss_pct": tr.percent(r.loss_at_stop_pct),
        "budget": tr.money(r.risk_budget, quote),
        "budget_pct": tr.percent(r.risk_fraction),
    }
    if r.loss_at_stop <= r.risk_budget:
        loss = tr.gettext(
            "Loss at stop incl. fees {loss} ({loss_pct} of account) ≤ budget {budget} "
            "({budget_pct})",
            **values,
        )
    else:
        loss = tr.gettext(
            "Loss at stop incl. fees {loss} ({loss_pct} of account) > budget {budget} "
            "({budget_pct})",
            **values,
        )
    lines = [
        loss,
        tr.gettext(
            "Margin at {leverage}: {margin} · account leverage {effective}",
            leverage=_leverage(tr, r.leverage),
            margin=tr.money(r.initial_margin, quote),
            effective=_leverage(tr, r.effective_leverage),
        ),
    ]
    cap = _CAPS.get(r.size_cap)
    if cap is not None:
        lines.append(tr.gettext(cap, leverage=_leverage(tr, r.leverage)))
    return lines


def _size_danger(tr: Translator, r: SizeResult) -> list[str]:
    """Section 4: where the venue closes the position, and whether the stop gets there first."""
    lines = [
        _liquidation_line(tr, r.instrument, r.side, r.liquidation_price, r.liquidation_distance_pct)
    ]
    for line in (_stop_vs_liquidation(tr, r), _tier_line(tr, r.instrument, r.tier)):
        if line is not None:
            lines.append(line)
    if r.margin_mode is MarginMode.ISOLATED and r.liquidation_price is not None:
        lines.append(
            tr.gettext(
                "Isolated margin: liquidation takes at most the {margin} margin.",
                margin=tr.money(r.initial_margin, r.instrument.quote),
            )
        )
    return lines


# Said where the danger is described, so the warnings below do not repeat them.
_SAID_IN_DANGER = frozenset(
    {WarningCode.LIQUIDATION_BEFORE_STOP, WarningCode.NO_EXCHANGE_LIQUIDATION}
)


def _size_sections(tr: Translator, r: SizeResult, rules: Rules) -> list[list[str]]:
    warnings = _warning_lines(tr, r, rules, shown=_SAID_IN_DANGER)
    if r.quantity == 0:
        return [_size_trade(tr, r), _size_size(tr, r), warnings]
    return [
        _size_trade(tr, r),
        _size_size(tr, r),
        _size_money(tr, r),
        _size_danger(tr, r),
        warnings,
    ]


# --- /liq, /pnl, /hedge, /funding ----------------------------------------------------------


def _liq_sections(tr: Translator, r: LiqResult, rules: Rules) -> list[list[str]]:
    quote = r.instrument.quote
    summary = tr.gettext(
        "Entry {entry} at {leverage}, {mode}: size {quantity} ({notional}), margin {margin}",
        entry=tr.price(r.entry, quote),
        leverage=_leverage(tr, r.leverage),
        mode=_word(tr, r.margin_mode.value),
        quantity=_units(tr, r.quantity, r.instrument.base),
        notional=tr.money(r.notional, quote),
        margin=tr.money(r.initial_margin, quote),
    )
    danger = [
        _liquidation_line(tr, r.instrument, r.side, r.liquidation_price, r.liquidation_distance_pct)
    ]
    tier = _tier_line(tr, r.instrument, r.tier)
    if tier is not None and r.liquidation_price:
        danger.append(tier)
    header = _header(r.instrument, _word(tr, r.side.value))
    return [[header, summary], danger, _warning_lines(tr, r, rules, shown=_SAID_IN_DANGER)]


def _pnl_sections(tr: Translator, r: PnlResult) -> list[list[str]]:
    quote = r.instrument.quote
    move = {
        "entry": tr.price(r.entry, quote),
        "exit": tr.price(r.exit, quote),
        "move": tr.percent(abs(r.move_pct)),
    }
    if r.move_pct >= 0:
        moved = tr.gettext("Entry {entry} → exit {exit}: {move} in your favour", **move)
    else:
        moved = tr.gettext("Entry {entry} → exit {exit}: {move} against you", **move)
    size = _units(tr, r.quantity, r.instrument.base)
    if r.contract.kind is not ContractKind.STEP or r.instrument.inverse:
        size = f"{size} = {_contracts(tr, r.instrument, r.contract, r.contracts)}"
    lines = [
        _header(r.instrument, _word(tr, r.side.value)),
        moved,
        tr.gettext(
            "Size {size} · position value {notional}",
            size=size,
            notional=tr.money(r.notional, quote),
        ),
        tr.gettext(
            "Gross {gross} − fees {fees} = net {net}",
            gross=tr.signed_money(r.gross, quote),
            fees=tr.money(r.fees, quote),
            net=_bold(tr.signed_money(r.net, quote)),
        ),
    ]
    if r.gross_coin is not None:
        lines.append(
            tr.gettext(
                "Settled in {coin}: {amount} before fees",
                coin=_e(r.instrument.base),
                amount=tr.signed_money(r.gross_coin, r.instrument.base),
            )
        )
    if r.r_multiple is not None and r.risk_at_stop is not None:
        lines.append(
            tr.gettext(
                "That is {r} R (risk at stop incl. fees {risk})",
                r=tr.number(r.r_multiple, 0, 2),
                risk=tr.money(r.risk_at_stop, quote),
            )
        )
    return [lines]


def _hedge_sections(tr: Translator, r: HedgeResult, rules: Rules) -> list[list[str]]:
    quote = r.instrument.quote
    plan = tr.gettext(
        "Spot {spot} × hedge ratio {ratio} = short {target}",
        spot=tr.money(r.spot_value, quote),
        ratio=tr.percent(r.ratio, exact=True),
        target=tr.money(r.hedge_notional, quote),
    )
    if r.contracts is None or r.hedged_notional is None or r.actual_ratio is None:
        add = tr.gettext(
            "Add {example} to get the number of contracts.", example=_code("price 72000")
        )
        return [[_header(r.instrument, tr.gettext("hedge")), plan, add]]
    short = _contracts(tr, r.instrument, r.contract, r.contracts)
    if r.quantity is not None:
        short = f"{short} = {_units(tr, r.quantity, r.instrument.base)}"
    lines = [
        _header(r.instrument, tr.gettext("hedge")),
        plan,
        tr.gettext(
            "Short {contracts} ({hedged})",
            contracts=_bold(short),
            hedged=tr.money(r.hedged_notional, quote),
        ),
        tr.gettext("Hedge ratio reached: {ratio}", ratio=_bold(tr.percent(r.actual_ratio))),
        tr.gettext(
            "If the price drops 10%: your spot loses {loss}, the short gains {gain}.",
            loss=tr.money(r.spot_value * TEN_PERCENT, quote),
            gain=tr.money(r.gain_on_ten_pct_drop or ZERO, quote),
        ),
    ]
    return [lines, _warning_lines(tr, r, rules)]


def _funding_sections(tr: Translator, r: FundingResult) -> list[list[str]]:
    quote = r.instrument.quote
    period = tr.ngettext(
        "{notional} at {rate} per {interval} h, for {hours} h ({count} funding interval)",
        "{notional} at {rate} per {interval} h, for {hours} h ({count} funding intervals)",
        _plural_n(r.intervals),
        notional=tr.money(r.notional, quote),
        rate=tr.percent(r.rate),
        interval=tr.number(r.interval_hours),
        hours=tr.number(r.hours),
        count=tr.number(r.intervals),
    )
    amount = _bold(tr.money(r.amount, quote))
    if r.amount == 0:
        outcome = tr.gettext("Nothing to pay or receive: the rate is zero.")
    elif r.pays:
        outcome = tr.gettext("You pay {amount}.", amount=amount)
    else:
        outcome = tr.gettext("You receive {amount}.", amount=amount)
    header = _header(r.instrument, tr.gettext("funding"), _word(tr, r.side.value))
    return [[header, period, outcome]]


# --- defaults ------------------------------------------------------------------------------

_DEFAULT_LABELS = {
    "risk": N_("risk {value}"),
    "fee": N_("fee {value}"),
    "account": N_("account {value}"),
    "leverage": N_("leverage {value}"),
    "quantity": N_("quantity {value}"),
    "ratio": N_("hedge ratio {value}"),
    "hours": N_("for {value}"),
    "funding_interval": N_("funding every {value}"),
}
_SOURCES = {
    "member": N_("your settings"),
    "group": N_("group"),
    "venue": N_("venue"),
}


def _as_decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value.replace("$", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _default_value(tr: Translator, default: DefaultUsed, result: Result) -> str:
    """The stored text of a default (`0.01`, `$25`, `binance`) as a member reads it."""
    name, raw = default.name, default.value
    instrument = result.instrument
    number = _as_decimal(raw)
    if name == "venue":
        return _e(instrument.venue_name if instrument.venue == raw else raw)
    if number is None:
        return _word(tr, raw)
    if (name == "risk" and raw.startswith("$")) or name == "account":
        return tr.money(number, instrument.quote)
    if name in {"risk", "fee", "ratio"}:
        return tr.percent(number, exact=True)
    if name == "leverage":
        return _leverage(tr, number)
    if name == "quantity":
        return _units(tr, number, instrument.base)
    if name in {"hours", "funding_interval"}:
        return tr.gettext("{hours} h", hours=tr.number(number))
    return _e(raw)


def _default_item(tr: Translator, default: DefaultUsed, result: Result) -> str:
    value = _default_value(tr, default, result)
    label = _DEFAULT_LABELS.get(default.name)
    text = tr.gettext(label, value=value) if label else value
    source = _SOURCES.get(default.source)
    return f"{text} ({tr.gettext(source)})" if source else text


def _defaults_line(tr: Translator, check: Check) -> str | None:
    """Section 7: every value the member did not type, so no figure rests on a hidden guess."""
    if not check.defaults:
        return None
    items = " · ".join(_default_item(tr, default, check.result) for default in check.defaults)
    line = tr.gettext("Defaults: {items}", items=items)
    return f"<i>{line}</i>"


# --- public --------------------------------------------------------------------------------


def _sections(tr: Translator, result: Result, rules: Rules) -> list[list[str]]:
    match result:
        case SizeResult():
            return _size_sections(tr, result, rules)
        case LiqResult():
            return _liq_sections(tr, result, rules)
        case PnlResult():
            return _pnl_sections(tr, result)
        case HedgeResult():
            return _hedge_sections(tr, result, rules)
        case FundingResult():
            return _funding_sections(tr, result)
    raise TypeError(f"no layout for {type(result).__name__}")


def render(check: Check, lang: str, feedback: str | None = None, rules: Rules | None = None) -> str:
    """One reply for one finished check, in `lang` (unknown languages get English).

    `feedback` is an already-localized discipline line from the bot layer, shown before the
    defaults; `rules` are the member's own limits the warnings compare against (the global
    1% / 10x when not given), since results carry the verdict but not the rule behind it.
    """
    tr = translator(lang)
    sections = _sections(tr, check.result, rules or Rules())
    if feedback:
        sections.append([_e(feedback, FEEDBACK_LIMIT)])
    defaults = _defaults_line(tr, check)
    if defaults:
        sections.append([defaults])
    return "\n\n".join("\n".join(lines) for lines in sections if lines)


def summary(check: Check, lang: str) -> str:
    """One line for an inline result's title: the figure the member asked for."""
    tr = translator(lang)
    r = check.result
    base = r.instrument.base
    if isinstance(r, SizeResult):
        return tr.gettext(
            "{qty} · loss at stop {loss} · liquidation {liq}",
            qty=_units(tr, r.quantity, base),
            loss=tr.money(r.loss_at_stop),
            liq="—" if r.liquidation_price is None else tr.price(r.liquidation_price, "USD"),
        )
    if isinstance(r, LiqResult):
        shown = "—" if r.liquidation_price is None else tr.price(r.liquidation_price, "USD")
        return tr.gettext("Liquidation {liq}", liq=shown)
    if isinstance(r, PnlResult):
        return tr.gettext("Net {net}", net=tr.signed_money(r.net))
    if isinstance(r, HedgeResult):
        return tr.gettext(
            "Short {notional}", notional=tr.money(r.hedged_notional or r.hedge_notional)
        )
    return tr.gettext("Funding {amount}", amount=tr.money(r.amount))


def to_plain(text: str) -> str:
    """The reply without Telegram's tags and entities, for the command line."""
    return html.unescape(_TAG.sub("", text))


# --- errors --------------------------------------------------------------------------------

# Each code lists its messages from the most specific down; the first whose placeholders are
# all known is used, so an error without an optional detail still reads as a whole sentence.
_ERRORS: dict[ErrorCode, tuple[str, ...]] = {
    ErrorCode.EMPTY: (N_("Nothing to check yet: type a command with its numbers."),),
    ErrorCode.UNKNOWN_COMMAND: (
        N_("I don't know the command {word}. Did you mean {suggestion}?"),
        N_("{word} is meant for {other_bot}, not for me."),
        N_("I don't know the command {word}."),
    ),
    ErrorCode.MISSING_ARGUMENT: (
        N_("I need the {what} here, but found {word}."),
        N_("The {what} is missing."),
        N_("Something is missing before {word}."),
        N_("Something is missing in this command."),
    ),
    ErrorCode.MISSING_VALUE: (
        N_("{word} needs a value after it: the {what}."),
        N_("{word} needs a value after it."),
    ),
    ErrorCode.UNKNOWN_KEYWORD: (
        N_("I don't know the word {word}. Did you mean {suggestion}?"),
        N_("I don't know the word {word}."),
    ),
    ErrorCode.DUPLICATE_KEYWORD: (
        N_("The {what} is given twice ({word}): keep only one."),
        N_("{word} is given twice: keep only one."),
    ),
    ErrorCode.NOT_A_NUMBER: (N_("{word} is not a number I can read."),),
    ErrorCode.NOT_POSITIVE: (
        N_("The {what} {word} must be more than zero."),
        N_("{word} must be more than zero."),
    ),
    ErrorCode.ABSURD_NUMBER: (N_("{word} is too large or too small for a real trade."),),
    ErrorCode.STOP_EQUALS_ENTRY: (
        N_("The stop {word} equals the entry: there is no risk to size."),
    ),
    ErrorCode.STOP_WRONG_SIDE: (
        N_(
            "The stop {word} is on the wrong side for a {side}: below the entry for a long, "
            "above it for a short."
        ),
        N_(
            "The stop {word} is on the wrong side: below the entry for a long, above it for a "
            "short."
        ),
    ),
    ErrorCode.TARGET_WRONG_SIDE: (
        N_(
            "The target {word} is on the wrong side for a {side}: above the entry for a long, "
            "below it for a short."
        ),
        N_(
            "The target {word} is on the wrong side: above the entry for a long, below it for a "
            "short."
        ),
    ),
    ErrorCode.CONFLICTING_WORDS: (
        N_("{word} contradicts {other}: keep only one."),
        N_("{word} contradicts the rest of the command."),
    ),
    ErrorCode.LEVERAGE_OUT_OF_RANGE: (
        N_("Leverage {word} is outside {low} to {high}."),
        N_("Leverage {word} is not possible."),
    ),
    ErrorCode.RISK_ABOVE_100: (N_("Risk {word} is more than your whole account."),),
    ErrorCode.PERCENT_OUT_OF_RANGE: (
        N_("The {what} {word} must be between {low} and {high}."),
        N_("{word} is not a sensible percentage here."),
    ),
    ErrorCode.TOO_MANY_WORDS: (
        N_("Too many words: I stopped at {word} (at most {limit})."),
        N_("This message is too long: at most {limit} words and {max_chars} characters."),
        N_("Too many words: I stopped at {word}."),
        N_("This message is too long."),
    ),
    ErrorCode.BAD_CONTRACT: (
        N_("{word} is not a contract: use standard, micro, nano or a size such as 0.01."),
    ),
    ErrorCode.BAD_OUTCOME: (
        N_("{word} is not an outcome: use win, loss, be (break-even) or liq (liquidated)."),
    ),
    ErrorCode.BAD_CHECK_ID: (
        N_("{word} is not a check number: use the number /journal shows, such as 12."),
    ),
    ErrorCode.UNKNOWN_TIMEZONE: (
        N_("I don't know the time zone {word}: use a name such as Europe/Berlin or UTC."),
    ),
    ErrorCode.UNKNOWN_LANGUAGE: (
        N_("I don't speak {word} yet. Languages: {known}."),
        N_("I don't speak {word} yet."),
    ),
    ErrorCode.BAD_TIME: (N_("{word} is not a time of day: use 24-hour time such as 20:00."),),
    ErrorCode.BAD_DAY: (N_("{word} is not a day: use mon, tue, wed, thu, fri, sat or sun."),),
    ErrorCode.BAD_CHANNEL: (
        N_("{word} is not a channel: use its @username, such as @riskschool, or its chat id."),
    ),
    ErrorCode.UNKNOWN_CHECK: (N_("You have no size check number {word}: /journal lists yours."),),
    ErrorCode.MISSING_DEFAULT: (
        N_("I need your {what}: add {hint} to the command, or save it once with {setting}."),
        N_("I need the {what}: add {hint} to the command."),
        N_("I need a value for {word}: add it to the command."),
    ),
    ErrorCode.UNKNOWN_VENUE: (
        N_("I don't know the venue {word}. Venues: {known}."),
        N_("I don't know the venue {word}."),
    ),
    ErrorCode.UNKNOWN_SYMBOL: (
        N_("{venue} has no {word} here. Symbols: {known}."),
        N_("I don't know the symbol {word}."),
    ),
    ErrorCode.UNKNOWN_CONTRACT: (
        N_(
            "{symbol} on {venue} has no contract {word}. Offered: {offered}; your own size "
            "must be a multiple of {unit}."
        ),
        N_(
            "{symbol} on {venue} has no contract {word}; your own size must be a multiple of "
            "{unit}."
        ),
        N_("There is no contract {word} for this symbol."),
    ),
    ErrorCode.LEVERAGE_ABOVE_VENUE_MAX: (
        N_("Leverage {word} is above the venue's maximum of {maximum}x for this symbol."),
        N_("Leverage {word} is above what the venue allows for this symbol."),
    ),
}

# The parser's and the core's names for a value, as a member reads them.
_WHAT = {
    "symbol": N_("symbol"),
    "entry": N_("entry price"),
    "exit": N_("exit price"),
    "stop": N_("stop"),
    "tp": N_("target"),
    "spot_value": N_("spot value"),
    "notional": N_("position value"),
    "acct": N_("account size"),
    "account": N_("account size"),
    "lev": N_("leverage"),
    "leverage": N_("leverage"),
    "risk": N_("risk per trade"),
    "fee": N_("fee"),
    "venue": N_("venue"),
    "mmr": N_("maintenance margin rate"),
    "qty": N_("quantity"),
    "quantity": N_("quantity"),
    "ratio": N_("hedge ratio"),
    "price": N_("price"),
    "rate": N_("funding rate"),
    "hours": N_("hours"),
    "contract": N_("contract"),
    "side": N_("side"),
    "margin": N_("margin mode"),
    "margin_mode": N_("margin mode"),
    "funding_interval": N_("funding interval"),
    "maxrisk": N_("risk rule"),
    "maxlev": N_("leverage limit"),
    "lang": N_("language"),
    "tz": N_("time zone"),
    "id": N_("check number"),
    "outcome": N_("outcome"),
    "day": N_("day of the week"),
    "time": N_("time of day"),
    "channel": N_("channel"),
}
# What a member types to supply a missing default, and whether /settings can keep it.
_HINTS = {
    "account": ("acct 1000", True),
    "leverage": ("lev 10", True),
    "risk": ("risk 1%", True),
    "fee": ("fee 0.05%", True),
    "venue": ("venue binance", True),
    "margin_mode": ("isolated", False),
    "quantity": ("qty 0.001", False),
}
_CODE_PARAMS = frozenset({"suggestion", "other", "other_bot"})
_LIST_PARAMS = frozenset({"known", "offered"})


def _error_params(tr: Translator, error: CommandError) -> dict[str, str]:
    """Every detail of the error, escaped; words as code, `what` translated, hints added."""
    params: dict[str, str] = {}
    for key, value in error.params.items():
        if not value:
            continue
        if key in _CODE_PARAMS:
            params[key] = _code(value)
        else:
            params[key] = _e(value, LIST_LIMIT if key in _LIST_PARAMS else WORD_LIMIT)
    if error.word:
        params["word"] = _code(error.word)
    what = error.params.get("what", "")
    if what:
        known = _WHAT.get(what)
        params["what"] = tr.gettext(known) if known else _e(what)
    if error.params.get("side"):
        params["side"] = _word(tr, error.params["side"])
    hint, savable = _HINTS.get(what, ("", False))
    if hint:
        params["hint"] = _code(hint)
    if savable:
        params["setting"] = _code(f"/settings {hint}")
    return params


_GENERIC = N_("This command did not work: please check it against the example.")
_PLACEHOLDER = re.compile(r"{(\w+)}")


def _pick(messages: tuple[str, ...], params: dict[str, str]) -> str:
    """The most specific message whose placeholders are all available."""
    for message in messages:
        if set(_PLACEHOLDER.findall(message)) <= params.keys():
            return message
    return _GENERIC


def render_error(error: CommandError, lang: str) -> str:
    """What was wrong, with the member's own word, then a command that would have worked."""
    tr = translator(lang)
    params = _error_params(tr, error)
    message = _pick(_ERRORS[error.code], params)
    lines = ["❌ " + tr.gettext(message, **params)]
    if error.example:
        example = _code(error.example, EXAMPLE_LIMIT)
        lines.append(tr.gettext("Example: {example}", example=example))
    return "\n".join(lines)
