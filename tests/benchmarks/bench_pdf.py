"""The PDF reader against pdfplumber's own ``extract_text`` of the same files, side by side.

    python tests/benchmarks/bench_pdf.py [--repeat 5] [PDF ...]

For every PDF given (default: the bundled ``data/dev-docs/*.pdf``), the time of
``gxtables.documents.pdf.pdf_to_document`` (tables rebuilt, pages joined, prose in paragraphs) and of
pdfplumber opening the file and calling ``extract_text`` on every page. Both parse the pages once;
the reader's extra work is the grids. Aim: at most 1.5× extract_text. CPU time, best of ``--repeat``.
"""
from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pdfplumber
from _common import DATA, best_of, machine

from gxtables.documents.pdf import pdf_to_document


def extract_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("pdfs", nargs="*", type=Path)
    args = ap.parse_args()
    paths = args.pdfs or sorted((DATA / "dev-docs").glob("*.pdf"))
    print(machine())
    total_reader = total_text = 0.0
    for path in paths:
        data = path.read_bytes()
        text = best_of(lambda data=data: extract_text(data), args.repeat)
        reader = best_of(lambda data=data, name=path.name: pdf_to_document(data, name), args.repeat)
        total_reader += reader
        total_text += text
        print(f"{path.name:24s} extract_text {text * 1000:7.1f} ms   pdf_to_document {reader * 1000:7.1f} ms   ratio {reader / text:.2f}")
    print(f"{'all':24s} extract_text {total_text * 1000:7.1f} ms   pdf_to_document {total_reader * 1000:7.1f} ms   "
          f"ratio {total_reader / total_text:.2f}")


if __name__ == "__main__":
    main()
