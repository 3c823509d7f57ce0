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
    Contract,
    ContractKind,
    Fill,
    FundingResult,
    HedgeResult,
    LiqResult,
    PnlResult,
    Rules,
    SizeResult,
    WarningCode,
)
from chatbot.evaluation.calculators import AvgResult, Check, PriceResult, Result
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
    scaled_line,
    tier_line,
    units,
    utc_time,
    word,
)
from chatbot.render.size import size_details, size_sections, size_spare
from chatbot.render.trades import funding_sections, pnl_sections
from chatbot.render.warnings import warning_lines

# Said where the danger is described, so the warnings below do not repeat them.
SAID_IN_DANGER = frozenset(
    {WarningCode.LIQUIDATION_BEFORE_STOP, WarningCode.NO_EXCHANGE_LIQUIDATION}
)


# --- /liq, /hedge (/size: size.py; /pnl and /funding: trades.py) -----------------------


def position_size(tr: Translator, r: LiqResult) -> str:
    """Base units; for inverse instruments the contracts of their USD value, then the coin."""
    instrument, coin = r.instrument, units(tr, r.quantity, r.instrument.base)
    if not instrument.inverse or instrument.contract_value is None or r.contracts is None:
        return coin
    unit = Contract(kind=ContractKind.STEP, size=instrument.contract_value)
    return f"{contracts(tr, instrument, unit, r.contracts)} = {coin}"


def _liq_sections(tr: Translator, r: LiqResult, rules: Rules, private: bool) -> list[list[str]]:
    quote = r.instrument.quote
    summary = tr.gettext(
        "Entry {entry} at {leverage}, {mode}: size {quantity} ({notional}), margin {margin}",
        entry=tr.price(r.entry, quote),
        leverage=leverage(tr, r.leverage),
        mode=word(tr, r.margin_mode.value),
        quantity=position_size(tr, r),
        notional=tr.money(r.notional, quote),
        margin=tr.money(r.initial_margin, quote),
    )
    danger = [liquidation_line(tr, r)]
    tier = tier_line(tr, r.instrument, r.tier)
    if tier is not None and r.liquidation_price:
        danger.append(tier)
    title = header(r.instrument, word(tr, r.side.value))
    warnings = warning_lines(tr, r, rules, shown=SAID_IN_DANGER, private=private)
    return [[title, summary], danger, warnings]


def _hedge_sections(tr: Translator, r: HedgeResult, rules: Rules, private: bool) -> list[list[str]]:
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
    return [lines, warning_lines(tr, r, rules, private=private)]


# --- /avg ------------------------------------------------------------------------------------


def _avg_fill(tr: Translator, r: AvgResult, fill: Fill) -> str:
    """One fill as typed: base units, or contracts of the inverse instrument's USD value."""
    instrument = r.instrument
    size = units(tr, fill.quantity, instrument.base)
    if instrument.inverse and instrument.contract_value is not None:
        unit = Contract(kind=ContractKind.STEP, size=instrument.contract_value)
        size = contracts(tr, instrument, unit, fill.quantity)
    return tr.gettext("{size} at {price}", size=size, price=tr.price(fill.price, instrument.quote))


def _avg_sections(tr: Translator, r: AvgResult, rules: Rules, private: bool) -> list[list[str]]:
    """The fills, then the one position they make: average, value, margin, break-even."""
    quote = r.instrument.quote
    position = [
        header(r.instrument, word(tr, r.side.value)),
        tr.gettext("Fills: {fills}", fills=" · ".join(_avg_fill(tr, r, f) for f in r.fills)),
        tr.gettext(
            "Average entry {entry} for {size} · position value {notional}",
            entry=_bold(tr.price(r.entry, quote)),
            size=position_size(tr, r),
            notional=tr.money(r.notional, quote),
        ),
        tr.gettext(
            "Margin at {leverage}, {mode}: {margin}",
            leverage=leverage(tr, r.leverage),
            mode=word(tr, r.margin_mode.value),
            margin=tr.money(r.initial_margin, quote),
        ),
    ]
    if r.break_even is not None:
        position.append(
            tr.gettext(
                "Break-even exit {price}: it pays back both fees at {fee}.",
                price=_bold(tr.price(r.break_even, quote)),
                fee=tr.percent(r.fee_rate, exact=True),
            )
        )
    danger = [liquidation_line(tr, r)]
    tier = tier_line(tr, r.instrument, r.tier)
    if tier is not None and r.liquidation_price:
        danger.append(tier)
    return [position, danger, warning_lines(tr, r, rules, shown=SAID_IN_DANGER, private=private)]


def _price_sections(tr: Translator, r: PriceResult, rules: Rules, private: bool) -> list[list[str]]:
    """`/price`: mark (what liquidations use), index, funding now and when it is next paid."""
    quote, price = r.instrument.quote, r.price
    lines = [
        header(r.instrument, tr.gettext("price")),
        tr.gettext("Mark price {mark}", mark=_bold(tr.price(price.mark, quote))),
    ]
    if price.index is not None:
        lines.append(tr.gettext("Index price {index}", index=tr.price(price.index, quote)))
    if price.funding_rate is not None:
        rate = tr.percent(price.funding_rate, exact=True)
        if price.funding_rate >= 0:
            lines.append(tr.gettext("Funding rate {rate}: longs pay shorts", rate=rate))
        else:
            lines.append(tr.gettext("Funding rate {rate}: shorts pay longs", rate=rate))
    if price.next_funding_time is not None:
        lines.append(tr.gettext("Next funding at {time}", time=utc_time(price.next_funding_time)))
    source = tr.gettext(
        "{venue}, {time}", venue=_e(r.instrument.venue_name), time=utc_time(price.at)
    )
    return [lines, [f"<i>{source}</i>"]]


def far_line(tr: Translator, check: Check) -> str | None:
    """A typed entry ten times away from the coin's known mark price: most likely a typo."""
    if check.far_from_mark is None:
        return None
    entry = getattr(check.request, "entry", None) or ZERO
    quote = check.result.instrument.quote
    return "⚠️ " + tr.gettext(
        "Your entry {entry} is more than ten times away from the last mark price {mark}: "
        "check it for a missing or an extra zero.",
        entry=tr.price(entry, quote),
        mark=tr.price(check.far_from_mark, quote),
    )


def market_line(tr: Translator, check: Check) -> str | None:
    """Name the venue's price a check used in place of a typed entry or rate, with its time."""
    mark = check.market
    if mark is None:
        return None
    where = {"venue": _e(check.result.instrument.venue_name), "time": utc_time(mark.at)}
    if isinstance(check.result, FundingResult):
        rate = tr.percent(mark.funding_rate or ZERO, exact=True)
        return "ℹ️ " + tr.gettext(
            "Rate = current funding rate {rate}, {venue}, {time}", rate=rate, **where
        )
    price = tr.price(mark.mark, check.result.instrument.quote)
    return "ℹ️ " + tr.gettext("Entry = mark price {price}, {venue}, {time}", price=price, **where)


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


def _avg_summary(tr: Translator, r: AvgResult) -> str:
    return tr.gettext(
        "Average entry {entry} · liquidation {liq}",
        entry=tr.price(r.entry, r.instrument.quote),
        liq=_liq_price(tr, r.liquidation_price),
    )


def _hedge_summary(tr: Translator, r: HedgeResult) -> str:
    return tr.gettext("Short {notional}", notional=tr.money(r.hedged_notional or r.hedge_notional))


def _funding_summary(tr: Translator, r: FundingResult) -> str:
    return tr.gettext("Funding {amount}", amount=tr.money(r.amount))


def _price_summary(tr: Translator, r: PriceResult) -> str:
    return tr.gettext("Mark price {mark}", mark=tr.price(r.price.mark, r.instrument.quote))


# --- the layouts ------------------------------------------------------------------------------


Sections = Callable[[Translator, Any, Rules, bool], list[list[str]]]


@dataclass(frozen=True)
class Layout:
    """How one result type reads: its sections (with the member's rules, and whether only the
    member reads them), its summary, and the rest shown only on request (the "Details"
    button), if the reply keeps some back."""

    sections: Sections
    summary: Callable[[Translator, Any], str]
    details: Sections | None = None
    # Lines of the sections that the details repeat, which a reply too long for a phone omits.
    spare: Callable[[Translator, Any], list[str]] | None = None


# Lines of a reply with details, blank lines included: one phone screen.
PHONE_LINES = 12

LAYOUTS: dict[type, Layout] = {
    SizeResult: Layout(size_sections, _size_summary, size_details, size_spare),
    LiqResult: Layout(_liq_sections, _liq_summary),
    PnlResult: Layout(pnl_sections, _pnl_summary),
    HedgeResult: Layout(_hedge_sections, _hedge_summary),
    FundingResult: Layout(funding_sections, _funding_summary),
    AvgResult: Layout(_avg_sections, _avg_summary),
    PriceResult: Layout(_price_sections, _price_summary),
}


def render(
    check: Check,
    lang: str,
    feedback: str | None = None,
    rules: Rules | None = None,
    *,
    private: bool = True,
) -> str:
    """One reply for one finished check, in `lang` (unknown languages get English).

    `feedback` is an already-localized discipline line from the bot layer, shown before the
    defaults; `rules` are the member's own limits the warnings compare against (the global
    1% / 10x when not given), since results carry the verdict but not the rule behind it.
    A reply others read too (`private` False: a group, an inline result) shows no account, no
    share of it and no rule value: those are the member's alone.
    """
    tr = translator(lang)
    layout = LAYOUTS[type(check.result)]
    sections = layout.sections(tr, check.result, rules or Rules(), private)
    notes = (scaled_line(tr, check.result.instrument), market_line(tr, check), far_line(tr, check))
    sections[0][1:1] = [line for line in notes if line]  # under the header, above the entry
    tail = [_e(feedback, FEEDBACK_LIMIT)] if feedback else []
    tail += [line for line in (defaults_line(tr, check, private=private),) if line]
    blocks = [*sections, *([line] for line in tail)]
    if layout.details is not None and _height(blocks) > PHONE_LINES:
        blocks = _fitted(sections, tail, layout.spare(tr, check.result) if layout.spare else [])
    return "\n\n".join("\n".join(lines) for lines in blocks if lines)


def _height(blocks: list[list[str]]) -> int:
    """Lines on the screen: each block's lines and a blank line between blocks."""
    shown = [lines for lines in blocks if lines]
    return sum(map(len, shown)) + len(shown) - 1


def _fitted(sections: list[list[str]], tail: list[str], spare: list[str]) -> list[list[str]]:
    """A reply with details fits a phone: the feedback and the defaults share a block, then
    the lines the details repeat leave, then the blank lines, until it has at most
    `PHONE_LINES` lines (a reply with every warning at once may still have more)."""
    blocks = [*sections, tail]
    for line in spare:
        if _height(blocks) <= PHONE_LINES:
            break
        blocks = [[kept for kept in lines if kept != line] for lines in blocks]
    if _height(blocks) > PHONE_LINES:
        blocks = [[line for lines in blocks for line in lines]]
    return blocks


def has_details(result: Result) -> bool:
    """Whether the reply to `result` keeps details back for the "Details" button."""
    return LAYOUTS[type(result)].details is not None


def render_details(
    result: Result, lang: str, rules: Rules | None = None, *, private: bool = True
) -> str:
    """What the "Details" button adds under a reply, in `lang`: empty when there is nothing;
    in a reply others read too, nothing of the member's account."""
    details = LAYOUTS[type(result)].details
    if details is None:
        return ""
    sections = details(translator(lang), result, rules or Rules(), private)
    return "\n\n".join("\n".join(lines) for lines in sections if lines)


def summary(check: Check, lang: str) -> str:
    """One line for an inline result's title: the figure the member asked for."""
    return LAYOUTS[type(check.result)].summary(translator(lang), check.result)
