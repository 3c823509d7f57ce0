"""The storage benchmark runs against the current code: a tiny load, every answer it times."""

from __future__ import annotations

from pathlib import Path

from benchmarks import storage


async def test_the_storage_benchmark_runs_on_a_tiny_load(tmp_path: Path) -> None:
    """Bulk load, rebuild and every timed answer go through, so `python -m benchmarks` cannot
    break unnoticed (it once fed check times in as text and called an async evaluation bare)."""
    figures = await storage.measure(tmp_path / "log.sqlite3", storage.Load(5, 200, 50), 2)
    assert figures.bytes_per_check > 0
    rows = storage.report(figures)
    assert rows and all(len(row) == len(storage.HEADER) for row in rows)
