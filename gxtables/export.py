"""Stage 6 — export: reports → long and wide frames, written as CSV or Parquet."""
from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from .atomic import OutputBusyError, atomic_output, output_locks
from .records import (
    CODEBOOK_COLUMNS,
    CODEBOOK_FIELDS,
    LONG_FIELDS,
    SUMMARY_COLUMNS,
    cell_id_order,
    cell_labels,
    cell_record,
    escape_source,
    schema,
    summary_record,
    to_frame,
    wide_fields,
    wide_record,
)
from .report import Report
from .template import editions

__all__ = ["CODEBOOK_COLUMNS", "SUMMARY_COLUMNS", "OutputBusyError", "cell_id_order", "codebook", "corpus_paths",
           "report_summary", "reports_to_long", "reports_to_wide", "write_corpus", "write_frame"]


def report_summary(report: Report) -> dict:
    """One report as one summary record."""
    record = summary_record(report)
    return {c: record[c] for c in SUMMARY_COLUMNS}


def _by_source(reports: Iterable[Report]) -> list[Report]:
    """Reports in order of their source, so that a frame does not depend on the order they were read in."""
    return sorted(reports, key=lambda r: (r.source is None, r.source or ""))


def reports_to_long(reports: Iterable[Report]) -> pd.DataFrame:
    """All cells of all reports, one row per cell, with the report's source, body, year and edition."""
    rows = []
    for rep in _by_source(reports):
        head = (escape_source(rep.source), rep.body, rep.year, rep.edition)
        labels = cell_labels(rep.edition)
        rows.extend((*head, *cell_record(pc, labels)) for pc in rep.placed_cells)
    return to_frame(LONG_FIELDS, rows)


def reports_to_wide(reports: Iterable[Report]) -> pd.DataFrame:
    """One row per report, one column per cell id (uncertain cells left empty)."""
    return to_frame(wide_fields(), [wide_record(summary_record(rep), rep.placed_cells) for rep in _by_source(reports)])


def write_frame(frame: pd.DataFrame, path: str | os.PathLike, force: bool = False) -> Path:
    """Write a frame as CSV or Parquet (by the file's suffix); never overwrite unless ``force``.

    The file appears under its name only when complete (written beside it, then renamed), and two
    writers of the same file never mix: the second raises :class:`OutputBusyError`. A symlink at
    ``path`` is an existing file: refused, or with ``force`` replaced by the file (never written through).
    """
    p = Path(path)
    if p.suffix.lower() not in (".csv", ".parquet"):
        raise ValueError(f"{p}: the output must end in .csv or .parquet")
    with output_locks([p]):
        if os.path.lexists(p) and not force:  # a symlink there, dangling or not, is an existing file
            raise FileExistsError(f"{p}: already exists (use force=True, or --force, to overwrite)")
        with atomic_output(p) as tmp:
            if p.suffix.lower() == ".csv":
                frame.to_csv(tmp, index=False, encoding="utf-8")
            else:
                frame.to_parquet(tmp, index=False)
    return p


# ----------------------------------------------------------------------------- codebook


@lru_cache(maxsize=1)
def _english() -> dict:
    return json.loads((resources.files("gxtables") / "english.json").read_text(encoding="utf-8"))


def _english_name(kind: str, table_id: str, item_id: str) -> str:
    names = _english()
    if kind == "columns":
        own = names.get("table_columns", {}).get(table_id, {})
        if item_id in own:
            return own[item_id]
    return names.get(kind, {}).get(item_id, item_id.replace("_", " ").capitalize())


def codebook() -> pd.DataFrame:
    """Every cell id of every edition with its official Chinese labels and an English name.

    One row per (id, edition): labels differ between editions (规范性文件 / 行政规范性文件). ``position`` is
    the id's column in the wide frame, after its summary columns.
    """
    position = {cid: i for i, cid in enumerate(cell_id_order())}
    records = []
    for ed in editions():
        for table in ed.tables:
            table_en = _english()["tables"].get(table.id, table.id)
            for row in table.data_rows:
                row_en = _english_name("rows", table.id, row.id)
                for col_id in row.columns:
                    col = table.column(col_id)
                    col_en = _english_name("columns", table.id, col_id)
                    cid = f"{table.id}.{row.id}.{col_id}"
                    records.append((cid, ed.edition, position[cid], table.id, row.id, col_id, table.label, row.label,
                                    col.label, row.block, col.type, col.unit, f"{table_en}: {row_en} — {col_en}",
                                    table_en, row_en, col_en))
    return to_frame(CODEBOOK_FIELDS, records)


# ----------------------------------------------------------------------------- corpus exports
CORPUS_FRAMES = ("cells", "wide", "summary", "checks", "leftovers", "cross_checks", "codebook")


def corpus_paths(output: str | os.PathLike, main: str = "cells") -> dict[str, Path]:
    """Where each frame of a corpus export goes: ``main`` to ``output``, the others beside it
    (``corpus.parquet`` → ``corpus.summary.parquet``, ``corpus.codebook.parquet``, …)."""
    out = Path(output)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise ValueError(f"{out}: the output must end in .csv or .parquet")
    if main not in CORPUS_FRAMES:
        raise ValueError(f"unknown frame {main!r}")
    names = [main, *(n for n in CORPUS_FRAMES if n != main)]  # the main frame first
    return {name: out if name == main else out.with_name(f"{out.stem}.{name}{out.suffix}") for name in names}


def write_corpus(corpus, paths: dict[str, Path], force: bool = False) -> list[Path]:
    """Write every frame of a :class:`~gxtables.corpus.Corpus` to its path, streaming the large ones part
    by part; refuses to overwrite any file unless ``force`` (nothing is written then).

    Each file appears under its name only when complete, whenever the writing stops; all of them are
    locked while written (:class:`OutputBusyError` for a second export to the same files)."""
    with output_locks(paths.values()):
        existing = [p for p in paths.values() if os.path.lexists(p)]
        if existing and not force:
            raise FileExistsError(f"{existing[0]}: already exists (use force=True, or --force, to overwrite)")
        written = []
        for name, path in paths.items():
            if name in ("cross_checks", "codebook"):
                frame = corpus.cross_checks if name == "cross_checks" else codebook()
                written.append(write_frame(frame, path, force=True))
                continue
            with atomic_output(path) as tmp:
                _write_parts(corpus, name, tmp, parquet=path.suffix.lower() == ".parquet")
            written.append(path)
    return written


ROW_GROUP_VALUES = 2_000_000  # values per Parquet row group: a few tens of MB in memory while writing


def _row_group_rows(columns: int) -> int:
    """Rows per row group of a frame of ``columns`` columns: fixed by the schema alone."""
    return max(1_000, ROW_GROUP_VALUES // max(columns, 1))


def _row_groups(tables: Iterable, rows: int) -> Iterator:
    """The rows of ``tables`` cut again into groups of ``rows`` rows (the last one shorter), each in one
    piece: a file's row groups and pages then depend on its rows only, not on how the run batched
    the reports (which depends on the number of workers), so its bytes do not either."""
    import pyarrow as pa

    pending: list = []
    held = 0
    for table in tables:
        pending.append(table)
        held += table.num_rows
        while held >= rows:
            whole = pa.concat_tables(pending)
            yield whole.slice(0, rows).combine_chunks()
            pending, held = [whole.slice(rows)], whole.num_rows - rows
    if held:
        yield pa.concat_tables(pending).combine_chunks()


def _write_parts(corpus, name: str, path: Path, parquet: bool) -> None:
    """One stored frame of a corpus to one file, part by part (memory stays that of one part)."""
    import pyarrow.parquet as pq

    if parquet:
        sch = schema(name)
        rows = _row_group_rows(len(sch))
        with pq.ParquetWriter(path, sch) as writer:
            for group in _row_groups(corpus.part_tables(name), rows):
                writer.write_table(group, row_group_size=rows)
        return
    first = True
    for part in corpus.parts(name):
        part.to_csv(path, index=False, encoding="utf-8", mode="w" if first else "a", header=first)
        first = False
    if first:  # no parts: still a file with the header
        pd.DataFrame(columns=schema(name).names).to_csv(path, index=False, encoding="utf-8")
