"""`python -m benchmarks [--quick]`, from the repository root: every benchmark, its figures printed.

1. end to end: riskbot and a bare python-telegram-bot bot as processes polling the stand-in
   server, at 30 messages a second and flooded, on loopback and over a 50 ms link;
2. the engine alone: answers per second for a mix of commands, and refusals of floods;
3. storage: /stats, /journal and a /size with its feedback line over a large log (one member
   with 100,000 checks among them), and its size per check;
4. the bot's resident memory after start-up and after a flood of distinct members;
5. start-up: seconds until the bot polls, with every venue's market snapshot stored, and its
   memory then, against a bare bot started the same way.

--quick runs the same code on smaller amounts (a minute or two instead of ten).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks import e2e, engine, startup, storage
from benchmarks.figures import mebibytes, table


@dataclass(frozen=True)
class Amounts:
    paced_seconds: float
    flood_members: int
    far_paced_seconds: float
    far_flood_members: int
    engine_seconds: float
    load: storage.Load
    samples: int
    starts: int


FULL = Amounts(20, 10_000, 10, 600, 20, storage.Load(10_000, 1_000_000, 100_000), 500, 10)
QUICK = Amounts(5, 1_000, 4, 150, 5, storage.Load(1_000, 100_000, 100_000), 200, 3)

CONTENDERS = (
    e2e.Contender("bare PTB bot", bare=True, concurrent_updates=1),
    e2e.Contender("bare PTB bot", bare=True, concurrent_updates=256),
    e2e.Contender("riskbot", bare=False, concurrent_updates=1),
    e2e.Contender("riskbot", bare=False, concurrent_updates=256),
)


def section(title: str, body: str) -> None:
    print(f"\n## {title}\n\n{body}", flush=True)


async def end_to_end(amounts: Amounts) -> None:
    plan = (
        (e2e.LOOPBACK_PACED, amounts.paced_seconds),
        (e2e.LOOPBACK_FLOOD, amounts.flood_members),
        (e2e.FAR_PACED, amounts.far_paced_seconds),
        (e2e.FAR_FLOOD, amounts.far_flood_members),
    )
    phases = await e2e.run(CONTENDERS, plan)
    note = (
        f"30/s: {amounts.paced_seconds:g} s of /size at 30 a second from 300 members, with "
        "production pacing (AIORateLimiter, 30 messages a second).\n"
        f"flood: {amounts.flood_members:,} members (loopback) or "
        f"{amounts.far_flood_members:,} (50 ms link) send one /size each, all at once; pacing "
        "off for both bots (RISKBOT_RATE_LIMIT=off), or both would be held to 30 a second.\n"
        "Latency: from queueing the message at the stand-in to its answer's sendMessage.\n\n"
    )
    section("End to end", note + table(e2e.HEADER, e2e.report(phases)))
    flood = [p for p in phases if p.setting == e2e.LOOPBACK_FLOOD and not p.contender.bare]
    rows = [
        (
            p.contender.label,
            mebibytes(p.rss_started),
            mebibytes(p.rss_after),
        )
        for p in flood
    ]
    header = ("bot", "RSS after start-up", f"RSS after {amounts.flood_members:,} members")
    section("Resident memory (VmRSS)", table(header, rows))


async def storage_figures(amounts: Amounts) -> None:
    with tempfile.TemporaryDirectory(prefix="riskbot-bench-") as tmp:
        figures = await storage.measure(Path(tmp) / "log.sqlite3", amounts.load, amounts.samples)
    load = amounts.load
    note = (
        f"{load.checks:,} checks by {load.members:,} members, {load.heavy_checks:,} more by "
        f"one member and {storage.BUSY_CHECKS:,} by another; loaded in "
        f"{figures.load_seconds:.0f} s, standings computed from the rows (as riskbot migrate "
        f"does) in {figures.rebuild_seconds:.0f} s; the file is "
        f"{mebibytes(figures.size_bytes)}, {figures.bytes_per_check:.0f} bytes per check. "
        f"{amounts.samples} samples of each answer; each /size is a new check.\n\n"
    )
    section("Storage", note + table(storage.HEADER, storage.report(figures)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller amounts, same code")
    parser.add_argument(
        "--only",
        choices=("e2e", "engine", "storage", "startup"),
        help="run one benchmark (memory comes with e2e)",
    )
    args = parser.parse_args(argv)
    amounts = QUICK if args.quick else FULL
    print(f"# riskbot benchmarks ({'quick' if args.quick else 'full'})", flush=True)
    if args.only in (None, "engine"):
        rows = engine.run(amounts.engine_seconds)
        section("Engine alone (parse + evaluate + render)", table(engine.HEADER, rows))
    if args.only in (None, "storage"):
        asyncio.run(storage_figures(amounts))
    if args.only in (None, "startup"):
        starts = asyncio.run(startup.measure(amounts.starts))
        body = table(startup.HEADER, startup.report(starts)) + "\n\n" + startup.verdict(starts)
        section(f"Start-up ({amounts.starts} starts each)", body)
    if args.only in (None, "e2e"):
        asyncio.run(end_to_end(amounts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
