"""Discipline figures recomputed by hand from small logs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import count

from hypothesis import given
from hypothesis import strategies as st

from chatbot.engine.models import WarningCode
from chatbot.evaluation.discipline import (
    READY_ADHERENCE_PCT,
    DisciplineRow,
    Feedback,
    FeedbackCode,
    ReadinessCode,
    Streaks,
    TradeResult,
    Trend,
    Verdict,
    feedback,
    judge,
    readiness_of,
    stats_of,
    streaks_of,
)

RISK = "risk_above_rule"
LEVERAGE = "leverage_above_limit"
LIQUIDATION = "liquidation_before_stop"
_ids = count(1)


def entry(
    day: str,
    ok: bool = True,
    *,
    breaks: tuple[str, ...] = (),
    exploring: bool = False,
    result: TradeResult | None = None,
    r: str | None = None,
    liquidated: bool = False,
    beyond: str | None = None,
) -> DisciplineRow:
    """One logged check; a rule break defaults to oversized risk."""
    return DisciplineRow(
        check_id=next(_ids),
        created_at=datetime.fromisoformat(day).replace(tzinfo=UTC),
        local_day=day,
        within_rules=ok,
        breaks=breaks or (() if ok else (RISK,)),
        exploring=exploring,
        result=result,
        r_multiple=None if r is None else Decimal(r),
        liquidated=liquidated,
        loss_beyond_budget=None if beyond is None else Decimal(beyond),
    )


def run(day: str, pattern: str) -> list[DisciplineRow]:
    """Checks on one day from a pattern: o = within rules, x = broken, e = exploring and broken."""
    return [entry(day, mark == "o", exploring=mark == "e") for mark in pattern]


def feedback_after(history: Sequence[DisciplineRow], new: DisciplineRow) -> Feedback:
    """Feedback as the bot computes it right after logging `new`."""
    after = [*history, new]
    verdict = Verdict(within_rules=new.within_rules, breaks=new.breaks)
    return feedback(
        streaks_of(history), streaks_of(after), verdict, stats_of(after), rule=Decimal("0.01")
    )


def test_only_rule_warnings_are_breaks() -> None:
    """Fee and minimum-size warnings are advice; risk, leverage and liquidation are rule breaks."""
    warnings = (
        WarningCode.FEES_LARGE_VS_STOP,
        WarningCode.LIQUIDATION_BEFORE_STOP,
        WarningCode.RISK_ABOVE_RULE,
    )
    assert judge(warnings) == Verdict(within_rules=False, breaks=(RISK, LIQUIDATION))
    assert judge([WarningCode.MIN_SIZE_EXCEEDS_RISK]) == Verdict(within_rules=True, breaks=())


def test_empty_log_has_no_streaks() -> None:
    """No checks, no runs."""
    assert streaks_of([]) == Streaks()


def test_exploring_checks_neither_count_nor_break() -> None:
    """o o e o: the exploring break is skipped, the run is 3."""
    streaks = streaks_of(run("2024-05-01", "ooeo"))
    assert (streaks.checks, streaks.best_checks) == (3, 3)


def test_a_break_resets_the_check_streak() -> None:
    """o o o x o o: current 2, best 3."""
    streaks = streaks_of(run("2024-05-01", "oooxoo"))
    assert (streaks.checks, streaks.best_checks) == (2, 3)


def test_idle_days_do_not_break_the_day_streak() -> None:
    """Clean active days on the 1st, 2nd and 9th make 3 in a row; an exploring-only day is idle."""
    log = [
        *run("2024-05-01", "oo"),
        *run("2024-05-02", "o"),
        *run("2024-05-05", "e"),
        *run("2024-05-09", "o"),
    ]
    streaks = streaks_of(log)
    assert (streaks.days, streaks.best_days) == (3, 3)


def test_a_day_with_a_break_resets_the_day_streak() -> None:
    """Days: 1st clean, 2nd clean, 3rd broken (even with a clean check), 4th clean → 1, best 2."""
    log = [
        *run("2024-05-01", "o"),
        *run("2024-05-02", "o"),
        *run("2024-05-03", "ox"),
        *run("2024-05-04", "o"),
    ]
    streaks = streaks_of(log)
    assert (streaks.days, streaks.best_days) == (1, 2)


def test_stats_by_hand() -> None:
    """Adherence, breaks, results, R and the cost of broken rules of a seven-check log."""
    log = [
        entry("2024-05-01", result=TradeResult.WIN, r="2"),
        entry("2024-05-01", False, result=TradeResult.LOSS, r="-1.8", beyond="8.00"),
        # within rules, so its slippage beyond the budget is not a cost of broken rules
        entry("2024-05-02", result=TradeResult.LOSS, r="-1", beyond="1.00"),
        entry(
            "2024-05-03",
            False,
            breaks=(LEVERAGE, LIQUIDATION),
            result=TradeResult.LOSS,
            r="-3",
            liquidated=True,
            beyond="20.50",
        ),
        # exploring: left out of every figure
        entry("2024-05-03", False, exploring=True, result=TradeResult.LOSS, r="-5", beyond="40"),
        entry("2024-05-04", result=TradeResult.BE, r="0"),
        entry("2024-05-04"),
    ]
    stats = stats_of(log)
    # counted 6 (7 minus the exploring one), within rules 4 → 400 / 6 = 66.67 %
    assert (stats.counted, stats.within_rules) == (6, 4)
    assert stats.adherence == Decimal(400) / 6
    assert stats.breaks == {RISK: 1, LEVERAGE: 1, LIQUIDATION: 1}
    assert (stats.wins, stats.losses, stats.breakeven) == (1, 3, 1)
    # 2 − 1.8 − 1 − 3 + 0 = −3.8 over 5 outcomes → −0.76
    assert stats.total_r == Decimal("-3.8")
    assert stats.average_r == Decimal("-0.76")
    # broken checks' losses beyond budget: 8.00 + 20.50 = 28.50
    assert stats.cost_of_broken_rules == Decimal("28.50")
    # risk breaks in 28 Apr – 4 May: only the 1 May one (the exploring one is left out)
    assert stats.oversized_week == 1
    assert stats.trend is None


def test_empty_stats() -> None:
    """No counted check: adherence is unknown rather than 0 or 100."""
    stats = stats_of(run("2024-05-01", "e"))
    assert stats.counted == 0
    assert stats.adherence is None
    assert stats.average_r is None
    assert stats.total_r == stats.cost_of_broken_rules == 0


def test_trend_compares_the_last_ten_with_the_ten_before() -> None:
    """Ten checks at 5/10 then ten at 9/10, exploring ones between: 50 % → 90 %."""
    log = [
        *run("2024-05-01", "oooooxxxxx"),
        *run("2024-05-02", "eee"),
        *run("2024-05-03", "ooooxooooo"),
    ]
    assert stats_of(log).trend == Trend(recent=Decimal(90), previous=Decimal(50))
    assert stats_of(log[:-1]).trend is None


def test_oversized_week_counts_seven_local_days() -> None:
    """Latest day 1 May: the week is 25 Apr – 1 May, so the 24 Apr break falls outside it."""
    log = [entry(day, False) for day in ("2024-04-24", "2024-04-25", "2024-04-30", "2024-05-01")]
    assert stats_of(log).oversized_week == 3


def test_feedback_first_check() -> None:
    """The first counted check, within rules, gets the welcome code."""
    assert feedback_after(run("2024-05-01", "e"), entry("2024-05-01")).code is (
        FeedbackCode.FIRST_CHECK
    )


def test_feedback_new_best() -> None:
    """o o x o o, then o: a run of 3 beats the best of 2."""
    result = feedback_after(run("2024-05-01", "ooxoo"), entry("2024-05-01"))
    assert result == Feedback(code=FeedbackCode.NEW_BEST, params={"streak": 3})


def test_feedback_streak_names_the_rule() -> None:
    """o o o x o, then o: a run of 2 under a best of 3, with the member's rule."""
    result = feedback_after(run("2024-05-01", "oooxo"), entry("2024-05-01"))
    assert result == Feedback(
        code=FeedbackCode.STREAK, params={"streak": 2, "rule": Decimal("0.01")}
    )


def test_feedback_broken() -> None:
    """A break after three clean checks names the rule broken and the run it ended."""
    new = entry("2024-05-01", False, breaks=(LEVERAGE,))
    result = feedback_after(run("2024-05-01", "ooo"), new)
    assert result == Feedback(code=FeedbackCode.BROKEN, params={"reason": LEVERAGE, "previous": 3})


def test_feedback_third_oversized_this_week() -> None:
    """The third oversized check within a week is called out as a pattern."""
    history = [entry("2024-04-28", False), entry("2024-04-30"), entry("2024-05-01", False)]
    result = feedback_after(history, entry("2024-05-02", False))
    assert result == Feedback(code=FeedbackCode.OVERSIZED_WEEK, params={"count": 3})


def ready_log() -> list[DisciplineRow]:
    """30 counted checks, 27 within rules (exactly 90 %), over three months of outcomes:
    March +2R, April +1R, May −1R, so two positive months and no liquidation."""
    log: list[DisciplineRow] = []
    for month, r in (("2024-03", "2"), ("2024-04", "1"), ("2024-05", "-1")):
        log += [entry(f"{month}-{day:02d}") for day in range(1, 9)]
        log.append(entry(f"{month}-20", result=TradeResult.WIN, r=r))
        log.append(entry(f"{month}-21", False))
    return log


def test_ready_at_the_thresholds() -> None:
    """Every criterion met exactly at its threshold makes the member ready."""
    readiness = readiness_of(ready_log())
    values = {criterion.code: criterion.value for criterion in readiness.criteria}
    assert values == {
        ReadinessCode.MONTHS_WITH_OUTCOMES: 3,
        ReadinessCode.POSITIVE_MONTHS: 2,
        ReadinessCode.COUNTED_CHECKS: 30,
        ReadinessCode.ADHERENCE: READY_ADHERENCE_PCT,
        ReadinessCode.LIQUIDATIONS: 0,
    }
    assert readiness.ready


def test_one_liquidation_blocks_readiness() -> None:
    """A single liquidation is enough to say "not yet", whatever the rest."""
    log = [*ready_log(), entry("2024-05-25", result=TradeResult.LOSS, r="-1", liquidated=True)]
    readiness = readiness_of(log)
    unmet = [criterion.code for criterion in readiness.criteria if not criterion.met]
    assert unmet == [ReadinessCode.LIQUIDATIONS]
    assert not readiness.ready


def test_one_more_break_drops_adherence_below_ninety() -> None:
    """27 of 31 within rules is 87.1 %: adherence is the missing criterion."""
    readiness = readiness_of([*ready_log(), entry("2024-05-26", False)])
    unmet = [criterion.code for criterion in readiness.criteria if not criterion.met]
    assert unmet == [ReadinessCode.ADHERENCE]


def test_empty_log_is_not_ready() -> None:
    """With no record every criterion but "no liquidations" is unmet, adherence unknown."""
    readiness = readiness_of([])
    unmet = {criterion.code for criterion in readiness.criteria if not criterion.met}
    assert unmet == set(ReadinessCode) - {ReadinessCode.LIQUIDATIONS}
    assert not readiness.ready


checks = st.lists(st.tuples(st.booleans(), st.booleans(), st.integers(0, 3)), max_size=60)


@given(checks)
def test_streak_bounds(spec: list[tuple[bool, bool, int]]) -> None:
    """Current ≤ best ≤ counted checks (or active days), whatever the log."""
    day = date(2024, 1, 1)
    log: list[DisciplineRow] = []
    for ok, exploring, gap in spec:
        day += timedelta(days=gap)
        log.append(entry(day.isoformat(), ok, exploring=exploring))
    counted = [row for row in log if not row.exploring]
    streaks = streaks_of(log)
    assert 0 <= streaks.checks <= streaks.best_checks <= len(counted)
    assert 0 <= streaks.days <= streaks.best_days <= len({row.local_day for row in counted})
