"""Safety end to end: personal figures stay out of groups however they are asked for, and the
group's "open in private" links work in the private chat."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chatbot.engine.models import SizeResult
from chatbot.evaluation.calculators import evaluate
from chatbot.language.parser import parse_command
from chatbot.render import charts
from chatbot.render.lessons import find_lesson
from tests.conftest import Chat, running
from tests.standin import StandIn

WITHIN = "/size BTC 72000 stop 71500 acct 1000 lev 5"
GROUP = -1001234567890
PERSONAL_LINKS = ("export", "journal", "stats", "ready", "forget")


async def test_deep_links_to_personal_commands_stay_private_in_a_group(
    api: StandIn, db_path: Path
) -> None:
    """`/start export` and the other personal deep links typed in a group get the private link."""
    async with running(api, db_path):
        for n, target in enumerate(PERSONAL_LINKS):
            # One member a link: the group's limit of commands a minute stays out of the way.
            group = Chat(api, user_id=3000 + n, chat_id=GROUP, chat_type="supergroup")
            await group.say(WITHIN)
            answer = await group.say(f"/start {target}")
            assert "stay private" in answer["text"], target
            (button,) = answer["reply_markup"]["inline_keyboard"][0]
            assert button["url"].endswith(f"?start={target}")
    sent_to_group = [call.method for call in api.calls if call.params.get("chat_id") == GROUP]
    assert "sendDocument" not in sent_to_group and "sendPhoto" not in sent_to_group


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("settings", "Account: not set"),
        ("remind", "/remind"),
        ("result", "/result"),
    ],
)
async def test_open_in_private_links_answer_in_private(
    api: StandIn, db_path: Path, target: str, expected: str
) -> None:
    """`/start settings`, `remind` and `result` run their command, never "unknown /start"."""
    async with running(api, db_path):
        answer = await Chat(api).say(f"/start {target}")
    assert "/start" not in answer["text"]
    assert expected in answer["text"]


@pytest.mark.parametrize("word", ["²", "³", "፩", "١", "٣"])
def test_a_lesson_number_in_other_digits_is_no_lesson(word: str) -> None:
    """`/lesson ²`: str.isdigit() is true for "²" but int() refuses it; no lesson, no crash."""
    assert find_lesson(word) is None


# Settings only the member should see: an account, a risk per trade above their own rule.
OWN_SETTINGS = "/settings acct 12345 risk 1.5% maxrisk 1% lev 5"
ACCOUNT = "12,345"
# 12,345 × 1.5% = 185.175, the budget: a group may see what this trade risks, in dollars.
BUDGET = "$185.18"


def personal_figures(text: str) -> list[str]:
    """The member's own figures a reply shows: their account, a share of it, their rule's value
    (1% and 1.5× it), or their record (a streak, a best, a count of breaks)."""
    found = [ACCOUNT] if ACCOUNT in text else []
    found += re.findall(r"(?<![\d.,])1(?:\.50?)?%|\b1\.5×|of account|account leverage", text)
    found += re.findall(r"(?i)streak|new best|in a row|oversized trades? this week", text)
    return found


async def test_a_size_in_a_group_shows_no_account_rule_or_streak(
    api: StandIn, db_path: Path
) -> None:
    """In private the reply shows the account, the rule and the streak; in a group only the
    verdict, the budget in dollars and the names of the settings used."""
    async with running(api, db_path):
        me = Chat(api)
        await me.say(OWN_SETTINGS)
        for _ in range(2):
            await me.say("/size BTC 72000 stop 71500 risk 0.5%")  # within the 1% rule: a streak
        private = (await me.say("/size BTC 72000 stop 71500"))["text"]
        group = Chat(api, chat_id=GROUP, chat_type="supergroup")
        public = (await group.say("/size BTC 72000 stop 71500"))["text"]
        cross = (await group.say("/size BTC 72000 stop 71500 lev 20 cross"))["text"]
    assert ACCOUNT in private and "1.5× your 1% rule" in private and "streak of 2" in private
    for text in (public, cross):
        assert personal_figures(text) == [], text
        assert "Rule broken (" in text and "account (your settings)" in text
    assert BUDGET in public and "Leverage 20x is above your limit" in cross
    assert "Cross margin: your whole account backs" in cross


async def test_an_inline_result_shows_no_saved_account(api: StandIn, db_path: Path) -> None:
    """An inline result is posted into any chat: it names the saved account, never shows it."""
    async with running(api, db_path):
        await Chat(api).say(OWN_SETTINGS)
        api.push_inline_query("size BTC 72000 stop 71500")
        (call,) = await api.wait_for("answerInlineQuery")
    (article,) = call.params["results"]
    text = article["input_message_content"]["message_text"]
    assert personal_figures(text) == [] and "account (your settings)" in text
    # 185.175 / (500 + 72,000 × 0.05% + 71,500 × 0.05%) = 0.3238…, down to the 0.001 step.
    assert "0.323 BTC" in text


def test_a_price_ladder_pressed_in_a_group_leaves_the_account_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The chart's header says the budget; only the private one adds the share of the account."""
    request = parse_command("/size BTC 72000 stop 71500 acct 12345 risk 1.5% lev 5")
    result = evaluate(request).result
    assert isinstance(result, SizeResult)
    drawn: list[str] = []
    monkeypatch.setattr(charts, "_text", lambda where, x, y, text, **style: drawn.append(text))
    charts.price_ladder_png(result, "en")
    assert any(ACCOUNT in text for text in drawn)
    drawn.clear()
    charts.price_ladder_png(result, "en", private=False)
    assert not any(ACCOUNT in text for text in drawn)
    assert any(BUDGET in text for text in drawn)
