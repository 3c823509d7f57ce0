"""A member's standing: the running record that every check and outcome updates in place.

`Standing` holds the `Tally` and the `Run` of `chatbot.evaluation.discipline`, and a second run,
`settled`, as of the last check that can no longer change. A check can be marked "just
exploring" (or counted again) for 24 hours, so a change of mind is replayed from `settled` over
the checks after it, a day or so of them, never over the whole history. Checks settle a batch
at a time as new ones are logged, so the cost of logging a check stays flat.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AwareDatetime, BeforeValidator, Field

from chatbot.engine.models import Frozen
from chatbot.evaluation.discipline import (
    DisciplineRow,
    Run,
    Scored,
    Stats,
    Streaks,
    Tally,
    advance,
    count,
    counted_of,
    score,
    stats_from,
    step,
    tally_of,
)

# A check may be marked "just exploring" this long after it was made, and not once its outcome
# is recorded; it settles an hour later, a margin for the clocks of the bot and of Telegram.
EXPLORE_WINDOW = timedelta(hours=24)
SETTLE_AFTER = EXPLORE_WINDOW + timedelta(hours=1)
SETTLE_BATCH = 64


class Marking(StrEnum):
    """What became of a change to a check's place in the record (an exploring mark, an outcome)."""

    MARKED = "marked"
    NOT_YOURS = "not_yours"
    OUTCOME_RECORDED = "outcome_recorded"
    TOO_LATE = "too_late"
    EXPLORING = "exploring"


def _decoded(value: Any) -> Any:
    """Storage keeps the parts as JSON text."""
    return json.loads(value) if isinstance(value, str) else value


class Standing(Frozen):
    """The record of one member, current as of their latest check or outcome.

    `pending_since` is the time of the oldest check not yet settled, None when all are.
    """

    # Factories, not instances: pydantic deep-copies a default it cannot hash (these hold
    # dicts) for every new member's standing, three times the work of making them afresh.
    tally: Annotated[Tally, BeforeValidator(_decoded)] = Field(default_factory=Tally)
    run: Annotated[Run, BeforeValidator(_decoded)] = Field(default_factory=Run)
    settled: Annotated[Run, BeforeValidator(_decoded)] = Field(default_factory=Run)
    settled_id: int = 0
    pending_since: AwareDatetime | None = None

    @property
    def streaks(self) -> Streaks:
        return self.run.streaks

    @property
    def stats(self) -> Stats:
        return stats_from(self.tally, self.run)


def with_check(standing: Standing, check: DisciplineRow) -> Standing:
    """The standing after one more counted check (the newest)."""
    counted = counted_of(check)
    return standing.model_copy(
        update={
            "tally": count(standing.tally, counted),
            "run": step(standing.run, counted),
            "pending_since": standing.pending_since or check.created_at,
        }
    )


def settling(standing: Standing, now: datetime) -> bool:
    """Whether some checks are old enough to settle."""
    since = standing.pending_since
    return since is not None and since <= now - SETTLE_AFTER


def settled_through(
    standing: Standing, unsettled: Sequence[DisciplineRow], now: datetime
) -> Standing:
    """Settle the oldest of `unsettled` (the next checks after `settled_id`, in id order, at
    most `SETTLE_BATCH`) that are old enough; a full batch may leave more for next time."""
    run, last, pending = standing.settled, standing.settled_id, None
    for row in unsettled:
        if row.created_at > now - SETTLE_AFTER:
            pending = row.created_at
            break
        run, last = advance(run, [row]), row.check_id
    else:
        if len(unsettled) >= SETTLE_BATCH:
            pending = unsettled[-1].created_at
    return standing.model_copy(
        update={"settled": run, "settled_id": last, "pending_since": pending}
    )


def with_exploring(
    standing: Standing, check: DisciplineRow, unsettled: Sequence[DisciplineRow]
) -> Standing:
    """The standing after `check` (already unsettled) changed its "exploring" mark, as `check`
    now carries it; `unsettled` are every check after `settled_id`, with the change."""
    sign = -1 if check.exploring else 1
    return standing.model_copy(
        update={
            "tally": count(standing.tally, counted_of(check), sign),
            "run": advance(standing.settled, unsettled),
        }
    )


def with_outcome(standing: Standing, old: Scored | None, new: Scored) -> Standing:
    """The standing after an outcome is recorded, replacing `old` if there was one."""
    tally = standing.tally if old is None else score(standing.tally, old, -1)
    return standing.model_copy(update={"tally": score(tally, new)})


def rebuilt(rows: Sequence[DisciplineRow], now: datetime) -> Standing:
    """The standing of a whole log, in id order, computed from the rows alone."""
    settled = 0
    while settled < len(rows) and rows[settled].created_at <= now - SETTLE_AFTER:
        settled += 1
    prefix, rest = rows[:settled], rows[settled:]
    settled_run = advance(Run(), prefix)
    return Standing(
        tally=tally_of(rows),
        run=advance(settled_run, rest),
        settled=settled_run,
        settled_id=prefix[-1].check_id if prefix else 0,
        pending_since=rest[0].created_at if rest else None,
    )
