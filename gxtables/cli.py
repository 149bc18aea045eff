"""Command line: ``gxtables check PATH...``, ``gxtables export PATH... -o out.csv``, ``gxtables debug PATH``.

Exit status: 0 when every report read passes its hard rules, 1 when a hard rule fails in some report,
2 on a usage error or when a file cannot be read (the other files are still processed).

Each command imports what it needs when it runs: checking one report reads it in this process and
prints its verdict from the report's records, without pandas, Arrow or worker processes.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .atomic import OutputBusyError, output_locks
from .check import FAIL
from .io import ReadError

__all__ = ["main"]

EXIT_OK, EXIT_RULES, EXIT_USAGE = 0, 1, 2


def _summary_verdict(row: dict) -> str:
    """The verdict line of one report, from its summary record (None for a missing value)."""
    where = f"edition={_na(row['edition'])} year={_na(row['year'])} body={_na(row['body'], '-')}"
    if not row["is_report"]:
        return f"{row['source']}: NOT A REPORT — {_na(row['reason'])}"
    if not row["cells"]:
        return f"{row['source']}: NO TABLES ({where}) — {_na(row['reason'])}"
    state = "OK" if row["ok"] else ("FAIL" if row["errors"] else "CHECK")
    return (f"{row['source']}: {state} ({where}) cells={row['cells']} errors={row['errors']} "
            f"warnings={row['warnings']} uncertain={row['uncertain']}")


def _by_source(paths: list[str]) -> list[str]:
    """The files named, in order of path: an export does not depend on the order they were named in."""
    from .corpus import expand_paths

    return sorted(expand_paths(paths), key=lambda p: Path(p).parts)


def _na(value, empty: str = "None") -> str:
    return empty if value is None else str(value)


def _cmd_check(args, out, err) -> int:
    """One file named (or no workers): read here. Otherwise reports are read in worker processes and
    verdicts printed part by part, in input order."""
    if not args.cross and (args.workers == 0 or (len(args.paths) == 1 and os.path.isfile(args.paths[0]))):
        return _check_here(args, out, err)
    from .corpus import read_many

    corpus = read_many(args.paths, workers=args.workers, progress=not args.quiet and err.isatty())
    any_error = unreadable = False
    for summary, checks in zip(corpus.parts("summary"), corpus.parts("checks"), strict=True):
        failed = checks[(checks["status"] == FAIL) & ((checks["severity"] == "error") | args.warnings)]
        messages = failed.groupby("report")[["severity", "message"]]
        keys = set(failed["report"])
        for row in summary.astype(object).where(summary.notna(), None).to_dict("records"):
            if row["error"] is not None:
                print(f"{row['source']}: UNREADABLE {_reason(row['source'], row['error'])}", file=err)
                unreadable = True
                continue
            print(_summary_verdict(row), file=out)
            if row["report"] in keys:
                for severity, message in messages.get_group(row["report"]).itertuples(index=False):
                    print(f"    {severity.upper():7} {message}", file=out)
            any_error |= bool(row["errors"])
    if args.cross:
        cross = corpus.cross_checks
        for r in cross[cross["status"] == FAIL].itertuples(index=False):
            print(f"{r.source}: CROSS-YEAR with {r.prev_source}\n    WARNING {r.message}", file=out)
    if unreadable:
        return EXIT_USAGE
    return EXIT_RULES if any_error else EXIT_OK


def _check_here(args, out, err) -> int:
    """Verdicts of the reports read one by one in this process: the same lines as from a corpus's
    summary, made from each report's own records."""
    from .documents.read import read_report
    from .records import escape_source, summary_record

    if len(args.paths) == 1 and os.path.isfile(args.paths[0]):
        paths = list(args.paths)
    else:
        from .corpus import expand_paths

        paths = list(expand_paths(args.paths))
    any_error = unreadable = False
    for path in paths:
        source = str(Path(path))  # as a corpus names it
        try:
            report = read_report(source)
        except (OSError, ReadError) as exc:
            name = escape_source(source)  # a name in another encoding than UTF-8 prints escaped
            print(f"{name}: UNREADABLE {_reason(name, escape_source(str(exc)))}", file=err)
            unreadable = True
            continue
        print(_summary_verdict(summary_record(report)), file=out)
        for c in report.check_records:
            if c.status == FAIL and (c.severity == "error" or args.warnings):
                print(f"    {c.severity.upper():7} {c.message}", file=out)
        any_error |= bool(report.errors)
    if unreadable:
        return EXIT_USAGE
    return EXIT_RULES if any_error else EXIT_OK


def _cmd_export(args, out, err) -> int:
    """Every frame of the corpus: the cells (or, with --wide, the wide frame) to the output file, the
    summary, checks, leftovers, cross-report checks, the other frame and the codebook beside it."""
    from .export import corpus_paths

    try:
        paths = corpus_paths(args.output, main="wide" if args.wide else "cells")
    except ValueError as exc:
        print(f"gxtables export: {exc}", file=err)
        return EXIT_USAGE
    try:
        with output_locks(paths.values()):  # held from the start: a second export to the same files stops at once
            return _export_locked(args, paths, out, err)
    except OutputBusyError as exc:
        print(f"gxtables export: {exc}", file=err)
        return EXIT_USAGE


def _export_locked(args, paths, out, err) -> int:
    from .corpus import read_many
    from .export import write_corpus

    existing = [p for p in paths.values() if os.path.lexists(p)]  # a link, dangling or not, is there
    if existing and not args.force:
        print(f"gxtables export: {existing[0]}: already exists (use --force to overwrite)", file=err)
        return EXIT_USAGE
    corpus = read_many(_by_source(args.paths), workers=args.workers, progress=not args.quiet and err.isatty())
    summary = corpus.summary
    unreadable = summary[summary["error"].notna()]
    for source, error in zip(unreadable["source"], unreadable["error"]):
        print(f"{source}: UNREADABLE {_reason(source, error)}", file=err)
    written = write_corpus(corpus, paths, force=args.force)
    rows = len(corpus.frame("wide" if args.wide else "cells", columns=["report"]))
    print(f"{written[0]}: {rows} rows from {len(summary) - len(unreadable)} report(s)", file=out)
    for path in written[1:]:
        print(f"    {path}", file=out)
    return EXIT_USAGE if len(unreadable) else EXIT_OK


def _reason(source: str, error: str) -> str:
    """An error message without the file name it starts with (the line already names the file)."""
    prefix = f"{source}: "
    return error[len(prefix):] if error.startswith(prefix) else error


def _cmd_debug(args, out, err) -> int:
    from .documents.read import bytes_to_input, source_to_bytes
    from .pipeline import debug
    from .records import escape_source

    try:
        found = bytes_to_input(*source_to_bytes(args.path))
    except (OSError, ReadError) as exc:
        name = escape_source(args.path)  # a name in another encoding than UTF-8 prints escaped
        print(f"{name}: UNREADABLE {_reason(name, escape_source(str(exc)))}", file=err)
        return EXIT_USAGE
    print(debug(found), file=out)
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gxtables", description="Read, check and export the statutory tables of "
                                     "政府信息公开工作年度报告 from flattened text.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="one verdict line per report, failed rules under it")
    check.add_argument("paths", nargs="+", help="report files or folders")
    check.add_argument("--warnings", action="store_true", help="list failed warnings too")
    check.add_argument("--cross", action="store_true", help="also check consecutive years of each body (X.CARRY, X.VALID)")
    check.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    check.add_argument("--quiet", action="store_true", help="no progress bar")
    check.set_defaults(func=_cmd_check)
    export = sub.add_parser("export", help="write the frames of the reports (cells, wide, summary, checks, codebook…) "
                            "to CSV or Parquet")
    export.add_argument("paths", nargs="+", help="report files or folders")
    export.add_argument("-o", "--output", required=True, help="output file, .csv or .parquet")
    export.add_argument("--wide", action="store_true", help="one row per report, one column per cell id")
    export.add_argument("--force", action="store_true", help="overwrite the output files if they exist")
    export.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    export.add_argument("--quiet", action="store_true", help="no progress bar")
    export.set_defaults(func=_cmd_export)
    dbg = sub.add_parser("debug", help="show what each stage made of one report")
    dbg.add_argument("path")
    dbg.set_defaults(func=_cmd_debug)
    return parser


def main(argv: list[str] | None = None, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse reports usage errors itself
        return EXIT_USAGE if exc.code else EXIT_OK
    return args.func(args, out, err)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
