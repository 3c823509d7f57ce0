"""The deployment files hold together: `docker build` cannot run on these machines, so the
Dockerfile and compose file are parsed and every path they use is checked against the
repository; the systemd units go through `systemd-analyze verify` where that tool exists."""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

from chatbot.bot.config import Settings

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
UNITS = ("riskbot.service", "riskbot-backup.service", "riskbot-backup.timer")
# Below 2.0 on systemd's 0-10 exposure scale ("OK"); the unit scores 1.1 with systemd 252.
MAX_EXPOSURE_TENTHS = 20


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str
    stage: str


def dockerfile() -> list[Instruction]:
    """Instructions in order, continuation lines joined, each tagged with its build stage."""
    logical: list[str] = []
    pending = ""
    for raw in (DEPLOY / "Dockerfile").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    instructions: list[Instruction] = []
    stage = ""
    for line in logical:
        keyword, _, arguments = line.partition(" ")
        if keyword.upper() == "FROM":
            stage = arguments.split(" AS ")[-1].strip() if " AS " in arguments else arguments
        instructions.append(Instruction(keyword.upper(), arguments.strip(), stage))
    return instructions


def excluded(path: str) -> bool:
    """Whether the build context leaves `path` out, by Dockerfile.dockerignore's rules (the
    last matching pattern wins; a pattern matching a parent folder covers what is inside)."""
    rules = [
        line.strip()
        for line in (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    parts = Path(path).parts
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    verdict = False
    for rule in rules:
        negated = rule.startswith("!")
        pattern = rule.lstrip("!").rstrip("/")
        if any(_matches(candidate, pattern) for candidate in candidates):
            verdict = not negated
    return verdict


def _matches(path: str, pattern: str) -> bool:
    if pattern.startswith("**/"):
        tail = pattern[3:]
        return any(fnmatch.fnmatch(part, tail) for part in Path(path).parts)
    return fnmatch.fnmatch(path, pattern) and path.count("/") == pattern.count("/")


def sources(instruction: Instruction) -> list[str]:
    """The context paths a COPY takes (all words but the last, flags left out)."""
    words = [word for word in instruction.arguments.split() if not word.startswith("--")]
    return words[:-1]


def test_every_copied_path_exists_and_enters_the_build_context() -> None:
    """Each COPY from the context names a path in the repository that .dockerignore keeps."""
    copies = [i for i in dockerfile() if i.keyword == "COPY" and "--from=" not in i.arguments]
    assert copies
    for copy in copies:
        for source in sources(copy):
            assert (REPO / source).exists(), source
            assert not excluded(source), source
            for inside in (REPO / source).rglob("*.py") if (REPO / source).is_dir() else ():
                if "__pycache__" not in inside.parts:
                    assert not excluded(str(inside.relative_to(REPO))), inside


def test_secrets_and_local_state_stay_out_of_the_build_context() -> None:
    """.env (the token), databases, virtual environments and tests never reach the daemon."""
    for path in (".env", "riskbot.sqlite3", ".venv/bin/python", "tests/test_bot.py", ".git/HEAD"):
        assert excluded(path), path
    assert excluded("chatbot/__pycache__/cli.cpython-311.pyc")


def test_image_is_multi_stage_slim_and_runs_as_a_user() -> None:
    """Two stages from python:3.11-slim, the runtime copies only the build's environment,
    and the bot runs as a named non-root user."""
    instructions = dockerfile()
    args = {
        i.arguments.split("=")[0]: i.arguments.split("=")[1]
        for i in instructions
        if i.keyword == "ARG"
    }
    stages = [i.arguments for i in instructions if i.keyword == "FROM"]
    assert len(stages) == 2
    assert all(stage.startswith("${PYTHON_IMAGE}") for stage in stages)
    assert args["PYTHON_IMAGE"].startswith("python:3.11-slim")
    runtime = [i for i in instructions if i.stage == "runtime"]
    assert [i.arguments for i in runtime if i.keyword == "COPY"] == [
        "--from=build /opt/riskbot /opt/riskbot"
    ]
    (user,) = [i.arguments for i in runtime if i.keyword == "USER"]
    assert user not in {"root", "0"}
    assert re.search(rf"useradd [^&]*--shell /usr/sbin/nologin {user}\b", _runs(runtime))
    build = _runs([i for i in instructions if i.stage == "build"])
    assert "pip wheel" in build and "pip install /dist/*.whl" in build


def _runs(instructions: list[Instruction]) -> str:
    return "\n".join(i.arguments for i in instructions if i.keyword == "RUN")


def test_entry_point_is_exec_form_with_data_on_a_volume() -> None:
    """ENTRYPOINT/CMD in exec form (SIGTERM reaches riskbot), the database under VOLUME /data,
    and a health check that runs `riskbot doctor`."""
    instructions = {i.keyword: i.arguments for i in dockerfile() if i.stage == "runtime"}
    assert json.loads(instructions["ENTRYPOINT"]) == ["riskbot"]
    assert json.loads(instructions["CMD"]) == ["run"]
    assert json.loads(instructions["VOLUME"]) == ["/data"]
    env = _runtime_env()
    assert env["RISKBOT_DB"] == "/data/riskbot.sqlite3"
    assert instructions["HEALTHCHECK"].endswith('CMD ["riskbot", "doctor"]')


def _runtime_env() -> dict[str, str]:
    (env,) = [i.arguments for i in dockerfile() if i.stage == "runtime" and i.keyword == "ENV"]
    return dict(pair.split("=", 1) for pair in env.split())


def test_wheel_ships_the_locales_and_data_the_image_relies_on() -> None:
    """The image has no source tree: catalogs and instrument data must be inside the wheel."""
    pyproject = (REPO / "pyproject.toml").read_text()
    assert '"locales" = "chatbot/locales"' in pyproject
    assert list((REPO / "chatbot" / "markets" / "data").glob("*.json"))
    assert list((REPO / "locales").glob("*/LC_MESSAGES/riskbot.po"))


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_compose_builds_this_repository_and_keeps_data_on_a_volume() -> None:
    """The build context and Dockerfile resolve, /data is a named volume, secrets come from
    an ignored .env, and the service restarts and stops gracefully."""
    document = compose()
    service = document["services"]["riskbot"]
    context = (DEPLOY / service["build"]["context"]).resolve()
    assert context == REPO
    assert (context / service["build"]["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    assert service["env_file"] == ".env"
    assert ".env" in (REPO / ".gitignore").read_text().split()
    volume, mount = service["volumes"][0].split(":")
    assert mount == "/data" and volume in document["volumes"]
    assert service["environment"]["RISKBOT_DB"].startswith("/data/")
    assert service["restart"] == "unless-stopped"
    assert service["stop_signal"] == "SIGTERM"
    assert re.fullmatch(r"\d+s", service["stop_grace_period"])
    assert all(port.startswith("127.0.0.1:") for port in service["ports"])
    assert service["read_only"] is True and "/tmp" in service["tmpfs"]


def test_every_documented_variable_is_a_setting() -> None:
    """env.example and compose.yaml name only variables riskbot reads."""
    named = set(re.findall(r"RISKBOT_(\w+)=", (DEPLOY / "env.example").read_text()))
    named |= {
        name.removeprefix("RISKBOT_") for name in compose()["services"]["riskbot"]["environment"]
    }
    named |= {
        name.removeprefix("RISKBOT_") for name in _runtime_env() if name.startswith("RISKBOT_")
    }
    assert {name.lower() for name in named} <= set(Settings.model_fields)


def unit(name: str) -> dict[str, list[str]]:
    """A unit file's settings, every value of a key kept (systemd allows repeats)."""
    found: dict[str, list[str]] = {}
    for line in (DEPLOY / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_service_is_hardened() -> None:
    """The bot unit runs as its own user, sees a read-only system, and only needs the network
    and its state folder."""
    service = unit("riskbot.service")
    expected = {
        "User": "riskbot",
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "StateDirectory": "riskbot",
        "ReadWritePaths": "/var/lib/riskbot",
        "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
        "EnvironmentFile": "/etc/riskbot/env",
        "Restart": "on-failure",
        "KillSignal": "SIGTERM",
    }
    for key, value in expected.items():
        assert service[key] == [value], key
    assert "@system-service" in service["SystemCallFilter"]
    assert service["Environment"][0] == "RISKBOT_DB=/var/lib/riskbot/riskbot.sqlite3"
    backup = unit("riskbot-backup.service")
    assert backup["ExecStart"] == ["/opt/riskbot/.venv/bin/riskbot backup /var/lib/riskbot-backups"]
    assert backup["User"] == ["riskbot"]


def _unit_root(tmp_path: Path) -> Path:
    """A file-system root holding the units, systemd's own units, and a stand-in for every
    program the units start, so `verify` checks the files as shipped."""
    root = tmp_path / "root"
    units = root / "etc" / "systemd" / "system"
    units.mkdir(parents=True)
    for name in UNITS:
        shutil.copy(DEPLOY / name, units / name)
        for command in unit(name).get("ExecStart", []) + unit(name).get("ExecStartPost", []):
            program = root / command.split()[0].lstrip("-@:+!").lstrip("/")
            program.parent.mkdir(parents=True, exist_ok=True)
            program.write_text("#!/bin/sh\n")
            program.chmod(0o755)
    for system in (Path("/usr/lib/systemd/system"), Path("/lib/systemd/system")):
        if system.is_dir():
            shutil.copytree(system, root / "usr" / "lib" / "systemd" / "system", symlinks=True)
            break
    return root


def _systemd_version() -> int:
    shown = subprocess.run(
        ["systemd-analyze", "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"systemd (\d+)", shown)
    return int(match.group(1)) if match else 0


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
@pytest.mark.parametrize("name", UNITS)
def test_systemd_verify_accepts_the_units(name: str, tmp_path: Path) -> None:
    """`systemd-analyze verify` passes without a single warning (unknown keys only warn)."""
    root = _unit_root(tmp_path)
    done = subprocess.run(
        ["systemd-analyze", "verify", f"--root={root}", name],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout + done.stderr == ""


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_rates_the_service_exposure_low(tmp_path: Path) -> None:
    """`systemd-analyze security` (offline) scores the bot's unit below 2.0 of 10."""
    if _systemd_version() < 250:
        pytest.skip("offline security analysis needs systemd 250 or newer")
    root = _unit_root(tmp_path)
    done = subprocess.run(
        [
            "systemd-analyze",
            "security",
            "--offline=yes",
            f"--root={root}",
            f"--threshold={MAX_EXPOSURE_TENTHS}",
            "riskbot.service",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
