"""Charts: phone-sized PNGs drawn from the member's own data, in their language, sent as photos.

Image checks read the PNG header directly (signature and IHDR chunk, per the PNG specification,
RFC 2083 §3.1 and §4.1.1), so no imaging library is needed to test what the bot sends.
"""

from __future__ import annotations

import asyncio
import itertools
import struct
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from telegram.ext import Application

from chatbot.engine.models import SizeResult
from chatbot.evaluation.calculators import evaluate
from chatbot.evaluation.discipline import DisciplineRow
from chatbot.language.parser import parse_command
from chatbot.render.charts import _spread, ladder_levels, price_ladder_png, risk_chart_png
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


def test_ladder_follows_the_trade() -> None:
    """Another stop draws another ladder."""
    closer = sized("/size BTC 72000 stop 71800 acct 1000 lev 20 tp 73500")
    assert price_ladder_png(closer, "en") != price_ladder_png(sized(), "en")


def test_risk_chart_follows_the_record() -> None:
    """A rule break added to the record changes the chart; a check marked "just exploring"
    is not part of the record and leaves it as it was."""
    base = risk_chart_png(record(*CLEAN), RULE, "en")
    broken = record(*CLEAN, ("0.02", "risk_above_rule", False))
    explored = record(*CLEAN, ("0.02", "risk_above_rule", True))
    assert risk_chart_png(broken, RULE, "en") != base
    assert risk_chart_png(explored, RULE, "en") == base


def test_german_ladder_uses_german_numbers() -> None:
    """German labels carry German number formats, so the German picture differs from the English.

    Liquidation by hand with Binance's formula: (61.2 − 1224) / (0.017 × 0.004 − 0.017) = 68,674.70,
    which German writes 68.674,70; the stop is (71,500 − 72,000) / 72,000 = −0.69% from entry.
    """
    german = {level.name: level.detail for level in ladder_levels(sized(), "de")}
    assert any("68.674,70" in name for name in german)
    assert any("-0,69" in detail for detail in german.values())
    english = [level.name for level in ladder_levels(sized(), "en")]
    assert any("$68,674.70" in name for name in english)
    assert price_ladder_png(sized(), "de") != price_ladder_png(sized(), "en")
    assert risk_chart_png(record(*CLEAN), RULE, "de") != risk_chart_png(record(*CLEAN), RULE, "en")


def test_ladder_without_liquidation_price() -> None:
    """CME sets no liquidation price: the ladder has entry and stop and no danger rung."""
    cme = sized("/size BTC 72000 stop 71500 acct 10000 lev 5 venue cme micro")
    assert len(ladder_levels(cme, "en")) == 2
    assert_phone_png(price_ladder_png(cme, "en"))


@given(st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=6))
def test_labels_never_overprint(heights: list[float]) -> None:
    """However close the levels, up to six labels are spread at least a label apart, inside
    the chart, keeping their order."""
    gap = 0.115
    placed = _spread(heights, gap)
    ordered = [placed[i] for i in sorted(range(len(heights)), key=lambda i: heights[i])]
    assert all(b - a >= gap - 1e-9 for a, b in itertools.pairwise(ordered))
    assert all(gap / 2 - 1e-9 <= y <= 1 - gap / 2 + 1e-9 for y in placed)


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
    """The Chart button under a /size reply sends that check's ladder as a PNG photo, replying
    to the reply; a check with another stop gets another picture."""
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

        await me.say("/size BTC 72000 stop 71800 acct 1000 lev 20 tp 73500")
        await me.press("chart:2")
        second = photos(api, me.where)[-1]
        assert uploaded(second) != uploaded(photo)


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
    """/stats adds the risk chart once two checks are counted, and the chart shows a new break."""
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
        assert uploaded(photos(api, me.where)[-1]) != uploaded(chart)
