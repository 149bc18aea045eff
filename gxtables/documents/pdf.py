"""PDF reader: the text layer with positions → a :class:`~gxtables.documents.model.Document`.

A PDF knows where every character was printed, and a table drawn with ruling lines knows every cell:
the lines cut the page into cells, a merged cell is a rectangle over several of them. So each table is
rebuilt as a grid from its lines (bordered tables) or from the columns its words stand in (tables drawn
without lines), each character goes to the cell it was printed in, and the prose around the tables
becomes paragraphs in reading order. Running headers, footers and page numbers are taken out; a table
continued on the next page is joined into one grid, its repeated header rows dropped and a cell broken
by the page (a wrapped label, a group label printed down the page) joined again.

What the reader cannot use is said, not raised: a PDF without a text layer (a scan) gives a document
with the problem ``no text layer: run OCR first``. A file that is not a readable PDF at all — encrypted
with a password, damaged, truncated before its pages — is the caller's to fix and raises
:class:`~gxtables.io.ReadError` naming the file. Page count and time are bounded, so that no file can
hang a batch.
"""
from __future__ import annotations

import io
import itertools
import time
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

import regex

from ..io import ReadError
from .model import Document, Grid, GridCell, Origin, Paragraph

__all__ = ["MAX_PAGES", "TIME_LIMIT", "pdf_to_document"]

MAX_PAGES = 300  # a report has a few dozen pages at most; a longer file is read up to here and said so
TIME_LIMIT = 60.0  # seconds for one file; pages past it are not read, and the document says so

# A page number on a line of its own: `— 2 —`, `- 3 -`, `－4－`, `2`, `第 2 页`, `第2页 共5页`, `2/5`, `Page 2 of 5`
RE_PAGE_NUMBER = regex.compile(
    r"^(?:[\-—–－‐‑―~·•\s]*\d{1,4}[\-—–－‐‑―~·•\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?i:page)\s*\d{1,4}(?:\s*(?i:of)\s*\d{1,4})?)$"
)
# Numbering that opens a row label or a heading (一、 （一） 1. (1) 第二十条): a cell starting with it
# starts a new row, it does not continue the cell above across a page break
RE_NUMBERING = regex.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|\d{1,2}\s*[、.．]|第)")
# A heading of the report's own sections (二、主动公开政府信息情况): above a table, never one of its rows
RE_SECTION = regex.compile(r"^\s*[一二三四五六七八九十]{1,2}\s*、")
# A cell that is a value, not words: digits with signs, separators, decimals, a unit or a placeholder
RE_VALUE = regex.compile(r"^[\s+\-−－—/无增减]*\d[\d,，.．\s]*(?:万?元|件|条|个|项|%)?$|^[/／—–\-－无]$")
RE_DIGIT = regex.compile(r"\d")


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"


def _wordy(ch: str) -> bool:
    """A Latin letter or digit: two of them across a gap or a line break are two words."""
    return ch.isascii() and ch.isalnum()


# --------------------------------------------------------------------------------------------- characters


@dataclass(slots=True)
class _Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float


@dataclass(slots=True)
class _Line:
    """Characters printed on one baseline, left to right."""

    chars: list[_Char]
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    text: str = ""
    page: int = 0


def _chars_of(page) -> tuple[list[_Char], int]:
    """The page's printed characters (blanks other than spaces dropped), and how many had no Unicode
    mapping (pdfminer prints those as ``(cid:N)``: a font without a ToUnicode map, unreadable as text)."""
    out: list[_Char] = []
    unmapped = 0
    for c in page.chars:
        t = c["text"]
        if not t or (t.isspace() and t != " "):
            continue
        if t.startswith("(cid:"):
            unmapped += 1
            continue
        out.append(_Char(t, c["x0"], c["top"], c["x1"], c["bottom"], c["size"]))
    return out, unmapped


def _join_chars(chars: list[_Char]) -> str:
    """Text of one line: a space where the PDF printed one or where two Latin words stand apart."""
    parts: list[str] = []
    prev: _Char | None = None
    for c in chars:
        if prev is not None:
            if c.text == prev.text and abs(c.x0 - prev.x0) < 0.3 * max(prev.x1 - prev.x0, 0.5) and abs(c.top - prev.top) < 1:
                continue  # a character printed twice a hair apart to look bold
            gap = c.x0 - prev.x1
            if c.text != " " and prev.text != " " and gap > 0.25 * min(c.size, prev.size) and _wordy(prev.text[-1]) and _wordy(c.text[0]):
                parts.append(" ")
        parts.append(c.text)
        prev = c
    return regex.sub(r"\s+", " ", "".join(parts)).strip()


def _lines_of(chars: list[_Char]) -> list[_Line]:
    """Group characters into lines: those whose vertical extents overlap by most of their height."""
    lines: list[_Line] = []
    for c in sorted(chars, key=lambda c: (round(c.top, 1), c.x0)):
        h = c.bottom - c.top
        for ln in reversed(lines[-3:]):
            overlap = min(ln.bottom, c.bottom) - max(ln.top, c.top)
            if overlap > 0.5 * min(h, ln.bottom - ln.top):
                ln.chars.append(c)
                ln.x0, ln.x1 = min(ln.x0, c.x0), max(ln.x1, c.x1)
                ln.top, ln.bottom = min(ln.top, c.top), max(ln.bottom, c.bottom)
                break
        else:
            lines.append(_Line([c], c.x0, c.top, c.x1, c.bottom, c.size))
    for ln in lines:
        ln.chars.sort(key=lambda c: c.x0)
        ln.text = _join_chars(ln.chars)
        sizes = Counter(round(c.size, 1) for c in ln.chars if not c.text.isspace())
        ln.size = sizes.most_common(1)[0][0] if sizes else ln.size
    return [ln for ln in lines if ln.text]


def _join_lines(texts: list[str]) -> str:
    """Lines wrapped inside one cell or paragraph, joined: no space in Chinese, one between Latin words."""
    out = ""
    for t in texts:
        if out and t and _wordy(out[-1]) and _wordy(t[0]) and not (out[-1].isdigit() and t[0].isdigit()):
            out += " "
        out += t
    return out


# --------------------------------------------------------------------------------------------- tables


@dataclass(slots=True)
class _Cell:
    """A rectangle of a table piece: rows r0..r1-1, columns c0..c1-1, with its box and characters."""

    r0: int
    r1: int
    c0: int
    c1: int
    box: tuple[float, float, float, float]
    page: int
    chars: list[_Char] = field(default_factory=list)
    text: str = ""


@dataclass(slots=True)
class _Piece:
    """One table as printed on one page (or several pages, once joined)."""

    xs: list[float]  # column boundaries, left to right
    nrows: int
    cells: list[_Cell]
    page: int
    box: tuple[float, float, float, float]
    last_page: int = 0
    ruled: bool = True  # columns from ruling lines (exact) rather than from where the words stand

    @property
    def ncols(self) -> int:
        return len(self.xs) - 1


def _cluster(values: list[float], tol: float) -> list[float]:
    """Sorted values with neighbours closer than ``tol`` merged into their mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _index(bounds: list[float], v: float) -> int:
    """Index of the boundary nearest to ``v``."""
    i = bisect_right(bounds, v)
    if i == 0:
        return 0
    if i == len(bounds):
        return len(bounds) - 1
    return i if bounds[i] - v < v - bounds[i - 1] else i - 1


def _piece_from_boxes(boxes: list[tuple[float, float, float, float]], page: int) -> tuple[_Piece, list[float]] | None:
    """A grid from cell rectangles: their edges are the rows and columns, each rectangle one (merged) cell."""
    xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes], 2.0)
    ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes], 2.0)
    if len(xs) < 2 or len(ys) < 2:
        return None
    taken: set[tuple[int, int]] = set()
    cells: list[_Cell] = []
    for b in sorted(boxes, key=lambda b: (b[1], b[0])):
        c0, c1, r0, r1 = _index(xs, b[0]), _index(xs, b[2]), _index(ys, b[1]), _index(ys, b[3])
        if c1 <= c0 or r1 <= r0:
            continue
        spots = {(r, c) for r in range(r0, r1) for c in range(c0, c1)}
        if spots & taken:
            continue
        taken |= spots
        cells.append(_Cell(r0, r1, c0, c1, b, page))
    for r in range(len(ys) - 1):  # a position no rectangle covers is an empty cell of its own
        for c in range(len(xs) - 1):
            if (r, c) not in taken:
                cells.append(_Cell(r, r + 1, c, c + 1, (xs[c], ys[r], xs[c + 1], ys[r + 1]), page))
    box = (xs[0], ys[0], xs[-1], ys[-1])
    return _Piece(xs, len(ys) - 1, cells, page, box, page), ys


def _fill(piece: _Piece, ys: list[float], chars: list[_Char]) -> None:
    """Give each character to the cell its centre lies in, then each cell its text."""
    owner: dict[tuple[int, int], _Cell] = {}
    for cell in piece.cells:
        for r in range(cell.r0, cell.r1):
            for c in range(cell.c0, cell.c1):
                owner[(r, c)] = cell
    xs = piece.xs
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        c = min(max(bisect_right(xs, cx) - 1, 0), len(xs) - 2)
        r = min(max(bisect_right(ys, cy) - 1, 0), len(ys) - 2)
        owner[(r, c)].chars.append(ch)
    for cell in piece.cells:
        cell.text = _join_lines([ln.text for ln in _lines_of(cell.chars)]) if cell.chars else ""


def _ruled_tables(page, page_no: int) -> list[tuple[_Piece, list[float]]]:
    """Tables drawn with ruling lines, as pieces with their row boundaries."""
    out = []
    for t in page.find_tables():
        boxes = [tuple(b) for b in t.cells]
        if len(boxes) < 2:
            continue  # a framed paragraph, not a table
        built = _piece_from_boxes(boxes, page_no)
        if built is not None:
            out.append(built)
    return out


# --------------------------------------------------------------------------------------------- tables without lines


@dataclass(slots=True)
class _Seg:
    """Words of one line standing apart from the rest of it: the contents of one cell on that line."""

    chars: list[_Char]
    x0: float
    x1: float
    text: str
    value: bool


def _segments(line: _Line) -> list[_Seg]:
    """Cut a line where its characters stand further apart than words of prose ever do."""
    groups: list[list[_Char]] = [[]]
    prev: _Char | None = None
    for c in line.chars:
        if c.text == " ":
            continue
        if prev is not None and c.x0 - prev.x1 > max(0.9 * line.size, 5.0):
            groups.append([])
        groups[-1].append(c)
        prev = c
    out = []
    for g in groups:
        if g:
            text = _join_chars(g)
            out.append(_Seg(g, g[0].x0, max(c.x1 for c in g), text, bool(RE_VALUE.match(text))))
    return out


def _unruled_tables(lines: list[_Line], page_no: int) -> tuple[list[_Piece], list[_Line]]:
    """Tables printed without lines: runs of lines whose words stand in columns, two or more of them with
    values. Columns are the x-ranges that (nearly) no line prints across; each line is a row, words
    wrapped onto a line of their own go back to their row, and a label printed down the page one
    character a line becomes one cell over the rows it runs beside."""
    segs = [_segments(ln) for ln in lines]
    pieces: list[_Piece] = []
    keep: list[_Line] = []
    i = 0
    while i < len(lines):
        if len(segs[i]) < 2 or not any(sg.value for sg in segs[i]):
            keep.append(lines[i])
            i += 1
            continue
        # grow the run down while lines stay tabular, or are short pieces of a cell close below
        j = i + 1
        x0, x1 = lines[i].x0, lines[i].x1
        size = lines[i].size
        while j < len(lines):
            ln, prev = lines[j], lines[j - 1]
            close = ln.top - prev.bottom < 1.6 * max(size, prev.bottom - prev.top)
            if not close or abs(ln.size - size) > 0.6:
                break
            if len(segs[j]) < 2 and (ln.x1 - ln.x0 > 0.6 * (x1 - x0) or ln.x0 < x0 - 3 * size or ln.x1 > x1 + 2):
                break
            x0, x1 = min(x0, ln.x0), max(x1, ln.x1)
            j += 1
        # header lines just above the first line with values belong to the table too
        while i > 0 and keep and keep[-1] is lines[i - 1] and (len(segs[i - 1]) >= 2 or not RE_SECTION.match(lines[i - 1].text)) \
                and lines[i].top - lines[i - 1].bottom < 1.6 * size and abs(lines[i - 1].size - size) < 0.6 \
                and lines[i - 1].x1 - lines[i - 1].x0 < 0.6 * (x1 - x0) + (len(segs[i - 1]) >= 2) * (x1 - x0):
            keep.pop()
            i -= 1
        run = list(range(i, j))
        if sum(any(sg.value for sg in segs[k]) for k in run) >= 2:
            piece = _piece_from_segments([lines[k] for k in run], [segs[k] for k in run], page_no)
            if piece is not None:
                pieces.append(piece)
                i = j
                continue
        keep.extend(lines[k] for k in run)
        i = j
    return pieces, keep


def _column_edges(lines: list[_Line], segs: list[list[_Seg]]) -> list[float]:
    """Column edges where the lines say so: at an x where lines with words on both sides leave a gap
    at least half as often as words print across it (a header or label merged over columns). Within a
    stretch of such x, the edge goes where fewest words cross."""
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    n = int(right - left) + 1
    good = [0] * (n + 1)
    bad = [0] * (n + 1)
    for row in segs:
        for sg in row:
            for x in range(max(int(sg.x0 - left), 0), min(int(sg.x1 - left) + 1, n + 1)):
                bad[x] += 1
        for a, b in itertools.pairwise(row):
            for x in range(int(a.x1 - left) + 1, min(int(b.x0 - left), n + 1)):
                good[x] += 1
    edges = [left]
    x = 0
    while x <= n:
        if good[x] and 2 * good[x] >= bad[x]:
            start = x
            while x <= n and good[x] and 2 * good[x] >= bad[x]:
                x += 1
            if x - start >= 3:
                # clear gaps inside the stretch are edges each; without one, the x fewest words cross
                clear = [(a, b) for a, b in _runs([bad[k] == 0 for k in range(start, x)]) if b - a >= 3]
                if clear:
                    edges += [left + start + (a + b - 1) / 2 for a, b in clear]
                else:
                    least = min(bad[start:x])
                    best = [k for k in range(start, x) if bad[k] == least]
                    edges.append(left + (best[0] + best[-1]) / 2)
        x += 1
    edges.append(right)
    return edges


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """The [start, end) stretches where ``flags`` hold."""
    out = []
    start = None
    for i, f in enumerate([*flags, False]):
        if f and start is None:
            start = i
        elif not f and start is not None:
            out.append((start, i))
            start = None
    return out


def _piece_from_segments(lines: list[_Line], segs: list[list[_Seg]], page_no: int) -> _Piece | None:
    xs = _column_edges(lines, segs)
    ncols = len(xs) - 1
    if ncols < 2:
        return None
    first_value = min((_col_of(xs, sg)[0] for row in segs for sg in row if sg.value), default=ncols)
    # how far words reach in each column: a line of words that reached it was wrapped, one that stopped short was not
    reach: dict[int, float] = {}
    for row in segs:
        for sg in row:
            c = _col_of(xs, sg)[0]
            reach[c] = max(reach.get(c, sg.x1), sg.x1)
    last_line: dict[int, _Seg] = {}
    rows: list[dict[int, list[_Seg]]] = []
    spans: list[dict[int, int]] = []
    tops: list[tuple[float, float]] = []
    pending = False  # the last row has a label and no values yet: values on the next line are its own
    for ln, row in zip(lines, segs):
        placed: dict[int, list[_Seg]] = {}
        span: dict[int, int] = {}
        for sg in row:
            c0, c1 = _col_of(xs, sg)
            placed.setdefault(c0, []).append(sg)
            span[c0] = max(span.get(c0, 1), c1 - c0)
        has_values = any(sg.value for sg in row)
        labels_only = not has_values and all(c < first_value for c in placed)
        numbered = any(RE_NUMBERING.match(sg.text) for sg in row)
        # a first-column label under one that stopped well short of the column's reach is a row of its own (its cells blank)
        wrapped = not (set(placed) == {0} and 0 in last_line and last_line[0].x1 < reach[0] - 3 * ln.size)
        if rows and labels_only and not numbered and wrapped:
            target = len(rows) - 1  # words wrapped onto a line of their own
        elif rows and pending and has_values and not numbered and all(c >= first_value or _fragment(_seg_text(v)) for c, v in placed.items()):
            target = len(rows) - 1  # the values of a label printed on the line above
        else:
            rows.append({})
            spans.append({})
            tops.append((ln.top, ln.bottom))
            target = len(rows) - 1
            pending = False
        for c, sgs in placed.items():
            rows[target].setdefault(c, []).extend(sgs)
            spans[target][c] = max(spans[target].get(c, 1), span[c])
        tops[target] = (min(tops[target][0], ln.top), max(tops[target][1], ln.bottom))
        last_line = {c: sgs[-1] for c, sgs in placed.items()}
        # a numbered label alone on its line (values printed level with its second line) waits for them
        pending = target == len(rows) - 1 and labels_only and numbered and not any(sg.value for sgs in rows[target].values() for sg in sgs)
    # a label printed one character a line down a column: one cell over the rows it runs beside
    vertical: list[tuple[int, int, int]] = []
    for c in range(first_value):
        r = 0
        while r < len(rows):
            texts = [_seg_text(rows[k].get(c, [])) for k in range(r, len(rows))]
            run = 0
            while run < len(texts) and 0 < len(texts[run]) <= 2 and not RE_VALUE.match(texts[run]):
                run += 1
            if run >= 3:
                vertical.append((c, r, r + run))
                r += run
            else:
                r += 1
    ys = [t[0] for t in tops] + [tops[-1][1]]
    cells: list[_Cell] = []
    covered: set[tuple[int, int]] = set()
    for c, r0, r1 in vertical:
        chars = [ch for k in range(r0, r1) for sg in rows[k].pop(c, []) for ch in sg.chars]
        cell = _Cell(r0, r1, c, c + 1, (xs[c], ys[r0], xs[c + 1], ys[r1]), page_no, chars,
                     "".join(_seg_text([sg]) for sg in _segments_in_order(chars)))
        cells.append(cell)
        covered |= {(k, c) for k in range(r0, r1)}
    for r, row in enumerate(rows):
        for c in sorted(row):
            if (r, c) in covered:
                continue
            c1 = min(c + spans[r][c], ncols)
            while any((r, k) in covered for k in range(c + 1, c1)):
                c1 -= 1
            chars = [ch for sg in row[c] for ch in sg.chars]
            text = _join_lines([ln.text for ln in _lines_of(chars)])
            cells.append(_Cell(r, r + 1, c, c1, (xs[c], ys[r], xs[c1], ys[r + 1]), page_no, chars, text))
            covered |= {(r, k) for k in range(c, c1)}
    for r in range(len(rows)):
        for c in range(ncols):
            if (r, c) not in covered:
                cells.append(_Cell(r, r + 1, c, c + 1, (xs[c], ys[r], xs[c + 1], ys[r + 1]), page_no))
    return _Piece(xs, len(rows), cells, page_no, (xs[0], ys[0], xs[-1], ys[-1]), page_no, ruled=False)


def _segments_in_order(chars: list[_Char]) -> list[_Seg]:
    return [_Seg([c], c.x0, c.x1, c.text, False) for c in sorted(chars, key=lambda c: (c.top, c.x0))]


def _seg_text(sgs: list[_Seg]) -> str:
    return "".join(sg.text for sg in sgs)


def _col_of(xs: list[float], sg: _Seg) -> tuple[int, int]:
    """The columns a piece of a line stands in: those it covers more than a little of."""
    cols = [c for c in range(len(xs) - 1) if min(sg.x1, xs[c + 1]) - max(sg.x0, xs[c]) > 0.15 * min(sg.x1 - sg.x0, xs[c + 1] - xs[c])]
    if not cols:
        mid = (sg.x0 + sg.x1) / 2
        c = min(max(bisect_right(xs, mid) - 1, 0), len(xs) - 2)
        return c, c + 1
    return cols[0], cols[-1] + 1


def _inside(ch: _Char, box: tuple[float, float, float, float], slack: float = 1.0) -> bool:
    cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
    return box[0] - slack <= cx <= box[2] + slack and box[1] - slack <= cy <= box[3] + slack


# --------------------------------------------------------------------------------------------- pages


@dataclass(slots=True)
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line]  # prose lines, outside every table
    pieces: list[_Piece]
    unmapped: int = 0  # characters printed without a Unicode mapping


def _read_page(page, page_no: int) -> _Page:
    chars, unmapped = _chars_of(page)
    if unmapped > len(chars):
        chars = []  # mostly codes without meaning: what is left cannot be read as the page's text either
    pieces: list[_Piece] = []
    rest = chars
    if chars:
        for piece, ys in _ruled_tables(page, page_no):
            inside = [c for c in rest if _inside(c, piece.box)]
            if not inside:
                continue  # a frame with nothing printed in it
            rest = [c for c in rest if not _inside(c, piece.box)]
            _fill(piece, ys, inside)
            pieces.append(piece)
    lines = _lines_of(rest)
    for ln in lines:
        ln.page = page_no
    found, lines = _unruled_tables(lines, page_no)
    pieces += found
    return _Page(page_no, float(page.width), float(page.height), lines, pieces, unmapped)


def _drop_running_lines(pages: list[_Page]) -> None:
    """Take out page numbers and running headers and footers: the lines at a page's top or bottom edge
    that are a page number, or that repeat (digits aside) on the edges of other pages."""
    def edge_lines(p: _Page) -> list[_Line]:
        tops = [ln.top for ln in p.lines] + [pc.box[1] for pc in p.pieces]
        bottoms = [ln.bottom for ln in p.lines] + [pc.box[3] for pc in p.pieces]
        if not tops:
            return []
        first, last = min(tops), max(bottoms)
        return [ln for ln in p.lines if (ln.top <= first + 1 and ln.bottom < p.height * 0.2)
                or (ln.bottom >= last - 1 and ln.top > p.height * 0.8)]

    def shape(text: str) -> str:
        return RE_DIGIT.sub("#", regex.sub(r"\s+", "", text))

    edges = {p.number: edge_lines(p) for p in pages}
    seen = Counter(s for lines in edges.values() for s in {shape(ln.text) for ln in lines})
    for p in pages:
        drop = {id(ln) for ln in edges[p.number]
                if RE_PAGE_NUMBER.match(ln.text.strip()) or (len(pages) >= 2 and seen[shape(ln.text)] >= max(2, len(pages) // 2 + 1))}
        p.lines = [ln for ln in p.lines if id(ln) not in drop]


# --------------------------------------------------------------------------------------------- joins


def _row_texts(piece: _Piece, r: int) -> list[str]:
    row = [""] * piece.ncols
    for cell in piece.cells:
        if cell.r0 == r:
            row[cell.c0] = cell.text
    return row


def _same_columns(a: _Piece, b: _Piece, tol: float = 2.5) -> bool:
    """Two pieces are one table's when their edges meet and each column edge of one is an edge of the other
    (a continuation may lack the edges of header cells it does not repeat)."""
    if not (a.ruled and b.ruled):
        # columns found from the words: the same count, each edge near its fellow
        pitch = min(y - x for x, y in itertools.pairwise(a.xs))
        return a.ruled == b.ruled and len(a.xs) == len(b.xs) and all(abs(x - y) < 0.5 * pitch for x, y in zip(a.xs, b.xs))
    if abs(a.xs[0] - b.xs[0]) > tol or abs(a.xs[-1] - b.xs[-1]) > tol:
        return False
    small, large = (a.xs, b.xs) if len(a.xs) <= len(b.xs) else (b.xs, a.xs)
    return all(min(abs(x - y) for y in large) <= tol for x in small)


def _regrid(piece: _Piece, xs: list[float]) -> None:
    """Put a piece on another set of column edges (a superset of its own)."""
    for cell in piece.cells:
        cell.c0 = _index(xs, piece.xs[cell.c0])
        cell.c1 = _index(xs, piece.xs[cell.c1])
    # edges the piece lacked split nothing of its own: a cell keeps spanning the columns between its edges
    piece.xs = xs


def _fragment(text: str) -> bool:
    """Words continuing a cell broken by the page: no numbering of their own, not a value."""
    return bool(text) and not RE_NUMBERING.match(text) and not RE_VALUE.match(text)


def _join(a: _Piece, b: _Piece) -> _Piece:
    """Append piece ``b`` (printed on the next page) to ``a``: same columns, header rows repeated on ``b``
    dropped, and cells broken by the page joined."""
    if a.ruled:
        xs = _cluster(a.xs + b.xs, 2.5)
        _regrid(a, xs)
        _regrid(b, xs)
    else:
        b.xs = a.xs  # the same number of columns, edges found a little apart
    # header rows printed again at the top of the continuation
    skip = 0
    while skip < min(a.nrows, b.nrows) - 1:
        ra, rb = _row_texts(a, skip), _row_texts(b, skip)
        if any(ra) and ra == rb and not any(RE_VALUE.match(t) for t in rb if t):
            skip += 1
        else:
            break
    if skip:
        b.cells = [c for c in b.cells if c.r0 >= skip]
        for c in b.cells:
            c.r0 -= skip
            c.r1 -= skip
        b.nrows -= skip
    last = {c.c0: c for c in a.cells if c.r1 == a.nrows}
    first = [c for c in b.cells if c.r0 == 0]
    merged: set[int] = set()
    # a row broken by the page: every cell of the continuation's first row is empty or carries on the words above
    whole_row = first and all(not c.text or _fragment(c.text) for c in first) and any(c.text for c in first) \
        and all(c.c0 in last and last[c.c0].c1 == c.c1 for c in first)
    for c in first:
        above = last.get(c.c0)
        if above is None or above.c1 != c.c1:
            continue
        if whole_row:
            join = True
        else:
            # a cell merged down the rows on both sides of the page break: a group label, printed on as it goes
            label_above = bool(above.text) and not RE_VALUE.match(above.text)
            join = c.r1 - c.r0 > 1 and (above.r1 - above.r0 > 1 or label_above) and (not c.text or _fragment(c.text)) \
                and (label_above or not above.text)
        if join:
            merged.add(id(c))
            above.text = _join_lines([above.text, c.text]) if c.text else above.text
            above.chars.extend(c.chars)
            above.r1 = a.nrows + c.r1
    for c in b.cells:
        if id(c) in merged:
            continue
        c.r0 += a.nrows
        c.r1 += a.nrows
        a.cells.append(c)
    a.nrows += b.nrows
    a.last_page = b.last_page
    a.box = (min(a.box[0], b.box[0]), a.box[1], max(a.box[2], b.box[2]), a.box[3])
    _drop_covered_rows(a)
    return a


def _drop_covered_rows(piece: _Piece) -> None:
    """A row where no cell starts (every position covered from above) is no row of its own."""
    starts = {c.r0 for c in piece.cells}
    gone = [r for r in range(piece.nrows) if r not in starts]
    if not gone:
        return
    def shift(r: int) -> int:
        return r - sum(g < r for g in gone)
    for c in piece.cells:
        c.r0, c.r1 = shift(c.r0), shift(c.r1)
    piece.nrows -= len(gone)


# --------------------------------------------------------------------------------------------- prose


def _is_ideograph(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _lead_width(line: _Line) -> float:
    """Width of a line's first unbreakable piece: an ideograph with the punctuation after it, or a run of
    digits, letters and brackets up to the next ideograph (a line is broken only where such a piece ends)."""
    chars = line.chars
    end = 0
    if _is_ideograph(chars[0].text):
        while end + 1 < len(chars) and not _is_ideograph(chars[end + 1].text) and not _wordy(chars[end + 1].text[0]):
            end += 1
    else:
        while end + 1 < len(chars) and not _is_ideograph(chars[end + 1].text) and chars[end + 1].text != " ":
            end += 1
    return chars[end].x1 - line.x0


def _paragraphs(lines: list[_Line], left: float, right: float, body: float) -> list[list[_Line]]:
    """Lines of prose into paragraphs: a new one after a short line, at an indented line, at numbering,
    at a change of type size or after a wider gap than the lines' own spacing."""
    out: list[list[_Line]] = []
    pitch = median([b.top - a.top for a, b in itertools.pairwise(lines) if 0 < b.top - a.top < 3 * a.size] or [0]) or None
    for ln in lines:
        if out:
            prev = out[-1][-1]
            em = max(prev.size, 1.0)
            gap = ln.top - prev.top
            full = right - prev.x1 < _lead_width(ln) + 0.5 * em  # the next line's first word would not have fitted
            same_size = abs(ln.size - prev.size) < 0.6
            indented = ln.x0 > left + 1.2 * ln.size
            big = ln.size > body + 0.6 and same_size  # a title or heading wrapped onto lines of its own size
            wide_gap = (pitch is not None and gap > 1.6 * pitch) or gap > 3 * em
            if same_size and not wide_gap and (full or big) and (big or not indented) and not RE_NUMBERING.match(ln.text):
                out[-1].append(ln)
                continue
        out.append([ln])
    return out


# --------------------------------------------------------------------------------------------- document


def _open(data: bytes, name: str):
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ReadError(f"{name}: reading PDF needs pdfplumber: pip install 'gxtables[pdf]'") from exc
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF-" not in data[:1024]:
        raise ReadError(f"{name}: not a PDF file")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except Exception as exc:  # pdfminer raises many kinds on a damaged file, wrapped by pdfplumber
        causes = _causes(exc)
        if any(isinstance(e, PDFPasswordIncorrect | PDFEncryptionError) or "PDFPasswordIncorrect" in str(e) for e in causes):
            raise ReadError(f"{name}: an encrypted PDF that needs a password; open it with the password and save a copy "
                            "without one") from exc
        raise ReadError(f"{name}: a damaged or truncated PDF ({causes[-1]})"[:300]) from exc
    return pdf, pages


def _causes(exc: BaseException) -> list[BaseException]:
    """An exception and those it was raised from, outermost first."""
    out = [exc]
    while (nxt := out[-1].__cause__ or out[-1].__context__) is not None and len(out) < 10:
        out.append(nxt)
    return out


def pdf_to_document(data: bytes, source: str | None = None) -> Document:
    """Read a PDF's text layer into a document: prose paragraphs and tables as grids, in reading order.

    Raises :class:`~gxtables.io.ReadError` naming ``source`` when the file is no readable PDF
    (encrypted with a password, damaged, truncated); a PDF without text gives a document whose
    ``problems`` say so.
    """
    name = source or "<bytes>"
    start = time.monotonic()
    pdf, pages = _open(data, name)
    problems: list[str] = []
    read: list[_Page] = []
    failed: list[str] = []
    try:
        if len(pages) > MAX_PAGES:
            problems.append(f"{len(pages)} pages: only the first {MAX_PAGES} were read")
        for i, page in enumerate(pages[:MAX_PAGES], 1):
            if time.monotonic() - start > TIME_LIMIT:
                problems.append(f"reading stopped at page {i} after {TIME_LIMIT:.0f} s")
                break
            try:
                read.append(_read_page(page, i))
            except Exception as exc:  # pdfminer raises many kinds on a damaged file
                failed.append(f"page {i} could not be read ({type(exc).__name__})")
            finally:
                page.close()
    finally:
        pdf.close()
    if not read and failed:
        raise ReadError(f"{name}: a damaged or truncated PDF ({failed[0]})")
    problems.extend(failed)
    if not any(p.lines or p.pieces for p in read):
        if any(p.unmapped for p in read):
            problems.append("no usable text layer (its fonts map no characters to Unicode): run OCR first")
        else:
            problems.append("no text layer: run OCR first")
        return Document("pdf", source, (), tuple(problems))
    empty = [str(p.number) for p in read if not p.lines and not p.pieces]
    if empty:
        problems.append(f"no text layer on page(s) {', '.join(empty)}: run OCR first")
    _drop_running_lines(read)
    return Document("pdf", source, _blocks(read), tuple(problems))


def _blocks(pages: list[_Page]) -> tuple:
    """Paragraphs and grids in reading order, tables continued across pages joined."""
    prose = [ln for p in pages for ln in p.lines]
    sizes = Counter(round(ln.size) for ln in prose for _ in ln.text)
    body = sizes.most_common(1)[0][0] if sizes else 12.0
    left = median([ln.x0 for ln in prose]) if prose else 0.0
    left = min([ln.x0 for ln in prose if ln.x0 < left + 2 * body] or [left])
    right = max([ln.x1 for ln in prose] or [0.0])
    # the stream of the document: (page, top, item)
    items: list[tuple[int, float, object]] = []
    for p in pages:
        items += [(p.number, ln.top, ln) for ln in p.lines]
        items += [(p.number, pc.box[1], pc) for pc in p.pieces]
    items.sort(key=lambda t: (t[0], t[1]))
    merged: list[object] = []
    for _, _, item in items:
        if isinstance(item, _Piece) and merged and isinstance(merged[-1], _Piece):
            prev = merged[-1]
            if item.page == prev.last_page + 1 and _same_columns(prev, item):
                merged[-1] = _join(prev, item)
                continue
        merged.append(item)
    blocks: list = []
    run: list[_Line] = []
    table_no = 0

    def flush() -> None:
        for para in _paragraphs(run, left, right, body):
            text = _join_lines([ln.text for ln in para])
            here = [ln for ln in para if ln.page == para[0].page]  # a paragraph running onto the next page: its box on the first
            box = Origin(page=para[0].page, x0=min(ln.x0 for ln in here), top=here[0].top,
                         x1=max(ln.x1 for ln in here), bottom=here[-1].bottom)
            blocks.append(Paragraph(text, box))
        run.clear()

    for item in merged:
        if isinstance(item, _Line):
            run.append(item)
            continue
        flush()
        blocks.append(_grid(item, table_no))
        table_no += 1
    flush()
    return tuple(blocks)


def _grid(piece: _Piece, table_no: int) -> Grid:
    """The expanded grid of a table: anchors with their text, covered positions repeating it."""
    # columns where no cell starts are no columns of their own: an edge index becomes the number of starts before it
    starts = sorted({c.c0 for c in piece.cells})
    width = len(starts)
    rows: list[list[GridCell | None]] = [[None] * width for _ in range(piece.nrows)]
    for cell in piece.cells:
        c0, c1 = bisect_left(starts, cell.c0), bisect_left(starts, cell.c1)
        box = cell.box
        for r in range(cell.r0, cell.r1):
            for c in range(c0, c1):
                o = Origin(table=table_no, row=r, column=c, page=cell.page, x0=box[0], top=box[1], x1=box[2], bottom=box[3])
                anchor = r == cell.r0 and c == c0
                rows[r][c] = GridCell(cell.text, o, cell.r1 - cell.r0 if anchor else 1, c1 - c0 if anchor else 1, not anchor)
    for r, row in enumerate(rows):
        for c, gc in enumerate(row):
            if gc is None:
                row[c] = GridCell("", Origin(table=table_no, row=r, column=c, page=piece.page))
    origin = Origin(table=table_no, page=piece.page, x0=piece.box[0], top=piece.box[1], x1=piece.box[2], bottom=piece.box[3])
    return Grid(tuple(tuple(r) for r in rows), origin)  # type: ignore[arg-type]
