"""How well gxtables reads the text that PDF and Word extraction tools make of report files.

The real figures of the development corpus (``expected/*.json`` of ../shared/corpus/dev and data/dev)
are written as Word files laid out as offices lay these reports out — title, prose, the three tables
with merged header cells, numbered row labels, blank cells empty, page footers ``— N —`` — in a few
layouts, and LibreOffice converts each to PDF. The extraction tools of the development corpus
``dev-pdftext`` (pdftotext -layout and -raw, pdfplumber text and tables, pdfminer, PyMuPDF,
pymupdf4llm, pypdf on the PDF; docx2txt, python-docx, LibreOffice text, pandoc plain and gfm on the
Word file) turn them into text; gxtables.parse reads it, and each cell drawn is sorted: right, wrong
(read or inferred with another value), uncertain, missed; false_ok counts files whose ``ok`` is true
while a cell is wrong. One line per tool; a tool that is not installed is skipped with a note.

Run from the repository root (tools: ``pip install -e '.[bench]'``; ``apt-get install poppler-utils
libreoffice-writer pandoc fonts-noto-cjk``)::

    PYTHONPATH=$PWD python tests/benchmarks/extractors.py
    PYTHONPATH=$PWD python tests/benchmarks/extractors.py --tools pdfminer --layouts official --verbose
    PYTHONPATH=$PWD python tests/benchmarks/extractors.py --limit 3 --json out.json

Documents and tool outputs are cached under $TMPDIR/gxtables-bench/extractors (GXTABLES_BENCH_CACHE
moves it), so a rerun only parses; ``--fresh`` renders and extracts again. The first run converts
every Word file to PDF with LibreOffice (a few minutes). Not part of the test suite.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _figures import (
    TABLE_OF_SECTION,
    Figure,
    Grid,
    Outcome,
    Tool,
    cache_root,
    cached_run,
    grids,
    load_figures,
    pick,
    program,
    prose,
    python_module,
    report,
    run_program,
    score,
)

LAYOUTS = {
    "official": "A4 portrait, bordered tables as the national format draws them, 12 pt text, 10.5 pt tables",
    "narrow": "equal column widths, so long labels wrap over several lines beside their numbers",
    "vertical": "the merged label cells of table 三 written vertically, as many offices print them",
    "landscape": "tables on landscape pages, without borders, 9 pt",
}
FONT = "Noto Serif CJK SC"


# ---------------------------------------------------------------------------------------------- Word

def _font(run, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), FONT)


def _page_footer(section) -> None:
    """``— N —`` centred at the foot of every page, N a PAGE field."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(para.add_run("— "), 12)
    run = para.add_run()
    _font(run, 12)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._element.append(el)
    _font(para.add_run(" —"), 12)


def _no_borders(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _vertical(cell) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    direction = OxmlElement("w:textDirection")
    direction.set(qn("w:val"), "tbRlV")
    cell._tc.get_or_add_tcPr().append(direction)


def _table(doc, grid: Grid, layout: str) -> None:
    """A statutory table with its merged cells, as Word holds it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    size = {"landscape": 9, "narrow": 10}.get(layout, 10.5)
    table = doc.add_table(rows=len(grid.rows), cols=grid.width)
    if layout == "landscape":
        _no_borders(table)
    else:
        table.style = "Table Grid"
    placed: set[tuple[int, int]] = set()
    for r, row in enumerate(grid.rows):
        c = 0
        for cell in row:
            while (r, c) in placed:
                c += 1
            target = table.cell(r, c)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
            placed.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            para = target.paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER if cell.kind != "label" else WD_ALIGN_PARAGRAPH.LEFT
            if cell.text:
                _font(para.add_run(cell.text), size, bold=cell.kind in ("header", "caption") and layout != "landscape")
            if layout == "vertical" and cell.kind == "label" and cell.rowspan > 2:
                _vertical(target)
            c += cell.colspan
    if grid.table_id == "applications":  # "narrow" keeps Word's equal widths: labels wrap over many lines
        widths = {"official": [1.6, 2.2, 4.4] + [1.2] * 7, "vertical": [0.9, 1.6, 5.2] + [1.2] * 7,
                  "landscape": [2.5, 3.5, 6.5] + [1.4] * 7}.get(layout)
        if widths:
            table.autofit = False
            for i, width in enumerate(widths):
                table.columns[i].width = Cm(width)  # the grid LibreOffice lays out by
                for cell in table.columns[i].cells:
                    cell.width = Cm(width)


def docx_bytes(fig: Figure, layout: str) -> bytes:
    """The report as a Word file in a layout."""
    import io

    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = docx.Document()
    words = prose(fig)
    tables = {g.table_id: g for g in grids(fig)}
    section = doc.sections[0]
    _page_footer(section)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(words["title"][0]), 22, bold=True)

    def para(text: str, heading: bool = False) -> None:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(24)
        _font(p.add_run(text), 12 if layout != "landscape" else 14, bold=heading)

    for text in words["intro"]:
        para(text)
    for name, paras in words.items():
        if name in ("title", "intro"):
            continue
        para(name, heading=True)
        for text in paras:
            para(text)
        grid = tables.get(TABLE_OF_SECTION.get(name, ""))
        if grid is None:
            continue
        if layout == "landscape":
            doc.add_section()
            wide = doc.sections[-1]
            wide.orientation = WD_ORIENT.LANDSCAPE
            wide.page_width, wide.page_height = section.page_height, section.page_width
        _table(doc, grid, layout)
        if layout == "landscape":
            doc.add_section()
            back = doc.sections[-1]
            back.orientation = WD_ORIENT.PORTRAIT
            back.page_width, back.page_height = section.page_width, section.page_height
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def documents(fig: Figure, layout: str, root: Path, fresh: bool = False) -> tuple[Path, Path | None]:
    """(Word file, PDF) of a figure in a layout, made once into the cache. The PDF is None when
    LibreOffice is not installed or fails on the file."""
    folder = root / "docs" / layout
    folder.mkdir(parents=True, exist_ok=True)
    docx_path, pdf_path = folder / f"{fig.name}.docx", folder / f"{fig.name}.pdf"
    data = docx_bytes(fig, layout)
    changed = fresh or not docx_path.exists() or _docx_text(docx_path) != _docx_text_of(data)
    if changed:
        docx_path.write_bytes(data)
        pdf_path.unlink(missing_ok=True)
    if not pdf_path.exists() and shutil.which("soffice"):
        try:
            _soffice(docx_path, "pdf", folder)
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            print(f"{docx_path}: no PDF ({e})", file=sys.stderr)
    return docx_path, pdf_path if pdf_path.exists() else None


def _docx_text_of(data: bytes) -> bytes:
    """The document part of a Word file (the zip around it holds dates, so whole files never compare equal)."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return b"".join(z.read(n) for n in sorted(z.namelist()) if n.startswith("word/"))


def _docx_text(path: Path) -> bytes:
    return _docx_text_of(path.read_bytes())


def _soffice(path: Path, target: str, outdir: Path) -> Path:
    """LibreOffice headless conversion, with a profile of its own so that runs in parallel do not collide."""
    with tempfile.TemporaryDirectory(prefix="gxtables-lo-") as profile:
        run_program(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
                     "--outdir", str(outdir), str(path)], timeout=120)
    ext = target.split(":")[0]
    return outdir / f"{path.stem}.{ext}"


# ---------------------------------------------------------------------------------------------- tools

def _pdftotext(mode: str):
    return lambda p: run_program(["pdftotext", mode, "-enc", "UTF-8", str(p), "-"])


def _pdfplumber_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _pdfplumber_tables(path: Path) -> str:
    """Each page's text outside its tables, and each table's rows joined with `` | ``, top to bottom."""
    import pdfplumber

    out: list[str] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            found = page.find_tables()
            boxes = [t.bbox for t in found]

            def outside(obj, boxes=boxes) -> bool:
                mid_x, mid_y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
                return not any(x0 <= mid_x <= x1 and top <= mid_y <= bottom for x0, top, x1, bottom in boxes)

            pieces = [(line["top"], line["text"]) for line in page.filter(outside).extract_text_lines()]
            for t in found:
                rows = [" | ".join(c or "" for c in row) for row in t.extract()]
                pieces.append((t.bbox[1], "\n".join(rows)))
            out.extend(text for _, text in sorted(pieces, key=lambda p: p[0]))
    return "\n".join(out)


def _pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(str(path))


def _pymupdf(path: Path) -> str:
    import pymupdf

    with pymupdf.open(path) as doc:
        return "".join(page.get_text() for page in doc)


def _pymupdf4llm(path: Path) -> str:
    import pymupdf4llm

    return pymupdf4llm.to_markdown(str(path), show_progress=False)


def _pypdf(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _docx2txt(path: Path) -> str:
    import docx2txt

    return docx2txt.process(str(path))


def _python_docx(path: Path) -> str:
    """Paragraphs and table rows (cells joined with `` | ``) in the order of the document."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = docx.Document(str(path))
    out = []
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(block, doc).text)
        elif tag == "tbl":
            out.extend(" | ".join(c.text for c in row.cells) for row in Table(block, doc).rows)
    return "\n".join(out)


def _lo_txt(path: Path) -> str:
    with tempfile.TemporaryDirectory(prefix="gxtables-lo-out-") as outdir:
        made = _soffice(path, "txt:Text (encoded):UTF8", Path(outdir))
        return made.read_text(encoding="utf-8-sig", errors="replace")


def _pandoc(fmt: str):
    return lambda p: run_program(["pandoc", "-f", "docx", "-t", fmt, str(p)])


def _missing_pymupdf4llm() -> str | None:
    return python_module("pymupdf4llm")() or python_module("pymupdf")()


TOOLS = [
    Tool("pdftotext_layout", _pdftotext("-layout"), program("pdftotext"), ("pdf",)),
    Tool("pdftotext_raw", _pdftotext("-raw"), program("pdftotext"), ("pdf",)),
    Tool("pdfplumber_text", _pdfplumber_text, python_module("pdfplumber"), ("pdf",)),
    Tool("pdfplumber_tables", _pdfplumber_tables, python_module("pdfplumber"), ("pdf",)),
    Tool("pdfminer", _pdfminer, python_module("pdfminer"), ("pdf",)),
    Tool("pymupdf", _pymupdf, python_module("pymupdf"), ("pdf",)),
    Tool("pymupdf4llm", _pymupdf4llm, _missing_pymupdf4llm, ("pdf",)),
    Tool("pypdf", _pypdf, python_module("pypdf"), ("pdf",)),
    Tool("docx2txt", _docx2txt, python_module("docx2txt"), ("docx",)),
    Tool("pythondocx", _python_docx, python_module("docx"), ("docx",)),
    Tool("lo_txt", _lo_txt, program("soffice"), ("docx",)),
    Tool("pandoc_plain", _pandoc("plain"), program("pandoc"), ("docx",)),
    Tool("pandoc_gfm", _pandoc("gfm"), program("pandoc"), ("docx",)),
]


# ---------------------------------------------------------------------------------------------- run

def _render(job: tuple[Figure, str, bool]) -> tuple[str, str, Path, Path | None]:
    fig, layout, fresh = job
    docx_path, pdf_path = documents(fig, layout, cache_root() / "extractors", fresh)
    return fig.name, layout, docx_path, pdf_path


def _one(job: tuple[Figure, str, Path, Path | None, list[str], bool]) -> list[Outcome]:
    """Every chosen tool on one figure's files in one layout, each output parsed and scored."""
    fig, layout, docx_path, pdf_path, tool_names, fresh = job
    root = cache_root() / "extractors"
    out = []
    for tool in (t for t in TOOLS if t.name in tool_names):
        doc = pdf_path if "pdf" in tool.accepts else docx_path
        if doc is None:
            text, error, kept = None, "no PDF: LibreOffice is not installed or failed", None
        else:
            text, error, kept = cached_run(tool, doc, root / "out" / layout, fresh)
        o = score(fig, layout, tool.name, text, error)
        o.output = str(kept) if kept else None
        out.append(o)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tools", help="comma-separated tools (default: all)")
    ap.add_argument("--layouts", "--styles", dest="layouts", help="comma-separated document layouts (default: all)")
    ap.add_argument("--limit", type=int, help="only the first N figures")
    ap.add_argument("--verbose", action="store_true", help="list every wrong cell and every failed extraction")
    ap.add_argument("--json", metavar="OUT", help="write the totals and every run to this JSON file")
    ap.add_argument("--fresh", action="store_true", help="render, convert and extract again, ignoring the cache")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: one per core)")
    ap.add_argument("--list", action="store_true", help="list the layouts and tools and stop")
    args = ap.parse_args(argv)
    if args.list:
        for name, what in LAYOUTS.items():
            print(f"layout {name}: {what}")
        for t in TOOLS:
            print(f"tool {t.name}: {t.missing() or 'installed'}")
        return 0
    layouts = pick(list(LAYOUTS), args.layouts, "layout")
    names = pick([t.name for t in TOOLS], args.tools, "tool")
    notes = {t.name: why for t in TOOLS if t.name in names and (why := t.missing())}
    runnable = [n for n in names if n not in notes]
    figures = load_figures()[: args.limit] if args.limit else load_figures()
    by_name = {f.name: f for f in figures}
    print(f"{len(figures)} figures x {len(layouts)} layouts x {len(runnable)} tools "
          f"(cache: {cache_root() / 'extractors'})", file=sys.stderr)
    renders = [(fig, layout, args.fresh) for fig in figures for layout in layouts]
    with ProcessPoolExecutor(max(args.jobs, 1)) as pool:
        made = list(pool.map(_render, renders))
        jobs = [(by_name[name], layout, d, p, runnable, args.fresh) for name, layout, d, p in made]
        outcomes = [o for batch in pool.map(_one, jobs) for o in batch]
    report(outcomes, names, notes, args.verbose, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
