"""Plain decimals: no exponent in JSON, CSV or a reply, whatever arithmetic left in a Decimal."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from decimal import Decimal as D
from decimal import InvalidOperation

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chatbot.cli import check_as_json, run_check
from chatbot.engine.models import Rules, Tier
from chatbot.engine.plain import plain
from chatbot.evaluation.log import CheckRow, JournalRow, OutcomeRow
from chatbot.evaluation.records import recorded
from chatbot.language.errors import CommandError
from chatbot.render.export import export_csv
from chatbot.render.html import to_plain
from chatbot.render.results import render
from chatbot.storage.sql import params


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (D("2.5E+3"), "2500"),
        (D("0E-31"), "0"),
        (D("-0E+2"), "0"),
        (D("1224.000"), "1224.000"),
        (D("0.10"), "0.10"),
        (D("1E-8"), "0.00000001"),
        (D("-12.50"), "-12.50"),
        (D("68674.69879518072289156626506"), "68674.69879518072289156626506"),
    ],
)
def test_plain_writes_digits_and_one_point(value: D, shown: str) -> None:
    """The value is exact, only the notation changes: 2.5E+3 is 2500, 0E-31 is 0."""
    assert plain(value) == shown
    assert D(shown) == value


def test_model_json_has_no_exponent() -> None:
    """A model holding exponent decimals dumps them plain, in dicts and in JSON text."""
    tier = Tier(floor=D("0E-31"), cap=D("5E+4"), max_leverage=D("1.25E+2"), mmr=D("4E-3"), cum=0)
    expected = {"floor": "0", "cap": "50000", "max_leverage": "125", "mmr": "0.004", "cum": "0"}
    assert tier.model_dump(mode="json") == expected
    assert json.loads(tier.model_dump_json()) == expected


@pytest.mark.parametrize(
    ("command", "field", "shown"),
    [
        # 1 BTC / 0.001 step = 1000 contracts; arithmetic leaves it as 1E+3.
        ("/pnl BTC 72000 72000 qty 1 fee 0", "contracts", "1000"),
        # 0.02 BTC / 0.001 = 20 contracts.
        ("/size BTC 72000 stop 71500 acct 1000 lev 20 fee 0", "contracts", "20"),
    ],
)
def test_check_json_of_exponent_figures(command: str, field: str, shown: str) -> None:
    """`riskbot check --json` printed "1E+3" and "2E+1" for these figures."""
    assert check_as_json(run_check(command))[field] == shown


def test_csv_export_writes_plain_decimals() -> None:
    """Leverage, prices, exit and R from storage are written in digits, never as 2E+1."""
    at = datetime(2024, 10, 24, 12, tzinfo=UTC)
    check = CheckRow(
        id=1,
        update_key="1",
        user_id=7,
        chat_id=7,
        command="size",
        symbol="BTCUSDT",
        entry=D("7.2E+4"),
        stop=D("7.15E+4"),
        leverage=D("2E+1"),
        quantity=D("1.7E-2"),
        within_rules=False,
        created_at=at,
        local_day="2024-10-24",
    )
    outcome = OutcomeRow(
        result="win",
        exit_price=D("7.35E+4"),
        r_multiple=D("2.5E+0"),
        liquidated=False,
        loss_beyond_budget=None,
        created_at=at,
    )
    text = export_csv((JournalRow(check=check, outcome=outcome),), "UTC", "en").decode("utf-8-sig")
    (header, row) = list(csv.reader(io.StringIO(text)))
    cells = dict(zip(header, row, strict=True))
    assert not [cell for cell in row if _EXPONENT.search(cell)]
    assert (cells["leverage"], cells["quantity"]) == ("20", "0.017")
    assert (cells["entry"], cells["exit"], cells["R"]) == ("72000", "73500", "2.50")


# --- every figure of every check, whatever the numbers ------------------------------------------

_EXPONENT = re.compile(r"[eE][+-]?[0-9]")
_VENUES = ("binance", "binance_coinm", "bybit", "bybit_inverse", "cme")
_INVERSE = frozenset({"binance_coinm", "bybit_inverse"})


def _decimals(low: str, high: str, places: int) -> st.SearchStrategy[D]:
    return st.decimals(min_value=D(low), max_value=D(high), places=places)


@st.composite
def _commands(draw: st.DrawFn) -> str:
    """A check a member could type, on any venue, with numbers as odd as arithmetic likes."""
    venue = draw(st.sampled_from(_VENUES))
    price = draw(_decimals("1000", "150000", 2))
    other = price * draw(_decimals("0.8", "1.2", 3))
    lev = draw(st.integers(min_value=1, max_value=20))
    inverse = venue in _INVERSE
    qty = draw(st.integers(1, 5000)) if inverse else draw(_decimals("0.1", "5", 1))
    side = draw(st.sampled_from(("long", "short")))
    fee = draw(st.sampled_from(("0", "0.02%", "0.05%")))
    rate = draw(_decimals("-0.001", "0.001", 6))
    tail = f"venue {venue} fee {fee}"
    return draw(
        st.sampled_from(
            (
                f"/size BTC {price} stop {other} acct 10000 lev {lev} {tail}",
                f"/liq BTC {price} lev {lev} qty {qty} {side} venue {venue}",
                f"/pnl BTC {price} {other} qty {qty} {side} lev {lev} rate {rate * 100}% {tail}",
                f"/hedge BTC {qty * 100} price {price} venue {venue}",
                f"/funding BTC {qty * 100} rate {rate * 100}% hours 24 price {price} {side} "
                f"venue {venue}",
                f"/avg BTC {qty}@{price} {qty * 2}@{other} lev {lev} {side} {tail}",
            )
        )
    )


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return [value] if isinstance(value, str) else []


@settings(max_examples=80, deadline=None)
@given(_commands())
def test_no_check_prints_an_exponent(command: str) -> None:
    """Across venues, sides and sizes: `--json`, the stored request and result, and the reply
    carry every decimal in digits (a venue refusing the position is still a valid check)."""
    try:
        check = run_check(command)
    except CommandError:
        return
    texts = _strings(check_as_json(check))
    texts += _strings(json.loads(check.request.model_dump_json()))
    texts += _strings(params(recorded(check, Rules())))
    numbers = [text for text in texts if _is_decimal(text)]
    assert numbers, command
    assert not [text for text in numbers if _EXPONENT.search(text)], command
    assert not _EXPONENT.search(to_plain(render(check, "en"))), command


def _is_decimal(text: str) -> bool:
    try:
        D(text)
    except InvalidOperation:
        return False
    return True
