"""The bot end to end: the real Application and PTB's HTTP stack against the stand-in server."""

from __future__ import annotations

import asyncio
import csv
import gc
import io
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from chatbot.bot.logs import REDACTED, install_redaction
from chatbot.cli import main
from chatbot.storage import Database
from tests.conftest import Chat, confirmed, running
from tests.standin import StandIn

WORKED = "/size BTC 72000 stop 71500 acct 1000 lev 20"
# 5x keeps within the beginner limit of 10x, so the check respects every default rule.
WITHIN = "/size BTC 72000 stop 71500 acct 1000 lev 5"
GROUP = -1001234567890


async def test_private_conversation_covers_every_command(api: StandIn, db_path: Path) -> None:
    """A member's first session: every command answers, and the log turns into feedback."""
    async with running(api, db_path):
        me = Chat(api)
        start = await me.say("/start")
        assert "Try one" in start["text"] and "/size BTC 72000" in start["text"]
        assert "inline_keyboard" in start["reply_markup"]

        first = await me.say(WITHIN)
        assert "68,674.70" not in first["text"]  # 5x: liquidation far below the 20x price
        assert "$9.72" in first["text"]  # the size does not depend on leverage
        assert "First check in your log" in first["text"]
        second = await me.say(WITHIN)
        assert "New best: 2 checks in a row" in second["text"]
        broken = await me.say(WORKED)
        assert "≈ <b>$68,674.70</b>" in broken["text"]
        assert "Rule broken (leverage above your limit)" in broken["text"]
        assert "streak of 2 checks ends here" in broken["text"]

        assert "Liquidation ≈" in (await me.say("/liq BTC 72000 lev 20"))["text"]
        assert "+$24.26" in (await me.say("/pnl BTC 72000 73500 qty 0.017"))["text"]
        assert "hedge ratio" in (await me.say("/hedge BTC 5000 price 72000"))["text"].lower()
        assert "You pay" in (await me.say("/funding BTC 1224 rate 0.01% hours 24"))["text"]
        plain = await me.say("size BTC 72000 stop 71500 acct 1000 lev 5")
        assert "0.017 BTC" in plain["text"]

        saved = await me.say("/settings acct 2000 lev 5 tz Europe/Berlin")
        assert "Saved" in saved["text"] and "$2,000.00" in saved["text"]
        # 2,000 × 1% = 20 budget; 20 / 571.75 = 0.03498 → 0.034 BTC from saved settings.
        assert "0.034 BTC" in (await me.say("/size BTC 72000 stop 71500"))["text"]

        journal = await me.say("/journal")
        assert "#1" in journal["text"] and "/funding" not in journal["text"]
        assert "/funding" in (await me.say("/journal all"))["text"]
        # Check 1 closed at 73,500: net 24.26325 / loss at stop 9.71975 = +2.4963 R.
        assert "+2.5 R" in (await me.say("/result 1 win exit 73500"))["text"]
        stats = await me.say("/stats")
        await api.wait_for("sendPhoto")  # the risk chart follows the text
        assert "Within your rules: 4 of 5 checks (80.00%)" in stats["text"]
        assert "leverage above your limit × 1" in stats["text"]
        streak = await me.say("/streak")
        assert "Checks in a row within your rules: 2 (best 2)" in streak["text"]
        ready = await me.say("/ready")
        assert "Not yet" in ready["text"] and "Checks in your log: 5 of 30" in ready["text"]
        assert "/size" in (await me.say("/help"))["text"]
        assert "SYMBOL [ENTRY|market] stop STOP" in (await me.say("/help size"))["text"]
        assert "Did you mean" in (await me.say("/size BTC 72000 stpo 71500"))["text"]
        assert "/help" in (await me.say("hello"))["text"]

        export = await me.say("/export")
        content = export["document"].content.decode("utf-8-sig")
        checks = list(csv.DictReader(io.StringIO(content)))
        assert [row["check"] for row in checks] == [str(n) for n in range(1, 10)]
        assert (checks[0]["outcome"], checks[0]["R"]) == ("win", "2.50")
        assert "Account: $2,000.00" in export["caption"]
        assert "Time zone: Europe/Berlin" in export["caption"]


async def test_exploring_button_belongs_to_its_member(api: StandIn, db_path: Path) -> None:
    """ "Just exploring" takes a check out of the record; another member cannot press it."""
    async with running(api, db_path):
        me, other = Chat(api), Chat(api, user_id=2002)
        await me.say(WITHIN)
        await me.say(WORKED)
        refused = await other.press("explore:2:1")
        assert refused["show_alert"] is True
        answer = await me.press("explore:2:1")
        assert "does not count" in answer["text"]
        streak = await me.say("/streak")
        assert "Checks in a row within your rules: 1 (best 1)" in streak["text"]


def sent(api: StandIn, chat: Chat, beginning: str) -> dict[str, object]:
    """The bot's message in the chat as it stands now, found by how it began."""
    (message,) = [m for m in api.history(chat.where) if m.get("text", "").startswith(beginning)]
    return message


async def test_details_button_adds_the_rest_to_the_reply(api: StandIn, db_path: Path) -> None:
    """ "Details" edits the reply itself: the short reply stays as it was (formatting too), the
    rest is added below it, and the button goes; another member cannot ask for the details."""
    async with running(api, db_path):
        me, other = Chat(api), Chat(api, user_id=2002)
        reply = await me.say(WORKED)
        assert "Stop distance" not in reply["text"]
        message_id = sent(api, me, reply["text"])["message_id"]
        refused = await other.press("details:1", message_id)
        assert refused["show_alert"] is True
        await me.press("details:1", message_id)
        shown = sent(api, me, reply["text"])
        assert shown["message_id"] == message_id
        assert shown["text"].startswith(reply["text"] + "\n\n")
        assert "<b>0.017 BTC</b>" in shown["text"]
        assert "Stop distance $500.00 (0.69%)" in shown["text"]
        assert "Binance USDⓈ-M tier 1, MMR 0.40%" in shown["text"]
        buttons = [b["callback_data"] for b in shown["reply_markup"]["inline_keyboard"][0]]
        assert buttons == ["explore:1:1", "chart:1"]


async def test_exploring_ends_with_the_outcome(api: StandIn, db_path: Path) -> None:
    """Once the trade's outcome is recorded the check stays in the record: pressing "just
    exploring" then says so, and the button goes."""
    async with running(api, db_path):
        me = Chat(api)
        reply = await me.say(WITHIN)
        message_id = sent(api, me, reply["text"])["message_id"]
        await me.say("/result 1 loss")
        answer = await me.press("explore:1:1", message_id)
        assert answer["show_alert"] is True
        assert "stays in your record" in answer["text"]
        shown = sent(api, me, reply["text"])
        buttons = [b["callback_data"] for b in shown["reply_markup"]["inline_keyboard"][0]]
        assert buttons == ["details:1", "chart:1"]
        assert "Within your rules: 1 of 1 checks" in (await me.say("/stats"))["text"]
        # A mistake in /result is shown with the member's own check number.
        assert "/result 1 win exit 73500" in (await me.say("/result x win"))["text"]


async def test_forget_erases_after_confirmation(api: StandIn, db_path: Path) -> None:
    """/forget asks first; "keep" keeps, "erase" leaves no check and no setting behind."""
    async with running(api, db_path):
        me = Chat(api)
        await me.say("/settings acct 1000")
        await me.say(WITHIN)
        await me.say("/forget")
        await me.press("forget:no")
        assert "#1" in (await me.say("/journal"))["text"]
        await me.say("/forget")
        await me.press("forget:yes")
        assert "journal is empty" in (await me.say("/journal"))["text"]
        assert "Account: not set" in (await me.say("/settings"))["text"]


async def test_group_reply_quotes_member_in_their_topic(api: StandIn, db_path: Path) -> None:
    """In a forum group `/size@bot` is answered as a reply, in the topic it came from."""
    async with running(api, db_path):
        group = Chat(api, chat_id=GROUP, chat_type="supergroup")
        answer = await group.say(
            f"/size@{api.bot['username']} BTC 72000 stop 71500 acct 1000 lev 20",
            message_thread_id=7,
            is_topic_message=True,
        )
        assert "68,674.70" in answer["text"]
        assert answer["message_thread_id"] == 7
        assert answer["reply_parameters"]["message_id"] > 0


async def test_group_never_shows_personal_figures(api: StandIn, db_path: Path) -> None:
    """/stats, /journal, /export in a group get a deep link to the private chat, no figures."""
    async with running(api, db_path):
        group = Chat(api, chat_id=GROUP, chat_type="supergroup")
        await group.say(WITHIN)
        for command, start in (("/stats", "stats"), ("/journal", "journal"), ("/export", "export")):
            answer = await group.say(command)
            assert "stay private" in answer["text"]
            (button,) = answer["reply_markup"]["inline_keyboard"][0]
            assert button["url"] == f"https://t.me/{api.bot['username']}?start={start}"
        private = await Chat(api).say("/start stats")
        assert "Within your rules: 1 of 1 checks" in private["text"]


async def test_restart_keeps_log_and_streaks(api: StandIn, db_path: Path) -> None:
    """A new process on the same database sees the same log and the same streaks."""
    async with running(api, db_path):
        me = Chat(api)
        for _ in range(3):
            await me.say(WITHIN)
        before = (await me.say("/streak"))["text"]
    async with running(api, db_path):
        after = (await me.say("/streak"))["text"]
        assert after == before
        assert "Checks in a row within your rules: 3 (best 3)" in after
        assert "New best: 4 checks" in (await me.say(WITHIN))["text"]


async def test_start_up_leaves_its_objects_out_of_garbage_collection(
    api: StandIn, db_path: Path
) -> None:
    """What start-up built is frozen while the bot runs, young objects are collected every
    10,000 instead of 700, and both are handed back when it stops."""
    before = gc.get_threshold()
    async with running(api, db_path):
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (10_000, *before[1:])
        assert "Size" in (await Chat(api).say(WITHIN))["text"]
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


async def test_redelivered_update_is_logged_and_answered_once(api: StandIn, db_path: Path) -> None:
    """The same update delivered twice logs one check and sends one answer."""
    async with running(api, db_path):
        update = api.push_message(WITHIN)
        await api.wait_for_messages(1)
        api.push_raw(update)
        await api.wait_for(lambda call: call.method == "getUpdates" and not api.pending_updates)
    assert len(api.sent()) == 1
    async with await Database.open(db_path) as db:
        assert await db.count_checks(update["message"]["from"]["id"]) == 1


async def test_an_update_delivered_twice_in_one_batch_is_answered_once(
    api: StandIn, db_path: Path
) -> None:
    """Twice in one getUpdates batch, handled side by side: one check logged, one answer."""
    update = api.push_message(WITHIN)
    api.push_raw(update)  # queued before the bot starts: both come in its first batch
    async with running(api, db_path):
        await api.wait_for(confirmed(update))  # asked past it: both deliveries were handled
    (batch,) = [call.result for call in api.calls if call.method == "getUpdates" and call.result]
    assert [item["update_id"] for item in batch] == [update["update_id"]] * 2
    assert len(api.sent()) == 1
    async with await Database.open(db_path) as db:
        assert await db.count_checks(update["message"]["from"]["id"]) == 1


@pytest.mark.slow
async def test_flood_of_members_stores_every_check_once(api: StandIn, db_path: Path) -> None:
    """50 members send 200 commands at once, fetched 100 at a time (getUpdates' most) and
    handled together, several of a member's at once: 200 answers, each check stored once."""
    members, each = 50, 4
    async with running(api, db_path):
        for _ in range(each):
            for user in range(members):
                api.push_message(WITHIN, user_id=10_000 + user, first_name=f"m{user}")
        await api.wait_for_messages(members * each, timeout=60)
    batches = [len(call.result or ()) for call in api.calls if call.method == "getUpdates"]
    assert max(batches) == 100
    async with await Database.open(db_path) as db:
        counts = [await db.count_checks(10_000 + user) for user in range(members)]
    assert counts == [each] * members


async def test_token_never_reaches_the_logs(
    api: StandIn, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """At DEBUG, httpx and PTB log request URLs holding the token: every line is redacted."""
    factory = logging.getLogRecordFactory()
    install_redaction(api.token)
    try:
        with caplog.at_level(logging.DEBUG):
            async with running(api, db_path):
                await Chat(api).say(WORKED)
    finally:
        logging.setLogRecordFactory(factory)
    assert REDACTED in caplog.text  # the URLs were logged, with the token taken out
    assert api.token not in caplog.text
    secret = api.token.split(":")[1]
    assert all(secret not in record.getMessage() for record in caplog.records)


@pytest.mark.slow
async def test_riskbot_run_answers_worked_example(api: StandIn, tmp_path: Path) -> None:
    """`riskbot run` against RISKBOT_API_URL answers the worked example, stops on SIGTERM."""
    env = {
        **os.environ,
        "RISKBOT_TOKEN": api.token,
        "RISKBOT_API_URL": api.url,
        "RISKBOT_DB": str(tmp_path / "bot.sqlite3"),
        "PYTHONPATH": str(Path(__file__).parents[1]),
    }
    # The log goes to a file: a pipe nobody reads until the end blocks the bot once it is full.
    log = tmp_path / "bot.log"
    command = [sys.executable, "-m", "chatbot", "run"]
    with log.open("w") as stderr:
        bot = subprocess.Popen(
            command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=stderr
        )
    try:
        api.push_message(WORKED)
        (call,) = await api.wait_for_messages(1, timeout=30)
        text = call.params["text"]
        for figure in ("0.017 BTC", "$1,224.00", "$61.20", "$9.72", "68,674.70", "0.69%"):
            assert figure in text
    finally:
        bot.send_signal(signal.SIGTERM)
        await asyncio.to_thread(bot.wait, timeout=30)
    assert bot.returncode == 0, log.read_text()
    assert api.token not in log.read_text()


@pytest.mark.parametrize(
    ("token", "complaint"),
    [(None, "RISKBOT_TOKEN: Field required"), ("not-a-token", "RISKBOT_TOKEN: Value error")],
)
def test_bad_token_is_one_clear_line(
    token: str | None,
    complaint: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A missing or malformed token: one line naming the variable, status 2, no traceback.
    (The settings are read before anything else starts, so `main` runs in this process.)"""
    for name in [name for name in os.environ if name.startswith("RISKBOT_")]:
        monkeypatch.delenv(name)
    if token is not None:
        monkeypatch.setenv("RISKBOT_TOKEN", token)
    monkeypatch.chdir(tmp_path)  # no .env file to read settings from
    assert main(["run"]) == 2
    stderr = capsys.readouterr().err
    assert complaint in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert "not-a-token" not in stderr


async def test_handler_failure_gets_a_plain_apology(
    api: StandIn, db_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug is logged without the member's text; the member gets a kind reply, operators an
    alert."""

    def broken(*args: object) -> object:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("chatbot.service.record.render_stats", broken)
    monkeypatch.setenv("RISKBOT_ADMIN_IDS", "4242")
    async with running(api, db_path):
        answer = await Chat(api).say("/stats secret-words")
        (alert,) = await api.wait_for_messages(1, chat_id=4242)
    assert "Something went wrong on my side" in answer["text"]
    assert "not lost" not in answer["text"]  # the bot cannot know that it was not
    assert "simulated bug" in caplog.text
    assert "secret-words" not in caplog.text
    # The operator learns which update failed and how, never what the member wrote.
    assert "RuntimeError" in alert.params["text"] and "secret" not in alert.params["text"]


async def test_forged_button_data_is_ignored_quietly(
    api: StandIn, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Button data no handler knows stops the spinner and does nothing else: no error, no reply."""
    async with running(api, db_path):
        me = Chat(api)
        await me.say(WITHIN)
        before = len(api.sent(me.where))
        for data in ("explore:x:1", "explore:1", "journal:abc", "outcome:1:maybe", "nonsense"):
            await me.press(data)
    assert len(api.sent(me.where)) == before
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
