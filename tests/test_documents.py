"""Documents read as they are: HTML pages and Word files, real ones first, then every layout we can draw."""
from __future__ import annotations

import io
import json
import os
import random
import shutil
import stat
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import DATA
from documents import Layout, random_layout, report_blocks, to_docx, to_html
from hypothesis import given
from hypothesis import strategies as st
from render import edition, random_values

import gxtables
from gxtables.cli import main
from gxtables.documents import read as read_mod
from gxtables.documents.docx import docx_to_document
from gxtables.documents.html import html_to_document
from gxtables.documents.model import Grid
from gxtables.documents.sniff import looks_like_html, sniff
from gxtables.records import ORIGIN_COLUMNS

DOCS = DATA / "dev-docs"
DOC_FILES = sorted(p for p in DOCS.iterdir() if p.suffix in (".html", ".docx", ".pdf"))


def expected(path: Path) -> dict:
    own = DOCS / "expected" / f"{path.stem}.json"
    return json.loads(own.read_text(encoding="utf-8"))


def cells_of(report) -> dict[str, tuple[float | None, str]]:
    frame = report.cells
    return {cid: (None if pd.isna(v) else float(v), status)
            for cid, v, status in zip(frame["id"], frame["value"].astype(object), frame["status"])}


def assert_exact(report, want: dict[str, float | None]) -> None:
    """Every expected cell with its value (None: blank), nothing uncertain, nothing more."""
    got = cells_of(report)
    wrong = {k: (got.get(k), v) for k, v in want.items() if k not in got or got[k][0] != v}
    assert not wrong, f"{len(wrong)} cells differ: {dict(list(wrong.items())[:8])}"
    assert not [k for k, (_, status) in got.items() if status == "uncertain"]
    assert not [k for k, (v, _) in got.items() if k not in want and v is not None]


# ----------------------------------------------------------------------------- real documents


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: p.name)
def test_real_documents_read_exactly(path):
    exp = expected(path)
    report = gxtables.read(path)
    assert (report.edition, report.year) == (exp["edition"], exp["year"])
    want = {k: float(v) for k, v in exp["cells"].items()} | {k: None for k in exp.get("blank", [])}
    assert_exact(report, want)


@pytest.mark.parametrize("name, table, row, column", [("g002.docx", 1, 3, 3), ("g020-site.html", 2, 3, 3),
                                                      ("g013-pandoc.html", 1, 3, 3)])
def test_every_cell_says_where_the_document_printed_it(name, table, row, column):
    """applications.new.natural_person: the first value under 自然人, in the grid of table 三 (after the
    site's metadata table, on the site's page)."""
    frame = gxtables.read(DOCS / name).cells.set_index("id")
    cell = frame.loc["applications.new.natural_person"]
    assert (cell["doc_table"], cell["doc_row"], cell["doc_column"]) == (table, row, column)
    assert frame["doc_table"].notna().all() and frame["page"].isna().all()
    assert list(frame.columns[-len(ORIGIN_COLUMNS):]) == ORIGIN_COLUMNS


def test_a_value_merged_over_columns_is_one_cell():
    """LibreOffice writes table 四's 总计 over two grid columns, its 61 too: one cell, read once."""
    frame = gxtables.read(DOCS / "g002-lo.html").cells.set_index("id")
    assert frame.loc["appeals.review.total", "value"] == 61
    assert frame.loc["appeals.litigation_direct.upheld", "value"] == 3


def test_blank_cells_of_a_site_page_are_blank_not_guessed():
    report = gxtables.read(DOCS / "g020-site.html")
    blank = report.cells[report.cells["status"] == "blank"]
    assert len(blank) == len(expected(DOCS / "g020-site.html")["blank"])
    assert set(blank["marker"]) == {""}


# ----------------------------------------------------------------------------- generated documents
FIGURES = {name: json.loads((DATA / "dev" / "expected" / f"{name}.json").read_text(encoding="utf-8"))
           for name in ("g002-row", "g006-row", "g013-row", "g020-row")}


def _figures(name: str) -> tuple[str, int, dict]:
    exp = FIGURES[name]
    return exp["edition"], exp["year"], {k: float(v) for k, v in exp["cells"].items()} | {k: None for k in exp.get("blank", [])}


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_real_figures_in_random_layouts_read_exactly(seed, fmt):
    """The figures of the real reports, drawn in a layout chosen at random: spans, header rows, label
    columns, vertical labels, table 四 as a row or a grid, placeholders, site templates, layout tables,
    charsets, Word merges."""
    rng = random.Random(seed)
    ed, year, vals = _figures(sorted(FIGURES)[seed % len(FIGURES)])
    layout = random_layout(rng)
    blocks = report_blocks(edition(ed), vals, layout, year=year, body="某某县某某局")
    data = to_html(blocks, layout, title="报告") if fmt == "html" else to_docx(blocks, layout)
    report = gxtables.read(data)
    assert (report.edition, report.year) == (ed, year)
    assert_exact(report, vals)


@pytest.mark.parametrize("layout", [
    Layout(t3_labels="one", t3_header=1, t4="grid3x5", blank="/"),
    Layout(t3_labels="joined", t3_vertical=True, t2="captions_outside", thead=True),
    Layout(t3_labels="two", t2="no_captions", t2_span=False, caption_cells=True, word_merge="first"),
    Layout(site="layout", charset="gbk", word_merge="hmerge", fee_unit=True, empty_paragraphs=True),
    Layout(site="site", charset="big5", word_merge="repeat", blank="—"),
    Layout(numbering="auto", t3_labels="one", t2="captions_outside"),
    Layout(numbering="auto_tab", t3_labels="joined", word_merge="first"),
    Layout(t3_split="split_header", t3_vertical=True),
    Layout(t3_split="rows", t3_labels="two", blank="/"),
    Layout(t3_split="rows", word_merge="first", numbering="auto_tab", caption_cells=True),
], ids=["one-label-column", "joined-labels", "no-captions", "layout-tables-gbk", "site-big5", "word-numbering",
        "word-numbering-tab", "split-table", "a-table-per-row", "a-table-per-row-unmerged"])
def test_random_figures_in_hard_layouts(layout):
    for ed_name, year in (("2019", 2020), ("2021", 2023)):
        vals = random_values(edition(ed_name), random.Random(year), zeros_blank=0.5)
        blocks = report_blocks(edition(ed_name), vals, layout, year=year, body="某某县某某局")
        for data in (to_html(blocks, layout, title="报告"), to_docx(blocks, layout)):
            report = gxtables.read(data)
            assert report.year == year
            assert_exact(report, vals)


# ----------------------------------------------------------------------------- grids: merges expanded


@st.composite
def merged_tables(draw):
    """A table of anchor cells with random rowspans and colspans, and its expansion."""
    rows, cols = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    taken: dict[tuple[int, int], str] = {}
    spec: list[list[tuple[str, int, int]]] = []
    n = 0
    for r in range(rows):
        row = []
        for c in range(cols):
            if (r, c) in taken:
                continue
            rs = draw(st.integers(1, rows - r))
            cs = 1
            while c + cs < cols and (r, c + cs) not in taken and draw(st.booleans()):
                cs += 1
            if any((r + dr, c + dc) in taken for dr in range(rs) for dc in range(cs)):
                rs = 1
            text = draw(st.sampled_from(["", f"标签{n}", str(n), "一、本年新收"]))
            n += 1
            for dr in range(rs):
                for dc in range(cs):
                    taken[(r + dr, c + dc)] = text
            row.append((text, rs, cs))
        spec.append(row)
    return spec, [[taken[(r, c)] for c in range(cols)] for r in range(rows)]


def _anchors(grid: Grid) -> list[list[tuple[str, int, int]]]:
    return [[(c.text, c.rowspan, c.colspan) for c in row if not c.covered] for row in grid.rows]


@given(merged_tables())
def test_html_merges_expand_to_the_drawn_grid(table):
    spec, full = table
    from documents import TableSpec, _html_table

    page = "<html><body><p>前言</p>" + _html_table(TableSpec(spec), Layout()) + "</body></html>"
    grids = html_to_document(page.encode()).grids
    if not any(text for row in full for text in row):
        assert not grids
        return
    (grid,) = grids
    assert [[c.text for c in row] for row in grid.rows] == full
    assert _anchors(grid) == [[(t, rs, cs) for t, rs, cs in row] for row in spec]


@given(merged_tables(), st.sampled_from(["vmerge", "hmerge"]))
def test_word_merges_expand_to_the_drawn_grid(table, merge):
    spec, full = table
    from documents import TableSpec

    data = to_docx([("p", "前言"), ("table", TableSpec(spec))], Layout(word_merge=merge))
    grids = docx_to_document(data).grids
    if not any(text for row in full for text in row):
        assert not grids
        return
    (grid,) = grids
    assert [[c.text for c in row] for row in grid.rows] == full
    for row in grid.rows:  # a covered position repeats its anchor, whose origin it names
        for cell in row:
            if cell.covered:
                anchor = grid.rows[cell.origin.row][cell.origin.column] if merge == "vmerge" else None
                assert anchor is None or anchor.text == cell.text


# ----------------------------------------------------------------------------- Word's automatic numbering
NUMBERING = ("<w:numbering xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'>"
             "<w:abstractNum w:abstractNumId='0'>"
             "<w:lvl w:ilvl='0'><w:start w:val='1'/><w:numFmt w:val='chineseCounting'/><w:suff w:val='nothing'/>"
             "<w:lvlText w:val='%1、'/></w:lvl>"
             "<w:lvl w:ilvl='1'><w:start w:val='1'/><w:numFmt w:val='chineseCounting'/><w:suff w:val='nothing'/>"
             "<w:lvlText w:val='（%2）'/></w:lvl>"
             "<w:lvl w:ilvl='2'><w:start w:val='1'/><w:numFmt w:val='decimal'/><w:lvlText w:val='%3.'/></w:lvl>"
             "</w:abstractNum>"
             "<w:num w:numId='1'><w:abstractNumId w:val='0'/></w:num>"
             "<w:num w:numId='2'><w:abstractNumId w:val='0'/><w:lvlOverride w:ilvl='2'><w:startOverride w:val='7'/>"
             "</w:lvlOverride></w:num></w:numbering>")
STYLES = ("<w:styles xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'>"
          "<w:style w:type='paragraph' w:styleId='H1'><w:pPr><w:numPr><w:numId w:val='1'/></w:numPr></w:pPr></w:style>"
          "<w:style w:type='paragraph' w:styleId='H1b'><w:basedOn w:val='H1'/></w:style></w:styles>")


def test_word_prints_its_automatic_numbers_and_so_does_the_reader():
    from gxtables.documents.numbering import Numbering, format_number

    assert [format_number(n, "chineseCounting") for n in (1, 10, 11, 20, 23)] == ["一", "十", "十一", "二十", "二十三"]
    assert [format_number(n, f) for n, f in ((3, "decimalEnclosedCircle"), (4, "upperRoman"), (2, "ideographTraditional"),
                                              (28, "lowerLetter"), (5, "bullet"))] == ["③", "IV", "乙", "bb", ""]

    def p(num: str | None = None, ilvl: int | None = None, style: str | None = None) -> str:
        props = f"<w:pStyle w:val='{style}'/>" if style else ""
        if num is not None:
            props += "<w:numPr>" + (f"<w:ilvl w:val='{ilvl}'/>" if ilvl is not None else "") + f"<w:numId w:val='{num}'/></w:numPr>"
        return f"<w:p><w:pPr>{props}</w:pPr><w:r><w:t>x</w:t></w:r></w:p>"

    body = [p("1", 0), p("1", 1), p("1", 1), p(style="H1b"), p("1", 1), p("1", 2), p("2", 2), p("2", 2), p("0", 0), p()]
    xml = ("<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'><w:body>"
           + "".join(body) + "</w:body></w:document>").encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", xml)
        z.writestr("word/numbering.xml", NUMBERING)
        z.writestr("word/styles.xml", STYLES)
    texts = [b.text for b in docx_to_document(buf.getvalue()).blocks]
    assert texts == ["一、x", "（一）x", "（二）x", "二、x", "（一）x", "1. x", "7. x", "8. x", "x", "x"]
    assert Numbering(b"<broken", None).label(None) == ""


# ----------------------------------------------------------------------------- what a file is, by content


def test_an_html_page_saved_as_txt_is_read_as_html(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes((DOCS / "g013-pandoc.html").read_bytes())
    assert sniff(path.read_bytes()) == "html"
    report = gxtables.read(path)
    assert len(report.placed_cells) == 179 and report.cells["doc_table"].notna().all()


def test_markdown_with_line_breaks_stays_text():
    text = "|（本|列数据的勾稽关系为|自然人|\n||之和，等<br>于第三项|人|\n"
    assert not looks_like_html(text)
    assert looks_like_html("<!-- saved -->\n<!DOCTYPE html><html><body>x</body></html>")
    assert looks_like_html("标题\n<table><tr><td>1</td></tr></table>")
    assert not looks_like_html("<b>某某县2023年政府信息公开工作年度报告</b>\n" + "一、总体情况\n本年度…\n" * 30)


@pytest.mark.parametrize("charset, encoding", [("gb2312", "gb18030"), ("GBK", "gbk"), ("gb18030", "gb18030"),
                                               ("big5", "cp950")])
def test_chinese_charsets_declared_in_meta(tmp_path, charset, encoding):
    page = (DOCS / "g013-pandoc.html").read_text(encoding="utf-8").replace('<meta charset="utf-8" />',
                                                                          f'<meta charset="{charset}">')
    if charset == "big5":
        import opencc

        page = opencc.OpenCC("s2t").convert(page)
    data = page.encode(encoding, errors="xmlcharrefreplace")
    report = gxtables.read(data)
    assert (report.year, len(report.placed_cells)) == (2023, 179)
    assert report.body == ("洪澤區人民政府" if charset == "big5" else "洪泽区人民政府")


def test_a_table_caption_is_prose_and_a_footnote_mark_is_a_note():
    page = ("<html><body><table><caption>表1 主动公开</caption><tr><td>规章</td><td>3<sup>1</sup></td></tr></table>"
            "</body></html>").encode()
    para, grid = html_to_document(page).blocks
    assert para.text == "表1 主动公开" and [c.text for c in grid.rows[0]] == ["规章", "3(1)"]


def test_an_http_equiv_charset_and_a_page_that_lies_about_it():
    body = "<html><head><meta http-equiv='Content-Type' content='text/html; charset=GBK'></head><body>"
    doc = html_to_document((body + "<p>沭阳县2023年政府信息公开工作年度报告</p></body></html>").encode("gbk"))
    assert doc.blocks[0].text == "沭阳县2023年政府信息公开工作年度报告"
    doc = html_to_document((body + "<p>沭阳县2023年政府信息公开工作年度报告</p></body></html>").encode("utf-8"))
    assert doc.blocks[0].text == "沭阳县2023年政府信息公开工作年度报告"  # declared GBK, written in UTF-8


def test_read_takes_paths_bytes_and_binary_files(tmp_path):
    path = DOCS / "g002.docx"
    by_path = cells_of(gxtables.read(path))
    assert cells_of(gxtables.read(path.read_bytes())) == by_path
    assert cells_of(gxtables.read(io.BytesIO(path.read_bytes()))) == by_path
    with open(path, "rb") as fh:
        report = gxtables.read(fh)
    assert report.source == str(path) and cells_of(report) == by_path
    with open(DOCS / "README.md", encoding="utf-8") as fh, pytest.raises(TypeError, match="binary mode"):
        gxtables.read(fh)
    with pytest.raises(TypeError):
        gxtables.read(12)


def test_parse_given_an_html_page_reads_it_as_html():
    text = (DOCS / "g020-site.html").read_text(encoding="utf-8")
    report = gxtables.parse(text, source="page")
    assert len(report.placed_cells) == 200 and report.cells["doc_table"].notna().all()
    assert str(gxtables.debug(text)).startswith("[document] html:")


# ----------------------------------------------------------------------------- clear reasons, never a hang


def _docx(xml: bytes, name: str = "word/document.xml") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, xml)
    return buf.getvalue()


def test_a_word_file_with_broken_xml_names_the_file(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(_docx(b"<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'>"
                           b"<w:body><w:p><w:r><w:t>\xe4\xb8\x80</w:r></w:body>"))
    with pytest.raises(gxtables.ReadError, match=r"broken\.docx.*document\.xml is broken XML"):
        gxtables.read(path)


def test_a_word_file_cut_short_or_without_its_body_names_the_file(tmp_path):
    whole = (DOCS / "g002.docx").read_bytes()
    cut = tmp_path / "cut.docx"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(gxtables.ReadError, match=r"cut\.docx.*(damaged|cut short)"):
        gxtables.read(cut)
    other = tmp_path / "archive.docx"
    other.write_bytes(_docx(b"hello", "notes.txt"))
    with pytest.raises(gxtables.ReadError, match=r"archive\.docx: a ZIP archive"):
        gxtables.read(other)


def test_empty_html(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    with pytest.raises(gxtables.ReadError, match=r"empty\.html: empty file"):
        gxtables.read(empty)
    for page in (b"<html></html>", b"<html><head><title>x</title></head><body>  </body></html>",
                 b"<html><body><script>var a = 1;</script></body></html>"):
        report = gxtables.read(page)
        assert not report.is_report and "no text" in report.reason


def test_a_page_of_200000_unclosed_tables_names_the_file(tmp_path):
    path = tmp_path / "tables.html"
    path.write_bytes(b"<html><body><p>2023\xe5\xb9\xb4</p>" + b"<table>" * 200_000 + b"</body></html>")
    with pytest.raises(gxtables.ReadError, match=r"tables\.html: the page nests its elements deeper"):
        gxtables.read(path)
    report = gxtables.parse(path.read_text(encoding="utf-8"), source="tables.html")  # parse never raises
    assert not report.is_report and "nests its elements deeper" in report.reason


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def test_a_legacy_word_file_without_libreoffice_says_how_to_convert(tmp_path, monkeypatch):
    path = tmp_path / "report.doc"
    path.write_bytes(OLE2)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    with pytest.raises(gxtables.ReadError, match=r"report\.doc: a legacy Office file.*soffice --headless --convert-to docx"):
        gxtables.read(path)


def _fake_soffice(folder: Path, script: str) -> None:
    folder.mkdir()
    exe = folder / "soffice"
    exe.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)


def test_a_legacy_word_file_is_converted_by_libreoffice(tmp_path, monkeypatch):
    """soffice --convert-to docx --outdir DIR FILE writes DIR/<name>.docx: a stand-in copies a real one."""
    bin_dir = tmp_path / "bin"
    _fake_soffice(bin_dir, 'for a; do case "$prev" in --outdir) out="$a";; esac; prev="$a"; last="$a"; done\n'
                           f'cp "{DOCS / "g002.docx"}" "$out/$(basename "${{last%.*}}").docx"\n')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    report = gxtables.read(OLE2)
    assert report.year == 2025 and len(report.placed_cells) == 200


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_real_legacy_word_file_is_read_through_libreoffice():
    """tests/fixtures/g002.doc: data/dev-docs/g002.docx saved as Word 97–2003 by LibreOffice."""
    report = gxtables.read(Path(__file__).parent / "fixtures" / "g002.doc")
    assert cells_of(report) == cells_of(gxtables.read(DOCS / "g002.docx"))


def test_a_conversion_that_hangs_is_stopped(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    _fake_soffice(bin_dir, "sleep 30\n")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(read_mod, "CONVERT_TIMEOUT", 1)
    with pytest.raises(gxtables.ReadError, match=r"old\.wps: .*did not convert it within 1 s"):
        gxtables.read(_named(OLE2, "old.wps"))


def _named(data: bytes, name: str) -> io.BytesIO:
    fh = io.BytesIO(data)
    fh.name = name
    return fh


def test_a_pdf_without_its_reader_says_what_to_install(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "gxtables.documents.pdf", None)  # as if the module or pdfplumber were absent
    with pytest.raises(gxtables.ReadError, match=r"x\.pdf: a PDF file; .*pip install 'gxtables\[pdf\]'"):
        gxtables.read(_named(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n", "x.pdf"))


# ----------------------------------------------------------------------------- corpus, CLI, views


def test_read_many_cli_and_views_take_documents(tmp_path, capsys):
    corpus = gxtables.read_many(DOCS, workers=0, progress=False)
    summary = corpus.summary
    assert set(summary["source"]) == {str(p) for p in DOC_FILES} | {str(DOCS / "README.md")}
    assert summary["error"].isna().all()
    cells = corpus.cells
    assert cells["doc_table"].notna().all() and len(cells) == sum(len(gxtables.read(p).placed_cells) for p in DOC_FILES)
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(DOCS), "--quiet", "--workers", "0"], out=out, err=err) in (0, 1)
    assert not err.getvalue() and out.getvalue().count("\n") >= len(DOC_FILES)
    out = io.StringIO()
    assert main(["debug", str(DOCS / "g006.docx")], out=out, err=err) == 0
    assert out.getvalue().startswith("[document] docx: ")
    page = gxtables.read(DOCS / "g006.docx")._repr_html_()
    assert "gx-report" in page


def test_dask_reads_documents():
    pytest.importorskip("dask.dataframe")
    import gxtables.dask

    frame = gxtables.dask.read_reports(str(DOCS), frame="cells", files_per_partition=3).compute()
    assert len(frame) == len(gxtables.read_many(DOCS, workers=0, progress=False).cells)
    assert frame["doc_row"].notna().all()


# ----------------------------------------------------------------------------- grids as readers build them


def _grid(index: int, rows: list[list[str]]) -> Grid:
    from gxtables.documents.model import GridCell, Origin

    return Grid(tuple(tuple(GridCell(text, Origin(table=index, row=r, column=c)) for c, text in enumerate(row))
                      for r, row in enumerate(rows)), Origin(table=index))


def test_a_gap_between_columns_that_no_header_names_holds_no_cells():
    """A PDF's stray column edge leaves an empty position between 本年新公开数量 and 对外公开总数量 in every
    row of a block: not a blank cell, or 429 would fall out of its row. A header naming the position
    keeps its empty cells blank."""
    from gxtables.documents.model import Document, Paragraph
    from gxtables.documents.model import Origin as O
    from gxtables.pipeline import parse_document

    def doc(header_gap: str) -> Document:
        return Document("pdf", "x.pdf", (
            Paragraph("某某县某某局2020年政府信息公开工作年度报告", O(page=1)),
            Paragraph("二、主动公开政府信息情况", O(page=1)),
            _grid(0, [["第二十条第（一）项", "", "", "", ""],
                      ["信息内容", "本年新制作数量", "本年新公开数量", header_gap, "对外公开总数量"],
                      ["规章", "2", "0", "", "429"], ["规范性文件", "1", "0", "", "748"]]),
            Paragraph("三、收到和处理政府信息公开申请情况", O(page=2))))

    cells = cells_of(parse_document(doc("")))
    assert cells["proactive.regulations.total_published"] == (429.0, "read")
    assert cells["proactive.normative_documents.new_published"] == (0.0, "read")
    cells = cells_of(parse_document(doc("备注")))  # a named position: its empty cells are cells
    assert cells["proactive.regulations.total_published"] == (None, "blank")
