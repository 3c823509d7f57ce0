"""Inline button data, declared once per button; and the member, loaded once per update."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatbot.bot.buttons import (
    CHART,
    DETAILS,
    EXPLORE,
    FORGET,
    OLDER,
    OLDER_ALL,
    OUTCOME,
    RUN,
    Button,
    ButtonData,
    CheckButton,
    Explore,
    ForgetAnswer,
    OlderChecks,
    OutcomeOfCheck,
    RunExample,
)
from chatbot.evaluation.discipline import TradeResult
from chatbot.storage import Database
from chatbot.storage.rows import MemberSettings
from tests.conftest import Chat, running
from tests.standin import StandIn

BUTTONS: tuple[Button[Any], ...] = (
    EXPLORE,
    CHART,
    OLDER,
    FORGET,
    RUN,
    OUTCOME,
    DETAILS,
    OLDER_ALL,
)
ids = st.integers(min_value=1, max_value=10**18 - 1)
values = st.one_of(
    st.builds(Explore, check_id=ids, exploring=st.booleans()),
    st.builds(CheckButton, check_id=ids),
    st.builds(OlderChecks, before_id=ids),
    st.builds(ForgetAnswer, answer=st.sampled_from(["yes", "no"])),
    st.builds(RunExample, key=st.from_regex(r"[A-Za-z0-9_-]{1,60}", fullmatch=True)),
    st.builds(OutcomeOfCheck, check_id=ids, result=st.sampled_from(TradeResult)),
)
BY_MODEL = {button.model: button for button in BUTTONS}
GROUP = -1001234567890


def test_buttons_already_sent_keep_their_data() -> None:
    """Messages sent before this code still work: each button writes the data it always did."""
    assert EXPLORE.data(Explore(check_id=12, exploring=True)) == "explore:12:1"
    assert CHART.data(CheckButton(check_id=12)) == "chart:12"
    assert OLDER.data(OlderChecks(before_id=40)) == "journal:40"
    assert FORGET.data(ForgetAnswer(answer="yes")) == "forget:yes"
    assert RUN.data(RunExample(key="try-liquidation")) == "run:try-liquidation"
    assert OUTCOME.data(OutcomeOfCheck(check_id=1, result=TradeResult.LOSS)) == "outcome:1:loss"


@given(values)
def test_data_reads_back_as_written(value: ButtonData) -> None:
    """Whatever a button writes, its pattern admits and its reading gives back unchanged."""
    button = BY_MODEL[type(value)]
    data = button.data(value)
    assert re.match(button.pattern, data)
    assert button.parse(data) == value
    assert len(data.encode()) <= 64  # Telegram's limit for callback_data


@pytest.mark.parametrize(
    "forged",
    [
        "explore:12:2",  # a flag is 0 or 1
        "explore:12",  # a field missing
        "explore:12:1:0",  # a field too many
        "explore:0:1",  # check ids start at 1
        "explore:012:1",  # no leading zeros: one id, one spelling
        "explore:-3:1",
        "explore:1234567890123456789:1",  # beyond a 64-bit rowid
        "chart:12\n",  # a trailing newline, which `$` would let through
        "chart: 12",
        "journal:abc",
        "forget:maybe",
        "run:",
        "run:a:b",
        "run:" + "x" * 61,
        "outcome:1:liq",  # a liquidation is recorded with /result, not a button
        "outcome:1:WIN",
        "settings:1",  # no such button
        "",
    ],
)
def test_forged_data_is_refused(forged: str) -> None:
    """Data no button could have written matches no pattern and reads as nothing."""
    for button in BUTTONS:
        assert re.match(button.pattern, forged) is None
        assert button.parse(forged) is None


def test_data_is_not_read_by_another_button() -> None:
    """A chart's data is not a journal page's: each button reads only its own prefix, even
    where one prefix begins another (journal, journalall)."""
    assert OLDER.parse("chart:12") is None
    assert CHART.parse("chart:12") == CheckButton(check_id=12)
    assert DETAILS.data(CheckButton(check_id=12)) == "details:12"
    assert CHART.parse("details:12") is None
    assert OLDER_ALL.data(OlderChecks(before_id=40)) == "journalall:40"
    assert OLDER.parse("journalall:40") is None
    assert OLDER_ALL.parse("journal:40") is None


def test_data_out_of_shape_is_never_written() -> None:
    """A key the pattern would refuse is refused when the button is made, not when pressed."""
    with pytest.raises(ValueError, match="out of shape"):
        RUN.data(RunExample(key="has space"))


async def test_member_is_read_once_per_update(
    api: StandIn, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every step of an update shares one load of the member: `/start stats` (a deep link from
    a group, which runs /stats inside /start), a personal command in a group (throttle, then
    privacy guard) and a button each read the member's settings once."""
    reads: list[int] = []
    read = Database.member_settings

    async def counted(self: Database, user_id: int) -> MemberSettings | None:
        reads.append(user_id)
        return await read(self, user_id)

    monkeypatch.setattr(Database, "member_settings", counted)
    async with running(api, db_path):
        group = Chat(api, chat_id=GROUP, chat_type="supergroup")
        assert "private" in (await group.say("/stats"))["text"]  # throttle + guard: one read
        me = Chat(api)
        assert "Your discipline" in (await me.say("/start stats"))["text"]
        await me.say("/forget")
        await me.press("forget:no")
    assert len(reads) == 4
