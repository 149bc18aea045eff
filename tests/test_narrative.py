"""The figures stated in the prose (r.narrative) and the prose rules N.TEXT, N.REVIEW_STATUS, N.BAL."""
from __future__ import annotations

import random
import time
from functools import cache
from pathlib import Path

import pytest
from conftest import DEGRADED, DEV, SEEDS, assert_read, unrefused
from hypothesis import given, settings
from hypothesis import strategies as st
from render import STYLES, edition, random_values, render_report

import gxtables
from gxtables.numerals import chinese_number
from gxtables.records import NARRATIVE_COLUMNS
from gxtables.template import TemplateError, edition_from_toml
from gxtables.vocabulary import VocabularyError, vocabulary, vocabulary_from_toml


@cache
def _parsed(path: Path) -> gxtables.Report:
    """Each bundled report is parsed once for all the tests of this module."""
    return gxtables.read(path)


def _read(folder, stem: str) -> gxtables.Report:
    return _parsed(next(folder.glob(f"{stem}*.txt")))


def _rules(r: gxtables.Report, rule: str):
    return [c for c in r.check_records if c.rule == rule]


# ---------------------------------------------------------------------------- golden: seeds
SEED_FIGURES = {
    "004": {"proactive_items": 825, "applications_new": 5, "applications_handled": 4, "granted": 1, "partly_granted": 1,
            "unavailable": 2, "applications_carried_forward": 1, "reviews": 1, "lawsuits": 0, "fees": 0},
    "002": {"proactive_items": 34478, "applications_new": 2, "reviews": 0, "lawsuits": 0, "fees": 0},
    "001": {"proactive_items": 287},
    "000": {"applications_new": 0, "reviews": 0, "lawsuits": 0, "fees": 0},
    "003": {"applications_new": 0, "fees": 0},
}


@pytest.mark.parametrize("stem", sorted(SEED_FIGURES))
def test_seed_figures(stem):
    r = _read(SEEDS, stem)
    for quantity, value in SEED_FIGURES[stem].items():
        assert r.stated(quantity) == value, quantity


def test_seed_004_prose_balance_holds():
    r = _read(SEEDS, "004")
    (bal,) = _rules(r, "N.BAL")
    assert bal.status == "pass"
    assert (bal.found, bal.expected) == (5, 5)  # 5 new (+ 0 carried over) = 4 handled + 1 carried forward
    assert "本年新收申请 5" in bal.message and "本年办结申请 4" in bal.message and "结转下年度继续办理 1" in bal.message
    assert not r.ok  # the tables are missing: prose checks do not make a report complete


def test_seed_004_figures_point_at_their_sentence():
    r = _read(SEEDS, "004")
    row = r.narrative[r.narrative["quantity"] == "applications_new"].iloc[0]
    raw = (next(SEEDS.glob("004*.txt"))).read_text(encoding="utf-8")
    assert raw[row["start"]:row["end"]] == "5條"  # offsets into the raw text, as printed
    assert "依申請公開信息" in row["sentence"] and "(bào)" not in row["sentence"]
    assert list(r.narrative.columns[:5]) == ["quantity", "value", "unit", "sentence", "start"]


def test_zero_in_words_and_fees_in_yuan():
    r = _read(SEEDS, "000")
    frame = r.narrative.set_index("quantity")
    assert frame.loc["fees", "unit"] == "元"
    assert frame.loc["fees", "text"] == "未收取任何费用"
    assert frame.loc["applications_new", "value"] == 0


def test_tables_are_not_prose():
    r = _read(SEEDS, "001")  # full 2019 tables with 行政复议/申请 labels and zeros
    assert set(r.narrative["quantity"]) == {"proactive_items"}


# ---------------------------------------------------------------------------- golden: dev corpus
DEV_FIGURES = {
    "p025": {"proactive_items": 46, "applications_new": 0, "reviews": 0, "lawsuits": 0, "fees": 0},  # pre-2019
    "p043": {"applications_new": 0, "fees": 0},  # pre-2019 structure in 2019
    "p044": {"applications_new": 301},
    "p070": {"proactive_items": 11700},  # 1.17万条
    "p072": {"applications_new": 21, "granted": 10, "partly_granted": 2, "reviews": 1, "reviews_upheld": 1,
             "reviews_pending": 0, "lawsuits_direct": 0, "lawsuits_after_review": 0},
    "p082": {"applications_new": 27, "applications_handled": 26, "applications_carried_forward": 1},
    "p091": {"proactive_items": 314, "applications_new": 0, "applications_carried_over": 0},
    "p104": {"proactive_items": 67},
    "p116": {"proactive_items": 598, "applications_new": 0},
    "p121": {"applications_new": 2},
    "g002": {"proactive_items": 4511, "applications_new": 749, "applications_handled": 718,
             "applications_carried_forward": 31, "fees": 380},
    "g013": {"applications_new": 21, "fees": 0},
}


@pytest.mark.parametrize("stem", sorted(DEV_FIGURES))
def test_dev_figures(stem):
    r = _parsed(DEV / f"{stem}.txt")
    for quantity, value in DEV_FIGURES[stem].items():
        assert r.stated(quantity) == value, quantity


def test_running_totals_as_of_a_date_are_cumulative():
    r = _parsed(DEV / "p090.txt")  # 截止20101231日,全乡累计主动公开政府信息65条
    row = r.narrative[r.narrative["quantity"] == "proactive_items"].iloc[0]
    assert (row["value"], row["scope"]) == (65, "cumulative") and r.stated("proactive_items") is None
    assert _read(SEEDS, "002").stated("proactive_items") == 34478  # 2016年…累计主动公开: the year's total


def test_approximate_figures_are_marked():
    r = gxtables.read(DEV / "p043.txt")
    row = r.narrative[r.narrative["quantity"] == "proactive_items"].iloc[0]
    assert row["value"] == 120 and bool(row["approx"]) and row["text"] == "120余条"


def test_another_years_figure_is_told_apart():
    r = gxtables.read(DEV / "p064.txt")  # a 2023 report quoting 2022's 规范性文件 figures
    row = r.narrative[r.narrative["quantity"] == "normative_documents_issued"].iloc[0]
    assert row["scope"] == "other_year"
    assert not any(c.instance and c.instance.startswith("normative") for c in _rules(r, "N.TEXT"))


def test_prose_and_table_disagree_and_the_check_names_both_places():
    r = gxtables.read(DEV / "p121.txt")  # prose 共受理政府信息公开申请2件, table 一、本年新收 3
    (bad,) = [c for c in _rules(r, "N.TEXT") if c.status == "fail"]
    assert bad.severity == "warning"
    assert bad.cells == ("applications.new.total",) and (bad.found, bad.expected) == (2, 3)
    assert "applications.new.total" in bad.message and "共受理政府信息公开申请2件" in bad.message
    assert "第3行" in bad.message and bad.instance.startswith("applications_new@")
    start = int(bad.instance.split("@")[1])
    assert (DEV / "p121.txt").read_text(encoding="utf-8")[start:start + 2] == "2件"


def test_prose_counting_carried_over_as_received_agrees():
    r = gxtables.read(DEV / "g002.txt")  # 受理749件 = 新收713 + 上年结转36
    (new,) = [c for c in _rules(r, "N.TEXT") if c.instance.startswith("applications_new")]
    assert new.status == "pass" and "applications.carried_over.total" in new.message


def test_no_false_alarms_on_the_bundled_reports():
    """Over every bundled report, N.TEXT fails only where the prose really contradicts the table."""
    failing = set()
    for path in [*SEEDS.glob("*.txt"), *DEV.glob("*.txt"), *DEGRADED.glob("*.txt")]:
        r = _parsed(path)
        if any(c.status == "fail" for c in r.check_records if c.rule.startswith("N.")):
            failing.add(path.stem)
    assert failing == {"p121"}


# ---------------------------------------------------------------------------- words
@pytest.mark.parametrize(("words", "value"), [("两", 2), ("十二", 12), ("一百零三", 103), ("二十", 20), ("三千五百", 3500),
                                              ("五", 5), ("零", 0), ("十十", None), ("二二十", None)])
def test_chinese_numbers(words, value):
    assert chinese_number(words) == value
    got = _figures(REPORT.format(f"全年收到政府信息公开申请{words}件。"))  # and as the prose prints them
    assert got == ({"applications_new": [(value, "year")]} if value is not None else {})


def _figures(text: str) -> dict[str, list[tuple[float | None, str]]]:
    r = gxtables.parse(text)
    assert_read(r)  # "no figures" must come from reading the prose, not from a reading that broke
    assert r.is_report
    out: dict[str, list] = {}
    for q, v, s in zip(r.narrative["quantity"], r.narrative["value"], r.narrative["scope"]):
        out.setdefault(q, []).append((None if v is None or v != v else float(v), s))
    return out


REPORT = "某县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n{}\n"


def test_chinese_numerals_in_prose():
    got = _figures(REPORT.format("2023年,我县主动公开政府信息十二条。全年收到政府信息公开申请两件,予以公开两件。"))
    assert got["proactive_items"] == [(12, "year")]
    assert got["applications_new"] == [(2, "year")]
    assert got["granted"] == [(2, "year")]


def test_cumulative_figures_are_told_apart():
    got = _figures(REPORT.format("截至目前,历年累计主动公开政府信息12000条。2023年主动公开政府信息825条。"))
    assert got["proactive_items"] == [(12000, "cumulative"), (825, "year")]
    assert gxtables.parse(REPORT.format("历年累计主动公开政府信息12000条。2023年主动公开政府信息825条。")).stated("proactive_items") == 825


def test_percentages_and_changes_are_not_counts():
    got = _figures(REPORT.format("全年收到申请3件,答复率100%。主动公开信息较上年增加12条。办结率达95%。"))
    assert got == {"applications_new": [(3, "year")]}


def test_zero_in_words_for_every_kind():
    got = _figures(REPORT.format("本年度未收到政府信息公开申请。未发生因政府信息公开引起的行政复议、行政诉讼。"
                                 "我县未收取任何费用。"))
    assert got == {"applications_new": [(0, "year")], "reviews": [(0, "year")], "lawsuits": [(0, "year")],
                   "fees": [(0, "year")]}


def test_words_that_are_not_a_zero():
    got = _figures(REPORT.format("未经复议直接起诉0件。申请内容无法提供的,依法告知。"))
    assert "lawsuits" not in got and got["lawsuits_direct"] == [(0, "year")]


def test_fees_in_ten_thousands_become_yuan():
    got = _figures(REPORT.format("六、其他需要报告的事项\n本年度收取信息处理费0.12万元。"))
    assert got["fees"] == [(1200, "year")]


def test_breakdowns_are_not_repeated_totals():
    got = _figures(REPORT.format("主动公开政府信息300条,其中通过网站主动公开200条,通过公众号主动公开100条。"))
    assert got["proactive_items"] == [(300, "year")]


# ---------------------------------------------------------------------------- the prose rules
def _with_prose(values: dict, prose: str, seed: int = 1) -> str:
    text = render_report(edition("2021"), values, "row", year=2023, seed=seed)
    return text.replace("一、总体情况\n", "一、总体情况\n" + prose + "\n", 1)


def test_n_text_fails_naming_sentence_and_cells():
    ed = edition("2021")
    values = random_values(ed, random.Random(3))
    new_total = int(values["applications.new.total"])
    r = gxtables.parse(_with_prose(values, f"本年度共收到政府信息公开申请{new_total + 4}件。"))
    assert r.cells.set_index("id").loc["applications.new.total", "value"] == new_total
    (check,) = [c for c in _rules(r, "N.TEXT") if c.instance.startswith("applications_new")]
    assert check.status == "fail" and check.found == new_total + 4 and check.expected == new_total
    assert "applications.new.total" in check.message and "本年度共收到政府信息公开申请" in check.message


def test_n_text_passes_on_group_sums():
    ed = edition("2021")
    values = random_values(ed, random.Random(5))
    denied = sum(int(v or 0) for k, v in values.items() if k.startswith("applications.denied_") and k.endswith(".total"))
    r = gxtables.parse(_with_prose(values, f"本年度收到政府信息公开申请若干,其中不予公开{denied}件。"))
    (check,) = [c for c in _rules(r, "N.TEXT") if c.instance.startswith("denied")]
    assert check.status == "pass" and len(check.cells) == 8


def test_review_status_against_the_table():
    ed = edition("2021")
    values = random_values(ed, random.Random(7))
    for col, v in {"upheld": 0, "corrected": 0, "other": 0, "pending": 2, "total": 2}.items():
        values[f"appeals.review.{col}"] = v
    r = gxtables.parse(_with_prose(values, "本年度发生政府信息公开行政复议2件,均获维持。"))
    (check,) = _rules(r, "N.REVIEW_STATUS")
    assert check.status == "fail" and check.severity == "warning"
    assert "appeals.review.pending = 2" in check.message and "均获维持" in check.message


def test_review_status_in_prose_alone():
    r = gxtables.parse(REPORT.format("本年度发生行政复议3件,均获维持。另有行政复议1件尚未审结。"))
    (check,) = _rules(r, "N.REVIEW_STATUS")
    assert check.status == "fail" and "行政复议尚未审结 = 1" in check.message


def test_prose_balance_fails_and_is_only_for_missing_tables():
    r = gxtables.parse(REPORT.format("2023年,我县收到政府信息公开申请5件,办结3件,结转下年度继续办理1件。"))
    (bal,) = _rules(r, "N.BAL")
    assert bal.status == "fail" and (bal.found, bal.expected) == (5, 4)
    r = gxtables.read(DEV / "g013.txt")  # tables present: T3.BAL balances them, not the prose
    assert not _rules(r, "N.BAL")


def test_pre2019_reports_get_prose_rules():
    r = gxtables.parse("某镇2015年政府信息公开工作年度报告\n一、概述\n二、依申请公开情况\n2015年,我镇收到政府信息公开申请4件,"
                       "答复4件,结转下年度继续办理0件。\n三、收费及减免情况\n未收取任何费用。\n")
    assert r.edition == "pre2019"
    (bal,) = _rules(r, "N.BAL")
    assert bal.status == "pass"


# ---------------------------------------------------------------------------- robustness and data files
def test_debug_shows_the_narrative_stage():
    out = str(gxtables.debug((next(SEEDS.glob("004*.txt"))).read_text(encoding="utf-8")))
    assert "[narrative] 10 figures" in out and "applications_new = 5" in out and "published=2025-01-16" in out


def test_long_hostile_prose_is_fast():
    text = REPORT.format(("主动公开" * 30 + "收到申请" + "1" * 11 + "、") * 400 + "未" * 5000 + "行政复议" * 2000)
    t0 = time.perf_counter()
    r = gxtables.parse(text)
    assert time.perf_counter() - t0 < 5
    assert_read(r)
    assert r.year == 2023 and not r.narrative.empty


@pytest.mark.parametrize("text", ["", "。", "|||", "行政复议", "未" * 100, "主动公开信息万条", "收到申请十十十件", "0件" * 50])
def test_parse_never_raises(text):
    in_report, alone = gxtables.parse(REPORT.format(text)), gxtables.parse(text)
    assert_read(in_report, alone)
    assert (in_report.is_report, in_report.year) == (True, 2023)


def test_vocabulary_loads_and_is_ordered():
    ids = [q.id for q in vocabulary()]
    assert ids.index("unavailable") < ids.index("denied")  # 不掌握…不予公开 → unavailable
    assert {"proactive_items", "applications_new", "applications_carried_over", "applications_handled",
            "applications_carried_forward", "granted", "partly_granted", "denied", "unavailable", "not_processed",
            "reviews", "lawsuits", "fees"} <= set(ids)


BASE = {"fragments": {"gap": "[^,]"}, "units": {"count": ["件"]}}


# a wrong quantity → the words of the refusal
WRONG_QUANTITIES = [
    ({"id": "x", "patterns": ["收到.*{N}"]}, "bounded"),
    ({"id": "x", "patterns": ["收到"]}, "exactly one"),
    ({"id": "x", "patterns": ["收到{N}"], "zero": ["{N}"]}, "zero pattern"),
    ({"id": "x", "patterns": ["收到{nope}{N}"]}, "unknown fragment"),
    ({"id": "x", "patterns": ["收到{N}"], "colour": "red"}, "unknown keys"),
    ({"id": "X", "patterns": ["收到{N}"]}, "snake_case"),
    ({"id": "x", "patterns": ["收到{N}"], "units": ["吨"]}, "unit"),
]


def test_vocabulary_is_validated():
    def build(quantity: dict) -> object:
        return vocabulary_from_toml({**BASE, "quantities": [quantity]}, "test.toml")

    assert unrefused(WRONG_QUANTITIES, build, VocabularyError) == []


def test_prose_rules_are_validated():
    import tomllib
    from importlib import resources

    data = tomllib.loads((resources.files("gxtables") / "editions" / "2021.toml").read_text(encoding="utf-8"))
    rule = next(r for r in data["rules"] if r["id"] == "N.TEXT")
    rule["cells"]["no_such_quantity"] = ["applications.new.total"]
    with pytest.raises(TemplateError, match="not a quantity"):
        edition_from_toml(data, "2021.toml")
    del rule["cells"]["no_such_quantity"]
    rule["cells"]["granted"] = ["applications.nothing_*.total"]
    with pytest.raises(TemplateError, match="matches no cell"):
        edition_from_toml(data, "2021.toml")


def test_group_figure_against_the_sum_of_its_rows():
    """A real 2019 report passes every table rule yet its prose says 无法提供 265 where the table gives 337."""
    ed = edition("2019")
    values = random_values(ed, random.Random(11))
    for row, v in {"unavailable_not_held": 300, "unavailable_needs_creation": 30, "unavailable_unclear": 7}.items():
        values[f"applications.{row}.total"] = v  # the other columns keep their own values: only totals are compared
    text = render_report(ed, values, "row", year=2019, seed=2).replace(
        "一、总体情况\n", "一、总体情况\n全年收到政府信息公开申请若干,其中无法提供265件。\n", 1)
    r = gxtables.parse(text)
    (check,) = [c for c in _rules(r, "N.TEXT") if c.instance.startswith("unavailable@")]
    assert check.status == "fail" and (check.found, check.expected) == (265, 337)
    assert len(check.cells) == 3 and "3格之和" in check.message


ALPHABET = list("0123456789两十百万余多件条元人次,。、()|\n 未没有无收到受理申请依公开主动行政复议诉讼均获维持其中累计历年年度结转办结%第予以部分不掌握")


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=300))
def test_any_text_reads_without_raising(text):
    r = gxtables.parse(REPORT.format(text))
    assert_read(r)
    assert (r.year, r.body) == (2023, "某县人民政府")
    frame = r.narrative
    assert set(frame["scope"]) <= {"year", "cumulative", "other_year"}
    for start, end in zip(frame["start"], frame["end"]):
        assert 0 <= start < end <= len(REPORT.format(text))


def test_sentences_inside_a_table_section_are_prose():
    ed = edition("2021")
    values = random_values(ed, random.Random(13))
    total = int(values["appeals.review.total"])
    text = render_report(ed, values, "cells", year=2023, seed=3)
    heading = ed.table("appeals").label + "\n"
    text = text.replace(heading, heading + f"本年度发生政府信息公开行政复议{total}件,详见下表。\n", 1)
    r = gxtables.parse(text)
    assert r.stated("reviews") == total
    (check,) = [c for c in _rules(r, "N.TEXT") if c.instance.startswith("reviews@")]
    assert check.status == "pass"
    assert set(r.narrative["quantity"]) == {"reviews"}  # the table's numbers and labels are not prose


@pytest.mark.parametrize("style", STYLES)
def test_rendered_tables_state_no_prose_figures(style):
    for name in ("2019", "2021"):
        ed = edition(name)
        values = random_values(ed, random.Random(len(style)), zeros_blank=0.2)
        r = gxtables.parse(render_report(ed, values, style, year=ed.first_year + 1, seed=4))
        assert_read(r)
        assert len(r.tables_found) == 3 and r.cells["value"].notna().sum() > 100, (style, name)
        assert r.narrative.empty, (style, name, r.narrative[["quantity", "text"]].to_dict("records"))


def test_other_applications_and_services_are_not_information_requests():
    got = _figures("某县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n政务服务中心共受理行政许可申请2000件,办结1990件。"
                   "全年办理人大代表建议5件,办理12345热线工单300件。\n")
    assert got == {}


def test_outcomes_follow_the_applications_they_belong_to():
    got = _figures("某县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n全年收到申请12件,同意公开7件,同意部分公开2件,"
                   "信息不存在2件,非本机关掌握1件。\n")
    assert got["granted"] == [(7, "year")] and got["partly_granted"] == [(2, "year")]
    assert got["unavailable"] == [(2, "year"), (1, "year")]  # two reasons within 无法提供, each its own row


def test_last_years_figure_in_words_is_not_this_years():
    got = _figures(REPORT.format("上年度收到政府信息公开申请5件,本年度收到政府信息公开申请8件。上年结转政府信息公开申请2件。"))
    assert got["applications_new"] == [(5, "other_year"), (8, "year")]
    assert got["applications_carried_over"] == [(2, "year")]


def test_hard_wrapped_prose_is_read_across_the_wrap():
    text = ("某县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n2023年，本机关严格落实条例，全年共收到政府信息公开申\n"
            "请5件，办结4件，结转下年度继续办理1件。\n")
    r = gxtables.parse(text)
    row = r.narrative[r.narrative["quantity"] == "applications_new"].iloc[0]
    assert row["value"] == 5 and text[row["start"]:row["end"]] == "5件"
    assert "\n" not in row["sentence"] and "申请5件" in row["sentence"]
    assert r.stated("applications_handled") == 4 and r.stated("applications_carried_forward") == 1


def test_set_phrases_are_not_counts():
    got = _figures(REPORT.format("全年主动公开工作坚持一个中心,推行一件事一次办,一条龙服务。行政复议一件。"))
    assert got == {"reviews": [(1, "year")]}


def test_words_that_look_like_a_negation():
    got = _figures(REPORT.format("未来将进一步做好行政复议应诉工作。无论是行政复议还是行政诉讼,均依法办理。"))
    assert got == {}


def test_a_district_summary_with_shares_and_combined_outcomes():
    got = _figures("某区2022年政府信息公开工作年度报告\n一、总体情况\n2022年,全区各部门共收到政府信息依申请公开820件。其中,"
                   "通过网络申请700件,占85.37%。全区共完成依申请公开答复800件,包括上年结转信息公开申请12件。其中,予以公开"
                   "答复500件,占62.5%;不予公开40件;无法提供的150件;其他处理30件。同意公开或部分公开共560件。\n")
    assert got["applications_new"] == [(820, "year")]
    assert got["applications_handled"] == [(800, "year")] and got["applications_carried_over"] == [(12, "year")]
    assert got["granted"] == [(500, "year")] and got["denied"] == [(40, "year")] and got["unavailable"] == [(150, "year")]
    assert got["other_processed"] == [(30, "year")] and got["granted_or_partly"] == [(560, "year")]


def test_a_heading_answered_with_none_on_the_next_line():
    r = gxtables.parse("某镇2015年政府信息公开工作年度报告\n一、概述\n本镇认真落实条例。\n二、依申请公开政府信息情况\n无。\n"
                       "三、政府信息公开的收费及减免情况\n无\n四、因政府信息公开申请行政复议、提起行政诉讼的情况\n无。\n"
                       "五、存在的主要问题\n暂无。\n")
    assert {q: r.stated(q) for q in ("applications_new", "fees", "reviews", "lawsuits")} == {
        "applications_new": 0, "fees": 0, "reviews": 0, "lawsuits": 0}


def test_a_page_that_is_not_a_report_states_nothing():
    r = gxtables.read(DEV / "p053.txt")  # a notice on how to compile the reports
    assert "a notice or document about annual reports" in r.reason
    assert not r.is_report and r.narrative.empty and list(r.narrative.columns) == list(NARRATIVE_COLUMNS)
    assert (r.published, r.level, r.kind) == (None, None, None)


# Pieces of prose the vocabulary reacts to, to build sentences with several figures close together.
PROSE_PIECES = ["共收到政府信息公开申请", "予以公开", "部分公开", "本机关不掌握", "行政复议", "行政诉讼", "维持", "纠正",
                "尚未审结", "主动公开信息", "收取费用", "结转下年度", "其中", "办结", "，", "。", "、", "\n", " ",
                "12", "3", "两", "十二", "1,234", "0.5", "万", "余", "件", "条", "元", "次", "第", "2022年", "未"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PROSE_PIECES), max_size=60))
def test_scanning_around_figures_finds_what_a_whole_scan_finds(pieces):
    """Scanning only the windows around the figures is a shortcut: it must find every match, and no other."""
    from gxtables.narrative import RE_FIGURE, _matches

    text = "".join(pieces)
    starts = [m.start() for m in RE_FIGURE.finditer(text, overlapped=True)]
    for q in vocabulary():
        if q.statement:
            continue
        for pattern in q.patterns:
            whole = [m.span() for m in pattern.finditer(text, overlapped=True)]
            assert [m.span() for m in _matches(pattern, text, starts)] == whole, pattern.pattern


@pytest.mark.parametrize("sentence, want", [
    ("2023年共收到政府信息公开申请10件,办结1件,转下年度办理9件。",
     [("applications_new", 10), ("applications_handled", 1), ("applications_carried_forward", 9)]),
    ("2022年收到政府信息公开申请5件,按时答复3件,顺延至下一年答复2件。",
     [("applications_new", 5), ("applications_handled", 3), ("applications_carried_forward", 2)]),
    ("本年度收到政府信息公开申请3件,超期答复件 0 件。", [("applications_new", 3)]),
])
def test_applications_carried_forward_in_other_words(sentence, want):
    """"转下年度", "顺延至下一年" carry applications forward; "超期答复" counts late replies, not the handled."""
    r = gxtables.parse("某局2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n" + sentence + "\n")
    assert [(pf.figure.quantity, pf.figure.value) for pf in r.placed_figures] == want


def test_prose_with_thousands_of_figures_is_read_up_to_a_bound(monkeypatch):
    """No report states thousands of figures; such prose is read up to MAX_FIGURES of them (each costs a
    sentence's reading): the figures read are the first of those a whole reading finds, and a note says so."""
    import sys

    from gxtables import narrative

    sys.path.insert(0, str(Path(__file__).resolve().parent / "benchmarks"))
    from adversarial import make_input

    text = make_input("prose", 200_000)
    report = gxtables.parse(text)
    assert len(report.notes) == 1 and f"more than {narrative.MAX_FIGURES:,} figures" in report.notes[0]
    line = int(report.notes[0].split("up to line ")[1].split(",")[0])
    figures = report.narrative
    assert narrative.MAX_FIGURES <= len(figures) <= 2 * narrative.MAX_FIGURES and figures["line"].max() == line
    monkeypatch.setattr(narrative, "MAX_FIGURES", 10 ** 9)
    whole = gxtables.parse(text)
    assert not whole.notes and len(whole.narrative) > 2 * len(figures)
    assert whole.narrative.head(len(figures)).equals(figures)
    monkeypatch.undo()
    small = gxtables.parse(make_input("prose", 20_000))
    assert not small.notes and len(small.narrative) > 500  # a text below the bound is read whole


@given(st.lists(st.sampled_from(["收到政府信息公开申请", "5件", "\n", "  \n ", "。", "一、总体情况", "ab", "，"]), max_size=40))
def test_unwrapped_prose_maps_back_character_by_character(pieces):
    from gxtables.narrative import _unwrap

    text = "".join(pieces)
    joined, where = _unwrap(text, 0, len(text))
    assert len(where) == len(joined)
    assert all(text[where[i]] == c for i, c in enumerate(joined))
    assert all(where[i] < where[i + 1] for i in range(len(joined) - 1))
