"""A member's week replayed through the service layer, every figure worked out by hand here.

The member keeps $1,000 and their own rules (2% risk, 10x leverage); they also trade in a group
whose policy is 1% and 5x, where the stricter limit of each pair applies. All checks are
`BTC 72000 stop 71500` on Binance USDⓈ-M (taker fee 0.05%) unless said, so the loss per BTC at
the stop is 500 + 0.0005 × (72,000 + 71,500) = 571.75.

| # | day | where | typed | size | verdict |
|---|-----|-------|-------|------|---------|
| 1 | Mon 6 May | private | risk 1% lev 5 | 10 / 571.75 → 0.017 | within |
| 2 | Mon | private | risk 1.5% lev 5 | 15 / 571.75 → 0.026 | within (own 2%) |
| 3 | Tue | group | risk 1% lev 10 | 0.017 | leverage above the group's 5x |
| 4 | Tue | private | risk 1% lev 5 | 0.017 | within, then "just exploring" |
| 5 | Wed | private | risk 3% lev 5 | 30 / 571.75 → 0.052 | risk above own 2% |
| 6 | Wed | private | risk 1% lev 20 stop 68000 | 10 / 4,070 → 0.002 | lev. above own 10x, stop |
| 7 | Fri | private | risk 1% lev 5 tp 74000 | 0.017 | within |
| 8 | Fri | private | risk 1% lev 5 | 0.017 | within |
| 9 | Sat | group | risk 1.5% lev 3 | 0.026 | risk above the group's 1% |
| 10 | Sat | group | risk 1% lev 3 | 0.017 | within |

(#6's stop at 68,000 lies beyond its liquidation at ≈ 68,674.70: a second rule broken.)

Outcomes (R to four decimals, as stored):
- #1 loss, no exit: at the stop, −1 R.
- #2 win exit 73,500: 0.026 × 1,500 − 0.0005 × 0.026 × 145,500 = 39 − 1.8915 = 37.1085, over the
  loss at stop 0.026 × 500 + 0.0005 × 0.026 × 143,500 = 14.8655: +2.4963 R.
- #3 break-even, no exit: 0 R.
- #4 cannot take one: it was only explored.
- #5 loss exit 71,000: −0.052 × 1,000 − 0.0005 × 0.052 × 143,000 = −55.718, over 29.731:
  −1.8741 R; 55.718 − the own rule's $20 = 35.718 lost beyond the rule.
- #6 liquidated: the margin 144 / 20 = 7.20 plus fees ≈ 0.14 is less than the 8.14 the stop would
  have cost, but a liquidation never counts better than the stop: −1 R; nothing beyond the rule.
- #7 win, no exit: at the target, 34 − 0.0005 × 0.017 × 146,000 = 32.759 over 9.71975: +3.3704 R.
- #8 first a loss (−1 R), then replaced by a win exit 72,800: 13.6 − 1.2308 = 12.3692 over
  9.71975: +1.2726 R.

Counted: 9 checks (#4 left out), 5 within the rules: 55.56%. Check streak: 1 1 0 0 0 1 1 0 1 →
current 1, best 2. Days: Mon clean, Tue broken (#3; #4 does not count), Wed broken, Thu idle,
Fri clean, Sat broken (#9) → current 0, best 1. Outcomes: 3 won (#2, #7, #8), 3 lost (#1, #5,
#6), 1 break-even (#3); R: −1 + 2.4963 + 0 − 1.8741 − 1 + 3.3704 + 1.2726 = +3.2652, over 7
outcomes. Cost of broken rules: 35.718. Oversized in the week ending Saturday: #5 and #9.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from chatbot.evaluation.discipline import Run
from chatbot.evaluation.standing import Marking, rebuilt
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.member_commands import ResultRequest
from chatbot.render.html import to_plain
from chatbot.service import checks, journal, record
from chatbot.service.members import Member, load_member
from chatbot.storage import Database

ME, GROUP = 3003, -100300
MONDAY = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
WEEK: tuple[tuple[int, bool, str], ...] = (
    # (day after Monday, in the group, the command)
    (0, False, "/size BTC 72000 stop 71500 acct 1000 risk 1% lev 5"),
    (0, False, "/size BTC 72000 stop 71500 acct 1000 risk 1.5% lev 5"),
    (1, True, "/size BTC 72000 stop 71500 acct 1000 risk 1% lev 10"),
    (1, False, "/size BTC 72000 stop 71500 acct 1000 risk 1% lev 5"),
    (2, False, "/size BTC 72000 stop 71500 acct 1000 risk 3% lev 5"),
    (2, False, "/size BTC 72000 stop 68000 acct 1000 risk 1% lev 20"),
    (4, False, "/size BTC 72000 stop 71500 acct 1000 risk 1% lev 5 tp 74000"),
    (4, False, "/size BTC 72000 stop 71500 acct 1000 risk 1% lev 5"),
    (5, True, "/size BTC 72000 stop 71500 acct 1000 risk 1.5% lev 3"),
    (5, True, "/size BTC 72000 stop 71500 acct 1000 risk 1% lev 3"),
)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with await Database.open(tmp_path / "week.sqlite3") as database:
        await database.save_settings(ME, max_risk=Decimal("0.02"), max_leverage=Decimal(10))
        await database.save_policy(GROUP, max_risk=Decimal("0.01"), max_leverage=Decimal(5))
        yield database


async def member(db: Database, in_group: bool) -> Member:
    chat = GROUP if in_group else ME
    return await load_member(db, ME, chat_id=chat, group=in_group, telegram_code="en")


def moment(n: int) -> datetime:
    """Check n is made at 9:00 + n hours of its day."""
    return MONDAY + timedelta(days=WEEK[n - 1][0], hours=n)


async def replay_checks(db: Database) -> dict[int, str]:
    """Each check of the week in its turn; right after #4, the member changes their mind about
    it three times (out of the record, in again, out for good) and tries to take #1, made the
    day before, out of it too. Returns each reply by number."""
    replies: dict[int, str] = {}
    mine = await member(db, False)
    for n, (_, in_group, text) in enumerate(WEEK, start=1):
        who = await member(db, in_group)
        check = await checks.evaluate_for(who, text)
        logged = await checks.log_check(db, who, check, f"k{n}", moment(n))
        assert logged.check_id == n and logged.text is not None
        replies[n] = logged.text
        if n == 4:
            for exploring in (True, False, True):
                marked = await checks.set_exploring(db, mine, 4, exploring, moment(4))
                assert marked.marking is Marking.MARKED
            too_late = await checks.set_exploring(db, mine, 1, True, moment(4))
            assert too_late.marking is Marking.TOO_LATE
    return replies


async def result(db: Database, check_id: int, outcome: str, exit_price: str | None = None) -> str:
    request = ResultRequest.model_validate(
        {"check_id": check_id, "outcome": outcome, "exit": exit_price}
    )
    return await journal.record_result(db, await member(db, False), request)


async def test_a_week_of_checks_explorations_outcomes_and_a_group_policy(db: Database) -> None:
    """The record after the week is the one worked out by hand in the module docstring."""
    replies = await replay_checks(db)
    assert "⛔ Leverage 10x: above this group's 5x limit" in replies[3]
    assert "Rule broken (leverage above the group's limit)" in to_plain(replies[3])
    assert "⛔ Risk 3%: 1.5× your 2% rule" in replies[5]
    assert "⛔ Risk 1.5%: 1.5× this group's 1% rule" in replies[9]
    assert "comes first" in replies[6]
    mine = await member(db, False)

    assert "-1 R" in await result(db, 1, "loss")
    assert "+2.5 R" in await result(db, 2, "win", "73500")
    assert "break-even, 0 R" in await result(db, 3, "be")
    with pytest.raises(CommandError) as explored:
        await result(db, 4, "loss")
    assert explored.value.code is ErrorCode.EXPLORING_CHECK
    assert "-1.87 R" in await result(db, 5, "loss", "71000")
    assert "liquidated, -1 R" in await result(db, 6, "liq")
    assert "+3.37 R" in await result(db, 7, "win")
    await result(db, 8, "loss")
    assert "+1.27 R" in await result(db, 8, "win", "72800")
    # Once its outcome is in, a check can no longer be explored away.
    closed = await checks.set_exploring(db, mine, 8, True, moment(8))
    assert closed.marking is Marking.OUTCOME_RECORDED

    standing = (await record.stats(db, mine)).standing
    stats, streaks = standing.stats, standing.streaks
    assert (stats.counted, stats.within_rules) == (9, 5)
    assert stats.adherence == Decimal(500) / 9
    assert stats.breaks == {
        "leverage_above_limit": 2,
        "risk_above_rule": 2,
        "liquidation_before_stop": 1,
    }
    assert (stats.wins, stats.losses, stats.breakeven) == (3, 3, 1)
    assert stats.total_r == Decimal("3.2652")
    assert stats.average_r == Decimal("3.2652") / 7
    assert stats.cost_of_broken_rules == Decimal("35.718")
    assert stats.oversized_week == 2
    assert (streaks.checks, streaks.best_checks, streaks.days, streaks.best_days) == (1, 2, 0, 1)
    assert standing.tally.liquidations == 1

    # The running record is what the rows say.
    rows = await db.discipline_rows(ME)
    assert [row.check_id for row in rows if row.exploring] == [4]
    again = rebuilt(rows, MONDAY + timedelta(days=5, hours=12))
    assert (again.tally, again.run) == (standing.tally, standing.run)
    assert again.run != Run()

    text = (await record.stats(db, mine)).text
    assert "Within your rules: 5 of 9 checks (55.56%)" in text
    assert "Outcomes: 3 won, 3 lost, 1 break-even" in text
    assert "Result: +3.27 R in all, +0.47 R a trade" in text
    assert "Cost of broken rules: $35.72 lost beyond your budget" in text


async def test_the_journal_of_the_week(db: Database) -> None:
    """Two lines a trade, newest first, the verdict and the outcome in R, the member's own
    latest check in the example."""
    await replay_checks(db)
    mine = await member(db, False)
    await result(db, 2, "win", "73500")
    page = (await journal.page(db, mine)).text
    lines = page.splitlines()
    assert lines[0] == "<b>Your trades, newest first (9 counted in your record)</b>"
    # #10 first: its two lines, then #9's.
    assert lines[1] == "<b>#10</b> · May 11 19:00 · BTCUSDT long · 72,000.00 → 71,500.00"
    assert lines[2] == "    0.017 BTC · risk 1.00% · 3x · ✅ within rules · open"
    assert lines[4] == "    0.026 BTC · risk 1.50% · 3x · ⛔ risk above the group's rule · open"
    assert "🔍 just exploring" in page
    assert "0.026 BTC · risk 1.50% · 5x · ✅ within rules · <b>win +2.5 R</b>" in page
    assert "<code>/result 10 win exit 73500</code>" in page
    assert (await journal.page(db, mine)).older_than is None
    with pytest.raises(CommandError) as unknown:
        await result(db, 99, "loss")
    assert unknown.value.example == "/result 10 win exit 73500"
