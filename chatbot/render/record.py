"""The member's record in words: the feedback line of a /size reply, /stats, /streak, /ready.

This only turns figures and codes into Telegram HTML in the member's language; what the figures
are is decided by `chatbot.evaluation.discipline`. The words for a rule break, a result and an
R multiple are shared with the journal and the reminders, so they are said one way everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from chatbot.engine.models import RuleOwner, WarningCode
from chatbot.evaluation.discipline import (
    Criterion,
    Feedback,
    FeedbackCode,
    Readiness,
    ReadinessCode,
    Stats,
    Streaks,
    TradeResult,
)
from chatbot.evaluation.log import NewCheck
from chatbot.render.html import bold, escape
from chatbot.render.i18n import N_, Translator, translator

_BREAKS = {
    WarningCode.RISK_ABOVE_RULE.value: N_("risk above your rule"),
    WarningCode.LEVERAGE_ABOVE_LIMIT.value: N_("leverage above your limit"),
    WarningCode.LIQUIDATION_BEFORE_STOP.value: N_("stop beyond liquidation"),
}
_RESULTS = {
    TradeResult.WIN: N_("win"),
    TradeResult.LOSS: N_("loss"),
    TradeResult.BE: N_("break-even"),
}
_CRITERIA = {
    ReadinessCode.MONTHS_WITH_OUTCOMES: N_("Months with logged outcomes: {value} of {threshold}"),
    ReadinessCode.POSITIVE_MONTHS: N_("Positive months: {value} of {threshold}"),
    ReadinessCode.COUNTED_CHECKS: N_("Checks in your log: {value} of {threshold}"),
    ReadinessCode.ADHERENCE: N_("Within your rules: {value} (needs {threshold})"),
    ReadinessCode.LIQUIDATIONS: N_("Liquidations: {value} (needs {threshold})"),
}


# A group's limit is named as the group's: the member did not set it.
_GROUP_BREAKS = {
    WarningCode.RISK_ABOVE_RULE.value: N_("risk above the group's rule"),
    WarningCode.LEVERAGE_ABOVE_LIMIT.value: N_("leverage above the group's limit"),
}


def rule_break(tr: Translator, code: str, owner: str | None = None) -> str:
    """A broken rule by its stored code, as the group's when `owner` says so; an unknown code
    is shown as stored, never dropped."""
    known = _GROUP_BREAKS.get(code) if owner == RuleOwner.GROUP.value else None
    known = known or _BREAKS.get(code)
    return tr.gettext(known) if known else escape(code)


def check_breaks(tr: Translator, check: NewCheck) -> list[str]:
    """The rules a logged check broke, each named with whose it was."""
    owners = {
        WarningCode.RISK_ABOVE_RULE.value: check.risk_owner,
        WarningCode.LEVERAGE_ABOVE_LIMIT.value: check.leverage_owner,
    }
    return [
        rule_break(tr, code, owner.value if (owner := owners.get(code)) else None)
        for code in check.breaks
    ]


def rule_breaks(tr: Translator, counts: Mapping[str, int]) -> str:
    """Breaks by kind with their counts: "leverage above your limit × 1"."""
    return ", ".join(f"{rule_break(tr, code)} × {count}" for code, count in sorted(counts.items()))


def result_word(tr: Translator, result: TradeResult) -> str:
    return tr.gettext(_RESULTS[result])


def r_multiple(tr: Translator, value: Decimal) -> str:
    """An R multiple with its sign, so +2.5 R and −1 R never look alike."""
    shown = tr.number(value, 0, 2)
    return f"+{shown} R" if value > 0 else f"{shown} R"


def streak_lines(tr: Translator, streaks: Streaks) -> list[str]:
    return [
        tr.gettext(
            "Checks in a row within your rules: {current} (best {best})",
            current=streaks.checks,
            best=streaks.best_checks,
        ),
        tr.gettext(
            "Active days in a row within your rules: {current} (best {best})",
            current=streaks.days,
            best=streaks.best_days,
        ),
    ]


def _rule(tr: Translator, rule: object) -> str:
    return tr.percent(rule, exact=True) if isinstance(rule, Decimal) else escape(rule)


def _owner(params: Mapping[str, object]) -> str | None:
    owner = params.get("owner")
    return None if owner is None else str(owner)


def render_feedback(feedback: Feedback, lang: str) -> str:
    """One line from the member's own log, changing with the record."""
    tr = translator(lang)
    params = feedback.params
    match feedback.code:
        case FeedbackCode.FIRST_CHECK:
            return tr.gettext("📒 First check in your log: within your rules. Keep it that way.")
        case FeedbackCode.NEW_BEST:
            streak = int(params["streak"])
            return tr.ngettext(
                "🏆 New best: {count} check in a row within your rules.",
                "🏆 New best: {count} checks in a row within your rules.",
                streak,
                count=streak,
            )
        case FeedbackCode.STREAK if "rule" in params:
            streak = int(params["streak"])
            return tr.ngettext(
                "✅ Within your {rule} rule, streak {count}.",
                "✅ Within your {rule} rule, streak {count}.",
                streak,
                count=streak,
                rule=_rule(tr, params["rule"]),
            )
        case FeedbackCode.STREAK:
            return tr.gettext("✅ Within your rules, streak {count}.", count=params["streak"])
        case FeedbackCode.BROKEN if int(params["previous"]) == 0:
            return tr.gettext(
                "⛔ Rule broken ({reason}): this check does not count toward a streak.",
                reason=rule_break(tr, str(params["reason"]), _owner(params)),
            )
        case FeedbackCode.BROKEN:
            previous = int(params["previous"])
            return tr.ngettext(
                "⛔ Rule broken ({reason}): your streak of {count} check ends here.",
                "⛔ Rule broken ({reason}): your streak of {count} checks ends here.",
                previous,
                count=previous,
                reason=rule_break(tr, str(params["reason"]), _owner(params)),
            )
    count = int(params["count"])
    return tr.ngettext(
        "⛔ {count} oversized trade this week: the rule is there to keep you in the game.",
        "⛔ {count} oversized trades this week: the rule is there to keep you in the game.",
        count,
        count=count,
    )


def render_verdict(check: NewCheck, lang: str) -> str:
    """The discipline line of a reply in a group: the verdict on this check, each broken rule
    named with whose it is, and nothing of the member's record (a streak, a count of breaks)
    nor of their rules' values."""
    tr = translator(lang)
    if check.within_rules:
        return tr.gettext("✅ Within your rules.")
    return tr.gettext("⛔ Rule broken ({reason}).", reason=", ".join(check_breaks(tr, check)))


def render_streak(streaks: Streaks, lang: str) -> str:
    """Only days with checks count: a day without trading never breaks the day streak."""
    tr = translator(lang)
    lines = [bold(tr.gettext("Your streaks")), *streak_lines(tr, streaks)]
    lines.append(tr.gettext("A day without trading does not break a streak; a broken rule does."))
    return "\n".join(lines)


def render_stats(stats: Stats, streaks: Streaks, lang: str) -> str:
    """Adherence, rule breaks by kind, results in R, the cost of broken rules and the trend."""
    tr = translator(lang)
    lines = [bold(tr.gettext("Your discipline"))]
    if stats.counted == 0 or stats.adherence is None:
        lines.append(tr.gettext("No counted checks yet: every /size you run lands in your log."))
        return "\n".join(lines)
    lines.append(
        tr.gettext(
            "Within your rules: {within} of {counted} checks ({adherence})",
            within=stats.within_rules,
            counted=stats.counted,
            adherence=tr.percent(stats.adherence / 100),
        )
    )
    if stats.breaks:
        lines.append(tr.gettext("Rule breaks: {kinds}", kinds=rule_breaks(tr, stats.breaks)))
    lines.append(
        tr.gettext(
            "Outcomes: {wins} won, {losses} lost, {be} break-even",
            wins=stats.wins,
            losses=stats.losses,
            be=stats.breakeven,
        )
    )
    if stats.average_r is not None:
        lines.append(
            tr.gettext(
                "Result: {total} in all, {average} a trade",
                total=r_multiple(tr, stats.total_r),
                average=r_multiple(tr, stats.average_r),
            )
        )
    lines.append(
        tr.gettext(
            "Cost of broken rules: {cost} lost beyond your budget",
            cost=tr.money(stats.cost_of_broken_rules),
        )
    )
    if stats.trend is not None:
        lines.append(
            tr.gettext(
                "Trend: {recent} of your last 10 checks within rules, {previous} of the 10 before",
                recent=tr.percent(stats.trend.recent / 100),
                previous=tr.percent(stats.trend.previous / 100),
            )
        )
    lines.extend(streak_lines(tr, streaks))
    return "\n".join(lines)


def _criterion(tr: Translator, criterion: Criterion) -> str:
    value: object = criterion.value
    threshold: object = criterion.threshold
    if criterion.code is ReadinessCode.ADHERENCE:
        value = "—" if criterion.value is None else tr.percent(Decimal(criterion.value) / 100)
        threshold = tr.percent(Decimal(criterion.threshold) / 100, exact=True)
    mark = "✅" if criterion.met else "❌"
    return f"{mark} " + tr.gettext(_CRITERIA[criterion.code], value=value, threshold=threshold)


def render_ready(readiness: Readiness, lang: str) -> str:
    """Standard contracts multiply every mistake: the answer rests on months of record."""
    tr = translator(lang)
    if readiness.ready:
        head = tr.gettext("Your record supports moving from micro to standard contracts.")
    else:
        head = tr.gettext("Not yet: stay on micro contracts until every line is ✅.")
    lines = [bold(head), *(_criterion(tr, criterion) for criterion in readiness.criteria)]
    return "\n".join(lines)
