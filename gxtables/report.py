"""The result object: one :class:`Report` per report text, with its tables, cells, checks and leftovers.

A Report holds plain records; the pandas frames are built on first access, so that a corpus run that
only needs the wide row of each report does not pay for frames it never looks at.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from .align import UNCERTAIN, Cell, Leftover
from .check import FAIL, Check
from .documents.model import Origin
from .narrative import NARRATIVE_COLUMNS, PlacedFigure, vocabulary
from .template import Edition, editions

__all__ = ["CELL_COLUMNS", "CHECK_COLUMNS", "LEFTOVER_COLUMNS", "ORIGIN_COLUMNS", "Report", "origin_values"]

# Where a cell was printed in a document: table, row and column of its grid (HTML, Word, PDF), page and box (PDF).
ORIGIN_COLUMNS = ["doc_table", "doc_row", "doc_column", "page", "x0", "top", "x1", "bottom"]
CELL_COLUMNS = ["id", "table", "row", "column", "value", "status", "table_label", "row_label", "column_label",
                "unit", "marker", "text", "line", "char_start", "char_end", "reason", "candidates", *ORIGIN_COLUMNS]
CHECK_COLUMNS = ["rule", "severity", "table", "instance", "cells", "expected", "found", "status", "message"]
LEFTOVER_COLUMNS = ["table", "value", "text", "line", "char_start", "char_end", "reason"]


@dataclass
class PlacedCell:
    """A cell with its source position translated to the raw text (line, character offsets)."""

    cell: Cell
    line: int | None
    char_start: int | None
    char_end: int | None
    origin: Origin | None = None  # where a document printed it (None for text)


@dataclass
class PlacedLeftover:
    leftover: Leftover
    line: int
    char_start: int
    char_end: int


@dataclass
class Report:
    """Everything gxtables read from one report.

    ``edition`` is "2019", "2021", "pre2019" or None (not a report); ``reason`` says in plain words why
    a text gave no tables. ``cells``, ``checks``, ``leftovers`` and ``tables`` are pandas frames.
    """

    source: str | None
    is_report: bool
    edition: str | None
    year: int | None
    body: str | None
    title: str | None = None
    reason: str | None = None
    structure: str | None = None
    tables_found: tuple[str, ...] = ()
    placed_cells: list[PlacedCell] = field(default_factory=list, repr=False)
    placed_leftovers: list[PlacedLeftover] = field(default_factory=list, repr=False)
    check_records: list[Check] = field(default_factory=list, repr=False)
    notes: list[str] = field(default_factory=list, repr=False)
    published: datetime.date | None = None  # the publication date the page states
    level: str | None = None  # province, city, county, township or department (locate.LEVELS)
    kind: str | None = None  # "summary" (a government's, for its administration) or "own" (one body's)
    placed_figures: list[PlacedFigure] = field(default_factory=list, repr=False)

    # ------------------------------------------------------------------ frames
    @cached_property
    def cells(self) -> pd.DataFrame:
        """One row per cell present in the text (blank cells with NA), keyed by ``table.row.column``."""
        ed = self._edition()
        rows = {k: [] for k in CELL_COLUMNS}
        for pc in self.placed_cells:
            c = pc.cell
            table = ed.table(c.table) if ed else None
            rows["id"].append(f"{c.table}.{c.row}.{c.column}")
            rows["table"].append(c.table)
            rows["row"].append(c.row)
            rows["column"].append(c.column)
            rows["value"].append(c.value)
            rows["status"].append(c.status)
            rows["table_label"].append(table.label if table else None)
            rows["row_label"].append(table.row(c.row).label if table else None)
            rows["column_label"].append(table.column(c.column).label if table else None)
            rows["unit"].append(c.unit or (table.column(c.column).unit if table else None))
            rows["marker"].append(c.marker)
            rows["text"].append(c.text)
            rows["line"].append(pc.line)
            rows["char_start"].append(pc.char_start)
            rows["char_end"].append(pc.char_end)
            rows["reason"].append(c.reason)
            rows["candidates"].append(";".join(_fmt(v) for v in c.candidates) if c.candidates else None)
            for name, value in zip(ORIGIN_COLUMNS, origin_values(pc.origin)):
                rows[name].append(value)
        frame = pd.DataFrame(rows, columns=CELL_COLUMNS)
        frame["value"] = pd.array(frame["value"], dtype="Float64")
        for col in ("line", "char_start", "char_end", *ORIGIN_COLUMNS[:4]):
            frame[col] = pd.array(frame[col], dtype="Int64")
        for col in ORIGIN_COLUMNS[4:]:
            frame[col] = pd.array(frame[col], dtype="Float64")
        return frame

    @cached_property
    def checks(self) -> pd.DataFrame:
        """One row per rule instance evaluated: rule, severity, cells involved, expected, found, status."""
        records = [
            {"rule": c.rule, "severity": c.severity, "table": c.table, "instance": c.instance,
             "cells": ",".join(c.cells), "expected": _text(c.expected), "found": _text(c.found),
             "status": c.status, "message": c.message}
            for c in self.check_records
        ]
        return pd.DataFrame(records, columns=CHECK_COLUMNS)

    @cached_property
    def leftovers(self) -> pd.DataFrame:
        """Numbers inside table regions that are in no cell, with their position and the reason."""
        records = [
            {"table": p.leftover.table, "value": p.leftover.value, "text": p.leftover.text, "line": p.line,
             "char_start": p.char_start, "char_end": p.char_end, "reason": p.leftover.reason}
            for p in self.placed_leftovers
        ]
        return pd.DataFrame(records, columns=LEFTOVER_COLUMNS)

    @cached_property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The statutory tables laid out as printed: official row labels × official column labels."""
        ed = self._edition()
        if ed is None:
            return {}
        values = {(pc.cell.table, pc.cell.row, pc.cell.column): pc.cell.value for pc in self.placed_cells}
        out = {}
        for table in ed.tables:
            data = {}
            for col in table.columns:
                data[col.label] = pd.array([values.get((table.id, r.id, col.id)) if col.id in r.columns else None
                                            for r in table.data_rows], dtype="Float64")
            frame = pd.DataFrame(data, index=pd.Index([r.label for r in table.data_rows], name=table.label))
            out[table.id] = frame
        return out

    @cached_property
    def narrative(self) -> pd.DataFrame:
        """One row per figure stated in the prose: quantity, value, unit, sentence, start (raw offset), …

        ``scope`` tells the year's figures from cumulative ones (累计, 历年) and from another year's;
        ``approx`` marks "120余条"; ``text`` is the figure as written ("5条", "两件", "未收到"); ``detail``
        names the reason within a group when the prose gives it (本机关不掌握 within 无法提供).
        """
        labels = {q.id: q.label for q in vocabulary()}
        records = [
            {"quantity": p.figure.quantity, "value": p.figure.value, "unit": p.figure.unit, "sentence": p.sentence,
             "start": p.char_start, "end": p.char_end, "line": p.line, "scope": p.figure.scope,
             "approx": p.figure.approx, "text": p.figure.text, "detail": p.figure.detail,
             "label": labels.get(p.figure.detail or p.figure.quantity)}
            for p in self.placed_figures
        ]
        frame = pd.DataFrame(records, columns=NARRATIVE_COLUMNS)
        frame["value"] = pd.array(frame["value"], dtype="Float64")
        for col in ("start", "end", "line"):
            frame[col] = pd.array(frame[col], dtype="Int64")
        frame["approx"] = frame["approx"].astype(bool)
        return frame

    def stated(self, quantity: str) -> float | None:
        """The first figure the prose states for ``quantity`` (or a reason ``detail``) in the reporting year, or None."""
        for p in self.placed_figures:
            f = p.figure
            if quantity in (f.quantity, f.detail) and f.scope == "year" and f.value is not None:
                return f.value
        return None

    @property
    def uncertain(self) -> pd.DataFrame:
        """Cells whose placement is not settled: several placements fit the rules."""
        frame = self.cells
        return frame[frame["status"] == UNCERTAIN]

    @property
    def complete(self) -> bool:
        """Every cell of every statutory table is in the text (blank cells count as present)."""
        complete = [c for c in self.check_records if c.rule == "COMPLETE"]
        return bool(complete) and all(c.status != FAIL for c in complete)

    @property
    def ok(self) -> bool:
        """Every hard rule holds, every table is complete and no cell is uncertain."""
        if self.edition not in {e.edition for e in editions()} or not self.complete:
            return False
        if any(c.severity == "error" and c.status == FAIL for c in self.check_records):
            return False
        return not any(pc.cell.status == UNCERTAIN for pc in self.placed_cells)

    @property
    def errors(self) -> int:
        return sum(c.severity == "error" and c.status == FAIL for c in self.check_records)

    @property
    def warnings(self) -> int:
        return sum(c.severity == "warning" and c.status == FAIL for c in self.check_records)

    def _repr_html_(self) -> str:
        """Notebook view: the three tables as printed, failed cells highlighted, uncertain cells marked."""
        from .view import report_html

        return report_html(self)

    def _edition(self) -> Edition | None:
        return next((e for e in editions() if e.edition == self.edition), None)

    def __repr__(self) -> str:
        what = f"edition={self.edition!r} year={self.year!r} body={self.body!r}"
        if not self.is_report or not self.placed_cells:
            return f"<Report {what} cells=0 reason={self.reason!r}>"
        return (f"<Report {what} cells={len(self.placed_cells)} errors={self.errors} warnings={self.warnings} "
                f"uncertain={sum(pc.cell.status == UNCERTAIN for pc in self.placed_cells)} ok={self.ok}>")


def origin_values(origin: Origin | None) -> tuple:
    """The values of :data:`ORIGIN_COLUMNS` for one origin (all missing for text)."""
    if origin is None:
        return (None,) * len(ORIGIN_COLUMNS)
    return (origin.table, origin.row, origin.column, origin.page, origin.x0, origin.top, origin.x1, origin.bottom)


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _text(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, float):
        return _fmt(v)
    return str(v)
