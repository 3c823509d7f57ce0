"""Safety end to end: personal figures stay out of groups however they are asked for, and the
group's "open in private" links work in the private chat."""

from __future__ import annotations

from pathlib import Path

import pytest

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
