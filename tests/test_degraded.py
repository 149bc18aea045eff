"""The hard cases: blank cells dropped, cells run together, labels lost — placed by the rules, honestly."""
from __future__ import annotations

import random
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import DEGRADED, assert_read
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from render import edition, random_values, render_report

import gxtables
from gxtables.tokenize import VALUE


def _cells(report) -> dict[str, object]:
    assert_read(report)
    return {f"{pc.cell.table}.{pc.cell.row}.{pc.cell.column}": pc.cell for pc in report.placed_cells}


def _conserved(text: str) -> None:
    """Every number of every table region is covered exactly once by cells and leftovers."""
    stages = gxtables.debug(text)
    readings = stages.readings
    for table, tokens in stages.tokens.items():
        spans = [(c.start, c.end) for c in readings[table].cells if c.start is not None and c.end > c.start]
        spans += [(lo.start, lo.end) for lo in readings[table].leftovers]
        for tok in tokens:
            if tok.kind != VALUE:
                continue
            inside = sorted((s, e) for s, e in spans if tok.start <= s and e <= tok.end)
            covered = sum(e - s for s, e in inside)
            digits = tok.end - tok.start
            assert covered == digits or covered == len(tok.text.rstrip("万元件条个项家次人")), (table, tok, inside)
            assert all(a[1] <= b[0] for a, b in pairwise(inside)), (table, tok, inside)  # no number used twice


def test_cells_run_together_are_cut_by_the_rules():
    """g006: the extractor dropped every separator ("（一）予以公开6000017", 15 zeros as one string)."""
    text = (DEGRADED / "g006.txt").read_text(encoding="utf-8")
    cells = _cells(gxtables.parse(text))
    granted = [cells[f"applications.granted.{c}"] for c in ("natural_person", "commercial", "research",
                                                           "social_welfare", "legal_service", "other_org", "total")]
    assert [c.value for c in granted] == [6, 0, 0, 0, 0, 1, 7]
    assert {c.status for c in granted} == {"inferred"}
    appeals = [c for cid, c in cells.items() if cid.startswith("appeals.")]
    assert len(appeals) == 15 and all(c.value == 0 and c.status == "inferred" for c in appeals)
    _conserved(text)


def test_dropped_blanks_are_placed_by_the_arithmetic():
    """g002-dropped: "705 | 3 | 5 | 713" — natural persons and the total are settled; the small
    organisation figures are honest about which columns they could sit in."""
    text = (DEGRADED / "g002-dropped.txt").read_text(encoding="utf-8")
    report = gxtables.parse(text)
    cells = _cells(report)
    assert cells["applications.new.natural_person"].value == 705
    assert cells["applications.new.total"].value == 713
    assert cells["applications.new.total"].status == "inferred"
    assert cells["applications.total.natural_person"].value == 710
    for c in report.placed_cells:
        if c.cell.status == "uncertain":
            assert c.cell.candidates or c.cell.value is None
            assert "several placements fit" in c.cell.reason
    assert not report.ok and len(report.uncertain) > 0
    _conserved(text)


def test_labels_broken_at_inline_tags():
    """g020-bs4lines: one text node per line, labels cut at inline tags ("（\\n一\\n）\\n予以公开")."""
    text = (DEGRADED / "g020-bs4lines.txt").read_text(encoding="utf-8")
    cells = _cells(gxtables.parse(text))
    assert cells["applications.granted.natural_person"].value == 26
    assert cells["applications.granted.total"].value == 26
    assert cells["applications.new.natural_person"].value == 26


@pytest.mark.parametrize("name", ["g002-dropped", "g006-dropped", "g013-dropped", "g020-dropped"])
def test_nothing_lost_nothing_used_twice(name):
    _conserved((DEGRADED / f"{name}.txt").read_text(encoding="utf-8"))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**9), ed=st.sampled_from(["2019", "2021"]), style=st.sampled_from(["row", "markdown"]))
def test_dropped_blanks_round_trip(seed, ed, style):
    """Random valid tables with their zeros printed blank and dropped: where a single placement fits
    the rules the cells come back right, and every printed number is conserved."""
    e = edition(ed)
    values = random_values(e, random.Random(seed), zeros_blank=1.0, tables=("applications",))
    text = render_report(e, values, style, seed=seed, drop_blanks=True)
    _conserved(text)
    cells = _cells(gxtables.parse(text))
    for cid, want in values.items():
        c = cells.get(cid)
        if c is None or c.status == "uncertain":
            continue
        if c.status == "read" or (c.reason and "(1 placement(s) fit the rules" in c.reason):
            assert c.value == want, (cid, want, c.value, c.reason)


def test_columns_reordered_follow_the_header():
    """A table printed with its columns in another order is read by its header, not by the template."""
    text = "\n".join([
        "某某县某某局2023年政府信息公开工作年度报告",
        "二、主动公开政府信息情况",
        "第二十条第（一）项 |",
        "信息内容 | 现行有效件数 | 本年制发件数 | 本年废止件数 |",
        "规章 | 30 | 5 | 1 |",
        "行政规范性文件 | 12 | 3 | 0 |",
        "三、收到和处理政府信息公开申请情况",
        "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |",
        "总计 | 自然人 | 法人或其他组织 |",
        "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |",
        "一、本年新收政府信息公开申请数量 | 10 | 8 | 2 | 0 | 0 | 0 | 0 |",
        "二、上年结转政府信息公开申请数量 | 1 | 1 | 0 | 0 | 0 | 0 | 0 |",
    ])
    cells = _cells(gxtables.parse(text))
    assert cells["proactive.regulations.in_force"].value == 30
    assert cells["proactive.regulations.issued"].value == 5
    assert cells["proactive.regulations.repealed"].value == 1
    assert cells["applications.new.total"].value == 10
    assert cells["applications.new.natural_person"].value == 8
    assert cells["applications.new.commercial"].value == 2
    assert cells["applications.carried_over.total"].value == 1


def test_natural_persons_lead_a_row_that_lost_its_blanks():
    """`| 3 | 3 |`: the learned lead column puts the 3 under 自然人 far ahead of any organisation, and the
    total is settled by the arithmetic."""
    from gxtables.rates import Priors

    assert Priors.bundled().lead_column("applications")[0] == "natural_person"
    text = (DEGRADED / "g020-dropped.txt").read_text(encoding="utf-8")
    cells = _cells(gxtables.parse(text))
    person = cells["applications.new.natural_person"]
    assert person.value == 26 and cells["applications.new.total"].status == "inferred"
    share = float(person.reason.rsplit("share ", 1)[1].rstrip(")"))
    assert share > 0.95  # about 70 to 1 over a company; still short of the share that settles a cell
    assert cells["applications.new.commercial"].value is None


def test_a_table_printed_to_its_last_row_ends_in_blank_rows():
    """g020-dropped: "四、结转下年度继续办理 |" is the table's last row, printed with no numbers: blank,
    so that 新收 + 上年结转 = 总计 + 结转 ties the rows together."""
    cells = _cells(gxtables.parse((DEGRADED / "g020-dropped.txt").read_text(encoding="utf-8")))
    assert cells["applications.carried_forward.natural_person"].status == "blank"
    assert cells["applications.total.natural_person"].value == 26


def test_run_together_money_keeps_its_decimal_in_the_amount():
    """"政府集中采购39573802895.90元": the count of projects holds no decimal point and the unit is not a
    digit; where the cut falls stays open."""
    text = (DEGRADED / "g006.txt").read_text(encoding="utf-8")
    cells = _cells(gxtables.parse(text))
    projects, amount = cells["proactive.procurement.projects"], cells["proactive.procurement.amount"]
    assert projects.status == amount.status == "uncertain"
    assert all(v == int(v) for v in projects.candidates)
    assert 395 in projects.candidates and 73802895.9 in amount.candidates
    assert all(str(v).endswith(".9") for v in amount.candidates)


def test_zero_rows_follow_the_columns_the_report_prints():
    """g020-bs4lines prints "0 | 0" on every empty row and "26 | 26" where there were applications: the
    zeros take the columns of the rows the rules settle, or stay uncertain with them."""
    cells = _cells(gxtables.parse((DEGRADED / "g020-bs4lines.txt").read_text(encoding="utf-8")))
    rows = ("carried_over", "partly_granted", "denied_state_secret", "other_misc")
    for row in rows:
        person, total = cells[f"applications.{row}.natural_person"], cells[f"applications.{row}.total"]
        assert person.value == 0 and total.value == 0  # the best guess, whatever the status
        assert person.status == cells["applications.new.natural_person"].status or person.status == "uncertain"


def test_space_layout_places_numbers_under_their_headers():
    """`w3m -dump` of a real table whose blank cells print nothing (g020: zeros only under 自然人 and
    总计): where each number stands under the header tells its column, so the rows come back whole."""
    import json

    from conftest import DEV

    text = (Path(__file__).parent / "fixtures" / "g020-w3m.txt").read_text(encoding="utf-8")
    expected = json.loads((DEV / "expected" / "g020-row.json").read_text(encoding="utf-8"))
    cells = _cells(gxtables.parse(text))
    for cid, value in expected["cells"].items():
        assert cells[cid].status != "uncertain" and cells[cid].value == value, cid
    assert cells["applications.new.commercial"].value is None
    _conserved(text)


def test_a_header_out_of_line_says_nothing_about_position():
    """The same table with its header labels shifted out of their columns: no position is claimed."""
    text = (Path(__file__).parent / "fixtures" / "g020-w3m.txt").read_text(encoding="utf-8")
    shifted = "\n".join(line.strip() if "自然人" in line or "商业企业" in line else line for line in text.split("\n"))
    cells = _cells(gxtables.parse(shifted))
    assert cells["applications.new.natural_person"].status == "uncertain"


APPEALS_EXPLODED = """某县审计局2020年政府信息公开工作年度报告
四、政府信息公开行政复议、行政诉讼情况
2020 年,我单位未出现申请行政复议、提起行政诉讼的情况。
行政复议 行政诉讼
未经复议直接起诉 复议后起诉
结 结 其 尚
结 结 其 尚 结 结 其 尚
果 果 他 未
总计 果 果 他 未 总 果 果 他 未 总
维 纠 结 审
维 纠 结 审 计 维 纠 结 审 计
持 正 果 结
持 正 果 结 持 正 果 结
0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
五、存在的主要问题及改进情况
"""


def test_a_year_in_a_sentence_inside_a_table_is_not_a_value():
    """ "2020 年," printed with a space in a sentence above table 四 is a date, not its sixteenth number."""
    r = gxtables.parse(APPEALS_EXPLODED)
    cells = _cells(r)
    assert len([c for c in cells if c.startswith("appeals.")]) == 15
    assert all(cells[c].value == 0 for c in cells if c.startswith("appeals."))
    assert not any(lo.leftover.value == 2020 for lo in r.placed_leftovers)


PROACTIVE_ODD_CELLS = """某区政府办公室2020年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第（五）项 |
信息内容 |
上一年项目数量 |
本年增/减 |
处理决定数量 |
行政许可 |
0 |
0/0 |
0 |
其他对外管理服务事项 |
? 0 |
0 |
0 |
三、收到和处理政府信息公开申请情况
"""


def test_zero_on_both_sides_of_a_slash_and_lost_characters():
    """ "0/0" under 本年增/减 is one cell, zero either way; a lone "?" left by a lost character is not a
    label that cuts its row."""
    cells = _cells(gxtables.parse(PROACTIVE_ODD_CELLS))
    for row in ("licensing", "other_services"):
        for column in ("prior_items", "change", "decisions"):
            cell = cells[f"proactive.{row}.{column}"]
            assert (cell.value, cell.status) == (0, "read"), (row, column)


def test_the_appeals_section_named_in_a_sentence_is_no_table():
    """An opening that lists the sections ("…政府信息公开行政复议行政诉讼情况、…") with section 四 cut off:
    the phrase starts no table, and a telephone number is never a value."""
    text = ("某省水利厅2022年政府信息公开工作年度报告\n"
            "本年度报告由某省水利厅编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
            "政府信息公开行政复议行政诉讼情况、存在的主要问题及改进情况等六部分内容。如有疑问请联系,电话:0571-87826580。\n"
            "一、总体情况\n2022年,我厅主动公开政府信息8731条。\n")
    r = gxtables.parse(text)
    assert r.tables_found == () and not r.placed_cells
    assert (r.is_report, r.year, r.body) == (True, 2022, "某省水利厅") and r.stated("proactive_items") == 8731


def test_a_first_block_printed_without_its_caption_is_read():
    """Table 二 whose first block has no "第二十条第（一）项" caption still starts at its header."""
    text = ("某县民政局2022年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
            "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 0 | 0 | 0 |\n行政规范性文件 | 1 | 0 | 5 |\n"
            "第二十条第（五）项 |\n信息内容 | 本年处理决定数量 |\n行政许可 | 7 |\n三、收到和处理政府信息公开申请情况\n")
    cells = _cells(gxtables.parse(text))
    assert {k: cells[k].value for k in ("proactive.regulations.issued", "proactive.normative_documents.issued",
                                        "proactive.normative_documents.in_force", "proactive.licensing.decisions")} \
        == {"proactive.regulations.issued": 0, "proactive.normative_documents.issued": 1,
            "proactive.normative_documents.in_force": 5, "proactive.licensing.decisions": 7}


def test_a_summary_sentence_above_a_cut_table_stays_prose():
    """Section 三 opens with a sentence of figures, then the table, cut after its second row: the figures
    are the prose's (narrative), the printed rows are read, nothing is taken from the sentence."""
    text = ("某区政府办公室2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            "2022年,区政府办公室共收到8份政府信息公开申请,均为自然人申请。其中,予以公开2件,部分公开2件,"
            "属于四类过程性信息1件,本办不掌握相关政府信息2件,其他1件(申请人自主撤销)。无下年度结转。\n"
            "|\n(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) |\n申请人情况 | ||||||\n|\n"
            "自然人 |\n法人或其他组织 |\n总计 | |||||\n|\n商业企业 |\n科研机构 |\n社会公益组织 |\n法律服务机构 |\n其他 | |||\n"
            "|\n一、本年新收政府信息公开申请数量 |\n8 |\n0 |\n0 |\n0 |\n0 |\n0 |\n8 | |||\n"
            "|\n二、上年结转政府信息公开申请数量 |\n0 |\n0 |\n0 |\n0 |\n0 |\n0 |\n0 | |||\n|\n三、本年度办")
    r = gxtables.parse(text)
    cells = _cells(r)
    assert cells["applications.new.natural_person"].value == 8 and cells["applications.new.total"].status == "read"
    assert not any(c.startswith("applications.granted") for c in cells) and not r.placed_leftovers
    assert ("applications_new", 8) in [(pf.figure.quantity, pf.figure.value) for pf in r.placed_figures]


# Table 三's header as a pipe table prints it, for the tests that need its columns.
T3_PIPE_HEADER = ("(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |\n"
                  "自然人 | 法人或其他组织 | 总计 |\n商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |\n")


@pytest.mark.parametrize("tail", ["| 0 | 0 | 0 | 0 ", "| 0 | 0 | 0 | 0 |"])
def test_a_row_the_text_is_cut_inside_keeps_its_cells_in_order(tail):
    """A page excerpt that stops inside a row of a table printing every cell: its cells stand in printed
    order (inferred), and the cells after the cut are absent, not guessed."""
    text = ("某镇2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            + T3_PIPE_HEADER +
            "一、本年新收政府信息公开申请数量 | 5 | 1 | 0 | 0 | 0 | 0 | 6 |\n二、上年结转政府信息公开申请数量 " + tail)
    cells = {k: v for k, v in _cells(gxtables.parse(text)).items() if ".carried_over." in k}
    assert [(k.split(".")[2], c.value, c.status) for k, c in cells.items()] == [
        (col, 0, "inferred") for col in ("natural_person", "commercial", "research", "social_welfare")]


def test_a_cut_row_of_a_table_that_drops_blanks_stays_uncertain():
    """Where the rows before it lost their blank cells, a short last row may have lost some too."""
    text = ("某镇2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            + T3_PIPE_HEADER +
            "一、本年新收政府信息公开申请数量 | 5 | 5 |\n二、上年结转政府信息公开申请数量 | 1 | 1 ")
    cells = {k: c for k, c in _cells(gxtables.parse(text)).items() if ".carried_over." in k}
    assert not any("cut inside" in (c.reason or "") for c in cells.values())
    assert cells["applications.carried_over.natural_person"].status == "uncertain"  # left to the solver


def test_a_lone_number_where_the_text_is_cut_is_not_placed_by_order():
    """ "…1.属于国家秘密 0 0 0 0 0 0 0\\n2" — the 2 may be the start of the next label ("2.其他法律…"): it is
    not claimed for any cell."""
    rows = "".join(f"{label}\n\n" + "0\n\n" * 7 for label in
                   ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "(一)予以公开", "1.属于国家秘密"))
    text = ("某镇2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)\n\n申请人情况\n\n自然人\n\n法人或其他组织\n\n总计\n\n"
            "商业企业\n\n科研机构\n\n社会公益组织\n\n法律服务机构\n\n其他\n\n" + rows + "2")
    cells = _cells(gxtables.parse(text))
    assert not any(c.value == 2 and c.status in ("read", "inferred") for c in cells.values())
    assert [c.value for c in cells.values() if c.status == "read"] == [0] * 28  # the four rows printed


def test_a_label_merged_over_columns_prints_padding_not_blank_cells():
    """markdownify and trafilatura print a label cell spanning three columns as "| label | | |": the
    empty cells before the numbers are the label's, and every number keeps its column."""
    text = ("某市2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            "| (本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | | | 申请人情况 | | | | | | |\n"
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
            "| 自然人 | 法人或其他组织 | | | | | 总计 |\n| 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |\n"
            "| 一、本年新收政府信息公开申请数量 | | | 705 | 3 | 0 | 0 | 5 | 0 | 713 |\n"
            "| 三、本年度办理结果 | (一)予以公开 | | 290 | 1 | 0 | 0 | 3 | 0 | 294 |\n"
            "| (七)总计 | | 710 | 3 | 0 | 0 | 5 | 0 | 718 |\n")
    cells = _cells(gxtables.parse(text))
    for row, want in (("new", [705, 3, 0, 0, 5, 0, 713]), ("granted", [290, 1, 0, 0, 3, 0, 294]),
                      ("total", [710, 3, 0, 0, 5, 0, 718])):
        got = [cells[f"applications.{row}.{c}"] for c in ("natural_person", "commercial", "research", "social_welfare",
                                                          "legal_service", "other_org", "total")]
        assert [c.value for c in got] == want and {c.status for c in got} == {"read"}, row


def test_a_label_broken_after_its_numbering_joins_the_numbers_above():
    """ "一、<br>本年新收…" laid out by spaces (inscriptis, w3m, pandoc): the numbering stands on the line of
    the numbers, the words on the line below; each row keeps its own numbers, not the next row's."""
    pad = " " * 30
    text = ("某市2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            f"    (本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和){pad}申请人情况\n"
            f"    自然人{pad}法人或其他组织{pad}总计\n    商业企业{pad}科研机构{pad}社会公益组织  法律服务机构  其他\n"
            f"    一、{pad}705{pad}3    0    0   5  0  713\n    本年新收政府信息公开申请数量\n"
            f"    二、{pad}36{pad}0    0    0   0  0  36\n    上年结转政府信息公开申请数量\n"
            f"    三、{pad}(一){pad}290  1    0   0  3  0    294\n    本年度办理结果{pad}予以公开\n"
            "四、政府信息公开行政复议、行政诉讼情况\n")
    cells = _cells(gxtables.parse(text))
    assert [cells[f"applications.{r}.natural_person"].value for r in ("new", "carried_over", "granted")] == [705, 36, 290]
    assert cells["applications.new.total"].value == 713 and cells["applications.carried_over.total"].value == 36


def test_digits_cut_one_per_cell_that_break_their_row_are_not_inferred():
    """ "3.其他1421143" where blank cells were dropped too: cutting seven digits one per cell is the only cut,
    yet 总计 is then not the sum of its row; such a placement is shown as a guess, never inferred."""
    text = ("某市2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)申请人情况自然人法人或其他组织总计"
            "商业企业科研机构社会公益组织法律服务机构其他\n一、本年新收政府信息公开申请数量1421143\n"
            "四、政府信息公开行政复议、行政诉讼情况\n")
    cells = {k: c for k, c in _cells(gxtables.parse(text)).items() if ".new." in k}
    assert cells and all(c.status == "uncertain" for c in cells.values())


def test_a_caption_broken_over_two_lines_still_starts_table_two():
    """html2text prints "第二十条<br>第(一)项" as two lines: table 二 is still found."""
    text = ("某县2022年政府信息公开工作年度报告\n**二、主动公开政府信息情况**\n\n第二十条  \n第（一）项  \n---  \n"
            "信息内容| 本年制  \n发件数| 本年废  \n止件数| 现行有  \n效件数  \n规章| 0| 0| 0  \n行政规  \n范性文件| 6| 1| 32  \n"
            "**三、收到和处理政府信息公开申请情况**\n")
    cells = _cells(gxtables.parse(text))
    assert [cells[f"proactive.normative_documents.{c}"].value for c in ("issued", "repealed", "in_force")] == [6, 1, 32]


def test_blanks_of_a_space_layout_do_not_count_against_a_region_cap():
    """w3m and pandoc pad a table with blanks: a table 三 of 14,000 characters, most of them blanks, is
    read to its last row (the cap counts printed characters)."""
    pad = " " * 500
    rows = "".join(f"    {label}{pad}0  0  0  0  0  0  0\n" for label in (
        "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "(一)予以公开", "(二)部分公开", "1.属于国家秘密",
        "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益", "5.属于三类内部事务信息",
        "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项", "1.本机关不掌握相关政府信息",
        "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确", "1.信访举报投诉类申请", "2.重复申请",
        "3.要求提供公开出版物", "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他", "(七)总计"))
    text = ("某市2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            f"    自然人{pad}商业企业  科研机构  社会公益组织  法律服务机构  其他  总计\n{rows}"
            f"    四、结转下年度继续办理{pad}0  0  0  0  0  0  5\n四、政府信息公开行政复议、行政诉讼情况\n")
    assert len(text) > 12_000
    cells = _cells(gxtables.parse(text))
    assert cells["applications.carried_forward.total"].value == 5


# Table 四's column headers as markdownify prints them on one line (a nested table flattened).
T4_MD_COLUMNS = (" 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | | | | | 复议后起诉 | | | | | |"
                 " 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |")


def test_a_nested_markdown_table_on_one_line_keeps_its_numbers():
    """markdownify flattens a table nested in a layout table onto one line, its rule cells ("| --- |")
    inline: they are the rule, not fifteen blank cells, and table 四's numbers are read."""
    rule = " --- |" * 15
    text = ("某县2022年政府信息公开工作年度报告\n四、政府信息公开行政复议、行政诉讼情况\n\n"
            f"| | 行政复议 | | | | | 行政诉讼 | | | | | | | | | | |{rule}{T4_MD_COLUMNS}"
            " | 27 | 10 | 9 | 15 | 61 | 3 | 0 | 0 | 0 | 3 | 8 | 0 | 1 | 1 | 10 | |\n\n"
            "五、存在的主要问题及改进情况\n")
    cells = _cells(gxtables.parse(text))
    assert [cells[f"appeals.review.{c}"].value for c in ("upheld", "corrected", "other", "pending", "total")] == [27, 10, 9, 15, 61]
    assert cells["appeals.litigation_after_review.total"].value == 10


def test_empties_closing_a_row_go_before_leading_blank_cells():
    """ "| 规章 |  |  | 7 | | 规范性文件 | 77 | 77 | 166 |" on one line: the empty cell after 7 closes the
    row; the two before it are the row's blank cells, not a merged label's padding."""
    text = ("某区2020年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
            "| | 第二十条 第（一）项 | | | | | 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 | "
            "| 规章 |  |  | 7 | | 规范性文件 | 77 | 77 | 166 | | 第二十条 第（五）项 | | | |\n三、收到和处理政府信息公开申请情况\n")
    cells = _cells(gxtables.parse(text))
    assert [cells[f"proactive.regulations.{c}"].value for c in ("new_made", "new_published", "total_published")] == [None, None, 7]
    assert cells["proactive.normative_documents.total_published"].value == 166


W3M_BOXES = """某县2022年政府信息公开工作年度报告
三、收到和处理政府信息公开申请情况

┌──────────────┬──┬──┬──┬──┬──┬──┬──┐
│（本列数据的勾│自│商│科│社│法│其│总│
│稽关系为：第一│然│业│研│会│律│他│计│
│项加第二项之和│人│企│机│公│服│  │  │
│）            │  │业│构│益│务│  │  │
├──────────────┼──┼──┼──┼──┼──┼──┼──┤
│一、          │  │  │  │  │  │  │  │
│本年新收政府信│26│  │  │  │  │  │26│
│息公开申请数量│  │  │  │  │  │  │  │
├──────────────┼──┼──┼──┼──┼──┼──┼──┤
│二、          │  │  │  │  │  │  │  │
│上年结转政府信│0 │  │  │  │3 │  │3 │
│息公开申请数量│  │  │  │  │  │  │  │
├────┬─────────┼──┼──┼──┼──┼──┼──┼──┤
│    │（一）予 │20│1 │  │  │  │  │21│
│    │ 以公开  │  │  │  │  │  │  │  │
│三、├─────────┼──┼──┼──┼──┼──┼──┼──┤
│本年│（二）部 │  │  │  │  │  │  │  │
│度办│分公开   │5 │  │  │  │2 │  │7 │
└────┴─────────┴──┴──┴──┴──┴──┴──┴──┘

四、政府信息公开行政复议、行政诉讼情况
"""


def test_a_table_drawn_with_box_characters_is_read_cell_by_cell():
    """w3m -dump draws a bordered table with box characters, each row's cells running over several
    lines (labels broken inside their cell, numbers on one of its lines): every cell keeps its column,
    blank cells are blank, and the labels are read across their lines."""
    cells = _cells(gxtables.parse(W3M_BOXES))
    cols = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")
    want = {"new": [26, None, None, None, None, None, 26], "carried_over": [0, None, None, None, 3, None, 3],
            "granted": [20, 1, None, None, None, None, 21], "partly_granted": [5, None, None, None, 2, None, 7]}
    for row, values in want.items():
        got = [cells[f"applications.{row}.{c}"] for c in cols]
        assert [c.value for c in got] == values, row
        assert {c.status for c in got} <= {"read", "blank"}, row


def test_an_ascii_grid_table_is_read_cell_by_cell():
    """pandoc's plain text prints tables as ASCII grids ("+----+----+"), cells running over lines."""
    text = ("某县2022年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
            "+--------------+--------------+--------------+--------------+\n"
            "| 第二十条     |              |              |              |\n"
            "| 第（一）项   |              |              |              |\n"
            "+==============+==============+==============+==============+\n"
            "| 信息内容     | 本年制       | 本年废       | 现行有       |\n"
            "|              | 发件数       | 止件数       | 效件数       |\n"
            "+--------------+--------------+--------------+--------------+\n"
            "| 规章         | 0            | 0            | 0            |\n"
            "+--------------+--------------+--------------+--------------+\n"
            "| 行政规       | 6            | 1            | 32           |\n"
            "| 范性文件     |              |              |              |\n"
            "+--------------+--------------+--------------+--------------+\n"
            "三、收到和处理政府信息公开申请情况\n")
    cells = _cells(gxtables.parse(text))
    assert [cells[f"proactive.normative_documents.{c}"].value for c in ("issued", "repealed", "in_force")] == [6, 1, 32]
    assert cells["proactive.regulations.in_force"].status == "read"


def test_rows_not_in_the_template_stay_in_their_block():
    """Sub-rows a report adds under 其他对外管理服务事项 ("行政确认 | 3 | 0 | 3") are not placed into the next
    block's 行政处罚 when the page is cut before its caption: they are leftovers of their own block."""
    text = ("某街道2019年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
            "第二十条第（五）项 | 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n"
            "行政许可 | 1 | 0 | 2 |\n其他对外管理服务事项 | 行政检查 | 4 | 0 | 5 |\n行政确认 | 3 | 0 | 3 |\n")
    r = gxtables.parse(text)
    cells = _cells(r)
    assert not any(c.startswith("proactive.punishment") for c in cells)
    assert sorted(lo.leftover.value for lo in r.placed_leftovers) == [0, 3, 3]


def test_an_amount_with_a_bare_wan_and_documents_converted_by_taiwan_phrases():
    """ "2601.953875万" under 采购总金额 is an amount (unit 万); "規範性文件" turned into 规范性文档 by a
    conversion with Taiwan's phrases is still 规范性文件."""
    text = ("某县林业局2019年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（一）项\n"
            "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n规章 | 0 | 0 | 0 |\n规范性文档 | 6 | 6 | 33 |\n"
            "第二十条第（九）项\n信息内容\n采购项目数量\n采购总金额\n政府集中采购\n 13\n2601.953875万\n"
            "三、收到和处理政府信息公开申请情况\n")
    cells = _cells(gxtables.parse(text))
    assert (cells["proactive.procurement.amount"].value, cells["proactive.procurement.amount"].status) == (2601.953875, "read")
    assert cells["proactive.procurement.projects"].value == 13
    assert cells["proactive.normative_documents.total_published"].status == "read"


def test_a_merged_heading_broken_beside_numbered_rows():
    """w3m prints "（三）<br>不予<br>公开" (a heading spanning rows) beside the rows' numbering: its broken
    bracket "(三" is no note swallowing the line's numbers, and each row keeps its own numbers."""
    text = ("某县2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            "    自然人   商业企业   科研机构   社会公益组织   法律服务机构   其他   总计\n"
            "       一、           705  3    0    0   5   0  713\n   本年新收政府信息公开申请数量\n"
            "         （三                  4.                  2   0    0    0   0   0  2\n"
            "          ）           保护第三方合法权益\n"
            "         不予                  5.                  13  0    0    0   0   0  13\n"
            "         公开         属于三类内部事务信息\n"
            "四、政府信息公开行政复议、行政诉讼情况\n")
    cells = _cells(gxtables.parse(text))
    assert cells["applications.denied_third_party.natural_person"].value == 2
    assert cells["applications.denied_internal_affairs.natural_person"].value == 13


@pytest.mark.parametrize("row, want", [
    ("10| 1| | | | | | | | | 5| | | |   ", {"review.upheld": 10, "review.corrected": 1, "litigation_after_review.upheld": 5}),
    ("| | | 1| 1| | | | | | | | | |   ", {"review.pending": 1, "review.total": 1}),
])
def test_html2text_rows_without_outer_pipes_keep_their_blank_first_and_last_cells(row, want):
    """html2text writes a row as "a| b| c", with no outer pipes: nothing before the first pipe is an empty
    first cell, blanks after the last pipe an empty last cell; all 15 cells of table 四 are read."""
    text = ("某县2022年政府信息公开工作年度报告\n**四、政府信息公开行政复议、行政诉讼情况**\n\n"
            "行政复议| 行政诉讼  \n---|---  \n结果维持| 结果纠正| 其他结果| 尚未审结| 总计| 未经复议直接起诉| 复议后起诉  \n"
            "结果维持| 结果纠正| 其他结果| 尚未审结| 总计| 结果维持| 结果纠正| 其他结果| 尚未审结| 总计  \n"
            f"{row}\n\n**五、存在的主要问题及改进情况**\n")
    cells = {k[len("appeals."):]: c for k, c in _cells(gxtables.parse(text)).items() if k.startswith("appeals.")}
    assert len(cells) == 15 and {c.status for c in cells.values()} <= {"read", "inferred", "blank"}
    assert {k: c.value for k, c in cells.items() if c.value is not None} == want


def test_a_flat_row_printed_in_full_keeps_its_cells_when_the_report_breaks_a_rule():
    """Table 四's fifteen numbers printed on one line, all of them: their order places them, even where the
    report's own arithmetic is broken (总计 0 beside 10 and 1); the check says so, the cells stand."""
    text = ("某区2023年政府信息公开工作年度报告\n四、政府信息公开行政复议、行政诉讼情况\n"
            f"| 行政复议 | | | | | 行政诉讼 | | | | | | | | | | |{T4_MD_COLUMNS} | 10 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 5 | 0 | 0 | 0 | 0 | |\n"
            "五、存在的主要问题及改进情况\n")
    r = gxtables.parse(text)
    cells = _cells(r)
    assert [cells[f"appeals.review.{c}"].value for c in ("upheld", "corrected", "total")] == [10, 1, 0]
    assert all(c.status != "uncertain" for k, c in cells.items() if k.startswith("appeals."))
    assert "fail" in set(r.checks[r.checks.rule == "T4.SUM"].status)


def test_tables_printed_after_all_the_prose_are_found():
    """trafilatura puts a page's whole article in one cell and its tables after it: the sections hold only
    prose, and each table starts at its own first words after the last heading."""
    text = ("| 某县人民政府2025年政府信息公开工作年度报告 一、总体情况 2025年,我县主动公开政府信息4511条。 "
            "二、主动公开政府信息情况 见下表。 三、收到和处理政府信息公开申请情况 见下表。 "
            "四、政府信息公开行政复议、行政诉讼情况 见下表。 五、存在的主要问题及改进情况 无。 六、其他需要报告的事项 无。 |\n"
            "| 第二十条 第（一）项 |  |  |  |\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
            "| 规章 | 0 | 0 | 0 |\n| 行政规范性文件 | 6 | 1 | 32 |\n"
            "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 |\n"
            "| 一、本年新收政府信息公开申请数量 | 705 | 3 | 0 | 0 | 5 | 0 | 713 |\n")
    cells = _cells(gxtables.parse(text))
    assert cells["proactive.normative_documents.in_force"].value == 32
    assert cells["applications.new.total"].value == 713
