"""Shared helpers of the benchmarks: the bundled report texts and a timer that keeps the best of several runs."""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"


def bundled_paths() -> list[Path]:
    """Every bundled report text (seeds, dev, dev-degraded), sorted."""
    return sorted(p for p in DATA.rglob("*.txt"))


def bundled_texts() -> list[tuple[str, str]]:
    """(path, text) of every bundled report."""
    from gxtables.io import read_text

    return [(str(p), read_text(p)) for p in bundled_paths()]


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by the rest of the machine)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best
