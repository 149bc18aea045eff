"""Many reports at once: ``parse_many`` and ``read_many`` → a :class:`Corpus` of frames kept on disk.

A national corpus is 10⁴–10⁶ reports, so nothing here holds all of it in memory. Worker processes
take batches of inputs, parse them, turn each batch straight into Arrow tables and write them as
Parquet parts in the corpus folder; the parent only hands out batches and counts. Frames are read
back from the parts when asked for, in input order, with a ``report`` key (the input's position).

A file that cannot be read, or a text that breaks the parser, becomes an error row in the summary;
the run goes on. Only the caller's mistakes (a wrong argument type, an output folder in use) raise.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .atomic import atomic_output, owned_temporary_folder, release_folder
from .check import FAIL
from .crossyear import cross_cells, cross_checks, pair_reports
from .documents.read import bytes_to_input, read_report
from .io import ReadError
from .normalize import body_key
from .paths import REPORT_SUFFIXES, expand_paths
from .pipeline import parse, parse_document
from .rates import Priors
from .records import (
    CORPUS_SUMMARY_COLUMNS,
    CROSS_CHECK_COLUMNS,
    SUMMARY_COLUMNS,
    cell_labels,
    cell_record,
    check_record,
    escape_source,
    leftover_record,
    schema,
    source_escaped,
    summary_record,
    to_pandas,
    to_table,
    wide_record,
)
from .report import Report

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

FRAMES = ("summary", "cells", "checks", "leftovers", "wide")  # the frames stored as parts
MANIFEST = "corpus.json"
MAX_BATCH = 200  # reports per part: bounds a worker's memory, keeps parts few


class _Batch:
    """The rows of every frame for one batch of reports, filled report by report (see :mod:`gxtables.records`)."""

    def __init__(self) -> None:
        self.rows: dict[str, list] = {name: [] for name in FRAMES}

    def add_error(self, key: int, source: str, message: str) -> None:
        summary = {"source": escape_source(source), "source_escaped": source_escaped(source), "ok": False, "errors": 0,
                   "warnings": 0, "uncertain": 0, "cells": 0, "leftovers": 0, "error": escape_source(message)}
        self.rows["summary"].append([key, *(summary.get(c) for c in CORPUS_SUMMARY_COLUMNS[1:])])
        self.rows["wide"].append([key, *wide_record(summary, [])])

    def add(self, key: int, rep: Report) -> None:
        summary = summary_record(rep)
        self.rows["summary"].append([key, *(summary.get(c) for c in CORPUS_SUMMARY_COLUMNS[1:])])
        self.rows["wide"].append([key, *wide_record(summary, rep.placed_cells)])
        source = summary["source"]
        head = (key, source, rep.body, rep.year, rep.edition)
        labels = cell_labels(rep.edition)
        self.rows["cells"].extend((*head, *cell_record(pc, labels)) for pc in rep.placed_cells)
        self.rows["checks"].extend((key, source, *check_record(c)) for c in rep.check_records)
        self.rows["leftovers"].extend((key, source, *leftover_record(p)) for p in rep.placed_leftovers)

    def tables(self) -> dict[str, pa.Table]:
        return {name: to_table(name, self.rows[name]) for name in FRAMES}


# An input item: (report key, kind, payload) with kind "path", "text" or "bytes".
Item = tuple[int, str, object]


def _parse_item(kind: str, payload, key: int, priors: Priors) -> tuple[str, Report | None, str | None]:
    """(source, report, error message) for one input; never raises for a problem of the document."""
    source = str(payload) if kind == "path" else f"<text {key}>"
    try:
        if kind == "path":
            return source, read_report(payload, priors=priors), None
        found = bytes_to_input(payload, source) if kind == "bytes" else payload
        if isinstance(found, str):
            return source, parse(found, source=source, priors=priors), None
        return source, parse_document(found, priors=priors), None
    except (OSError, ReadError) as exc:
        return source, None, str(exc)
    except Exception as exc:  # a bug met by one document must not stop a corpus run
        return source, None, f"internal error while parsing: {type(exc).__name__}: {exc}"


def batch_tables(items: list[Item], priors: Priors | None = None) -> dict[str, pa.Table]:
    """Parse a batch of inputs into one Arrow table per frame (the unit of work of every back end)."""
    priors = Priors.default() if priors is None else priors
    batch = _Batch()
    for key, kind, payload in items:
        source, rep, error = _parse_item(kind, payload, key, priors)
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


def _write_parts(tables: dict[str, pa.Table], number: int, folder: str) -> None:
    """A batch's part of each frame, each whole or absent (a worker may be killed while writing)."""
    for name, table in tables.items():
        with atomic_output(os.path.join(folder, name, _part_name(number)), durable=False) as tmp:
            pq.write_table(table, tmp)


def _write_batch(number: int, items: list[Item], folder: str, priors: Priors) -> BatchStats:
    """Worker entry point: parse one batch and write its parts; return counts."""
    tables = batch_tables(items, priors)
    _write_parts(tables, number, folder)
    summary, checks = tables["summary"], tables["checks"]
    stats = BatchStats(number, summary.num_rows, sum(v is True for v in summary.column("ok").to_pylist()),
                       sum(e is not None for e in summary.column("error").to_pylist()))
    for rule, status in zip(checks.column("rule").to_pylist(), checks.column("status").to_pylist()):
        if status == FAIL:
            stats.failed_rules[rule] += 1
    return stats


# ----------------------------------------------------------------------------- inputs
def _classify(item, key: int) -> Item:
    """An input as (key, kind, payload), by its type alone: a ``str`` is a text, always (a one-line text
    may look like a file name, and a file name like a text); ``bytes`` are a file's content; an
    ``os.PathLike`` (``pathlib.Path``) is a file — the one place a path is taken here, and the form in
    which :func:`read_many` hands its files over."""
    if isinstance(item, str):
        return key, "text", item
    if isinstance(item, bytes | bytearray):
        return key, "bytes", bytes(item)
    if isinstance(item, os.PathLike):
        return key, "path", os.fspath(item)
    raise TypeError(f"gxtables.parse_many: items must be texts (str), bytes or pathlib.Path objects, "
                    f"not {type(item).__name__}")


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
    started afresh elsewhere; each ends with the process that started it."""
    use_fork = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork" if use_fork else "spawn"),
                               initializer=_end_with_parent, initargs=(os.getpid(),))


PR_SET_PDEATHSIG = 1  # prctl(2): the signal a Linux process receives when its parent dies
PARENT_POLL = 1.0  # seconds between two looks at the parent where the kernel cannot be asked


def _end_with_parent(parent: int) -> None:
    """Worker initializer: end this worker when the parent dies, even by ``kill -9`` (which runs no
    clean-up): a worker waits on a queue no one will fill, or parses a batch no one will collect.

    On Linux the kernel sends SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere a
    daemon thread looks every second whether the parent is still the one that started the worker.
    """
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the request was made
                    os._exit(1)
                return
        except (OSError, AttributeError):  # pragma: no cover - no prctl: watch instead
            pass
    import threading

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(PARENT_POLL)

    threading.Thread(target=watch, name="gxtables-parent-watch", daemon=True).start()


def _progress(total: int | None, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="report", desc="gxtables", disable=not enabled, dynamic_ncols=True)


def parse_many(items: Iterable, workers: int | None = None, progress: bool = True, *,
               out: str | os.PathLike | None = None, batch_size: int | None = None,
               priors: Priors | None = None) -> Corpus:
    """Parse many reports — texts, any iterable, consumed lazily — into a :class:`Corpus`.

    Items are told apart by their type, never by their content: a ``str`` is a report text (an HTML
    page is read as one), ``bytes`` a file's content (HTML, Word, PDF or text, told by content), a
    ``pathlib.Path`` a file to read. Files named by ``str`` — names, folders, globs — are
    :func:`read_many`'s. ``workers`` processes do the work (default: one per core; 0 parses in this
    process). Results go to Parquet parts in ``out`` (a new or empty folder; a temporary one, removed
    with the Corpus, when None), so memory stays flat however many reports there are. A file that
    cannot be read or parsed becomes an error row of the summary; the run never stops for one
    document. ``priors``: how often real tables fill each cell (default: :meth:`Priors.default`, read
    once as the run starts).
    """
    if isinstance(items, str | bytes | bytearray | os.PathLike):
        raise TypeError(f"gxtables.parse_many takes an iterable of texts, not one {type(items).__name__}: "
                        "[text] for one text; gxtables.read_many(...) for files, folders or globs")
    priors = Priors.default() if priors is None else priors
    workers = _default_workers() if workers is None else int(workers)
    if workers < 0:
        raise ValueError("gxtables.parse_many: workers must be >= 0")
    total = len(items) if hasattr(items, "__len__") else None
    if batch_size is None:
        batch_size = MAX_BATCH if total is None else max(1, min(MAX_BATCH, -(-total // max(1, 4 * max(workers, 1)))))
    folder, lock = _new_folder(out)
    try:
        return _run(items, workers, progress, total, batch_size, folder, lock, priors, temporary=out is None)
    except BaseException:  # interrupted, or the caller's iterable raised: a temporary folder goes with the run
        if out is None:
            release_folder(folder, lock)
        raise


def _run(items: Iterable, workers: int, progress: bool, total: int | None, batch_size: int, folder: str,
         lock: int | None, priors: Priors, temporary: bool) -> Corpus:
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
                record(_write_batch(number, batch, folder, priors), bar)
        else:
            _run_pool(items, workers, batch_size, folder, priors, lambda s: record(s, bar))
    manifest = {"format": 1, "reports": counts["reports"], "ok": counts["ok"], "unreadable": counts["unreadable"],
                "batches": counts["batches"], "failed_rules": dict(failed.most_common())}
    with atomic_output(os.path.join(folder, MANIFEST), durable=not temporary) as tmp:
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return Corpus(folder, _temporary=temporary, _lock=lock)


def _run_pool(items: Iterable, workers: int, batch_size: int, folder: str, priors: Priors, record) -> None:
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
            fut = pool.submit(_write_batch, number, batch, folder, priors)
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
            inflight[pool.submit(_write_batch, number, batch, folder, priors)] = (number, batch, 0)
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
    _write_parts(batch.tables(), number, folder)
    return BatchStats(number, len(items), 0, len(items))


TEMPORARY_PREFIX = "gxtables-corpus-"  # the temporary folders of corpora, in the system's temporary directory


def _new_folder(out: str | os.PathLike | None) -> tuple[str, int | None]:
    """The corpus folder, and for a temporary one the lock that marks it in use (those of runs that
    died are removed first: see :mod:`gxtables.atomic`)."""
    if out is None:
        return owned_temporary_folder(TEMPORARY_PREFIX)
    p = Path(out)
    if p.exists() and (not p.is_dir() or any(p.iterdir())):
        raise FileExistsError(f"{p}: already exists and is not an empty folder (a corpus needs a folder of its own)")
    p.mkdir(parents=True, exist_ok=True)
    return str(p), None


def read_many(patterns: str | os.PathLike | Iterable[str | os.PathLike], workers: int | None = None,
              progress: bool = True, **kwargs) -> Corpus:
    """Read every report named by file names, folders or globs ("reports/**/*.txt"), each a ``str`` or
    ``pathlib.Path``: every entry they name is a row (see :func:`gxtables.paths.expand_paths`). The
    options are :func:`parse_many`'s."""
    return parse_many([Path(p) for p in expand_paths(patterns)], workers=workers, progress=progress, **kwargs)


# ----------------------------------------------------------------------------- the corpus
class Corpus:
    """The result of :func:`parse_many`: frames of a whole corpus, stored as Parquet parts in a folder.

    ``summary`` (one row per input), ``cells`` (long, keyed by ``report``), ``checks``, ``leftovers``,
    ``wide()`` and ``cross_checks`` are read from disk when asked for; ``parts(name)`` streams a frame
    part by part for corpora too large to hold. ``Corpus(folder)`` opens a folder written before.
    """

    def __init__(self, folder: str | os.PathLike, *, _temporary: bool = False, _lock: int | None = None):
        self.folder = Path(folder)
        if not (self.folder / MANIFEST).is_file():
            raise FileNotFoundError(f"{self.folder}: not a gxtables corpus folder (no {MANIFEST})")
        self.manifest = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
        if _temporary:
            weakref.finalize(self, release_folder, str(self.folder), _lock)

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
            yield to_pandas(table)

    def frame(self, name: str, columns: list[str] | None = None) -> pd.DataFrame:
        """One whole frame, in input order."""
        tables = list(self.part_tables(name, columns))
        if not tables:
            sch = schema(name)
            tables = [sch.empty_table() if columns is None else pa.schema([sch.field(c) for c in columns]).empty_table()]
        return to_pandas(pa.concat_tables(tables))

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
        """The cross-year rules (``crossyear.toml``: X.CARRY, X.VALID) between consecutive years of each body,
        with the pairing."""
        have = set(schema("wide").names)
        return cross_checks(self.wide([c for c in cross_cells() if c in have]))

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
