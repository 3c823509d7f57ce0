"""The `riskbot` command line: the worked example as JSON, errors as status 2, README examples."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest

from chatbot.bot.registry import COMMANDS
from chatbot.cli import main, run_check
from chatbot.language.parser import EXAMPLES, parse_command, parse_member_command

README = Path(__file__).parents[1] / "README.md"
WORKED = "/size BTC 72000 stop 71500 acct 1000 lev 20"


def test_json_gives_worked_example_figures(capsys: pytest.CaptureFixture[str]) -> None:
    """The README's worked-example table: 0.017, 1224, 61.2, 9.72 and 68,674.70 to the cent."""
    assert main(["check", "--json", WORKED]) == 0
    data = json.loads(capsys.readouterr().out)
    cent = D("0.01")
    assert data["side"] == "long"
    assert D(data["quantity"]) == D("0.017")
    assert D(data["contracts"]) == 17
    assert D(data["contract_size"]) == D("0.001")
    assert D(data["notional"]) == D(1224)
    assert D(data["initial_margin"]) == D("61.2")
    assert D(data["risk_budget"]) == D(10)
    assert D(data["loss_at_stop"]).quantize(cent) == D("9.72")
    assert D(data["fees"]).quantize(cent) == D("1.22")
    assert D(data["liquidation_price"]).quantize(cent) == D("68674.70")
    assert data["warnings"] == ["leverage_above_limit"]


def test_plain_reply_names_liquidation_and_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    """The plain-text reply has no HTML tags and carries the key figures and the defaults line."""
    assert main(["check", WORKED]) == 0
    out = capsys.readouterr().out
    assert "<b>" not in out
    assert "68,674.70" in out
    assert "$9.72" in out and "$10.00" in out
    assert "Defaults:" in out


def test_german_reply(capsys: pytest.CaptureFixture[str]) -> None:
    """`--lang de` answers in German with German number formatting."""
    assert main(["check", "--lang", "de", WORKED]) == 0
    assert "68.674,70" in capsys.readouterr().out


def test_parse_error_exits_2_without_traceback() -> None:
    """A mistake prints the reason and an example on stderr and exits with status 2."""
    done = subprocess.run(
        [sys.executable, "-m", "chatbot", "check", "/size BTC 72000 stpo 71500"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "stpo" in done.stderr and "Did you mean stop" in done.stderr
    assert "Traceback" not in done.stderr
    assert WORKED in done.stderr


def test_console_answers_each_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The console answers good and bad lines alike and stops at `exit`."""
    lines = f"{WORKED}\n/size BTC\nexit\n/liq ETH 3000 lev 2\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    assert main(["console"]) == 0
    captured = capsys.readouterr()
    assert "68,674.70" in captured.out
    assert "Example:" in captured.err
    assert "ETHUSDT" not in captured.out


def _readme_examples() -> list[str]:
    block = README.read_text("utf-8").split("Examples:", 1)[1].split("\n\n", 2)[1]
    return [line.strip() for line in block.splitlines() if re.match(r"\s+/", line)]


@pytest.mark.parametrize("text", _readme_examples())
def test_readme_examples_work(text: str) -> None:
    """Every example the README shows is accepted and evaluated."""
    assert run_check(text).request.command in text


def _command_table_examples() -> list[str]:
    table = r"^\| `[^`]+`[^|]* \| `(/[^`]+)` \|"
    return re.findall(table, README.read_text("utf-8"), re.MULTILINE)


@pytest.mark.parametrize("text", _command_table_examples())
def test_command_table_examples_parse(text: str) -> None:
    """Every example in the README's command table is accepted by its command."""
    name = text.split()[0].lstrip("/")
    if name in {"settings", "result", "remind", "policy"}:
        assert parse_member_command(text).command == name
    elif name == "price":  # answered from the venue's live prices: no network in tests
        assert parse_command(text).command == name
    elif name in EXAMPLES:
        assert run_check(text).request.command == name
    else:
        personal = {"journal", "stats", "streak", "ready", "export", "forget"}
        assert name in {"start", "help", "lesson", "lessons", *personal}


def test_command_table_lists_every_registered_command() -> None:
    """The README documents each command of the registry."""
    documented = {text.split()[0].lstrip("/") for text in _command_table_examples()}
    assert documented == {command.name for command in COMMANDS}


def test_check_reads_numbers_in_the_reply_language() -> None:
    """`riskbot check --lang de` reads `72.000` as the German member means it: 72,000."""
    check = run_check("/size BTC 72.000 stop 71.500 acct 1000 lev 20", "de")
    assert check.request.entry == 72000
    assert str(check.result.quantity) == "0.017"  # the worked example's size, not 17.49 BTC
