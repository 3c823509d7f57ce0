"""Reliability under faults: a kill -9 in a flood loses no answered check and resends only what
was on the wire, a failing Telegram (429, 5xx, dropped connections) is retried until every
member has their answer, and another process holding the database makes a check wait, not
vanish. (A longer outage, in simulated time: tests/test_reliability_outage.py.)"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from chatbot.evaluation.discipline import streaks_of
from chatbot.storage import Database, statements
from tests.conftest import WITHIN, Chat, running
from tests.standin import Call, FaultKind, StandIn

MEMBER = 1001

# ---------------------------------------------------------------- kill -9 in a flood

GROUP = -1_007_000_000
MEMBERS, EACH = 60, 4  # 4 a member: below the group limit of 5 commands a minute


def _start_bot(api: StandIn, db: Path, cwd: Path) -> subprocess.Popen[bytes]:
    """`riskbot run` as in production, unpaced only so that a flood in one group is quick."""
    env = {
        **os.environ,
        "RISKBOT_TOKEN": api.token,
        "RISKBOT_API_URL": api.url,
        "RISKBOT_DB": str(db),
        "RISKBOT_RATE_LIMIT": "off",
        "PYTHONPATH": str(Path(__file__).parents[1]),
    }
    command = [sys.executable, "-m", "chatbot", "run"]
    return subprocess.Popen(command, env=env, cwd=cwd, stderr=subprocess.DEVNULL)


def _private_answers(api: StandIn, members: set[int]) -> dict[int, list[str]]:
    answers: dict[int, list[str]] = {member: [] for member in members}
    for params in api.sent():
        if params.get("chat_id") in answers:
            answers[params["chat_id"]].append(params["text"])
    return answers


def _delivered(call: Call) -> bool:
    return call.method == "getUpdates" and bool(call.result)


def _answered(api: StandIn) -> Counter[int]:
    """How often each group message was answered: group answers quote the message."""
    return Counter(
        call.params["reply_parameters"]["message_id"]
        for call in api.calls
        if call.ok and call.method == "sendMessage" and call.params.get("chat_id") == GROUP
    )


@pytest.mark.slow
async def test_kill_9_mid_flood_then_restart_loses_no_answered_check(
    api: StandIn, tmp_path: Path
) -> None:
    """kill -9 mid-batch, restart: all answered, every check logged once, streaks agree."""
    db = tmp_path / "bot.sqlite3"
    pushed = [
        api.push_message(WITHIN, user_id=60_000 + m, chat_id=GROUP, chat_type="supergroup")
        for _ in range(EACH)
        for m in range(MEMBERS)
    ]
    first = _start_bot(api, db, tmp_path)
    try:
        (batch,) = await api.wait_for(_delivered, timeout=60)

        def a_quarter_answered(_: object) -> bool:
            """Once a quarter of the batch is answered, hold every further answer, so the
            kill lands mid-batch however fast the bot is (it once answered all first)."""
            if sum(_answered(api).values()) < len(batch.result) // 4:
                return False
            api.fail_next("sendMessage", "hang", count=None)
            return True

        await api.wait_for(a_quarter_answered)
    finally:
        first.send_signal(signal.SIGKILL)
        await asyncio.to_thread(first.wait)
    api.clear_faults()
    in_batch = {update["message"]["message_id"] for update in batch.result}
    answered_before = set(_answered(api))
    second = _start_bot(api, db, tmp_path)
    try:
        everyone = {message["message"]["message_id"] for message in pushed}
        await api.wait_for(lambda _: everyone <= set(_answered(api)), timeout=60)
        members = {message["message"]["from"]["id"] for message in pushed}
        for member in members:
            api.push_message("/streak", user_id=member)
        await api.wait_for(lambda _: all(_private_answers(api, members).values()))
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.to_thread(second.wait, 30)
    answered = _answered(api)
    assert answered_before < in_batch  # killed mid-batch: some of it answered, some not
    # The bot confirms a batch only once it has processed it: Telegram sent it all again.
    deliveries = Counter(
        update["update_id"] for call in api.calls if _delivered(call) for update in call.result
    )
    assert {deliveries[update["update_id"]] for update in batch.result} == {2}
    # Only an answer Telegram took in the instant before the kill, whose confirmation was still
    # on its way, is sent again, and never more than once. Marking an answer as sent used to
    # wait behind every check logged meanwhile, and every answer before the kill came twice.
    assert set(answered.values()) <= {1, 2}
    twice = [message for message, count in answered.items() if count == 2]
    assert len(twice) * 2 < len(answered_before), twice
    async with await Database.open(db) as store:
        logged: Counter[str] = Counter()
        for member, (answer,) in _private_answers(api, members).items():
            export = await store.export_rows(member)
            logged.update(row.check.update_key for row in export.checks)
            streaks = streaks_of(await store.discipline_rows(member))
            # Every check of the flood is within the rules, so the streak is the log's length.
            assert streaks.checks == streaks.best_checks == len(export.checks) == EACH
            assert f"within your rules: {EACH} (best {EACH})" in answer
    assert logged == Counter(f"{GROUP}:{message_id}" for message_id in everyone)


# ---------------------------------------------------------------- Telegram failing


@pytest.mark.slow
@pytest.mark.usefixtures("prompt_retries")
async def test_failing_telegram_is_retried_and_every_member_answered(
    api: StandIn, db_path: Path
) -> None:
    """429s, 500s and dropped connections are retried: all answered, each check logged once."""
    faults: list[tuple[str, FaultKind]] = [
        ("sendMessage", "429"),
        ("sendMessage", "500"),
        ("sendMessage", "drop"),
        ("getUpdates", "500"),
        ("getUpdates", "drop"),
    ]
    flood = range(71_000, 71_050)
    # A poll interval of 10 ms: a failed getUpdates is asked again after 15 ms, not a second.
    async with running(api, db_path, poll_interval=0.01):
        for n, (method, kind) in enumerate(faults):
            api.fail_next(method, kind, retry_after=1)
            answer = await Chat(api, user_id=70_000 + n).say(WITHIN)
            assert "0.017 BTC" in answer["text"], kind
        lost = Chat(api, user_id=70_100)
        api.fail_next("sendMessage", "drop_after")
        await lost.say(WITHIN)
        # The bot never heard that Telegram took it, and sends it again: let that settle before
        # the flood's faults, or the retry meets them all (and the member an apology).
        await api.wait_for_messages(2, chat_id=lost.user_id)
        # Two 429s (the rate limiter waits them out), then one 500 and one dropped connection:
        # no single answer can meet more failures than `reply` has attempts.
        api.fail_next("sendMessage", "429", count=2, retry_after=1)
        api.fail_next("sendMessage", "500")
        api.fail_next("sendMessage", "drop")
        for member in flood:
            api.push_message(WITHIN, user_id=member)
        await api.wait_for_messages(len(faults) + 2 + len(flood), timeout=30)
    injected = Counter((call.method, call.fault) for call in api.calls if call.fault)
    assert injected == Counter(
        [*faults, ("sendMessage", "drop_after")]
        + [("sendMessage", "429")] * 2
        + [("sendMessage", "500"), ("sendMessage", "drop")]
    )
    answers = Counter(params["chat_id"] for params in api.sent())
    assert answers[lost.user_id] == 2  # Telegram sent it, the answer to the bot was lost
    assert all(answers[70_000 + n] == 1 for n in range(len(faults)))
    assert all(answers[member] == 1 for member in flood)
    async with await Database.open(db_path) as store:
        members = [*(70_000 + n for n in range(len(faults))), lost.user_id, *flood]
        assert [await store.count_checks(member) for member in members] == [1] * len(members)


# ---------------------------------------------------------------- another writer holds the file


@contextmanager
def warned(logger: str, words: str) -> Iterator[asyncio.Event]:
    """An event set once `logger` warns with `words` in its message."""
    seen = asyncio.Event()

    class Watch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if words in record.getMessage():
                seen.set()

    handler = Watch(logging.WARNING)
    logging.getLogger(logger).addHandler(handler)
    try:
        yield seen
    finally:
        logging.getLogger(logger).removeHandler(handler)


async def test_a_check_waits_for_another_writer_instead_of_being_dropped(
    api: StandIn, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check waits out a writer holding the database past the busy timeout, then is logged."""
    # A backup or an admin's shell holding the write lock past 50 ms (the bot's 5 s, shortened).
    shorter = tuple(
        "PRAGMA busy_timeout = 50" if "busy_timeout" in pragma else pragma
        for pragma in statements.PRAGMAS
    )
    monkeypatch.setattr(statements, "PRAGMAS", shorter)
    async with running(api, db_path):
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        with warned("chatbot.storage.db", "another process holds the database") as waiting:
            api.push_message(WITHIN, user_id=MEMBER)
            await asyncio.wait_for(waiting.wait(), timeout=10)
        other.execute("ROLLBACK")
        other.close()
        (answer,) = (call.params["text"] for call in await api.wait_for_messages(1, MEMBER))
    assert "0.017 BTC" in answer and "not lost" not in answer
    async with await Database.open(db_path) as store:
        assert await store.count_checks(MEMBER) == 1
