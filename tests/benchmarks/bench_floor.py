"""(a) gxtables.parse against two floors: a regex pass that only finds the numbers, and a minimal pipe reader.

    python tests/benchmarks/bench_floor.py [--repeat 5] [--folder data/dev] [--mode spawn|fork|memos]

Two measures, both printed:

* **cold, each text of ``--folder`` once** (default ``data/dev``, whole reports) — as a corpus run
  sees a report: after other reports (the five seeds: templates, priors, converters and patterns
  loaded), ``parse(text).cells`` is timed once, nothing memoised from the text itself surviving.
  ``--mode spawn`` (default): a new interpreter per text, warmed up on the seeds; ``fork``: a child
  forked from one warm process per text (it pays for copying every page of memory it first writes,
  a third of its time or more); ``memos``: one warm process, the memos of the texts cleared before
  each (what a long-running worker sees). Beside it this process times the *pipe reader* floor on the
  same text (best of ``--repeat``, memoising nothing): each line split on ``|`` and the numbers of
  each cell found, the least a reader of clean markdown tables does. Figures: mean ms per report and
  the ratio parse / pipe reader, over all texts and over the ``g*`` ones (clean tables). Target:
  half of the ratio measured when the benchmark was written (issue 15: 52×).
* **warm, best of ``--repeat``** — every bundled text (seeds, dev, dev-degraded), memos of the texts
  cleared before each pass, against one ``RE_NUMBER`` pass (same regex engine) converting every match
  to a float; the plain ``re`` pass is printed for reference. Target: within 15× of the floor.

CPU time of the process doing the work, so that other load on the machine counts little.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DATA, best_of, bundled_texts, machine
from _common import cold as cold_memos

import gxtables
from gxtables.io import read_text
from gxtables.tokenize import RE_NUMBER

RE_PLAIN = re.compile(r"\d+(?:\.\d+)?")  # digits with an optional decimal part, stdlib engine


def floor(texts: list[str]) -> None:
    for t in texts:
        [float(m["num"].replace(",", "")) for m in RE_NUMBER.finditer(t)]


def floor_plain(texts: list[str]) -> None:
    for t in texts:
        [float(x) for x in RE_PLAIN.findall(t)]


def pipe_reader(text: str) -> list[list[list[float]]]:
    """The least a reader of pipe tables does: each line split on ``|``, the numbers of each cell."""
    return [[[float(x) for x in RE_PLAIN.findall(cell)] for cell in line.split("|")] for line in text.splitlines()]


def parse_all(texts: list[str]) -> None:
    for t in texts:
        gxtables.parse(t)


def _warm_up() -> None:
    """Read other reports first, as a corpus run has: templates, priors, converters and patterns loaded."""
    for path in sorted((DATA / "seeds").glob("*.txt")):
        gxtables.parse(read_text(path)).cells  # noqa: B018


def _timed_parse(text: str) -> float:
    t0 = time.process_time()
    gxtables.parse(text).cells  # noqa: B018 — the frame a user reads is part of the cost
    return time.process_time() - t0


def _forked_parse(text: str) -> float:
    """CPU seconds of ``parse(text).cells`` once, in a child forked from this warm process."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        os.write(write, json.dumps(_timed_parse(text)).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as fh:
        got = json.loads(fh.read())
    os.waitpid(pid, 0)
    return got


def _spawned_parse(path: Path) -> float:
    """CPU seconds of ``parse(text).cells`` once, in a new interpreter warmed up on the seeds."""
    done = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def _memo_free_parse(text: str) -> float:
    """CPU seconds of ``parse(text).cells`` once, in this process, the memos of earlier texts cleared."""
    cold_memos()
    return _timed_parse(text)


MODES = {
    "spawn": "each text once in a new interpreter warmed up on the seeds",
    "fork": "each text once in a child forked from a warm process (pays for copying the pages it writes)",
    "memos": "each text once in one warm process, the memos of the texts cleared before each",
}


def cold(folder: Path, repeat: int, mode: str) -> None:
    if mode != "spawn":
        _warm_up()
    paths = sorted(folder.glob("*.txt"))
    rows = []
    for path in paths:
        text = read_text(path)
        took = (_spawned_parse(path) if mode == "spawn" else _forked_parse(text) if mode == "fork"
                else _memo_free_parse(text))
        # the floor here (it memoises nothing), right after the text's parse: both under the same load
        rows.append((path.name, took, best_of(lambda text=text: pipe_reader(text), repeat)))

    def line(label: str, picked: list[tuple[str, float, float]]) -> str:
        if not picked:
            return f"{label}: no texts"
        p, f = sum(r[1] for r in picked), sum(r[2] for r in picked)
        median = statistics.median(r[1] / r[2] for r in picked)
        return (f"{label:<14} {len(picked):3d} texts: parse(text).cells {p / len(picked) * 1000:7.2f} ms/report, "
                f"pipe reader {f / len(picked) * 1000:6.3f} ms/report, ratio {p / f:6.1f}× (median per text {median:.1f}×)")

    print(f"cold ({MODES[mode]}), {folder.relative_to(DATA.parent)}:")
    print("  " + line("all", rows))
    print("  " + line("g* texts", [r for r in rows if r[0].startswith("g")]))
    rows.sort(key=lambda r: -r[1])
    print("  slowest: " + ", ".join(f"{n} {p * 1000:.0f} ms" for n, p, _ in rows[:5]))


def warm(repeat: int) -> None:
    named = bundled_texts()
    texts = [t for _, t in named]
    parse_all(texts)  # warm caches (templates, OpenCC) outside the timing
    chars = sum(len(t) for t in texts)
    f = best_of(lambda: floor(texts), repeat)
    fp = best_of(lambda: floor_plain(texts), repeat)
    p = best_of(lambda: parse_all(texts), repeat)
    per = [(best_of(lambda t=t: gxtables.parse(t), repeat), name) for name, t in named]
    print(f"warm, {len(texts)} bundled texts, {chars} characters, best of {repeat} (memos of the texts cleared):")
    print(f"  floor  (RE_NUMBER pass): {f * 1000:9.2f} ms  {len(texts) / f:10.0f} texts/s")
    print(f"  floor  (plain re pass) : {fp * 1000:9.2f} ms  {len(texts) / fp:10.0f} texts/s")
    print(f"  gxtables.parse         : {p * 1000:9.2f} ms  {len(texts) / p:10.0f} texts/s")
    print(f"  ratio parse / floor    : {p / f:9.1f}×   (target ≤ 15×; vs plain re: {p / fp:.1f}×)")
    per.sort(reverse=True)
    print(f"  the slowest text alone ({per[0][1]}) takes {per[0][0] * 1000:.0f} ms of it")
    print("  slowest texts: " + ", ".join(f"{n} {s * 1000:.1f} ms" for s, n in per[:5]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--folder", type=Path, default=DATA / "dev", help="whole reports for the cold measure")
    ap.add_argument("--mode", choices=list(MODES), default="spawn", help="how each text is kept cold (default spawn)")
    ap.add_argument("--cold-only", action="store_true")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # one spawned measurement
    args = ap.parse_args()
    if args.child:
        _warm_up()
        print(_timed_parse(read_text(args.child)))
        return
    print(f"{machine()}; CPU time")
    cold(args.folder.resolve(), args.repeat, args.mode)
    if not args.cold_only:
        warm(args.repeat)


if __name__ == "__main__":
    main()
