"""Stage 6 — export: reports → long and wide frames, written as CSV or Parquet."""
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .report import CELL_COLUMNS, Report
from .template import editions

__all__ = ["SUMMARY_COLUMNS", "cell_id_order", "report_summary", "reports_to_long", "reports_to_wide", "write_frame"]

SUMMARY_COLUMNS = ["source", "body", "year", "edition", "ok", "errors", "warnings", "uncertain", "cells", "reason"]


def cell_id_order() -> list[str]:
    """Every cell id of every edition, in template order (a stable column order for wide frames)."""
    seen: dict[str, None] = {}
    for ed in editions():
        for table in ed.tables:
            for cid in table.cell_ids:
                seen.setdefault(cid, None)
    return list(seen)


def report_summary(report: Report) -> dict:
    """One report as one summary record."""
    return {
        "source": report.source,
        "body": report.body,
        "year": report.year,
        "edition": report.edition,
        "ok": report.ok,
        "errors": report.errors,
        "warnings": report.warnings,
        "uncertain": sum(pc.cell.status == "uncertain" for pc in report.placed_cells),
        "cells": len(report.placed_cells),
        "reason": report.reason,
    }


def reports_to_long(reports: Iterable[Report]) -> pd.DataFrame:
    """All cells of all reports, one row per cell, with the report's source, body, year and edition."""
    frames = []
    for rep in reports:
        cells = rep.cells
        if not len(cells):
            continue
        meta = pd.DataFrame({"source": rep.source, "body": rep.body, "year": rep.year, "edition": rep.edition},
                            index=cells.index)
        frames.append(pd.concat([meta, cells], axis=1))
    columns = ["source", "body", "year", "edition", *CELL_COLUMNS]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)
    out["year"] = pd.array(out["year"], dtype="Int64")
    return out[columns]


def reports_to_wide(reports: Iterable[Report]) -> pd.DataFrame:
    """One row per report, one column per cell id (uncertain cells left empty)."""
    order = cell_id_order()
    records = []
    for rep in reports:
        rec = {k: v for k, v in report_summary(rep).items()}
        for pc in rep.placed_cells:
            c = pc.cell
            if c.status != "uncertain":
                rec[f"{c.table}.{c.row}.{c.column}"] = c.value
        records.append(rec)
    frame = pd.DataFrame.from_records(records, columns=[*SUMMARY_COLUMNS, *order])
    for cid in order:
        frame[cid] = pd.array(frame[cid], dtype="Float64")
    frame["year"] = pd.array(frame["year"], dtype="Int64")
    return frame


def write_frame(frame: pd.DataFrame, path: str | os.PathLike, force: bool = False) -> Path:
    """Write a frame as CSV or Parquet (by the file's suffix); never overwrite unless ``force``."""
    p = Path(path)
    if p.suffix.lower() not in (".csv", ".parquet"):
        raise ValueError(f"{p}: the output must end in .csv or .parquet")
    if p.exists() and not force:
        raise FileExistsError(f"{p}: already exists (use force=True, or --force, to overwrite)")
    if p.suffix.lower() == ".csv":
        frame.to_csv(p, index=False, encoding="utf-8")
    else:
        frame.to_parquet(p, index=False)
    return p
