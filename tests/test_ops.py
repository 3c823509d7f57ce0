"""Operations: webhook mode, backup, migrate, doctor, private logs, the group rate limit, admin
checks and /forget, each driven through the real CLI or the real bot against the stand-in."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram import Bot, Update

from chatbot.bot.admins import is_admin, sender_is_admin
from chatbot.bot.config import ConfigError, Settings, load_settings
from chatbot.bot.logs import REDACTED, JsonLines, install_redaction, withheld
from chatbot.bot.serve import BOOTSTRAP_RETRIES, ServeError, check_url, parse_listen, webhook_of
from chatbot.bot.throttle import (
    COMMANDS_PER_WINDOW,
    WINDOW_SECONDS,
    Admission,
    Throttle,
    throttle_of,
)
from chatbot.cli import main
from chatbot.evaluation.log import NewCheck
from chatbot.markets import catalog
from chatbot.storage import Database
from chatbot.storage.maintenance import backup_file
from chatbot.storage.markets import save_snapshot
from chatbot.storage.migrations import MIGRATIONS, statements
from tests.conftest import Chat, running
from tests.standin import StandIn
from tests.test_storage import mentions

REPO = Path(__file__).resolve().parents[1]
WORKED = "/size BTC 72000 stop 71500 acct 1000 lev 20"
WITHIN = "/size BTC 72000 stop 71500 acct 1000 lev 5"
GROUP = -1001234567890
# Distinct words a member types or is called, searched for in every log line.
NAME, USERNAME, TYPED = "Quokkaname", "wombatuser", "zebrafishword"


# ---------------------------------------------------------------- helpers


async def eventually(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait until `condition` holds (checked every 10 ms), failing after `timeout` seconds."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No RISKBOT_ variable and no .env from the developer's shell; cwd is a fresh folder."""
    for name in list(os.environ):
        if name.startswith("RISKBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def record_factory() -> Iterator[None]:
    """Tests that install redaction put the process's record factory back afterwards."""
    factory = logging.getLogRecordFactory()
    yield
    logging.setLogRecordFactory(factory)


def subprocess_env(**settings: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("RISKBOT_")}
    return (
        env | {"PYTHONPATH": str(REPO)} | {f"RISKBOT_{k.upper()}": v for k, v in settings.items()}
    )


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def check(key: str, user_id: int) -> NewCheck:
    return NewCheck(
        update_key=key,
        user_id=user_id,
        chat_id=user_id,
        command="size",
        risk=Decimal("9.7"),
        account=Decimal("1000"),
        leverage=Decimal("5"),
        within_rules=True,
        created_at=datetime(2024, 5, 1, 12, tzinfo=UTC),
        local_day="2024-05-01",
    )


# ---------------------------------------------------------------- rate limit, pure


def test_throttle_answers_the_limit_then_warns_once_then_stays_silent() -> None:
    """5 commands in a window are answered, the 6th gets one notice, the rest silence."""
    throttle = Throttle(limit=5, window=60)
    admissions = [throttle.decide("member", now=float(t)).admission for t in range(8)]
    assert admissions == [Admission.ANSWER] * 5 + [
        Admission.WARN,
        Admission.SILENT,
        Admission.SILENT,
    ]
    assert throttle.held == 3


def test_throttle_window_slides_and_names_the_wait() -> None:
    """Commands at 0, 10, 20, 30, 40 s: at 50 s the wait is 10 s (the one at 0 leaves at 60)."""
    throttle = Throttle(limit=5, window=60)
    for t in (0, 10, 20, 30, 40):
        assert throttle.decide("m", now=t).admission is Admission.ANSWER
    refused = throttle.decide("m", now=50)
    assert (refused.admission, refused.retry_after) == (Admission.WARN, 10)
    assert throttle.decide("m", now=59.5).retry_after == 1  # 0.5 s rounds up, never to 0
    assert throttle.decide("m", now=60).admission is Admission.ANSWER
    # Held commands did not count: the next free slot is when the one at 10 s leaves.
    assert throttle.decide("m", now=61).retry_after == 9


def test_throttle_warns_again_after_a_quiet_spell() -> None:
    """After the window lets a member in again, a later flood gets a fresh notice."""
    throttle = Throttle(limit=1, window=10)
    assert [throttle.decide("m", now=t).admission for t in (0, 1, 2)] == [
        Admission.ANSWER,
        Admission.WARN,
        Admission.SILENT,
    ]
    assert throttle.decide("m", now=10).admission is Admission.ANSWER
    assert throttle.decide("m", now=11).admission is Admission.WARN


def test_throttle_keeps_members_apart_and_forgets_idle_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One member's flood does not touch another; idle pairs are dropped past the bound."""
    throttle = Throttle(limit=1, window=10)
    throttle.decide(("group", 1), now=0)
    assert throttle.decide(("group", 1), now=1).admission is Admission.WARN
    assert throttle.decide(("group", 2), now=1).admission is Admission.ANSWER

    monkeypatch.setattr("chatbot.bot.throttle.TRACKED_PAIRS", 3)
    throttle.decide(("group", 3), now=2)
    assert throttle.tracked() == 3
    throttle.decide(("group", 4), now=30)  # 1, 2 and 3 were idle for a whole window
    assert throttle.tracked() == 1


def test_throttle_defaults_and_one_per_application() -> None:
    """The limit is 5 commands a minute, and each application's bot_data holds its own."""
    assert (COMMANDS_PER_WINDOW, WINDOW_SECONDS) == (5, 60.0)
    first: dict[str, object] = {}
    assert throttle_of(first) is throttle_of(first)
    assert throttle_of(first) is not throttle_of({})
    with pytest.raises(ValueError):
        Throttle(limit=0)


# ---------------------------------------------------------------- rate limit, through the bot


async def test_flooding_member_is_held_while_others_are_answered(
    api: StandIn, db_path: Path
) -> None:
    """In a group: 5 answers, one quiet notice, then silence; another member is answered."""
    flooder = Chat(api, user_id=4242, chat_id=GROUP, chat_type="supergroup")
    other = Chat(api, user_id=4343, chat_id=GROUP, chat_type="supergroup")
    async with running(api, db_path) as app:
        for _ in range(COMMANDS_PER_WINDOW):
            assert "Liquidation" in (await flooder.say("/liq BTC 72000 lev 20"))["text"]
        notice = await flooder.say("/liq BTC 72000 lev 20")
        assert "Slow down" in notice["text"]
        assert notice["disable_notification"] is True
        wait = re.search(r"in (\d+) second", notice["text"])
        assert wait is not None and 0 < int(wait.group(1)) <= WINDOW_SECONDS
        for _ in range(3):
            api.push_message(
                "/liq BTC 72000 lev 20", user_id=4242, chat_id=GROUP, chat_type="supergroup"
            )
        answer = await other.say("/liq BTC 72000 lev 20")
        assert "Liquidation" in answer["text"]
        throttle = throttle_of(app.bot_data)
        await eventually(lambda: throttle.held == 4 and not api.pending_updates)
    # 5 answers and 1 notice for the flooder, 1 answer for the other member: nothing more.
    assert len(api.sent(GROUP)) == COMMANDS_PER_WINDOW + 2


async def test_private_chats_are_not_limited(api: StandIn, db_path: Path) -> None:
    """A member working alone with the bot in private is answered every time."""
    async with running(api, db_path):
        me = Chat(api)
        for _ in range(COMMANDS_PER_WINDOW + 2):
            assert "Liquidation" in (await me.say("/liq BTC 72000 lev 20"))["text"]


# ---------------------------------------------------------------- webhook


def test_listen_and_webhook_addresses() -> None:
    """HOST:PORT, :PORT and [::]:PORT parse; a URL needs a scheme and a host."""
    assert parse_listen("127.0.0.1:8080") == ("127.0.0.1", 8080)
    assert parse_listen(":8443") == ("0.0.0.0", 8443)
    assert parse_listen("[::]:88") == ("::", 88)
    for bad in ("8080", "host:", "host:0", "host:70000", "host:http"):
        with pytest.raises(ServeError):
            parse_listen(bad)
    assert check_url("https://bot.example.org/tg") == "https://bot.example.org/tg"
    for bad in ("bot.example.org/tg", "ftp://bot.example.org", "https://x.org/tg?a=1"):
        with pytest.raises(ServeError):
            check_url(bad)


def test_webhook_secret_is_always_set(environment: Path) -> None:
    """Polling without a URL; with one, the configured secret, else a new random one."""
    token = "123456:ABCDEFGHIJK"
    polling = Settings(token=token)
    assert webhook_of(polling, None, None) is None
    fixed = Settings(token=token, webhook_secret="s3cret_-fixed")
    hook = webhook_of(fixed, "https://bot.example.org/tg/riskbot", "0.0.0.0:8443")
    assert hook is not None
    assert hook.options() == {
        "listen": "0.0.0.0",
        "port": 8443,
        "url_path": "tg/riskbot",
        "webhook_url": "https://bot.example.org/tg/riskbot",
        "secret_token": "s3cret_-fixed",
        "bootstrap_retries": BOOTSTRAP_RETRIES,
    }
    from_env = Settings(token=token, webhook_url="https://bot.example.org/")
    first, second = webhook_of(from_env, None, None), webhook_of(from_env, None, None)
    assert first is not None and second is not None
    assert (first.host, first.port, first.path) == ("127.0.0.1", 8080, "")
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", first.secret) and first.secret != second.secret
    with pytest.raises(ValueError, match="letters, digits"):
        Settings(token=token, webhook_secret="has space")


def test_log_level_is_one_of_four(environment: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`info` is read as INFO; a level the README does not offer is refused, naming the four."""
    monkeypatch.setenv("RISKBOT_TOKEN", "123456:ABCDEFGHIJK")
    monkeypatch.setenv("RISKBOT_LOG_LEVEL", "info")
    assert load_settings().log_level == "INFO"
    monkeypatch.setenv("RISKBOT_LOG_LEVEL", "loud")
    with pytest.raises(ConfigError, match=r"RISKBOT_LOG_LEVEL: .*'DEBUG', 'INFO', 'WARNING' or"):
        load_settings()


def test_run_refuses_a_bad_webhook_address_in_one_line(
    environment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`riskbot run --webhook ftp://…` names the problem in one line and exits with status 2."""
    monkeypatch.setenv("RISKBOT_TOKEN", "123456:ABCDEFGHIJK")
    assert main(["run", "--webhook", "ftp://bot.example.org/tg"]) == 2
    assert capsys.readouterr().err == (
        "riskbot: webhook address 'ftp://bot.example.org/tg': use a full address such as "
        "https://bot.example.org/tg\n"
    )


@pytest.mark.slow
async def test_webhook_refuses_without_the_secret_and_answers_with_it(
    api: StandIn, tmp_path: Path
) -> None:
    """`riskbot run --webhook`: a forged post is refused (403), Telegram's is answered; the JSON
    log at DEBUG holds neither the token, the secret, nor anything the member typed or is named."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook/riskbot"
    env = subprocess_env(
        token=api.token,
        api_url=api.url,
        db=str(tmp_path / "bot.sqlite3"),
        log_level="DEBUG",
        log_format="json",
    )
    listen = ["--listen", f"127.0.0.1:{port}"]
    command = [sys.executable, "-m", "chatbot", "run", "--webhook", url, *listen]
    # The DEBUG log goes to a file: it outgrows a pipe's buffer before the test reads it, and a
    # full pipe blocks the bot (the signed post below then timed out).
    log = tmp_path / "bot.log"
    with log.open("w") as stderr:
        bot = subprocess.Popen(
            command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=stderr
        )
    try:
        (registered,) = await api.wait_for("setWebhook", timeout=30)
        secret = registered.params["secret_token"]
        assert registered.params["url"] == url and len(secret) >= 32
        update = api.push_message(WORKED, first_name=NAME, username=USERNAME)
        async with httpx.AsyncClient() as client:
            post = functools.partial(client.post, url, json=update)
            unsigned = await _first_answer(post)
            wrong = await post(headers={"X-Telegram-Bot-Api-Secret-Token": "guessed"})
            assert (unsigned.status_code, wrong.status_code) == (403, 403)
            signed = await post(headers={"X-Telegram-Bot-Api-Secret-Token": secret})
            assert signed.status_code == 200
        (reply,) = await api.wait_for_messages(1, timeout=30)
        assert "68,674.70" in reply.params["text"]
    finally:
        bot.send_signal(signal.SIGTERM)
        await asyncio.to_thread(bot.wait, timeout=30)
    stderr = log.read_text()
    assert bot.returncode == 0, stderr
    assert len(api.sent()) == 1  # the refused posts never reached a handler
    lines = [json.loads(line) for line in stderr.splitlines() if line.strip()]
    assert any("Webhook received data" in line["message"] for line in lines)
    for forbidden in (api.token, secret, WORKED, NAME, USERNAME):
        assert forbidden not in stderr


async def _first_answer(post: Callable[[], Any]) -> httpx.Response:
    """The webhook server starts just after setWebhook: retry until it accepts connections."""
    async with asyncio.timeout(30):
        while True:
            try:
                response: httpx.Response = await post()
                return response
            except httpx.ConnectError:
                await asyncio.sleep(0.05)


# ---------------------------------------------------------------- logs


def test_log_arguments_with_content_are_withheld() -> None:
    """Telegram objects, containers, JSON text and pending calls become summaries; ids stay."""
    update = Update.de_json({"update_id": 17}, None)
    assert withheld(update) == "<Update 17>"
    assert withheld({"text": TYPED}) == "<dict withheld>"
    assert withheld([TYPED]) == "<list withheld>"
    assert withheld(f'{{"text": "{TYPED}"}}') == "<data withheld>"
    assert withheld(functools.partial(print, TYPED)) == "<partial withheld>"
    assert withheld(42) == 42 and withheld("sendMessage") == "sendMessage"


def test_json_lines_carry_redacted_exceptions(record_factory: None) -> None:
    """A JSON log line is one object, and an exception's text loses the token too."""
    token = "123456:SECRETSECRET"
    install_redaction(token)
    try:
        raise RuntimeError(f"failed at https://api.telegram.org/bot{token}/getMe")
    except RuntimeError:
        record = logging.getLogger("riskbot.test").makeRecord(
            "riskbot.test", logging.ERROR, __file__, 1, "call %s failed", ("getMe",), sys.exc_info()
        )
    line = JsonLines().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert (entry["level"], entry["logger"], entry["message"]) == (
        "ERROR",
        "riskbot.test",
        "call getMe failed",
    )
    assert REDACTED in entry["exception"] and token not in line


async def test_debug_logs_hold_no_token_and_no_member_text(
    api: StandIn, db_path: Path, caplog: pytest.LogCaptureFixture, record_factory: None
) -> None:
    """At DEBUG, PTB logs updates, call parameters and results, aiosqlite every statement:
    no line holds the token, a member's name or username, or anything they typed."""
    install_redaction(api.token)
    typed = [f"/size BTC 72000 stop 71500 {TYPED} 3", f"hello {TYPED} here", WITHIN]
    with caplog.at_level(logging.DEBUG):
        async with running(api, db_path):
            me = Chat(api)
            for text in typed:
                api.push_message(text, first_name=NAME, username=USERNAME)
            await api.wait_for_messages(len(typed))
            await me.say("/settings tz Europe/Berlin")
    texts = [record.getMessage() + (record.exc_text or "") for record in caplog.records]
    assert any(re.search(r"Processing update <Update \d+>", text) for text in texts)
    assert any(TYPED in call.params.get("text", "") for call in api.calls)  # replies echo it
    secret = api.token.split(":")[1]
    for forbidden in (secret, NAME, USERNAME, TYPED, "Europe/Berlin", *typed):
        assert not [text for text in texts if forbidden in text], forbidden


# ---------------------------------------------------------------- backup and migrate


async def test_backup_while_the_bot_writes_holds_every_committed_check(
    tmp_path: Path,
) -> None:
    """`riskbot backup` in another process while checks keep arriving: the copy opens, passes
    the integrity check and holds every check committed before the backup started."""
    live, target = tmp_path / "live.sqlite3", tmp_path / "copy.sqlite3"
    acknowledged: list[int] = []
    async with await Database.open(live) as db:

        async def writer() -> None:
            for n in range(400):
                check_id = (await db.record_check(check(f"w{n}", 5150))).check_id
                acknowledged.append(check_id)

        task = asyncio.create_task(writer())
        await eventually(lambda: len(acknowledged) >= 50)
        committed = set(acknowledged)
        done = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "chatbot",
            "backup",
            str(target),
            env=subprocess_env(db=str(live)),
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await done.communicate()
        await task
    assert done.returncode == 0, err.decode()
    assert "integrity ok" in out.decode()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["copy.sqlite3", "live.sqlite3"]
    with closing(sqlite3.connect(target)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file
    async with await Database.open(target) as copy:
        ids = {row.check.id for row in await copy.journal(5150, 1000)}
    assert committed <= ids <= set(acknowledged)
    assert len(acknowledged) == 400


def test_backup_into_a_folder_and_its_refusals(
    environment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder gets a dated file; a missing database or a backup onto itself is refused."""
    when = datetime(2025, 3, 9, 4, 5, 6, tzinfo=UTC)
    assert backup_file(environment, when) == environment / "riskbot-20250309T040506Z.sqlite3"
    assert backup_file(environment / "x.db", when) == environment / "x.db"

    assert main(["backup", "copy.sqlite3"]) == 1
    assert "no database at riskbot.sqlite3" in capsys.readouterr().err
    assert main(["migrate"]) == 0
    folder = environment / "backups"
    folder.mkdir()
    assert main(["backup", str(folder)]) == 0
    (made,) = folder.iterdir()
    assert re.fullmatch(r"riskbot-\d{8}T\d{6}Z\.sqlite3", made.name)
    assert main(["backup", "riskbot.sqlite3"]) == 1
    assert "another file" in capsys.readouterr().err


def test_migrate_upgrades_once_and_is_idempotent(
    environment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database at schema 1 is brought to the latest version; a second run changes nothing."""
    path = environment / "riskbot.sqlite3"
    with closing(sqlite3.connect(path)) as conn:
        for statement in statements(MIGRATIONS[0]):
            conn.execute(statement)
        conn.execute("INSERT INTO members (user_id, created_at) VALUES (1, '2024-01-01')")
        conn.execute("PRAGMA user_version = 1")
        conn.commit()
    latest = len(MIGRATIONS)
    assert main(["migrate"]) == 0
    assert f"schema version {latest} (migrated from 1 to {latest})" in capsys.readouterr().out
    assert main(["migrate"]) == 0
    assert f"schema version {latest} (already up to date)" in capsys.readouterr().out
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == latest
        assert conn.execute("SELECT user_id FROM members").fetchall() == [(1,)]


# ---------------------------------------------------------------- doctor


async def test_doctor_passes_against_a_reachable_telegram(
    api: StandIn,
    environment: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every line ✅ and status 0 when config, database, catalogs, data and Telegram are fine."""
    monkeypatch.setenv("RISKBOT_TOKEN", api.token)
    monkeypatch.setenv("RISKBOT_API_URL", api.url)
    assert await asyncio.to_thread(main, ["migrate"]) == 0
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["doctor"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "✅ configuration",
        "✅ database",
        "✅ catalogs",
        "✅ market data",
        "✅ Telegram",
    ]
    assert f"answers as @{api.bot['username']}" in lines[-1]
    assert api.token not in "\n".join(lines)


async def test_doctor_names_a_refused_token_and_an_old_schema(
    api: StandIn,
    environment: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A token Telegram refuses (401) and a database behind the code: ❌ with the fix, status 1."""
    wrong = "999999:WRONGTOKEN123"
    monkeypatch.setenv("RISKBOT_TOKEN", wrong)
    monkeypatch.setenv("RISKBOT_API_URL", api.url)
    with closing(sqlite3.connect(environment / "riskbot.sqlite3")) as conn:
        conn.execute("PRAGMA user_version = 1")
    assert await asyncio.to_thread(main, ["doctor"]) == 1
    out = capsys.readouterr().out
    assert "❌ Telegram: the token was refused. Fix: copy the token again from @BotFather" in out
    assert f"❌ database: schema version 1, this riskbot needs {len(MIGRATIONS)}" in out
    assert "riskbot migrate" in out
    assert wrong not in out


def test_doctor_without_a_token_still_checks_what_it_can(
    environment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No token: configuration ❌ naming the variable, Telegram not checked, the rest checked."""
    assert main(["doctor"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("❌ configuration: RISKBOT_TOKEN: Field required. Fix:")
    assert lines[1] == "✅ database: none yet at riskbot.sqlite3; the bot creates it at start"
    assert lines[2].startswith("✅ catalogs: languages ") and "en" in lines[2]
    assert lines[4] == "➖ Telegram: not checked until the configuration loads"


# ---------------------------------------------------------------- admins and privacy


async def test_admin_rights_come_from_telegram(api: StandIn) -> None:
    """Owner and administrators are admins, everyone else is not; an unknown chat says no."""
    statuses = {1: "creator", 2: "administrator", 3: "member", 4: "restricted", 5: "left"}
    for user_id, status in statuses.items():
        api.chat_members[(GROUP, user_id)] = status
    async with Bot(api.token, base_url=api.base_url) as bot:
        assert [await is_admin(bot, GROUP, user_id) for user_id in statuses] == [
            True,
            True,
            False,
            False,
            False,
        ]
        assert not await is_admin(bot, "@nosuchchannel", 2)
        asked = sum(call.method == "getChatMember" for call in api.calls)
        anonymous = api.push_message(
            "/policy",
            chat_id=GROUP,
            chat_type="supergroup",
            sender_chat={"id": GROUP, "type": "supergroup", "title": "g"},
        )
        channel = api.push_message(
            "/policy",
            chat_id=GROUP,
            chat_type="supergroup",
            sender_chat={"id": -100777, "type": "channel", "title": "c"},
        )
        assert await sender_is_admin(Update.de_json(anonymous, bot), bot)
        assert not await sender_is_admin(Update.de_json(channel, bot), bot)
        assert sum(call.method == "getChatMember" for call in api.calls) == asked
        api.chat_members[(GROUP, 6)] = "administrator"
        admin = api.push_message("/policy", user_id=6, chat_id=GROUP, chat_type="supergroup")
        assert await sender_is_admin(Update.de_json(admin, bot), bot)


async def test_forget_leaves_no_row_of_the_member_in_any_table(api: StandIn, db_path: Path) -> None:
    """After /forget through the bot, no column of any table holds the member's id; another
    member's rows stay."""
    me, other = 731_000_555, 742_000_666
    async with running(api, db_path):
        mine, theirs = Chat(api, user_id=me), Chat(api, user_id=other)
        group = Chat(api, user_id=me, chat_id=GROUP, chat_type="supergroup")
        await mine.say("/settings acct 1000 tz Europe/Berlin lang de")
        await mine.say(WITHIN)
        await mine.say(WORKED)
        await mine.say("/result 1 win exit 73500")
        await group.say(WITHIN)
        await theirs.say(WITHIN)
        assert mentions(db_path, me) and mentions(db_path, other)
        await mine.say("/forget")
        await mine.press("forget:yes")
    assert mentions(db_path, me) == {}
    assert mentions(db_path, other)


@pytest.mark.parametrize("kind", ["fifo", "link_to_file", "link_to_folder", "text_file"])
def test_backup_refuses_targets_it_did_not_make(
    environment: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """A backup replaces only an earlier backup: never a device-like file (a FIFO stands in
    for /dev/null, which a root run once replaced), a link, a folder's link or another file."""
    assert main(["migrate"]) == 0
    outside = environment / "outside"
    outside.mkdir()
    precious = outside / "notes.txt"
    precious.write_text("keep me")
    target = environment / "target"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "link_to_file":
        target.symlink_to(precious)
    elif kind == "link_to_folder":
        target.symlink_to(outside)
    else:
        target.write_text("keep me too")
    before = target.lstat()
    assert main(["backup", str(target)]) == 1
    assert "riskbot:" in capsys.readouterr().err
    after = target.lstat()
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert precious.read_text() == "keep me"
    assert not list(environment.glob("target*.partial"))


def test_backup_replaces_an_earlier_backup(environment: Path) -> None:
    """The daily timer writes to the same file every day: an earlier backup is replaced."""
    assert main(["migrate"]) == 0
    assert main(["backup", "copy.sqlite3"]) == 0
    first = (environment / "copy.sqlite3").stat().st_ino
    assert main(["backup", "copy.sqlite3"]) == 0
    assert (environment / "copy.sqlite3").stat().st_ino != first


async def test_doctor_reports_each_venues_market_data_and_its_age(
    api: StandIn,
    environment: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The market line names every venue, how many instruments it knows and how old they are:
    a stored refresh replaces the shipped snapshot of its venue in the report."""
    monkeypatch.setenv("RISKBOT_TOKEN", api.token)
    monkeypatch.setenv("RISKBOT_API_URL", api.url)
    assert await asyncio.to_thread(main, ["migrate"]) == 0
    shipped = catalog.snapshot("bybit")
    refreshed = shipped.model_copy(update={"as_of": datetime.now(UTC), "source": "stand-in"})
    db = await Database.open(environment / "riskbot.sqlite3")
    async with db, db.connection() as conn:
        await save_snapshot(conn, refreshed)
    capsys.readouterr()
    try:
        assert await asyncio.to_thread(main, ["doctor"]) == 0
    finally:
        catalog.reset()
    (line,) = [line for line in capsys.readouterr().out.splitlines() if "market data" in line]
    for venue in ("binance", "binance_coinm", "bybit", "bybit_inverse", "okx", "cme"):
        assert f"{venue} " in line
    assert (
        f"binance {len(catalog.snapshot('binance').instruments)} instruments of 2024-10-24" in line
    )
    assert (
        f"bybit {len(shipped.instruments)} instruments of {datetime.now(UTC):%Y-%m-%d} (0 days"
        in line
    )
