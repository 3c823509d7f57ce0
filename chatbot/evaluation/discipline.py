"""Discipline from a member's own log: the verdict on a check, streaks, stats, feedback, readiness.

Every figure is kept as a running `Standing`: a `Tally` of sums (checks, breaks, outcomes, R)
that an outcome adjusts in place, and a `Run` of what depends on the order of the checks
(streaks, the trend, the week's oversized checks) that each new check advances by one `step`.
Storage updates both in the transaction that logs the check or the outcome, so /size, /stats
and /streak read one row whatever the history; `fold` computes the same from the rows, for
`riskbot migrate` and for the tests that hold the two equal. A check marked "exploring" (the
member was only looking) is not part of the record: it neither counts nor breaks a streak.
Nothing here produces text: feedback is a stable code with parameters, worded by the renderer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BeforeValidator, Field, model_validator

from chatbot.engine.models import Frozen, RuleOwner, Rules, WarningCode


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
    """The slice of a check and its outcome that the record is computed from.

    `risk_fraction` is read from the stored risk budget and account when only those are given.
    """

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

    @model_validator(mode="before")
    @classmethod
    def _risk_from_budget(cls, data: object) -> object:
        if isinstance(data, dict) and "risk" in data:
            data = dict(data)
            risk, account = data.pop("risk"), data.pop("account", None)
            if risk is not None and account:
                data["risk_fraction"] = Decimal(str(risk)) / Decimal(str(account))
        return data


RULE_BREAKS: tuple[WarningCode, ...] = (
    WarningCode.RISK_ABOVE_RULE,
    WarningCode.LEVERAGE_ABOVE_LIMIT,
    # The rule "a stop always fires before liquidation": a stop beyond it never fires.
    WarningCode.LIQUIDATION_BEFORE_STOP,
)
OVERSIZED = WarningCode.RISK_ABOVE_RULE.value
TREND_WINDOW = 10
OVERSIZED_WEEK_DAYS = 7
OVERSIZED_WEEK_ALERT = 3
READY_MONTHS_WITH_OUTCOMES = 3
READY_POSITIVE_MONTHS = 2
READY_ADHERENCE_PCT = Decimal(90)
READY_COUNTED_CHECKS = 30
READY_MAX_LIQUIDATIONS = 0


class Verdict(Frozen):
    """Whether a check respected the rules that applied, which it broke, and whose they were."""

    within_rules: bool
    breaks: tuple[str, ...]
    owners: dict[str, RuleOwner] = Field(default_factory=dict)


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


# --- the running record ---------------------------------------------------------------------


class Tally(Frozen):
    """Sums over the counted checks and their outcomes: any order gives the same, so an outcome
    replaced is taken out and put in again. `months` is R per local month with an outcome."""

    counted: int = 0
    within_rules: int = 0
    breaks: dict[str, int] = Field(default_factory=dict)
    wins: int = 0
    losses: int = 0
    breakeven: int = 0
    total_r: Decimal = Decimal(0)
    liquidations: int = 0
    cost_of_broken_rules: Decimal = Decimal(0)
    months: dict[str, Decimal] = Field(default_factory=dict)


class Run(Frozen):
    """What depends on the order of the counted checks, advanced one check at a time.

    Days are the local days with a counted check, so an idle day cannot break the day streak:
    `days_before` is the run of clean days up to the day before `last_day`, `best_days_before`
    the best run before it; `recent` holds the latest verdicts ("1" within rules), newest last;
    `oversized` counts oversized checks per local day over the last seven.
    """

    checks: int = 0
    best_checks: int = 0
    last_day: LocalDay | None = None
    last_day_clean: bool = True
    days_before: int = 0
    best_days_before: int = 0
    recent: str = ""
    oversized: dict[str, int] = Field(default_factory=dict)

    @property
    def days(self) -> int:
        if self.last_day is None or not self.last_day_clean:
            return 0
        return self.days_before + 1

    @property
    def streaks(self) -> Streaks:
        days = self.days
        return Streaks(
            checks=self.checks,
            best_checks=self.best_checks,
            days=days,
            best_days=max(self.best_days_before, days),
        )


class Counted(Frozen):
    """What the record needs of one counted check."""

    local_day: LocalDay
    within_rules: bool
    breaks: Codes = ()


class Scored(Frozen):
    """What the record needs of one outcome, with the verdict and day of its check."""

    local_day: LocalDay
    within_rules: bool
    result: TradeResult
    r_multiple: Decimal
    liquidated: bool = False
    loss_beyond_budget: Decimal | None = None


def step(run: Run, check: Counted) -> Run:
    """The run after one more counted check. A day earlier than the last (the member moved
    their clock back) is taken as the last day, so days only move forward."""
    ok = check.within_rules
    checks = run.checks + 1 if ok else 0
    day = check.local_day if run.last_day is None else max(check.local_day, run.last_day)
    if day == run.last_day:
        days_before, best_before, clean = run.days_before, run.best_days_before, run.last_day_clean
        clean = clean and ok
    else:
        days_before, best_before, clean = run.days, max(run.best_days_before, run.days), ok
    oversized = _week(run.oversized, day)
    if OVERSIZED in check.breaks:
        oversized[day] = oversized.get(day, 0) + 1
    return Run(
        checks=checks,
        best_checks=max(run.best_checks, checks),
        last_day=day,
        last_day_clean=clean,
        days_before=days_before,
        best_days_before=best_before,
        recent=(run.recent + ("1" if ok else "0"))[-2 * TREND_WINDOW :],
        oversized=oversized,
    )


def _week(counts: dict[str, int], day: str) -> dict[str, int]:
    since = (date.fromisoformat(day) - timedelta(days=OVERSIZED_WEEK_DAYS - 1)).isoformat()
    return {when: count for when, count in counts.items() if when >= since}


def count(tally: Tally, check: Counted, sign: int = 1) -> Tally:
    """The tally with one counted check added (`sign` 1) or taken out (−1)."""
    breaks = dict(tally.breaks)
    for code in check.breaks:
        breaks[code] = breaks.get(code, 0) + sign
    return tally.model_copy(
        update={
            "counted": tally.counted + sign,
            "within_rules": tally.within_rules + sign * check.within_rules,
            "breaks": {code: n for code, n in breaks.items() if n},
        }
    )


def score(tally: Tally, outcome: Scored, sign: int = 1) -> Tally:
    """The tally with one outcome added (`sign` 1) or taken out (−1) before its replacement.

    The cost of broken rules sums what losses of rule-breaking checks cost beyond the budget,
    so the member sees the price of indiscipline and not only a counter."""
    r = sign * outcome.r_multiple
    month = outcome.local_day[:7]
    cost = outcome.loss_beyond_budget or Decimal(0)
    field = {TradeResult.WIN: "wins", TradeResult.LOSS: "losses", TradeResult.BE: "breakeven"}
    name = field[outcome.result]
    return tally.model_copy(
        update={
            name: getattr(tally, name) + sign,
            "total_r": tally.total_r + r,
            "liquidations": tally.liquidations + sign * outcome.liquidated,
            "cost_of_broken_rules": tally.cost_of_broken_rules
            + (Decimal(0) if outcome.within_rules else sign * cost),
            "months": {**tally.months, month: tally.months.get(month, Decimal(0)) + r},
        }
    )


def counted_of(row: DisciplineRow) -> Counted:
    return Counted(local_day=row.local_day, within_rules=row.within_rules, breaks=row.breaks)


def scored_of(row: DisciplineRow) -> Scored | None:
    if row.result is None:
        return None
    return Scored(
        local_day=row.local_day,
        within_rules=row.within_rules,
        result=row.result,
        r_multiple=row.r_multiple or Decimal(0),
        liquidated=row.liquidated,
        loss_beyond_budget=row.loss_beyond_budget,
    )


def advance(run: Run, rows: Iterable[DisciplineRow]) -> Run:
    """The run after the counted checks among `rows`, in their order."""
    for row in rows:
        if not row.exploring:
            run = step(run, counted_of(row))
    return run


def tally_of(rows: Iterable[DisciplineRow]) -> Tally:
    """The sums over the counted checks among `rows` and their outcomes."""
    tally = Tally()
    for row in rows:
        if row.exploring:
            continue
        tally = count(tally, counted_of(row))
        scored = scored_of(row)
        if scored is not None:
            tally = score(tally, scored)
    return tally


# --- figures from the record ------------------------------------------------------------------


def judge(warnings: Iterable[WarningCode], rules: Rules | None = None) -> Verdict:
    """Only the rules count as breaks; other warnings (fees, minimums) are advice. Each break
    keeps whose rule it was (the member's, the group's or the default), for the reply."""
    raised = set(warnings)
    breaks = tuple(code.value for code in RULE_BREAKS if code in raised)
    owners: dict[str, RuleOwner] = {}
    if rules is not None:
        owners = {
            WarningCode.RISK_ABOVE_RULE.value: rules.risk_owner,
            WarningCode.LEVERAGE_ABOVE_LIMIT.value: rules.leverage_owner,
        }
        owners = {code: owner for code, owner in owners.items() if code in breaks}
    return Verdict(within_rules=not breaks, breaks=breaks, owners=owners)


def stats_from(tally: Tally, run: Run) -> Stats:
    outcomes = tally.wins + tally.losses + tally.breakeven
    return Stats(
        counted=tally.counted,
        within_rules=tally.within_rules,
        adherence=_percent(tally.within_rules, tally.counted) if tally.counted else None,
        breaks=dict(tally.breaks),
        wins=tally.wins,
        losses=tally.losses,
        breakeven=tally.breakeven,
        total_r=tally.total_r,
        average_r=tally.total_r / outcomes if outcomes else None,
        cost_of_broken_rules=tally.cost_of_broken_rules,
        oversized_week=sum(run.oversized.values()),
        trend=_trend(run.recent),
    )


def readiness_from(tally: Tally) -> Readiness:
    """Standard contracts multiply every mistake: ask for months of results, not a lucky week."""
    positive = sum(total > 0 for total in tally.months.values())
    adherence = _percent(tally.within_rules, tally.counted) if tally.counted else None
    criteria = (
        _at_least(
            ReadinessCode.MONTHS_WITH_OUTCOMES, len(tally.months), READY_MONTHS_WITH_OUTCOMES
        ),
        _at_least(ReadinessCode.POSITIVE_MONTHS, positive, READY_POSITIVE_MONTHS),
        _at_least(ReadinessCode.COUNTED_CHECKS, tally.counted, READY_COUNTED_CHECKS),
        Criterion(
            code=ReadinessCode.ADHERENCE,
            value=adherence,
            threshold=READY_ADHERENCE_PCT,
            met=adherence is not None and adherence >= READY_ADHERENCE_PCT,
        ),
        Criterion(
            code=ReadinessCode.LIQUIDATIONS,
            value=tally.liquidations,
            threshold=READY_MAX_LIQUIDATIONS,
            met=tally.liquidations <= READY_MAX_LIQUIDATIONS,
        ),
    )
    return Readiness(criteria=criteria, ready=all(criterion.met for criterion in criteria))


def streaks_of(rows: Sequence[DisciplineRow]) -> Streaks:
    """Streaks of a whole log, in id order."""
    return advance(Run(), rows).streaks


def stats_of(rows: Sequence[DisciplineRow]) -> Stats:
    """Stats of a whole log, in id order."""
    return stats_from(tally_of(rows), advance(Run(), rows))


def readiness_of(rows: Sequence[DisciplineRow]) -> Readiness:
    return readiness_from(tally_of(rows))


def feedback(
    before: Streaks, after: Streaks, verdict: Verdict, stats: Stats, *, rule: Decimal | None = None
) -> Feedback:
    """Feedback on a counted check: `before`/`after` are the streaks without and with it, `stats`
    includes it, and `rule` (the max risk that judged it) goes into a streak's params."""
    if not verdict.within_rules:
        oversized = OVERSIZED in verdict.breaks
        if oversized and stats.oversized_week >= OVERSIZED_WEEK_ALERT:
            return Feedback(
                code=FeedbackCode.OVERSIZED_WEEK, params={"count": stats.oversized_week}
            )
        reason = verdict.breaks[0]
        params: dict[str, int | str | Decimal] = {"reason": reason, "previous": before.checks}
        if reason in verdict.owners:
            params["owner"] = verdict.owners[reason].value
        return Feedback(code=FeedbackCode.BROKEN, params=params)
    if stats.counted == 1:
        return Feedback(code=FeedbackCode.FIRST_CHECK)
    if after.best_checks > before.best_checks:
        return Feedback(code=FeedbackCode.NEW_BEST, params={"streak": after.checks})
    streak: dict[str, int | str | Decimal] = {"streak": after.checks}
    if rule is not None:
        streak["rule"] = rule
    return Feedback(code=FeedbackCode.STREAK, params=streak)


def _percent(part: int, whole: int) -> Decimal:
    return Decimal(100 * part) / whole


def _trend(recent: str) -> Trend | None:
    """Only two full windows make a fair comparison."""
    if len(recent) < 2 * TREND_WINDOW:
        return None
    return Trend(
        recent=_percent(recent[TREND_WINDOW:].count("1"), TREND_WINDOW),
        previous=_percent(recent[:TREND_WINDOW].count("1"), TREND_WINDOW),
    )


def _at_least(code: ReadinessCode, value: int, threshold: int) -> Criterion:
    return Criterion(code=code, value=value, threshold=threshold, met=value >= threshold)
