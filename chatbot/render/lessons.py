"""The curriculum: short lessons whose example numbers the engine computes when shown.

Each lesson runs real commands through the same path as a member's check, so a lesson can
never teach a figure the bot would not give; each ends with a command to try.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from chatbot.engine.models import FundingResult, HedgeResult, PnlResult, SizeResult
from chatbot.evaluation.calculators import evaluate
from chatbot.language.parser import parse_command
from chatbot.render.html import bold, code
from chatbot.render.i18n import N_, Translator, translator

ACCOUNT = Decimal(1000)
TEN_PERCENT = Decimal("0.1")
RULE = Decimal("0.01")


R = TypeVar("R", SizeResult, PnlResult, HedgeResult, FundingResult)


def _run(text: str, kind: type[R]) -> R:
    """The engine's answer to a command, as a member with the global defaults would get it."""
    result = evaluate(parse_command(text)).result
    assert isinstance(result, kind)
    return result


def _size(text: str) -> SizeResult:
    return _run(text, SizeResult)


def _price(tr: Translator, value: Decimal | None) -> str:
    return tr.price(value or Decimal(0), "USD")


@dataclass(frozen=True)
class Lesson:
    key: str
    title: str
    try_it: str
    body: Callable[[Translator], list[str]]


def _contracts(tr: Translator) -> list[str]:
    micro = _run("/pnl BTC 72000 73000 qty 1 contract micro venue cme fee 0", PnlResult)
    standard = _run("/pnl BTC 72000 73000 qty 1 contract standard venue cme fee 0", PnlResult)
    return [
        tr.gettext(
            "A contract is a fixed amount of the coin. CME's Micro Bitcoin is 0.1 BTC, its "
            "standard Bitcoin future 5 BTC: fifty times more."
        ),
        tr.gettext(
            "When BTC rises from $72,000 to $73,000, one micro contract gains {micro}, one "
            "standard contract {standard}. Same idea, same chart, a very different bill.",
            micro=tr.money(micro.gross),
            standard=tr.money(standard.gross),
        ),
        tr.gettext(
            "Always read a size in coins and in contracts: 3 contracts can be 0.3 BTC or 15 BTC."
        ),
    ]


def _notional(tr: Translator) -> list[str]:
    r = _size("/size BTC 72000 stop 71500 acct 1000 lev 20")
    return [
        tr.gettext(
            "The notional is the size times the price: {qty} BTC × $72,000 = {notional}. That "
            "is your exposure: every 1% move changes it by {one_pct}.",
            qty=tr.qty(r.quantity),
            notional=tr.money(r.notional),
            one_pct=tr.money(r.notional / 100),
        ),
        tr.gettext(
            "The margin is only the deposit the venue holds for it: {margin} at 20x. A small "
            "margin does not mean a small position.",
            margin=tr.money(r.initial_margin),
        ),
    ]


def _leverage(tr: Translator) -> list[str]:
    low = _size("/size BTC 72000 stop 71500 acct 1000 lev 5")
    high = _size("/size BTC 72000 stop 71500 acct 1000 lev 20")
    return [
        tr.gettext(
            "Leverage does not change what a sized trade risks. At 5x and at 20x the same "
            "{qty} BTC loses {loss} at the stop.",
            qty=tr.qty(low.quantity),
            loss=tr.money(low.loss_at_stop),
        ),
        tr.gettext(
            "It changes two things: the margin locked ({low_margin} at 5x, {high_margin} at "
            "20x) and how close liquidation is ({low_liq} at 5x, {high_liq} at 20x).",
            low_margin=tr.money(low.initial_margin),
            high_margin=tr.money(high.initial_margin),
            low_liq=_price(tr, low.liquidation_price),
            high_liq=_price(tr, high.liquidation_price),
        ),
        tr.gettext("Beginners: stay at or below 10x until your record says otherwise."),
    ]


def _margin(tr: Translator) -> list[str]:
    r = _size("/size BTC 72000 stop 71500 acct 1000 lev 20")
    return [
        tr.gettext(
            "Initial margin opens the position: notional / leverage = {margin}.",
            margin=tr.money(r.initial_margin),
        ),
        tr.gettext(
            "Maintenance margin keeps it open: notional × the venue's rate ({rate} in Binance's "
            "first tier) = {maintenance}. When your margin left falls to it, the venue closes "
            "the position: that is liquidation.",
            rate=tr.percent(r.tier.mmr if r.tier else Decimal(0), exact=True),
            maintenance=tr.money(r.maintenance_margin),
        ),
        tr.gettext("Bigger positions fall into tiers with higher rates: the bot names the tier."),
    ]


def _liquidation(tr: Translator) -> list[str]:
    r = _size("/size BTC 72000 stop 68400 acct 1000 lev 20")
    return [
        tr.gettext(
            "At 20x a long from $72,000 is liquidated near {liq}, {distance} below entry.",
            liq=_price(tr, r.liquidation_price),
            distance=tr.percent(r.liquidation_distance_pct or Decimal(0)),
        ),
        tr.gettext(
            "A stop at $68,400 (5% away) lies beyond that price: the position is liquidated "
            "first and the stop never fires. You lose the margin, not the amount you planned."
        ),
        tr.gettext(
            "Rule: the stop must sit between entry and liquidation. Lower the leverage "
            "or move the stop closer."
        ),
    ]


def _isolated_cross(tr: Translator) -> list[str]:
    isolated = _size("/size BTC 72000 stop 71500 acct 1000 lev 20")
    cross = _size("/size BTC 72000 stop 71500 acct 1000 lev 20 cross")
    return [
        tr.gettext(
            "Isolated margin puts only the position's margin at stake: liquidation near {iso}, "
            "and at most {margin} is lost.",
            iso=_price(tr, isolated.liquidation_price),
            margin=tr.money(isolated.initial_margin),
        ),
        tr.gettext(
            "Cross margin backs the position with the whole account: liquidation moves far "
            "away (near {cross}), but all {account} is at stake.",
            cross=_price(tr, cross.liquidation_price),
            account=tr.money(cross.account),
        ),
        tr.gettext("Either way, your stop decides the loss: size by the stop, not by the margin."),
    ]


def _shorting(tr: Translator) -> list[str]:
    r = _size("/size BTC 72000 stop 72500 acct 1000 lev 10")
    return [
        tr.gettext(
            "A short profits when the price falls, so its stop sits above the entry. Stop "
            "$72,500 on a $1,000 account: {qty} BTC, loss at stop {loss}.",
            qty=tr.qty(r.quantity),
            loss=tr.money(r.loss_at_stop),
        ),
        tr.gettext(
            "Its liquidation is above the entry too, near {liq} at 10x. A rising price has no "
            "ceiling: never short without a stop.",
            liq=_price(tr, r.liquidation_price),
        ),
    ]


def _hedging(tr: Translator) -> list[str]:
    full = _run("/hedge BTC 5000 price 72000", HedgeResult)
    tenth = _run("/hedge BTC 5000 price 72000 ratio 10%", HedgeResult)
    return [
        tr.gettext(
            "To protect $5,000 of BTC you hold, short the same value: {qty} BTC at $72,000 "
            "covers {ratio} of it.",
            qty=tr.qty(full.quantity or Decimal(0)),
            ratio=tr.percent(full.actual_ratio or Decimal(0)),
        ),
        tr.gettext(
            "A $500 short is a {ratio} hedge: on a {drop} drop your coins lose $500 and the "
            "short gains only {gain}. Small contracts do not make a hedge bigger; the ratio does.",
            ratio=tr.percent(tenth.ratio, exact=True),
            drop=tr.percent(TEN_PERCENT, exact=True),
            gain=tr.money(tenth.gain_on_ten_pct_drop or Decimal(0)),
        ),
    ]


def _funding(tr: Translator) -> list[str]:
    result = _run("/funding BTC 1224 rate 0.01% hours 24", FundingResult)
    return [
        tr.gettext(
            "Perpetual futures charge funding every 8 hours: when the rate is positive, longs "
            "pay shorts notional × rate."
        ),
        tr.gettext(
            "Holding $1,224 long for a day at {rate} costs {amount}. Small for one day, real "
            "for a month with big leverage.",
            rate=tr.percent(result.rate, exact=True),
            amount=tr.money(result.amount),
        ),
    ]


def _one_percent(tr: Translator) -> list[str]:
    r = _size("/size BTC 72000 stop 71500 acct 1000 lev 20")
    return [
        tr.gettext(
            "Risk at most {rule} of your account per trade: on $1,000 that is $10, fees included.",
            rule=tr.percent(RULE, exact=True),
        ),
        tr.gettext(
            "The size follows from the stop: $10 / ($500 + fees of {fees_per} a BTC) = "
            "{qty} BTC, which loses {loss} if the stop is hit.",
            fees_per=tr.money(r.loss_per_unit - r.stop_distance),
            qty=tr.qty(r.quantity),
            loss=tr.money(r.loss_at_stop),
        ),
        tr.gettext(
            "Ten losses in a row, each a share of what is left, cost {small} of the account "
            "at one percent a trade and {large} at ten percent: ten percent is ten times the "
            "rule, never a tolerance.",
            small=tr.percent(_losing_streak(RULE)),
            large=tr.percent(_losing_streak(10 * RULE)),
        ),
    ]


def _losing_streak(risk: Decimal, losses: int = 10) -> Decimal:
    """What `losses` stops in a row take from the account: 1 − (1 − risk)^losses."""
    return 1 - (1 - risk) ** losses


def _stops_and_fees(tr: Translator) -> list[str]:
    r = _size("/size BTC 72000 stop 71980 acct 1000 lev 10")
    return [
        tr.gettext(
            "Put the stop where the trade idea is wrong, then size to it; never the reverse."
        ),
        tr.gettext(
            "A stop only $20 away looks cheap, but the taker fees of both legs cost {fees} of "
            "the {loss} you lose at the stop.",
            fees=tr.money(r.fees),
            loss=tr.money(r.loss_at_stop),
        ),
        tr.gettext("When fees are a big share of the loss, the stop is too tight for the venue."),
    ]


def _discipline(tr: Translator) -> list[str]:
    r = _size("/size BTC 72000 stop 71500 acct 1000 lev 10 risk 5%")
    return [
        tr.gettext(
            "Fear makes you move stops; greed makes you size up after a win. A written rule, "
            "checked before every trade, is what survives both."
        ),
        tr.gettext(
            "One trade at {risk} that hits its stop loses {loss}: {beyond} more than the {rule} "
            "rule allowed. /stats adds this up as the cost of broken rules.",
            risk=tr.percent(r.risk_fraction, exact=True),
            rule=tr.percent(RULE, exact=True),
            loss=tr.money(r.loss_at_stop),
            beyond=tr.money(r.loss_at_stop - ACCOUNT * RULE),
        ),
        tr.gettext(
            "Streaks count checks within your rules; a day without trading never breaks them."
        ),
    ]


def _scaling_up(tr: Translator) -> list[str]:
    r = _size("/size BTC 72000 stop 71500 acct 1000 lev 5 venue cme contract standard")
    return [
        tr.gettext(
            "One standard Bitcoin future is 5 BTC. With a $500 stop it loses {loss} including "
            "fees, so the {rule} rule needs an account of {account} for a single contract.",
            rule=tr.percent(RULE, exact=True),
            loss=tr.money(r.min_size_loss),
            account=tr.money(r.min_size_loss / RULE),
        ),
        tr.gettext(
            "Move up only when months of results say so: /ready checks your record (months of "
            "logged outcomes, positive months, adherence, no liquidations)."
        ),
    ]


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        "contracts",
        N_("Contract sizes: standard, micro, nano"),
        "/pnl BTC 72000 73000 qty 1 contract micro venue cme",
        _contracts,
    ),
    Lesson(
        "notional",
        N_("Notional vs margin"),
        "/size BTC 72000 stop 71500 acct 1000 lev 20",
        _notional,
    ),
    Lesson(
        "leverage",
        N_("What leverage changes, and what it does not"),
        "/size BTC 72000 stop 71500 acct 1000 lev 5",
        _leverage,
    ),
    Lesson(
        "margin",
        N_("Initial and maintenance margin"),
        "/liq BTC 72000 lev 20",
        _margin,
    ),
    Lesson(
        "liquidation",
        N_("Liquidation, and why a stop beyond it never fires"),
        "/size BTC 72000 stop 68400 acct 1000 lev 20",
        _liquidation,
    ),
    Lesson(
        "cross",
        N_("Isolated vs cross margin"),
        "/size BTC 72000 stop 71500 acct 1000 lev 20 cross",
        _isolated_cross,
    ),
    Lesson(
        "shorting",
        N_("Shorting"),
        "/size BTC 72000 stop 72500 acct 1000 lev 10",
        _shorting,
    ),
    Lesson(
        "hedging",
        N_("Hedging coins you hold"),
        "/hedge BTC 5000 price 72000",
        _hedging,
    ),
    Lesson(
        "funding",
        N_("Funding on perpetual futures"),
        "/funding BTC 1224 rate 0.01% hours 24",
        _funding,
    ),
    Lesson(
        "sizing",
        N_("The one-percent rule and position sizing"),
        "/size BTC 72000 stop 71500 acct 1000 lev 20",
        _one_percent,
    ),
    Lesson(
        "stops",
        N_("Stop placement and fees"),
        "/size BTC 72000 stop 71980 acct 1000 lev 10",
        _stops_and_fees,
    ),
    Lesson(
        "discipline",
        N_("Fear, greed and discipline"),
        "/stats",
        _discipline,
    ),
    Lesson(
        "scaling",
        N_("When to move from micro to standard"),
        "/ready",
        _scaling_up,
    ),
)


def find_lesson(word: str) -> int | None:
    """A lesson by its topic word or its number in /lessons (1-based)."""
    word = word.lower().strip()
    if word.isascii() and word.isdigit() and 1 <= int(word) <= len(LESSONS):
        return int(word) - 1
    for index, lesson in enumerate(LESSONS):
        if word in {lesson.key, lesson.key.rstrip("s")}:
            return index
    return None


def render_lesson(index: int, lang: str) -> str:
    """Title, the engine-computed example, and a command to try."""
    tr = translator(lang)
    lesson = LESSONS[index]
    head = tr.gettext(
        "Lesson {number} of {total}: {title}",
        number=index + 1,
        total=len(LESSONS),
        title=tr.gettext(lesson.title),
    )
    try_it = tr.gettext("Try it: {command}", command=code(lesson.try_it, 200))
    return "\n\n".join([bold(head), *lesson.body(tr), try_it])


def render_lesson_list(lang: str) -> str:
    tr = translator(lang)
    lines = [bold(tr.gettext("Lessons"))]
    lines += [
        f"{number}. {tr.gettext(lesson.title)} — {code('/lesson ' + lesson.key)}"
        for number, lesson in enumerate(LESSONS, start=1)
    ]
    lines += ["", tr.gettext("{next} shows the next one for you.", next=code("/lesson"))]
    return "\n".join(lines)


def lesson_try_commands() -> dict[str, str]:
    """The command each lesson ends with, by topic, for the "Try it" button."""
    return {lesson.key: lesson.try_it for lesson in LESSONS}


def try_it_label(lang: str) -> str:
    """The button under a lesson that runs its command in the member's private chat."""
    return "▶️ " + translator(lang).gettext("Try it")


def render_unknown_lesson(word: str, lang: str) -> str:
    return "❌ " + translator(lang).gettext(
        "I have no lesson on {word}. {lessons} lists them all.",
        word=code(word),
        lessons="/lessons",
    )
