"""A Telegram outage, in simulated time: owed answers wait in the database and arrive once
Telegram is back, the probes back off, and the operators hear of it afterwards."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from chatbot.bot import alerts, late
from chatbot.bot.context import CLOCK_KEY, DB_KEY
from chatbot.service import checks
from chatbot.service import late as owed_answers
from chatbot.service.members import load_member
from chatbot.storage import Database
from chatbot.storage.rows import LateAnswer
from tests.conftest import WITHIN, Clock, confirmed, error_records, running
from tests.standin import StandIn

MEMBERS = range(72_000, 72_020)
HELPLESS, OPERATOR = 72_100, 4242
OUTAGE = 30.0  # seconds of 5xx, simulated

pytestmark = pytest.mark.usefixtures("prompt_retries")


def _failed_sends(api: StandIn) -> int:
    return sum(call.method == "sendMessage" and not call.ok for call in api.calls)


async def test_an_outage_of_30_seconds_loses_no_answer(
    api: StandIn, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """30 s of 500s while 20 ask: all answered once after; probes back off; operator told."""
    monkeypatch.setenv("RISKBOT_ADMIN_IDS", str(OPERATOR))
    clock = Clock()
    with error_records() as errors:
        async with running(api, db_path) as app:
            assert app.job_queue is not None
            app.bot_data[CLOCK_KEY] = clock
            (deliver,) = app.job_queue.get_jobs_by_name(late.JOB_NAME)
            (tell,) = app.job_queue.get_jobs_by_name(alerts.JOB_NAME)
            deliver.enabled = tell.enabled = False  # the test runs them as time passes
            api.fail_next("sendMessage", "500", count=None)
            asked = {member: api.push_message(WITHIN, user_id=member) for member in MEMBERS}
            lost = api.push_message("/help", user_id=HELPLESS)
            await api.wait_for(confirmed(lost), timeout=10)
            owed = await owed_answers.owed(app.bot_data[DB_KEY], 100)
            assert sorted(answer.user_id for answer in owed) == list(MEMBERS)

            start, before = clock.now, _failed_sends(api)
            while clock.now < start + OUTAGE:
                await deliver.run(app)
                clock.now = late.owed_state(app.bot_data).next_at
            # One probe each time a wait ends, the waits doubling from 1 s: at 0, 1, 3, 7 and
            # 15 s; the next is due at 31 s, after the outage.
            assert _failed_sends(api) - before == 5
            assert clock.now == start + 31

            api.clear_faults()
            await deliver.run(app)
            await tell.run(app)
            delivered = len(api.sent())
            for update in asked.values():
                api.push_raw(update)  # sent again by Telegram: the answers are not repeated
            # An edit is never answered: once it is confirmed, so is everything before it.
            edit = api.push_edited_message("edited", message_id=1, user_id=HELPLESS)
            await api.wait_for(confirmed(edit), timeout=10)
    sent = api.sent()
    assert len(sent) == delivered
    for member, update in asked.items():
        note, answer = (params for params in sent if params["chat_id"] == member)
        assert note["text"].startswith("⏳ Sorry for the wait")
        assert "0.017 BTC" in answer["text"]
        assert answer["reply_parameters"]["message_id"] == update["message"]["message_id"]
    (alert,) = (params["text"] for params in sent if params["chat_id"] == OPERATOR)
    assert f"update {lost['update_id']} failed: NetworkError" in alert
    assert [record.getMessage() for record in errors] == [f"update {lost['update_id']} failed"]
    assert Counter(params["chat_id"] for params in sent)[HELPLESS] == 0


def test_the_wait_doubles_from_a_second_up_to_a_minute() -> None:
    """1, 2, 4, 8, 16, 32 s, then the one-minute cap: an outage costs a probe a minute."""
    assert [late.backoff(failures) for failures in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]


async def test_forget_erases_the_answers_still_owed(db_path: Path) -> None:
    """An owed answer holds the member's figures: /forget takes it with everything else."""
    async with await Database.open(db_path) as db:
        member = await load_member(db, 5005, chat_id=5005, group=False, telegram_code="en")
        check = await checks.evaluate_for(member, WITHIN)
        logged = await checks.log_check(db, member, check, "5005:1", datetime.now(UTC))
        assert logged.text is not None
        owed = LateAnswer(
            check_id=logged.check_id,
            user_id=5005,
            chat_id=5005,
            message_id=1,
            thread_id=None,
            lang="en",
            text=logged.text,
            markup_json=None,
            queued_at=datetime.now(UTC),
        )
        await owed_answers.owe(db, owed)
        assert await owed_answers.owed(db, 10) == [owed]
        await db.forget(5005)
        assert await owed_answers.owed(db, 10) == []


async def test_an_owed_answer_is_not_sent_again_when_its_question_comes_back(
    api: StandIn, db_path: Path
) -> None:
    """Questions a dead run owed answers to come back: the next run answers each once."""
    clock = Clock()
    async with running(api, db_path) as app:
        app.bot_data[CLOCK_KEY] = clock  # frozen: the job never finds its wait over
        api.fail_next("sendMessage", "502", count=None)
        asked = [api.push_message(WITHIN, user_id=member) for member in MEMBERS[:3]]
        await api.wait_for(confirmed(asked[-1]), timeout=10)
        assert len(await owed_answers.owed(app.bot_data[DB_KEY], 10)) == 3
    api.clear_faults()
    async with running(api, db_path) as app:
        assert app.job_queue is not None
        (deliver,) = app.job_queue.get_jobs_by_name(late.JOB_NAME)
        deliver.enabled = False
        for update in asked:
            api.push_raw(update)  # as Telegram does for questions a crashed run never confirmed
        edit = api.push_edited_message("edited", user_id=MEMBERS[0])
        await api.wait_for(confirmed(edit), timeout=10)
        assert await owed_answers.owed(app.bot_data[DB_KEY], 10) == []
        await deliver.run(app)
    for member in MEMBERS[:3]:
        (answer,) = api.sent(member)
        assert "0.017 BTC" in answer["text"]
