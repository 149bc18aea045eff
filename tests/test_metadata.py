"""Report metadata: body, year (unchanged), published, level and kind."""
from __future__ import annotations

import datetime

import pytest
from conftest import DEV, SEEDS, assert_read, corpus_cases

import gxtables
from gxtables.locate import KINDS, LEVELS, body_level, find_published, report_kind


def _seed(stem: str) -> gxtables.Report:
    return gxtables.read(next(SEEDS.glob(f"{stem}*.txt")))


SEEDS_META = {
    "000": ("太和镇", 2017, datetime.date(2018, 3, 30), "township", "own"),
    "001": ("龙桥乡", 2019, None, "township", "own"),
    "002": ("通榆县人民政府", 2016, datetime.date(2017, 2, 21), "county", "summary"),
    "003": ("看庄镇", 2017, None, "township", "own"),
    "004": ("洲泉鎮", 2024, datetime.date(2025, 1, 16), "township", "own"),  # body as printed (Traditional)
}


@pytest.mark.parametrize("stem", sorted(SEEDS_META))
def test_seed_metadata(stem):
    r = _seed(stem)
    assert (r.body, r.year, r.published, r.level, r.kind) == SEEDS_META[stem]


DEV_META = {
    "p028": (datetime.date(2019, 3, 7), "city", "summary"),
    "p044": (None, "department", "own"),
    "p049": (None, "township", "own"),  # body never named: '我街'
    "p058": (None, "county", "summary"),
    "p090": (datetime.date(2011, 1, 1), "township", "own"),
    "p104": (datetime.date(2026, 1, 22), "township", "own"),  # a bare date-time beside the title
    "g020-html2text": (datetime.date(2024, 1, 17), "department", "own"),
}


@pytest.mark.parametrize("stem", sorted(DEV_META))
def test_dev_metadata(stem):
    r = gxtables.read(DEV / f"{stem}.txt")
    assert (r.published, r.level, r.kind) == DEV_META[stem]


def test_year_and_body_unchanged_on_the_dev_corpus():
    for path, exp in corpus_cases(DEV):
        r = gxtables.read(path)
        if exp.get("year") is not None:
            assert r.year == exp["year"], path.name
        if exp.get("is_report", True) is False:
            assert (r.published, r.level, r.kind) == (None, None, None), path.name


def test_metadata_values_are_from_their_vocabularies():
    for path in [*SEEDS.glob("*.txt"), *DEV.glob("*.txt")]:
        r = gxtables.read(path)
        assert_read(r)
        assert r.level in (*LEVELS, None) and r.kind in (*KINDS, None)
        assert r.published is None or r.year is None or r.published.year > r.year


@pytest.mark.parametrize(("name", "level"), [
    ("北京市人民政府", "province"), ("浙江省人民政府", "province"), ("广西壮族自治区人民政府", "province"),
    ("三明市人民政府", "city"), ("延边朝鲜族自治州", "city"), ("通榆县人民政府", "county"), ("洪泽区人民政府", "county"),
    ("洲泉镇", "township"), ("重庆市九龙坡区二郎街道办事处", "township"), ("连生乡人民政府", "township"),
    ("郎溪县交通运输局", "department"), ("交通运输部", "department"), ("孝感市人民政府办公室", "department"),
    ("沭阳县发展和改革局", "department"), ("某某县卫生健康委员会", "department"), ("大兴安岭地区行政公署", "city"),
])
def test_levels_from_names(name, level):
    assert body_level(name) == level
    r = gxtables.parse(f"{name}2023年政府信息公开工作年度报告\n一、总体情况\n")
    assert (r.body, r.level) == (name, level)


def test_level_from_how_the_report_names_itself():
    assert body_level(None, "2022年,我局认真落实…我局主动公开信息12条") == "department"
    assert body_level(None, "我镇严格按照要求") == "township"
    assert body_level(None, "本报告说明情况") is None
    r = gxtables.parse("2022年政府信息公开工作年度报告\n一、总体情况\n2022年,我局认真落实条例,我局主动公开信息12条。\n")
    assert (r.body, r.level, r.kind) == (None, "department", "own")


def test_kind():
    assert report_kind("通榆县人民政府", "county") == "summary"
    assert report_kind("洲泉镇", "township") == "own"
    assert report_kind("梅县区人民政府办公室", "department", "现公布梅县区人民政府2019年政府信息公开工作年度报告") == "summary"
    assert report_kind(None, None, "") is None
    assert report_kind(None, "county", "我县认真落实条例") == "summary"
    assert report_kind(None, "township", "现公布某某镇人民政府2023年政府信息公开工作年度报告") == "own"
    r = gxtables.parse("梅县区人民政府办公室2019年政府信息公开工作年度报告\n现公布梅县区人民政府2019年政府信息公开工作年度报告\n"
                       "一、总体情况\n")
    assert (r.level, r.kind) == ("department", "summary")
    assert gxtables.parse("2023年政府信息公开工作年度报告\n一、总体情况\n我县认真落实条例。\n").kind == "summary"


@pytest.mark.parametrize(("text", "year", "date"), [
    ("发布日期:2017-02-21 点击数:", 2016, datetime.date(2017, 2, 21)),
    ("发文日期: | 2025-01-16 |", 2024, datetime.date(2025, 1, 16)),
    ("时间: 2018-03-30 00:00 来源:本网", 2017, datetime.date(2018, 3, 30)),
    ("统计时间:2024年12月31日", 2024, None),  # inside the reporting year: not a publication date
    ("发布时间:2025-13-45", 2024, None),  # not a date
    ("正文……\n\n某某县人民政府\n2024年1月26日\n", 2023, datetime.date(2024, 1, 26)),  # under the signature
])
def test_published(text, year, date):
    assert find_published(text, year) == date
    assert _published(text, year) == date


def _published(text: str, year: int) -> datetime.date | None:
    """The publication date of a short report whose title names ``year`` and prints ``text`` under it."""
    r = gxtables.parse(f"某某县人民政府{year}年政府信息公开工作年度报告\n{text}\n一、总体情况\n")
    assert r.year == year
    return r.published


def test_metadata_on_a_minimal_report():
    r = gxtables.parse("某某县人民政府2023年政府信息公开工作年度报告\n发布时间:2024-03-28\n一、总体情况\n")
    assert (r.year, r.body, r.published, r.level, r.kind) == (2023, "某某县人民政府", datetime.date(2024, 3, 28), "county", "summary")


@pytest.mark.parametrize(("text", "date"), [
    ("成文日期:2024-01-10 | 发布日期:2024-01-15", datetime.date(2024, 1, 15)),  # the publication, not the writing
    ("某某县人民政府2023年政府信息公开工作年度报告\n2024-02-01  来源:本网\n", datetime.date(2024, 2, 1)),
    ("正文……\n\n某某县人民政府\n二〇二四年一月二十六日\n", datetime.date(2024, 1, 26)),
    ("发布日期:2024年01月15日", datetime.date(2024, 1, 15)),
    ("采集时间:\n2025-12-30T21:37:37+08:00\n公开日期\n2024-01-17\n", datetime.date(2024, 1, 17)),  # a crawler's clock
])
def test_published_wordings(text, date):
    assert find_published(text, 2023) == date
    assert _published(text, 2023) == date


@pytest.mark.parametrize("opening, year", [
    ("一、总体情况\n根据《条例》,自2022年1月1日至2022年12月31日,通过门户网站共公开信息31条。", 2022),
    ("(二)政府信息依申请公开情况\n2019年度街道受理信息公开申请0件。", 2019),
    ("一、總體情況\n根據《條例》,2022年度句容市交通運輸局認真貫徹實施。", 2022),
])
def test_the_year_from_a_whole_year_or_a_bodys_year_of_work(opening, year):
    table = "二、主动公开政府信息情况\n第二十条第（一）项 |\n信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n规章 | 0 | 0 | 0 |\n"
    assert gxtables.parse(f"{opening}\n{table}").year == year


def test_the_national_format_is_not_a_report():
    """The format itself (a notice issuing it, its sections and blank tables) is the form, not a report."""
    text = ("信息名称 | 关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知 |\n"
            "中华人民共和国政府信息公开工作年度报告格式\n一、总体情况\n二、主动公开政府信息情况\n"
            "第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | | | |\n"
            "三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n")
    r = gxtables.parse(text)
    assert not r.is_report and "format" in r.reason and not r.placed_cells


def test_a_page_cut_after_its_opening_sentence_is_a_report():
    """Only the opening survives ("本报告根据《…条例》…编制…统计期限自2022年1月1日起"): still a report, of 2022."""
    text = ("本报告根据《中华人民共和国政府信息公开条例》(以下简称《条例》)要求,由某市人民医院编制。全文由总体情况、"
            "主动公开政府信息情况等六部分组成。本报告中所列数据的统计期限自2022年1月1日起至2022年12月20日止。")
    r = gxtables.parse(text)
    assert r.is_report and r.year == 2022 and not r.placed_cells


def test_a_recent_report_in_the_old_structure_says_so():
    text = ("某县交通运输局2023年政府信息公开工作年度报告\n一、概述\n2023年,我局认真贯彻条例。\n"
            "二、主动公开政府信息情况\n全年公开信息50条。\n三、依申请公开政府信息情况\n未收到申请。\n"
            "四、政府信息公开的收费及减免情况\n未收取费用。\n")
    r = gxtables.parse(text)
    assert r.edition == "pre2019" and "2023" in r.reason and "did not exist" not in r.reason


def test_tables_printed_without_numbers_are_told_apart_from_missing_ones():
    """Labels printed, numbers none (a blank form published as the report, or numbers lost in conversion):
    no cells are made up, the reason says so, and the edition check still runs."""
    text = ("2022年度某镇政府信息公开工作年度报告\n一、总体情况\n2022年,我镇认真贯彻条例。\n二、主动公开政府信息情况\n"
            "第二十条第（一）项\n信息内容\n本年新制作数量\n本年新公开数量\n对外公开总数量\n规章\n规范性文件\n"
            "第二十条第（五）项\n信息内容\n上一年项目数量\n本年增/减\n处理决定数量\n行政许可\n其他对外管理服务事项\n"
            "三、收到和处理政府信息公开申请情况\n")
    r = gxtables.parse(text)
    assert not r.placed_cells and "labels are printed" in r.reason
    checks = r.checks.set_index("rule")
    assert checks.loc["ED.MATCH", "status"] == "fail"  # 2019 tables in a 2022 report


@pytest.mark.parametrize("head, body", [
    ("根据《条例》的要求,绍兴市越城区东湖街道特编制2023年政府信息公开年度报告。", "绍兴市越城区东湖街道"),
    ("海关总署(本级机关)2020年政府信息公开工作年度报告", "海关总署(本级机关)"),
    ("海关总署2010年海关信息公开工作年度报告", "海关总署"),
    ("首页 > 政府信息公开年度报告 > 木塔乡人民政府2024年政府信息公开工作年度报告", "木塔乡人民政府"),
    ("某市风景区管理委员会 卫生健康办公室2023年政府信息公开工作年度报告", "某市风景区管理委员会卫生健康办公室"),
    ("武汉东湖新技术开发区发展改革局(以下简称发展改革局)2021年度信息公开工作报告如下:", "武汉东湖新技术开发区发展改革局"),
])
def test_body_names_as_real_pages_print_them(head, body):
    r = gxtables.parse(head + "\n一、总体情况\n全年主动公开信息20条。\n二、主动公开政府信息情况\n")
    assert r.body == body


def test_a_page_cut_inside_the_first_table_header_says_so():
    text = ("某镇2021年政府信息公开工作年度报告\n一、总体情况\n全年主动公开信息20条。\n二、主动公开政府信息情况\n"
            "第二十条第(一)项\n\n信息内容\n\n本年制发件数\n\n本年")
    r = gxtables.parse(text)
    assert not r.placed_cells and "stops inside the statutory tables" in r.reason
