"""How real tables look: how often each row and each column of a statutory table holds a number.

The solver ranks the placements that fit the rules by these rates. They are learned from real tables
(the figures of the bundled corpus, deduplicated so that one report rendered in several styles counts
once) and kept as a row rate and a column rate per table rather than one rate per cell, so that a
handful of reports teaches the shape of real tables ("natural persons file most applications", "the
总计 column is filled on every row that has a number") without memorising any one of them.

Rebuild with ``python -m gxtables.priors data/dev data/seeds`` (writes ``gxtables/priors.json``).
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

__all__ = ["SMOOTHING", "expected_to_priors"]

SMOOTHING = 2.0  # pseudo-observations pulling a rate towards its table's mean rate


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

    def rate(counts: list[float], mean: float) -> float:
        return round((counts[0] + SMOOTHING * mean) / (counts[1] + SMOOTHING), 4)

    means = {t: c[0] / c[1] for t, c in table_counts.items() if c[1]}
    return {
        "tables": {t: round(m, 4) for t, m in means.items()},
        "filled_row": {k: rate(c, means[k.split(".")[0]]) for k, c in sorted(row_counts.items())},
        "filled_column": {k: rate(c, means[k.split(".")[0]]) for k, c in sorted(col_counts.items())},
        "reports": len(seen),
    }


def main(folders: list[str]) -> int:
    records = []
    for folder in folders:
        for path in sorted(Path(folder).glob("expected/*.json")):
            records.append(json.loads(path.read_text(encoding="utf-8")))
    priors = expected_to_priors(records)
    target = Path(__file__).with_name("priors.json")
    target.write_text(json.dumps(priors, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{target}: {priors['reports']} real tables")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
