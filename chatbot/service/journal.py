"""/journal, a page at a time, and /result: how one of the member's checked trades ended."""

from __future__ import annotations

from chatbot.engine.models import Frozen
from chatbot.evaluation.outcomes import outcome_figures
from chatbot.evaluation.records import revive_size
from chatbot.evaluation.standing import Marking
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.member_commands import ResultRequest
from chatbot.render.journal import render_journal, render_outcome_saved, result_example
from chatbot.service.members import Member
from chatbot.storage import Database

PAGE = 10


class JournalPage(Frozen):
    """One page, newest first; `older_than` is the last id shown when older checks exist."""

    text: str
    older_than: int | None
    everything: bool = False


async def page(
    db: Database, member: Member, before_id: int | None = None, *, everything: bool = False
) -> JournalPage:
    """The sized trades (every check when `everything`) before `before_id`, the newest when
    None; one more row is read to know whether the page is the last."""
    rows = await db.journal(member.user_id, PAGE + 1, before_id=before_id, sized=not everything)
    shown = rows[:PAGE]
    standing = await db.standing(member.user_id)
    latest = await db.latest_check(member.user_id)
    text = render_journal(
        shown, standing.tally.counted, latest, member.tz, member.lang, everything=everything
    )
    older = shown[-1].check.id if len(rows) > PAGE else None
    return JournalPage(text=text, older_than=older, everything=everything)


async def own_example(db: Database, member: Member) -> str:
    """`/result N win exit 73500` with N the member's own latest check, not a made-up 12."""
    return result_example(await db.latest_check(member.user_id))


async def _unknown(db: Database, member: Member, check_id: int, code: ErrorCode) -> CommandError:
    """The error names the member's own latest check in its example."""
    return CommandError(code, word=str(check_id), example=await own_example(db, member))


async def record_result(db: Database, member: Member, request: ResultRequest) -> str:
    """Store the outcome of one of the member's own counted /size checks, in R from the check's
    own figures and against the rule that judged it; raises `CommandError` for a check that is
    not theirs, cannot be revived, was only explored, or lacks a price the outcome needs."""
    row = await db.get_check(member.user_id, request.check_id)
    sized = revive_size(row.check) if row is not None else None
    if row is None or sized is None:
        raise await _unknown(db, member, request.check_id, ErrorCode.UNKNOWN_CHECK)
    if row.check.exploring:
        raise await _unknown(db, member, request.check_id, ErrorCode.EXPLORING_CHECK)
    rule = row.check.rules.max_risk
    figures = outcome_figures(sized, request.outcome, request.exit, rule, request.check_id)
    marking = await db.record_outcome(member.user_id, request.check_id, figures)
    if marking is Marking.EXPLORING:
        raise await _unknown(db, member, request.check_id, ErrorCode.EXPLORING_CHECK)
    if marking is not Marking.MARKED:
        raise await _unknown(db, member, request.check_id, ErrorCode.UNKNOWN_CHECK)
    return render_outcome_saved(request.check_id, figures, member.lang)
