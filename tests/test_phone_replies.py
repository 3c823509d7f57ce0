"""A /size reply fits a phone, at most 12 lines, however many things it has to say at once.

Checks are evaluated as the bot does (parse, the member's and group's rules, the venue's mark
price), so the lines counted are the lines a member sees.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from chatbot.evaluation.calculators import Check, evaluate
from chatbot.evaluation.defaults import MarketQuote
from chatbot.language.errors import CommandError
from chatbot.language.parser import parse_command
from chatbot.markets.prices import MarkPrice
from chatbot.render.html import to_plain
from chatbot.render.results import PHONE_LINES, render, render_details
from chatbot.service.members import Member, member_of
from chatbot.storage.rows import GroupPolicy

AT = datetime(2026, 11, 30, 9, 52, 55, tzinfo=UTC)
MARK = MarkPrice(
    venue="binance",
    symbol="BTCUSDT",
    mark=Decimal(72000),
    index=Decimal(72001),
    funding_rate=Decimal("0.0001"),
    next_funding_time=AT,
    at=AT,
    source="stand-in",
)
AT_MARK = MarketQuote(mark=MARK, references={"BTC": Decimal(72000)})
# A group stricter than the beginner's 1% and 10x: a 1%, 20x check breaks both of its rules.
STRICT = GroupPolicy.model_validate(
    {"chat_id": -100, "max_risk": Decimal("0.005"), "max_leverage": Decimal(3), "updated_at": AT}
)
ALONE = member_of(7, 7, None, None, "en")
IN_GROUP = member_of(7, -100, None, STRICT, "en", private=False)


def reply(text: str, member: Member, quote: MarketQuote = AT_MARK) -> tuple[Check, str]:
    request = parse_command(text, "riskbot", lang=member.lang, marks=quote.references)
    check = evaluate(request, member.profile, member.group, quote)
    line = "✅ Within your 1% rule, streak 4." if member.private else "⛔ 2 rules broken"
    shown = render(check, member.lang, feedback=line, rules=member.rules, private=member.private)
    return check, to_plain(shown)


def test_a_reply_with_everything_at_once_fits_and_keeps_its_target_in_the_details() -> None:
    """At market, with a target and both of the group's rules broken, it was 14 lines: the
    verdict and the defaults now share a block, and the target moves to the details."""
    check, text = reply("/size BTC market stop 71500 tp 74000 lev 20 acct 1000", IN_GROUP)
    lines = text.splitlines()
    assert len(lines) <= PHONE_LINES, text
    assert lines[1] == "ℹ️ Entry = mark price $72,000.00, Binance USDⓈ-M, 09:52:55 UTC"
    assert "⛔ Risk 1%: 2× this group's 0.5% rule" in lines
    assert "⛔ Leverage 20x: above this group's 3x limit" in lines
    assert "Target" not in text
    # Reward 0.017 × 2000 − 0.0005 × 0.017 × (72000 + 74000) = 34 − 1.241 = 32.759 against a
    # loss at stop of 9.71975: 3.37 R.
    details = to_plain(render_details(check.result, "en", private=False))
    assert "Target $74,000.00 = 3.37 R" in details


def test_a_reply_that_fits_keeps_its_layout() -> None:
    """A short reply keeps its target and its blank lines: only a long one is folded."""
    _, text = reply("/size BTC 72000 stop 71500 tp 74000 lev 5 acct 1000", ALONE)
    assert "Target $74,000.00 = 3.37 R" in text
    assert text.splitlines()[-3:] == [
        "✅ Within your 1% rule, streak 4.",
        "",
        "Defaults: Binance USDⓈ-M · risk 1% · isolated · fee 0.05% (venue)",
    ]


def test_a_likely_typo_is_said_next_to_the_entry() -> None:
    """An entry ten times away from the mark is warned about under the header, where the
    entry is, even when every other warning comes too."""
    _, text = reply("/size BTC 0.00001 stop 7100 lev 20 risk 3% acct 1000", ALONE)
    lines = text.splitlines()
    assert lines[1].startswith("⚠️ Your entry $0.00001 is more than ten times away")
    assert len(lines) <= PHONE_LINES, text


ENTRIES = ("72000", "market")
STOPS = ("71500", "73000", "1%")
TARGETS = ("", "tp 74000", "tp 70000")
LEVERAGES = ("lev 20", "lev 125", "lev 3")
RISKS = ("", "risk 3%", "risk $50")


@pytest.mark.parametrize("member", [ALONE, IN_GROUP], ids=["private", "group"])
def test_every_size_reply_fits_a_phone(member: Member) -> None:
    """Every mix of entry, stop, target, leverage and risk, at the mark or without a price
    (mixes that are mistakes, such as a target beyond the stop, get an error instead)."""
    replies = 0
    for parts in itertools.product(ENTRIES, STOPS, TARGETS, LEVERAGES, RISKS):
        command = " ".join(["/size BTC", parts[0], "stop", *parts[1:], "acct 1000"])
        for quote in (AT_MARK, MarketQuote()):
            try:
                _, text = reply(command, member, quote)
            except CommandError:
                continue
            replies += 1
            assert len(text.splitlines()) <= PHONE_LINES, f"{command}\n{text}"
    assert replies >= 150  # of 324 mixes: the others are mistakes, or at market with no price
