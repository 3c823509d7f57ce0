"""Start-up failures are one line naming what to check, exit status 2, and never the token."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

TOKEN = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
PROJECT = str(Path(__file__).parents[1])

pytestmark = pytest.mark.slow  # each test starts riskbot as a process


class _Unauthorized(BaseHTTPRequestHandler):
    """A Bot API that answers every call as Telegram answers a revoked token: 401."""

    def do_POST(self) -> None:
        body = json.dumps({"ok": False, "error_code": 401, "description": "Unauthorized"})
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    do_GET = do_POST

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads the bot's stderr, not the server's."""


@pytest.fixture
def rejecting_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Unauthorized)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("RISKBOT_")}
    env |= {"RISKBOT_TOKEN": TOKEN, "PYTHONPATH": PROJECT, **settings}
    return subprocess.run(
        [sys.executable, "-m", "chatbot", "run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _one_clear_line(done: subprocess.CompletedProcess[str], *words: str) -> None:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("riskbot: ")
    for word in words:
        assert word in lines[0]
    assert TOKEN not in done.stderr + done.stdout
    assert TOKEN.split(":")[1] not in done.stderr + done.stdout


@pytest.mark.parametrize(("level", "fmt"), [("DEBUG", "json"), ("INFO", "text")])
def test_rejected_token(rejecting_api: str, tmp_path: Path, level: str, fmt: str) -> None:
    """Telegram answering 401 once printed PTB's InvalidToken traceback, token included."""
    done = _run(
        tmp_path,
        RISKBOT_API_URL=rejecting_api,
        RISKBOT_LOG_LEVEL=level,
        RISKBOT_LOG_FORMAT=fmt,
        RISKBOT_DB=str(tmp_path / "bot.sqlite3"),
    )
    assert done.returncode == 2, done.stderr
    assert TOKEN not in done.stderr + done.stdout
    assert TOKEN.split(":")[1] not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("riskbot: Telegram rejected the token")


def test_rejected_token_at_warning_level_is_one_line(rejecting_api: str, tmp_path: Path) -> None:
    """At the default level the operator reads exactly one line."""
    done = _run(tmp_path, RISKBOT_API_URL=rejecting_api, RISKBOT_LOG_LEVEL="WARNING")
    _one_clear_line(done, "RISKBOT_TOKEN", "@BotFather")


def test_unreachable_api(tmp_path: Path) -> None:
    """Nothing listening at RISKBOT_API_URL: one line naming the setting."""
    done = _run(
        tmp_path,
        RISKBOT_API_URL=f"http://127.0.0.1:{_closed_port()}",
        RISKBOT_LOG_LEVEL="WARNING",
    )
    _one_clear_line(done, "RISKBOT_API_URL")


def test_database_in_a_missing_folder(tmp_path: Path) -> None:
    """A database path whose folder does not exist is named, before Telegram is asked."""
    done = _run(tmp_path, RISKBOT_DB=str(tmp_path / "nowhere" / "bot.sqlite3"))
    _one_clear_line(done, "cannot open the database", "nowhere")


def test_database_that_is_not_sqlite(tmp_path: Path) -> None:
    """A file that is not SQLite (a wrong path to some other file) is named, not overwritten."""
    other = tmp_path / "notes.txt"
    other.write_text("not a database, " * 100)
    done = _run(tmp_path, RISKBOT_DB=str(other))
    _one_clear_line(done, "cannot open the database", "notes.txt")
    assert other.read_text() == "not a database, " * 100
