"""A calculator command answered for a member: evaluated with their defaults, logged once,
and worded with one line from their record.

Every check is logged before it is answered, keyed by the transport's name for the question,
so a redelivered question is logged once and answered again only if its first answer never
went out.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from chatbot.engine.models import Frozen, Instrument, SizeResult
from chatbot.evaluation.calculators import Check, evaluate
from chatbot.evaluation.defaults import MarketQuote
from chatbot.evaluation.discipline import feedback, judge
from chatbot.evaluation.log import NewCheck
from chatbot.evaluation.market import market_wanted, reference_marks
from chatbot.evaluation.records import recorded, revive_size
from chatbot.evaluation.standing import Marking, Standing
from chatbot.language.errors import CommandError
from chatbot.language.parser import parse_command
from chatbot.markets.prices import MarkPrices, PriceUnavailable
from chatbot.render.charts import chart_unavailable
from chatbot.render.chat import render_not_yours
from chatbot.render.checks import render_exploring
from chatbot.render.errors import render_error
from chatbot.render.html import to_plain
from chatbot.render.inline import render_inline_hint
from chatbot.render.record import render_feedback, render_verdict
from chatbot.render.results import render, render_details, summary
from chatbot.service.members import Member
from chatbot.storage import Database


class Logged(Frozen):
    """A check as logged: its id, the answer (None when it was already given), and whether
    this delivery of the question is the one that logged it."""

    check_id: int
    text: str | None
    sized: bool
    first: bool


class Article(Frozen):
    """One inline result: a title and a line to pick it by, and the message it sends."""

    title: str
    description: str
    text: str


async def evaluate_for(
    member: Member, text: str, prices: MarkPrices | None = None, bot_username: str | None = None
) -> Check:
    """Parse (numbers as the member's language writes them) and evaluate a calculator command
    with the member's and group's defaults, at the venue's mark price where the entry or the
    funding rate is left to it; raises `CommandError` for a command with a mistake."""
    known = reference_marks(prices.known()) if prices is not None else {}
    request = parse_command(text, bot_username, lang=member.lang, marks=known)
    wanted = market_wanted(request, member.profile, member.group)
    market = await quote(prices, wanted) if wanted is not None else MarketQuote()
    market = market.model_copy(update={"references": known})
    return evaluate(request, member.profile, member.group, market)


async def quote(prices: MarkPrices | None, instrument: Instrument) -> MarketQuote:
    """The venue's mark price now, or the last one known when none can be had."""
    if prices is None:
        return MarketQuote()
    try:
        return MarketQuote(mark=await prices.get(instrument.venue, instrument.symbol))
    except PriceUnavailable as failed:
        return MarketQuote(last=failed.last)


def answer(check: Check, member: Member, line: str | None = None, *, private: bool = True) -> str:
    """The reply to a check, judged by the member's own rules; their own figures only where
    no one else reads it (a private chat, not a group nor an inline result)."""
    return render(
        check, member.lang, feedback=line, rules=member.rules, private=private and member.private
    )


def new_check(key: str, at: datetime, member: Member, check: Check) -> NewCheck:
    """The log row of a check asked at `at`, judged by the rules that apply to the member."""
    return NewCheck.model_validate(
        {
            "update_key": key,
            "user_id": member.user_id,
            "chat_id": member.chat_id,
            "created_at": at,
            "local_day": at.astimezone(ZoneInfo(member.tz)).date().isoformat(),
            **recorded(check, member.rules),
        }
    )


def feedback_line(check: Check, member: Member, before: Standing, after: Standing) -> str:
    """One line from the member's record, comparing it without and with this check."""
    verdict = judge(getattr(check.result, "warnings", ()), member.rules)
    line = feedback(before.streaks, after.streaks, verdict, after.stats, rule=member.rules.max_risk)
    return render_feedback(line, member.lang)


async def log_check(db: Database, member: Member, check: Check, key: str, at: datetime) -> Logged:
    """Log the check once per `key` and word the answer, with a feedback line for a /size."""
    row = new_check(key, at, member, check)
    logged = await db.record_check(row)
    sized = isinstance(check.result, SizeResult)
    if not logged.inserted and await db.was_replied(logged.check_id):
        return Logged(check_id=logged.check_id, text=None, sized=sized, first=False)
    line = None
    if sized and member.private:
        before, after = logged.before, logged.after
        if before is None or after is None:  # logged by an earlier delivery, never answered
            before = after = await db.standing(member.user_id)
        line = feedback_line(check, member, before, after)
    elif sized:  # a group reads the verdict on this check, nothing of the member's record
        line = render_verdict(row, member.lang)
    text = answer(check, member, line)
    return Logged(check_id=logged.check_id, text=text, sized=sized, first=logged.inserted)


async def was_answered(db: Database, check_id: int) -> bool:
    return await db.was_replied(check_id)


async def answered(db: Database, check_id: int) -> None:
    """The member has the answer: a redelivered question must stay silent."""
    await db.mark_replied(check_id)


class Explored(Frozen):
    """What pressing "just exploring" did, said in a line, and whether the button may stay."""

    marking: Marking
    text: str


async def set_exploring(
    db: Database, member: Member, check_id: int, exploring: bool, at: datetime | None = None
) -> Explored:
    """Mark (or unmark) the member's own check as just exploring, while it may still change
    (at `at`, now by default)."""
    marking = await db.set_exploring(member.user_id, check_id, exploring, at)
    return Explored(marking=marking, text=render_exploring(marking, exploring, member.lang))


class Details(Frozen):
    """The rest of a /size reply, or (not `found`) why it cannot be had."""

    text: str
    found: bool


async def details(db: Database, member: Member, check_id: int) -> Details:
    """What the "Details" button adds under the member's own /size reply."""
    sized = await own_size(db, member, check_id)
    if isinstance(sized, str):
        return Details(text=sized, found=False)
    text = render_details(sized, member.lang, member.rules, private=member.private)
    return Details(text=text, found=True)


async def own_size(db: Database, member: Member, check_id: int) -> SizeResult | str:
    """The member's own /size result, or why it cannot be had (not theirs, or delisted)."""
    row = await db.get_check(member.user_id, check_id)
    if row is None or row.check.command != "size":
        return render_not_yours(member.lang)
    sized = revive_size(row.check)
    return chart_unavailable(member.lang) if sized is None else sized


async def inline_article(member: Member, query: str, prices: MarkPrices | None) -> Article:
    """What `@bot size BTC …` offers to send: the result, what is still missing, or a hint."""
    text = query.strip()
    if not text:
        title, description = render_inline_hint(member.lang)
        return Article(title=title, description=description, text=to_plain(title))
    try:
        check = await evaluate_for(member, "/" + text.lstrip("/"), prices)
    except CommandError as error:
        message = render_error(error, member.lang)
        lines = to_plain(message).splitlines()
        return Article(title=lines[0], description=" ".join(lines[1:]), text=message)
    reply = answer(check, member, private=False)  # sent into whatever chat the member is in
    first = to_plain(reply).splitlines()[0]
    return Article(title=summary(check, member.lang), description=first, text=reply)
