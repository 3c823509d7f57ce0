"""Reliability: odd input never crashes the bot, a kill -9 loses no answered check, and a failing
Telegram (429, 5xx, dropped connections) is retried until every member has their answer."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from telegram.constants import MessageLimit

from chatbot.bot.buttons import (
    CHART,
    EXPLORE,
    FORGET,
    OLDER,
    OUTCOME,
    RUN,
    CheckButton,
    Explore,
    ForgetAnswer,
    OlderChecks,
    OutcomeOfCheck,
    RunExample,
)
from chatbot.bot.registry import COMMANDS
from chatbot.evaluation.discipline import TradeResult, streaks_of
from chatbot.render.chat import render_failure
from chatbot.storage import Database, statements
from tests.conftest import Chat, running
from tests.standin import (
    DEFAULT_USERNAME,
    MESSAGE_METHODS,
    Call,
    StandIn,
    command_entities,
)

WITHIN = "/size BTC 72000 stop 71500 acct 1000 lev 5"
ANSWERS = frozenset({"sendMessage", "sendDocument", "sendPhoto"})
NAMES = frozenset(name for command in COMMANDS for name in (command.name, *command.aliases))
SENTINEL = 999_999

Kind = Literal["private", "group", "edited", "no_sender", "group_no_sender", "channel"]


# ---------------------------------------------------------------- odd updates, generated


@dataclass(frozen=True)
class Odd:
    """One generated update: what kind it is and its text (None: a message without text)."""

    kind: Kind
    text: str | None


PLAIN = st.characters(exclude_categories=("Cs",))  # JSON from Telegram never holds surrogates
BMP = st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",))
HUGE = st.one_of(
    st.integers(min_value=10**15, max_value=10**400).map(str),
    st.sampled_from(["1e309", "NaN", "inf", "-0", "0.0000000000000000000001", "9" * 500]),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
WORDS = st.one_of(
    st.text(PLAIN, min_size=1, max_size=12),
    HUGE,
    st.sampled_from(["BTC", "stop", "acct", "lev", "risk", "tp", "x20", "1%", "72k", "$", "@"]),
)
HEADS = st.sampled_from(
    [
        *(f"/{name}" for name in sorted(NAMES)),
        f"/size@{DEFAULT_USERNAME}",
        "/size@otherbot",
        "/SIZE",
        "/nope",
        "/",
        "size",
        "",
    ]
)
SPACES = st.text(st.sampled_from(" \t\n\u00a0\u2003\u3000"), min_size=1, max_size=8)
FULL = BMP.map(lambda char: char * MessageLimit.MAX_TEXT_LENGTH)


@st.composite
def texts(draw: st.DrawFn) -> str:
    """A command or a text as a member might type it, or something no member would."""
    head = draw(HEADS)
    words = draw(st.lists(WORDS, max_size=8))
    made = " ".join([head, *words]).strip() if head or words else draw(SPACES)
    return draw(st.one_of(st.just(made or "?"), SPACES, FULL, st.just(_fill(head))))


def _fill(head: str) -> str:
    """A command padded to exactly Telegram's longest message."""
    return (head + " " + "9" * MessageLimit.MAX_TEXT_LENGTH)[: MessageLimit.MAX_TEXT_LENGTH]


ODD = st.one_of(
    st.builds(Odd, st.just("private"), st.none() | texts()),
    st.builds(Odd, st.sampled_from(["group", "edited", "no_sender", "group_no_sender"]), texts()),
    st.builds(Odd, st.just("channel"), texts()),
)


def deserves_answer(odd: Odd) -> bool:
    """Texts in a private chat, and our commands in a group; never edits, channel posts or a
    message without a sender (no member to answer). A message without text is not a question."""
    if odd.kind == "private":
        return odd.text is not None
    return odd.kind == "group" and odd.text is not None and _our_command(odd.text)


def _our_command(text: str) -> bool:
    """What python-telegram-bot's CommandHandler matches: a leading command entity naming one
    of our commands, addressed to no bot or to this one."""
    entities = command_entities(text)
    if not entities:
        return False
    name, _, bot = text[1 : entities[0]["length"]].partition("@")
    return name.lower() in NAMES and bot.lower() in {"", DEFAULT_USERNAME.lower()}


def push(api: StandIn, odd: Odd, n: int) -> int:
    """Queue the update in a chat of its own; returns that chat's id."""
    user, group = 50_000 + n, -1_005_000_000 - n
    if odd.kind == "private":
        api.push_message(odd.text, user_id=user)
        return user
    text = odd.text or ""
    if odd.kind == "group":
        api.push_message(text, user_id=user, chat_id=group, chat_type="supergroup")
        return group
    if odd.kind == "edited":
        api.push_edited_message(text, message_id=1, user_id=user)
        return user
    if odd.kind == "channel":
        api.push_channel_post(text, chat_id=group)
        return group
    chat = {"id": user, "type": "private"} if odd.kind == "no_sender" else _group(group)
    api.push_raw({"message": _senderless(chat, text)})
    return int(chat["id"])


def _group(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "type": "supergroup", "title": "Test group"}


def _senderless(chat: dict[str, Any], text: str) -> dict[str, Any]:
    message = {"message_id": 1, "date": int(time.time()), "chat": chat, "text": text}
    entities = command_entities(text)
    return message | ({"entities": entities} if entities else {})


@contextmanager
def error_records() -> Iterator[list[logging.LogRecord]]:
    """Every ERROR (or worse) logged meanwhile: a failing handler always logs one."""

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            kept.append(record)

    kept: list[logging.LogRecord] = []
    handler = Keep(logging.ERROR)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield kept
    finally:
        root.removeHandler(handler)


async def answers_to(odds: list[Odd]) -> tuple[list[int], list[str], list[str]]:
    """Feed the updates to the real bot: answers to each, all texts sent, and errors logged."""
    with tempfile.TemporaryDirectory() as tmp, error_records() as errors:
        async with StandIn() as api, running(api, Path(tmp) / "bot.sqlite3") as app:
            chats = [push(api, odd, n) for n, odd in enumerate(odds)]
            # Updates are fetched in order: once the sentinel is answered, all were fetched.
            await Chat(api, user_id=SENTINEL).say("/help")
            await app.update_queue.join()
        sent = [call for call in api.calls if call.method in MESSAGE_METHODS]
    assert all(call.ok for call in sent), api.describe_calls()
    answered = Counter(call.params["chat_id"] for call in sent if call.method in ANSWERS)
    words = [str(call.params.get("text", "")) for call in sent]
    return [answered[chat] for chat in chats], words, [record.getMessage() for record in errors]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
)
@given(st.lists(ODD, min_size=1, max_size=12))
def test_odd_updates_get_a_clear_answer_or_none(odds: list[Odd]) -> None:
    """No odd text or update makes a handler fail; exactly those that deserve an answer get one."""
    answered, words, errors = asyncio.run(answers_to(odds))
    assert errors == []
    assert not any(render_failure("en") in text for text in words)
    for odd, answers in zip(odds, answered, strict=True):
        assert (answers > 0) == deserves_answer(odd), odd


# ---------------------------------------------------------------- buttons and inline queries

MEMBER, STRANGER, GROUP_CHAT = 1001, 2002, -1_006_000_000
CHATS = (MEMBER, GROUP_CHAT)
# Data each button writes, for the checks the set-up logs (1 in private, 2 in the group) and
# for ids no one has; then data no button writes.
WRITTEN = [
    *(
        EXPLORE.data(Explore(check_id=n, exploring=flag))
        for n in (1, 2, 9)
        for flag in (True, False)
    ),
    *(CHART.data(CheckButton(check_id=n)) for n in (1, 2, 9)),
    *(OLDER.data(OlderChecks(before_id=n)) for n in (1, 3)),
    *(FORGET.data(ForgetAnswer(answer=answer)) for answer in ("yes", "no")),
    *(RUN.data(RunExample(key=key)) for key in ("size", "hedge", "try-liquidation", "nope")),
    *(
        OUTCOME.data(OutcomeOfCheck(check_id=n, result=result))
        for n in (1, 9)
        for result in TradeResult
    ),
]
DATA = st.one_of(
    st.sampled_from(WRITTEN),
    st.none(),  # a game's button carries no data
    st.just(""),
    st.text(PLAIN, max_size=64),
)
MessageShape = Literal["message", "none", "inaccessible", "inline"]


@dataclass(frozen=True)
class Press:
    """One button press: whose, where, with what data, on what kind of message."""

    data: str | None
    user: int
    chat: int
    shape: MessageShape


PRESSES = st.builds(
    Press,
    DATA,
    st.sampled_from([MEMBER, STRANGER]),
    st.sampled_from(CHATS),
    st.sampled_from(["message", "none", "inaccessible", "inline"]),
)


def push_press(api: StandIn, press: Press, n: int) -> None:
    """Queue the press as Telegram would send it: with the bot's latest message in the chat,
    without any (forged), with a message too old to see (date 0), or from an inline message."""
    user = api.world.register_user(
        {"id": press.user, "is_bot": False, "first_name": "F", "language_code": "en"}
    )
    query: dict[str, Any] = {"id": f"q{n}", "from": user, "chat_instance": str(press.chat)}
    if press.data is not None:
        query["data"] = press.data
    chat = api.world.chat(press.chat if press.user == MEMBER else press.user)
    if press.shape == "message":
        latest = api.world.last_message(chat["id"], api.world.bot["id"])
        query["message"] = latest or api.world.new_message(chat, None, text="…")
    elif press.shape == "inaccessible":
        query["message"] = {"chat": chat, "message_id": 1, "date": 0}
    elif press.shape == "inline":
        query["inline_message_id"] = f"inline-{n}"
    api.push_raw({"callback_query": query})


async def calls_after(pushes: list[Press] | list[str]) -> tuple[list[Call], list[str]]:
    """A member logs a check in private and one in a group, then the presses or inline queries
    arrive: every call the bot made, and every error it logged."""
    with tempfile.TemporaryDirectory() as tmp, error_records() as errors:
        async with StandIn() as api, running(api, Path(tmp) / "bot.sqlite3") as app:
            await Chat(api, user_id=MEMBER).say(WITHIN)
            await Chat(api, user_id=MEMBER, chat_id=GROUP_CHAT, chat_type="supergroup").say(WITHIN)
            for n, pushed in enumerate(pushes):
                if isinstance(pushed, Press):
                    push_press(api, pushed, n)
                else:
                    api.push_inline_query(pushed, user_id=MEMBER)
            await Chat(api, user_id=SENTINEL).say("/help")
            await app.update_queue.join()
    return api.calls, [record.getMessage() for record in errors]


def refused(calls: list[Call]) -> list[Call]:
    """Calls Telegram refused, but for the edit a button pressed twice asks again: Telegram
    says "message is not modified", and the message already reads right."""
    return [
        call
        for call in calls
        if call.method != "getUpdates" and not call.ok and "not modified" not in str(call.error)
    ]


def _answered_once(calls: list[Call], method: str, ids: list[str], key: str) -> None:
    answered = Counter(call.params[key] for call in calls if call.method == method and call.ok)
    assert [answered[query_id] for query_id in ids] == [1] * len(ids)


FUZZ = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
)


@FUZZ
@given(st.lists(PRESSES, min_size=1, max_size=10))
@example([Press(data, MEMBER, MEMBER, "message") for data in ("explore:1:1", "explore:1:1")])
@example([Press(data, MEMBER, MEMBER, "none") for data in ("explore:1:1", "journal:3")])
@example([Press("forget:yes", MEMBER, MEMBER, "none"), Press("", MEMBER, MEMBER, "none")])
def test_any_button_press_is_answered_once_without_an_error(presses: list[Press]) -> None:
    """Forged, empty or missing data, or no message to edit: every press is answered once, no
    handler fails, and all the bot sends parses as Telegram HTML (the stand-in refuses what
    does not)."""
    calls, errors = asyncio.run(calls_after(presses))
    assert errors == []
    assert refused(calls) == []
    _answered_once(
        calls, "answerCallbackQuery", [f"q{n}" for n in range(len(presses))], "callback_query_id"
    )


INLINE = st.one_of(
    texts().map(lambda text: text.lstrip("/")[:256]),
    st.text(PLAIN, max_size=256),
    st.sampled_from(["size BTC 72000 stop 71500", "liq BTC 72000 lev 20", "<b>", "&", ""]),
)


@FUZZ
@given(st.lists(INLINE, min_size=1, max_size=8))
def test_any_inline_query_is_answered_with_html_telegram_parses(queries: list[str]) -> None:
    """Every inline query gets one answer, with no error, and its message parses as HTML."""
    calls, errors = asyncio.run(calls_after(queries))
    assert errors == []
    assert refused(calls) == []
    inline = [call for call in calls if call.method == "answerInlineQuery"]
    assert len(inline) == len(queries)


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
        await api.wait_for(lambda _: sum(_answered(api).values()) >= len(batch.result) // 4)
    finally:
        first.send_signal(signal.SIGKILL)
        await asyncio.to_thread(first.wait)
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


async def test_failing_telegram_is_retried_and_every_member_answered(
    api: StandIn, db_path: Path
) -> None:
    """429s, 500s and dropped connections are retried: all answered, each check logged once."""
    faults = [
        ("sendMessage", "429"),
        ("sendMessage", "500"),
        ("sendMessage", "drop"),
        ("getUpdates", "500"),
        ("getUpdates", "drop"),
    ]
    flood = range(71_000, 71_050)
    async with running(api, db_path):
        for n, (method, kind) in enumerate(faults):
            api.fail_next(method, kind, retry_after=1)  # type: ignore[arg-type]
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
    answers = Counter(params["chat_id"] for params in api.sent())
    assert answers[lost.user_id] == 2  # Telegram sent it, the answer to the bot was lost
    assert all(answers[70_000 + n] == 1 for n in range(len(faults)))
    assert all(answers[member] == 1 for member in flood)
    async with await Database.open(db_path) as store:
        members = [*(70_000 + n for n in range(len(faults))), lost.user_id, *flood]
        assert [await store.count_checks(member) for member in members] == [1] * len(members)


# ---------------------------------------------------------------- lessons to a channel

CHANNEL = "@riskschool"


async def test_only_an_admin_of_the_channel_points_lessons_at_it(
    api: StandIn, db_path: Path
) -> None:
    """A group admin who is not the channel's admin, or an anonymous one, is refused even where
    the bot may post; the channel's own admin is not, and only then is a lesson job set."""
    group = -1_008_000_000
    command = f"/policy channel {CHANNEL} daily 09:00"
    channel = api.world.chat(CHANNEL)["id"]
    api.chat_members[(channel, api.bot["id"])] = "administrator"
    api.chat_members[(group, 7)] = api.chat_members[(group, 8)] = "administrator"
    api.chat_members[(channel, 8)] = "administrator"
    async with running(api, db_path) as app:
        outsider = Chat(api, user_id=7, chat_id=group, chat_type="supergroup")
        refused = await outsider.say(command)
        anonymous = api.push_message(
            command,
            user_id=1087039,
            chat_id=group,
            chat_type="supergroup",
            sender_chat=api.world.chat(group),
        )
        (hidden,) = await api.wait_for(
            lambda call: (
                call.ok
                and call.method == "sendMessage"
                and call.params["reply_parameters"]["message_id"]
                == anonymous["message"]["message_id"]
            )
        )
        assert app.job_queue is not None
        assert app.job_queue.get_jobs_by_name(f"lessons:{group}") == ()
        saved = await Chat(api, user_id=8, chat_id=group, chat_type="supergroup").say(command)
        assert len(app.job_queue.get_jobs_by_name(f"lessons:{group}")) == 1
    for answer in (refused["text"], hidden.params["text"]):
        assert f"Only an admin of {CHANNEL}" in answer
    assert f"in {CHANNEL}" in saved["text"]
    asked = {
        call.params["user_id"]
        for call in api.calls
        if call.method == "getChatMember" and call.params["chat_id"] == CHANNEL
    }
    assert {7, 8} <= asked


# ---------------------------------------------------------------- /forget with live jobs

NAME = "Zebulonia"


async def test_forget_stops_live_reminders_and_leaves_nothing_in_the_wal(
    api: StandIn, db_path: Path
) -> None:
    """After the erase no reminder job is left, one already due sends nothing, and neither the
    database file nor its -wal holds the member's name or zone any more."""
    member = Chat(api, user_id=MEMBER)
    async with running(api, db_path) as app:
        assert app.job_queue is not None
        await member.say("/start", first_name=NAME)
        await member.say("/settings tz Pacific/Chatham")
        await member.say("/remind daily 20:00")
        await member.say("/remind weekly sun 18:00")
        due = app.job_queue.get_jobs_by_name(f"remind:{MEMBER}:daily")
        assert len(due) == 1 and len(app.job_queue.get_jobs_by_name(f"remind:{MEMBER}:weekly")) == 1
        await member.say("/forget")
        await member.press("forget:yes")
        assert [job for job in app.job_queue.jobs() if job.name.startswith("remind:")] == []
        before = len(api.sent(MEMBER))
        await due[0].run(app)  # a job that was already running when the member erased
        assert len(api.sent(MEMBER)) == before
        wal = db_path.with_name(db_path.name + "-wal")
        assert wal.stat().st_size == 0
        for stored in (db_path.read_bytes(), wal.read_bytes()):
            assert NAME.encode() not in stored and b"Pacific/Chatham" not in stored


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
    """A backup or an admin's shell holds the write lock longer than the busy timeout (50 ms
    here instead of 5 s): the check waits, is logged once and answered with its figures."""
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
