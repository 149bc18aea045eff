"""Notebook views on real reports: the printed layout, and the marks on failed and uncertain cells."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from conftest import DEGRADED, DEV, SEEDS

import gxtables
from gxtables.view import tables_html


def test_tables_in_printed_layout_hold_the_cells():
    rep = gxtables.read(DEV / "g002-row.txt")
    tables = pd.read_html(io.StringIO(tables_html(rep, marks=False)))
    assert [t.shape for t in tables] == [(12, 4), (25, 10), (1, 15)]  # 2021: 4 blocks; 25 rows; one row of 15
    appeals = tables[2].iloc[0].astype(float).tolist()
    expected = [pc.cell.value for pc in rep.placed_cells if pc.cell.table == "appeals"]
    assert appeals == expected
    apps = tables[1]
    new_row = apps.iloc[0]
    assert new_row.iloc[0] == "一、本年新收政府信息公开申请数量"
    assert float(new_row.iloc[-1]) == rep.cells.set_index("id").loc["applications.new.total", "value"]
    # nested labels: 1.属于国家秘密 printed under （三）不予公开 under 三、本年度办理结果
    secret = apps[apps.iloc[:, 2] == "1.属于国家秘密"].iloc[0]
    assert list(secret.iloc[:2]) == ["三、本年度办理结果", "（三）不予公开"]


def test_failed_and_uncertain_cells_are_marked():
    rep = gxtables.read(DEGRADED / "g006.txt")
    assert rep.errors and len(rep.uncertain)
    page = rep._repr_html_()
    assert page.count('class="num uncertain') == len(rep.uncertain)
    failed_cells = {cid for c in rep.check_records if c.status == "fail" and c.severity == "error"
                    and c.rule not in ("COMPLETE", "BLANK") for cid in c.cells}
    assert page.count(" fail\"") == len(failed_cells)
    assert "candidates" in page and "T3.ROWSUM" in page  # the tooltips say why


def test_a_clean_report_has_no_marks_and_a_non_report_says_why():
    page = gxtables.read(SEEDS / "001_db13a61a4a1852ee.txt")._repr_html_()
    assert " fail\"" not in page and "uncertain\"" not in page and "✔ ok" in page
    page = gxtables.read(DEV / "p021.txt")._repr_html_()
    assert "<table" not in page and "gx-report" in page


def test_corpus_view_shows_summary_and_most_failed_rules():
    c = gxtables.read_many([SEEDS, DEV / "g006-cells.txt", DEV / "p021.txt"], workers=0, progress=False)
    page = c._repr_html_()
    assert "inputs</th><td>7</td>" in page and "not reports" in page
    top = c.failed_rules().index[0]
    assert f"<th>{top}</th>" in page
    pytest.importorskip("matplotlib")
    assert "data:image/png;base64," in page
