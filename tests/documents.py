"""Write reports as documents — HTML pages and Word files — in the many layouts real ones show.

A *table set* is a dict ``cell id → value`` (None: a blank cell) for one edition, as in ``render.py``.
``report_blocks`` lays a report out as paragraphs and tables (each table a list of rows of anchor
cells with their rowspan and colspan, as HTML writes them) following a :class:`Layout`; ``to_html``
and ``to_docx`` write those blocks as a page (a site's template around it, nested layout tables, a
charset) or as a Word file (merges as ``gridSpan``/``vMerge``, or the old ``hMerge``).
"""
from __future__ import annotations

import html
import io
import itertools
import random
import re
import zipfile
from dataclasses import dataclass, fields

from gxtables.template import Edition, Table

# ----------------------------------------------------------------------------- layouts


@dataclass(frozen=True)
class Layout:
    t2: str = "one_grid"  # "one_grid" | "grid_per_block" | "captions_outside" | "no_captions"
    t2_span: bool = True  # a block's single value spans the block's columns (2021), or stands in one cell
    t3_header: int = 3  # header rows of table 三: 3 (official), 2 (no 申请人情况 row), 1 (leaf labels only)
    t3_labels: str = "three"  # "three" (official rowspans), "two" (headings as rows), "one" (one label column),
    # "joined" (one column, the heading written before each numbered label)
    t3_vertical: bool = False  # 三、本年度办理结果 printed one character per line in its merged cell
    t4: str = "row15"  # "row15" (the official row of 15) | "grid3x5" (a row per appeal kind)
    blank: str = ""  # what a blank cell prints
    thead: bool = False  # header rows as <th> in <thead>
    fee_unit: bool = False  # the fee printed with its unit ("4068.208万元")
    site: str = "plain"  # "plain" | "site" (navigation, metadata table, footer) | "layout" (the page in layout tables)
    charset: str = "utf-8"  # "utf-8" | "gbk" | "gb2312" | "gb18030" | "big5" (Traditional text)
    word_merge: str = "vmerge"  # "vmerge" (gridSpan + vMerge) | "hmerge" (old hMerge for spans) | "repeat" (merged
    # row labels unmerged, their text printed again in each cell) | "first" (every merge undone, the text in the first cell)
    empty_paragraphs: bool = False  # empty paragraphs between blocks (as offices type them)
    caption_cells: bool = False  # table titles ("表1 …") in a first merged row of each table
    numbering: str = "typed"  # Word: "typed" numbers, or Word's automatic numbering ("auto": "一、" after the
    # number, "auto_tab": a tab after it), the number not in the text
    t3_split: str = "none"  # table 三 split in two tables ("split"; "split_header": its header printed again) or
    # printed as one table per row ("rows")


def random_layout(rng: random.Random) -> Layout:
    """A layout with every choice drawn at random."""
    return Layout(
        t2=rng.choice(["one_grid", "grid_per_block", "captions_outside", "no_captions"]),
        t2_span=rng.random() < 0.6,
        t3_header=rng.choice([3, 3, 2, 1]),
        t3_labels=rng.choice(["three", "three", "two", "one", "joined"]),
        t3_vertical=rng.random() < 0.3,
        t4=rng.choice(["row15", "row15", "grid3x5"]),
        blank=rng.choice(["", "", "/", "—", "-", "无"]),
        thead=rng.random() < 0.3,
        fee_unit=rng.random() < 0.3,
        site=rng.choice(["plain", "site", "layout"]),
        charset=rng.choice(["utf-8", "utf-8", "gbk", "gb2312", "gb18030", "big5"]),
        word_merge=rng.choice(["vmerge", "vmerge", "hmerge", "repeat", "first"]),
        empty_paragraphs=rng.random() < 0.5,
        caption_cells=rng.random() < 0.2,
        numbering=rng.choice(["typed", "typed", "auto", "auto_tab"]),
        t3_split=rng.choice(["none", "none", "none", "split", "split_header", "rows"]),
    )


def describe(layout: Layout) -> str:
    default = Layout()
    return " ".join(f"{f.name}={getattr(layout, f.name)!r}" for f in fields(Layout)
                    if getattr(layout, f.name) != getattr(default, f.name)) or "official"


# ----------------------------------------------------------------------------- tables as rows of anchor cells
# A cell: (text, rowspan, colspan); a row: a list of cells; a table: a list of rows (header rows first,
# with how many there are).
Cell = tuple[str, int, int]


@dataclass
class TableSpec:
    rows: list[list[Cell]]
    header_rows: int = 0
    label_cols: int = 1  # columns of row labels, left of the values


def _c(text: str, rowspan: int = 1, colspan: int = 1) -> Cell:
    return (text, rowspan, colspan)


def _fmt(v: float | None, kind: str, layout: Layout, unit: str | None = None) -> str:
    if v is None:
        return layout.blank
    if float(v).is_integer() and kind != "decimal":
        text = str(int(v))
    else:
        text = f"{v:.6f}".rstrip("0").rstrip(".") if not float(v).is_integer() else str(int(v))
    if unit and layout.fee_unit:
        text += unit
    return text


def _proactive(table: Table, vals: dict, layout: Layout) -> list[TableSpec]:
    """Table 二 in blocks: caption row, header row, rows; one grid or one per block."""
    width = 1 + max(len(r.columns) for r in table.data_rows)
    blocks: dict[str, list] = {}
    for row in table.data_rows:
        blocks.setdefault(row.block, []).append(row)
    specs: list[TableSpec] = []
    current: list[list[Cell]] = []
    for block, rows in blocks.items():
        cols = rows[0].columns
        if not any(f"{table.id}.{r.id}.{c}" in vals for r in rows for c in cols):
            continue
        part: list[list[Cell]] = []
        if layout.t2 in ("one_grid", "grid_per_block"):
            part.append([_c(block, 1, width)])
        span = (width - 1) // len(cols) if layout.t2_span and (width - 1) % len(cols) == 0 else 1
        rest = width - 1 - span * len(cols)
        header = [_c("信息内容")] + [_c(table.column(c).label, 1, span) for c in cols] + [_c("")] * rest
        part.append(header)
        for row in rows:
            cells = [_c(row.label)]
            for c in cols:
                cid = f"{table.id}.{row.id}.{c}"
                col = table.column(c)
                cells.append(_c(_fmt(vals.get(cid), col.type, layout, "万元" if col.unit == "万元" else None), 1, span))
            cells += [_c("")] * rest
            part.append(cells)
        if layout.t2 == "one_grid":
            current.extend(part)
        else:
            specs.append(TableSpec(part, 1))
            if layout.t2 in ("captions_outside",):
                specs[-1].caption = block  # type: ignore[attr-defined]
    if layout.t2 == "one_grid":
        specs.append(TableSpec(current, 0))
    return specs


APPLICANT_COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")


def _applications(table: Table, vals: dict, layout: Layout) -> TableSpec:
    label_cols = {"three": 3, "two": 2, "one": 1, "joined": 1}[layout.t3_labels]
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    rows: list[list[Cell]] = []
    if layout.t3_header == 3:
        rows.append([_c(note, 3, label_cols), _c("申请人情况", 1, 7)])
        rows.append([_c("自然人", 2), _c("法人或其他组织", 1, 5), _c("总计", 2)])
        rows.append([_c(x) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")])
    elif layout.t3_header == 2:
        rows.append([_c(note, 2, label_cols), _c("自然人", 2), _c("法人或其他组织", 1, 5), _c("总计", 2)])
        rows.append([_c(x) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")])
    else:
        rows.append([_c("项目", 1, label_cols)] + [_c(x) for x in ("自然人", "商业企业", "科研机构", "社会公益组织",
                                                                     "法律服务机构", "其他", "总计")])
    header_rows = len(rows)

    def values(row) -> list[Cell]:
        return [_c(_fmt(vals.get(f"{table.id}.{row.id}.{c}"), "count", layout)) for c in APPLICANT_COLUMNS]

    # the outcome group (三、): rows under a heading (（三）不予公开 › 1.…) or on their own (（一）予以公开)
    groups: list[tuple[object, list]] = []
    heading = None
    outcome = False
    for row in table.rows:
        if row.id == "granted" or (row.heading and row.label.startswith("三、")):
            outcome = True
        if row.id == "carried_forward":
            outcome = False
        if not outcome or row.label.startswith("三、"):
            continue
        if row.heading:
            heading = row
            groups.append((row, []))
        elif heading is not None and row.label[:1].isdigit():
            groups[-1][1].append(row)
        else:
            heading = None
            groups.append((None, [row]))
    top_outcome = "三、本年度办理结果"
    vertical = "<br>".join(top_outcome) if layout.t3_vertical else top_outcome
    present = lambda r: any(f"{table.id}.{r.id}.{c}" in vals for c in APPLICANT_COLUMNS)  # noqa: E731
    for row in table.data_rows:
        if row.id in ("new", "carried_over") and present(row):
            rows.append([_c(row.label, 1, label_cols), *values(row)])
    n_outcome = sum(1 for _, members in groups for r in members if present(r))
    if layout.t3_labels == "three":
        first = True
        for h, members in groups:
            members = [r for r in members if present(r)]
            for i, r in enumerate(members):
                cells: list[Cell] = []
                if first:
                    cells.append(_c(vertical, n_outcome))
                    first = False
                if h is None:
                    cells.append(_c(r.label, 1, 2))
                else:
                    if i == 0:
                        cells.append(_c(h.label, len(members)))
                    cells.append(_c(r.label))
                rows.append(cells + values(r))
    elif layout.t3_labels == "two":
        rows.append([_c(vertical, 1, 2)] + [_c("")] * 7)
        for h, members in groups:
            members = [r for r in members if present(r)]
            for i, r in enumerate(members):
                if h is None:
                    rows.append([_c(r.label, 1, 2), *values(r)])
                else:
                    cells = [_c(h.label, len(members))] if i == 0 else []
                    rows.append([*cells, _c(r.label), *values(r)])
    else:
        rows.append([_c(vertical)] + [_c("")] * 7)
        for h, members in groups:
            members = [r for r in members if present(r)]
            if h is not None and layout.t3_labels == "one":
                rows.append([_c(h.label), _c("", 1, 7)])
            for r in members:
                label = r.label if h is None or layout.t3_labels == "one" else f"{h.label}{r.label}"
                rows.append([_c(label), *values(r)])
    for row in table.data_rows:
        if row.id == "carried_forward" and present(row):
            rows.append([_c(row.label, 1, label_cols), *values(row)])
    return TableSpec(rows, header_rows, label_cols)


APPEAL_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
APPEAL_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def _appeals(table: Table, vals: dict, layout: Layout) -> TableSpec:
    def v(row_id: str, col: str) -> Cell:
        return _c(_fmt(vals.get(f"appeals.{row_id}.{col}"), "count", layout))

    order = ("review", "litigation_direct", "litigation_after_review")
    if layout.t4 == "row15":
        rows = [[_c("行政复议", 1, 5), _c("行政诉讼", 1, 10)],
                [_c(x, 2) for x in APPEAL_LABELS] + [_c("未经复议直接起诉", 1, 5), _c("复议后起诉", 1, 5)],
                [_c(x) for x in APPEAL_LABELS * 2],
                [v(r, c) for r in order for c in APPEAL_COLUMNS]]
        return TableSpec(rows, 3, 0)
    rows = [[_c("类别", 1, 2)] + [_c(x) for x in APPEAL_LABELS],
            [_c("行政复议", 1, 2)] + [v("review", c) for c in APPEAL_COLUMNS],
            [_c("行政诉讼", 2), _c("未经复议直接起诉")] + [v("litigation_direct", c) for c in APPEAL_COLUMNS],
            [_c("复议后起诉")] + [v("litigation_after_review", c) for c in APPEAL_COLUMNS]]
    return TableSpec(rows, 1, 2)


# ----------------------------------------------------------------------------- the report
Block = tuple[str, object]  # ("p", text) | ("h", text) | ("table", TableSpec)


def report_blocks(ed: Edition, vals: dict, layout: Layout, *, year: int, body: str) -> list[Block]:
    """The report as blocks: title, prose, the three tables under their section headings, the last sections."""
    out: list[Block] = [("h", f"{body}{year}年政府信息公开工作年度报告"),
                        ("p", f"本报告依据《中华人民共和国政府信息公开条例》编制。本报告所列数据的统计期限自{year}年1月1日起至"
                              f"{year}年12月31日止。"),
                        ("h", "一、总体情况"),
                        ("p", f"{year}年，{body}认真贯彻落实《条例》，全面推进政府信息公开工作。")]
    tables = {t.id: t for t in ed.tables}
    if any(k.startswith("proactive.") for k in vals):
        out.append(("h", tables["proactive"].label))
        for spec in _proactive(tables["proactive"], vals, layout):
            caption = getattr(spec, "caption", None)
            if caption:
                out.append(("p", caption))
            out.append(("table", spec))
    if any(k.startswith("applications.") for k in vals):
        out.append(("h", tables["applications"].label))
        spec = _applications(tables["applications"], vals, layout)
        if layout.t3_split == "none":
            out.append(("table", spec))
        elif layout.t3_split == "rows":
            out += [("table", part) for part in _split(spec, range(1, len(spec.rows)), repeat_header=False)]
        else:
            at = spec.header_rows + (len(spec.rows) - spec.header_rows) // 2 + (year % 5)
            first, second = _split(spec, [min(at, len(spec.rows) - 1)], repeat_header=layout.t3_split == "split_header")
            out += [("table", first), ("p", ""), ("table", second)]
    if any(k.startswith("appeals.") for k in vals):
        out.append(("h", tables["appeals"].label))
        out.append(("table", _appeals(tables["appeals"], vals, layout)))
    out += [("h", "五、存在的主要问题及改进情况"), ("p", "下一步，我们将进一步加强政府信息公开工作。"),
            ("h", "六、其他需要报告的事项"), ("p", "本年度无其他需要报告的事项。")]
    if layout.caption_cells:
        numbered = []
        n = 0
        for kind, payload in out:
            if kind == "table":
                n += 1
                width = _width(payload.rows)
                payload = TableSpec([[_c(f"表{n}", 1, width)], *payload.rows], payload.header_rows + 1, payload.label_cols)
            numbered.append((kind, payload))
        out = numbered
    return out


def _split(spec: TableSpec, at, repeat_header: bool) -> list[TableSpec]:
    """A table cut before each row index in ``at``, as a word processor cuts one: a merged cell crossing a
    cut keeps its text above it and goes on below as an empty merged cell."""
    anchors: dict[tuple[int, int], tuple[int, int, Cell]] = {}  # position → (top row, left column, cell)
    for r, row in enumerate(spec.rows):
        c = 0
        for cell in row:
            while (r, c) in anchors:
                c += 1
            for dr in range(cell[1]):
                for dc in range(cell[2]):
                    anchors[(r + dr, c + dc)] = (r, c, cell)
            c += cell[2]
    cuts = [0, *at, len(spec.rows)]
    parts = []
    for lo, hi in itertools.pairwise(cuts):
        rows: list[list[Cell]] = []
        for r in range(lo, hi):
            row = []
            for (pr, pc), (top, left, (text, rs, cs)) in sorted(anchors.items()):
                if pr != r or pc != left:
                    continue
                if top == r:
                    row.append((text, min(rs, hi - r), cs))
                elif r == lo:  # the part of a merged cell below the cut
                    row.append(("", min(top + rs, hi) - r, cs))
            rows.append(row)
        header = spec.rows[:spec.header_rows] if repeat_header and lo >= spec.header_rows else []
        own = max(0, min(spec.header_rows, hi) - lo)
        parts.append(TableSpec([*header, *rows], len(header) + own, spec.label_cols))
    return parts


def _width(rows: list[list[Cell]]) -> int:
    """Columns of a table of anchor cells (the first row's spans, with rowspans from above)."""
    return _expand(rows)[1]


def _expand(rows: list[list[Cell]]) -> tuple[list[list[tuple[Cell, bool, bool]]], int]:
    """Every position: (its cell, first row of the cell, first column of the cell)."""
    placed: dict[tuple[int, int], tuple[Cell, bool, bool]] = {}
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in placed:
                c += 1
            _, rs, cs = cell
            for dr in range(rs):
                for dc in range(cs):
                    placed[(r + dr, c + dc)] = (cell, dr == 0, dc == 0)
            c += cs
            width = max(width, c)
    grid = [[placed.get((r, c), (("", 1, 1), True, True)) for c in range(width)] for r in range(len(rows))]
    return grid, width


# ----------------------------------------------------------------------------- HTML
NAV = ["首页", "政务公开", "政府信息公开年报", "2022年政府信息公开工作年度报告", "2021年政府信息公开工作年度报告",
       "互动交流", "办事服务", "无障碍", "English"]


def _html_table(spec: TableSpec, layout: Layout) -> str:
    parts = ["<table border='1' cellspacing='0'>"]
    head = spec.header_rows if layout.thead else 0
    if head:
        parts.append("<thead>")
    for i, row in enumerate(spec.rows):
        if head and i == head:
            parts.append("</thead><tbody>")
        tag = "th" if i < head else "td"
        cells = []
        for text, rs, cs in row:
            attrs = (f" rowspan='{rs}'" if rs > 1 else "") + (f" colspan='{cs}'" if cs > 1 else "")
            body = "<br>".join(html.escape(part) for part in text.split("<br>")) if text else "&nbsp;"
            cells.append(f"<{tag}{attrs}><p><span>{body}</span></p></{tag}>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    if head:
        parts.append("</tbody>")
    parts.append("</table>")
    return "\n".join(parts)


def to_html(blocks: list[Block], layout: Layout, *, title: str) -> bytes:
    """The report as an HTML page, in the layout's site template and charset."""
    body = []
    for kind, payload in blocks:
        if kind == "table":
            body.append(_html_table(payload, layout))
        elif kind == "h":
            body.append(f"<p style='text-align:center'><strong>{html.escape(payload)}</strong></p>")
        else:
            body.append(f"<p>&nbsp;&nbsp;{html.escape(payload)}</p>")
        if layout.empty_paragraphs:
            body.append("<p>&nbsp;</p>")
    content = "\n".join(body)
    if layout.site in ("site", "layout"):
        nav = "<ul class='nav'>" + "".join(f"<li><a href='#'>{x}</a></li>" for x in NAV) + "</ul>"
        meta = ("<table class='meta'><tr><td>索引号</td><td>11320000/2024-00012</td><td>发布机构</td><td>某某局</td></tr>"
                "<tr><td>公开日期</td><td>2024-01-17</td><td>文号</td><td></td></tr></table>")
        footer = ("<div class='footer'>主办单位：某某县人民政府办公室 联系电话：0527-83212345 版权所有 "
                  "<a href='#'>网站地图</a></div>")
        script = "<script>var x = '<table><tr><td>1</td></tr></table>'; document.write(x);</script>"
        if layout.site == "site":
            content = f"<div class='header'>{nav}</div><nav>{nav}</nav>{meta}<div class='article'>{content}</div>{footer}{script}"
        else:
            content = (f"<table width='100%'><tr><td colspan='2'>{nav}</td></tr><tr><td class='side'>{nav}</td><td>"
                       f"<table width='98%'><tr><td>{meta}</td></tr><tr><td>{content}</td></tr></table>"
                       f"</td></tr><tr><td colspan='2'>{footer}</td></tr></table>{script}")
    charset = layout.charset
    page = (f"<!DOCTYPE html><html><head><meta http-equiv='Content-Type' content='text/html; charset={charset}'>"
            f"<title>{html.escape(title)}</title><style>td {{ border: 1px solid }}</style></head>"
            f"<body>{content}</body></html>")
    if charset == "big5":
        import opencc

        page = opencc.OpenCC("s2t").convert(page)
        return page.encode("cp950", errors="xmlcharrefreplace")
    return page.encode({"gbk": "gbk", "gb2312": "gb18030", "gb18030": "gb18030"}.get(charset, "utf-8"))


# ----------------------------------------------------------------------------- Word
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>"
                 "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'>"
                 "<Default Extension='rels' ContentType='application/vnd.openxmlformats-package.relationships+xml'/>"
                 "<Default Extension='xml' ContentType='application/xml'/>"
                 "<Override PartName='/word/document.xml' "
                 "ContentType='application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'/>"
                 "</Types>")
RELS = ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>"
        "<Relationships xmlns='http://schemas.openxmlformats.org/package/2006/relationships'>"
        "<Relationship Id='rId1' Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument' "
        "Target='word/document.xml'/></Relationships>")


# Numbering typed before a heading or a label, as Word's automatic numbering would print it.
RE_TYPED_NUMBER = re.compile(r"^(?:(?P<cn>[一二三四五六七八九十]{1,3})、|（(?P<pcn>[一二三四五六七八九十]{1,3})）|(?P<dec>\d{1,2})\.(?=[^\d\W]))")
LIST_KINDS = {"cn": ("chineseCounting", "%1、"), "pcn": ("chineseCounting", "（%1）"), "dec": ("decimal", "%1.")}


def _cn_value(text: str) -> int:
    digits = "一二三四五六七八九"
    if "十" not in text:
        return digits.index(text) + 1
    tens, _, ones = text.partition("十")
    return (digits.index(tens) + 1 if tens else 1) * 10 + (digits.index(ones) + 1 if ones else 0)


class _Lists:
    """Word lists for numbered texts: a list goes on while its numbers follow one another, else a new one starts."""

    def __init__(self, suffix: str) -> None:
        self.suffix = suffix
        self.abstracts: list[tuple[str, int]] = []  # (kind, start)
        self.last: dict[str, tuple[int, int]] = {}  # kind → (list id, last number)

    def split(self, text: str) -> tuple[str, int | None]:
        m = RE_TYPED_NUMBER.match(text)
        if not m:
            return text, None
        kind = m.lastgroup
        n = int(m[kind]) if kind == "dec" else _cn_value(m[kind])
        last = self.last.get(kind)
        if last is not None and last[1] == n - 1:
            list_id = last[0]
        else:
            self.abstracts.append((kind, n))
            list_id = len(self.abstracts)
        self.last[kind] = (list_id, n)
        return text[m.end():], list_id

    def xml(self) -> str:
        parts = [f"<w:numbering xmlns:w='{W_NS}'>"]
        for i, (kind, start) in enumerate(self.abstracts, 1):
            fmt, text = LIST_KINDS[kind]
            suff = "<w:suff w:val='nothing'/>" if self.suffix == "nothing" else ""
            parts.append(f"<w:abstractNum w:abstractNumId='{i}'><w:lvl w:ilvl='0'><w:start w:val='{start}'/>"
                         f"<w:numFmt w:val='{fmt}'/>{suff}<w:lvlText w:val='{text}'/></w:lvl></w:abstractNum>")
        parts += [f"<w:num w:numId='{i}'><w:abstractNumId w:val='{i}'/></w:num>" for i in range(1, len(self.abstracts) + 1)]
        return "".join(parts) + "</w:numbering>"


def _w_paragraph(text: str, bold: bool = False, lists: _Lists | None = None) -> str:
    if not text:
        return "<w:p/>"
    props = ""
    if lists is not None:
        text, list_id = lists.split(text)
        if list_id is not None:
            props = f"<w:pPr><w:numPr><w:ilvl w:val='0'/><w:numId w:val='{list_id}'/></w:numPr></w:pPr>"
    runs = [props]
    for i, part in enumerate(text.split("<br>")):
        if i:
            runs.append("<w:r><w:br/></w:r>")
        props = "<w:rPr><w:b/></w:rPr>" if bold else ""
        runs.append(f"<w:r>{props}<w:t xml:space='preserve'>{html.escape(part)}</w:t></w:r>")
    return "<w:p>" + "".join(runs) + "</w:p>"


def _w_table(spec: TableSpec, layout: Layout, lists: _Lists | None = None) -> str:
    grid, width = _expand(spec.rows)
    out = ["<w:tbl><w:tblPr><w:tblW w:w='0' w:type='auto'/></w:tblPr><w:tblGrid>"
           + "<w:gridCol w:w='800'/>" * width + "</w:tblGrid>"]
    for row in grid:
        cells = []
        c = 0
        while c < width:
            (text, rs, cs), top, left = row[c]
            if layout.word_merge == "repeat" and c < spec.label_cols and cs <= spec.label_cols:  # labels printed again
                cells.append(f"<w:tc><w:tcPr/>{_w_paragraph(text, lists=lists)}</w:tc>")
                c += 1
                continue
            if layout.word_merge == "first":
                cells.append(f"<w:tc><w:tcPr/>{_w_paragraph(text, lists=lists) if top and left else '<w:p/>'}</w:tc>")
                c += 1
                continue
            if layout.word_merge == "hmerge":
                props = "" if cs == 1 else ("<w:hMerge w:val='restart'/>" if left else "<w:hMerge/>")
                if rs > 1:
                    props += "<w:vMerge w:val='restart'/>" if top else "<w:vMerge/>"
                body = _w_paragraph(text, lists=lists) if top and left else "<w:p/>"
                cells.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>")
                c += 1
                continue
            props = f"<w:gridSpan w:val='{cs}'/>" if cs > 1 else ""
            if rs > 1:
                props += "<w:vMerge w:val='restart'/>" if top else "<w:vMerge/>"
            body = _w_paragraph(text, lists=lists) if top else "<w:p/>"
            cells.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>")
            c += cs
        out.append("<w:tr>" + "".join(cells) + "</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def to_docx(blocks: list[Block], layout: Layout) -> bytes:
    """The report as a Word file (the parts a .docx needs, nothing more)."""
    body = []
    lists = _Lists("nothing" if layout.numbering == "auto" else "tab") if layout.numbering != "typed" else None
    for kind, payload in blocks:
        if kind == "table":
            body.append(_w_table(payload, layout, lists))
        else:
            body.append(_w_paragraph(payload, bold=kind == "h", lists=lists))
        if layout.empty_paragraphs:
            body.append("<w:p/>")
    xml = (f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?><w:document xmlns:w='{W_NS}'><w:body>"
           + "".join(body) + "<w:sectPr/></w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", xml)
        if lists is not None:
            z.writestr("word/numbering.xml", lists.xml())
    return buf.getvalue()
