"""Change one cell of a valid table: exactly the rule instances that involve it fail, and they name it."""
from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from render import edition, random_values, render_report

import gxtables


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10**9), ed=st.sampled_from(["2019", "2021"]), delta=st.integers(1, 9),
       pick=st.integers(0, 10**6), style=st.sampled_from(["row", "markdown", "cells"]))
def test_one_changed_cell_fails_exactly_its_rules(seed, ed, delta, pick, style):
    e = edition(ed)
    values = random_values(e, random.Random(seed), tables=("applications", "appeals"))
    ids = sorted(values)
    target = ids[pick % len(ids)]
    values[target] = values[target] + delta
    r = gxtables.parse(render_report(e, values, style, seed=seed))
    checks = r.checks[r.checks["rule"].isin(["T3.BAL", "T3.COLSUM", "T3.ROWSUM", "T4.SUM"])]
    failed = checks[checks["status"] == "fail"]
    touching = checks[checks["cells"].str.split(",").apply(lambda cs: target in cs)]
    assert len(touching) >= 1
    assert set(failed.index) == set(touching.index)
    assert all(target in cs.split(",") for cs in failed["cells"])
    assert (failed["severity"] == "error").all()
    assert not r.ok and r.errors == len(failed)


def test_valid_table_passes_every_rule():
    e = edition("2021")
    r = gxtables.parse(render_report(e, random_values(e, random.Random(1)), "row"))
    assert r.ok
    assert set(r.checks.loc[r.checks["severity"] == "error", "status"]) == {"pass"}


def test_failed_check_message_names_labels_and_figures():
    e = edition("2019")
    values = random_values(e, random.Random(5), tables=("applications",))
    values["applications.new.natural_person"] += 3
    r = gxtables.parse(render_report(e, values, "row"))
    row = r.checks[(r.checks["rule"] == "T3.COLSUM") & (r.checks["status"] == "fail")].iloc[0]
    assert row["instance"] == "new"
    assert "一、本年新收政府信息公开申请数量" in row["message"]
    assert float(row["found"]) != float(row["expected"])


def test_a_blank_total_beside_numbers_is_not_given():
    """Reports that fill 总计 on some rows only: a blank 总计 beside 18 is not given, so T3.COLSUM is not
    assessable there (never failed), while a printed total is still checked."""
    text = ("某镇2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |\n"
            "自然人 | 法人或其他组织 | 总计 |\n商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |\n"
            "一、本年新收政府信息公开申请数量 | 18 | | | | | | 18 |\n"
            "三、本年度办理结果 | (一)予以公开 | 18 | | | | | | |\n四、政府信息公开行政复议、行政诉讼情况\n")
    checks = gxtables.parse(text).checks
    colsum = checks[checks.rule == "T3.COLSUM"].set_index("instance")["status"]
    assert colsum["granted"] == "not_assessable" and colsum["new"] == "pass"
