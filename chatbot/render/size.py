"""The /size reply: what fits a phone, and the details behind its "Details" button.

The reply shows the trade, its size, the loss at stop against the budget, the margin, the
liquidation and whether the stop fires first, then the verdict: every rule broken, named with
whose rule it is. The rest (distances, contracts, caps, the tier table, advice) is
`size_details`, added to the message only when the member asks.
"""

from __future__ import annotations

from chatbot.engine.models import MarginMode, RuleOwner, Rules, SizeCap, SizeResult, WarningCode
from chatbot.render.html import bold as _bold
from chatbot.render.i18n import N_, Translator
from chatbot.render.pieces import (
    REFUSALS,
    contracts,
    header,
    leverage,
    liquidation_line,
    scaled_contracts,
    stop_vs_liquidation,
    tier_line,
    units,
    word,
)
from chatbot.render.warnings import warning_lines


def _size_trade(tr: Translator, r: SizeResult) -> list[str]:
    """What the member asked, so a typo in the entry or stop is seen at once."""
    quote = r.instrument.quote
    lines = [
        header(r.instrument, word(tr, r.side.value)),
        tr.gettext(
            "Entry {entry} → stop {stop} ({percent})",
            entry=tr.price(r.entry, quote),
            stop=tr.price(r.stop, quote),
            percent=tr.percent(r.stop_distance_pct),
        ),
    ]
    return [*lines, *size_spare(tr, r)]


def size_spare(tr: Translator, r: SizeResult) -> list[str]:
    """The target and its R: left to the details when the reply would not fit a phone."""
    if r.target is None or r.r_multiple is None:
        return []
    target = tr.gettext(
        "Target {target} = {r} R",
        target=tr.price(r.target, r.instrument.quote),
        r=tr.number(r.r_multiple, 0, 2),
    )
    return [target]


def _size_line(tr: Translator, r: SizeResult) -> list[str]:
    """The size in base units and its value; a venue without known filters is said at once."""
    instrument = r.instrument
    size = tr.gettext(
        "Size {quantity} · {notional}",
        quantity=_bold(units(tr, r.quantity, instrument.base)),
        notional=tr.money(r.notional, instrument.quote),
    )
    return [size]


def _size_money(tr: Translator, r: SizeResult, private: bool) -> list[str]:
    """The loss at stop with fees against the budget, then the margin the leverage locks; a
    reply others read too leaves out the budget's share of the account, which gives it away."""
    quote = r.instrument.quote
    values = {
        "loss": _bold(tr.money(r.loss_at_stop, quote)),
        "budget": tr.money(r.risk_budget, quote),
        "budget_pct": tr.percent(r.risk_fraction, exact=True),
    }
    within = r.loss_at_stop <= r.risk_budget
    if not private and within:
        loss = tr.gettext("Loss at stop incl. fees {loss} ≤ budget {budget}", **values)
    elif not private:
        loss = tr.gettext("Loss at stop incl. fees {loss} > budget {budget}", **values)
    elif within:
        loss = tr.gettext("Loss at stop {loss} ≤ budget {budget} ({budget_pct})", **values)
    else:
        loss = tr.gettext("Loss at stop {loss} > budget {budget} ({budget_pct})", **values)
    margin = tr.gettext(
        "Margin {margin} at {leverage}",
        margin=tr.money(r.initial_margin, quote),
        leverage=leverage(tr, r.leverage),
    )
    return [loss, margin]


def _size_danger(tr: Translator, r: SizeResult) -> str:
    """Where the venue closes the position, and whether the stop gets there first."""
    price = r.liquidation_price
    quote = r.instrument.quote
    if price is None or price == 0 or r.stop_to_liquidation is None:
        return liquidation_line(tr, r)
    shown = tr.price(price, quote)
    if WarningCode.LIQUIDATION_BEFORE_STOP in r.warnings:
        loud = tr.gettext("Liquidation ≈ {price} comes first", price=shown)
        return "⛔ " + _bold(loud) + ": " + tr.gettext("your stop never fires")
    return tr.gettext("Liquidation ≈ {price}: the stop fires first", price=_bold(shown))


# What the verdict names by owner: whose rule was broken.
_RISK_BROKEN = {
    RuleOwner.MEMBER: N_("⛔ Risk {risk}: {multiple}× your {rule} rule"),
    RuleOwner.GROUP: N_("⛔ Risk {risk}: {multiple}× this group's {rule} rule"),
    RuleOwner.DEFAULT: N_("⛔ Risk {risk}: {multiple}× the {rule} rule for beginners"),
}
_LEVERAGE_BROKEN = {
    RuleOwner.MEMBER: N_("⛔ Leverage {leverage}: above your {limit} limit"),
    RuleOwner.GROUP: N_("⛔ Leverage {leverage}: above this group's {limit} limit"),
    RuleOwner.DEFAULT: N_("⛔ Leverage {leverage}: above the {limit} limit for beginners"),
}
# Warnings that say the order cannot be placed as sized: part of the verdict, not advice.
_BLOCKING = frozenset(
    {
        WarningCode.MIN_SIZE_EXCEEDS_RISK,
        WarningCode.MIN_SIZE_EXCEEDS_MARGIN,
        WarningCode.BELOW_MIN_NOTIONAL,
        *REFUSALS,
    }
)


def verdict_lines(tr: Translator, r: SizeResult, rules: Rules, private: bool = True) -> list[str]:
    """Each rule broken, named with whose rule it is, and what stops the order; else one ✅.

    A stop beyond the liquidation is said by the liquidation line itself. Where others read
    the reply too, a rule of the member's own is not named with its value (their log line says
    it was broken), and neither is the ✅ with the member's limits."""
    raised = set(r.warnings)
    lines = []
    risk_named = private or rules.risk_owner is not RuleOwner.MEMBER
    leverage_named = private or rules.leverage_owner is not RuleOwner.MEMBER
    if WarningCode.RISK_ABOVE_RULE in raised and rules.max_risk > 0 and risk_named:
        lines.append(
            tr.gettext(
                _RISK_BROKEN[rules.risk_owner],
                risk=tr.percent(r.risk_fraction, exact=True),
                multiple=tr.number(r.risk_fraction / rules.max_risk, 0, 1),
                rule=tr.percent(rules.max_risk, exact=True),
            )
        )
    if WarningCode.LEVERAGE_ABOVE_LIMIT in raised and leverage_named:
        lines.append(
            tr.gettext(
                _LEVERAGE_BROKEN[rules.leverage_owner],
                leverage=leverage(tr, r.leverage),
                limit=leverage(tr, rules.max_leverage),
            )
        )
    blocking = [code for code in WarningCode if code not in _BLOCKING]
    lines += warning_lines(tr, r, rules, shown=blocking, private=private)
    if not lines and private:
        lines.append(
            tr.gettext(
                "✅ Within the rules: risk ≤ {rule}, leverage ≤ {limit}",
                rule=tr.percent(rules.max_risk, exact=True),
                limit=leverage(tr, rules.max_leverage),
            )
        )
    return lines


def size_sections(
    tr: Translator, r: SizeResult, rules: Rules, private: bool = True
) -> list[list[str]]:
    """One block: the trade, the figures, the verdict (a blank line would cost a phone line).

    A reply others read too names no value of the member's own rules (see `verdict_lines`)."""
    verdict = verdict_lines(tr, r, rules, private)
    if r.quantity == 0:
        none = tr.gettext("Size: none fits, see below.")
        return [[*_size_trade(tr, r), none, *verdict]]
    figures = [*_size_line(tr, r), *_size_money(tr, r, private), _size_danger(tr, r)]
    return [[*_size_trade(tr, r), *figures, *verdict]]


_CAPS = {
    SizeCap.MARGIN: N_("Capped by the margin your account can post at {leverage}."),
    SizeCap.VENUE_LEVERAGE: N_("Capped by the venue's maximum position at {leverage}."),
}
# Said in the reply itself, so the details do not repeat them.
SAID_IN_REPLY = frozenset(
    {
        *_BLOCKING,
        WarningCode.RISK_ABOVE_RULE,
        WarningCode.LEVERAGE_ABOVE_LIMIT,
        WarningCode.LIQUIDATION_BEFORE_STOP,
        WarningCode.NO_EXCHANGE_LIQUIDATION,
    }
)


def _distance(tr: Translator, r: SizeResult) -> str | None:
    """How far the liquidation is from the entry, when there is one."""
    if r.liquidation_price is None or r.liquidation_price == 0 or r.liquidation_covered:
        return None
    return liquidation_line(tr, r)


def size_details(
    tr: Translator, r: SizeResult, rules: Rules, private: bool = True
) -> list[list[str]]:
    """The rest of a /size reply: distances, contracts, how the size was capped, the table the
    liquidation comes from, what isolated or cross puts at stake, and advice. Shown where
    others read it too, the shares of the account stay out."""
    quote, instrument = r.instrument.quote, r.instrument
    lines = [
        tr.gettext(
            "Stop distance {distance} ({percent})",
            distance=tr.money(r.stop_distance, quote),
            percent=tr.percent(r.stop_distance_pct),
        )
    ]
    if r.quantity > 0 and instrument.filters_known:
        lines.append("= " + contracts(tr, instrument, r.contract, r.contracts))
    elif r.quantity > 0:
        if instrument.scale != 1:
            lines.append("≈ " + scaled_contracts(tr, instrument, r.quantity))
        step = tr.gettext("Quantity step not known offline: round down to your venue's step.")
        lines.append("ℹ️ " + step)
    if r.target is not None and r.reward_at_target is not None:
        lines += size_spare(tr, r)  # the reply leaves it out when it is long
        lines.append(
            tr.gettext(
                "At the target: {reward} after fees",
                reward=tr.signed_money(r.reward_at_target, quote),
            )
        )
    if r.quantity == 0:
        return [lines, warning_lines(tr, r, rules, shown=SAID_IN_REPLY, private=private)]
    money = (
        []
        if not private
        else [  # shares of the account: the member's alone
            tr.gettext(
                "Loss at stop: {loss_pct} of your account, fees {fees} included",
                loss_pct=tr.percent(r.loss_at_stop_pct),
                fees=tr.money(r.fees, quote),
            ),
            tr.gettext(
                "Account leverage {effective} (position value / account)",
                effective=leverage(tr, r.effective_leverage),
            ),
        ]
    )
    cap = _CAPS.get(r.size_cap)
    if cap is not None:
        money.append(tr.gettext(cap, leverage=leverage(tr, r.leverage)))
    danger = [
        line
        for line in (
            _distance(tr, r),
            stop_vs_liquidation(tr, r),
            tier_line(tr, instrument, r.tier),
        )
        if line is not None
    ]
    if r.margin_mode is MarginMode.ISOLATED and r.liquidation_price is not None:
        danger.append(
            tr.gettext(
                "Isolated margin: liquidation takes at most the {margin} margin.",
                margin=tr.money(r.initial_margin, quote),
            )
        )
    advice = warning_lines(tr, r, rules, shown=SAID_IN_REPLY, private=private)
    return [lines, money, danger, advice]
