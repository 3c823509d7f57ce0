"""/journal, a page at a time, and /result: how one of the member's checked trades ended."""

from __future__ import annotations

from chatbot.engine.models import Frozen
from chatbot.evaluation.discipline import TradeResult
from chatbot.evaluation.outcomes import outcome_figures
from chatbot.evaluation.records import revive_size
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.member_commands import ResultRequest
from chatbot.language.parser import EXAMPLES
from chatbot.render.journal import render_journal, render_outcome_saved
from chatbot.service.members import Member
from chatbot.storage import Database

PAGE = 10


class JournalPage(Frozen):
    """One page, newest first; `older_than` is the last id shown when older checks exist."""

    text: str
    older_than: int | None


async def page(db: Database, member: Member, before_id: int | None = None) -> JournalPage:
    """The checks before `before_id` (the newest when None), one more read to know if the
    page is the last."""
    rows = await db.journal(member.user_id, PAGE + 1, before_id=before_id)
    shown = rows[:PAGE]
    total = await db.count_checks(member.user_id)
    text = render_journal(shown, total, member.tz, member.lang)
    older = shown[-1].check.id if len(rows) > PAGE else None
    return JournalPage(text=text, older_than=older)


async def record_result(db: Database, member: Member, request: ResultRequest) -> str:
    """Store the outcome of one of the member's own /size checks and say what it counted;
    raises `CommandError` for a check that is not theirs or cannot be revived."""
    row = await db.get_check(member.user_id, request.check_id)
    sized = revive_size(row.check.result_json) if row and row.check.command == "size" else None
    if sized is None:
        raise CommandError(
            ErrorCode.UNKNOWN_CHECK, word=str(request.check_id), example=EXAMPLES["result"]
        )
    figures = outcome_figures(sized, request.outcome, request.exit, member.rules.max_risk)
    await db.record_outcome(
        member.user_id,
        request.check_id,
        TradeResult(figures.result),
        exit_price=request.exit,
        r_multiple=figures.r_multiple,
        liquidated=figures.liquidated,
        loss_beyond_budget=figures.loss_beyond_budget,
    )
    return render_outcome_saved(request.check_id, figures, member.lang)
