"""Reading HTML pages: the charset, the text around the tables as paragraphs, the tables as grids.

The page is parsed by lxml (libxml2's HTML parser, what ``pandas.read_html`` uses), never by patterns
over its tags. Scripts, styles, forms and navigation are dropped; a table is a grid with its merged
cells expanded; a table that holds other tables only lays the page out, so its cells are read as the
page's own flow (the report's tables inside become grids of their own). A line made only of links is
navigation (menus, "related reports" lists naming other years' reports) and is left out.
"""
from __future__ import annotations

import codecs

import lxml.etree
import lxml.html

from ..io import ReadError, decode_bytes
from .model import Block, Document, Grid, GridCell, Origin, Paragraph
from .text import join_lines, squeeze

__all__ = ["MAX_CELLS", "declared_charset", "html_to_document", "html_to_text"]

# Elements whose content is never the report's text: code, styling, forms, embedded objects, navigation.
SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "iframe", "object", "embed", "svg",
                  "math", "canvas", "select", "option", "button", "textarea", "input", "nav", "map", "audio", "video"})
# Elements that end the line of text before them and start a new one.
BLOCKS = frozenset({"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
                    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
                    "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "ol", "p",
                    "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"})
# The charsets Chinese pages declare, by the codec that reads every page declaring them: GB18030 is a
# superset of GBK and GB2312, cp950 of Big5 as Windows writes it (Big5-HKSCS when that fails too).
CHARSETS = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
            "gb_2312-80": "gb18030", "csgb2312": "gb18030", "euc-cn": "gb18030", "big5": "cp950", "big-5": "cp950",
            "x-big5": "cp950", "cp950": "cp950", "big5-hkscs": "big5hkscs", "csbig5": "cp950"}
MAX_COLSPAN = 1000  # the HTML standard's own limit
MAX_CELLS = 2_000_000  # positions of one expanded grid: far more than any report table (a statutory one has ~300)
HEAD_BYTES = 65536  # where a page's charset declaration must stand
MAX_DEPTH = 256  # how deep libxml2's HTML parser follows nested elements


def _is_hidden(el) -> bool:
    """An element the page does not show (``hidden``, ``display:none``)."""
    if el.get("hidden") is not None:
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in ``<meta charset>`` or ``<meta http-equiv="Content-Type">`` near its
    start, read by lxml from the first bytes taken as Latin-1 (every declaration is ASCII)."""
    head = data[:HEAD_BYTES]
    if not head.strip():
        return None
    try:
        tree = lxml.html.document_fromstring(head.decode("latin-1"), parser=lxml.html.HTMLParser(no_network=True))
    except (lxml.etree.ParserError, ValueError):
        return None
    for meta in tree.iter("meta"):
        charset = meta.get("charset")
        if not charset and (meta.get("http-equiv") or "").strip().lower() == "content-type":
            for part in (meta.get("content") or "").split(";"):
                key, _, value = part.partition("=")
                if key.strip().lower() == "charset":
                    charset = value
        if charset:
            return charset.strip().strip("\"'").lower() or None
    return None


def _decode(data: bytes, name: str) -> str:
    """The page's text: BOM first, then valid UTF-8 (pages that declare GBK but are UTF-8 are common), then
    the declared charset, then the same guess as for a text file."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data)
    codec = CHARSETS.get(declared or "")
    for enc in (codec, "big5hkscs" if codec == "cp950" else None):
        if enc:
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                continue
    return decode_bytes(data, name)


def html_to_text(data: bytes | str, name: str = "<html>") -> str:
    """The page as text (its charset found), for the parser to read."""
    return data if isinstance(data, str) else _decode(data, name)


class _Reader:
    """Walks the page once, in document order, collecting paragraphs and grids."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.problems: list[str] = []
        self.line: list[str] = []
        self.tables = 0
        self.links = 0  # how many <a> elements the walk is inside
        self.unlinked = False  # the line holds text outside links

    def add(self, text: str) -> None:
        self.line.append(text)
        if not self.links and text.strip():
            self.unlinked = True

    def flush(self) -> None:
        text = squeeze("".join(self.line))
        self.line.clear()
        if text and self.unlinked:  # a line of links only is navigation ("2022年政府信息公开工作年度报告", 首页)
            self.blocks.append(Paragraph(text, Origin()))
        self.unlinked = False

    def walk(self, el) -> None:
        """Text and tables of ``el`` and its descendants (the element's tail is the caller's)."""
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None:  # a comment or a processing instruction
            return
        tag = tag.lower()
        if tag in SKIP or _is_hidden(el):
            return
        if tag == "table":
            self.flush()
            self.table(el)
            return
        if tag == "br":
            self.flush()
            return
        block = tag in BLOCKS
        if block:
            self.flush()
        self.links += tag == "a"
        if el.text:
            self.add(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.add(child.tail)
        self.links -= tag == "a"
        if block:
            self.flush()

    def table(self, el) -> None:
        for caption in _children(el, ("caption",)):
            self.walk_children(caption)  # the table's title, printed above it
        rows = _rows(el)
        if any(_holds_table(cell) for row in rows for cell in row):
            # a layout table: its cells are the page's flow, the tables inside them are read on their own
            for row in rows:
                for cell in row:
                    self.walk_children(cell)
            return
        grid = self.grid(rows)
        if grid is not None:
            self.blocks.append(grid)

    def walk_children(self, el) -> None:
        self.flush()
        if el.text:
            self.add(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.add(child.tail)
        self.flush()

    def grid(self, rows: list[list]) -> Grid | None:
        """A table's rows with colspan and rowspan expanded; positions no cell reaches are covered and empty."""
        if not rows:
            return None
        index = self.tables
        placed: dict[tuple[int, int], GridCell] = {}
        width = 0
        for r, row in enumerate(rows):
            c = 0
            for cell in row:
                while (r, c) in placed:
                    c += 1
                colspan = min(_span(cell.get("colspan")), MAX_COLSPAN)
                rowspan = _span(cell.get("rowspan"), zero_to=len(rows) - r)
                rowspan = min(rowspan, len(rows) - r)
                if (width + colspan) * len(rows) > MAX_CELLS or c + colspan > MAX_CELLS // max(len(rows), 1):
                    self.problems.append(f"table {index}: more than {MAX_CELLS:,} cells once merged cells are "
                                         f"expanded; not read")
                    return None
                text = _cell_text(cell)
                anchor = Origin(table=index, row=r, column=c)
                for dr in range(rowspan):
                    for dc in range(colspan):
                        if (r + dr, c + dc) not in placed:
                            first = dr == 0 and dc == 0
                            placed[(r + dr, c + dc)] = GridCell(
                                text, anchor if first else Origin(table=index, row=r + dr, column=c + dc),
                                rowspan, colspan, covered=not first)
                c += colspan
                width = max(width, c)
        if width == 0:
            return None
        out = []
        for r in range(len(rows)):
            out.append(tuple(placed.get((r, c)) or GridCell("", Origin(table=index, row=r, column=c), covered=True)
                             for c in range(width)))
        if not any(cell.text for row in out for cell in row):
            return None  # an empty table (a spacer): nothing printed
        self.tables += 1
        return Grid(tuple(out), Origin(table=index))


def _span(value: str | None, zero_to: int = 1) -> int:
    """A colspan or rowspan as browsers read it: leading digits, at least 1 (rowspan 0: to the end)."""
    digits = ""
    for ch in (value or "").strip():
        if not ch.isdigit():
            break
        digits += ch
    if not digits:
        return 1
    n = int(digits[:7])
    return zero_to if n == 0 else n


def _children(el, tags: tuple[str, ...]) -> list:
    return [c for c in el if isinstance(c.tag, str) and c.tag.lower() in tags and not _is_hidden(c)]


def _rows(table) -> list[list]:
    """The table's own rows (not those of tables inside it), head first and foot last, each as its cells."""
    heads, bodies, feet = [], [], []
    for child in _children(table, ("tr", "thead", "tbody", "tfoot")):
        tag = child.tag.lower()
        if tag == "tr":
            bodies.append(child)
        else:
            (heads if tag == "thead" else feet if tag == "tfoot" else bodies).extend(_children(child, ("tr",)))
    return [_children(tr, ("td", "th")) for tr in heads + bodies + feet]


def _holds_table(cell) -> bool:
    """A cell holding a table of more than one cell (a one-cell table around text only frames it)."""
    for inner in cell.iter("table"):
        if inner is cell:
            continue
        cells = sum(len(row) for row in _rows(inner))
        if cells > 1:
            return True
    return False


def _cell_text(cell) -> str:
    """A cell's text on one line: lines broken inside it (``<br>``, paragraphs) joined back."""
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            lines.append("".join(buf))
            buf.clear()

    def walk(el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if tag is None or tag in SKIP or _is_hidden(el):
            return
        if tag == "br":
            flush()
            return
        block = tag in BLOCKS
        if block:
            flush()
        note = tag in ("sup", "sub")  # a footnote mark beside a number ("3<sup>1</sup>") is a note, not its digits
        if note:
            buf.append("(")
        if el.text:
            buf.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if note:
            buf.append(")")
        if block:
            flush()

    if cell.text:
        buf.append(cell.text)
    for child in cell:
        walk(child)
        if child.tail:
            buf.append(child.tail)
    flush()
    return join_lines(squeeze(line) for line in lines)


def html_to_document(data: bytes | str, source: str | None = None) -> Document:
    """Read an HTML page (bytes in any charset, or its text) into a :class:`Document`.

    Raises :class:`~gxtables.io.ReadError` naming ``source`` when the page cannot be decoded, or when it
    nests elements deeper than the parser follows (thousands of unclosed tags), where what it holds
    after that point would be lost.
    """
    name = source or "<html>"
    text = html_to_text(data, name)
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    body = text.encode("utf-8", errors="replace")
    if not text.strip():
        return Document("html", source, (), ("the page is empty",))
    try:
        root = lxml.html.document_fromstring(body, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        return Document("html", source, (), (f"the page holds no HTML the parser can read ({exc})",))
    for err in parser.error_log:
        if err.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in err.message:
            raise ReadError(f"{name}: the page nests its elements deeper than {MAX_DEPTH} levels (unclosed tags, such as "
                            f"thousands of <table> never closed); it cannot be read as a report page")
    reader = _Reader()
    reader.walk(root)
    reader.flush()
    problems = tuple(reader.problems)
    if not reader.blocks:
        problems += ("the page holds no text",)
    return Document("html", source, tuple(reader.blocks), problems)
