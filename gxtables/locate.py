"""Stage 2 — locate: title, reporting year and body, the six sections, the edition, the table regions.

Works on normalized text (Simplified, half-width). Nothing here reads numbers out of tables; it only
says where the tables are and which edition's template they follow.
"""
from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

import regex

from .normalize import RE_DROP, NormalizedText, label_key
from .numerals import chinese_number
from .template import Edition

__all__ = ["KINDS", "LEVELS", "SECTION_KEYS", "TABLE_SECTIONS", "Layout", "Section", "body_level", "find_published",
           "normalized_to_layout", "report_kind"]

FIRST_YEAR, LAST_YEAR = 2007, 2030  # reporting years gxtables accepts as plausible

# A report title: "[body] 2020 年[度] [政府]信息公开[工作][年度|情况]报告", spaces and one line break
# allowed between the parts (PDF and markdown renderings); the body may also sit after the year.
# Blank runs are possessive (``*+``): runs of blanks split between optional parts never backtrack.
RE_TITLE = regex.compile(
    r"(?P<year>(?:19|20)\d\d)[ \t]*+年(?:[ \t]*+度)?[ \t]*+(?P<mid>[^\n\d。,;:!?|]{0,30}?)\n?[ \t]*+(?:的)?(?:政府|政务)?"
    r"(?:信息|政务)(?:公开)[ \t]*+(?:工作)?[ \t]*+(?:年度|情况|年报)?[ \t]*+(?:工作)?(?:总结)?[ \t]*+(?:报告|年报)"
    r"(?P<after>[^\n]{0,12})"
)
# What follows "报告" in the title of a notice *about* reports rather than a report.
RE_NOT_REPORT_TAIL = regex.compile(r"^(?:的)?(?:编制|发布|工作的?通知|的?通知|的函|填报|模板|格式|范本|要点)")
RE_NOT_REPORT_HEAD = regex.compile(r"(?:关于做好|关于印发|关于开展|关于报送|通知|格式)$")
# The national format itself (or the notice that issues it), headed by its own name on a line: its
# sections and blank tables are the form every report follows, not a report.
RE_FORMAT_HEADING = regex.compile(r"(?m)^[ \t#*]{0,4}(?:中华人民共和国)?政府信息公开工作年度报告格式(?:\((?:试行|修订)\))?[ \t]*$")
# The opening sentence of a report saying what it is ("本报告根据《中华人民共和国政府信息公开条例》…编制"):
# a page cut before its sections and tables is still a report.
RE_REPORT_OPENING = regex.compile(
    r"(?:^|(?<=[\s。]))本(?:年度)?报告(?:是)?[^。\n]{0,12}?(?:根据|依据|按照)《(?:中华人民共和国)?政府信息公开条例》"
    r"[^。\n]{0,80}?编制")
# Text around a body name that is not part of it.
RE_BODY_PREFIX = regex.compile(r"^.*(?:标题|关于|公布|发布|编制了?|形成了|现将|将|^#+|Page\s*\d+\s*-|@:|:|[,;。》、>›»])\s*")
# The trailing run only starts where a run starts (the lookbehind), so a long run is scanned once.
RE_BODY_STRIP = regex.compile(r"^[\s#*>《\"“【\[(|]++|(?<![\s#*》\"”】\])|,。:])[\s#*》\"”】\])|,。:]++$")
RE_BODY_TRAILING = regex.compile(r"(?:特?编制了?)?(?:本级行政机关|本机关)?(?:的|关于)?$")
# A short name given after the full one: "…发展改革局(以下简称发展改革局)".
RE_ALIAS_NOTE = regex.compile(r"\((?:以下)?简称[^()]{1,20}\)$")
# One blank inside a name as printed ("…管理委员会 卫生健康办公室"): the name reads across it.
RE_BLANK_IN_NAME = regex.compile(r"(?<=\p{Han}) (?=\p{Han})")
# A body named in the first sentence of a report without a title: "2022年,东风区司法局认真…".
RE_BODY_IN_PROSE = regex.compile(
    r"(?:(?:19|20)\d\d年(?:度)?(?:以来)?[,，]?|^)(?P<body>[\p{Han}()]{2,24}?(?:人民政府办公室|人民政府|办事处|街道|委员会|管委会|"
    r"局|委|办|镇|乡|街道|中心|院|所|厅|部|署|处))(?:认真|在|坚持|严格|按照|以|深入|紧紧|全面|围绕|高度|共|政府信息)"
)
RE_PLACE = regex.compile(r"[省市县区镇乡旗州盟村]|街道")  # a name that says where it is
RE_NOT_A_NAME = regex.compile(r"^(?:[市县区省我本该]|结合|根据|按照|依据)|情况$")  # "市财政局", "我局", "结合…情况": not a name

# The statistics period states the reporting year: "统计期限自2020年1月1日起至2020年12月31日止", or a
# whole year spelled out anywhere ("自2022年1月1日至2022年12月31日,通过…").
RE_PERIOD_YEAR = regex.compile(
    r"(?:统计|时限|期限|期间)[^。\n]{0,12}?(?P<year>(?:19|20)\d\d)\s*年\s*1\s*月\s*1\s*日"
    r"|截[止至]到?\s*(?P<year>(?:19|20)\d\d)\s*年\s*12\s*月\s*31\s*日"
    r"|(?P<year>(?:19|20)\d\d)\s*年\s*1\s*月\s*1\s*日[^。\n]{0,6}?[至到—-]\s*(?P=year)\s*年\s*12\s*月\s*31\s*日"
)
# Opening phrases that state the year: "2020年,我局…", "2022年以来", "现将2020年度…".
# Also "2022年度句容市交通运输局认真…", "2019年度街道受理…": the year's work of a body named after it.
RE_PROSE_YEAR = regex.compile(r"(?P<year>(?:19|20)\d\d)\s*年(?:度)?(?=以来|[,，]|全年|我|本|共|内|政府信息公开|政务公开|信息公开)"
                              r"|(?P<year>(?:19|20)\d\d)\s*年度(?=\p{Han}{0,12}?(?:政府|局|委|办|镇|乡|街道|中心|厅|署|院))")
# A date as printed by page chrome ("2025年12月30日 星期二"): not the reporting year.
RE_DATE = regex.compile(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")

# ------------------------------------------------------------------ metadata: published, level, kind
LEVELS = ("province", "city", "county", "township", "department")
KINDS = ("summary", "own")  # a government's report for its whole administration, or one body's own
_YMD = r"(?P<y>(?:19|20)\d\d)[ \t]{0,2}[-/.年][ \t]{0,2}(?P<m>\d{1,2})[ \t]{0,2}[-/.月][ \t]{0,2}(?P<d>\d{1,2})(?!\d)日?"
# A publication date labelled by page chrome: "发布日期:2017-02-21", "發文日期: | 2025-01-16", "时间: 2018-03-30".
# Not a collector's or a browser's clock ("采集时间", "当前时间").
RE_PUBLISHED = regex.compile(r"(?<!采集|抓取|访问|打印|浏览|当前|统计)(?P<label>发布|发文|公开|成文|印发|生成|更新)?(?:日期|时间)"
                             r"[ \t:|\n]{0,8}" + _YMD)
_LABEL_RANK = {"发布": 0, "公开": 1, "发文": 2, "印发": 3, "成文": 3, "更新": 3}  # 发布日期 before 成文日期; unlabelled last
# A bare date-time as page chrome prints it beside the title: "2026-01-22 17:49:17".
RE_DATETIME = regex.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})[ \t]{1,3}\d{1,2}:\d\d")
# A bare ISO date on the lines just under the title: "2024-01-15  来源:本网".
RE_ISO_DATE = regex.compile(r"(?<![\d-])(?P<y>(?:19|20)\d\d)[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?![\d-]|T\d)")
# The date under the signature, on a line of its own near the end: "2021年1月26日", "二〇二一年一月二十六日".
RE_SIGNED = regex.compile(
    r"(?m)^[ \t]{0,40}(?:[\p{Han}()]{2,30}[ \t]{1,40})?"
    r"(?:(?P<y>(?:19|20)\d\d)[ \t]{0,2}年[ \t]{0,2}(?P<m>\d{1,2})[ \t]{0,2}月[ \t]{0,2}(?P<d>\d{1,2})[ \t]{0,2}日"
    r"|(?P<cy>[二〇零一三四五六七八九]{4})年(?P<cm>[一二三四五六七八九十]{1,3})月(?P<cd>[一二三四五六七八九十]{1,3})日)[ \t|]{0,4}$")
# What a body's name ends with tells its level; checked in this order (街道办事处 before 处).
RE_LEVEL = (
    ("township", regex.compile(r"(?:镇|乡|街道|街道办事处|办事处|苏木|街办)(?:人民政府|政府)?(?:办公室|党政办)?$")),
    ("city", regex.compile(r"(?:行政公署|行署)$")),
    ("department", regex.compile(r"(?:局|委员会|委|办公室|办|厅|部|署|中心|院|所|站|队|馆|处|会|公司|集团|学校|大学|医院|银行|管委会)$")),
    ("province", regex.compile(r"^(?:北京|天津|上海|重庆)市(?:人民政府)?$|(?:省|自治区)(?:人民政府)?$")),
    ("county", regex.compile(r"(?:县|区|旗|自治县|特区|林区)(?:人民政府)?$")),
    ("city", regex.compile(r"(?:市|州|盟|地区)(?:人民政府)?$")),
)
# How a report speaks of its own body: "我局", "本镇", "我县".
RE_SELF = regex.compile(r"(?:我|本)(?P<who>局|委|办|厅|中心|院|所|部|署|站|队|镇|乡|街道|街|县|区|旗|市|省)(?![长委])")
# A department named without its place, as reports do in their opening: "市财政局高度重视…"; or "我单位".
RE_DEPARTMENT_NAME = regex.compile(
    r"(?<![\p{Han}])[市县区省州][\p{Han}]{1,10}?(?:局|委员会)(?=[\p{Han}]{0,2}(?:认真|高度|严格|坚持|按照|围绕|共|全年|(?:19|20)\d\d))")
_SELF_LEVEL = {"镇": "township", "乡": "township", "街道": "township", "街": "township", "县": "county", "区": "county",
               "旗": "county", "市": "city", "省": "province"}
# A body that is a government rather than one of its departments: "通榆县人民政府", "三明市".
RE_GOVERNMENT = regex.compile(r"(?:人民政府|[省市县区旗州盟])$")
# Words saying a report covers a whole administration: "全县各级行政机关", "县政府、各部门及所辖各乡镇", "汇总".
RE_SUMMARY_TEXT = regex.compile(
    r"全[县市区省旗](?:各级)?(?:行政机关|各部门|政府系统|各乡镇)|[县市区省]政府(?:及|、|和)(?:其)?各部门|所辖各?(?:乡镇|部门)|汇总(?:编制|形成|整理)"
    r"|(?:公布|发布)[\p{Han}]{2,20}人民政府(?:19|20)\d\d年")

SECTION_KEYS = ("overview", "proactive", "applications", "appeals", "problems", "other")
TABLE_SECTIONS = {"proactive": "proactive", "applications": "applications", "appeals": "appeals"}
# A heading starts a line, a cell or a sentence. Blanks before it are not part of the match: the
# lookbehind accepts a blank too, and a pattern that began with a blank run would rescan the run from
# each of its characters.
_NUM = r"(?:^|(?<=[\s|>#*。;:)）]))"
# Section headings of the 2019/2021 formats, with the variants seen in real reports.
RE_SECTIONS = {
    "overview": regex.compile(_NUM + r"一[、.,][ \t]*(?:政府信息公开(?:工作)?)?(?:总体情况|总体概述|基本情况|总体概况)"),
    "proactive": regex.compile(_NUM + r"二[、.,][ \t]*(?:行政机关)?主动公开政府(?:信息|政府)(?:的)?情况"),
    "applications": regex.compile(_NUM + r"三[、.,][ \t]*收到和处理政府信息公开(?:的)?申请(?:的)?情况"),
    "appeals": regex.compile(_NUM + r"四[、.,][ \t]*[^\n。|]{0,22}?行政复议[^\n。|]{0,10}?行政诉讼[^\n。|]{0,4}?情况"),
    "problems": regex.compile(_NUM + r"五[、.,][ \t]*[^\n。|]{0,16}?(?:问题|不足)[^\n。|0-9]{0,14}"),
    "other": regex.compile(_NUM + r"六[、.,][ \t]*其他需要报告的事项"),
}
# Headings of the pre-2019 structure (2007 条例): 概述, 依申请公开, 收费及减免.
RE_OLD_SECTIONS = regex.compile(
    _NUM + r"[一二三四五六七八][、.,][ \t]*(?:[^\n。|]{0,12}?依申请公开|[^\n。|]{0,16}?收费(?:及|和|与)?(?:的)?减免|"
    r"[^\n。|]{0,12}?不予公开|概述[:：]?(?=\s|$)|[^\n。|]{0,12}?相关费用)"
)
# Where each table starts when its section heading is missing or far away (a caption may be broken
# over two lines at a <br>, or inside a grid's cell: "第二十条\n第(一)项", "| 第二十条   |\n| 第（一）项 |").
RE_T2_START = regex.compile(r"第二十条[ \t|]*+(?:\n[ \t|]*+)?(?:第[ \t]*+)?\([一二三四五六七八九、()]{1,12}\)?[ \t]*项"
                            r"|第二十条[ \t|]*+(?:\n[ \t|]*+)?第")
# The header of table 二's first block, when its caption "第二十条第（一）项" is not printed.
RE_T2_HEADER = regex.compile(r"信息内容[\s|]{1,8}本年")
RE_T3_START = regex.compile(r"\(本列数据的勾稽关系|本列数据的勾稽关系|申请人情况|本年新收政府信息公开申请数量")
# (Not the section's name in a sentence: "…政府信息公开行政复议行政诉讼情况、存在的主要问题…".)
RE_T4_START = regex.compile(r"行政复议[\s|]{0,12}行政诉讼(?![\s|]{0,4}(?:情况|案件|工作))|结果[\s|]{0,4}维持[\s|]{0,12}结果[\s|]{0,4}纠正")

FIRST_WORDS = {"proactive": RE_T2_START, "applications": RE_T3_START, "appeals": RE_T4_START}  # each table's first words
RE_SENTENCE_END = regex.compile(r"[。;!?]")  # a sentence ended: prose, not a table's caption or header
# How much a table region may hold, in printed (non-blank) characters: a space layout (w3m, pandoc)
# pads a table with blanks, which do not count; the region never spans more than CAP_BLANKS times its
# cap in all, so that a run of blanks stays cheap.
REGION_CAP = {"proactive": 8000, "applications": 12000, "appeals": 3000}
CAP_BLANKS = 4
RE_PRINTED_RUN = regex.compile(r"\S++")  # printed characters between blanks


@dataclass
class Section:
    key: str
    heading: str
    start: int  # offset of the heading in the normalized text
    end: int  # offset where the next section starts
    body_start: int = 0  # offset just after the heading


@dataclass
class Layout:
    """Where things are in a report, and what it is."""

    is_report: bool
    reason: str | None
    title: str | None
    year: int | None
    year_source: str | None
    body: str | None
    structure: str | None  # "new" (2019/2021 sections), "old" (pre-2019 sections) or None
    sections: list[Section] = field(default_factory=list)
    regions: dict[str, tuple[int, int]] = field(default_factory=dict)
    edition: str | None = None
    edition_source: str | None = None
    marker_hits: dict[str, int] = field(default_factory=dict)
    published: datetime.date | None = None
    level: str | None = None  # one of LEVELS
    kind: str | None = None  # one of KINDS


def _date(m: regex.Match) -> datetime.date | None:
    try:
        if m.groupdict().get("cy"):
            y, mo, d = chinese_number(m["cy"]), chinese_number(m["cm"]), chinese_number(m["cd"])
            return datetime.date(y, mo, d) if None not in (y, mo, d) else None
        return datetime.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None


def find_published(text: str, year: int | None, report_start: int = 0) -> datetime.date | None:
    """The publication date the page states: a labelled date near the title (发布日期 first), a bare
    date-time or date beside it, or the date under the signature. A date inside the reporting year is
    not a publication date."""
    def ok(d: datetime.date | None) -> bool:
        return d is not None and (year is None or d.year > year) and d.year <= LAST_YEAR + 1

    head = text[max(0, report_start - 1500): report_start + 1500]
    labelled = [(_LABEL_RANK.get(m["label"] or "", 4), m.start(), d) for m in RE_PUBLISHED.finditer(head) if ok(d := _date(m))]
    if labelled:
        return min(labelled)[2]
    near = text[max(0, report_start - 300): report_start + 300]
    for pattern, where in ((RE_DATETIME, head), (RE_ISO_DATE, near)):
        for m in pattern.finditer(where):
            if ok(d := _date(m)):
                return d
    signed = [d for m in RE_SIGNED.finditer(text, max(0, len(text) - 600)) if ok(d := _date(m))]
    return signed[-1] if signed else None


def body_level(body: str | None, text: str = "") -> str | None:
    """The level of the reporting body (LEVELS), from its name, else from how the report names itself."""
    if body:
        name = regex.sub(r"\(.*?\)$", "", body.strip())
        for level, pattern in RE_LEVEL:
            if pattern.search(name):
                return level
    said = Counter(m["who"] for m in RE_SELF.finditer(text, endpos=min(len(text), 20000)))
    if not said:
        head = text[:1500]
        return "department" if RE_DEPARTMENT_NAME.search(head) or "我单位" in head else None
    if any(w not in _SELF_LEVEL for w in said):
        return "department"
    for level in ("township", "county", "city", "province"):
        if any(_SELF_LEVEL[w] == level for w in said):
            return level
    return None


def report_kind(body: str | None, level: str | None, text: str = "") -> str | None:
    """"summary" for a government's report on its whole administration, "own" for one body's own report."""
    name = (body or "").strip()
    if level == "township":
        return "own"  # a township has no administration below it to summarise
    if level in ("province", "city", "county") and (not name or RE_GOVERNMENT.search(name)):
        return "summary"  # a government at county level or above (unnamed: it speaks of 我县, 我市)
    cue = RE_SUMMARY_TEXT.search(text, endpos=min(len(text), 20000)) is not None
    if cue and (not name or name.endswith(("人民政府办公室", "政府办公室", "政府办"))):
        return "summary"
    return "own" if level is not None else None


def _find_title(text: str) -> tuple[regex.Match | None, bool]:
    """The first report title, and whether a notice-about-reports title was seen instead."""
    notice = False
    for m in RE_TITLE.finditer(text, endpos=min(len(text), 6000)):
        year = int(m["year"])
        head = text[max(0, m.start() - 12): m.start()]
        if RE_NOT_REPORT_TAIL.match(m["after"].strip()) or RE_NOT_REPORT_HEAD.search(head.strip()):
            notice = True
            continue
        if FIRST_YEAR <= year <= LAST_YEAR:
            return m, notice
    return None, notice


def _clean_body(candidate: str) -> str | None:
    """Trim page chrome, verbs and brackets around a body name; None when nothing name-like is left."""
    name = RE_BODY_TRAILING.sub("", RE_BODY_STRIP.sub("", candidate.strip()))
    name = RE_BODY_PREFIX.sub("", name)
    name = RE_BLANK_IN_NAME.sub("", RE_BODY_STRIP.sub("", name).strip())
    if name.count("(") == name.count(")") + 1 and name + ")" in RE_BLANK_IN_NAME.sub("", candidate):
        name += ")"  # "海关总署(本级机关)": the closing bracket belongs to the name
    name = RE_ALIAS_NOTE.sub("", name)
    if RE_NOT_A_NAME.search(name):
        return None
    if not (2 <= len(name) <= 40) or not regex.fullmatch(r"[\p{Han}()·、\w]+", name):
        return None
    if regex.search(r"\d", name):
        return None
    return name


def _body_from_title(text: str, m: regex.Match) -> str | None:
    mid = regex.sub(r"^(?:的|关于)", "", m["mid"].strip())
    in_title = _clean_body(mid) if mid and not regex.fullmatch(r"(?:的|政府|工作)?", mid) else None
    line_start = text.rfind("\n", 0, m.start()) + 1
    before = text[line_start:m.start()]
    body = _clean_body(before) if before.strip() else None
    if in_title and not (body and in_title in body):  # "海关总署2010年海关信息公开…": the name before the year
        return in_title
    if body:
        return body
    if not before.strip():
        # The title is split over two lines: "孝感市人民政府办公室\n2020年政府信息公开工作年度报告".
        prev_end = line_start - 1
        while prev_end > 0 and text[prev_end - 1] in " \t\n":
            prev_end -= 1
        prev_start = text.rfind("\n", 0, prev_end) + 1
        prev = text[prev_start:prev_end]
        if 2 <= len(prev.strip()) <= 30:
            return _clean_body(prev)
    return None


def _body_from_prose(text: str) -> str | None:
    for m in RE_BODY_IN_PROSE.finditer(text, endpos=min(len(text), 3000)):
        name = RE_ALIAS_NOTE.sub("", m["body"])
        if RE_NOT_A_NAME.search(name) or not RE_PLACE.search(name[1:] + name[-1:]):
            continue
        return name
    return None


def _find_year(text: str, title: regex.Match | None, report_start: int) -> tuple[int | None, str | None]:
    if title is not None:
        return int(title["year"]), "title"
    head = text[: report_start + 4000]
    if m := RE_PERIOD_YEAR.search(head):
        return int(m["year"]), "statistics period"
    dates = {d.start() for d in RE_DATE.finditer(head)}
    for m in RE_PROSE_YEAR.finditer(head):
        if m.start() not in dates and FIRST_YEAR <= int(m["year"]) <= LAST_YEAR:
            return int(m["year"]), "opening text"
    return None, None


def _find_sections(text: str) -> list[Section]:
    """The first heading of each section, in text order, each ending where the next begins."""
    found: list[tuple[int, str, str]] = []
    for key in SECTION_KEYS:
        m = RE_SECTIONS[key].search(text)
        if m:
            found.append((m.start() + len(m.group(0)) - len(m.group(0).lstrip()), key, m.group(0).strip()))
    found.sort()
    # keep the sections in their statutory order: a heading found before an earlier section's is a mention
    ordered: list[tuple[int, str, str]] = []
    for item in found:
        if ordered and SECTION_KEYS.index(item[1]) < SECTION_KEYS.index(ordered[-1][1]):
            continue
        ordered.append(item)
    sections = []
    for i, (start, key, heading) in enumerate(ordered):
        end = ordered[i + 1][0] if i + 1 < len(ordered) else len(text)
        sections.append(Section(key, heading, start, end, start + len(heading)))
    return sections


def _capped_end(text: str, start: int, end: int, cap: int) -> int:
    """Where a region starting at ``start`` reaches ``cap`` printed characters (or ``end``)."""
    end = min(end, start + CAP_BLANKS * cap)
    if end - start <= cap:
        return end
    seen = 0
    for m in RE_PRINTED_RUN.finditer(text, start, end):
        if seen + (m.end() - m.start()) >= cap:
            return m.start() + (cap - seen)
        seen += m.end() - m.start()
    return end


def _prose_before(text: str, start: int, end: int) -> bool:
    """True when what stands between a section heading and its table's first words is a sentence."""
    return RE_SENTENCE_END.search(text, start, end) is not None


def _tables_after_prose(text: str, sections: list[Section], by_key: dict[str, Section], starts: dict[str, int]) -> None:
    """Tables printed after all the prose (trafilatura puts a page's article in one cell and its tables
    after it): where a table section holds none of its table's first words and they follow the last
    section heading, the table starts there."""
    if not sections:
        return
    after = max(s.start for s in sections)
    for key, first_words in FIRST_WORDS.items():
        section = by_key.get(key)
        if section is None or first_words.search(text, section.start, section.end):
            continue
        if m := first_words.search(text, max(after, section.end)):
            starts[key] = m.start()


def _find_regions(text: str, sections: list[Section]) -> dict[str, tuple[int, int]]:
    """Spans of the three tables, from section headings and the tables' own first words."""
    by_key = {s.key: s for s in sections}
    starts: dict[str, int] = {}

    def after(key: str) -> int:
        return by_key[key].start if key in by_key else 0

    t2_from = after("proactive")
    if m := RE_T2_START.search(text, t2_from):
        starts["proactive"] = m.start() if "proactive" not in by_key else min(m.start(), by_key["proactive"].end)
        if "proactive" in by_key and (head := RE_T2_HEADER.search(text, by_key["proactive"].body_start, m.start())):
            starts["proactive"] = head.start()  # the first block printed without its caption
    elif "proactive" in by_key and (head := RE_T2_HEADER.search(text, by_key["proactive"].body_start, by_key["proactive"].end)):
        starts["proactive"] = head.start()  # a table printed without any of its captions
    for key, after_key in (("applications", "proactive"), ("appeals", "applications")):
        first_words = FIRST_WORDS[key]
        if key in by_key:
            section = by_key[key]
            starts[key] = section.body_start
            # prose before the table ("其中,予以公开2件,…") is the report's words, not the table's
            if (m := first_words.search(text, section.body_start, section.end)) and _prose_before(text, section.body_start, m.start()):
                starts[key] = m.start()
        elif m := first_words.search(text, starts.get(after_key, 0)):
            starts[key] = m.start()
    # a table section that only holds prose ends where the table it precedes starts
    if "proactive" in starts and "proactive" in by_key and starts["proactive"] >= by_key["proactive"].end:
        del starts["proactive"]
    _tables_after_prose(text, sections, by_key, starts)
    boundaries = sorted(set(starts.values()) | {s.start for s in sections} | {s.body_start for s in sections}
                        | {len(text)})
    regions = {}
    for key, start in starts.items():
        end = next((b for b in boundaries if b > start), len(text))  # a heading that ends the text: empty
        regions[key] = (start, _capped_end(text, start, end, REGION_CAP[key]))
    return regions


def _count_markers(text: str, regions: dict[str, tuple[int, int]], editions: tuple[Edition, ...]) -> dict[str, int]:
    keyed = label_key("".join(text[s:e] for s, e in regions.values()))
    return {ed.edition: sum(keyed.count(k) > 0 for k in ed.marker_keys) for ed in editions}


def _choose_edition(layout: Layout, editions: tuple[Edition, ...]) -> tuple[str | None, str | None]:
    hits = layout.marker_hits
    ranked = sorted(hits.items(), key=lambda kv: -kv[1])
    if ranked and ranked[0][1] > 0 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0], "table labels"
    if layout.year is not None and layout.year < editions[0].first_year:
        return "pre2019", "reporting year before the statutory tables"
    if layout.structure == "old" and not layout.regions:
        return "pre2019", "pre-2019 section structure"
    if layout.year is not None:
        for ed in editions:
            if ed.covers(layout.year):
                return ed.edition, "reporting year"
    return None, None


def normalized_to_layout(nt: NormalizedText, editions: tuple[Edition, ...]) -> Layout:
    """Find title, year, body, sections, table regions and edition in a normalized report."""
    text = nt.text
    title, notice = _find_title(text)
    sections = _find_sections(text)
    old = len({m.group(0).strip()[2:6] for m in RE_OLD_SECTIONS.finditer(text)})
    keys = {s.key for s in sections}
    new = len(keys & {"overview", "applications", "appeals"}) + ("proactive" in keys and "applications" in keys)
    structure = "new" if new >= 1 and new >= old else ("old" if old >= 2 or (old and not new) else None)
    report_start = title.start() if title else (sections[0].start if sections else 0)
    year, year_source = _find_year(text, title, report_start)
    regions = _find_regions(text, sections) if structure != "old" or RE_T2_START.search(text) else {}
    body = (_body_from_title(text, title) if title else None) or _body_from_prose(text[report_start:])
    body_key = body  # the name in normalized text (Simplified), for telling its level
    if body and (at := text.find(body, max(0, report_start - 200))) >= 0:
        body = RE_DROP.sub("", nt.raw_slice(at, at + len(body)))  # as printed, without pinyin
    the_format = title is None and bool(RE_FORMAT_HEADING.search(text, 0, min(len(text), 6000)))
    opening = RE_REPORT_OPENING.search(text, 0, min(len(text), 6000)) is not None
    is_report = (bool(title) or bool(regions) or structure is not None or opening) and not the_format
    reason = None
    if not is_report:
        year = body = None
        reason = ("the national format of the annual reports (or the notice issuing it), not a report" if the_format
                  else "a notice or document about annual reports, not a report itself" if notice
                  else "no report title, no statutory sections and no statutory tables were found")
    layout = Layout(is_report, reason, title.group(0).strip() if title else None, year, year_source,
                    body, structure, sections, regions)
    if is_report:
        layout.marker_hits = _count_markers(text, regions, editions)
        layout.edition, layout.edition_source = _choose_edition(layout, editions)
        layout.published = find_published(text, year, report_start)
        layout.level = body_level(body_key, text)
        layout.kind = report_kind(body_key, layout.level, text)
    return layout


