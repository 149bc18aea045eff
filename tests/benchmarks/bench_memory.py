"""(d) Peak memory of parse_many over 10,000 and 100,000 reports: it must not grow with the corpus.

    python tests/benchmarks/bench_memory.py [--sizes 10000,100000] [--workers 2]

Each size runs in a fresh Python process that feeds parse_many a generator of texts (the bundled
reports repeated; slow ones left out and named) and samples, every 50 ms, the resident memory of
itself and of its worker processes (psutil). Peaks of the parent and of parent + workers are
printed with the ratio of the largest size to the smallest. Target: within 20%.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, repeatable_texts, repeated


def child(n: int, workers: int) -> None:
    """Run one corpus and print its peaks as JSON (the parent process reads them)."""
    import psutil

    import gxtables

    me = psutil.Process()
    peak = {"parent": 0, "total": 0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            try:
                rss = me.memory_info().rss
                kids = sum(k.memory_info().rss for k in me.children(recursive=True))
            except psutil.Error:
                continue
            peak["parent"] = max(peak["parent"], rss)
            peak["total"] = max(peak["total"], rss + kids)
            time.sleep(0.05)

    texts, slow = repeatable_texts()
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.perf_counter()
    corpus = gxtables.parse_many(repeated(texts, n), workers=workers, progress=False)
    elapsed = time.perf_counter() - t0
    stop.set()
    sampler.join()
    print(json.dumps({"n": n, "reports": len(corpus), "seconds": elapsed, "slow": slow, **peak}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        child(args.child, args.workers)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    print(machine())
    results = []
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--child", str(n), "--workers", str(args.workers)],
                             check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        results.append(r)
        print(f"{n:>8} reports: {r['seconds']:7.1f} s, peak RSS parent {r['parent'] / 2**20:7.1f} MiB, "
              f"parent + {args.workers} workers {r['total'] / 2**20:7.1f} MiB"
              + (f" (left out as slow: {', '.join(r['slow'])})" if r["slow"] else ""))
    first, last = results[0], results[-1]
    print(f"peak at {last['n']} / peak at {first['n']}: parent {last['parent'] / first['parent']:.3f}×, "
          f"parent + workers {last['total'] / first['total']:.3f}×   (target ≤ 1.20×)")


if __name__ == "__main__":
    main()
