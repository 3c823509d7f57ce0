"""Write the README's example charts: docs/price-ladder.png and docs/risk-chart.png.

Run from the repository root: `python scripts/make_chart_examples.py` (optionally `--lang de`
to look at another language, and `--out DIR` to write elsewhere). The ladder is the worked
example of the README's set-up with a target, computed by the same parser and engine as the bot;
the record is a made-up month of checks, so the picture shows a break and a streak.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from chatbot.engine.models import SizeResult
from chatbot.evaluation.calculators import evaluate
from chatbot.evaluation.discipline import DisciplineRow
from chatbot.language.parser import parse_command
from chatbot.render.ladder import price_ladder_png
from chatbot.render.risk_chart import risk_chart_png

WORKED = "/size BTC 72000 stop 71500 acct 1000 lev 20 tp 73500"
RULE = Decimal("0.01")
START = datetime(2024, 9, 2, 9, 30, tzinfo=UTC)
# (days after START, risk typed, rules broken) for a sample member's month.
SAMPLE = (
    (0, "0.01", ""),
    (0, "0.005", ""),
    (1, "0.01", ""),
    (3, "0.02", "risk_above_rule"),
    (4, "0.01", ""),
    (4, "0.0075", ""),
    (6, "0.01", "leverage_above_limit"),
    (8, "0.005", ""),
    (9, "0.01", ""),
    (11, "0.0075", ""),
    (12, "0.01", ""),
    (15, "0.005", ""),
    (16, "0.01", ""),
)


def worked_example() -> SizeResult:
    """The worked example through the bot's own parser and engine, with the global defaults."""
    result = evaluate(parse_command(WORKED)).result
    assert isinstance(result, SizeResult)
    return result


def sample_record() -> list[DisciplineRow]:
    """A month with one oversized check and one leverage break, then a streak."""
    rows = []
    for check_id, (days, risk, breaks) in enumerate(SAMPLE, 1):
        when = START + timedelta(days=days, hours=check_id)
        rows.append(
            DisciplineRow(
                check_id=check_id,
                created_at=when,
                local_day=when.date().isoformat(),
                within_rules=not breaks,
                breaks=breaks,
                risk_fraction=Decimal(risk),
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en", help="language of the labels (default en)")
    parser.add_argument("--out", type=Path, default=Path("docs"), help="folder (default docs)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    ladder = args.out / "price-ladder.png"
    ladder.write_bytes(price_ladder_png(worked_example(), args.lang))
    risk = args.out / "risk-chart.png"
    risk.write_bytes(risk_chart_png(sample_record(), RULE, args.lang))
    for path in (ladder, risk):
        print(f"{path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
