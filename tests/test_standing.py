"""The running record: kept in step with the rows through every change, rebuilt from them by
`riskbot migrate`, and read at a cost that does not grow with the history."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import tempfile
from contextlib import closing
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chatbot.evaluation.calculators import Check, evaluate
from chatbot.evaluation.discipline import DisciplineRow, TradeResult
from chatbot.evaluation.log import NewCheck
from chatbot.evaluation.outcomes import OutcomeFigures
from chatbot.evaluation.records import recorded, revive_size
from chatbot.evaluation.standing import EXPLORE_WINDOW, Marking, rebuilt
from chatbot.language.parser import parse_command
from chatbot.service import checks
from chatbot.service.members import member_of
from chatbot.storage import Database
from chatbot.storage.maintenance import migrate_file
from chatbot.storage.migrations import MIGRATIONS, statements

ME = 5005
START = datetime(2024, 3, 1, 8, tzinfo=UTC)
OVERSIZED = "risk_above_rule"

# One step of a member's life: a new check (hours after the last, within the rules or not,
# oversized or not), a change of mind about one of the latest checks, or an outcome for one.
steps = st.one_of(
    st.tuples(st.just("check"), st.integers(0, 30), st.booleans(), st.booleans()),
    st.tuples(st.just("explore"), st.integers(1, 4), st.booleans()),
    st.tuples(
        st.just("outcome"),
        st.integers(1, 6),
        st.sampled_from(list(TradeResult)),
        st.integers(-30, 30),
        st.booleans(),
    ),
)


def new_check(n: int, at: datetime, within: bool, oversized: bool) -> NewCheck:
    breaks = () if within else ((OVERSIZED,) if oversized else ("leverage_above_limit",))
    return NewCheck(
        update_key=f"u{n}",
        user_id=ME,
        chat_id=ME,
        command="size",
        created_at=at,
        local_day=at.date().isoformat(),
        within_rules=within,
        breaks=breaks,
    )


def figures(result: TradeResult, tenths: int, liquidated: bool) -> OutcomeFigures:
    return OutcomeFigures(
        result=TradeResult.LOSS if liquidated else result,
        exit_price=None,
        r_multiple=Decimal(tenths) / 10,
        liquidated=liquidated,
        loss_beyond_budget=Decimal(abs(tenths)) if tenths < 0 else None,
    )


async def live(path: Path, plan: list[tuple[object, ...]]) -> tuple[Database, datetime]:
    """Play the plan through the database as the bot would; returns it open, and the time."""
    db = await Database.open(path)
    now, made = START, 0
    for step in plan:
        match step:
            case ("check", hours, within, oversized):
                now += timedelta(hours=int(hours))  # type: ignore[call-overload]
                made += 1
                await db.record_check(new_check(made, now, bool(within), bool(oversized)))
            case ("explore", back, exploring) if made:
                target = max(1, made - int(back) + 1)  # type: ignore[call-overload]
                await db.set_exploring(ME, target, bool(exploring), now)
            case ("outcome", back, result, tenths, liquidated) if made:
                target = max(1, made - int(back) + 1)  # type: ignore[call-overload]
                chosen = figures(TradeResult(result), int(tenths), bool(liquidated))  # type: ignore[call-overload]
                await db.record_outcome(ME, target, chosen)
    return db, now


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(steps, max_size=80))
def test_the_standing_is_what_the_rows_say(plan: list[tuple[object, ...]]) -> None:
    """Whatever happens (checks hours or days apart, marks and unmarks while they may change,
    outcomes recorded and replaced), the standing kept check by check equals the one computed
    from the rows alone, and `riskbot migrate` rebuilds it unchanged."""

    async def play(folder: str) -> None:
        path = Path(folder) / "standing.sqlite3"
        db, now = await live(path, plan)
        async with db:
            kept = await db.standing(ME)
            again = rebuilt(await db.discipline_rows(ME), now)
            assert (kept.tally, kept.run) == (again.tally, again.run)
        await migrate_file(path)
        async with await Database.open(path) as reopened:
            rebuilt_kept = await reopened.standing(ME)
        assert (rebuilt_kept.tally, rebuilt_kept.run) == (kept.tally, kept.run)

    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(play(folder))


async def test_a_check_settles_a_day_after_it_was_made(tmp_path: Path) -> None:
    """Checks settle in batches as new ones arrive a day and an hour later; a settled check
    can no longer be marked, and the marks of the others replay from the settled run."""
    async with await Database.open(tmp_path / "settle.sqlite3") as db:
        for n in range(1, 4):
            await db.record_check(new_check(n, START + timedelta(hours=n), True, False))
        later = START + timedelta(hours=3) + EXPLORE_WINDOW + timedelta(hours=2)
        await db.record_check(new_check(4, later, False, True))
        kept = await db.standing(ME)
        assert kept.settled_id == 3
        assert kept.pending_since == later
        assert await db.set_exploring(ME, 3, True, later) is Marking.TOO_LATE
        assert await db.set_exploring(ME, 4, True, later) is Marking.MARKED
        kept = await db.standing(ME)
        assert (kept.streaks.checks, kept.streaks.best_checks) == (3, 3)
        assert kept.stats.oversized_week == 0


async def test_a_size_reads_as_much_with_4000_checks_as_with_none(tmp_path: Path) -> None:
    """Logging a /size and writing its feedback line takes the same SQLite work whatever the
    member's history: a handful of B-tree steps more for 4,000 earlier checks, where reading
    the record used to grow with every one of them (counted in SQLite virtual-machine steps)."""
    work: list[int] = []
    for history in (0, 4000):
        path = tmp_path / f"flat-{history}.sqlite3"
        async with await Database.open(path):
            pass
        bulk_checks(path, history)
        async with await Database.open(path) as db:
            await db.rebuild_standings()
            steps_taken = 0

            def count() -> int:
                nonlocal steps_taken
                steps_taken += 1
                return 0

            await db._conn.set_progress_handler(count, 1)
            member = member_of(ME, ME, None, None, "en")
            check = await checks.evaluate_for(member, "/size BTC 72000 stop 71500 acct 1000 lev 5")
            logged = await checks.log_check(db, member, check, "new", START + timedelta(days=1))
            expected = f"{history + 1} checks in a row" if history else "First check in your log"
            assert logged.text is not None and expected in logged.text
            work.append(steps_taken)
    empty, full = work
    assert full < empty * 1.5, work


def bulk_checks(path: Path, count: int) -> None:
    """`count` real checks of the worked example, written straight into the file."""
    if not count:
        return
    check = evaluate(parse_command("/size BTC 72000 stop 71500 acct 1000 lev 5"))
    columns = recorded(check, member_of(ME, ME, None, None, "en").rules)
    rows = [
        NewCheck.model_validate(
            {
                "update_key": f"old{n}",
                "user_id": ME,
                "chat_id": ME,
                "created_at": START - timedelta(minutes=count - n),
                "local_day": (START - timedelta(minutes=count - n)).date().isoformat(),
                **columns,
            }
        ).model_dump()
        for n in range(count)
    ]
    names = list(rows[0])
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("INSERT INTO members (user_id, created_at) VALUES (?, '2024-01-01')", (ME,))
        conn.executemany(
            f"INSERT INTO checks ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            [[_plain(row[name]) for name in names] for row in rows],
        )
        conn.commit()


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, tuple):
        return ",".join(value)
    if isinstance(value, bool):
        return int(value)
    return getattr(value, "value", value)


def _schema_4(path: Path, sized: list[tuple[Check, int, str, int]], outcomes: list[str]) -> None:
    """A database of schema 4 as the earlier code wrote it: each check's request and result
    as JSON (`sized`: the check, within rules, breaks, exploring), outcomes as value lists."""
    with closing(sqlite3.connect(path)) as conn:
        for script in MIGRATIONS[:4]:
            for statement in statements(script):
                conn.execute(statement)
        conn.execute("PRAGMA user_version = 4")
        conn.execute("INSERT INTO members (user_id, created_at) VALUES (?, '2024-01-01')", (ME,))
        for n, (check, within, breaks, exploring) in enumerate(sized, start=1):
            result = check.result
            old_result = result.model_dump(mode="json", exclude={"instrument"})
            old_result |= {"venue": result.instrument.venue, "base": result.instrument.base}
            conn.execute(
                "INSERT INTO checks (id, update_key, user_id, chat_id, command, request_json,"
                " result_json, symbol, side, risk_fraction, leverage, within_rules, breaks,"
                " exploring, created_at, local_day, replied)"
                " VALUES (?, ?, ?, ?, 'size', ?, ?, 'BTCUSDT', 'long', '0.01', '20', ?, ?, ?,"
                " ?, '2024-05-01', 1)",
                (
                    n,
                    f"k{n}",
                    ME,
                    ME,
                    check.request.model_dump_json(),
                    json.dumps(old_result),
                    within,
                    breaks,
                    exploring,
                    f"2024-05-01T1{n}:00:00+00:00",
                ),
            )
        for values in outcomes:
            conn.execute(f"INSERT INTO outcomes VALUES ({values})")
        conn.commit()


def test_migration_turns_json_checks_into_columns_and_a_standing(tmp_path: Path) -> None:
    """A database of schema 4, its checks kept as JSON by the earlier code, is brought to the
    latest schema by `riskbot migrate`: each figure lands in its column, a check revives as
    the same sizing, outcomes survive, and the standing is computed from the rows."""
    path = tmp_path / "old.sqlite3"
    worked = evaluate(parse_command("/size BTC 72000 stop 71500 acct 1000 lev 20"))
    result = worked.result
    _schema_4(
        path,
        [(worked, 1, "", 0), (worked, 0, "leverage_above_limit", 0), (worked, 1, "", 1)],
        [f"1, {ME}, 'win', '73500', '2.4963', 0, NULL, '2024-05-01T20:00:00+00:00'"],
    )
    before, after = asyncio.run(migrate_file(path))
    assert (before, after) == (4, len(MIGRATIONS))

    async def read() -> None:
        async with await Database.open(path) as db:
            row = await db.get_check(ME, 1)
            assert row is not None and row.outcome is not None
            check = row.check
            assert (check.entry, check.stop, check.quantity) == (72000, 71500, Decimal("0.017"))
            assert (check.notional, check.margin, check.risk) == (1224, Decimal("61.2"), 10)
            assert check.created_at == datetime(2024, 5, 1, 11, tzinfo=UTC)
            revived = revive_size(check)
            assert revived is not None and revived.quantity == result.quantity
            assert revived.liquidation_price == result.liquidation_price
            kept = await db.standing(ME)
            # #3 was only explored: two counted, one within, the win's 2.4963 R.
            assert (kept.tally.counted, kept.tally.within_rules) == (2, 1)
            assert kept.tally.total_r == Decimal("2.4963")
            assert (kept.streaks.checks, kept.streaks.best_checks) == (0, 1)

    asyncio.run(read())


def test_migration_scores_old_outcomes_again_from_their_checks(tmp_path: Path) -> None:
    """Outcomes the earlier code scored wrongly are scored again: a liquidation it counted as a
    loss at the liquidation price, and a win it logged without R."""
    path = tmp_path / "old.sqlite3"
    worked = evaluate(parse_command("/size BTC 72000 stop 71500 acct 1000 lev 20"))
    aimed = evaluate(parse_command("/size BTC 72000 stop 71500 tp 74000 acct 1000 lev 20"))
    at = "'2024-05-01T20:00:00+00:00'"
    _schema_4(
        path,
        [(worked, 0, "leverage_above_limit", 0), (aimed, 0, "leverage_above_limit", 0)],
        [
            f"1, {ME}, 'loss', '68674.7', '-5.8775', 1, '47.1280', {at}",
            f"2, {ME}, 'win', NULL, NULL, 0, NULL, {at}",
        ],
    )
    asyncio.run(migrate_file(path))

    async def read() -> None:
        async with await Database.open(path) as db:
            liquidated, won = [await db.get_check(ME, n) for n in (1, 2)]
            assert liquidated is not None and liquidated.outcome is not None
            assert won is not None and won.outcome is not None
            # Loss at stop 0.017 × 500 + 0.0005 × 0.017 × (72000 + 71500) = 9.71975. The
            # liquidation takes the margin 1224 / 20 = 61.20 and both fees, 0.0005 × 0.017 ×
            # 72000 = 0.612 in and 0.0005 × 0.017 × 68674.70 = 0.58373 out: 62.39573, −6.4195 R,
            # 52.3957 beyond the $10 budget.
            assert liquidated.outcome.r_multiple == Decimal("-6.4195")
            assert liquidated.outcome.loss_beyond_budget == Decimal("52.3957")
            # At the target: 0.017 × 2000 − 0.0005 × 0.017 × (72000 + 74000) = 32.759: 3.3704 R.
            assert (won.outcome.r_multiple, won.outcome.exit_price) == (Decimal("3.3704"), 74000)
            kept = await db.standing(ME)
            assert kept.tally.total_r == Decimal("-6.4195") + Decimal("3.3704")

    asyncio.run(read())


def test_rows_read_the_risk_from_budget_and_account() -> None:
    """A stored risk budget of $15 on a $1,000 account is a 1.5% risk."""
    row = DisciplineRow.model_validate(
        {
            "check_id": 1,
            "created_at": START,
            "local_day": "2024-03-01",
            "within_rules": True,
            "risk": "15",
            "account": "1000",
        }
    )
    assert row.risk_fraction == Decimal("0.015")
