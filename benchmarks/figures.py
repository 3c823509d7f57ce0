"""Small helpers shared by the benchmarks: percentiles, timings and aligned tables."""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (p99 of 600 samples is the 594th smallest): no smoothing,
    so a reported p99 is a latency some message really had."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Latencies:
    """Latency samples in seconds, reported in milliseconds."""

    samples: tuple[float, ...]

    @property
    def p50_ms(self) -> float:
        return percentile(self.samples, 0.50) * 1000

    @property
    def p99_ms(self) -> float:
        return percentile(self.samples, 0.99) * 1000

    @property
    def max_ms(self) -> float:
        return max(self.samples, default=math.nan) * 1000


async def timed(action: Callable[[], Awaitable[object]]) -> float:
    """Seconds one awaited call takes, by the monotonic performance counter."""
    started = time.perf_counter()
    await action()
    return time.perf_counter() - started


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain aligned table: the first column left-aligned, the figures right-aligned."""
    cells = [[str(cell) for cell in header], *[[str(cell) for cell in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        first = row[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def mebibytes(size_bytes: int) -> str:
    return f"{size_bytes / 2**20:,.1f} MiB"
