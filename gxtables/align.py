"""Stage 4 — align: tokens of a table region → the template's cells.

The tokens are cut into *segments*: a group of label text and the values after it. Each label group
is matched against the template (row labels, headings, column headers); segments whose label was
lost or garbled are placed by order between the rows that were recognised. A row whose values fill
its cells one to one is *read*; a row with fewer values than cells (blank cells dropped) or with
digits run together is handed to :mod:`gxtables.solve`, which places the numbers by the rules.
Every number of the region ends in exactly one cell or in the leftovers, with its reason.
"""
from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise, takewhile

import regex

from .normalize import label_key
from .template import Table
from .tokenize import BLANK, EMPTY, ROWEND, TEXT, VALUE, Token, display_width

__all__ = ["Cell", "Leftover", "Matcher", "Run", "TableReading", "tokens_to_reading"]

READ, INFERRED, UNCERTAIN, BLANK_STATUS = "read", "inferred", "uncertain", "blank"
MAX_EXTRA_ROWS = 8  # unlabeled rows beyond twice the free rows at which placing by order is given up

# Block captions of table 二: "第二十条第(一)项", "第二十条(六)项", "法律依据:…第二十条第(五)、(六)项".
RE_CAPTION = regex.compile(r"第二十条[^\n]{0,12}?项|第二十条第?|法律依据")
# Text that belongs to a header or a heading and never names a row ("信息内容", "申请人情况").
RE_HEADER_WORDS = regex.compile(r"信息内容|申请人情况|勾稽关系|法人或其他组织|数据项目|类别|项目")


@dataclass
class Cell:
    """One reconstructed cell, with where its value came from and how sure the placement is."""

    table: str
    row: str
    column: str
    value: float | None
    status: str  # read | inferred | uncertain | blank
    start: int | None = None  # offsets in the normalized text of the printed value
    end: int | None = None
    text: str = ""
    unit: str | None = None
    marker: str | None = None  # blank marker as printed ("/", "—", "" for an empty cell)
    reason: str | None = None
    candidates: tuple[float, ...] = ()


@dataclass
class Leftover:
    """A number inside a table region that was not placed in any cell, and why."""

    table: str
    value: float | None
    text: str
    start: int
    end: int
    reason: str


@dataclass
class Run:
    """Printed numbers to place into ordered cells (``row.column``) they do not fill one to one."""

    cells: tuple[str, ...]
    tokens: list[Token]
    why: str  # "dropped" (fewer values than cells) or "glued" (digits run together)
    label_status: str = READ  # how the row itself was found
    slots: tuple[int, ...] | None = None  # where a space layout shows the numbers stand (indices into cells)


@dataclass
class TableReading:
    table: str
    cells: list[Cell] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)
    leftovers: list[Leftover] = field(default_factory=list)
    truncated: bool = False
    notes: list[str] = field(default_factory=list)
    rows_labelled: int = 0  # template rows whose label the region prints, numbers or not


@dataclass
class Segment:
    labels: list[Token]
    cells: list[Token]  # values, blanks, empties and row ends, in order


@dataclass
class Observed:
    """A printed row: its label (if any) and its cells."""

    row: str | None  # template row id when the label was recognised
    label: str  # label text as printed (may be empty when lost)
    cells: list[Token]
    kind: str  # "labeled", "unlabeled", "unknown"; "heading"; "caption" (a block caption of table 二: ``row``
    # holds the block)
    status: str = READ
    reason: str | None = None
    label_end: int | None = None  # where the printed label ends, for rows printed without numbers
    order: tuple[str, ...] | None = None  # column order of the header this row was printed under


# The numbering that opens a label ("1.", "(三)", "四、"), ignored when likening garbled labels.
RE_LEADING_NUMBER = regex.compile(r"^(?:\d+\.|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、)")
# A long parenthesised note inside a label key (9+ characters; "(三)" numbering is kept).
RE_LONG_NOTE = regex.compile(r"\((?![一二三四五六七八九十]\))[^()]{9,}\)?")


class Matcher:
    """Finds the template's row labels, headings and column headers inside label text."""

    def __init__(self, table: Table):
        self.table = table
        entries: dict[str, tuple[str, str]] = {}
        for col in table.columns:
            for key in col.keys:
                if len(key) >= 2:
                    entries.setdefault(key, ("column", col.id))
        for row in table.rows:
            for key in row.keys:
                if key not in entries or entries[key][0] != "column":
                    entries[key] = ("heading" if row.heading else "row", row.id)
        self.entries = entries
        alternatives = sorted(entries, key=len, reverse=True)
        self.pattern = regex.compile("|".join(regex.escape(k) for k in alternatives))
        self.row_keys = {r.id: [k for k in r.keys if len(k) >= 2] for r in table.data_rows}

        # the same official labels come back in report after report: each key is searched once
        self.find = lru_cache(maxsize=1 << 14)(self._find)

    def _find(self, key: str) -> tuple[tuple[int, int, str, str], ...]:
        """(start, end, kind, id) of every label found in a label key, left to right."""
        return tuple((m.start(), m.end(), *self.entries[m.group(0)]) for m in self.pattern.finditer(key))

    def similarity(self, key: str, row_id: str) -> float:
        """How much a garbled label looks like a row's label (0–1), for rows placed by order."""
        if not key:
            return 0.0
        stripped = RE_LEADING_NUMBER.sub("", key)
        best = 0.0
        for k in self.row_keys.get(row_id, []):
            best = max(best, difflib.SequenceMatcher(None, stripped, k).ratio())
        return best


@lru_cache(maxsize=64)
def _matcher(table: Table) -> Matcher:
    """One Matcher per template table: building its pattern costs more than reading a table."""
    return Matcher(table)


def _rows_named(matcher: Matcher, labels: list[Token]) -> set[str]:
    """The data rows of the template that label text names."""
    return {rid for _, _, kind, rid in matcher.find(_strip_notes(_group_key(labels))) if kind == "row"}


def _starts_row(matcher: Matcher, tok: Token, current: set[str]) -> bool:
    """True when one label token starts another row: it names a data row or a heading other than the
    current ones, or a block caption ("2.重复申请", "(五)不予处理", "第二十条第(九)项")."""
    key = _strip_notes(label_key(tok.text))
    if RE_CAPTION.match(key):
        return True
    named = {(kind, rid) for _, _, kind, rid in matcher.find(key) if kind in ("row", "heading")}
    return bool(named) and not {rid for _, rid in named} <= current


def _after_header(matcher: Matcher, labels: list[Token], tok: Token) -> bool:
    """Table 四 printed a row per appeal kind: a line naming a row ("行政复议") after the column header."""
    return bool(_rows_named(matcher, [tok])) and any(kind == "column" for *_, kind, _ in matcher.find(
        _strip_notes(_group_key(labels))))


def _segments(tokens: list[Token], matcher: Matcher) -> list[Segment]:
    """Cut the token stream at label text: each segment is a label group and the cells after it.

    A row label followed directly by the next row's label is a row printed with no numbers at all
    (its blank cells dropped): it closes its own segment.
    """
    segments: list[Segment] = []
    current = Segment([], [])
    for tok in tokens:
        if tok.kind == TEXT:
            if (current.cells and any(c.kind in (VALUE, BLANK) for c in current.cells)) or (
                current.cells and current.labels and any(c.kind == EMPTY for c in current.cells)
            ) or (not matcher.table.single_row and current.labels and tok.line != current.labels[-1].line
                  and (rows := _rows_named(matcher, current.labels)) and _starts_row(matcher, tok, rows)) or (
                matcher.table.single_row and current.labels and tok.line != current.labels[-1].line
                and _after_header(matcher, current.labels, tok)):
                segments.append(current)
                current = Segment([], [])
            current.labels.append(tok)
        else:
            current.cells.append(tok)
    if current.labels or current.cells:
        segments.append(current)
    return _rejoin_labels(segments)


# Label text that is only row numbering ("一、", "三、(一)", "2."), as a line broken at <br> leaves it.
# (A merged heading's broken bracket may precede it: "(三 4." where "(三)不予公开" spans the rows.)
RE_NUMBERING_ONLY = regex.compile(r"(?:\d{1,2}\.|\([一二三四五六七八九十]{1,3}\)?|[一二三四五六七八九十]{1,3}、){1,3}")


def _numbered(tok: Token) -> bool:
    """A label token that opens a row: numbering first ("二、上年…"), or a word of bare numbering in it."""
    return bool(RE_LEADING_NUMBER.match(label_key(tok.text))) or any(
        RE_NUMBERING_ONLY.fullmatch(label_key(word)) for word in tok.text.split())


def _rejoin_labels(segments: list[Segment]) -> list[Segment]:
    """Labels broken after their numbering, the words printed on the line below the numbers
    ("一、   705 3 0 …" then "本年新收政府信息公开申请数量", as inscriptis and w3m lay out "一、<br>本年新收…"):
    the words go back to the numbering above them, up to the next row's numbering."""
    for seg, nxt in pairwise(segments):
        if not (seg.labels and any(t.kind == VALUE for t in seg.cells) and nxt.labels
                and RE_NUMBERING_ONLY.fullmatch(label_key(seg.labels[-1].text.split()[-1]))):  # "一、", "(三   4."
            continue
        words = list(takewhile(lambda t: not _numbered(t), nxt.labels))
        # the words stop at the next row's numbering, or are all there is (the last row, no numbers below)
        if words and (len(words) < len(nxt.labels) or not any(t.kind == VALUE for t in nxt.cells)):
            seg.labels.extend(words)
            del nxt.labels[:len(words)]
    return segments


def _group_key(labels: list[Token]) -> str:
    return label_key("".join(t.text for t in labels))


def _strip_notes(key: str) -> str:
    """Drop long parenthesised notes from a label key ("规章(设区的市…应提供相关数据)" → "规章")."""
    return RE_LONG_NOTE.sub("", key)


def _classify(seg: Segment, matcher: Matcher) -> tuple[str, str | None, str]:
    """What a segment's label group names: ("row", id), ("heading", id), ("header", None), ("unknown", None)."""
    raw_key = _group_key(seg.labels)
    key = _strip_notes(raw_key)
    found = matcher.find(key)
    rows = [f for f in found if f[2] == "row"]
    headings = [f for f in found if f[2] == "heading"]
    columns = [f for f in found if f[2] == "column"]
    distinct_rows = {f[3] for f in rows}
    if len(distinct_rows) >= 2:
        return "header", None, key  # a header naming several rows ("予以公开 | 部分公开 | 不予公开 |…")
    if rows and matcher.table.single_row and columns:
        return "header", None, key  # table 四's header run together: "行政复议行政诉讼结果维持结果纠正…"
    if rows:
        return "row", rows[-1][3], key
    if headings and not columns:
        return "heading", headings[-1][3], key
    if columns or RE_CAPTION.search(key) or RE_HEADER_WORDS.search(key) or headings:
        return "header", None, key
    return ("unknown" if RE_HAN_RUN.search(key) else "none"), None, key


RE_HAN_RUN = regex.compile(r"\p{Han}{2,}")  # label words
# What hijacked mirrors and page chrome insert between the rows of a table: web addresses and the
# words of download, share and navigation links. No statutory label holds any of them.
RE_PAGE_JUNK = regex.compile(
    r"(?:https?://|www\.)[^\s|]{1,200}|[a-z0-9-]{1,63}\.(?:com|cn|net|org|cc|top|xyz)(?![a-z])"
    r"|免费下载|推荐阅读|扫一扫|分享到|打印本页|关闭窗口|责任编辑|浏览次数|点击数|上一篇|下一篇|相关链接|版权所有|加入收藏|设为首页"
)


POSITION_MARGIN = 0.5  # a number is under a column when that column is at most half as far as the next


def _header_centers(tokens: list[Token], table: Table) -> dict[int, dict[str, float]]:
    """In a table laid out by spaces: for each line holding numbers, the display column of the centre
    of each column's header label above it (consecutive header lines make one header; a later line,
    nearer the leaves, overrides: "其他" under 法人或其他组织)."""
    if not tokens or tokens[0].col < 0:
        return {}  # columns are measured for every token of a space layout, or for none
    lines: dict[int, list[Token]] = defaultdict(list)
    for tok in tokens:
        lines[tok.line].append(tok)
    labels = [(col.id, key) for col in table.columns for key in dict.fromkeys((col.label, *col.aliases)) if key]
    out: dict[int, dict[str, float]] = {}
    current: dict[str, float] = {}
    last_header = -2
    for line in sorted(lines):
        toks = lines[line]
        if any(t.kind == VALUE for t in toks):
            if current:
                out[line] = current
            continue
        found: dict[str, float] = {}
        for tok in toks:
            if tok.kind != TEXT or not tok.char_cols:
                continue
            for column, key in labels:
                at = tok.text.find(key)
                if at >= 0 and column not in found:
                    last = at + len(key) - 1
                    found[column] = (tok.char_cols[at] + tok.char_cols[last] + display_width(key[-1])) / 2
        if found:
            current = ({} if last_header != line - 1 else dict(current)) | found
            last_header = line
    # a header whose labels do not stand left to right in the table's order does not line up with
    # the numbers below it (inscriptis prints spanned header cells at the line's start)
    order = [c.id for c in table.columns]
    for line, centers in list(out.items()):
        xs = [centers[c] for c in order if c in centers]
        if any(a >= b for a, b in pairwise(xs)):
            del out[line]
    return out


def _slots(values: list[Token], columns: list[str], centers: dict[str, float]) -> tuple[int, ...] | None:
    """Which of the row's columns each number stands under, when the layout says so clearly."""
    if not centers or any(c not in centers for c in columns) or any(t.col < 0 for t in values):
        return None
    slots = []
    for tok in values:
        middle = tok.col + display_width(tok.text) / 2
        ranked = sorted((abs(centers[c] - middle), j) for j, c in enumerate(columns))
        if len(ranked) > 1 and ranked[0][0] > POSITION_MARGIN * ranked[1][0]:
            return None
        slots.append(ranked[0][1])
    return tuple(slots) if all(a < b for a, b in pairwise(slots)) else None


def _drop_page_junk(tokens: list[Token], matcher: Matcher, table: Table, reading: TableReading) -> list[Token]:
    """Lines of page junk inside a table (a mirror's "免费下载 www.… 推荐阅读"), taken out before the rows
    are cut, so that a row split by one still reads as one; their numbers become leftovers."""
    suspect = {t.line for t in tokens if t.kind == TEXT and RE_PAGE_JUNK.search(t.text)}
    if not suspect:
        return tokens
    junk_lines = set()
    lines: dict[int, list[Token]] = defaultdict(list)
    for tok in tokens:
        if tok.line in suspect:
            lines[tok.line].append(tok)
    for line, toks in lines.items():
        texts = [t for t in toks if t.kind == TEXT]
        if any(RE_PAGE_JUNK.search(t.text) for t in texts) and not any(
                matcher.find(_strip_notes(label_key(t.text))) for t in texts if not RE_PAGE_JUNK.search(t.text)):
            junk_lines.add(line)
    if not junk_lines:
        return tokens
    for tok in tokens:
        if tok.line in junk_lines and tok.kind == VALUE:
            reading.leftovers.append(Leftover(table.id, tok.value, tok.text, tok.start, tok.end,
                                              "page junk inserted in the table (a web address or link words)"))
    return [t for t in tokens if t.line not in junk_lines]


def _strong(tok: Token) -> bool:
    return tok.kind in (VALUE, BLANK) or (tok.kind == EMPTY and not tok.loose)


def _split_lines(cells: list[Token]) -> list[list[Token]]:
    """Cut a segment's cells at row ends (end of a printed row)."""
    lines, cur = [], []
    for tok in cells:
        if tok.kind == ROWEND:
            lines.append(cur)
            cur = []
        else:
            cur.append(tok)
    if cur:
        lines.append(cur)
    return lines


def _fit(cells: list[Token], n: int) -> tuple[list[Token], list[Token]]:
    """The cells of one row out of a row's tokens (n of them when possible), and the rest."""
    strong = [t for t in cells if _strong(t)]
    # "| 一、本年新收… | | | 705 | 3 |…": a label cell merged over three columns, printed as padding; empties
    # at the end of the row are dropped first (the cut below), the leading ones only for what is left
    trailing = len(strong) - next((i + 1 for i in range(len(strong) - 1, -1, -1) if strong[i].kind != EMPTY), 0)
    surplus = len(strong) - n - trailing
    while surplus > 0 and strong[0].kind == EMPTY:
        strong, surplus = strong[1:], surplus - 1
    if len(strong) >= n:
        taken = strong[:n]
        last = cells.index(taken[-1])
        rest = [t for t in cells[last + 1:]]
        return taken, rest
    values = [t for t in cells if t.kind in (VALUE, BLANK)]
    in_order = [t for t in cells if t.kind in (VALUE, BLANK) or (t.kind == EMPTY and not t.pad)]
    if len(in_order) >= n and all(v in in_order[:n] for v in values):
        # empty cells count by position: the first cell after a label is the first column
        return in_order[:n], in_order[n:]
    return strong, []


def _observed_rows(segments: list[Segment], matcher: Matcher, table: Table) -> tuple[list[Observed], list[str]]:
    """Printed rows, with the label each was found under; unlabeled values cut into rows of the right size."""
    observed: list[Observed] = []
    notes: list[str] = []
    width = max(len(r.columns) for r in table.data_rows)
    kinds = [_classify(seg, matcher) if seg.labels else ("none", None, "") for seg in segments]
    order: tuple[str, ...] | None = None
    for i, seg in enumerate(segments):
        for obs in observed[_stamp_from(observed):]:
            obs.order = obs.order or order  # rows printed so far follow the header they came under
        if not table.single_row and (header := _header_order(kinds[i][2], matcher)):
            order = header
        kind, row_id, _key = kinds[i]
        label_text = "".join(t.text for t in seg.labels)
        cells = list(seg.cells)
        while cells and cells[0].kind == ROWEND:
            cells.pop(0)  # the end of a header line: nothing of this segment's row yet
        if kind == "row" and table.single_row and not any(t.kind in (VALUE, BLANK) for t in cells):
            kind = "header"  # "行政复议 | 行政诉讼": row names in table 四's header
        if kind == "row":
            n = len(table.row(row_id).columns)
            lines = _split_lines(cells)
            first = lines[0] if lines else []
            taken, rest = _fit(first, n)
            observed.append(Observed(row_id, label_text, taken, "labeled", label_end=seg.labels[-1].end))
            remainder = rest + [t for line in lines[1:] for t in [*line, Token(ROWEND, "", 0, 0)]]
            observed.extend(_unlabeled(remainder, width))
        elif kind == "unknown" and any(t.kind == VALUE for t in cells):
            lines = _split_lines(cells)
            first = lines[0] if lines else []
            taken, rest = _fit(first, width)
            observed.append(Observed(None, label_text, taken, "unknown"))
            remainder = rest + [t for line in lines[1:] for t in [*line, Token(ROWEND, "", 0, 0)]]
            observed.extend(_unlabeled(remainder, width))
        elif kind == "heading" and _is_group_row(table, row_id, cells, width, kinds[i + 1] if i + 1 < len(kinds) else None):
            # "（六）其他处理 0 0 0 0 0 0 0" printed as one row where this edition has sub-rows under it
            observed.append(Observed(row_id, label_text, [], "heading"))
            observed.append(Observed(None, label_text, [t for t in cells if _strong(t)], "group",
                                     reason=f"{label_text!r} printed as one row; this edition splits it into rows"))
        else:
            if kind == "heading":
                observed.append(Observed(row_id, label_text, [], "heading"))
            elif kind == "header" and (block := _caption_block(kinds[i][2], table)):
                observed.append(Observed(block, label_text, [], "caption"))
            observed.extend(_unlabeled(cells, width))
    for obs in observed:
        obs.order = obs.order or order
    return observed, notes


def _caption_block(key: str, table: Table) -> str | None:
    """The block of table 二 whose caption a header's label key holds ("第二十条第(五)项…信息内容…")."""
    found = [block for block in dict.fromkeys(r.block for r in table.data_rows if r.block) if label_key(block) in key]
    return found[-1] if found else None


def _stamp_from(observed: list[Observed]) -> int:
    """Index of the first printed row not yet given a column order."""
    at = len(observed)
    while at and observed[at - 1].order is None:
        at -= 1
    return at


@lru_cache(maxsize=1 << 12)
def _header_order(key: str, matcher: Matcher) -> tuple[str, ...] | None:
    """The column order a header prints ("总计 | 自然人 | 法人或其他组织 | 商业企业 …"), when its label
    key names at least two columns, each once; a group heading's columns take its place."""
    table = matcher.table
    groups = [(m.start(), m.end(), group) for group in sorted({c.group for c in table.columns if c.group})
              for m in regex.finditer(regex.escape(label_key(group)), key)]
    items = [(at, "group", group) for at, _, group in groups]
    items += [(at, "column", cid) for at, end, kind, cid in matcher.find(key)
              if kind == "column" and not any(gs <= at < ge for gs, ge, _ in groups)]  # "其他" inside 法人或其他组织
    out: list[str] = []
    slot: int | None = None
    for _, kind, name in sorted(items):
        if kind == "group":
            slot = len(out)
        elif table.column(name).group and slot is not None:
            out.insert(slot, name)
            slot += 1
        else:
            out.append(name)
    if len(out) < 2 or len(set(out)) != len(out):
        return None
    return tuple(out)


def _printed_columns(row, order: tuple[str, ...] | None) -> tuple[str, ...]:
    """A row's columns in the order its header printed them (the template's when the header is unclear)."""
    if order is None or not set(row.columns) <= set(order):
        return row.columns
    return tuple(sorted(row.columns, key=order.index))


def _is_group_row(table: Table, heading_id: str, cells: list[Token], width: int, following) -> bool:
    """A heading that carries one row of numbers and is followed by a row outside its group."""
    strong = [t for t in cells if _strong(t)]
    if len(strong) != width or not any(t.kind == VALUE for t in strong):
        return False
    rows = list(table.rows)
    at = next(i for i, r in enumerate(rows) if r.id == heading_id)
    first_child = rows[at + 1].id if at + 1 < len(rows) and not rows[at + 1].heading else None
    return following is not None and following[0] == "row" and following[1] != first_child


def _unlabeled(cells: list[Token], n: int) -> list[Observed]:
    """Values whose labels were lost, cut into printed rows of ``n`` cells."""
    if not any(t.kind in (VALUE, BLANK) for t in cells):
        return []
    lines = [ln for ln in _split_lines(cells) if ln]
    rows: list[list[Token]] = []
    if len(lines) > 1:
        for line in lines:
            strong = [t for t in line if _strong(t)]
            body = [t for t in line if t.kind in (VALUE, BLANK, EMPTY)]
            if len(strong) == n:
                rows.append(strong)
            elif not any(t.kind in (VALUE, BLANK) for t in body):
                if len(body) >= n:
                    rows.append(body[-n:])  # a printed row of blank cells (its label cell lost too)
            elif len(body) > n and len(_strip_padding(body, n)) % n == 0:
                rows.extend(_chunks(_strip_padding(body, n), n))  # several printed rows on one line, blank cells kept in place
            elif len(body) > n:
                rows.append(_trim_to(body, n))
            else:
                rows.append(body if len(body) == n else strong)
    else:
        strong = [t for t in cells if _strong(t)]
        body = _strip_padding([t for t in cells if t.kind in (VALUE, BLANK, EMPTY)], n)
        rows = _chunks(body if len(body) % n == 0 else strong, n)
    return [Observed(None, "", r, "unlabeled") for r in rows if r]


def _strip_padding(body: list[Token], n: int) -> list[Token]:
    """Drop loose empty cells at the ends of a line (colspan padding, "总计 | ||") until it divides into rows of n."""
    body = list(body)
    while len(body) % n and body and body[-1].kind == EMPTY and body[-1].pad:
        body.pop()
    while len(body) % n and body and body[0].kind == EMPTY and body[0].pad:
        body.pop(0)
    while len(body) % n and body and body[-1].kind == EMPTY and body[-1].loose:
        body.pop()
    while len(body) % n and body and body[0].kind == EMPTY and body[0].loose:
        body.pop(0)
    return body


def _chunks(tokens: list[Token], n: int) -> list[list[Token]]:
    return [tokens[i:i + n] for i in range(0, len(tokens), n)]


def _trim_to(body: list[Token], n: int) -> list[Token]:
    """A printed row's n cells out of a line with extra empty cells: padding at the end, a lost label first."""
    body = list(body)
    while len(body) > n and body[-1].kind == EMPTY and body[-1].loose:
        body.pop()
    while len(body) > n and body[0].kind == EMPTY:
        body.pop(0)
    if len(body) > n:
        return [t for t in body if _strong(t)]
    return body


def _assign(observed: list[Observed], table: Table, matcher: Matcher) -> tuple[list[tuple[Observed, str]], list[Observed]]:
    """Pair printed rows with template rows: recognised labels anchor, the rest go by order between them."""
    data_rows = [r.id for r in table.data_rows]
    order = {rid: i for i, rid in enumerate(data_rows)}
    pairs: list[tuple[Observed, str]] = []
    extra: list[Observed] = []
    used: set[str] = set()
    pending: list[Observed] = []
    last_index = -1
    heading_before: str | None = None
    block_of = {r.id: r.block for r in table.data_rows}
    block: str | None = None  # the block of table 二 the rows printed now belong to

    def settle(upto: int) -> None:
        """Place the rows seen since the last anchor into the free template rows before ``upto`` (of the
        current block of table 二: unlabeled rows never cross into a block whose caption is not printed)."""
        nonlocal pending
        free = [rid for rid in data_rows[last_index + 1: upto] if rid not in used and (block is None or block_of[rid] == block)]
        if not pending:
            return
        placed = _place_by_order(pending, free, matcher, at_end=upto == len(data_rows), after_anchor=last_index >= 0)
        for obs, rid in placed:
            if rid is None:
                extra.append(obs)
            else:
                used.add(rid)
                pairs.append((obs, rid))
        pending = []

    for obs in observed:
        if obs.kind == "heading":
            heading_before = obs.row
            continue
        if obs.kind == "caption":
            starts = [order[rid] for rid in data_rows if block_of[rid] == obs.row]
            if pending and starts and starts[0] > last_index:
                settle(starts[0])  # rows printed before the caption stay before its block
            block = obs.row
            continue
        if obs.kind == "group":
            extra.append(obs)
            continue
        if obs.kind == "labeled" and obs.row in order and obs.row not in used and order[obs.row] > last_index:
            settle(order[obs.row])
            pairs.append((obs, obs.row))
            used.add(obs.row)
            last_index = order[obs.row]
            block = block_of[obs.row]
        elif obs.kind == "labeled":
            obs.reason = f"row {obs.label!r} printed twice or out of order"
            extra.append(obs)
        else:
            pending.append(obs)
    settle(len(data_rows))
    del heading_before
    return pairs, extra


def _place_by_order(pending: list[Observed], free: list[str], matcher: Matcher, at_end: bool,
                    after_anchor: bool) -> list[tuple[Observed, str | None]]:
    """Rows without a recognised label, placed into the free rows between two recognised ones.

    A small alignment: keep the printed order, prefer placing every printed row, and let a garbled
    label count by its likeness to each free row. When several alignments score the same, the rows are
    marked uncertain — except at the end of a cut-short text, where the first free rows are taken.
    """
    m, n = len(pending), len(free)
    table = matcher.table
    if m > 2 * n + MAX_EXTRA_ROWS:
        # far more unlabeled rows than the table has room for: no placement by order means anything
        for o in pending:
            o.reason = f"{m} unlabeled rows for {n} free rows of the table"
        return [(o, None) for o in pending]

    def match_score(o: Observed, rid: str) -> float:
        width = len(table.row(rid).columns)
        fit = -0.2 if len([c for c in o.cells if c.kind != ROWEND]) != width else 0.0
        if o.kind == "unknown":
            return 2.0 * matcher.similarity(label_key(o.label), rid) - 0.6 + fit
        return 1.0 + fit

    match = [[match_score(o, rid) for rid in free] for o in pending]  # each (row, free row) pair scored once
    skip_row = [0.0 if o.kind == "unknown" else -1.5 for o in pending]
    skip_free = 0.0 if (at_end or not after_anchor) else -0.3
    # best[i][j]: best score aligning pending[i:] with free[j:]; count[i][j]: how many alignments reach it
    best = [[0.0] * (n + 1) for _ in range(m + 1)]
    count = [[1] * (n + 1) for _ in range(m + 1)]
    for j in range(n - 1, -1, -1):  # no rows left: skip the free rows that remain
        best[m][j] = skip_free + best[m][j + 1]
    for i in range(m - 1, -1, -1):
        here, below, row_match, skip = best[i], best[i + 1], match[i], skip_row[i]
        here_count, below_count = count[i], count[i + 1]
        here[n] = skip + below[n]
        for j in range(n - 1, -1, -1):
            by_match, by_skip_row, by_skip_free = row_match[j] + below[j + 1], skip + below[j], skip_free + here[j + 1]
            top = max(by_match, by_skip_row, by_skip_free)
            here[j] = top
            total = below_count[j + 1] if abs(by_match - top) < 1e-9 else 0
            if abs(by_skip_row - top) < 1e-9:
                total += below_count[j]
            if abs(by_skip_free - top) < 1e-9:
                total += here_count[j + 1]
            here_count[j] = min(total, 10**6)
    ambiguous = count[0][0] > 1
    # walk one optimal alignment: match first where it is optimal (the first free rows at the end),
    # or skip free rows first when placing rows printed before the first recognised row
    out: list[tuple[Observed, str | None]] = []
    i = j = 0
    prefer_match = after_anchor
    while i < m:
        here = best[i][j]
        can_match = j < n and abs(match[i][j] + best[i + 1][j + 1] - here) < 1e-9
        can_skip_free = j < n and abs(skip_free + best[i][j + 1] - here) < 1e-9
        if can_match and (prefer_match or not can_skip_free):
            o = pending[i]
            o.status = UNCERTAIN if ambiguous and not at_end else INFERRED
            if o.kind == "unlabeled":
                o.reason = "label lost; placed by order"
            else:
                o.reason = f"label {o.label!r} not recognised; placed by order and likeness"
            if ambiguous and not at_end:
                o.reason += f" (several placements fit: {m} printed rows for {n} rows)"
            out.append((o, free[j]))
            i, j = i + 1, j + 1
        elif can_skip_free:
            j += 1
        else:
            o = pending[i]
            o.reason = (f"row {o.label!r} is not in the template" if o.kind == "unknown"
                        else "values with no row left to hold them")
            out.append((o, None))
            i += 1
    return out


def tokens_to_reading(tokens: list[Token], table: Table, cut_short: bool = False) -> TableReading:
    """Align one table region's tokens onto the template's cells; ``cut_short`` when the text ends
    inside the region (a page excerpt cut mid-table)."""
    reading = TableReading(table.id)
    matcher = _matcher(table)
    tokens = _drop_page_junk(list(tokens), matcher, table, reading)
    centers = {} if table.single_row else _header_centers(tokens, table)
    segments = _segments(tokens, matcher)
    observed, notes = _observed_rows(segments, matcher, table)
    reading.notes.extend(notes)
    if table.single_row:
        observed = _single_row(observed, table)
        for obs in [o for o in observed if o.kind == "flat"]:
            # the printed row of numbers does not divide into the table's rows: place it as one run
            values = [t for t in obs.cells if t.kind in (VALUE, BLANK)]
            cells = tuple(f"{r.id}.{c}" for r in table.data_rows for c in r.columns)
            why = _run_kind(values, len(cells))
            reading.runs.append(Run(cells, values, why))
        observed = [o for o in observed if o.kind != "flat"]
    pairs, extra = _assign(observed, table, matcher)
    reading.rows_labelled = len({row_id for obs, row_id in pairs if obs.kind == "labeled"})
    for obs in extra:
        for tok in obs.cells:
            if tok.kind == VALUE:
                reading.leftovers.append(Leftover(table.id, tok.value, tok.text, tok.start, tok.end,
                                                  obs.reason or "not part of the statutory table"))
    filled = [order for order, (obs, _) in enumerate(pairs) if any(t.kind in (VALUE, BLANK) for t in obs.cells)]
    # label-only rows count as blank up to the last row with numbers, or to the end when the table was
    # printed to its last row (a text cut short stops somewhere inside the table instead)
    blank_until = filled[-1] if filled else -1
    if filled and pairs[-1][1] == table.data_rows[-1].id and all(obs.kind == "labeled" and not obs.cells for obs, _ in pairs[filled[-1] + 1:]):
        blank_until = len(pairs)
    cut_row = _cut_row(pairs, table, filled) if cut_short and not table.single_row else None
    for order, (obs, row_id) in enumerate(pairs):
        if order < blank_until and obs.kind == "labeled" and not obs.cells:
            _blank_row(obs, table.row(row_id), table, reading)
        elif order == cut_row:
            _cut_row_cells(obs, table.row(row_id), table, reading)
        else:
            _row_cells(obs, table.row(row_id), table, reading, centers)
    reading.cells.sort(key=lambda c: table.cell_index[f"{c.table}.{c.row}.{c.column}"])
    return reading


def _single_row(observed: list[Observed], table: Table) -> list[Observed]:
    """Table 四 prints its 15 numbers in one row: cut unlabeled values into its three rows.

    When the unlabeled values do not come in whole rows (blank cells dropped, digits run together),
    all of them form one flat run, placed over the whole table by the rules of its rows.
    """
    n = len(table.data_rows[0].columns)
    loose = [o for o in observed if o.kind == "unlabeled"]
    count = sum(len(o.cells) for o in loose)
    # fewer numbers than the table has cells, not in whole rows or run together: positions are lost
    if loose and (count < n * len(table.data_rows) or any(len(o.cells) % n or _overflows(o.cells, n) for o in loose)):
        flat = Observed(None, "", [t for o in loose for t in o.cells], "flat")
        rest = [o for o in observed if o.kind != "unlabeled"]
        return [*rest, flat]
    out: list[Observed] = []
    for obs in observed:
        if obs.kind == "unlabeled" and len(obs.cells) > n:
            out.extend(Observed(None, "", obs.cells[i:i + n], "unlabeled") for i in range(0, len(obs.cells), n))
        else:
            out.append(obs)
    return out


def _overflows(cells: list[Token], n: int) -> bool:
    """Digits run together into fewer printed numbers than cells ("000000000000000" for 15 zeros)."""
    return any(t.kind == VALUE and _run_together(t) for t in cells)


def _run_kind(values: list[Token], n: int) -> str:
    """"glued" when printed digits run together and hold enough characters for n cells, else "dropped"."""
    glued = any(t.glued or _run_together(t) for t in values if t.kind == VALUE)
    return "glued" if glued and sum(len(t.text) for t in values) >= n else "dropped"


def _run_together(tok: Token) -> bool:
    """A printed number that cannot be one cell's value: leading zeros ("00", "0307")."""
    digits = tok.text.lstrip("+-")
    return len(digits) > 1 and digits[0] == "0" and digits[1:2] != "."


def _row_cells(obs: Observed, row, table: Table, reading: TableReading, centers: dict[int, dict[str, float]]) -> None:
    """Cells of one printed row placed on a template row: one to one, or a run for the solver."""
    n = len(row.columns)
    columns = _printed_columns(row, obs.order)
    cells = [t for t in obs.cells if t.kind != ROWEND]
    status = obs.status
    if len(cells) == n:
        for col, tok in zip(columns, cells):
            reading.cells.append(_cell(table.id, row.id, col, tok, status, obs.reason))
        return
    values = [t for t in cells if t.kind in (VALUE, BLANK)]
    if not values and cells and obs.kind == "labeled":
        for col in row.columns:
            reading.cells.append(Cell(table.id, row.id, col, None, BLANK_STATUS, cells[0].start, cells[0].end, "", marker="",
                                      reason="row printed without values"))
        return
    if not values:
        if obs.kind == "labeled" and not cells:
            return
        return
    why = _run_kind(values, n)
    if len(values) > n and why != "glued":
        for tok in values[n:]:
            if tok.kind == VALUE:
                reading.leftovers.append(Leftover(table.id, tok.value, tok.text, tok.start, tok.end,
                                                  f"more numbers than cells in row {row.id}"))
        values = values[:n]
        for col, tok in zip(columns, values):
            reading.cells.append(_cell(table.id, row.id, col, tok, status, obs.reason))
        return
    slots = _slots(values, list(columns), centers.get(values[0].line, {})) if why == "dropped" else None
    reading.runs.append(Run(tuple(f"{row.id}.{c}" for c in columns), values, why, status, slots))


def _printed_width(obs: Observed) -> int:
    return len([t for t in obs.cells if t.kind != ROWEND])


def _cut_row(pairs: list[tuple[Observed, str]], table: Table, filled: list[int]) -> int | None:
    """The last printed row when the text was cut inside it: its label is printed, it holds fewer cells
    than its row, and the rows before it print every cell (blank ones too), so its cells stand in
    printed order."""
    if not filled or filled[-1] != len(pairs) - 1:
        return None
    last, row_id = pairs[-1]
    if last.kind != "labeled":  # a lone number after the last row may be the cut label's own "2."
        return None
    before = [(obs, rid) for obs, rid in pairs[:-1] if any(t.kind in (VALUE, BLANK) for t in obs.cells)]
    if not before or _printed_width(last) >= len(table.row(row_id).columns):
        return None
    if any(_printed_width(obs) != len(table.row(rid).columns) for obs, rid in before):
        return None  # rows that lost blank cells: the cut row may have lost some too
    return len(pairs) - 1


def _cut_row_cells(obs: Observed, row, table: Table, reading: TableReading) -> None:
    """Cells of a row the text was cut inside: its printed cells, in order; the rest are not in the text."""
    status = INFERRED if obs.status == READ else obs.status
    reason = "the text is cut inside this row: its cells stand in printed order, the rest are not in the text"
    for col, tok in zip(_printed_columns(row, obs.order), [t for t in obs.cells if t.kind != ROWEND]):
        reading.cells.append(_cell(table.id, row.id, col, tok, status, reason))


def _blank_row(obs: Observed, row, table: Table, reading: TableReading) -> None:
    """A row printed with its label and no numbers, before rows that have numbers: every cell is blank."""
    for col in row.columns:
        reading.cells.append(Cell(table.id, row.id, col, None, BLANK_STATUS, obs.label_end, obs.label_end, "",
                                  marker="", reason="row printed with its label and no numbers"))


def _cell(table: str, row: str, column: str, tok: Token, status: str, reason: str | None) -> Cell:
    if tok.kind == VALUE:
        return Cell(table, row, column, tok.value, status, tok.start, tok.end, tok.text, tok.unit, reason=reason)
    return Cell(table, row, column, None, BLANK_STATUS, tok.start, tok.end, tok.text, marker=tok.text,
                reason=reason)
