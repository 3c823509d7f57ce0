"""Plain decimals: no exponent in JSON, CSV or a reply, whatever arithmetic left in a Decimal."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from chatbot.cli import check_as_json, run_check
from chatbot.engine.models import Tier
from chatbot.engine.plain import plain
from chatbot.evaluation.log import CheckRow, JournalRow, OutcomeRow
from chatbot.service.privacy import export_csv
from chatbot.storage.rows import MemberExport


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
    """Leverage, risk, exit and R from storage are written in digits, never as 2E+1."""
    at = datetime(2024, 10, 24, 12, tzinfo=UTC)
    check = CheckRow(
        id=1,
        update_key="1",
        user_id=7,
        chat_id=7,
        command="size",
        request_json="{}",
        result_json="{}",
        risk_fraction=D("1E-2"),
        leverage=D("2E+1"),
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
    data = MemberExport(
        member=None, settings=None, checks=(JournalRow(check=check, outcome=outcome),)
    )
    (row,) = csv.DictReader(io.StringIO(export_csv(data).decode()))
    assert (row["risk_fraction"], row["leverage"]) == ("0.01", "20")
    assert (row["exit_price"], row["r_multiple"]) == ("73500", "2.5")
