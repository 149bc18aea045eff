"""Many reports at once: ``parse_many`` and ``read_many`` → a :class:`Corpus` of frames kept on disk.

A national corpus is 10⁴–10⁶ reports, so nothing here holds all of it in memory. Worker processes
take batches of inputs, parse them, turn each batch straight into Arrow tables and write them as
Parquet parts in the corpus folder; the parent only hands out batches and counts. Frames are read
back from the parts when asked for, in input order, with a ``report`` key (the input's position).

A file that cannot be read, or a text that breaks the parser, becomes an error row in the summary;
the run goes on. Only the caller's mistakes (a wrong argument type, an output folder in use) raise.
"""
from __future__ import annotations

import glob as globlib
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import regex

from .align import UNCERTAIN
from .check import FAIL, NOT_ASSESSABLE, PASS
from .documents.read import bytes_to_input, read_report
from .export import SUMMARY_COLUMNS, cell_id_order
from .io import ReadError
from .normalize import raw_to_normalized
from .pipeline import parse, parse_document
from .report import CELL_COLUMNS, CHECK_COLUMNS, LEFTOVER_COLUMNS, ORIGIN_COLUMNS, Report, origin_values
from .template import editions

__all__ = [
    "CORPUS_SUMMARY_COLUMNS",
    "CROSS_CHECK_COLUMNS",
    "FRAMES",
    "REPORT_SUFFIXES",
    "Corpus",
    "body_key",
    "cross_checks",
    "expand_paths",
    "pair_reports",
    "parse_many",
    "read_many",
]

REPORT_SUFFIXES = (".txt", ".md", ".htm", ".html", ".shtml", ".xhtml", ".docx", ".pdf", ".doc", ".wps")  # files a folder is searched for
FRAMES = ("summary", "cells", "checks", "leftovers", "wide")  # the frames stored as parts
CORPUS_SUMMARY_COLUMNS = ["report", "source", "body", "year", "edition", "is_report", "ok", "errors", "warnings",
                          "uncertain", "cells", "leftovers", "tables", "reason", "error", "body_key"]
CROSS_CHECK_COLUMNS = ["rule", "severity", "body_key", "year", "report", "source", "body", "prev_year", "prev_report",
                       "prev_source", "prev_body", "instance", "cells", "expected", "found", "status", "message"]
MANIFEST = "corpus.json"
MAX_BATCH = 200  # reports per part: bounds a worker's memory, keeps parts few

# ----------------------------------------------------------------------------- schemas
_S, _I, _F, _B = pa.string(), pa.int64(), pa.float64(), pa.bool_()
_POSITIONS = ("line", "char_start", "char_end", *ORIGIN_COLUMNS[:4])
_BOXES = tuple(ORIGIN_COLUMNS[4:])


def _kind(column: str) -> pa.DataType:
    return _F if column == "value" or column in _BOXES else _I if column in _POSITIONS else _S


_SCHEMAS: dict[str, pa.Schema] = {
    "summary": pa.schema([("report", _I), ("source", _S), ("body", _S), ("year", _I), ("edition", _S),
                          ("is_report", _B), ("ok", _B), ("errors", _I), ("warnings", _I), ("uncertain", _I),
                          ("cells", _I), ("leftovers", _I), ("tables", _S), ("reason", _S), ("error", _S),
                          ("body_key", _S)]),
    "cells": pa.schema([("report", _I), ("source", _S), ("body", _S), ("year", _I), ("edition", _S)] + [(c, _kind(c)) for c in CELL_COLUMNS]),
    "checks": pa.schema([("report", _I), ("source", _S)] + [(c, _S) for c in CHECK_COLUMNS]),
    "leftovers": pa.schema([("report", _I), ("source", _S)] + [(c, _kind(c)) for c in LEFTOVER_COLUMNS]),
}


@lru_cache(maxsize=1)
def _wide_schema() -> pa.Schema:
    kinds = {"source": _S, "body": _S, "year": _I, "edition": _S, "ok": _B, "errors": _I, "warnings": _I,
             "uncertain": _I, "cells": _I, "reason": _S}
    return pa.schema([("report", _I)] + [(c, kinds[c]) for c in SUMMARY_COLUMNS] + [(c, _F) for c in cell_id_order()])


def schema(frame: str) -> pa.Schema:
    """The Arrow schema of one stored frame: the same in every part, so parts always stack."""
    return _wide_schema() if frame == "wide" else _SCHEMAS[frame]


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    """Arrow → pandas with nullable columns throughout: a missing year, value or label is ``pd.NA``."""
    mapping = {pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype(), pa.bool_(): pd.BooleanDtype(),
               pa.string(): pd.StringDtype("pyarrow")}
    return table.to_pandas(types_mapper=mapping.get)


# ----------------------------------------------------------------------------- body names
# Whitespace and punctuation that do not tell bodies apart ("沭阳县 人民政府", "下管镇（上虞区）").
RE_BODY_KEY_DROP = regex.compile(r"[\s\p{P}\p{S}]+")
# "政府" closing a name: "某县人民政府" and "某县政府" and "某县" are the same body.
RE_GOV_TAIL = regex.compile(r"政府$")


@lru_cache(maxsize=65536)
def body_key(name: str | None) -> str | None:
    """The form in which body names are compared across years: Simplified, half-width, without spaces
    or punctuation, "人民政府" read as "政府" and a closing "政府" dropped."""
    if not name:
        return None
    key = RE_BODY_KEY_DROP.sub("", raw_to_normalized(name).text).replace("人民政府", "政府")
    key = RE_GOV_TAIL.sub("", key)
    return key or None


# ----------------------------------------------------------------------------- records
@lru_cache(maxsize=8)
def _labels(edition: str | None) -> dict[str, tuple[str, str, str, str | None]]:
    """cell id → (table label, row label, column label, unit) for one edition."""
    out: dict[str, tuple[str, str, str, str | None]] = {}
    for ed in editions():
        if ed.edition != edition:
            continue
        for table in ed.tables:
            for row in table.data_rows:
                for col_id in row.columns:
                    col = table.column(col_id)
                    out[f"{table.id}.{row.id}.{col_id}"] = (table.label, row.label, col.label, col.unit)
    return out


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _text(v) -> str | None:
    if v is None:
        return None
    return _fmt(v) if isinstance(v, float) else str(v)


class _Batch:
    """Columns of every frame for one batch of reports, filled report by report."""

    def __init__(self) -> None:
        self.cols: dict[str, dict[str, list]] = {name: {f.name: [] for f in schema(name)} for name in FRAMES}
        self.wide_ids = set(cell_id_order())

    def _row(self, frame: str, values: dict) -> None:
        cols = self.cols[frame]
        for name, column in cols.items():
            column.append(values.get(name))

    def add_error(self, key: int, source: str, message: str) -> None:
        row = {"report": key, "source": source, "is_report": None, "ok": False, "errors": 0, "warnings": 0,
               "uncertain": 0, "cells": 0, "leftovers": 0, "error": message}
        self._row("summary", row)
        self._row("wide", row)

    def add(self, key: int, rep: Report) -> None:
        uncertain = sum(pc.cell.status == UNCERTAIN for pc in rep.placed_cells)
        ok, errors, warnings = rep.ok, rep.errors, rep.warnings
        summary = {"report": key, "source": rep.source, "body": rep.body, "year": rep.year, "edition": rep.edition,
                   "is_report": rep.is_report, "ok": ok, "errors": errors, "warnings": warnings,
                   "uncertain": uncertain, "cells": len(rep.placed_cells), "leftovers": len(rep.placed_leftovers),
                   "tables": ",".join(rep.tables_found) or None, "reason": rep.reason, "error": None,
                   "body_key": body_key(rep.body)}
        self._row("summary", summary)
        wide = dict(summary)
        labels = _labels(rep.edition)
        cells = self.cols["cells"]
        for pc in rep.placed_cells:
            c = pc.cell
            cid = f"{c.table}.{c.row}.{c.column}"
            lab = labels.get(cid, (None, None, None, None))
            for name, value in (("report", key), ("source", rep.source), ("body", rep.body), ("year", rep.year),
                                ("edition", rep.edition), ("id", cid), ("table", c.table), ("row", c.row), ("column", c.column),
                                ("value", c.value), ("status", c.status), ("table_label", lab[0]),
                                ("row_label", lab[1]), ("column_label", lab[2]), ("unit", c.unit or lab[3]),
                                ("marker", c.marker), ("text", c.text), ("line", pc.line),
                                ("char_start", pc.char_start), ("char_end", pc.char_end), ("reason", c.reason),
                                ("candidates", ";".join(_fmt(v) for v in c.candidates) if c.candidates else None),
                                *zip(ORIGIN_COLUMNS, origin_values(pc.origin))):
                cells[name].append(value)
            if c.status != UNCERTAIN and cid in self.wide_ids:
                wide[cid] = c.value
        self._row("wide", wide)
        for c in rep.check_records:
            self._row("checks", {"report": key, "source": rep.source, "rule": c.rule, "severity": c.severity, "table": c.table,
                                 "instance": c.instance, "cells": ",".join(c.cells), "expected": _text(c.expected),
                                 "found": _text(c.found), "status": c.status, "message": c.message})
        for p in rep.placed_leftovers:
            lo = p.leftover
            self._row("leftovers", {"report": key, "source": rep.source, "table": lo.table, "value": lo.value, "text": lo.text,
                                    "line": p.line, "char_start": p.char_start, "char_end": p.char_end,
                                    "reason": lo.reason})

    def tables(self) -> dict[str, pa.Table]:
        return {name: pa.Table.from_pydict(self.cols[name], schema=schema(name)) for name in FRAMES}


# An input item: (report key, kind, payload) with kind "path", "text" or "bytes".
Item = tuple[int, str, object]


def _parse_item(kind: str, payload, key: int) -> tuple[str, Report | None, str | None]:
    """(source, report, error message) for one input; never raises for a problem of the document."""
    source = str(payload) if kind == "path" else f"<text {key}>"
    try:
        if kind == "path":
            return source, read_report(payload), None
        found = bytes_to_input(payload, source) if kind == "bytes" else payload
        if isinstance(found, str):
            return source, parse(found, source=source), None
        return source, parse_document(found), None
    except (OSError, ReadError) as exc:
        return source, None, str(exc)
    except Exception as exc:  # a bug met by one document must not stop a corpus run
        return source, None, f"internal error while parsing: {type(exc).__name__}: {exc}"


def batch_tables(items: list[Item]) -> dict[str, pa.Table]:
    """Parse a batch of inputs into one Arrow table per frame (the unit of work of every back end)."""
    batch = _Batch()
    for key, kind, payload in items:
        source, rep, error = _parse_item(kind, payload, key)
        if rep is None:
            batch.add_error(key, source, error or "unknown error")
        else:
            batch.add(key, rep)
    return batch.tables()


@dataclass
class BatchStats:
    """What a worker sends back for one batch: counts only, so the parent stays small."""

    number: int
    reports: int = 0
    ok: int = 0
    unreadable: int = 0
    failed_rules: Counter = field(default_factory=Counter)


def _part_name(number: int) -> str:
    return f"part-{number:07d}.parquet"


def _write_batch(number: int, items: list[Item], folder: str) -> BatchStats:
    """Worker entry point: parse one batch and write its parts; return counts."""
    tables = batch_tables(items)
    for name, table in tables.items():
        pq.write_table(table, os.path.join(folder, name, _part_name(number)))
    summary, checks = tables["summary"], tables["checks"]
    stats = BatchStats(number, summary.num_rows, sum(v is True for v in summary.column("ok").to_pylist()),
                       sum(e is not None for e in summary.column("error").to_pylist()))
    for rule, status in zip(checks.column("rule").to_pylist(), checks.column("status").to_pylist()):
        if status == FAIL:
            stats.failed_rules[rule] += 1
    return stats


# ----------------------------------------------------------------------------- inputs
def _classify(item, key: int) -> Item:
    """An input as (key, kind, payload): paths (Path, or a one-line str naming a file) or texts."""
    if isinstance(item, os.PathLike):
        return key, "path", os.fspath(item)
    if isinstance(item, bytes | bytearray):
        return key, "bytes", bytes(item)
    if isinstance(item, str):
        if "\n" not in item and len(item) < 1024 and (item.lower().endswith(REPORT_SUFFIXES) or os.path.isfile(item)):
            return key, "path", item
        return key, "text", item
    raise TypeError(f"gxtables.parse_many: items must be paths, str or bytes, not {type(item).__name__}")


def expand_paths(patterns: str | os.PathLike | Iterable[str | os.PathLike]) -> Iterator[str]:
    """Files named by globs ("reports/**/*.txt"), folders (searched for report texts) or file names,
    lazily, sorted as paths within each pattern, each file once."""
    if isinstance(patterns, str | os.PathLike):
        patterns = [patterns]
    seen: set[str] = set()
    for pattern in patterns:
        raw = os.fspath(pattern)
        if os.path.isdir(raw):
            found: Iterable[str] = [str(p) for p in sorted(p for p in Path(raw).rglob("*")
                                                         if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES)]
        elif globlib.has_magic(raw):
            # sorted as paths, folder by folder ("dev/…" before "dev-degraded/…")
            found = sorted((p for p in globlib.iglob(raw, recursive=True) if os.path.isfile(p)), key=lambda p: Path(p).parts)
        else:
            found = [raw]  # a missing file becomes an error row, not an exception
        for p in found:
            if p not in seen:
                seen.add(p)
                yield p


def _batches(items: Iterable, size: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for key, item in enumerate(items):
        batch.append(_classify(item, key))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes forked on Linux (cheap to start, no ``__main__`` guard needed in scripts),
    started afresh elsewhere."""
    use_fork = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork" if use_fork else "spawn"))


def _progress(total: int | None, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="report", desc="gxtables", disable=not enabled, dynamic_ncols=True)


def parse_many(items: Iterable, workers: int | None = None, progress: bool = True, *,
               out: str | os.PathLike | None = None, batch_size: int | None = None) -> Corpus:
    """Parse many reports — paths, texts or bytes, any iterable, consumed lazily — into a :class:`Corpus`.

    ``workers`` processes do the work (default: one per core; 0 parses in this process). Results go to
    Parquet parts in ``out`` (a new or empty folder; a temporary one, removed with the Corpus, when
    None), so memory stays flat however many reports there are. A file that cannot be read or parsed
    becomes an error row of the summary; the run never stops for one document.
    """
    if isinstance(items, str | os.PathLike):
        # one folder or glob ("reports/", "reports/**/*.txt") rather than an iterable of inputs
        raw = os.fspath(items)
        named = "\n" not in raw and len(raw) < 4096 and (os.path.isdir(raw) or globlib.has_magic(raw))
        items = list(expand_paths(raw)) if named else [items]
    workers = _default_workers() if workers is None else int(workers)
    if workers < 0:
        raise ValueError("gxtables.parse_many: workers must be >= 0")
    total = len(items) if hasattr(items, "__len__") else None
    if batch_size is None:
        batch_size = MAX_BATCH if total is None else max(1, min(MAX_BATCH, -(-total // max(1, 4 * max(workers, 1)))))
    folder, temporary = _new_folder(out)
    for name in FRAMES:
        os.makedirs(os.path.join(folder, name), exist_ok=True)
    counts = {"reports": 0, "ok": 0, "unreadable": 0, "batches": 0}
    failed: Counter = Counter()

    def record(stats: BatchStats, bar) -> None:
        counts["reports"] += stats.reports
        counts["ok"] += stats.ok
        counts["unreadable"] += stats.unreadable
        counts["batches"] += 1
        failed.update(stats.failed_rules)
        bar.update(stats.reports)
        bar.set_postfix(ok=counts["ok"], unreadable=counts["unreadable"], refresh=False)

    with _progress(total, progress) as bar:
        if workers == 0:
            for number, batch in enumerate(_batches(items, batch_size)):
                record(_write_batch(number, batch, folder), bar)
        else:
            _run_pool(items, workers, batch_size, folder, lambda s: record(s, bar))
    manifest = {"format": 1, "reports": counts["reports"], "ok": counts["ok"], "unreadable": counts["unreadable"],
                "batches": counts["batches"], "failed_rules": dict(failed.most_common())}
    Path(folder, MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return Corpus(folder, _temporary=temporary)


def _run_pool(items: Iterable, workers: int, batch_size: int, folder: str, record) -> None:
    """Hand batches to the pool, never more than two per worker in flight (the input is read lazily).

    When a worker dies (killed, out of memory) the pool breaks and every batch in flight fails with it:
    each is tried once more on a new pool, one batch at a time, and a batch that fails again becomes
    error rows.
    """
    inflight: dict[Future, tuple[int, list[Item], int]] = {}
    pool = _pool(workers)
    retry: list[tuple[int, list[Item]]] = []

    def settle(done) -> None:
        for fut in done:
            number, batch, tries = inflight.pop(fut)
            try:
                record(fut.result())
            except BrokenProcessPool:
                if tries:
                    record(_write_failed(number, batch, folder, "the worker process parsing this batch died"))
                else:
                    retry.append((number, batch))

    def drain_retries() -> None:
        nonlocal pool
        if not retry:
            return
        while inflight:  # what is still in flight belongs to the broken pool: let it fail too
            settle(wait(inflight, return_when=FIRST_COMPLETED)[0])
        pool.shutdown()
        pool = _pool(workers)
        while retry:
            number, batch = retry.pop(0)
            fut = pool.submit(_write_batch, number, batch, folder)
            inflight[fut] = (number, batch, 1)
            settle([wait([fut])[0].pop()])
            if fut.exception() is not None:
                pool.shutdown()
                pool = _pool(workers)

    try:
        for number, batch in enumerate(_batches(items, batch_size)):
            while len(inflight) >= 2 * workers:
                settle(wait(inflight, return_when=FIRST_COMPLETED)[0])
                drain_retries()
            inflight[pool.submit(_write_batch, number, batch, folder)] = (number, batch, 0)
        while inflight or retry:
            if inflight:
                settle(wait(inflight, return_when=FIRST_COMPLETED)[0])
            drain_retries()
    finally:
        pool.shutdown()


def _write_failed(number: int, items: list[Item], folder: str, message: str) -> BatchStats:
    batch = _Batch()
    for key, kind, payload in items:
        batch.add_error(key, str(payload) if kind == "path" else f"<text {key}>", message)
    for name, table in batch.tables().items():
        pq.write_table(table, os.path.join(folder, name, _part_name(number)))
    return BatchStats(number, len(items), 0, len(items))


def _new_folder(out: str | os.PathLike | None) -> tuple[str, bool]:
    if out is None:
        return tempfile.mkdtemp(prefix="gxtables-corpus-"), True
    p = Path(out)
    if p.exists() and (not p.is_dir() or any(p.iterdir())):
        raise FileExistsError(f"{p}: already exists and is not an empty folder (a corpus needs a folder of its own)")
    p.mkdir(parents=True, exist_ok=True)
    return str(p), False


def read_many(patterns: str | os.PathLike | Iterable[str | os.PathLike], workers: int | None = None,
              progress: bool = True, **kwargs) -> Corpus:
    """Read every report named by globs ("reports/**/*.txt"), folders or file names; see :func:`parse_many`."""
    return parse_many([Path(p) for p in expand_paths(patterns)], workers=workers, progress=progress, **kwargs)


# ----------------------------------------------------------------------------- cross-report checks
_CARRY_COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")
_VALID_ROWS = ("regulations", "normative_documents")
CROSS_CELLS = tuple([f"applications.carried_over.{c}" for c in _CARRY_COLUMNS]
                    + [f"applications.carried_forward.{c}" for c in _CARRY_COLUMNS]
                    + [f"proactive.{r}.{c}" for r in _VALID_ROWS for c in ("issued", "repealed", "in_force")])


def pair_reports(frame: pd.DataFrame) -> pd.DataFrame:
    """Each report paired with the reports of the same body (by :func:`body_key`) for the year before.

    ``frame`` needs ``report``, ``body``, ``year`` and ``source``; a body with two reports in a year
    pairs each with each (the pairs say so by repeating).
    """
    cols = ["report", "source", "body", "year"]
    base = frame[cols].copy()
    base["body_key"] = [body_key(b) if isinstance(b, str) else None for b in base["body"]]
    base = base[base["body_key"].notna() & base["year"].notna()]
    prev = base.rename(columns={c: f"prev_{c}" for c in cols})
    prev["year"] = prev["prev_year"] + 1
    pairs = base.merge(prev, on=["body_key", "year"], how="inner")
    order = ["body_key", "year", "report", "source", "body", "prev_year", "prev_report", "prev_source", "prev_body"]
    return pairs[order].sort_values(["body_key", "year", "report", "prev_report"]).reset_index(drop=True)


def cross_checks(wide: pd.DataFrame) -> pd.DataFrame:
    """X.CARRY and X.VALID between consecutive years of the same body (warnings: bodies are reorganised).

    ``wide`` is a wide frame (one row per report, one column per cell id). X.CARRY: this year's
    carried_over equals last year's carried_forward, per column. X.VALID (2021 edition): in_force this
    year = in_force last year + issued − repealed this year. A missing or blank cell makes the instance
    not assessable.
    """
    pairs = pair_reports(wide)
    values = wide.set_index("report")
    edition = values["edition"].to_dict() if "edition" in values else {}
    records: list[dict] = []

    def get(report, cid):
        if cid not in values.columns:
            return None
        v = values.at[report, cid]
        return None if pd.isna(v) else float(v)

    for p in pairs.itertuples(index=False):
        base = {"body_key": p.body_key, "year": p.year, "report": p.report, "source": p.source, "body": p.body,
                "prev_year": p.prev_year, "prev_report": p.prev_report, "prev_source": p.prev_source,
                "prev_body": p.prev_body, "severity": "warning"}
        for col in _CARRY_COLUMNS:
            now, before = get(p.report, f"applications.carried_over.{col}"), get(p.prev_report, f"applications.carried_forward.{col}")
            cells = f"applications.carried_over.{col},applications.carried_forward.{col}"
            if now is None or before is None:
                status, msg = NOT_ASSESSABLE, f"X.CARRY {col}: not assessable (a cell is absent, blank or uncertain)"
            else:
                status = PASS if abs(now - before) < 1e-6 else FAIL
                msg = (f"X.CARRY {col}: {p.year}年上年结转 = {_fmt(now)} {'=' if status == PASS else '≠'} "
                       f"{p.prev_year}年结转下年度 = {_fmt(before)} ({p.prev_body} → {p.body})")
            records.append({**base, "rule": "X.CARRY", "instance": col, "cells": cells, "expected": _text(before),
                            "found": _text(now), "status": status, "message": msg})
        if edition.get(p.report) != "2021":
            continue
        for row in _VALID_ROWS:
            now = get(p.report, f"proactive.{row}.in_force")
            issued, repealed = get(p.report, f"proactive.{row}.issued"), get(p.report, f"proactive.{row}.repealed")
            before = get(p.prev_report, f"proactive.{row}.in_force") if edition.get(p.prev_report) == "2021" else None
            cells = f"proactive.{row}.in_force,proactive.{row}.issued,proactive.{row}.repealed"
            if None in (now, issued, repealed, before):
                status, expected = NOT_ASSESSABLE, None
                msg = f"X.VALID {row}: not assessable (a cell is absent, blank or uncertain, or last year used another edition)"
            else:
                expected = before + issued - repealed
                status = PASS if abs(now - expected) < 1e-6 else FAIL
                msg = (f"X.VALID {row}: 现行有效 {_fmt(now)} {'=' if status == PASS else '≠'} 上年现行有效 {_fmt(before)} "
                       f"+ 制发 {_fmt(issued)} − 废止 {_fmt(repealed)} = {_fmt(expected)}")
            records.append({**base, "rule": "X.VALID", "instance": row, "cells": cells, "expected": _text(expected),
                            "found": _text(now), "status": status, "message": msg})
    out = pd.DataFrame.from_records(records, columns=CROSS_CHECK_COLUMNS)
    for col in ("year", "report", "prev_year", "prev_report"):
        out[col] = pd.array(out[col], dtype="Int64")
    return out


# ----------------------------------------------------------------------------- the corpus
class Corpus:
    """The result of :func:`parse_many`: frames of a whole corpus, stored as Parquet parts in a folder.

    ``summary`` (one row per input), ``cells`` (long, keyed by ``report``), ``checks``, ``leftovers``,
    ``wide()`` and ``cross_checks`` are read from disk when asked for; ``parts(name)`` streams a frame
    part by part for corpora too large to hold. ``Corpus(folder)`` opens a folder written before.
    """

    def __init__(self, folder: str | os.PathLike, *, _temporary: bool = False):
        self.folder = Path(folder)
        if not (self.folder / MANIFEST).is_file():
            raise FileNotFoundError(f"{self.folder}: not a gxtables corpus folder (no {MANIFEST})")
        self.manifest = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
        if _temporary:
            weakref.finalize(self, shutil.rmtree, str(self.folder), True)

    def __len__(self) -> int:
        return int(self.manifest["reports"])

    def part_files(self, name: str) -> list[Path]:
        if name not in FRAMES:
            raise ValueError(f"unknown frame {name!r}; one of {', '.join(FRAMES)}")
        return sorted((self.folder / name).glob("part-*.parquet"))

    def part_tables(self, name: str, columns: list[str] | None = None) -> Iterator[pa.Table]:
        """The Arrow parts of one frame, in input order."""
        for path in self.part_files(name):
            yield pq.read_table(path, columns=columns, schema=schema(name) if columns is None else None)

    def parts(self, name: str, columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
        """One frame, part by part, as pandas frames (constant memory over any corpus)."""
        for table in self.part_tables(name, columns):
            yield _to_pandas(table)

    def frame(self, name: str, columns: list[str] | None = None) -> pd.DataFrame:
        """One whole frame, in input order."""
        tables = list(self.part_tables(name, columns))
        if not tables:
            sch = schema(name)
            tables = [sch.empty_table() if columns is None else pa.schema([sch.field(c) for c in columns]).empty_table()]
        return _to_pandas(pa.concat_tables(tables))

    @cached_property
    def summary(self) -> pd.DataFrame:
        """One row per input: source, body, year, edition, ok, errors, warnings, uncertain cells, reason, error."""
        return self.frame("summary")

    @property
    def cells(self) -> pd.DataFrame:
        """Every cell of every report (the columns of :attr:`Report.cells`), keyed by ``report``."""
        return self.frame("cells")

    @property
    def checks(self) -> pd.DataFrame:
        """Every rule instance evaluated in every report, keyed by ``report``."""
        return self.frame("checks")

    @property
    def leftovers(self) -> pd.DataFrame:
        return self.frame("leftovers")

    def wide(self, cells: list[str] | None = None) -> pd.DataFrame:
        """One row per report, one column per cell id (uncertain cells empty); ``cells`` picks some ids."""
        columns = None if cells is None else ["report", *SUMMARY_COLUMNS, *cells]
        return self.frame("wide", columns)

    @cached_property
    def pairs(self) -> pd.DataFrame:
        """Reports paired with the same body's report of the year before (see :func:`pair_reports`)."""
        return pair_reports(self.summary)

    @cached_property
    def cross_checks(self) -> pd.DataFrame:
        """X.CARRY and X.VALID between consecutive years of each body, with the pairing."""
        have = set(schema("wide").names)
        return cross_checks(self.wide([c for c in CROSS_CELLS if c in have]))

    def failed_rules(self) -> pd.Series:
        """How many rule instances failed, by rule, most frequent first (cross-report rules included)."""
        counts = Counter(self.manifest.get("failed_rules", {}))
        cross = self.cross_checks
        counts.update(cross.loc[cross["status"] == FAIL, "rule"].tolist())
        return pd.Series(dict(counts.most_common()), name="failed", dtype="int64")

    def export(self, dest: str | os.PathLike, format: str = "parquet", force: bool = False) -> list[Path]:
        """Write every frame and the codebook into the folder ``dest`` (``.csv`` or ``.parquet`` files)."""
        from .export import CORPUS_FRAMES, write_corpus

        if format not in ("csv", "parquet"):
            raise ValueError(f"format must be 'csv' or 'parquet', not {format!r}")
        folder = Path(dest)
        folder.mkdir(parents=True, exist_ok=True)
        return write_corpus(self, {name: folder / f"{name}.{format}" for name in CORPUS_FRAMES}, force=force)

    def __repr__(self) -> str:
        m = self.manifest
        return f"<Corpus reports={m['reports']} ok={m['ok']} unreadable={m['unreadable']} folder={str(self.folder)!r}>"

    def _repr_html_(self) -> str:
        from .view import corpus_html

        return corpus_html(self)
