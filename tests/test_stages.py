"""Each stage alone, on a few lines: what locate, tokenize, align, solve and check make of them.

The golden tests see a stage only through the report at the end of the pipeline; these pin each
stage's own output, so that a stage that breaks says so by name.
"""
from __future__ import annotations

import pytest

from gxtables.align import Cell, TableReading, tokens_to_reading
from gxtables.check import cells_to_checks
from gxtables.locate import normalized_to_layout
from gxtables.normalize import raw_to_normalized
from gxtables.rates import Priors
from gxtables.solve import solve_runs
from gxtables.template import edition_named, editions
from gxtables.tokenize import BLANK, EMPTY, ROWEND, TEXT, VALUE, Token, region_to_tokens

ED = edition_named("2021")
PROACTIVE, APPEALS = ED.table("proactive"), ED.table("appeals")

# The header of table 四 as web pages flatten it: two caption lines, then every column of the three rows.
APPEALS_HEADER = ("行政复议 | 行政诉讼 |\n结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 |\n"
                  "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n")
PROACTIVE_HEADER = "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"

REPORT = ("某县司法局2022年政府信息公开工作年度报告\n一、总体情况\n2022年,本局主动公开政府信息12条。\n"
          "二、主动公开政府信息情况\n第二十条第（一）项 |\n" + PROACTIVE_HEADER +
          "规章 | 0 | 1 | 3 |\n行政规范性文件 | 2 | / | 5 |\n"
          "四、政府信息公开行政复议、行政诉讼情况\n" + APPEALS_HEADER +
          "11 | 0 | 0 | 1 | 12 | 0 | 0 | 8 | 5 | 13 | 0 | 0 | 4 | 0 | 4 |\n"
          "五、存在的主要问题及改进情况\n无。\n")


def _tokens(text: str) -> list[Token]:
    """The tokens of ``text`` read as one table region."""
    nt = raw_to_normalized(text)
    return region_to_tokens(nt, (0, len(nt.text)))


def _reading(text: str, table=PROACTIVE) -> TableReading:
    return tokens_to_reading(_tokens(text), table, cut_short=False)


def _grid(reading: TableReading) -> dict[str, tuple[float | None, str]]:
    return {f"{c.row}.{c.column}": (c.value, c.status) for c in reading.cells}


# ---------------------------------------------------------------------------- locate
def test_locate_finds_the_title_year_body_edition_and_regions():
    nt = raw_to_normalized(REPORT)
    layout = normalized_to_layout(nt, editions())
    assert (layout.is_report, layout.year, layout.body, layout.edition) == (True, 2022, "某县司法局", "2021")
    assert layout.edition_source == "table labels"  # 本年制发件数 is a label of the 2021 edition only
    assert [s.key for s in layout.sections] == ["overview", "proactive", "appeals", "problems"]
    assert set(layout.regions) == {"proactive", "appeals"}  # table 三 is not printed
    proactive = nt.text[slice(*layout.regions["proactive"])]
    assert proactive.startswith("第二十条第(一)项") and proactive.endswith("行政规范性文件 | 2 | / | 5 |\n")
    appeals = nt.text[slice(*layout.regions["appeals"])]
    assert "11 | 0 | 0 | 1 | 12" in appeals and "五、" not in appeals and "主动公开" not in appeals


def test_locate_tells_a_notice_about_reports_from_a_report():
    nt = raw_to_normalized("关于做好2025年政府信息公开工作年度报告编制发布工作的通知\n各单位:请按时报送。")
    layout = normalized_to_layout(nt, editions())
    assert not layout.is_report and layout.regions == {}
    assert "notice" in layout.reason


# ---------------------------------------------------------------------------- tokenize
@pytest.mark.parametrize("line, want", [
    ("规章 | 0 | 1 | 3 |", [(TEXT, "规章", None), (VALUE, "0", 0), (VALUE, "1", 1), (VALUE, "3", 3), (ROWEND, "", None)]),
    # signed changes, as 本年增/减 prints them
    ("行政许可 | 增3 | 减2 | +1 |", [(TEXT, "行政许可", None), (VALUE, "增3", 3), (VALUE, "减2", -2), (VALUE, "+1", 1),
                                 (ROWEND, "", None)]),
    # an empty cell, blank markers, a number with its unit
    ("规章 |  | 5 | — | 无 |", [(TEXT, "规章", None), (EMPTY, "", None), (VALUE, "5", 5), (BLANK, "—", None), (BLANK, "无", None),
                             (ROWEND, "", None)]),
    ("行政事业性收费 | 12.5万元 |", [(TEXT, "行政事业性收费", None), (VALUE, "12.5万元", 12.5), (ROWEND, "", None)]),
    # digits in notes, numbering and telephone numbers are label text; 0/0 is one zero
    ("行政许可(指2019年事项数) | 7 |", [(TEXT, "行政许可(指2019年事项数)", None), (VALUE, "7", 7), (ROWEND, "", None)]),
    ("1.属于国家秘密 | 0 | 0/0 |", [(TEXT, "1.属于国家秘密", None), (VALUE, "0", 0), (VALUE, "0/0", 0), (ROWEND, "", None)]),
    ("联系电话:0571-87826580 | 3 |", [(TEXT, "联系电话:0571-87826580", None), (VALUE, "3", 3), (ROWEND, "", None)]),
    # a phrase saying there is none stands where a number would
    ("本单位未制作规章 | 2 |", [(BLANK, "本单位未制作规章", None), (VALUE, "2", 2), (ROWEND, "", None)]),
])
def test_tokenize_reads_each_piece_of_a_row(line, want):
    assert [(t.kind, t.text, t.value) for t in _tokens(line + "\n")] == want


def test_tokens_point_at_the_normalized_text():
    nt = raw_to_normalized("规章 ０ １２ |\n")  # full-width digits, a row laid out by spaces
    tokens = region_to_tokens(nt, (0, len(nt.text)))
    assert [(t.kind, t.value) for t in tokens] == [(TEXT, None), (VALUE, 0), (VALUE, 12), (ROWEND, None)]
    assert [nt.text[t.start:t.end] for t in tokens[:3]] == ["规章", "0", "12"]
    assert nt.raw_span(tokens[2].start, tokens[2].end) is not None


# ---------------------------------------------------------------------------- align
def test_align_reads_rows_whose_cells_match_their_template():
    reading = _reading(PROACTIVE_HEADER + "规章 | 0 | 1 | 3 |\n行政规范性文件 | 2 | / | 5 |\n")
    assert _grid(reading) == {
        "regulations.issued": (0, "read"), "regulations.repealed": (1, "read"), "regulations.in_force": (3, "read"),
        "normative_documents.issued": (2, "read"), "normative_documents.repealed": (None, "blank"),
        "normative_documents.in_force": (5, "read")}
    assert reading.runs == [] and reading.leftovers == [] and reading.rows_labelled == 2
    blank = next(c for c in reading.cells if c.status == "blank")
    assert blank.marker == "/"


def test_align_keeps_a_number_with_no_cell_as_a_leftover():
    reading = _reading(PROACTIVE_HEADER + "规章 | 0 | 1 | 3 |\n行政规范性文件 | 2 | 0 | 5 | 7 |\n")
    assert _grid(reading)["normative_documents.in_force"] == (5, "read")
    assert [(lo.text, lo.value) for lo in reading.leftovers] == [("7", 7)]
    assert "no row left" in reading.leftovers[0].reason


def test_align_leaves_a_row_with_fewer_numbers_than_cells_to_the_solver():
    reading = _reading(PROACTIVE_HEADER + "规章 | 1 | 3 |\n行政规范性文件 | 2 | 0 | 5 |\n")
    assert set(_grid(reading)) == {"normative_documents.issued", "normative_documents.repealed", "normative_documents.in_force"}
    (run,) = reading.runs
    assert run.cells == ("regulations.issued", "regulations.repealed", "regulations.in_force")
    assert [t.text for t in run.tokens] == ["1", "3"] and run.why == "dropped"


def test_align_places_a_row_printed_without_its_labels_by_the_table_order():
    reading = _reading(APPEALS_HEADER + "11 | 0 | 0 | 1 | 12 | 0 | 0 | 8 | 5 | 13 | 0 | 0 | 4 | 0 | 4 |\n", APPEALS)
    grid = _grid(reading)
    assert len(grid) == 15 and {status for _, status in grid.values()} == {"inferred"}
    assert [grid[f"review.{c}"][0] for c in ("upheld", "corrected", "other", "pending", "total")] == [11, 0, 0, 1, 12]
    assert grid["litigation_after_review.total"] == (4, "inferred")


# ---------------------------------------------------------------------------- solve
def test_solve_settles_what_the_rules_force_and_leaves_the_rest_uncertain():
    """Table 四 with its blank cells dropped: each row's largest number can only be its total (T4.SUM);
    where the others go is not told by the text, so they stay uncertain with their candidates."""
    reading = _reading(APPEALS_HEADER + "11 | 1 | 12 | 8 | 5 | 13 | 4 | 4 |\n", APPEALS)
    assert reading.cells == [] and len(reading.runs) == 1
    solve_runs(reading, APPEALS, ED, Priors.default())
    grid = {f"{c.row}.{c.column}": c for c in reading.cells}
    assert len(grid) == 15
    assert {row: (grid[f"{row}.total"].value, grid[f"{row}.total"].status)
            for row in ("review", "litigation_direct", "litigation_after_review")} == {
        "review": (12, "inferred"), "litigation_direct": (13, "inferred"), "litigation_after_review": (4, "inferred")}
    others = [c for c in grid.values() if c.column != "total"]
    assert {c.status for c in others} == {"uncertain"}
    assert grid["review.upheld"].candidates == (11,) and set(grid["review.corrected"].candidates) == {1, 11}
    printed = {11, 1, 12, 8, 5, 13, 4}
    assert all(v in printed for c in grid.values() for v in (c.value, *c.candidates) if v is not None)  # nothing invented
    assert reading.leftovers == []


def test_solve_keeps_what_align_read():
    reading = _reading(PROACTIVE_HEADER + "规章 | 1 | 3 |\n行政规范性文件 | 2 | 0 | 5 |\n")
    read = _grid(reading)
    solve_runs(reading, PROACTIVE, ED, Priors.default())
    grid = _grid(reading)
    assert {k: grid[k] for k in read} == read
    assert grid["regulations.issued"][1] == "uncertain" and grid["regulations.in_force"] == (3, "uncertain")


# ---------------------------------------------------------------------------- check
def _appeals(review: tuple, statuses: dict[str, str] | None = None) -> list[Cell]:
    """Table 四 with the review row given and the two lawsuit rows all 0."""
    cells = []
    for row in ("review", "litigation_direct", "litigation_after_review"):
        values = review if row == "review" else (0, 0, 0, 0, 0)
        for column, value in zip(("upheld", "corrected", "other", "pending", "total"), values):
            status = (statuses or {}).get(f"{row}.{column}", "blank" if value is None else "read")
            cells.append(Cell("appeals", row, column, value, status))
    return cells


def _check(cells: list[Cell], rule: str, instance: str | None = None):
    (found,) = [c for c in cells_to_checks(cells, ED, 2022, {"appeals"})
                if c.rule == rule and c.table == "appeals" and (instance is None or c.instance == instance)]
    return found


def test_check_passes_a_sum_that_holds_counting_blank_cells_as_zero():
    cells = _appeals((3, 1, None, 0, 4))
    check = _check(cells, "T4.SUM", "review")
    assert (check.status, check.expected, check.found, check.severity) == ("pass", 4, 4, "error")
    assert "blank cells counted as 0" in check.message and "行政复议" in check.message
    blank = _check(cells, "BLANK")
    assert (blank.status, blank.cells) == ("fail", ("appeals.review.other",))


def test_check_fails_a_sum_that_breaks_and_says_so_with_the_labels():
    check = _check(_appeals((3, 1, 0, 0, 5)), "T4.SUM", "review")
    assert (check.status, check.expected, check.found) == ("fail", 4, 5)
    assert check.message.startswith("T4.SUM 行政复议: 总计 = 5 ≠ 结果维持+结果纠正+其他结果+尚未审结 = 4")
    assert check.cells[0] == "appeals.review.total"


def test_check_never_fails_a_rule_with_an_uncertain_cell():
    check = _check(_appeals((3, 1, 0, 0, 5), {"review.corrected": "uncertain"}), "T4.SUM", "review")
    assert (check.status, check.expected, check.found) == ("not_assessable", None, None)
    assert "appeals.review.corrected" in check.message
    assert _check(_appeals((3, 1, 0, 0, 5)), "T4.SUM", "litigation_direct").status == "pass"
