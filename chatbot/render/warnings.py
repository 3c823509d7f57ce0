"""One plain line per warning code: what is wrong with the trade, in words a beginner reads.

The engine raises codes; each code has exactly one builder here, so a new warning is one entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from chatbot.engine.models import (
    HedgeResult,
    LiqResult,
    RuleOwner,
    Rules,
    SizeResult,
    WarningCode,
)
from chatbot.evaluation.calculators import Result
from chatbot.render.html import escape as _e
from chatbot.render.i18n import N_, Translator
from chatbot.render.pieces import ZERO, leverage, no_liquidation_price, stop_vs_liquidation, units

# --- warnings ------------------------------------------------------------------------------


def _size_of(result: Result) -> SizeResult:
    """Warnings raised only by sizing read sizing figures; anything else is a programming error."""
    assert isinstance(result, SizeResult), result
    return result


def _smallest(tr: Translator, result: SizeResult) -> str:
    """The smallest openable size, recovered from what it would lose per base unit."""
    return units(tr, result.min_size_loss / result.loss_per_unit, result.instrument.base)


# Whose rule it is: a member's own 2% is not the beginners' advice, nor is a group's policy.
_RISK_ABOVE = {
    RuleOwner.DEFAULT: N_(
        "This risks {risk} of your account: {multiple}× the {rule} rule. Beginners stay at "
        "{rule} or less per trade."
    ),
    RuleOwner.MEMBER: N_("This risks {risk} of your account: {multiple}× your own {rule} rule."),
    RuleOwner.GROUP: N_(
        "This risks {risk} of your account: {multiple}× the {rule} rule of this group's policy."
    ),
}
_LEVERAGE_ABOVE = {
    RuleOwner.DEFAULT: N_(
        "Leverage {leverage} is above the {limit} limit for beginners: it does not change the "
        "risk, but it brings liquidation closer."
    ),
    RuleOwner.MEMBER: N_(
        "Leverage {leverage} is above your own {limit} limit: it does not change the risk, but "
        "it brings liquidation closer."
    ),
    RuleOwner.GROUP: N_(
        "Leverage {leverage} is above the {limit} limit of this group's policy: it does not "
        "change the risk, but it brings liquidation closer."
    ),
}


def _risk_above_rule(tr: Translator, result: Result, rules: Rules) -> str:
    size = _size_of(result)
    return tr.gettext(
        _RISK_ABOVE[rules.risk_owner],
        risk=tr.percent(size.risk_fraction),
        multiple=tr.number(size.risk_fraction / rules.max_risk, 0, 1),
        rule=tr.percent(rules.max_risk, exact=True),
    )


def _leverage_above_limit(tr: Translator, result: Result, rules: Rules) -> str:
    size = _size_of(result)
    return tr.gettext(
        _LEVERAGE_ABOVE[rules.leverage_owner],
        leverage=leverage(tr, size.leverage),
        limit=leverage(tr, rules.max_leverage),
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
        leverage=leverage(tr, size.leverage),
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
    return no_liquidation_price(tr, result.instrument)


def _partial_hedge(tr: Translator, result: Result, rules: Rules) -> str:
    assert isinstance(result, HedgeResult), result
    return tr.gettext(
        "This short covers only {ratio} of your spot: a full hedge is a short worth {spot}.",
        ratio=tr.percent(result.actual_ratio or ZERO),
        spot=tr.money(result.spot_value, result.instrument.quote),
    )


def _liquidation_before_stop(tr: Translator, result: Result, rules: Rules) -> str:
    line = stop_vs_liquidation(tr, _size_of(result))
    assert line is not None
    return line


def _max_notional(tr: Translator, result: Result) -> str:
    """The largest position the venue takes, in its table's unit (coin for COIN-M brackets)."""
    maximum = getattr(result, "venue_max_notional", None) or ZERO
    instrument = result.instrument
    if instrument.tiers_in_coin:
        return units(tr, maximum, instrument.base)
    return tr.money(maximum, instrument.quote)


def _position(tr: Translator, result: Result) -> dict[str, str]:
    lev = getattr(result, "leverage", None)
    return {
        "venue": _e(result.instrument.venue_name),
        "notional": tr.money(getattr(result, "notional", ZERO), result.instrument.quote),
        "leverage": leverage(tr, lev) if lev is not None else "—",
        "maximum": _max_notional(tr, result),
    }


def _leverage_above_tier_max(tr: Translator, result: Result, rules: Rules) -> str:
    tier_max = getattr(result, "tier_max_leverage", None) or ZERO
    return tr.gettext(
        "{venue} allows at most {tier_max} on a position of {notional}; at {leverage} it takes "
        "at most {maximum}. It would refuse this order, so there is no liquidation price: lower "
        "the leverage or the size.",
        tier_max=leverage(tr, tier_max),
        **_position(tr, result),
    )


def _notional_above_venue_max(tr: Translator, result: Result, rules: Rules) -> str:
    return tr.gettext(
        "{venue} takes at most {maximum} at {leverage}, less than this position of {notional}. "
        "It would refuse this order, so there is no liquidation price.",
        **_position(tr, result),
    )


def _margin_below_maintenance(tr: Translator, result: Result, rules: Rules) -> str:
    return tr.gettext(
        "The margin is below the maintenance margin this position needs: it would be "
        "liquidated at once. Add margin or use less leverage.",
    )


def _risk_above_rule_in_group(tr: Translator, result: Result, rules: Rules) -> str:
    return tr.gettext("This risks more of your account than your risk rule allows.")


def _leverage_above_limit_in_group(tr: Translator, result: Result, rules: Rules) -> str:
    return tr.gettext(
        "Leverage {leverage} is above your limit: it does not change the risk, but it brings "
        "liquidation closer.",
        leverage=leverage(tr, _size_of(result).leverage),
    )


def _min_size_exceeds_margin_in_group(tr: Translator, result: Result, rules: Rules) -> str:
    size = _size_of(result)
    return tr.gettext(
        "Even the smallest size ({size}) needs more margin than your account can post at "
        "{leverage}.",
        size=_smallest(tr, size),
        leverage=leverage(tr, size.leverage),
    )


def _cross_whole_account_in_group(tr: Translator, result: Result, rules: Rules) -> str:
    return tr.gettext(
        "Cross margin: your whole account backs this position and is at stake, not only the margin."
    )


_Builder = Callable[[Translator, Result, Rules], str]
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
    WarningCode.LEVERAGE_ABOVE_TIER_MAX: _leverage_above_tier_max,
    WarningCode.NOTIONAL_ABOVE_VENUE_MAX: _notional_above_venue_max,
    WarningCode.MARGIN_BELOW_MAINTENANCE: _margin_below_maintenance,
}
# A reply in a group says the same without the member's account or the value of their rules.
_IN_GROUPS: dict[WarningCode, _Builder] = {
    WarningCode.RISK_ABOVE_RULE: _risk_above_rule_in_group,
    WarningCode.LEVERAGE_ABOVE_LIMIT: _leverage_above_limit_in_group,
    WarningCode.MIN_SIZE_EXCEEDS_MARGIN: _min_size_exceeds_margin_in_group,
    WarningCode.CROSS_WHOLE_ACCOUNT: _cross_whole_account_in_group,
}
_INFO_ONLY = frozenset({WarningCode.NO_EXCHANGE_LIQUIDATION})


def warning_lines(
    tr: Translator,
    result: Result,
    rules: Rules,
    shown: Iterable[WarningCode] = (),
    *,
    private: bool = True,
) -> list[str]:
    """One plain line per warning, skipping those already said in the danger section; in a
    group (`private` False) without the member's account or rule values."""
    builders = _WARNINGS if private else _WARNINGS | _IN_GROUPS
    skip = set(shown)
    lines = []
    for code in getattr(result, "warnings", ()):
        if code in skip:
            continue
        mark = "ℹ️ " if code in _INFO_ONLY else "⚠️ "
        text = builders[code](tr, result, rules)
        lines.append(text if text.startswith("⚠️") else mark + text)
    return lines
