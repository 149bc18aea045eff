"""Reading documents: gxtables.read on HTML pages, Word files and PDFs, beside the libraries' own readers.

    python tests/benchmarks/bench_documents.py [FOLDER ...] [--repeat 5]

For each format found in the folders (default: ``data/dev-docs``), on the same
files, side by side in this run (CPU time, best of ``--repeat``):

- HTML: ``gxtables.read`` (the page read, every number placed in its cell, the rules checked) against
  ``pandas.read_html`` (lxml; the tables as frames, nothing more);
- Word: ``gxtables.read`` against python-docx opening the file and reading every table cell's text
  (when python-docx is installed);
- PDF: ``gxtables.read`` against pdfplumber's own ``extract_text`` of every page (when the PDF reader
  and pdfplumber are installed). Aim: a PDF report costs at most 1.5× that.

Each line also gives the reader alone (file → Document) and the share of the time it takes.
"""
from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DATA, best_of, machine

import gxtables
from gxtables.documents.read import bytes_to_input
from gxtables.documents.sniff import sniff


def _html_baseline(data: bytes) -> object:
    import pandas as pd

    return pd.read_html(io.BytesIO(data), flavor="lxml")


def _docx_baseline(data: bytes) -> object:
    import docx

    document = docx.Document(io.BytesIO(data))
    return [[cell.text for row in table.rows for cell in row.cells] for table in document.tables]


def _pdf_baseline(data: bytes) -> object:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() for page in pdf.pages]


BASELINES = {"html": ("pandas.read_html", _html_baseline), "docx": ("python-docx, every cell", _docx_baseline),
             "pdf": ("pdfplumber extract_text", _pdf_baseline)}


def _available(kind: str, data: bytes) -> str | None:
    """Why a format cannot be timed here (a library missing), or None."""
    try:
        BASELINES[kind][1](data)
    except ImportError as exc:
        return f"baseline not installed ({exc.name})"
    try:
        gxtables.read(data)
    except gxtables.ReadError as exc:
        return str(exc)
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    folders = args.folders or [DATA / "dev-docs"]
    paths = sorted({p for f in folders for p in f.rglob("*") if p.is_file()})
    files: dict[str, list[tuple[Path, bytes]]] = {"html": [], "docx": [], "pdf": []}
    for p in paths:
        data = p.read_bytes()
        kind = sniff(data)
        if kind in files:
            files[kind].append((p, data))
    print(f"{machine()}; CPU time, best of {args.repeat}")
    for kind, items in files.items():
        if not items:
            print(f"{kind:5}: no files")
            continue
        if why := _available(kind, items[0][1]):
            print(f"{kind:5}: {len(items)} file(s), not timed: {why}")
            continue
        name, baseline = BASELINES[kind]
        for _, data in items:  # warm both (imports, templates, OpenCC) outside the timing
            gxtables.read(data)
            baseline(data)
        t_read = best_of(lambda items=items: [gxtables.read(d) for _, d in items], args.repeat)
        t_doc = best_of(lambda items=items: [bytes_to_input(d, "x") for _, d in items], args.repeat)
        t_base = best_of(lambda items=items, baseline=baseline: [baseline(d) for _, d in items], args.repeat)
        n = len(items)
        print(f"{kind:5}: {n} file(s)  gxtables.read {t_read / n * 1000:7.1f} ms/file "
              f"(reader alone {t_doc / n * 1000:6.1f} ms, {t_doc / t_read:4.0%})  "
              f"{name} {t_base / n * 1000:7.1f} ms/file  ratio read/{name.split()[0]} {t_read / t_base:5.2f}×")


if __name__ == "__main__":
    main()
