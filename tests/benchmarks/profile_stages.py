"""Where parse time goes: CPU time of each stage of ``parse(text).cells``, cold, on whole reports.

    python tests/benchmarks/profile_stages.py [--folder data/dev] [--pattern 'g*.txt']

As in ``bench_floor.py``: a process that has read the five seeds is forked for each text, and the
child parses the text once with every stage function of ``gxtables.pipeline`` wrapped in a timer,
then builds the ``cells`` frame (``--in-process``: one process, the memos of the texts cleared before
each text; a forked child pays for copying the pages it first writes, the frame most). Printed: each stage's share of the total, summed over the texts,
and its mean milliseconds per report (prose = locating and reading the figures of the prose; report
= the records, the offsets back to the raw text and the Report; frame = the ``cells`` frame).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DATA, cold, machine

import gxtables
from gxtables import pipeline
from gxtables.io import read_text

STAGES = {  # the names pipeline.py calls, in pipeline order
    "raw_to_normalized": "normalize",
    "normalized_to_layout": "locate",
    "region_to_tokens": "tokenize",
    "tokens_to_reading": "align",
    "solve_runs": "solve",
    "cells_to_checks": "check",
    "prose_to_figures": "prose",
    "place_figures": "prose",
    "figures_to_checks": "check",
}


def _timed_child(text: str) -> dict[str, float]:
    """Parse once with each stage timed (the stage functions are put back after)."""
    spent: dict[str, float] = defaultdict(float)
    originals = {name: getattr(pipeline, name) for name in STAGES}
    for name, stage in STAGES.items():

        def timed(*args, _real=originals[name], _stage=stage, **kwargs):
            t0 = time.process_time()
            try:
                return _real(*args, **kwargs)
            finally:
                spent[_stage] += time.process_time() - t0

        setattr(pipeline, name, timed)
    try:
        t0 = time.process_time()
        report = gxtables.parse(text)
        t1 = time.process_time()
        report.cells  # noqa: B018
        t2 = time.process_time()
    finally:
        for name, real in originals.items():
            setattr(pipeline, name, real)
    spent["report"] = (t1 - t0) - sum(spent.values())
    spent["frame"] = t2 - t1
    return dict(spent)


def _cold(text: str) -> dict[str, float]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        os.write(write, json.dumps(_timed_child(text)).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as fh:
        got = json.loads(fh.read())
    os.waitpid(pid, 0)
    return got


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folder", type=Path, default=DATA / "dev")
    ap.add_argument("--pattern", default="*.txt")
    ap.add_argument("--in-process", action="store_true", help="one process, the memos of the texts cleared before "
                    "each (no pages copied after a fork: the first frames of a forked process cost more)")
    args = ap.parse_args()
    for path in sorted((DATA / "seeds").glob("*.txt")):
        gxtables.parse(read_text(path)).cells  # noqa: B018
    paths = sorted(args.folder.glob(args.pattern))
    total: dict[str, float] = defaultdict(float)
    for path in paths:
        text = read_text(path)
        if args.in_process:
            cold()
        for stage, s in (_timed_child(text) if args.in_process else _cold(text)).items():
            total[stage] += s
    whole = sum(total.values())
    how = "in one process, memos cleared" if args.in_process else "each in a forked process"
    print(f"{machine()}; {len(paths)} texts of {args.folder.name}/{args.pattern}, cold ({how}), CPU time")
    print(f"  parse(text).cells: {whole / len(paths) * 1000:.2f} ms per report")
    order = ["normalize", "locate", "tokenize", "align", "solve", "check", "prose", "report", "frame"]
    for stage in order:
        print(f"  {stage:<10} {total[stage] / whole * 100:5.1f}%  {total[stage] / len(paths) * 1000:6.2f} ms")


if __name__ == "__main__":
    main()
