"""End to end: a bot process polling the stand-in server, flooded with /size by many members.

Each contender (riskbot, or the bare baseline of benchmarks/bare_bot.py) runs as its own
process, as in production, once per setting:

* at a fixed 30 messages a second (Telegram's own cap for one bot) with production pacing,
  for the latency a member sees: from the moment the message is queued at the stand-in to the
  moment the answer's sendMessage reaches it;
* at saturation, every message queued at once by as many members, with Telegram's pacing
  lifted for both bots alike (RISKBOT_RATE_LIMIT=off, never for production): the pacing would
  otherwise cap both at 30 answers a second and hide the bots' own speed;
* both again over a link with a 50 ms round trip (benchmarks/link.py), because on loopback a
  bot that waits for each answer before the next update looks faster than it is.

The stand-in and this driver share the machine with the bot: the figures are for this machine,
and only the ratios between contenders measured in the same run are meant to travel.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.figures import Latencies
from benchmarks.link import Link
from benchmarks.meter import Meter

REPO = Path(__file__).resolve().parents[1]
COMMANDS = (
    "/size BTC 72000 stop 71500 acct 1000 lev 20",
    "/size BTC 72000 stop 71500 acct 1000 lev 5",
    "/size eth 3,2k sl=3150 acct $2500 x10 risk 0.5% tp 3400",
    "/size SOL 150 stop 1% acct 500 lev 3",
)
FIXED_RATE = 30
# Telegram's allowance is counted over one second (AIORateLimiter's overall_time_period).
PACING_WINDOW = 1.0
# An example distance to Telegram's servers: 25 ms each way.
ROUND_TRIP = 0.050
RATE_MEMBER_COUNT = 300
# Only for the time-out of a flood: any bot slower than this is broken, not slow.
MIN_FLOOD_RATE = 5
WARM_UP = 50
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
# Ids far apart, so the members of one phase never have messages left from another.
WARM_UP_MEMBERS = 1_000_000
RATE_MEMBERS = 2_000_000
FLOOD_MEMBERS = 3_000_000


@dataclass(frozen=True)
class Contender:
    """A bot to measure, with how many updates it may process at once (1 = one by one)."""

    name: str
    bare: bool
    concurrent_updates: int

    @property
    def label(self) -> str:
        how = "sequential" if self.concurrent_updates <= 1 else f"{self.concurrent_updates} at once"
        return f"{self.name} ({how})"

    def argv(self, url: str, token: str, paced: bool) -> list[str]:
        if not self.bare:
            return [sys.executable, "-m", "chatbot", "run"]
        return [
            *(sys.executable, "-m", "benchmarks.bare_bot", "--api-url", url, "--token", token),
            *("--concurrent-updates", str(self.concurrent_updates)),
            *("--rate-limit", "on" if paced else "off"),
        ]

    def env(self, url: str, token: str, paced: bool, workdir: Path) -> dict[str, str]:
        riskbot = {
            "RISKBOT_TOKEN": token,
            "RISKBOT_API_URL": url,
            "RISKBOT_DB": str(workdir / "riskbot.sqlite3"),
            "RISKBOT_CONCURRENT_UPDATES": str(self.concurrent_updates),
            "RISKBOT_RATE_LIMIT": "on" if paced else "off",
            "RISKBOT_LOG_LEVEL": "WARNING",
        }
        return {**os.environ, "PYTHONPATH": str(REPO), **({} if self.bare else riskbot)}


@dataclass(frozen=True)
class Setting:
    """Where a phase runs: on loopback or over a link with a round trip, paced or not."""

    name: str
    round_trip: float
    paced: bool


LOOPBACK_PACED = Setting("loopback, 30/s", 0.0, True)
LOOPBACK_FLOOD = Setting("loopback, flood", 0.0, False)
FAR_PACED = Setting("50 ms link, 30/s", ROUND_TRIP, True)
FAR_FLOOD = Setting("50 ms link, flood", ROUND_TRIP, False)


@dataclass(frozen=True)
class Flood:
    """What one phase measured: answers, the seconds they took, and each one's latency."""

    answers: int
    seconds: float
    latencies: Latencies

    @property
    def per_second(self) -> float:
        return self.answers / self.seconds


@dataclass(frozen=True)
class Phase:
    contender: Contender
    setting: Setting
    flood: Flood
    rss_started: int
    rss_after: int


def rss_bytes(pid: int) -> int:
    """Resident memory of a process, from the kernel's own account (VmRSS, in kB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


@asynccontextmanager
async def bot_process(
    contender: Contender, api: Meter, setting: Setting, workdir: Path
) -> AsyncIterator[int]:
    """The bot running and polling (its first getUpdates arrived); yields its pid."""
    async with AsyncExitStack() as stack:
        url = api.url
        if setting.round_trip:
            link = await stack.enter_async_context(Link(_port(api.url), setting.round_trip / 2))
            url = link.url
        log_path = workdir / "bot.log"
        log = stack.enter_context(log_path.open("w"))
        process = await asyncio.create_subprocess_exec(
            *contender.argv(url, api.token, setting.paced),
            env=contender.env(url, api.token, setting.paced, workdir),
            cwd=workdir,
            stdout=log,
            stderr=log,
        )
        try:
            await _started(process, api, log_path)
            yield process.pid
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), STOP_TIMEOUT)


def _port(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None
    return port


async def _started(process: asyncio.subprocess.Process, api: Meter, log_path: Path) -> None:
    polling = asyncio.ensure_future(api.wait_for("getUpdates", timeout=START_TIMEOUT))
    exited = asyncio.ensure_future(process.wait())
    await asyncio.wait({polling, exited}, return_when=asyncio.FIRST_COMPLETED)
    if exited.done():
        polling.cancel()
        raise RuntimeError(f"the bot exited at start-up:\n{log_path.read_text()}")
    exited.cancel()
    await polling


async def warm_up(api: Meter, paced: bool) -> None:
    """Answer a few messages first, so start-up costs (catalogs, caches) stay out of the figures.
    Paced, the burst has filled Telegram's 30-a-second allowance: a quiet second empties it,
    as any quiet second in production would."""
    api.expect(WARM_UP)
    for n in range(WARM_UP):
        api.send(COMMANDS[n % len(COMMANDS)], WARM_UP_MEMBERS + n)
    await api.reached(START_TIMEOUT)
    if paced:
        await asyncio.sleep(PACING_WINDOW)


async def fixed_rate(api: Meter, seconds: float, members: int) -> Flood:
    """Messages at exactly FIXED_RATE a second, by a schedule that does not drift."""
    count = int(seconds * FIXED_RATE)
    api.expect(count)
    loop = asyncio.get_running_loop()
    start = loop.time()
    for n in range(count):
        await asyncio.sleep(max(0.0, start + n / FIXED_RATE - loop.time()))
        api.send(COMMANDS[n % len(COMMANDS)], RATE_MEMBERS + n % members)
    await api.reached(seconds * 10 + START_TIMEOUT)
    return Flood(count, api.last_answer_at - api.first_sent_at, Latencies(tuple(api.latencies)))


async def saturation(api: Meter, members: int) -> Flood:
    """One message from each of `members` members, all queued at once; the clock starts when
    the last is queued (the bot can fetch nothing before that)."""
    api.expect(members)
    for n in range(members):
        api.send(COMMANDS[n % len(COMMANDS)], FLOOD_MEMBERS + n)
    queued = time.monotonic()
    await api.reached(members / MIN_FLOOD_RATE + START_TIMEOUT)
    return Flood(members, api.last_answer_at - queued, Latencies(tuple(api.latencies)))


async def measure(contender: Contender, setting: Setting, amount: float, workdir: Path) -> Phase:
    """One phase in a fresh bot process: `amount` is seconds at 30/s, or members in a flood."""
    workdir.mkdir(parents=True)
    async with Meter() as api, bot_process(contender, api, setting, workdir) as pid:
        rss_started = rss_bytes(pid)
        await warm_up(api, setting.paced)
        if setting.paced:
            flood = await fixed_rate(api, amount, members=RATE_MEMBER_COUNT)
        else:
            flood = await saturation(api, int(amount))
        return Phase(contender, setting, flood, rss_started, rss_bytes(pid))


async def run(
    contenders: tuple[Contender, ...], plan: tuple[tuple[Setting, float], ...]
) -> list[Phase]:
    """Every contender in every setting, one after another on the same machine."""
    phases = []
    with tempfile.TemporaryDirectory(prefix="riskbot-bench-") as tmp:
        for n, (setting, amount) in enumerate(plan):
            for m, contender in enumerate(contenders):
                workdir = Path(tmp) / f"{n}-{m}"
                phases.append(await measure(contender, setting, amount, workdir))
    return phases


def report(phases: list[Phase]) -> list[tuple[object, ...]]:
    """Rows of figures, each riskbot row with its ratio to the bare bot of the same setting
    and concurrency, and to the bare bot's best in that setting."""
    rows: list[tuple[object, ...]] = []
    for phase in phases:
        same = [p for p in phases if p.setting == phase.setting and p.contender.bare]
        concurrency = phase.contender.concurrent_updates
        peer = next((p for p in same if p.contender.concurrent_updates == concurrency), None)
        best = max(same, key=lambda p: p.flood.per_second, default=None)
        rows.append(
            (
                phase.setting.name,
                phase.contender.label,
                f"{phase.flood.per_second:.1f}",
                f"{phase.flood.latencies.p50_ms:.1f}",
                f"{phase.flood.latencies.p99_ms:.1f}",
                _ratio(phase, peer),
                _ratio(phase, best),
            )
        )
    return rows


def _ratio(phase: Phase, baseline: Phase | None) -> str:
    if phase.contender.bare or baseline is None:
        return "-"
    return f"{phase.flood.per_second / baseline.flood.per_second:.2f}"


HEADER = (
    "setting",
    "bot",
    "replies/s",
    "p50 ms",
    "p99 ms",
    "ratio to bare, same concurrency",
    "ratio to bare's best",
)
