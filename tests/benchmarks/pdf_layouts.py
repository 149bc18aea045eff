"""Reports as PDFs in many layouts, with their expected cells, to measure the PDF reader on files it has not seen.

    python tests/benchmarks/pdf_layouts.py OUT_DIR [--n 40] [--seed 1]
    python /path/to/score.py OUT_DIR      # or any harness that reads OUT_DIR/*.pdf with OUT_DIR/expected/*.json

Each report is written as a Word file with python-docx and converted to PDF by LibreOffice (``soffice``
on PATH), as offices make them: figures from the bundled full reports and random realistic ones; fonts
(Noto Serif/Sans CJK, WenQuanYi, AR PL UMing, whichever are installed), type sizes, margins, portrait or
landscape pages, column widths (a narrow group column prints its label one character a line), tables
split across pages with and without repeated header rows, group labels merged over their rows or printed
once in unmerged cells, bordered or borderless tables, blanks printed empty or as placeholders, page
numbers as `— N —`, `- N -`, `第 N 页`, a running header. ``layout`` in each expected file says which.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docx import Document as Docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from render import edition, random_values

from gxtables.template import Edition

DATA = Path(__file__).resolve().parents[2] / "data"
FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "AR PL UMing CN")
APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")
PROSE = ("本年度，我单位坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
         "不断完善政府信息公开制度，规范依申请公开办理流程，及时回应社会关切，有效保障了人民群众的知情权、参与权和监督权。")


def _fmt(v: float | None, blank: str) -> str:
    if v is None:
        return blank
    return str(int(v)) if float(v).is_integer() else f"{v}"


# ------------------------------------------------------------------------------ layout of the tables as grids
# A table is a list of rows; a row is a list of (text, colspan, rowspan) placed left to right in the
# free positions of the grid, as HTML places cells.


def _proactive(ed: Edition, vals: dict, blank: str) -> tuple[list[list[tuple]], int]:
    table = next(t for t in ed.tables if t.id == "proactive")
    width = 4
    rows: list[list[tuple]] = []
    block = None
    for row in table.data_rows:
        cols = row.columns
        if row.block != block:
            block = row.block
            rows.append([(block, width, 1)])
            head = [(table.column(c).label, 1, 1) for c in cols]
            if len(cols) < width - 1:
                head[-1] = (head[-1][0], width - len(cols), 1)
            rows.append([("信息内容", 1, 1), *head])
        cells = [(_fmt(vals.get(f"proactive.{row.id}.{c}"), blank), 1, 1) for c in cols]
        if len(cols) < width - 1:
            cells[-1] = (cells[-1][0], width - len(cols), 1)
        rows.append([(row.label, 1, 1), *cells])
    return rows, width


def _applications(ed: Edition, vals: dict, blank: str, groups: str) -> tuple[list[list[tuple]], int]:
    """``groups``: 'merged' (group labels merged down their rows, the official layout), 'once' (printed in
    the first row's cell, the cells below left empty) or 'rows' (one label column, group headings as rows)."""
    table = next(t for t in ed.tables if t.id == "applications")
    nlab = 1 if groups == "rows" else 3
    width = nlab + 7
    rows: list[list[tuple]] = [
        [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", nlab, 3), ("申请人情况", 7, 1)],
        [("自然人", 1, 2), ("法人或其他组织", 5, 1), ("总计", 1, 2)],
        [("商业企业", 1, 1), ("科研机构", 1, 1), ("社会公益组织", 1, 1), ("法律服务机构", 1, 1), ("其他", 1, 1)],
    ]
    # the data rows under each heading
    order = list(table.rows)
    results_start = next(i for i, r in enumerate(order) if r.id == "results")
    results_end = next(i for i, r in enumerate(order) if r.id == "carried_forward")
    n_results = sum(1 for r in order[results_start + 1:results_end] if not r.heading)
    heading_span: dict[str, int] = {}
    current = None
    for r in order[results_start + 1:results_end]:
        if r.heading:
            current = r.id
            heading_span[current] = 0
        elif current is not None and r.label[:1].isdigit():
            heading_span[current] += 1
        else:
            current = None
    first_result = True
    heading = None
    for r in order:
        values = [(_fmt(vals.get(f"applications.{r.id}.{c}"), blank), 1, 1) for c in APPLICANTS]
        if r.id == "results":
            continue
        if r.heading:
            heading = r
            if groups == "rows":
                rows.append([(r.label, 1, 1), *[("", 1, 1)] * 7])
            continue
        inside = results_start < order.index(r) < results_end
        under = heading is not None and r.label[:1].isdigit()
        if not under:
            heading = None
        if groups == "rows":
            rows.append([(r.label, 1, 1), *values])
            continue
        cells: list[tuple] = []
        if inside and first_result:
            cells.append(("三、本年度办理结果", 1, n_results) if groups == "merged" else ("三、本年度办理结果", 1, 1))
            first_result = False
        elif inside and groups == "once":
            cells.append(("", 1, 1))
        if not inside:
            cells.append((r.label, 3, 1))
        elif under:
            first_under = order[order.index(r) - 1].heading
            if first_under:
                cells.append((heading.label, 1, heading_span[heading.id]) if groups == "merged" else (heading.label, 1, 1))
            elif groups == "once":
                cells.append(("", 1, 1))
            cells.append((r.label, 1, 1))
        else:
            cells.append((r.label, 2, 1))
        rows.append(cells + values)
    return rows, width


def _appeals(vals: dict, blank: str) -> tuple[list[list[tuple]], int]:
    five = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = [[("行政复议", 5, 1), ("行政诉讼", 10, 1)],
            [*[(t, 1, 2) for t in five], ("未经复议直接起诉", 5, 1), ("复议后起诉", 5, 1)],
            [(t, 1, 1) for t in five * 2],
            [(_fmt(vals.get(f"appeals.{r}.{c}"), blank), 1, 1) for r in ("review", "litigation_direct", "litigation_after_review")
             for c in ("upheld", "corrected", "other", "pending", "total")]]
    return rows, 15


# ------------------------------------------------------------------------------ Word


def _set_font(run, font: str, size: float, bold: bool = False) -> None:
    run.font.name = font
    run.font.size = Pt(size)
    run.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), font)


def _para(doc, text: str, font: str, size: float, *, bold: bool = False, center: bool = False, indent: bool = True) -> None:
    p = doc.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        p.paragraph_format.first_line_indent = Pt(2 * size)
    p.paragraph_format.space_after = Pt(0)
    _set_font(p.add_run(text), font, size, bold)


def _borders(table, style: str) -> None:
    """'grid': every line; 'none': no line; 'rules': only the lines above and below the table and under its header."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        on = style == "grid" or (style == "rules" and edge in ("top", "bottom"))
        el.set(qn("w:val"), "single" if on else "nil")
        if on:
            el.set(qn("w:sz"), "4")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _table(doc, rows: list[list[tuple]], width: int, widths: list[float], font: str, size: float, borders: str,
           header_rows: int, repeat: bool) -> None:
    table = doc.add_table(rows=len(rows), cols=width)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table, borders)
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        c = 0
        for text, colspan, rowspan in row:
            while (r, c) in taken:
                c += 1
            if c >= width:
                break
            cell = table.cell(r, c)
            end = table.cell(r + rowspan - 1, c + colspan - 1)
            if (colspan, rowspan) != (1, 1):
                cell = cell.merge(end)
            for rr in range(r, r + rowspan):
                for cc in range(c, c + colspan):
                    taken.add((rr, cc))
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if (text[:1].isdigit() or c > 0) else WD_ALIGN_PARAGRAPH.LEFT
            p.paragraph_format.space_after = Pt(0)
            if text:
                _set_font(p.add_run(text), font, size)
            c += colspan
    for r in range(len(rows)):
        for c in range(width):
            table.cell(r, c).width = Cm(widths[c])
    if repeat:
        for r in range(header_rows):
            _repeat_header(table.rows[r])


def _footer(section, style: str, font: str) -> None:
    if style == "none":
        return
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, after = {"dash": ("— ", " —"), "hyphen": ("- ", " -"), "page": ("第 ", " 页")}[style]
    _set_font(p.add_run(before), font, 10.5)
    run = p.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    _set_font(run, font, 10.5)
    _set_font(p.add_run(after), font, 10.5)


def write_report(path: Path, ed: Edition, vals: dict, year: int, body: str, layout: dict) -> None:
    font, size, tsize = layout["font"], layout["size"], layout["table_size"]
    doc = Docx()
    section = doc.sections[0]
    if layout["landscape"]:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(layout["margin"]))
    _footer(section, layout["footer"], font)
    if layout["running_header"]:
        hp = section.header.paragraphs[0]
        hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(hp.add_run(f"{body}政务公开"), font, 9)
    usable = (section.page_width - section.left_margin - section.right_margin) / 360000  # cm
    _para(doc, f"{body}{year}年政府信息公开工作年度报告", font, size + 6, bold=True, center=True)
    _para(doc, f"本报告根据《中华人民共和国政府信息公开条例》要求编制，所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。", font, size)
    _para(doc, "一、总体情况", font, size, bold=True)
    for _ in range(layout["prose"]):
        _para(doc, PROSE, font, size)
    blank = layout["blank"]
    groups = layout["groups"]
    for title, (rows, width), header in (
            ("二、主动公开政府信息情况", _proactive(ed, vals, blank), 0),
            ("三、收到和处理政府信息公开申请情况", _applications(ed, vals, blank, groups), 3),
            ("四、政府信息公开行政复议、行政诉讼情况", _appeals(vals, blank), 3)):
        _para(doc, title, font, size, bold=True)
        if width == 15:
            widths = [usable / 15] * 15
        elif width == 4:
            first = usable * layout["label_share"]
            widths = [first] + [(usable - first) / 3] * 3
        else:
            nlab = width - 7
            lab = usable * layout["label_share"] * (1.4 if nlab == 1 else 1.7)
            parts = [layout["group_width"], layout["group_width"] * 1.6, 0][:nlab] if nlab == 3 else [lab]
            if nlab == 3:
                parts[2] = max(lab - parts[0] - parts[1], 2.5)
            rest = (usable - sum(parts)) / 7
            widths = parts + [rest] * 7
        _table(doc, rows, width, widths, font, tsize, layout["borders"], header, layout["repeat_header"])
    _para(doc, "五、存在的主要问题及改进情况", font, size, bold=True)
    _para(doc, PROSE, font, size)
    _para(doc, "六、其他需要报告的事项", font, size, bold=True)
    _para(doc, "本年度无其他需要报告的事项。", font, size)
    doc.save(path)


def random_layout(rng: random.Random, fonts: list[str]) -> dict:
    return {
        "font": rng.choice(fonts), "size": rng.choice([12, 14, 15, 16]), "table_size": rng.choice([9, 10, 10.5, 12]),
        "landscape": rng.random() < 0.25, "margin": rng.choice([1.8, 2.5, 3.2]),
        "footer": rng.choice(["dash", "dash", "hyphen", "page", "none"]), "running_header": rng.random() < 0.3,
        "prose": rng.randint(0, 6), "blank": rng.choice(["", "", "/", "—", "-"]),
        "groups": rng.choice(["merged", "merged", "merged", "once", "rows"]),
        "label_share": rng.uniform(0.22, 0.34), "group_width": rng.choice([0.7, 0.9, 1.2, 1.6]),
        "borders": rng.choice(["grid", "grid", "grid", "none", "rules"]), "repeat_header": rng.random() < 0.5,
    }


def installed_fonts() -> list[str]:
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    return [f for f in FONTS if f in out] or ["Noto Serif CJK SC"]


def figures(rng: random.Random, i: int) -> tuple[Edition, dict, int, str]:
    """The bundled full reports' figures first, then random ones of either edition."""
    full = sorted((DATA / "dev" / "expected").glob("g*.json"))
    seen = {p.stem.split("-")[0] for p in full}
    full = [p for p in full if p.stem in seen]
    if i < len(full):
        exp = json.loads(full[i].read_text(encoding="utf-8"))
        vals: dict = {k: float(v) for k, v in exp["cells"].items()}
        vals.update({k: None for k in exp.get("blank", [])})
        return edition(exp["edition"]), vals, exp["year"], exp.get("body") or "某县人民政府"
    ed = edition(rng.choice(["2019", "2021"]))
    year = rng.choice([2019, 2020]) if ed.edition == "2019" else rng.randint(2021, 2025)
    return ed, random_values(ed, rng, zeros_blank=rng.choice([0.0, 0.0, 0.5])), year, rng.choice(["某县人民政府", "某市生态环境局", "某区教育局"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    fonts = installed_fonts()
    out: Path = args.out
    (out / "expected").mkdir(parents=True, exist_ok=True)
    (out / "docx").mkdir(exist_ok=True)
    for i in range(args.n):
        ed, vals, year, body = figures(rng, i)
        layout = random_layout(rng, fonts)
        stem = f"s{args.seed:02d}{i:03d}"
        write_report(out / "docx" / f"{stem}.docx", ed, vals, year, body, layout)
        cells = {k: v for k, v in vals.items() if v is not None}
        blank = sorted(k for k, v in vals.items() if v is None)
        (out / "expected" / f"{stem}.json").write_text(json.dumps(
            {"is_report": True, "edition": ed.edition, "year": year, "body": body, "cells": cells, "blank": blank,
             "ambiguous": [], "layout": layout}, ensure_ascii=False, indent=1), encoding="utf-8")
    docs = sorted(str(p) for p in (out / "docx").glob("*.docx"))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), *docs],
                   check=True, capture_output=True)


if __name__ == "__main__":
    main()
