"""The result object: one :class:`Report` per report text, with its tables, cells, checks and leftovers.

A Report holds plain records; the pandas frames are built on first access, so that a corpus run that
only needs the wide row of each report does not pay for frames it never looks at (nor a verdict line
for importing pandas).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from .align import UNCERTAIN
from .check import FAIL, Check
from .narrative import PlacedFigure
from .records import (
    CELL_COLUMNS,
    CELL_FIELDS,
    CHECK_COLUMNS,
    CHECK_FIELDS,
    LEFTOVER_COLUMNS,
    LEFTOVER_FIELDS,
    NARRATIVE_FIELDS,
    PlacedCell,
    PlacedLeftover,
    cell_labels,
    cell_record,
    check_record,
    figure_record,
    leftover_record,
    to_frame,
)
from .template import Edition, edition_named

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CELL_COLUMNS", "CHECK_COLUMNS", "LEFTOVER_COLUMNS", "PlacedCell", "PlacedLeftover", "Report"]


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
        labels = cell_labels(self.edition)
        return to_frame(CELL_FIELDS, [cell_record(pc, labels) for pc in self.placed_cells])

    @cached_property
    def checks(self) -> pd.DataFrame:
        """One row per rule instance evaluated: rule, severity, cells involved, expected, found, status."""
        return to_frame(CHECK_FIELDS, [check_record(c) for c in self.check_records])

    @cached_property
    def leftovers(self) -> pd.DataFrame:
        """Numbers inside table regions that are in no cell, with their position and the reason."""
        return to_frame(LEFTOVER_FIELDS, [leftover_record(p) for p in self.placed_leftovers])

    @cached_property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The statutory tables laid out as printed: official row labels × official column labels."""
        import pandas as pd

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
        return to_frame(NARRATIVE_FIELDS, [figure_record(p) for p in self.placed_figures])

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
        if edition_named(self.edition) is None or not self.complete:
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
        return edition_named(self.edition)

    def __repr__(self) -> str:
        what = f"edition={self.edition!r} year={self.year!r} body={self.body!r}"
        if not self.is_report or not self.placed_cells:
            return f"<Report {what} cells=0 reason={self.reason!r}>"
        return (f"<Report {what} cells={len(self.placed_cells)} errors={self.errors} warnings={self.warnings} "
                f"uncertain={sum(pc.cell.status == UNCERTAIN for pc in self.placed_cells)} ok={self.ok}>")

