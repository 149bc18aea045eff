"""How real tables look: how often each row and each column of a statutory table holds a number.

The solver ranks the placements that fit the rules by these rates. They are learned from real tables
(the figures of the bundled corpus, deduplicated so that one report rendered in several styles counts
once) and kept as a row rate and a column rate per table rather than one rate per cell, so that a
handful of reports teaches the shape of real tables ("natural persons file most applications", "the
总计 column is filled on every row that has a number") without memorising any one of them.

Learn from a folder of one's own reports with ``python -m gxtables.priors --reports DIR -o priors.json``
and set ``GXTABLES_PRIORS=priors.json`` (or pass ``priors=Priors.load("priors.json")``, see
:mod:`gxtables.rates`) to use them. The bundled file is rebuilt from the source tree with
``python -m gxtables.priors data/dev data/seeds -o gxtables/priors.json``: the output is always named,
never the installed package by default.
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from .align import BLANK_STATUS, READ
from .check import PASS

__all__ = ["SMOOTHING", "expected_to_priors", "reports_to_records"]

SMOOTHING = 2.0  # pseudo-observations pulling a rate towards its table's mean rate
JEFFREYS = 0.5  # pseudo-observations on each side of a conditional rate (the Jeffreys prior)


def _sum_columns() -> dict[str, set[str]]:
    """Per table, its sum columns in any edition (see :meth:`Edition.sum_columns`)."""
    from .template import editions

    out: dict[str, set[str]] = defaultdict(set)
    for ed in editions():
        for table in ed.tables:
            out[table.id] |= ed.sum_columns(table.id)
    return out


def _tables_of(record: dict) -> dict[str, dict[str, float | None]]:
    """Cell id → value (None = blank) for each table of one expected record."""
    out: dict[str, dict[str, float | None]] = defaultdict(dict)
    for cid, v in record.get("cells", {}).items():
        out[cid.split(".")[0]][cid] = float(v)
    for cid in record.get("blank", []):
        out[cid.split(".")[0]][cid] = None
    return out


def expected_to_priors(records: list[dict]) -> dict:
    """Row and column fill rates per table from records of real figures (``expected/*.json`` files)."""
    seen: set[frozenset] = set()
    row_counts: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    col_counts: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    table_counts: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    lead_counts: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    sums = _sum_columns()
    for record in records:
        for table, cells in _tables_of(record).items():
            key = frozenset(cells.items())
            if len(cells) < 5 or key in seen:
                continue  # a fragment, or the same real table rendered in another style
            seen.add(key)
            for cid, v in cells.items():
                _, row, column = cid.split(".")
                filled = float(v is not None and v != 0)
                for counts in (row_counts[f"{table}.{row}"], col_counts[f"{table}.{column}"], table_counts[table]):
                    counts[0] += filled
                    counts[1] += 1
            _count_leads(table, cells, sums.get(table, set()), lead_counts)

    def rate(counts: list[float], mean: float) -> float:
        return round((counts[0] + SMOOTHING * mean) / (counts[1] + SMOOTHING), 4)

    means = {t: c[0] / c[1] for t, c in table_counts.items() if c[1]}
    return {
        "tables": {t: round(m, 4) for t, m in means.items()},
        "filled_row": {k: rate(c, means[k.split(".")[0]]) for k, c in sorted(row_counts.items())},
        "filled_column": {k: rate(c, means[k.split(".")[0]]) for k, c in sorted(col_counts.items())},
        "filled_when_any": {k: [round((c[0] + JEFFREYS) / (c[1] + 2 * JEFFREYS), 4), int(c[1])]
                               for k, c in sorted(lead_counts.items())},
        "reports": len(seen),
    }


def _count_leads(table: str, cells: dict[str, float | None], sums: set[str], counts: dict[str, list[float]]) -> None:
    """For each column, how often it is filled in the rows that hold any (non-sum) number.

    This is what a fill rate per cell cannot say: natural persons are among the applicants of nearly
    every row that has applicants at all, so a row printed as ``| 3 | 3 |`` puts the 3 under 自然人,
    not under 商业企业, though companies file in many reports too.
    """
    rows: dict[str, dict[str, bool]] = defaultdict(dict)
    for cid, v in cells.items():
        _, row, column = cid.split(".")
        if column not in sums:
            rows[row][column] = v is not None and v != 0
    for filled in rows.values():
        if len(filled) > 1 and any(filled.values()):
            for column, is_filled in filled.items():
                c = counts[f"{table}.{column}"]
                c[0] += is_filled
                c[1] += 1


def reports_to_records(reports) -> list[dict]:
    """Records like ``expected/*.json`` from parsed reports, one per table that was read cell by cell.

    Only tables whose every cell was *read* or printed blank (nothing inferred, nothing uncertain) and
    whose error rules all hold are taken: the priors must come from what reports print, not from what
    the solver guessed. A folder of a few thousand reports teaches far sharper rates than the bundled
    corpus (how rare a table with companies' applications and none from natural persons really is).
    """
    records = []
    for report in reports:
        by_table: dict[str, dict] = defaultdict(lambda: {"cells": {}, "blank": []})
        clean: dict[str, bool] = defaultdict(lambda: True)
        for pc in report.placed_cells:
            cell = pc.cell
            cid = f"{cell.table}.{cell.row}.{cell.column}"
            if cell.status == READ and cell.value is not None:
                by_table[cell.table]["cells"][cid] = cell.value
            elif cell.status in (READ, BLANK_STATUS):
                by_table[cell.table]["blank"].append(cid)
            else:
                clean[cell.table] = False
        for check in report.check_records:
            if check.severity == "error" and check.status != PASS and check.table:
                clean[check.table] = False
        records += [{"cells": rec["cells"], "blank": rec["blank"]} for t, rec in by_table.items() if clean[t]]
    return records


def main(argv: list[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m gxtables.priors", description="Learn how real tables look.")
    ap.add_argument("folders", nargs="+", help="folders with expected/*.json (or report texts with --reports)")
    ap.add_argument("--reports", action="store_true", help="parse the report texts under the folders and learn "
                    "from the tables read cell by cell")
    ap.add_argument("-o", "--output", required=True, help="where to write the priors (a .json file); point "
                    "GXTABLES_PRIORS at it to use them")
    args = ap.parse_args(argv)
    records = []
    if args.reports:
        from .corpus import expand_paths
        from .io import read_text
        from .pipeline import parse

        def reports():
            for folder in args.folders:
                for path in expand_paths(folder):
                    try:
                        yield parse(read_text(path), path)
                    except (OSError, ValueError):
                        continue  # unreadable files teach nothing

        records = reports_to_records(reports())
    else:
        for folder in args.folders:
            for path in sorted(Path(folder).glob("expected/*.json")):
                records.append(json.loads(path.read_text(encoding="utf-8")))
    priors = expected_to_priors(records)
    target = Path(args.output)
    target.write_text(json.dumps(priors, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{target}: {priors['reports']} real tables")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
