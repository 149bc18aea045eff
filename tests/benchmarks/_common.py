"""Shared helpers of the benchmarks: the bundled report texts, corpora built by repeating them, a timer."""
from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"
SLOW = 0.25  # seconds: a text the solver takes this long on is left out of repeated corpora (and named)


def bundled_paths() -> list[Path]:
    """Every bundled report text (seeds, dev, dev-degraded), sorted."""
    return sorted(DATA.rglob("*.txt"))


def bundled_texts() -> list[tuple[str, str]]:
    """(path, text) of every bundled report."""
    from gxtables.io import read_text

    return [(str(p.relative_to(DATA)), read_text(p)) for p in bundled_paths()]


def cold() -> None:
    """Forget what earlier passes memoised from the texts themselves (cell and line readings, label
    searches, header orders, figure windows), so that a repeated pass over the same texts gains
    nothing a first pass would not. What depends on the templates alone stays."""
    from gxtables import align, narrative, tokenize

    for memo in (tokenize._cell_reading, tokenize._line_reading, align._matcher, align._header_order,
                 narrative._windows):
        memo.cache_clear()


def best_of(fn: Callable[[], object], repeat: int = 5, clock: Callable[[], float] = time.process_time) -> float:
    """The fastest of ``repeat`` runs, each started cold, in seconds of this process's CPU time by
    default (other work on the machine slows the wall clock, not this)."""
    best = float("inf")
    for _ in range(repeat):
        cold()
        t0 = clock()
        fn()
        best = min(best, clock() - t0)
    return best


def machine() -> str:
    """Cores and load, printed with every figure: the benchmarks share the machine with whatever runs."""
    import os

    return f"{os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"


def repeatable_texts() -> tuple[list[str], list[str]]:
    """The bundled texts a repeated corpus is built from, and the names of those left out as too slow
    (CPU time, best of two parses, so that a pause of the machine does not leave a text out)."""
    import gxtables

    keep, slow = [], []
    for name, text in bundled_texts():
        if best_of(lambda text=text: gxtables.parse(text), 2) > SLOW:
            slow.append(name)
        else:
            keep.append(text)
    return keep, slow


def repeated(texts: list[str], n: int) -> Iterator[str]:
    """``n`` report texts made by cycling through ``texts``, generated one at a time (never a list)."""
    return itertools.islice(itertools.cycle(texts), n)
