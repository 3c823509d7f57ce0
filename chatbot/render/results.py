"""Each calculator's reply, one layout per result type, and the inline one-line summary.

A layout lists the reply's sections in the order of the design: the trade, the size, the money,
the danger, the warnings; `render` adds the discipline line and the defaults used. Adding a
calculator is one `Layout` entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from chatbot.engine.models import (
    ContractKind,
    FundingResult,
    HedgeResult,
    LiqResult,
    PnlResult,
    Rules,
    SizeResult,
    WarningCode,
)
from chatbot.evaluation.calculators import Check, Result
from chatbot.render.defaults import defaults_line
from chatbot.render.html import bold as _bold
from chatbot.render.html import code as _code
from chatbot.render.html import escape as _e
from chatbot.render.i18n import Translator, translator
from chatbot.render.pieces import (
    FEEDBACK_LIMIT,
    TEN_PERCENT,
    ZERO,
    contracts,
    header,
    leverage,
    liquidation_line,
    plural_n,
    scaled_line,
    tier_line,
    units,
    word,
)
from chatbot.render.size import size_details, size_sections
from chatbot.render.warnings import warning_lines

# Said where the danger is described, so the warnings below do not repeat them.
SAID_IN_DANGER = frozenset(
    {WarningCode.LIQUIDATION_BEFORE_STOP, WarningCode.NO_EXCHANGE_LIQUIDATION}
)


# --- /liq, /pnl, /hedge, /funding ----------------------------------------------------------


def _liq_sections(tr: Translator, r: LiqResult, rules: Rules) -> list[list[str]]:
    quote = r.instrument.quote
    summary = tr.gettext(
        "Entry {entry} at {leverage}, {mode}: size {quantity} ({notional}), margin {margin}",
        entry=tr.price(r.entry, quote),
        leverage=leverage(tr, r.leverage),
        mode=word(tr, r.margin_mode.value),
        quantity=units(tr, r.quantity, r.instrument.base),
        notional=tr.money(r.notional, quote),
        margin=tr.money(r.initial_margin, quote),
    )
    danger = [liquidation_line(tr, r)]
    tier = tier_line(tr, r.instrument, r.tier)
    if tier is not None and r.liquidation_price:
        danger.append(tier)
    title = header(r.instrument, word(tr, r.side.value))
    return [[title, summary], danger, warning_lines(tr, r, rules, shown=SAID_IN_DANGER)]


def _pnl_sections(tr: Translator, r: PnlResult, rules: Rules) -> list[list[str]]:
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
    size = units(tr, r.quantity, r.instrument.base)
    if r.contract.kind is not ContractKind.STEP or r.instrument.inverse:
        size = f"{size} = {contracts(tr, r.instrument, r.contract, r.contracts)}"
    lines = [
        header(r.instrument, word(tr, r.side.value)),
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
        return [[header(r.instrument, tr.gettext("hedge")), plan, add]]
    short = contracts(tr, r.instrument, r.contract, r.contracts)
    if r.quantity is not None:
        short = f"{short} = {units(tr, r.quantity, r.instrument.base)}"
    lines = [
        header(r.instrument, tr.gettext("hedge")),
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
    return [lines, warning_lines(tr, r, rules)]


def _funding_sections(tr: Translator, r: FundingResult, rules: Rules) -> list[list[str]]:
    quote = r.instrument.quote
    period = tr.ngettext(
        "{notional} at {rate} per {interval} h, for {hours} h ({count} funding interval)",
        "{notional} at {rate} per {interval} h, for {hours} h ({count} funding intervals)",
        plural_n(r.intervals),
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
    title = header(r.instrument, tr.gettext("funding"), word(tr, r.side.value))
    return [[title, period, outcome]]


# --- one-line summaries, for inline results ----------------------------------------------


def _liq_price(tr: Translator, price: Decimal | None) -> str:
    return "—" if price is None else tr.price(price, "USD")


def _size_summary(tr: Translator, r: SizeResult) -> str:
    return tr.gettext(
        "{qty} · loss at stop {loss} · liquidation {liq}",
        qty=units(tr, r.quantity, r.instrument.base),
        loss=tr.money(r.loss_at_stop),
        liq=_liq_price(tr, r.liquidation_price),
    )


def _liq_summary(tr: Translator, r: LiqResult) -> str:
    return tr.gettext("Liquidation {liq}", liq=_liq_price(tr, r.liquidation_price))


def _pnl_summary(tr: Translator, r: PnlResult) -> str:
    return tr.gettext("Net {net}", net=tr.signed_money(r.net))


def _hedge_summary(tr: Translator, r: HedgeResult) -> str:
    return tr.gettext("Short {notional}", notional=tr.money(r.hedged_notional or r.hedge_notional))


def _funding_summary(tr: Translator, r: FundingResult) -> str:
    return tr.gettext("Funding {amount}", amount=tr.money(r.amount))


# --- the layouts ------------------------------------------------------------------------------


Sections = Callable[[Translator, Any, Rules], list[list[str]]]


@dataclass(frozen=True)
class Layout:
    """How one result type reads: its sections (with the member's rules), its summary, and
    the rest shown only on request (the "Details" button), if the reply keeps some back."""

    sections: Sections
    summary: Callable[[Translator, Any], str]
    details: Sections | None = None


LAYOUTS: dict[type, Layout] = {
    SizeResult: Layout(size_sections, _size_summary, size_details),
    LiqResult: Layout(_liq_sections, _liq_summary),
    PnlResult: Layout(_pnl_sections, _pnl_summary),
    HedgeResult: Layout(_hedge_sections, _hedge_summary),
    FundingResult: Layout(_funding_sections, _funding_summary),
}


def render(check: Check, lang: str, feedback: str | None = None, rules: Rules | None = None) -> str:
    """One reply for one finished check, in `lang` (unknown languages get English).

    `feedback` is an already-localized discipline line from the bot layer, shown before the
    defaults; `rules` are the member's own limits the warnings compare against (the global
    1% / 10x when not given), since results carry the verdict but not the rule behind it.
    """
    tr = translator(lang)
    sections = LAYOUTS[type(check.result)].sections(tr, check.result, rules or Rules())
    scaled = scaled_line(tr, check.result.instrument)
    if scaled:
        sections[0].insert(1, scaled)
    if feedback:
        sections.append([_e(feedback, FEEDBACK_LIMIT)])
    defaults = defaults_line(tr, check)
    if defaults:
        sections.append([defaults])
    return "\n\n".join("\n".join(lines) for lines in sections if lines)


def has_details(result: Result) -> bool:
    """Whether the reply to `result` keeps details back for the "Details" button."""
    return LAYOUTS[type(result)].details is not None


def render_details(result: Result, lang: str, rules: Rules | None = None) -> str:
    """What the "Details" button adds under a reply, in `lang`: empty when there is nothing."""
    details = LAYOUTS[type(result)].details
    if details is None:
        return ""
    sections = details(translator(lang), result, rules or Rules())
    return "\n\n".join("\n".join(lines) for lines in sections if lines)


def summary(check: Check, lang: str) -> str:
    """One line for an inline result's title: the figure the member asked for."""
    return LAYOUTS[type(check.result)].summary(translator(lang), check.result)
