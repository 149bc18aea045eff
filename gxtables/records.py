"""The record layer: the columns, types and Arrow schema of every frame, and each record built once.

A report's frames (``Report.cells``, ``checks``, ``leftovers``, ``narrative``), the parts of a corpus,
the cross-year checks and the exports are all made here from the same records, so that a column is
named, ordered and typed in one place: a report read alone and the same report read in a corpus give
the same rows with the same types. Missing values are ``pd.NA`` throughout (nullable integer, float,
boolean and string columns), whatever a frame happens to hold. pandas and pyarrow are imported when the
first frame or schema is built: records themselves are plain tuples and dicts.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import regex

from .align import UNCERTAIN, Cell, Leftover
from .check import Check
from .documents.model import Origin
from .narrative import PlacedFigure
from .normalize import RE_SURROGATE, body_key
from .numerals import format_number
from .template import edition_named, editions
from .vocabulary import quantity_labels

if TYPE_CHECKING:  # types only: a Report is built from these records, never the other way round
    import pandas as pd
    import pyarrow as pa

    from .report import Report

__all__ = [
    "CELL_COLUMNS",
    "CHECK_COLUMNS",
    "CODEBOOK_COLUMNS",
    "CORPUS_SUMMARY_COLUMNS",
    "CROSS_CHECK_COLUMNS",
    "LEFTOVER_COLUMNS",
    "NARRATIVE_COLUMNS",
    "ORIGIN_COLUMNS",
    "SUMMARY_COLUMNS",
    "PlacedCell",
    "PlacedLeftover",
    "cell_id_order",
    "cell_labels",
    "cell_record",
    "check_record",
    "escape_source",
    "figure_record",
    "leftover_record",
    "schema",
    "summary_record",
    "to_frame",
    "to_pandas",
    "to_table",
    "unescape_source",
    "value_text",
    "wide_record",
]

# The column types, by their Arrow names: pandas and pyarrow are imported when a frame or a schema is
# first built, so that reading reports and printing verdicts never pays for them.
STRING, INT, FLOAT, BOOL = "string", "int64", "float64", "bool"
Fields = tuple[tuple[str, str], ...]  # (column, type name) in column order

CELL_FIELDS: Fields = (
    ("id", STRING), ("table", STRING), ("row", STRING), ("column", STRING), ("value", FLOAT), ("status", STRING),
    ("table_label", STRING), ("row_label", STRING), ("column_label", STRING), ("unit", STRING), ("marker", STRING),
    ("text", STRING), ("line", INT), ("char_start", INT), ("char_end", INT), ("reason", STRING),
    ("candidates", STRING),
    # where a document printed the cell: its grid's table, row and column (HTML, Word, PDF); page and box (PDF)
    ("doc_table", INT), ("doc_row", INT), ("doc_column", INT), ("page", INT),
    ("x0", FLOAT), ("top", FLOAT), ("x1", FLOAT), ("bottom", FLOAT),
)
CHECK_FIELDS: Fields = tuple((c, STRING) for c in ("rule", "severity", "table", "instance", "cells", "expected", "found",
                                                   "status", "message"))
LEFTOVER_FIELDS: Fields = (("table", STRING), ("value", FLOAT), ("text", STRING), ("line", INT), ("char_start", INT),
                           ("char_end", INT), ("reason", STRING))
NARRATIVE_FIELDS: Fields = (
    ("quantity", STRING), ("value", FLOAT), ("unit", STRING), ("sentence", STRING), ("start", INT), ("end", INT),
    ("line", INT), ("scope", STRING), ("approx", BOOL), ("text", STRING), ("detail", STRING), ("label", STRING),
)
# One report in one row: the summary columns of the wide frame and of the exports.
SUMMARY_FIELDS: Fields = (
    ("source", STRING), ("body", STRING), ("year", INT), ("edition", STRING), ("ok", BOOL), ("errors", INT),
    ("warnings", INT), ("uncertain", INT), ("cells", INT), ("reason", STRING),
)
# One input of a corpus in one row: the report's summary, what was found, and the error of an unreadable input.
CORPUS_SUMMARY_FIELDS: Fields = (
    ("report", INT), ("source", STRING), ("body", STRING), ("year", INT), ("edition", STRING), ("is_report", BOOL),
    ("ok", BOOL), ("errors", INT), ("warnings", INT), ("uncertain", INT), ("cells", INT), ("leftovers", INT),
    ("tables", STRING), ("reason", STRING), ("error", STRING), ("body_key", STRING), ("source_escaped", BOOL),
)
CROSS_CHECK_FIELDS: Fields = (
    ("rule", STRING), ("severity", STRING), ("body_key", STRING), ("year", INT), ("report", INT), ("source", STRING),
    ("body", STRING), ("prev_year", INT), ("prev_report", INT), ("prev_source", STRING), ("prev_body", STRING),
    ("instance", STRING), ("cells", STRING), ("expected", STRING), ("found", STRING), ("status", STRING),
    ("message", STRING),
)
CODEBOOK_FIELDS: Fields = tuple((c, INT if c == "position" else STRING) for c in (
    "id", "edition", "position", "table", "row", "column", "table_label", "row_label", "column_label", "block", "type",
    "unit", "english", "table_en", "row_en", "column_en"))
# The report a row of a corpus frame comes from, before the report's own columns.
_REPORT_KEY: Fields = (("report", INT), ("source", STRING))
_REPORT_META: Fields = (("body", STRING), ("year", INT), ("edition", STRING))
LONG_FIELDS: Fields = (("source", STRING), *_REPORT_META, *CELL_FIELDS)  # cells of many reports

CELL_COLUMNS = [c for c, _ in CELL_FIELDS]
ORIGIN_COLUMNS = CELL_COLUMNS[CELL_COLUMNS.index("doc_table"):]
CHECK_COLUMNS = [c for c, _ in CHECK_FIELDS]
LEFTOVER_COLUMNS = [c for c, _ in LEFTOVER_FIELDS]
NARRATIVE_COLUMNS = [c for c, _ in NARRATIVE_FIELDS]
SUMMARY_COLUMNS = [c for c, _ in SUMMARY_FIELDS]
CORPUS_SUMMARY_COLUMNS = [c for c, _ in CORPUS_SUMMARY_FIELDS]
CROSS_CHECK_COLUMNS = [c for c, _ in CROSS_CHECK_FIELDS]
CODEBOOK_COLUMNS = [c for c, _ in CODEBOOK_FIELDS]


@lru_cache(maxsize=1)
def _cell_ids() -> tuple[str, ...]:
    return tuple(dict.fromkeys(cid for ed in editions() for table in ed.tables for cid in table.cell_ids))


def cell_id_order() -> list[str]:
    """Every cell id of every edition, in template order (a stable column order for wide frames)."""
    return list(_cell_ids())


@lru_cache(maxsize=1)
def _corpus_fields() -> dict[str, Fields]:
    wide = (("report", INT), *SUMMARY_FIELDS, *((cid, FLOAT) for cid in _cell_ids()))
    return {"summary": CORPUS_SUMMARY_FIELDS, "cells": (*_REPORT_KEY, *_REPORT_META, *CELL_FIELDS),
            "checks": (*_REPORT_KEY, *CHECK_FIELDS), "leftovers": (*_REPORT_KEY, *LEFTOVER_FIELDS), "wide": wide}


@lru_cache(maxsize=8)
def schema(frame: str) -> pa.Schema:
    """The Arrow schema of one stored frame of a corpus: the same in every part, so parts always stack."""
    import pyarrow as pa

    return pa.schema([(name, pa.type_for_alias(kind)) for name, kind in _corpus_fields()[frame]])


def wide_fields() -> Fields:
    """The columns of a wide frame of reports (the corpus's without its ``report`` key)."""
    return _corpus_fields()["wide"][1:]


# ----------------------------------------------------------------------------- names
# What is escaped in a name that holds lone surrogates: each surrogate, and the backslash, so that
# the escapes can be told from the name's own characters.
RE_SOURCE_ESCAPE = regex.compile("[\\\\\ud800-\udfff]")
# An escape written by escape_source: a doubled backslash, a byte, a surrogate.
RE_SOURCE_UNESCAPE = regex.compile(r"\\(?:\\|x[0-9a-f]{2}|u[0-9a-f]{4})")


def _escape_char(m: regex.Match) -> str:
    code = ord(m[0])
    if m[0] == "\\":
        return "\\\\"
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def escape_source(name: str | None) -> str | None:
    """A name as text every encoder accepts. A file name that is not valid UTF-8 (GBK bytes from a
    Windows archive) comes from the file system with its bad bytes as lone surrogates
    (``os.fsdecode``), which no file or Arrow column can hold: each such byte is written ``\\xNN``,
    any other lone surrogate ``\\uDNNN``, and a backslash of the name ``\\\\``. Names without
    surrogates are returned unchanged. :func:`unescape_source` gives the name back exactly."""
    if name is None or not RE_SURROGATE.search(name):
        return name
    return RE_SOURCE_ESCAPE.sub(_escape_char, name)


def source_escaped(name: str | None) -> bool:
    """Whether :func:`escape_source` changes ``name`` (the ``source_escaped`` column of a corpus)."""
    return name is not None and RE_SURROGATE.search(name) is not None


def _unescape(m: regex.Match) -> str:
    return "\\" if m[0] == "\\\\" else chr((0xDC00 if m[0][1] == "x" else 0) + int(m[0][2:], 16))


def unescape_source(text: str) -> str:
    """The name :func:`escape_source` escaped, exactly: ``open(unescape_source(row.source), "rb")`` opens
    the file of a row whose ``source_escaped`` is true."""
    return RE_SOURCE_UNESCAPE.sub(_unescape, text)


# ----------------------------------------------------------------------------- frames
@lru_cache(maxsize=1)
def _pandas_types() -> dict:
    """Type name → the nullable pandas dtype of its columns (``pd.NA`` for a missing value)."""
    import pandas as pd

    return {INT: pd.Int64Dtype(), FLOAT: pd.Float64Dtype(), BOOL: pd.BooleanDtype(), STRING: pd.StringDtype("pyarrow")}


@lru_cache(maxsize=1)
def _arrow_to_pandas() -> dict:
    """Arrow type → the pandas dtype :func:`to_frame` gives the same column."""
    import pyarrow as pa

    return {pa.type_for_alias(kind): dtype for kind, dtype in _pandas_types().items()}


def to_frame(fields: Fields, rows: list) -> pd.DataFrame:
    """Rows (sequences in the fields' order) as a frame with the fields' types, each column built once
    with its type (a frame built untyped and converted after pays for every column twice)."""
    if not rows:  # a copy of the empty frame costs a tenth of building it
        return _empty_frame(fields).copy()
    return _build_frame(fields, rows)


@lru_cache(maxsize=32)
def _empty_frame(fields: Fields) -> pd.DataFrame:
    return _build_frame(fields, [])


def _build_frame(fields: Fields, rows: list) -> pd.DataFrame:
    import pandas as pd
    import pyarrow as pa

    dtypes = _pandas_types()
    columns = zip(*rows, strict=True) if rows else [()] * len(fields)
    data = {}
    for (name, kind), values in zip(fields, columns, strict=True):
        data[name] = (pd.arrays.ArrowStringArray(pa.array(values, pa.string())) if kind == STRING
                      else pd.array(values, dtype=dtypes[kind]))
    return pd.DataFrame(data, copy=False)


def to_table(frame: str, rows: list) -> pa.Table:
    """Rows of one corpus frame as an Arrow table with the frame's schema."""
    import pyarrow as pa

    sch = schema(frame)
    if not rows:
        return sch.empty_table()
    return pa.Table.from_arrays([pa.array(values, f.type) for values, f in zip(zip(*rows, strict=True), sch, strict=True)],
                                schema=sch)


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """Arrow → pandas with the same nullable types :func:`to_frame` gives."""
    return table.to_pandas(types_mapper=_arrow_to_pandas().get)


# ----------------------------------------------------------------------------- records
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


Labels = dict[str, tuple[str, str, str, str | None]]
_NO_LABELS = (None, None, None, None)


@lru_cache(maxsize=8)
def cell_labels(edition: str | None) -> Labels:
    """cell id → (table label, row label, column label, unit) in one edition (empty for no edition)."""
    ed = edition_named(edition)
    if ed is None:
        return {}
    return {f"{table.id}.{row.id}.{col_id}": (table.label, row.label, table.column(col_id).label, table.column(col_id).unit)
            for table in ed.tables for row in table.data_rows for col_id in row.columns}


def value_text(value: float | str | None) -> str | None:
    """A check's expected or found value as text (numbers as printed, "12" not "12.0")."""
    if value is None:
        return None
    return format_number(value) if isinstance(value, float) else str(value)


def cell_record(pc: PlacedCell, labels: Labels) -> tuple:
    """One cell in the order of :data:`CELL_COLUMNS`."""
    c = pc.cell
    cid = f"{c.table}.{c.row}.{c.column}"
    table_label, row_label, column_label, unit = labels.get(cid, _NO_LABELS)
    return (cid, c.table, c.row, c.column, c.value, c.status, table_label, row_label, column_label, c.unit or unit,
            c.marker, c.text, pc.line, pc.char_start, pc.char_end, c.reason,
            ";".join(format_number(v) for v in c.candidates) if c.candidates else None, *origin_values(pc.origin))


_NO_ORIGIN = (None,) * 8


def origin_values(origin: Origin | None) -> tuple:
    """The values of :data:`ORIGIN_COLUMNS` for one origin (all missing for text)."""
    if origin is None:
        return _NO_ORIGIN
    return (origin.table, origin.row, origin.column, origin.page, origin.x0, origin.top, origin.x1, origin.bottom)


def check_record(c: Check) -> tuple:
    """One evaluated rule instance in the order of :data:`CHECK_COLUMNS`."""
    return (c.rule, c.severity, c.table, c.instance, ",".join(c.cells), value_text(c.expected), value_text(c.found), c.status,
            c.message)


def leftover_record(p: PlacedLeftover) -> tuple:
    """One number left out of the cells in the order of :data:`LEFTOVER_COLUMNS`."""
    lo = p.leftover
    return (lo.table, lo.value, lo.text, p.line, p.char_start, p.char_end, lo.reason)


def figure_record(p: PlacedFigure) -> tuple:
    """One figure stated in the prose in the order of :data:`NARRATIVE_COLUMNS`."""
    f = p.figure
    return (f.quantity, f.value, f.unit, p.sentence, p.char_start, p.char_end, p.line, f.scope, f.approx, f.text,
            f.detail, quantity_labels().get(f.detail or f.quantity))


def summary_record(report: Report) -> dict:
    """One report's row of a corpus summary (every column but the ``report`` key and the ``error``)."""
    return {"source": escape_source(report.source), "source_escaped": source_escaped(report.source),
            "body": report.body, "year": report.year, "edition": report.edition, "is_report": report.is_report,
            "ok": report.ok, "errors": report.errors, "warnings": report.warnings,
            "uncertain": sum(pc.cell.status == UNCERTAIN for pc in report.placed_cells),
            "cells": len(report.placed_cells), "leftovers": len(report.placed_leftovers),
            "tables": ",".join(report.tables_found) or None, "reason": report.reason, "body_key": body_key(report.body)}


@lru_cache(maxsize=1)
def _wide_index() -> dict[str, int]:
    return {cid: i for i, cid in enumerate(_cell_ids())}


def wide_record(summary: dict, placed_cells: list[PlacedCell]) -> list:
    """One report in the order of :func:`wide_fields`: its summary, then each cell's value (uncertain
    cells left empty: their values are guesses)."""
    index = _wide_index()
    out = [summary.get(c) for c in SUMMARY_COLUMNS]
    values: list = [None] * len(index)
    for pc in placed_cells:
        c = pc.cell
        at = index.get(f"{c.table}.{c.row}.{c.column}")
        if at is not None and c.status != UNCERTAIN:
            values[at] = c.value
    return out + values
