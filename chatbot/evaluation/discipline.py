"""Discipline from a member's own log: the verdict on a check, streaks, stats, feedback, readiness.

Pure functions over `DisciplineRow`s in id order, so every figure can be recomputed from the log
and tested by hand. A check marked "exploring" (the member was only looking) is not part of the
record: it neither counts nor breaks a streak, and its outcome, if any, stays out of the stats.
Nothing here produces text: feedback is a stable code with parameters, worded by the renderer.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BeforeValidator, Field

from chatbot.engine.models import Frozen, WarningCode


def _split_codes(value: object) -> object:
    """Breaks are stored as one comma-separated TEXT column; an empty string means none."""
    if isinstance(value, str):
        return tuple(code for code in value.split(",") if code)
    return value


Codes = Annotated[tuple[str, ...], BeforeValidator(_split_codes)]
LocalDay = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class TradeResult(StrEnum):
    """How a checked trade ended, as the member reported it with /result."""

    WIN = "win"
    LOSS = "loss"
    BE = "be"


class DisciplineRow(Frozen):
    """The slice of a check and its outcome that streaks, stats and readiness are computed from."""

    check_id: int
    created_at: datetime
    local_day: LocalDay
    within_rules: bool
    breaks: Codes = ()
    exploring: bool = False
    risk_fraction: Decimal | None = None
    result: TradeResult | None = None
    r_multiple: Decimal | None = None
    liquidated: bool = False
    loss_beyond_budget: Decimal | None = None


RULE_BREAKS: tuple[WarningCode, ...] = (
    WarningCode.RISK_ABOVE_RULE,
    WarningCode.LEVERAGE_ABOVE_LIMIT,
    # The rule "a stop always fires before liquidation": a stop beyond it never fires.
    WarningCode.LIQUIDATION_BEFORE_STOP,
)
TREND_WINDOW = 10
OVERSIZED_WEEK_DAYS = 7
OVERSIZED_WEEK_ALERT = 3
READY_MONTHS_WITH_OUTCOMES = 3
READY_POSITIVE_MONTHS = 2
READY_ADHERENCE_PCT = Decimal(90)
READY_COUNTED_CHECKS = 30
READY_MAX_LIQUIDATIONS = 0


class Verdict(Frozen):
    """Whether a check respected the member's rules, and which rules it broke."""

    within_rules: bool
    breaks: tuple[str, ...]


class Streaks(Frozen):
    """Current and best runs of rule-respecting checks, and of clean active days."""

    checks: int = 0
    best_checks: int = 0
    days: int = 0
    best_days: int = 0


class Trend(Frozen):
    """Adherence % of the latest `TREND_WINDOW` counted checks against the window before."""

    recent: Decimal
    previous: Decimal


class Stats(Frozen):
    """The figures /stats shows; `adherence` is a percentage, None before any counted check."""

    counted: int
    within_rules: int
    adherence: Decimal | None
    breaks: dict[str, int]
    wins: int
    losses: int
    breakeven: int
    total_r: Decimal
    average_r: Decimal | None
    cost_of_broken_rules: Decimal
    oversized_week: int
    trend: Trend | None


class FeedbackCode(StrEnum):
    FIRST_CHECK = "first_check"
    NEW_BEST = "new_best"
    STREAK = "streak"
    BROKEN = "broken"
    OVERSIZED_WEEK = "oversized_week"


class Feedback(Frozen):
    """The one line of discipline feedback in a reply, as a code the renderer words."""

    code: FeedbackCode
    params: dict[str, int | str | Decimal] = Field(default_factory=dict)


class ReadinessCode(StrEnum):
    MONTHS_WITH_OUTCOMES = "months_with_outcomes"
    POSITIVE_MONTHS = "positive_months"
    COUNTED_CHECKS = "counted_checks"
    ADHERENCE = "adherence"
    LIQUIDATIONS = "liquidations"


class Criterion(Frozen):
    """One condition for standard contracts, with the member's figure so /ready can show the gap."""

    code: ReadinessCode
    value: int | Decimal | None
    threshold: int | Decimal
    met: bool


class Readiness(Frozen):
    criteria: tuple[Criterion, ...]
    ready: bool


def judge(warnings: Iterable[WarningCode]) -> Verdict:
    """Only the member's rules count as breaks; other warnings (fees, minimums) are advice."""
    raised = set(warnings)
    breaks = tuple(code.value for code in RULE_BREAKS if code in raised)
    return Verdict(within_rules=not breaks, breaks=breaks)


def streaks_of(rows: Sequence[DisciplineRow]) -> Streaks:
    """Days are the stored local days with a counted check: an idle day is simply absent, so
    it cannot break the day streak, while a day with one rule break does."""
    counted = _counted(rows)
    checks, best_checks = _runs(row.within_rules for row in counted)
    days, best_days = _runs(_clean_days(counted))
    return Streaks(checks=checks, best_checks=best_checks, days=days, best_days=best_days)


def stats_of(rows: Sequence[DisciplineRow]) -> Stats:
    """The cost of broken rules sums what losses of rule-breaking checks cost beyond the budget,
    so the member sees the price of indiscipline and not only a counter."""
    counted = _counted(rows)
    within = sum(row.within_rules for row in counted)
    outcomes = [row for row in counted if row.result is not None]
    results = Counter(row.result for row in outcomes)
    r_values = [row.r_multiple for row in outcomes if row.r_multiple is not None]
    total_r = sum(r_values, Decimal(0))
    return Stats(
        counted=len(counted),
        within_rules=within,
        adherence=_percent(within, len(counted)) if counted else None,
        breaks=dict(Counter(code for row in counted for code in row.breaks)),
        wins=results[TradeResult.WIN],
        losses=results[TradeResult.LOSS],
        breakeven=results[TradeResult.BE],
        total_r=total_r,
        average_r=total_r / len(r_values) if r_values else None,
        cost_of_broken_rules=sum(
            (row.loss_beyond_budget or Decimal(0) for row in outcomes if not row.within_rules),
            Decimal(0),
        ),
        oversized_week=_oversized_last_week(counted),
        trend=_trend(counted),
    )


def feedback(
    before: Streaks, after: Streaks, verdict: Verdict, stats: Stats, *, rule: Decimal | None = None
) -> Feedback:
    """Feedback on a counted check: `before`/`after` are the streaks without and with it, `stats`
    includes it, and `rule` (the member's max risk, if known) goes into a streak's params."""
    if not verdict.within_rules:
        oversized = WarningCode.RISK_ABOVE_RULE.value in verdict.breaks
        if oversized and stats.oversized_week >= OVERSIZED_WEEK_ALERT:
            return Feedback(
                code=FeedbackCode.OVERSIZED_WEEK, params={"count": stats.oversized_week}
            )
        params = {"reason": verdict.breaks[0], "previous": before.checks}
        return Feedback(code=FeedbackCode.BROKEN, params=params)
    if stats.counted == 1:
        return Feedback(code=FeedbackCode.FIRST_CHECK)
    if after.best_checks > before.best_checks:
        return Feedback(code=FeedbackCode.NEW_BEST, params={"streak": after.checks})
    streak: dict[str, int | str | Decimal] = {"streak": after.checks}
    if rule is not None:
        streak["rule"] = rule
    return Feedback(code=FeedbackCode.STREAK, params=streak)


def readiness_of(rows: Sequence[DisciplineRow]) -> Readiness:
    """Standard contracts multiply every mistake: ask for months of results, not a lucky week."""
    counted = _counted(rows)
    stats = stats_of(rows)
    monthly = _monthly_r(counted)
    positive = sum(total > 0 for total in monthly.values())
    liquidations = sum(row.liquidated for row in counted if row.result is not None)
    adherence_met = stats.adherence is not None and stats.adherence >= READY_ADHERENCE_PCT
    criteria = (
        _at_least(ReadinessCode.MONTHS_WITH_OUTCOMES, len(monthly), READY_MONTHS_WITH_OUTCOMES),
        _at_least(ReadinessCode.POSITIVE_MONTHS, positive, READY_POSITIVE_MONTHS),
        _at_least(ReadinessCode.COUNTED_CHECKS, stats.counted, READY_COUNTED_CHECKS),
        Criterion(
            code=ReadinessCode.ADHERENCE,
            value=stats.adherence,
            threshold=READY_ADHERENCE_PCT,
            met=adherence_met,
        ),
        Criterion(
            code=ReadinessCode.LIQUIDATIONS,
            value=liquidations,
            threshold=READY_MAX_LIQUIDATIONS,
            met=liquidations <= READY_MAX_LIQUIDATIONS,
        ),
    )
    return Readiness(criteria=criteria, ready=all(criterion.met for criterion in criteria))


def _counted(rows: Sequence[DisciplineRow]) -> list[DisciplineRow]:
    return [row for row in rows if not row.exploring]


def _runs(flags: Iterable[bool]) -> tuple[int, int]:
    """The current and the best run of consecutive True values."""
    current = best = 0
    for flag in flags:
        current = current + 1 if flag else 0
        best = max(best, current)
    return current, best


def _clean_days(counted: Sequence[DisciplineRow]) -> list[bool]:
    """Per active day in calendar order (ISO strings sort by date): were all its checks clean?"""
    clean: dict[str, bool] = {}
    for row in counted:
        clean[row.local_day] = clean.get(row.local_day, True) and row.within_rules
    return [clean[day] for day in sorted(clean)]


def _percent(part: int, whole: int) -> Decimal:
    return Decimal(100 * part) / whole


def _trend(counted: Sequence[DisciplineRow]) -> Trend | None:
    """Only two full windows make a fair comparison."""
    if len(counted) < 2 * TREND_WINDOW:
        return None
    recent = counted[-TREND_WINDOW:]
    previous = counted[-2 * TREND_WINDOW : -TREND_WINDOW]
    return Trend(
        recent=_percent(sum(row.within_rules for row in recent), TREND_WINDOW),
        previous=_percent(sum(row.within_rules for row in previous), TREND_WINDOW),
    )


def _oversized_last_week(counted: Sequence[DisciplineRow]) -> int:
    """Oversized checks in the 7 local days ending on the latest active day (the new check's)."""
    if not counted:
        return 0
    latest = max(date.fromisoformat(row.local_day) for row in counted)
    since = (latest - timedelta(days=OVERSIZED_WEEK_DAYS - 1)).isoformat()
    oversized = WarningCode.RISK_ABOVE_RULE.value
    return sum(row.local_day >= since and oversized in row.breaks for row in counted)


def _monthly_r(counted: Sequence[DisciplineRow]) -> dict[str, Decimal]:
    """Sum of R per local month (YYYY-MM) that has at least one logged outcome."""
    monthly: defaultdict[str, Decimal] = defaultdict(Decimal)
    for row in counted:
        if row.result is not None:
            monthly[row.local_day[:7]] += row.r_multiple or Decimal(0)
    return dict(monthly)


def _at_least(code: ReadinessCode, value: int, threshold: int) -> Criterion:
    return Criterion(code=code, value=value, threshold=threshold, met=value >= threshold)
