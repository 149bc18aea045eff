"""Benchmark: place the numbers of tables whose blank cells were dropped, and measure how honest it is.

Run by hand (not collected by pytest):  python tests/benchmarks/degraded.py [N_REPORTS] [WORKERS]

Random valid table sets are drawn like real ones (most applications from natural persons, a few from
companies and law firms, zeros mostly blank), rendered a row per line with every blank cell dropped
(``| 3 | 3 |`` for a row of seven), and parsed back. Each report holds three tables. For every cell
that the text shows (a number) or that was blank, it counts: right (read or inferred, correct value),
inferred, uncertain (several placements fit; not a claim), and wrong-but-not-uncertain (a wrong value
that gxtables did not mark uncertain — the figure that must stay under 0.1%). Also the uncertain share
among the cells of rows that lost blanks, and the time per table.
"""
from __future__ import annotations

import random
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from render import edition, random_values, render_report

import gxtables

STYLES = ("row", "markdown", "cells")


def _draw(seed: int) -> tuple[str, dict[str, float | None], set[str]]:
    """One report: its text, its true cells (None = blank), and the cells of rows that lost blanks."""
    rng = random.Random(seed)
    ed = edition(rng.choice(["2019", "2021"]))
    values = random_values(ed, rng)
    mode = rng.random()
    for cid, v in list(values.items()):
        table, _, column = cid.split(".")
        if v != 0:
            continue
        if mode < 0.7:
            values[cid] = None  # every zero left blank
        elif mode < 0.9 and not (table == "applications" and column in ("natural_person", "total")):
            values[cid] = None  # zeros printed only in the columns the report always fills
    text = render_report(ed, values, rng.choice(STYLES), seed=seed, drop_blanks=True)
    lost = set()
    rows: dict[str, list[str]] = {}
    for cid in values:
        rows.setdefault(cid.rsplit(".", 1)[0], []).append(cid)
    for cells in rows.values():
        if any(values[c] is None for c in cells):
            lost.update(cells)
    return text, values, lost


def _measure(seed: int) -> Counter:
    text, truth, lost = _draw(seed)
    t0 = time.perf_counter()
    report = gxtables.parse(text)
    elapsed = time.perf_counter() - t0
    got = {f"{pc.cell.table}.{pc.cell.row}.{pc.cell.column}": (pc.cell.value, pc.cell.status) for pc in report.placed_cells}
    out: Counter = Counter(tables=3, seconds=elapsed)
    for cid, want in truth.items():
        value, status = got.get(cid, (None, "absent"))
        out["cells"] += 1
        out["lost_cells"] += cid in lost
        if status == "uncertain":
            out["uncertain"] += 1
            out["lost_uncertain"] += cid in lost
            continue
        right = (value is None and want is None) or (value is not None and want is not None and abs(value - want) < 1e-9)
        out["right"] += right
        out["inferred"] += status == "inferred"
        out["wrong_not_uncertain"] += not right
    return out


def main(n_reports: int = 3400, workers: int = 2) -> None:
    t0 = time.perf_counter()
    total: Counter = Counter()
    with ProcessPoolExecutor(workers) as pool:
        for part in pool.map(_measure, range(n_reports), chunksize=20):
            total.update(part)
    wall = time.perf_counter() - t0
    cells = total["cells"]
    print(f"reports={n_reports} tables={total['tables']} cells={cells} workers={workers}")
    print(f"right={total['right'] / cells:.4f} inferred={total['inferred'] / cells:.4f} "
          f"uncertain={total['uncertain'] / cells:.4f} wrong_not_uncertain={total['wrong_not_uncertain'] / cells:.5f}")
    print(f"uncertain share of the cells of rows that lost blanks: "
          f"{total['lost_uncertain'] / max(total['lost_cells'], 1):.4f} ({total['lost_cells']} cells)")
    print(f"time per table: {total['seconds'] / total['tables'] * 1000:.1f} ms (parse only), wall {wall:.0f} s")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*args)
