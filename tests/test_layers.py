"""The layers in pyproject.toml hold: each package imports only the ones below it. The check is
import-linter's own `lint-imports`, as .ci/run runs it, so the suite fails on a violation."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(*options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *options],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


def layers() -> list[str]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    (contract,) = config["tool"]["importlinter"]["contracts"]
    found: list[str] = contract["layers"]
    return found


def test_every_layer_imports_only_the_layers_below() -> None:
    """`lint-imports` keeps the contract written in pyproject.toml."""
    done = lint_imports()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


def test_the_contract_sees_real_imports(tmp_path: Path) -> None:
    """Turned upside down, the same layers are broken: the check reads the actual imports
    rather than passing on an empty graph."""
    upside_down = tmp_path / "upside_down.ini"
    lines = "\n".join(f"    {layer}" for layer in reversed(layers()))
    upside_down.write_text(
        "[importlinter]\nroot_package = chatbot\n\n[importlinter:contract:upside-down]\n"
        f"name = Upside down\ntype = layers\nlayers =\n{lines}\n"
    )
    done = lint_imports("--config", str(upside_down))
    assert done.returncode == 1
    assert "0 kept, 1 broken" in done.stdout
    assert "chatbot.cli -> chatbot." in done.stdout
