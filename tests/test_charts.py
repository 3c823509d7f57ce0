"""Charts: phone-sized PNGs drawn from the member's own data, in their language, sent as photos.

What a chart shows is read from its figure before encoding (the texts, lines and patches it
draws, and where); one test decodes the PNG (matplotlib reads it) to see the red band in the
picture itself. Sizes come from the PNG header (signature and IHDR chunk, per the PNG
specification, RFC 2083 §3.1 and §4.1.1).
"""

from __future__ import annotations

import asyncio
import io
import itertools
import statistics
import struct
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.image import imread
from matplotlib.patches import Rectangle
from matplotlib.transforms import blended_transform_factory
from telegram.ext import Application

from chatbot.engine.models import Side, SizeResult
from chatbot.evaluation.calculators import evaluate
from chatbot.evaluation.discipline import DisciplineRow
from chatbot.language.parser import parse_command
from chatbot.render.charts import BAR, ENTRY, LIQ, STOP, TARGET
from chatbot.render.ladder import _spread, price_ladder_figure, price_ladder_png
from chatbot.render.risk_chart import risk_chart_figure, risk_chart_png
from chatbot.storage import Database
from tests.conftest import Chat, running
from tests.standin import StandIn, UploadedFile

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# README "How they are made": each chart under 200 KB, quick to load over a phone's data link.
MAX_BYTES = 200_000
# Bot API sendPhoto: "width and height must not exceed 10000 in total; ratio at most 20".
# Telegram keeps photos up to 2560 px on a side; below ~800 px text blurs on a 1080 px screen.
MIN_SIDE, MAX_SIDE = 800, 2560
WORKED = "/size BTC 72000 stop 71500 acct 1000 lev 20 tp 73500"
RULE = Decimal("0.01")
GROUP = -1001234567890


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which the PNG format puts first after the
    signature: 4 bytes length, b"IHDR", then width and height as big-endian 32-bit integers."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def assert_phone_png(data: bytes) -> None:
    width, height = png_size(data)
    assert MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE
    assert width + height <= 10_000 and max(width, height) / min(width, height) <= 20
    assert len(data) < MAX_BYTES


def sized(command: str = WORKED) -> SizeResult:
    result = evaluate(parse_command(command)).result
    assert isinstance(result, SizeResult)
    return result


def record(*checks: tuple[str, str, bool]) -> list[DisciplineRow]:
    """Rows of a record, one check a day: (risk typed, rules broken, just exploring)."""
    start = datetime(2024, 9, 2, 9, tzinfo=UTC)
    rows = []
    for check_id, (risk, breaks, exploring) in enumerate(checks, 1):
        when = start + timedelta(days=check_id)
        rows.append(
            DisciplineRow(
                check_id=check_id,
                created_at=when,
                local_day=when.date().isoformat(),
                within_rules=not breaks,
                breaks=breaks,
                exploring=exploring,
                risk_fraction=Decimal(risk),
            )
        )
    return rows


CLEAN = (("0.01", "", False), ("0.005", "", False), ("0.01", "", False))


# --- the pictures ---------------------------------------------------------------------------


def test_price_ladder_is_a_phone_sized_png() -> None:
    """The worked example's ladder is a PNG a phone shows sharply, under 200 KB."""
    assert_phone_png(price_ladder_png(sized(), "en"))


def test_risk_chart_is_a_phone_sized_png() -> None:
    """The /stats chart is a PNG a phone shows sharply, under 200 KB."""
    assert_phone_png(risk_chart_png(record(*CLEAN), RULE, "en"))


def test_same_data_same_picture() -> None:
    """No timestamp or software name in the file: equal data gives equal bytes."""
    assert price_ladder_png(sized(), "en") == price_ladder_png(sized(), "en")
    assert risk_chart_png(record(*CLEAN), RULE, "en") == risk_chart_png(record(*CLEAN), RULE, "en")


# --- what the ladder draws -------------------------------------------------------------------

SHORT = "/size BTC 72000 stop 72500 acct 1000 lev 20"
LIQUIDATED_FIRST = "/size BTC 72000 stop 68400 acct 1000 lev 20"


def drawn(figure: Figure) -> list[str]:
    """Every text on the figure and its axes, as drawn (header, labels, footer)."""
    return [text.get_text() for text in figure.texts] + [
        text.get_text() for ax in figure.axes for text in ax.texts
    ]


def rungs(figure: Figure) -> dict[str, float]:
    """The price of each level line across the ladder's bar, by its colour (the leaders from a
    rung to its label are drawn in axes coordinates and are left out)."""
    ax = figure.axes[0]
    return {
        str(line.get_color()): float(line.get_ydata()[0])  # type: ignore[index]
        for line in ax.lines
        if line.get_transform() != ax.transAxes
    }


def danger_band(figure: Figure) -> tuple[float, float] | None:
    """The prices between which the hatched red band is drawn, if it is."""
    bands = [
        (patch.get_y(), patch.get_y() + patch.get_height())
        for patch in figure.axes[0].patches
        if isinstance(patch, Rectangle)
        and patch.get_hatch()
        and to_hex(patch.get_facecolor()) == LIQ
    ]
    assert len(bands) <= 1
    return bands[0] if bands else None


def height_of(figure: Figure, words: str) -> float:
    """The price at the height of the text starting with `words`, drawn in axes coordinates."""
    ax = figure.axes[0]
    (y,) = [text.get_position()[1] for text in ax.texts if text.get_text().startswith(words)]
    low, high = ax.get_ylim()
    return float(low + y * (high - low))


def test_ladder_draws_each_level_at_its_price() -> None:
    """The worked example's rungs sit at their prices in their colours, each labelled with its
    move from entry and the money at stake; the footer says the stop fires first.

    By hand: 0.017 BTC at 72,000 is $1,224; the stop (71,500 − 72,000) / 72,000 = −0.69% loses
    0.017 × 500 + 0.0005 × 0.017 × (72,000 + 71,500) = $9.72; the target +2.08% gains
    0.017 × 1,500 − 0.0005 × 0.017 × 145,500 = $24.26, 24.26 / 9.72 = 2.5 R; liquidation by
    Binance's formula (61.2 − 1224) / (0.017 × 0.004 − 0.017) = 68,674.70 is −4.62% and takes
    the $1,224 / 20 = $61.20 margin; 71,500 − 68,674.70 = $2,825.30 between stop and liquidation.
    """
    figure = price_ladder_figure(sized(), "en")
    assert rungs(figure) == {
        ENTRY: 72000,
        STOP: 71500,
        TARGET: 73500,
        LIQ: pytest.approx(68674.70, abs=0.005),
    }
    texts = drawn(figure)
    assert {
        "BTCUSDT · long · 20x · isolated",
        "Binance USDS-M · risk $10.00 (1% of $1,000.00)",
        "Entry $72,000.00",
        "0.017 BTC · position $1,224.00",
        "Stop $71,500.00",
        "-0.69% · loss -$9.72",
        "Target $73,500.00",
        "+2.08% · gain +$24.26 · 2.5 R",
        "Liquidation ≈ $68,674.70",
        "-4.62% · margin lost -$61.20",
        "DANGER ZONE: liquidated",
        "Stop is $2,825.30 above liquidation: it fires first.",
    } <= set(texts)


@pytest.mark.parametrize(("command", "side"), [(WORKED, Side.LONG), (SHORT, Side.SHORT)])
def test_danger_band_lies_beyond_liquidation(command: str, side: Side) -> None:
    """The hatched red band runs from the liquidation price to the chart's edge on the losing
    side (below for a long, above for a short); the stop line stays outside it, so the stop
    fires first, and the danger words sit inside it."""
    result = sized(command)
    assert result.side is side and result.liquidation_price is not None
    figure = price_ladder_figure(result, "en")
    low, high = figure.axes[0].get_ylim()
    band = danger_band(figure)
    assert band is not None
    liquidation, stop = rungs(figure)[LIQ], rungs(figure)[STOP]
    assert liquidation == pytest.approx(float(result.liquidation_price))
    if side is Side.LONG:
        assert band == pytest.approx((low, liquidation)) and stop > band[1]
    else:
        assert band == pytest.approx((liquidation, high)) and stop < band[0]
    assert band[0] < height_of(figure, "DANGER ZONE") < band[1]


def test_stop_beyond_liquidation_sits_in_the_red() -> None:
    """A stop past liquidation is drawn inside the red band, and the footer says so loudly.

    By hand: 20x liquidates a long from 72,000 at 68,674.70 (the worked example), above the
    stop at 68,400: the stop never fires.
    """
    figure = price_ladder_figure(sized(LIQUIDATED_FIRST), "en")
    band = danger_band(figure)
    assert band is not None and band[0] < rungs(figure)[STOP] == 68400 < band[1]
    assert band[1] == pytest.approx(68674.70, abs=0.005)
    footer = figure.texts[-1]
    assert footer.get_text().replace("\n", " ") == (
        "LIQUIDATION COMES FIRST: you are liquidated at $68,674.70, before your stop at "
        "$68,400.00: your stop never fires. Use less leverage or a closer stop."
    )
    assert (footer.get_color(), footer.get_fontweight()) == (LIQ, "bold")


def test_png_shows_the_danger_band_in_red() -> None:
    """Decoded, the ladder's PNG is red in the band beyond liquidation and white between
    liquidation and the stop, in the bar where the rungs are drawn."""
    result = sized()
    figure = price_ladder_figure(result, "en")
    ax = figure.axes[0]
    image = imread(io.BytesIO(price_ladder_png(result, "en")))
    to_pixels = blended_transform_factory(ax.transAxes, ax.transData)

    def colour_at(price: float) -> tuple[float, float, float]:
        """The median colour of a 15-pixel square in the middle of the bar at `price`
        (the median skips the band's thin hatch lines)."""
        x, y = to_pixels.transform((BAR / 2, price))
        row, column = round(image.shape[0] - y), round(x)
        square = image[row - 7 : row + 8, column - 7 : column + 8, :3].reshape(-1, 3)
        red, green, blue = (statistics.median(square[:, channel].tolist()) for channel in range(3))
        return red, green, blue

    low = ax.get_ylim()[0]
    liquidation, stop = rungs(figure)[LIQ], rungs(figure)[STOP]
    red, green, blue = colour_at((low + liquidation) / 2)
    assert red - green > 0.05 and red - blue > 0.05, (red, green, blue)
    assert colour_at((liquidation + stop) / 2) == (1.0, 1.0, 1.0)


def test_ladder_follows_the_trade() -> None:
    """Another stop draws its rung at its own price, with its own size and loss.

    By hand: loss per BTC 200 + 0.0005 × (72,000 + 71,800) = 271.90; 10 / 271.90 = 0.0367, so
    0.036 BTC (the 0.001 step), $2,592 at 72,000, losing 0.036 × 271.90 = $9.79 at the stop,
    (71,800 − 72,000) / 72,000 = −0.28% from entry.
    """
    figure = price_ladder_figure(sized("/size BTC 72000 stop 71800 acct 1000 lev 20"), "en")
    assert rungs(figure)[STOP] == 71800
    assert {"Stop $71,800.00", "-0.28% · loss -$9.79", "0.036 BTC · position $2,592.00"} <= set(
        drawn(figure)
    )


def test_ladder_without_liquidation_price() -> None:
    """CME sets no liquidation price: entry and stop rungs only, no red band, no danger words,
    and a footer on the margin call instead."""
    cme = sized("/size BTC 72000 stop 71500 acct 10000 lev 5 venue cme micro")
    figure = price_ladder_figure(cme, "en")
    assert rungs(figure) == {ENTRY: 72000, STOP: 71500}
    assert danger_band(figure) is None
    assert not any("DANGER" in text for text in drawn(figure))
    assert "margin call" in figure.texts[-1].get_text().replace("\n", " ")
    assert_phone_png(price_ladder_png(cme, "en"))


# --- what the risk chart draws ----------------------------------------------------------------


def marks(figure: Figure) -> dict[str, list[tuple[float, float]]]:
    """The (check, risk %) points of each scatter, by its legend label."""
    return {
        str(points.get_label()): [(float(x), float(y)) for x, y in points.get_offsets()]
        for points in figure.axes[0].collections
    }


def spans(figure: Figure) -> list[tuple[str, float, float]]:
    """The shaded stretches of checks: (colour, first edge, last edge)."""
    return [
        (to_hex(patch.get_facecolor()), patch.get_x(), patch.get_x() + patch.get_width())
        for patch in figure.axes[0].patches
        if isinstance(patch, Rectangle)
    ]


def test_risk_chart_draws_each_check_against_the_rule() -> None:
    """Each counted check is a green point at its risk, the rule a dashed line at 1%, the run
    of three checks within the rules shaded green and named; dates under the first check of
    each day (CLDR's English "MMMd": Sep 3)."""
    figure = risk_chart_figure(record(*CLEAN), RULE, "en")
    assert marks(figure) == {
        "within your rules": [(1, 1.0), (2, 0.5), (3, 1.0)],
        "rule broken": [],
    }
    ax = figure.axes[0]
    (rule,) = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert (list(rule.get_ydata()), rule.get_color(), rule.get_label()) == (  # type: ignore[arg-type]
        [1.0, 1.0],
        ENTRY,
        "your rule: 1%",
    )
    assert spans(figure) == [(TARGET, 0.5, 3.5)]
    assert {
        "Risk per check",
        "Checks in a row within your rules: 3 (best 3)",
        "streak: 3 checks",
    } <= set(drawn(figure))
    assert [label.get_text() for label in ax.get_xticklabels()] == ["Sep 3", "Sep 4", "Sep 5"]


def test_risk_chart_follows_the_record() -> None:
    """A rule break adds a red cross at its risk on a red band and ends the streak; a check
    marked "just exploring" is not part of the record and leaves the chart as it was."""
    broken = risk_chart_figure(record(*CLEAN, ("0.02", "risk_above_rule", False)), RULE, "en")
    assert marks(broken)["rule broken"] == [(4, 2.0)]
    assert spans(broken) == [(LIQ, 3.5, 4.5)]  # and no green streak band: the run is over
    assert "Checks in a row within your rules: 0 (best 3)" in drawn(broken)
    explored = record(*CLEAN, ("0.02", "risk_above_rule", True))
    assert risk_chart_png(explored, RULE, "en") == risk_chart_png(record(*CLEAN), RULE, "en")


def test_german_charts_use_german_numbers() -> None:
    """German labels carry German numbers (CLDR "de": `.` groups thousands, `,` marks
    decimals, a no-break space before `$` and `%`) and German dates ("d. MMM": 3. Sept.)."""
    ladder = drawn(price_ladder_figure(sized(), "de"))
    assert {
        "Einstieg 72.000,00\xa0$",
        "-0,69\xa0% · Verlust -9,72\xa0$",
        "Liquidation ≈ 68.674,70\xa0$",
    } <= set(ladder)
    risk = risk_chart_figure(record(*CLEAN), RULE, "de")
    ax = risk.axes[0]
    assert ax.yaxis.get_major_formatter()(0.5, 0) == "0,5\xa0%"
    dates = [label.get_text() for label in ax.get_xticklabels()]
    assert dates == ["3. Sept.", "4. Sept.", "5. Sept."]
    assert "Risiko pro Check" in drawn(risk)


@given(st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=6))
def test_labels_never_overprint(heights: list[float]) -> None:
    """However close the levels, up to six labels are spread at least a label apart, inside
    the chart, keeping their order."""
    gap = 0.115
    placed = _spread(heights, gap)
    ordered = [placed[i] for i in sorted(range(len(heights)), key=lambda i: heights[i])]
    assert all(b - a >= gap - 1e-9 for a, b in itertools.pairwise(ordered))
    assert all(gap / 2 - 1e-9 <= y <= 1 - gap / 2 + 1e-9 for y in placed)


@pytest.mark.slow
def test_bot_start_does_not_load_matplotlib() -> None:
    """matplotlib is imported on the first chart, not when the bot starts."""
    probe = "import sys, chatbot.bot.app; print('matplotlib' in sys.modules)"
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=root, check=True
    )
    assert done.stdout.strip() == "False"


# --- through the bot ------------------------------------------------------------------------


def photos(api: StandIn, chat_id: int) -> list[dict[str, object]]:
    return [
        call.params
        for call in api.calls
        if call.ok and call.method == "sendPhoto" and call.params.get("chat_id") == chat_id
    ]


async def settled(app: Application) -> None:  # type: ignore[type-arg]
    """Wait until no update is being handled: a handler that was going to send a photo has."""
    async with asyncio.timeout(5):
        while app.update_processor.current_concurrent_updates:
            await asyncio.sleep(0)


def uploaded(photo: dict[str, object]) -> bytes:
    upload = photo["photo"]
    assert isinstance(upload, UploadedFile)
    return upload.content


async def test_chart_button_sends_the_ladder(api: StandIn, db_path: Path) -> None:
    """The Chart button under a /size reply sends that check's ladder (the very picture drawn
    for its result above) as a PNG photo, replying to the reply; another check's button sends
    that check's ladder."""
    async with running(api, db_path):
        me = Chat(api)
        first = await me.say(WORKED)
        buttons = first["reply_markup"]["inline_keyboard"][0]
        assert [button["callback_data"] for button in buttons] == [
            "explore:1:1",
            "details:1",
            "chart:1",
        ]
        await me.press("chart:1")
        (photo,) = photos(api, me.where)
        assert_phone_png(uploaded(photo))
        assert "#1" in str(photo["caption"]) and "BTCUSDT" in str(photo["caption"])
        assert photo["reply_parameters"]["message_id"] > 0  # type: ignore[index]

        assert uploaded(photo) == price_ladder_png(sized(), "en")

        closer = "/size BTC 72000 stop 71800 acct 1000 lev 20 tp 73500"
        await me.say(closer)
        await me.press("chart:2")
        second = photos(api, me.where)[-1]
        assert uploaded(second) == price_ladder_png(sized(closer), "en")


async def test_chart_button_belongs_to_its_member(api: StandIn, db_path: Path) -> None:
    """Another member pressing the Chart button gets an alert and no picture of the check."""
    async with running(api, db_path):
        me, other = Chat(api), Chat(api, user_id=2002)
        await me.say(WORKED)
        refused = await other.press("chart:1")
        assert refused["show_alert"] is True
        assert not any(call.method == "sendPhoto" for call in api.calls)


async def test_chart_in_a_group_stays_in_its_topic(api: StandIn, db_path: Path) -> None:
    """In a forum group the ladder goes to the topic the /size came from."""
    async with running(api, db_path):
        group = Chat(api, chat_id=GROUP, chat_type="supergroup")
        await group.say(
            f"/size@{api.bot['username']} BTC 72000 stop 71500 acct 1000 lev 20",
            message_thread_id=7,
            is_topic_message=True,
        )
        await group.press("chart:1")
        (photo,) = photos(api, GROUP)
        assert photo["message_thread_id"] == 7


async def test_stats_sends_the_risk_chart(api: StandIn, db_path: Path) -> None:
    """/stats adds the risk chart once two checks are counted: the chart of the member's
    record at that moment, the rule break of a later check included."""
    async with running(api, db_path) as app:
        me = Chat(api)
        await me.say("/size BTC 72000 stop 71500 acct 1000 lev 5")
        await me.say("/stats")
        await settled(app)
        assert photos(api, me.where) == []  # one check is a point, not a line

        await me.say("/size BTC 72000 stop 71500 acct 1000 lev 5 risk 0.5%")
        await me.say("/stats")
        await api.wait_for(lambda call: len(photos(api, me.where)) == 1)
        (chart,) = photos(api, me.where)
        assert_phone_png(uploaded(chart))
        assert "1%" in str(chart["caption"])

        await me.say("/size BTC 72000 stop 71500 acct 1000 lev 20")  # above the 10x limit
        await me.say("/stats")
        await api.wait_for(lambda call: len(photos(api, me.where)) == 2)
        latest = uploaded(photos(api, me.where)[-1])
    async with await Database.open(db_path) as db:
        rows = await db.discipline_rows(me.user_id)
    assert [row.within_rules for row in rows] == [True, True, False]
    assert uploaded(chart) == risk_chart_png(rows[:2], RULE, "en")
    assert latest == risk_chart_png(rows, RULE, "en")
