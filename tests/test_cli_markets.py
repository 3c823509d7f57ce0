"""`riskbot markets list|show`: every figure with its source and date, JSON in plain decimals."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest

from chatbot.cli import main
from chatbot.markets.venues import VENUE_KEYS

PLAIN = re.compile(r"^-?\d+(\.\d+)?$")
REPO = Path(__file__).resolve().parent.parent


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    status = main(["markets", *argv, "--json"])
    return status, json.loads(capsys.readouterr().out)


def test_list_binance_json_has_300_perpetuals_with_dated_tables(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Offline, `markets list --venue binance --json` gives ≥ 300 perpetuals, each table dated."""
    status, data = run_json(capsys, "list", "--venue", "binance")
    assert status == 0
    (venue,) = data["venues"]
    assert venue["key"] == "binance" and len(venue["instruments"]) >= 300
    for item in venue["instruments"]:
        assert item["tiers"] and re.match(r"^\d{4}-\d{2}-\d{2}$", item["tiers_as_of"])
        for tier in item["tiers"]:
            assert all(PLAIN.match(tier[key]) for key in ("floor", "cap", "mmr", "cum"))


def test_list_without_venue_covers_every_venue(capsys: pytest.CaptureFixture[str]) -> None:
    """With no --venue the list has all six venues in the catalog's order."""
    _, data = run_json(capsys, "list")
    assert tuple(venue["key"] for venue in data["venues"]) == VENUE_KEYS


def test_show_pepe_json_is_the_scaled_contract_with_unknown_filters_null(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`show pepe`: 1000PEPEUSDT, scale 1000, and filters null rather than placeholders."""
    status, data = run_json(capsys, "show", "pepe")
    item = data["instrument"]
    assert status == 0 and item["symbol"] == "1000PEPEUSDT" and item["base"] == "PEPE"
    assert item["scale"] == "1000" and item["filters_known"] is False
    assert [item[key] for key in ("qty_step", "min_qty", "tick", "min_notional")] == [None] * 4


def test_show_btc_json_gives_filters_in_plain_notation(capsys: pytest.CaptureFixture[str]) -> None:
    """BTCUSDT's filters print as the venue writes them: 0.001, 0.10 and 5."""
    _, data = run_json(capsys, "show", "BTCUSDT", "--venue", "bn")
    item = data["instrument"]
    assert (item["qty_step"], item["tick"], item["min_notional"]) == ("0.001", "0.10", "5")
    assert data["venue"]["taker_fee"] == "0.0005" and item["tiers_known"] is True


def test_show_text_names_sources_and_unknowns(capsys: pytest.CaptureFixture[str]) -> None:
    """The plain reply says the filters are unknown and names the tier table's source and date."""
    assert main(["markets", "show", "1000PEPE"]) == 0
    out = capsys.readouterr().out
    assert "quantity step not known offline: round down to your venue's step" in out
    assert "tier table of 2024-10-24" in out and "freqtrade/freqtrade@3d9514d2" in out


def test_list_text_marks_unknown_tier_tables(capsys: pytest.CaptureFixture[str]) -> None:
    """OKX ships no tier table: each line says so instead of printing an empty table."""
    assert main(["markets", "list", "--venue", "okx"]) == 0
    out = capsys.readouterr().out
    assert "BTC-USDT-SWAP" in out and "tiers not known offline" in out


def test_show_unknown_symbol_suggests_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A misspelt coin gets the nearest listed one and the list's date, not a traceback."""
    assert main(["markets", "show", "SIU"]) == 2
    err = capsys.readouterr().err
    assert "Did you mean SUI" in err and "2024-10-24" in err
    status, data = run_json(capsys, "show", "ARB", "--venue", "okx")
    assert status == 2 and data["listed_on"] == ["binance"]


def test_unknown_venue_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown venue is named with the known ones."""
    assert main(["markets", "list", "--venue", "kraken"]) == 2
    assert "okx" in capsys.readouterr().err


def load_build_script() -> Any:
    spec = importlib.util.spec_from_file_location(
        "build_market_snapshot", REPO / "scripts" / "build_market_snapshot.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bracket(number: int, floor: str, cap: str, leverage: str, mmr: str, cum: str) -> dict[str, Any]:
    info = {
        "bracket": str(number),
        "initialLeverage": leverage,
        "notionalCap": cap,
        "notionalFloor": floor,
        "maintMarginRatio": mmr,
        "cum": cum,
    }
    return {"tier": float(number), "info": info}


def test_build_script_converts_freqtrade_brackets(tmp_path: Path) -> None:
    """freqtrade's ccxt-format brackets become the project's tiers; 1000PEPE becomes PEPE × 1000.

    USDC-margined and dated contracts are left out: the venue is Binance's USDT perpetuals.
    """
    tiers = {
        "1000PEPE/USDT:USDT": [
            bracket(1, "0", "20000", "75", "0.0065", "0.0"),
            bracket(2, "20000", "200000", "50", "0.01", "70.0"),
        ],
        "1000PEPE/USDC:USDC": [bracket(1, "0", "5000", "50", "0.01", "0.0")],
        "BTC/USDT:USDT-241227": [bracket(1, "0", "375000", "25", "0.02", "0.0")],
    }
    (tmp_path / "tiers.json").write_text(json.dumps(tiers))
    (tmp_path / "ccxt.json").write_text("{}")
    script = load_build_script()
    paths = {"freqtrade": tmp_path / "tiers.json", "binance": tmp_path / "ccxt.json"}
    venue = next(venue for venue in script.VENUES if venue.key == "binance")
    _, _, found = script.build_binance(venue, paths)
    (pepe,) = found
    assert (pepe.symbol, pepe.base, pepe.scale, pepe.filters_known) == (
        "1000PEPEUSDT",
        "PEPE",
        1000,
        False,
    )
    assert [(t.floor, t.cap, t.max_leverage, t.mmr, t.cum) for t in pepe.tiers] == [
        (0, 20000, 75, script.Decimal("0.0065"), 0),
        (20000, 200000, 50, script.Decimal("0.01"), 70),
    ]
