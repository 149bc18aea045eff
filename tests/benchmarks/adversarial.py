"""Adversarial inputs for gxtables.parse, and a benchmark of time per MB at 10 KB … 10 MB, and of
peak memory.

    python tests/benchmarks/adversarial.py                 # every input, 10 KB … 10 MB
    python tests/benchmarks/adversarial.py --sizes 10k,1m pipes digits
    python tests/benchmarks/adversarial.py --memory --sizes 1m,5m,20m prose

Each input is a hostile payload inside a report's table 三 (see :func:`make_input`), grown to the
wanted size: parse must stay linear in the length of the text whatever the payload. Not
collected by pytest (the fuzz tests reuse :func:`make_input` at small sizes, without timing).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "data" / "dev" / "g013.txt"
TITLE = "洪泽区人民政府\n2023 年政府信息公开工作年度报告\n"
HEADING = "三、收到和处理政府信息公开申请情况\n"
LABEL = "一、本年新收政府信息公开申请数量 "

# Per input: (text before the payload, the unit repeated to the wanted size, text after it).
# The text before puts the payload inside a table region, so every stage has to go through it.
KINDS = ("pipes", "digits", "brackets", "table", "spaces", "numbers", "lines", "prose")
# Prose dense with figures: every clause states one of the quantities the narrative stage reads, the
# figures varying from sentence to sentence (so that nothing read once is read again for free).
PROSE = ("本年度主动公开政府信息{0}条，其中规范性文件{1}件。全年共收到政府信息公开申请{2}件，办结{3}件，"
         "结转下年度继续办理{4}件。予以公开{5}件，部分公开{6}件，不予公开{7}件。行政复议{8}件，行政诉讼{9}件，"
         "均获维持。未收取任何费用。\n")


def _fill(unit: str, nbytes: int) -> str:
    """``unit`` repeated to about ``nbytes`` UTF-8 bytes."""
    per = max(len(unit.encode("utf-8")), 1)
    reps = max(nbytes, 0) // per + 1
    out = unit * reps
    return out[: max(int(len(out) * nbytes / (reps * per)), 0)]


def make_input(kind: str, size: int) -> str:
    """A text of about ``size`` UTF-8 bytes: a report title and table 三 heading, then the ``kind`` payload.

    pipes: "|" without end (empty cells, colspan padding); digits: one run of digits glued to a row
    label; brackets: brackets nested without end, closed at the end; table: a whole real report
    printed again and again; spaces: a run of blanks after the title's year and in a row; numbers:
    one row holding numbers without end; lines: rows of numbers without labels, without end; prose: a
    report's prose without end, a figure every thirty bytes, and no table.
    """
    head = TITLE + HEADING
    room = size - len(head.encode("utf-8"))
    if kind == "pipes":
        return head + _fill("|", room)
    if kind == "digits":
        return head + LABEL + _fill("1", room - len(LABEL.encode("utf-8")))
    if kind == "brackets":
        return head + LABEL + "(" * (room // 2) + "规章" + ")" * (room // 2)
    if kind == "table":
        return _fill(BASE.read_text(encoding="utf-8"), size)
    if kind == "spaces":
        half = room // 2
        return ("洪泽区人民政府\n2023 年" + _fill(" \t", half) + "政府信息公开工作年度报告\n" + HEADING + LABEL
                + _fill(" \t", room - half) + "21 0 0 0 0 0 21\n")
    if kind == "numbers":
        return head + LABEL + _fill("0 ", room)
    if kind == "lines":
        return head + _fill("| 0 | 0 |\n", room)
    if kind == "prose":
        return TITLE + _prose(size - len(TITLE.encode("utf-8")))
    raise ValueError(f"unknown input {kind!r}; one of {', '.join(KINDS)}")


def _prose(nbytes: int) -> str:
    """Sentences of :data:`PROSE` to about ``nbytes`` UTF-8 bytes."""
    out, n, k = [], 0, 0
    while n < nbytes:
        sentence = PROSE.format(*(k % m for m in (997, 13, 101, 89, 7, 53, 11, 5, 3, 2)))
        out.append(sentence)
        n += len(sentence.encode("utf-8"))
        k += 1
    return "".join(out)


def _size(text: str) -> str:
    n = len(text.encode("utf-8"))
    return f"{n / 1e6:.2f} MB" if n >= 1e6 else f"{n / 1e3:.0f} KB"


def _parse_size(s: str) -> int:
    s = s.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(s[-1], 1)
    return int(float(s.rstrip("km")) * mult)


def _growth(rows: list[tuple[int, float]]) -> float:
    """How much the time per MB grows from any size to a larger one: about 1 when linear, ≫ 1 when not.

    Time per MB may fall with size (a report's fixed costs, and the cap on a table region's length);
    only a rise means super-linear time.
    """
    per_mb = [t / (n / 1e6) for n, t in sorted(rows)]
    return max([1.0] + [per_mb[j] / per_mb[i] for i in range(len(per_mb)) for j in range(i + 1, len(per_mb))])


def run(kinds: list[str], sizes: list[int], budget: float = 1.0) -> dict[str, list[tuple[int, float]]]:
    """Time ``gxtables.parse`` on every input (best of repeats within ``budget`` seconds per point)."""
    import gxtables

    gxtables.parse(make_input("table", 10_000))  # templates and vocabulary loaded once, before any timing
    results: dict[str, list[tuple[int, float]]] = {}
    for kind in kinds:
        rows = []
        for size in sizes:
            text = make_input(kind, size)
            nbytes = len(text.encode("utf-8"))
            best, spent, runs = float("inf"), 0.0, 0
            while runs < 1 or (spent < budget and runs < 20):
                t0 = time.perf_counter()
                report = gxtables.parse(text, max_chars=0)
                dt = time.perf_counter() - t0
                best, spent, runs = min(best, dt), spent + dt, runs + 1
            rows.append((nbytes, best))
            print(f"{kind:9} {_size(text):>9}  {best:8.4f} s  {best / (nbytes / 1e6):7.3f} s/MB  "
                  f"cells={len(report.placed_cells):3} leftovers={len(report.placed_leftovers)}", flush=True)
        per_mb = [t / (n / 1e6) for n, t in rows]
        print(f"{kind:9} time per MB: max/min = {max(per_mb) / min(per_mb):.2f}, growth = {_growth(rows):.2f}", flush=True)
        results[kind] = rows
    return results


def _peak_child(kind: str, size: int) -> None:
    """In a process of its own: parse one input once, print the peak resident memory as JSON (MB):
    the whole process's, and what it was with the input built, before parsing."""
    import resource

    import gxtables

    gxtables.parse(make_input("table", 10_000))  # templates and vocabulary loaded: what every parse shares
    text = make_input(kind, size)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    gxtables.parse(text, max_chars=0)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / 1024 / 1024  # KB on Linux, bytes on macOS
    print(json.dumps({"bytes": len(text.encode("utf-8")), "seconds": seconds, "peak_mb": peak * scale,
                      "before_mb": before * scale}))


def memory(kinds: list[str], sizes: list[int]) -> dict[str, list[tuple[int, float, float]]]:
    """Peak resident memory of one parse of each input, each in a fresh process (a high-water mark
    cannot be reset within one): (bytes, seconds, peak MB)."""
    results: dict[str, list[tuple[int, float, float]]] = {}
    for kind in kinds:
        for size in sizes:
            out = subprocess.run([sys.executable, __file__, "--peak-child", kind, str(size)], check=True,
                                 capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            results.setdefault(kind, []).append((r["bytes"], r["seconds"], r["peak_mb"]))
            print(f"{kind:9} {r['bytes'] / 1e6:7.2f} MB  {r['seconds']:7.2f} s  {r['seconds'] / (r['bytes'] / 1e6):6.3f} s/MB  "
                  f"peak {r['peak_mb']:6.0f} MB (input built: {r['before_mb']:.0f} MB)", flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kinds", nargs="*", default=list(KINDS), help=f"inputs to time, of {', '.join(KINDS)}")
    ap.add_argument("--sizes", default="10k,100k,1m,10m", help="input sizes in bytes (k, m suffixes)")
    ap.add_argument("--budget", type=float, default=1.0, help="seconds of repeats per point (best is kept)")
    ap.add_argument("--memory", action="store_true", help="peak resident memory of one parse per point, in a "
                    "fresh process each, instead of the best time")
    ap.add_argument("--peak-child", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.peak_child:
        _peak_child(args.peak_child[0], int(args.peak_child[1]))
        return 0
    unknown = set(args.kinds) - set(KINDS)
    if unknown:
        ap.error(f"unknown input(s): {', '.join(sorted(unknown))}")
    if args.memory:
        memory(args.kinds, [_parse_size(s) for s in args.sizes.split(",")])
        return 0
    results = run(args.kinds, [_parse_size(s) for s in args.sizes.split(",")], args.budget)
    growth = {k: _growth(r) for k, r in results.items()}
    worst = max(growth, key=growth.get)
    print(f"worst growth of time per MB from a smaller to a larger input: {growth[worst]:.2f} ({worst}); linear ≤ 3")
    return 0


if __name__ == "__main__":
    sys.exit(main())
