"""Reading Word files (.docx): the body's paragraphs and tables in document order, merged cells expanded.

A .docx is a ZIP archive whose ``word/document.xml`` holds the body. It is read with lxml directly, not
through python-docx: only that part (and the numbering) is needed (python-docx loads every part of the
package and leaves vertical merges and list numbers to the caller), which makes reading several times
faster and lets a broken part be reported as exactly that. Horizontal merges (``gridSpan``, and the old
``hMerge``) and vertical ones (``vMerge``) become the covered positions of a :class:`Grid`. The numbers
Word prints before numbered paragraphs ("一、", "（三）", "1.") are put back (:mod:`.numbering`), from
``word/numbering.xml`` and ``word/styles.xml`` when the file has them.
"""
from __future__ import annotations

import io
import zipfile

import lxml.etree

from ..io import ReadError
from .model import Block, Document, Grid, GridCell, Origin, Paragraph
from .numbering import Numbering
from .text import join_lines, squeeze

__all__ = ["MAX_PART_BYTES", "docx_to_document"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
TC, TC_PR, GRID_SPAN, V_MERGE, H_MERGE, VAL = (f"{W}tc", f"{W}tcPr", f"{W}gridSpan", f"{W}vMerge", f"{W}hMerge",
                                              f"{W}val")
MAX_PART_BYTES = 200 * 1024 * 1024  # document.xml of a real report is under 1 MB: a larger one is a ZIP bomb
MAX_CELLS = 2_000_000  # positions of one expanded grid (a statutory table has ~300)
# Elements that wrap body or row content without being content themselves (content controls, custom XML,
# tracked insertions and moves), looked through.
WRAPPERS = frozenset({f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}smartTag", f"{W}ins", f"{W}moveTo",
                      f"{W}hyperlink", f"{W}fldSimple", f"{W}r", f"{W}dir", f"{W}bdo"})
# Content that is not printed: deleted and moved-away text, field instructions, the fallback copy of a
# drawing (its text is also in the choice), properties.
SKIPPED = frozenset({f"{W}del", f"{W}moveFrom", f"{W}instrText", f"{W}delText", f"{MC}Fallback", f"{W}rPr", f"{W}pPr",
                     f"{W}tblPr", f"{W}trPr", f"{W}tcPr", f"{W}sectPr", f"{W}tblGrid"})


T = f"{W}t"
# What the printing elements of a run print (text aside), and the elements whose text is not printed.
PRINTED = {T: "", f"{W}tab": " ", f"{W}ptab": " ", f"{W}br": "\n", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}
UNPRINTED = (f"{W}del", f"{W}moveFrom", f"{MC}Fallback")


def _val(el, path: str) -> str | None:
    """The ``w:val`` of the element at ``path`` below ``el`` ("" when it is present without one)."""
    found = el.find(path)
    if found is None:
        return None
    return found.get(f"{W}val", "")


def _int(value: str | None, default: int = 1) -> int:
    try:
        return max(1, min(int(value or default), 1000))
    except ValueError:
        return default


def _paragraph_text(p, numbering: Numbering | None = None) -> str:
    """A paragraph's text: its automatic number, runs, tabs as blanks, line breaks as line ends; deleted
    text left out."""
    out: list[str] = [numbering.label(p.find(f"{W}pPr"))] if numbering is not None else []
    fast: list[str] = []
    for el in p.iter(*PRINTED, *UNPRINTED):  # one pass in C, unless the paragraph holds text not printed
        tag = el.tag
        if tag in UNPRINTED:
            break
        fast.append(el.text or "" if tag == T else PRINTED[tag])
    else:
        return "".join(out + fast)

    def walk(el) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in SKIPPED:
                continue
            if tag == f"{W}t":
                out.append(child.text or "")
            elif tag in (f"{W}tab", f"{W}ptab"):
                out.append(" ")
            elif tag in (f"{W}br", f"{W}cr"):
                out.append("\n")
            elif tag == f"{W}noBreakHyphen":
                out.append("-")
            else:
                walk(child)

    walk(p)
    return "".join(out)


class _Reader:
    """Walks the body once, in document order, collecting paragraphs and grids."""

    def __init__(self, numbering: Numbering | None = None) -> None:
        self.blocks: list[Block] = []
        self.problems: list[str] = []
        self.tables = 0
        self.numbering = numbering

    def body(self, el) -> None:
        for child in el:
            tag = child.tag
            if tag == f"{W}p":
                for line in _paragraph_text(child, self.numbering).split("\n"):
                    if text := squeeze(line):
                        self.blocks.append(Paragraph(text, Origin()))
            elif tag == f"{W}tbl":
                self.table(child)
            elif isinstance(tag, str) and (tag in WRAPPERS or tag == f"{MC}AlternateContent" or tag == f"{MC}Choice"):
                self.body(child)

    def table(self, tbl) -> None:
        rows = [_cells(tr) for tr in _rows(tbl)]
        if any(tc.find(f".//{W}tbl") is not None for _, tcs, _ in rows for tc, *_ in tcs):
            # a layout table: its cells are the document's flow, the tables inside them are read on their own
            for _, tcs, _ in rows:
                for tc, *_ in tcs:
                    self.body(tc)
            return
        grid = self.grid(rows)
        if grid is not None:
            self.blocks.append(grid)

    def grid(self, rows: list[tuple[int, list, int]]) -> Grid | None:
        """Rows expanded: a cell spanning columns fills them all; a ``vMerge`` continuation is covered by
        the cell above it; positions no cell reaches (``gridBefore``/``gridAfter``, short rows) are covered
        and empty."""
        index = self.tables
        width = max((before + sum(span for _, span, _, _ in tcs) + after for before, tcs, after in rows), default=0)
        if width == 0 or width * len(rows) > MAX_CELLS:
            if width:
                self.problems.append(f"table {index}: more than {MAX_CELLS:,} cells; not read")
            return None
        # per position: (text, anchor row, anchor column, colspan, is anchor); spans filled in afterwards
        grid: list[list[list | None]] = [[None] * width for _ in rows]
        rowspan: dict[tuple[int, int], int] = {}
        for r, (before, tcs, _) in enumerate(rows):
            c = before
            for tc, span, vmerge, hmerge in tcs:
                text = _cell_text(tc, self.numbering)
                above = grid[r - 1][c] if r and c < width else None
                if vmerge is not None and vmerge != "restart" and above is not None:
                    ar, ac = above[1], above[2]
                    rowspan[(ar, ac)] = r - ar + 1
                    for k in range(span):
                        if c + k < width:
                            grid[r][c + k] = [above[0], ar, ac, above[3], False]
                elif hmerge is not None and hmerge != "restart" and c and grid[r][c - 1] is not None:
                    left = grid[r][c - 1]
                    for k in range(span):
                        if c + k < width:
                            grid[r][c + k] = [left[0], left[1], left[2], left[3] + 1, False]
                    anchor = grid[left[1]][left[2]]
                    if anchor is not None:
                        anchor[3] += span
                else:
                    for k in range(span):
                        if c + k < width:
                            grid[r][c + k] = [text, r, c, span, k == 0]
                c += span
        out = []
        for r, row in enumerate(grid):
            cells = []
            for c, pos in enumerate(row):
                if pos is None:
                    cells.append(GridCell("", Origin(table=index, row=r, column=c), covered=True))
                    continue
                text, ar, ac, colspan, first = pos
                origin = Origin(table=index, row=ar, column=ac) if first else Origin(table=index, row=r, column=c)
                cells.append(GridCell(text, origin, rowspan.get((ar, ac), 1), colspan, covered=not first))
            out.append(tuple(cells))
        if not any(cell.text for row in out for cell in row):
            return None
        self.tables += 1
        return Grid(tuple(out), Origin(table=index))


def _rows(tbl) -> list:
    """The table's own rows, looking through content controls and custom XML around them."""
    out = []
    for child in tbl:
        if child.tag == f"{W}tr":
            out.append(child)
        elif child.tag in WRAPPERS:
            out.extend(_rows(child))
    return out


def _cells(tr) -> tuple[int, list[tuple], int]:
    """(grid columns skipped before the first cell, the row's cells, columns left after the last); each
    cell as (element, grid columns it spans, its ``vMerge`` and ``hMerge`` values or None)."""
    cells = []

    def collect(el) -> None:
        for child in el:
            if child.tag == TC:
                span, vmerge, hmerge = 1, None, None
                props = child.find(TC_PR)
                if props is not None:
                    for prop in props:
                        if prop.tag == GRID_SPAN:
                            span = _int(prop.get(VAL))
                        elif prop.tag == V_MERGE:
                            vmerge = prop.get(VAL, "")
                        elif prop.tag == H_MERGE:
                            hmerge = prop.get(VAL, "")
                cells.append((child, span, vmerge, hmerge))
            elif child.tag in WRAPPERS:
                collect(child)

    collect(tr)
    before = _val(tr, f"{W}trPr/{W}gridBefore")
    after = _val(tr, f"{W}trPr/{W}gridAfter")
    return (_int(before, 0) if before else 0), cells, (_int(after, 0) if after else 0)


def _cell_text(tc, numbering: Numbering | None = None) -> str:
    """A cell's paragraphs as one line (a label broken over lines joined back)."""
    lines: list[str] = []
    for p in tc.iter(f"{W}p"):
        lines.extend(squeeze(line) for line in _paragraph_text(p, numbering).split("\n"))
    return join_lines(lines)


def _part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    """A part the body refers to (numbering, styles), or None when it is missing, too large or damaged."""
    try:
        info = archive.getinfo(name)
        return archive.read(info) if info.file_size <= MAX_PART_BYTES else None
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None


def docx_to_document(data: bytes, source: str | None = None) -> Document:
    """Read a Word file's bytes into a :class:`Document`; raises :class:`~gxtables.io.ReadError` naming
    ``source`` when the archive or its ``word/document.xml`` is broken."""
    name = source or "<docx>"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo("word/document.xml")
    except KeyError:
        raise ReadError(f"{name}: a ZIP archive without word/document.xml, not a Word (.docx) file") from None
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError(f"{name}: a Word (.docx) file whose ZIP archive is damaged or cut short ({exc})") from exc
    if info.file_size > MAX_PART_BYTES:
        raise ReadError(f"{name}: word/document.xml unpacks to {info.file_size:,} bytes, more than the "
                        f"{MAX_PART_BYTES:,}-byte limit")
    try:
        xml = archive.read(info)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise ReadError(f"{name}: a Word (.docx) file whose word/document.xml cannot be unpacked ({exc})") from exc
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True,
                                  remove_pis=True)
    try:
        root = lxml.etree.fromstring(xml, parser=parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise ReadError(f"{name}: a Word (.docx) file whose word/document.xml is broken XML ({exc})") from exc
    body = root.find(f"{W}body")
    if body is None:
        raise ReadError(f"{name}: a Word (.docx) file whose word/document.xml has no body")
    reader = _Reader(Numbering(_part(archive, "word/numbering.xml"), _part(archive, "word/styles.xml")))
    reader.body(body)
    problems = tuple(reader.problems)
    if not reader.blocks:
        problems += ("the Word file holds no text",)
    return Document("docx", source, tuple(reader.blocks), problems)
