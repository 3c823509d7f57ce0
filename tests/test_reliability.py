"""Reliability under odd input: no generated message, button press or inline query makes a
handler fail, each gets a clear answer or none as it deserves, and everything the bot sends
parses as Telegram HTML (the stand-in refuses what would not)."""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import Counter
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
from chatbot.evaluation.discipline import TradeResult
from chatbot.render.chat import render_failure
from tests.conftest import WITHIN, Chat, error_records, running
from tests.standin import (
    DEFAULT_USERNAME,
    MESSAGE_METHODS,
    Call,
    StandIn,
    command_entities,
)

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


@pytest.mark.slow
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


@pytest.mark.slow
@FUZZ
@given(st.lists(PRESSES, min_size=1, max_size=10))
@example([Press(data, MEMBER, MEMBER, "message") for data in ("explore:1:1", "explore:1:1")])
@example([Press(data, MEMBER, MEMBER, "none") for data in ("explore:1:1", "journal:3")])
@example([Press("forget:yes", MEMBER, MEMBER, "none"), Press("", MEMBER, MEMBER, "none")])
def test_any_button_press_is_answered_once_without_an_error(presses: list[Press]) -> None:
    """Any press, forged or with no message, is answered once; nothing fails; all HTML parses."""
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


@pytest.mark.slow
@FUZZ
@given(st.lists(INLINE, min_size=1, max_size=8))
def test_any_inline_query_is_answered_with_html_telegram_parses(queries: list[str]) -> None:
    """Every inline query gets one answer, with no error, and its message parses as HTML."""
    calls, errors = asyncio.run(calls_after(queries))
    assert errors == []
    assert refused(calls) == []
    inline = [call for call in calls if call.method == "answerInlineQuery"]
    assert len(inline) == len(queries)
