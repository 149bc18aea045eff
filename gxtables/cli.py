"""Command line: ``gxtables check PATH...``, ``gxtables export PATH... -o out.csv``, ``gxtables debug PATH``.

Exit status: 0 when every report read passes its hard rules, 1 when a hard rule fails in some report,
2 on a usage error or when a file cannot be read (the other files are still processed).
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from .corpus import read_many
from .export import corpus_paths, write_corpus
from .io import ReadError, read_text
from .pipeline import debug, parse
from .report import Report

__all__ = ["main"]

EXIT_OK, EXIT_RULES, EXIT_USAGE = 0, 1, 2


def _expand(paths: list[str]) -> Iterator[Path]:
    """Files named, and the report texts (*.txt, *.md, *.html) inside folders named, sorted."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in (".txt", ".md", ".htm", ".html"))
        else:
            yield p


def _read_all(paths: list[str], err) -> tuple[list[Report], bool]:
    reports, failed = [], False
    for path in _expand(paths):
        try:
            text = read_text(path)
        except (OSError, ReadError) as exc:
            print(f"{path}: UNREADABLE {exc}", file=err)
            failed = True
            continue
        reports.append(parse(text, source=str(path)))
    return reports, failed


def _verdict(rep: Report) -> str:
    where = f"edition={rep.edition} year={rep.year} body={rep.body or '-'}"
    if not rep.is_report:
        return f"{rep.source}: NOT A REPORT — {rep.reason}"
    if not rep.placed_cells:
        return f"{rep.source}: NO TABLES ({where}) — {rep.reason}"
    uncertain = sum(pc.cell.status == "uncertain" for pc in rep.placed_cells)
    state = "OK" if rep.ok else ("FAIL" if rep.errors else "CHECK")
    return (f"{rep.source}: {state} ({where}) cells={len(rep.placed_cells)} errors={rep.errors} "
            f"warnings={rep.warnings} uncertain={uncertain}")


def _cmd_check(args, out, err) -> int:
    reports, unreadable = _read_all(args.paths, err)
    any_error = False
    for rep in reports:
        print(_verdict(rep), file=out)
        for c in rep.check_records:
            if c.status == "fail" and (c.severity == "error" or args.warnings):
                print(f"    {c.severity.upper():7} {c.message}", file=out)
        any_error |= rep.errors > 0
    if unreadable:
        return EXIT_USAGE
    return EXIT_RULES if any_error else EXIT_OK


def _cmd_export(args, out, err) -> int:
    """Every frame of the corpus: the cells (or, with --wide, the wide frame) to the output file, the
    summary, checks, leftovers, cross-report checks, the other frame and the codebook beside it."""
    try:
        paths = corpus_paths(args.output, main="wide" if args.wide else "cells")
    except ValueError as exc:
        print(f"gxtables export: {exc}", file=err)
        return EXIT_USAGE
    existing = [p for p in paths.values() if p.exists()]
    if existing and not args.force:
        print(f"gxtables export: {existing[0]}: already exists (use --force to overwrite)", file=err)
        return EXIT_USAGE
    corpus = read_many(args.paths, workers=args.workers, progress=not args.quiet and err.isatty())
    summary = corpus.summary
    unreadable = summary[summary["error"].notna()]
    for source, error in zip(unreadable["source"], unreadable["error"]):
        print(f"{source}: UNREADABLE {error}", file=err)
    written = write_corpus(corpus, paths, force=args.force)
    rows = len(corpus.frame("wide" if args.wide else "cells", columns=["report"]))
    print(f"{written[0]}: {rows} rows from {len(summary) - len(unreadable)} report(s)", file=out)
    for path in written[1:]:
        print(f"    {path}", file=out)
    return EXIT_USAGE if len(unreadable) else EXIT_OK


def _cmd_debug(args, out, err) -> int:
    try:
        text = read_text(args.path)
    except (OSError, ReadError) as exc:
        print(f"{args.path}: UNREADABLE {exc}", file=err)
        return EXIT_USAGE
    print(debug(text), file=out)
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gxtables", description="Read, check and export the statutory tables of "
                                     "政府信息公开工作年度报告 from flattened text.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="one verdict line per report, failed rules under it")
    check.add_argument("paths", nargs="+", help="report files or folders")
    check.add_argument("--warnings", action="store_true", help="list failed warnings too")
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
