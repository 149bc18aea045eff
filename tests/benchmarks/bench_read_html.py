"""(b) gxtables.parse on the text against pandas.read_html on the HTML of the same tables.

    python tests/benchmarks/bench_read_html.py [--repeat 5]

For every bundled report whose three tables gxtables finds, the tables are rendered to HTML in their
printed layout (``gxtables.view.tables_html``: merged header cells, nested row labels, one page per
report). read_html (lxml) only turns those HTML tables into frames; parse reads the flattened text,
places every number in its cell and checks the rules. Target: parse ≥ 2× faster. CPU time, best of
``--repeat``, measured side by side in this run.
"""
from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandas as pd
from _common import best_of, bundled_texts, machine

import gxtables
from gxtables.view import tables_html


def page(report) -> str:
    """A report page holding only its statutory tables, as a site would serve them."""
    title = report.title or "政府信息公开工作年度报告"
    return f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><h1>{title}</h1>{tables_html(report, marks=False)}</body></html>"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    pairs = []
    for name, text in bundled_texts():
        rep = gxtables.parse(text)
        if len(rep.tables_found) == 3:
            pairs.append((name, text, page(rep), rep.ok))
    for _, text, html, _ in pairs:  # warm both (lxml, templates, OpenCC) outside the timing
        gxtables.parse(text)
        pd.read_html(io.StringIO(html), flavor="lxml")
    tables = sum(len(pd.read_html(io.StringIO(h), flavor="lxml")) for _, _, h, _ in pairs)
    t_html = best_of(lambda: [pd.read_html(io.StringIO(h), flavor="lxml") for _, _, h, _ in pairs], args.repeat)
    t_parse = best_of(lambda: [gxtables.parse(t) for _, t, _, _ in pairs], args.repeat)
    print(f"{machine()}; {len(pairs)} bundled reports with all three tables ({tables} HTML tables), CPU time, best of {args.repeat}")
    print(f"pandas.read_html (lxml) : {t_html * 1000:9.1f} ms  {len(pairs) / t_html:8.0f} reports/s")
    print(f"gxtables.parse (text)   : {t_parse * 1000:9.1f} ms  {len(pairs) / t_parse:8.0f} reports/s")
    print(f"ratio read_html / parse : {t_html / t_parse:9.2f}×   (target ≥ 2×)")
    # the same split by verdict: ok, or not (rules broken in print, or dropped cells the solver had to place)
    for label, want in (("ok reports", True), ("not-ok reports", False)):
        part = [(t, h) for _, t, h, ok in pairs if ok is want]
        if part:
            th = best_of(lambda part=part: [pd.read_html(io.StringIO(h), flavor="lxml") for _, h in part], args.repeat)
            tp = best_of(lambda part=part: [gxtables.parse(t) for t, _ in part], args.repeat)
            print(f"  {label:18} ({len(part):2}): read_html {th / len(part) * 1000:6.1f} ms, parse {tp / len(part) * 1000:6.1f} ms "
                  f"per report, ratio {th / tp:5.2f}×")


if __name__ == "__main__":
    main()
