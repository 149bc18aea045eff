"""(c) parse_many throughput on 2 worker processes against 1, on the same corpus, side by side.

    python tests/benchmarks/bench_workers.py [--reports 2000] [--rounds 2]

The corpus repeats the bundled reports (those the solver takes more than a quarter second on are
left out and named, so that one text does not decide the figure). Rounds alternate 1 and 2 workers
and the best wall time of each is kept. Target: 2 workers ≥ 1.7× the throughput of 1. The machine
has 2 cores: anything else running on it shows in the load average printed first.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, repeatable_texts

import gxtables


def run(texts: list[str], n: int, workers: int) -> float:
    corpus_texts = [texts[i % len(texts)] for i in range(n)]
    t0 = time.perf_counter()
    c = gxtables.parse_many(corpus_texts, workers=workers, progress=False)
    elapsed = time.perf_counter() - t0
    assert len(c) == n
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    texts, slow = repeatable_texts()
    print(f"{machine()}; corpus: {args.reports} reports cycling through {len(texts)} bundled texts"
          + (f" (left out as slow: {', '.join(slow)})" if slow else ""))
    best = {1: float("inf"), 2: float("inf")}
    for _ in range(args.rounds):
        for w in (1, 2):
            best[w] = min(best[w], run(texts, args.reports, w))
    for w in (1, 2):
        print(f"parse_many workers={w}: {best[w]:7.2f} s  {args.reports / best[w]:7.1f} reports/s")
    print(f"throughput 2 workers / 1 worker: {best[1] / best[2]:.2f}×   (target ≥ 1.7×)")


if __name__ == "__main__":
    main()
