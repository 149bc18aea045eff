"""The PDF reader: real reports' tables read cell by cell, pages joined, and every unreadable file refused clearly."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("pdfplumber")

import gxtables
from gxtables.documents.model import Document, Grid, Paragraph
from gxtables.documents.pdf import pdf_to_document
from gxtables.io import ReadError

DOCS = Path(__file__).resolve().parent.parent / "data" / "dev-docs"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPORTS = ("g002", "g006", "g013", "g020")


def _doc(stem: str) -> Document:
    return pdf_to_document((DOCS / f"{stem}.pdf").read_bytes(), f"{stem}.pdf")


def _pipe_text(doc: Document) -> str:
    """The document as text: paragraphs as lines, each grid row as one pipe row with every position explicit."""
    out: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
        else:
            out += ["| " + " | ".join("" if c.covered else c.text for c in row) + " |" for row in block.rows]
            out.append("")
    return "\n".join(out)


def _grid_with(doc: Document, label: str) -> Grid:
    return next(g for g in doc.grids if any(c.text == label for row in g.rows for c in row))


def _row(grid: Grid, label: str) -> list[str]:
    """The texts of the row whose anchor cell reads ``label``."""
    return next([c.text for c in row] for row in grid.rows if any(c.text == label and not c.covered for c in row))


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {stem: _doc(stem) for stem in REPORTS}


@pytest.mark.parametrize("stem", REPORTS)
def test_every_cell_of_the_real_reports_is_read_from_the_grids(docs, stem):
    expected = json.loads((DOCS / "expected" / f"{stem}.json").read_text(encoding="utf-8"))
    report = gxtables.parse(_pipe_text(docs[stem]))
    frame = report.cells
    got = {f"{t}.{r}.{c}": (None if pd.isna(v) else v) for t, r, c, v, s
           in zip(frame["table"], frame["row"], frame["column"], frame["value"], frame["status"]) if s != "uncertain"}
    want = expected["cells"]
    assert {k: got.get(k) for k in want} == want
    assert [k for k, v in got.items() if v is not None and k not in want] == []
    assert report.year == expected["year"] and report.edition == expected["edition"]


@pytest.mark.parametrize("stem", REPORTS)
def test_page_numbers_are_gone_and_the_title_is_one_paragraph(docs, stem):
    texts = [b.text for b in docs[stem].blocks if isinstance(b, Paragraph)]
    assert not [t for t in texts if t.strip("—– 0123456789") == ""]
    assert texts[0].endswith("年度报告") and "\n" not in texts[0]
    assert all(p.origin.page and p.origin.x0 is not None and p.origin.bottom > p.origin.top
               for p in docs[stem].blocks if isinstance(p, Paragraph))


def test_a_table_continued_on_the_next_page_is_one_grid_with_its_broken_labels_joined(docs):
    doc = docs["g002"]
    grid = _grid_with(doc, "一、本年新收政府信息公开申请数量")
    # the table runs from page 2 onto page 3 and is one grid
    assert {c.origin.page for row in grid.rows for c in row} == {2, 3}
    assert _row(grid, "四、结转下年度继续办理")[-7:] == ["31", "0", "0", "0", "0", "0", "31"]
    # the group label printed down the page, one character a line, and the one the page break cut
    labels = {c.text for row in grid.rows for c in row[:2]}
    assert {"三、本年度办理结果", "（五）不予处理", "（四）无法提供"} <= labels
    five = [row[1] for row in grid.rows if row[1].text == "（五）不予处理"]
    assert len(five) == 5 and [c.covered for c in five] == [False, True, True, True, True] and five[0].rowspan == 5
    # labels wrapped onto two lines inside their cell
    assert _row(grid, "1.本机关不掌握相关政府信息")[-7:] == ["111", "0", "0", "0", "0", "0", "111"]


def test_a_row_cut_by_the_page_is_joined_with_its_blank_cells_kept(docs):
    grid = _grid_with(docs["g020"], "一、本年新收政府信息公开申请数量")
    assert _row(grid, "4.无正当理由大量反复申请")[-7:] == ["0", "", "", "", "", "", "0"]
    assert not any(row[2].text == "申请" for row in grid.rows)


def test_a_header_cut_by_the_page_is_joined_and_the_numbers_stay_in_their_columns(docs):
    grid = _grid_with(docs["g013"], "行政复议")
    assert [c.text for c in grid.rows[-1]] == ["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"]
    assert "结果维持" in [c.text for c in grid.rows[-2]]
    assert {c.origin.page for row in grid.rows for c in row} == {2, 3}


def test_values_with_units_and_merged_value_cells(docs):
    grid = _grid_with(docs["g006"], "政府集中采购")
    row = _row(grid, "政府集中采购")
    assert row[0] == "政府集中采购" and "395" in row and any(t.startswith("73802895.90") for t in row)
    fee = next(r for r in grid.rows if r[0].text == "行政事业性收费")
    assert [c.text for c in fee][1:] == ["35", "-15", "-15"] and fee[2].colspan == 2 and fee[3].covered


def test_every_cell_knows_its_page_box_table_row_and_column(docs):
    for doc in docs.values():
        for t, grid in enumerate(doc.grids):
            assert len({len(row) for row in grid.rows}) == 1
            for r, row in enumerate(grid.rows):
                for c, cell in enumerate(row):
                    o = cell.origin
                    assert (o.table, o.row, o.column) == (t, r, c)
                    assert o.page and o.x0 is not None and o.x1 > o.x0 and o.bottom > o.top


def test_a_scanned_pdf_says_it_needs_ocr():
    doc = pdf_to_document((FIXTURES / "scanned.pdf").read_bytes(), "scanned.pdf")
    assert doc.blocks == () and doc.problems == ("no text layer: run OCR first",)


def test_an_encrypted_pdf_is_refused_naming_the_file():
    start = time.monotonic()
    with pytest.raises(ReadError, match=r"^secret\.pdf: an encrypted PDF that needs a password"):
        pdf_to_document((FIXTURES / "encrypted.pdf").read_bytes(), "secret.pdf")
    assert time.monotonic() - start < 5


def test_a_pdf_protected_only_against_copying_is_read():
    doc = pdf_to_document((FIXTURES / "protected.pdf").read_bytes(), "protected.pdf")
    assert [b.text for b in doc.blocks] == ["某县人民政府2023年政府信息公开工作年度报告", "本年度共收到政府信息公开申请5件。"]


@pytest.mark.parametrize("keep", [0.02, 0.5, 0.98])
def test_a_truncated_pdf_is_refused_naming_the_file(keep):
    data = (DOCS / "g006.pdf").read_bytes()
    start = time.monotonic()
    with pytest.raises(ReadError, match=r"^cut\.pdf: a damaged or truncated PDF"):
        pdf_to_document(data[: int(len(data) * keep)], "cut.pdf")
    assert time.monotonic() - start < 5


def test_bytes_that_are_no_pdf_are_refused():
    with pytest.raises(ReadError, match=r"^x\.pdf: not a PDF file"):
        pdf_to_document(b"<html><body>report</body></html>", "x.pdf")


@given(cut=st.integers(min_value=0, max_value=23_000), junk=st.binary(max_size=64))
def test_a_damaged_pdf_gives_a_document_or_a_read_error_never_a_crash(cut, junk):
    data = (FIXTURES / "protected.pdf").read_bytes()
    try:
        doc = pdf_to_document(data[:cut] + junk + data[cut + len(junk):], "d.pdf")
    except ReadError as exc:
        assert str(exc).startswith("d.pdf: ")
    else:
        assert doc.kind == "pdf" and all(isinstance(b, Paragraph | Grid) for b in doc.blocks)


def test_a_table_printed_without_lines_is_read_from_the_columns_of_its_words():
    doc = pdf_to_document((FIXTURES / "borderless.pdf").read_bytes(), "borderless.pdf")
    proactive = _grid_with(doc, "行政规范性文件")
    texts = [[c.text for c in row] for row in proactive.rows]
    assert texts[:4] == [["第二十条第（一）项", "", "", ""], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                         ["规章", "", "", ""], ["行政规范性文件", "6", "1", "32"]]
    # a value printed under its header's middle stands in that header's column
    assert [t.index("本年处理决定数量") for t in texts if "本年处理决定数量" in t] == [t.index("517645") for t in texts if "517645" in t]
    # a numbered label alone on its line, its values level with its second line: one row
    assert ["1.本机关不掌握相关政府信息", "10", "0", "0", "0", "0", "0", "10"] in [[c.text for c in row] for g in doc.grids for row in g.rows]
    assert not [b for b in doc.blocks if isinstance(b, Paragraph) and "页" in b.text]
