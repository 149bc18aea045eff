"""Stage — narrative: the figures a report states in its prose ("主动公开信息825条", "未收到申请").

Reads only prose: the normalized text outside the table regions that locate found, and outside
pipe-separated table rows. Which words name which quantity is data (``narrative.toml``, loaded and
validated by :mod:`gxtables.vocabulary`). Every figure keeps its place (offsets, sentence), so a check can point at it.

Before 2019 the prose is all a report has; after 2019 the figures are checked against the tables
(N.TEXT in check.py), and where the tables are missing the prose is balanced on its own (N.BAL).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from functools import lru_cache

import regex

from .normalize import RE_DROP, NormalizedText
from .numerals import chinese_number
from .vocabulary import (
    FIGURE,
    Pattern,
    Quantity,
    VocabularyError,
    pattern_reach,
    quantity_ids,
    required_words,
    vocabulary,
    vocabulary_from_toml,
)

# the stage's own names, and the numeral utility and vocabulary it reads with (defined in numerals.py
# and vocabulary.py), still importable from here
__all__ = [
    "Figure",
    "PlacedFigure",
    "Quantity",
    "VocabularyError",
    "chinese_number",
    "place_figures",
    "prose_to_figures",
    "quantity_ids",
    "vocabulary",
    "vocabulary_from_toml",
]

RE_FIGURE = regex.compile(FIGURE)  # one figure on its own: where a pattern's {N} can start
# The last character of every unit a figure can carry: prose without one states no figure in digits.
RE_UNIT_END = regex.compile(r"[元件条个项宗起篇份例次]")
# What follows a unit in set phrases that are not counts: "一件事一次办", "一条龙服务", "一条主线".
RE_SET_PHRASE = regex.compile(r"(?<=件)事(?!项)|(?<=条)(?:龙|主线|底线|红线|途径|渠道)")
SENTENCE_ENDS = "。!?\n"  # a sentence ends at a stop or a line break (hard wraps are joined first)
# A character a hard-wrapped line can end or begin with mid-sentence: a Han character, a digit or a letter.
RE_WORD_CHAR = regex.compile(r"[\p{Han}\w]")
# A cell of a pipe row that holds prose: a sentence, or twelve Han characters.
RE_PROSE_CELL = regex.compile(r"。|(?:\p{Han}[^|\n]{0,3}){12}")
# Headings that open a new subsection: "(二)", "三、", "2." — the reach of a topic stops there.
RE_HEADING = regex.compile(r"(?:^|(?<=[\s。;:!?]))(?:\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}[、.]|(?<![\d.])\d{1,2}[.、](?!\d))")
# A heading run into the sentence that follows it: "六、其他需要报告的事项 2024年,…" (cut from the sentence).
RE_HEADING_RUN_IN = regex.compile(r"(?:\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}、)[^\s。,;:!?]{2,24}[ \t]{1,4}")
# A line that is a heading: numbered "四、…", "(二)…", "3.…" (a heading is never wrapped into the next line).
RE_HEADING_LINE = regex.compile(r"[ \t]{0,8}(?:\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}[、.]|\d{1,2}[.、](?!\d))")
# Words that make a number a change or a share rather than a count: "较上年增加12条", "占30%".
RE_NOT_A_COUNT = regex.compile(r"增加|增长|减少|下降|上升|同比|环比|较上年|比上年|较去年|比去年|占|比例|率|平均|人次")
# A cumulative figure: "历年", "至今", "建站以来"; or 累计 "as of" a date, or without the reporting year.
RE_CUMULATIVE = regex.compile(r"历年|至今|迄今|建[站网]以来|开通以来|成立以来|上线以来|以来累计|累计至")
# Words of a total that is cumulative unless the sentence names the reporting year: "累计主动公开…".
RE_TOTAL_WORD = regex.compile(r"累计|总数|总量")
# "As of" a date: with 累计 it makes a running total, whatever the date.
RE_AS_OF = regex.compile(r"截[至止]|到目前|目前为止|迄今")
# The reporting year scoped in words: "全年", "本年度", "今年", "年内".
RE_YEAR_WORDS = regex.compile(r"全年|本年|今年|年内|年度|一年来")
# A year named in a sentence ("2022年", "2022 年度"), for telling another year's figures apart.
RE_YEAR = regex.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)\s{0,2}年")
# Last year named in words within the figure's clause ("上年度收到申请5件"), not a comparison or 上年结转.
RE_LAST_YEAR = regex.compile(r"(?<![较比与同])(?:去年|上一?年度?)(?!结转|转结|遗留|同期)")
# Where a clause starts: the last comma, semicolon, colon or stop before a figure.
RE_CLAUSE_END = regex.compile(r"[,;:。!?\n]")
# Runs of spaces inside a sentence as printed.
RE_SPACES = regex.compile(r"[ \t]{2,}")
# A line break inside a sentence as printed (a hard wrap), with the spaces around it.
RE_WRAP = regex.compile(r"[ \t]{0,40}\n[ \t]{0,40}")
TOPIC_REACH = 240  # characters a topic reaches back, within one subsection
# Figures (numbers with a unit) read in one report's prose: real reports state at most a few dozen
# (44 in the most of the corpora); text holding thousands is not a report's prose, and each figure
# costs a sentence's reading, so reading stops after these (Report.notes says where).
MAX_FIGURES = 2_000

@dataclass(frozen=True)
class Figure:
    """One figure stated in the prose; offsets are in the normalized text."""

    quantity: str  # the quantity, or the group of a reason (本机关不掌握 → "unavailable")
    value: float | None  # None for a statement without a figure ("均获维持")
    unit: str | None
    scope: str  # "year" (the reporting year's), "cumulative" (累计, 历年) or "other_year" ("2022年…" in a 2023 report)
    approx: bool  # "120余条": more than the value
    text: str  # the words that state it: "5条", "两件", "未收到"
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    detail: str | None = None  # the reason within the group, when the prose names it ("unavailable_not_held")
    in_words: bool = False  # a zero stated in words ("未收到…申请"), not a figure


# ---------------------------------------------------------------------------- reading
def prose_spans(text: str, regions: dict[str, tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of prose: outside the table regions, and outside pipe rows unless a cell holds a sentence.

    Inside a table region only whole sentences count ("本年度未发生行政复议案件。" above the table).
    """
    cut = sorted(regions.values())
    spans: list[tuple[int, int]] = []
    pos = 0
    for s, e in [*cut, (len(text), len(text))]:
        if s > pos:
            spans.extend(_without_table_lines(text, pos, s))
        spans.extend(_sentence_lines(text, max(pos, s), e))
        pos = max(pos, e)
    return spans


def _sentence_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Lines of a table region that are sentences of prose, not cells: no cell separator, a full stop."""
    out = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        line = text[pos:line_end]
        if "|" not in line and "。" in line and RE_PROSE_CELL.search(line):
            out.append((pos, line_end))
        pos = line_end + 1
    return out


def _without_table_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The lines of ``[start, end)`` that are prose; of a pipe row, only the cells that hold a sentence."""
    out: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        if text.count("|", pos, line_end) >= 2:  # a table row
            cell_start = pos
            for part in text[pos:line_end].split("|"):
                if part.strip() and RE_PROSE_CELL.search(part):  # empty cells (runs of "|") hold no sentence
                    out.append((cell_start, cell_start + len(part)))
                cell_start += len(part) + 1
        elif line_end > pos:
            if out and out[-1][1] >= pos - 1:
                out[-1] = (out[-1][0], line_end)  # one span over consecutive prose lines
            else:
                out.append((pos, line_end))
        pos = line_end + 1
    return out


def _value(m: regex.Match) -> tuple[float | None, str, bool]:
    num = m["num"]
    unit = m["unit"]
    if RE_SET_PHRASE.match(m.string, m.end("unit")) or (not num[0].isdigit() and (unit == "个" or (num == "一" and unit != "件"))):
        return None, unit, False  # "一件事", "一条龙", "两个维护", "一项制度": words, not counts
    value: float | None = float(num.replace(",", "")) if num[0].isdigit() else chinese_number(num)
    if value is not None and m["mult"]:
        value *= 10_000 if m["mult"] == "万" else 100_000_000
    if unit == "万元":
        value, unit = (None if value is None else value * 10_000), "元"
    return value, unit, bool(m["approx"])


def _sentence(text: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    """The sentence around ``pos``: from the last stop or line break to the next one, at most 300 back and on."""
    floor, ceiling = max(lo, pos - 300), min(hi, pos + 300)
    start = max(floor, max(text.rfind(c, floor, pos) for c in SENTENCE_ENDS) + 1)
    for h in RE_HEADING_RUN_IN.finditer(text, start, pos):
        start = h.end()
    ends = [i for i in (text.find(c, pos, ceiling) for c in SENTENCE_ENDS) if i >= 0]
    return start, (min(ends) + 1 if ends else ceiling)


def _section_start(text: str, pos: int, lo: int) -> int:
    """Where the subsection holding ``pos`` starts (its heading), at most TOPIC_REACH back.

    ``pos`` is the end of the matched words, so that a topic named in them counts ("未收取信息处理费").
    """
    floor = max(lo, pos - TOPIC_REACH)
    last = floor
    for m in RE_HEADING.finditer(text, floor, pos):
        last = m.start()
    return last


def _on_topic(q: Quantity, text: str, pos: int, lo: int) -> bool:
    if q.topic is None:
        return True
    window = text[_section_start(text, pos, lo):pos]
    topics = [m.end() for m in q.topic.finditer(window)]
    if not topics:
        return False
    if q.rival is not None and any(m.end() > topics[-1] for m in q.rival.finditer(window)):
        return False
    return True


def _scope(text: str, sent_start: int, pos: int, year: int | None) -> str:
    before = text[sent_start:pos]
    years = {int(m["year"]) for m in RE_YEAR.finditer(before)}
    if year is not None and years and year not in years and max(years) < year:
        return "other_year"
    clause = before[max((m.end() for m in RE_CLAUSE_END.finditer(before)), default=0):]
    if RE_LAST_YEAR.search(clause):
        return "other_year"
    if RE_CUMULATIVE.search(before):
        return "cumulative"
    if RE_TOTAL_WORD.search(before):
        if RE_AS_OF.search(before):  # "截至2019年12月31日,累计主动公开…": a running total
            return "cumulative"
        said_year = RE_YEAR_WORDS.search(before) or (year is not None and str(year) in before)
        return "year" if said_year else "cumulative"
    return "year"


def prose_to_figures(nt: NormalizedText, regions: dict[str, tuple[int, int]], year: int | None = None,
                     notes: list[str] | None = None) -> list[Figure]:
    """Every figure of the vocabulary's quantities stated in the prose, in text order.

    Each prose span is read with its hard wraps joined ("收到政府信息公开申\n请5件" is one phrase); the
    figures' offsets are then given back in the normalized text. Prose holding more than
    :data:`MAX_FIGURES` numbers with a unit is read up to the end of the sentence of the last one, and
    ``notes`` says so: no report comes near that many, and each costs a sentence's reading.
    """
    text = nt.text
    figures: list[Figure] = []
    budget = MAX_FIGURES
    for lo, hi in prose_spans(text, regions):
        if budget <= 0:
            break
        if RE_UNIT_END.search(text, lo, hi):  # without a unit, no figure in digits: nothing to count
            stop, count = _figures_stop(text, lo, hi, budget)
            if stop is None:
                budget -= count
            else:
                hi, budget = stop, 0
                if notes is not None:
                    notes.append(f"the prose states more than {MAX_FIGURES:,} figures: it was read up to line "
                                 f"{nt.raw_line(hi)}, the figures after it were not")
        joined, where = _unwrap(text, lo, hi)
        figures.extend(_moved(f, where) for f in _span_figures(joined, year))
    figures.sort(key=lambda f: (f.start, f.quantity))
    return _drop_repeats(_drop_breakdowns(figures, text))


def _figures_stop(text: str, lo: int, hi: int, budget: int) -> tuple[int | None, int]:
    """Where to stop reading ``text[lo:hi]`` so that it holds ``budget`` figures (the end of the sentence
    of the last one kept; None when the span holds no more than that), and how many it holds."""
    n = last = 0
    for m in RE_FIGURE.finditer(text, lo, hi, overlapped=True):
        n += 1
        if n == budget:
            last = m.end()
        elif n > budget:
            ends = [i for i in (text.find(c, last, hi) for c in SENTENCE_ENDS) if i >= 0]
            return (min(ends) + 1 if ends else hi), budget
    return None, n


def _may_match(pattern: Pattern, text: str, seen: dict[str, bool] | None = None) -> bool:
    """False when the text lacks every word the pattern requires: no need to scan it (nor to compile
    it). ``seen``: the words already looked for in this text, each found once per span."""
    words = required_words(pattern.pattern)
    if words is None:
        return True
    if seen is None:
        return any(w in text for w in words)
    for w in words:
        found = seen.get(w)
        if found is None:
            found = seen[w] = w in text
        if found:
            return True
    return False


@lru_cache(maxsize=256)
def _windows(starts: tuple[int, ...], reach: int, length: int) -> list[tuple[int, int, int]]:
    """(scan from, scan to, last start kept) around the figures: a match holding a figure starting at
    ``s`` begins within ``reach`` before it and looks no further than ``reach`` on either side."""
    out: list[tuple[int, int, int]] = []
    for s in starts:
        lo, hi = max(0, s - 2 * reach), min(length, s + reach)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi, s)
        else:
            out.append((lo, hi, s))
    return out


def _matches(pattern: Pattern, text: str, starts: list[int], seen: dict[str, bool] | None = None) -> list[regex.Match]:
    """Every overlapped match of a figure pattern, scanning only the text around the figures.

    Each window ends ``reach`` after its last figure, so a match that starts at or before that figure
    is the one a scan of the whole span finds there; later starts are left to the next window.
    """
    if not _may_match(pattern, text, seen):
        return []
    reach = pattern_reach(pattern.pattern)
    if reach is None:
        return list(pattern.finditer(text, overlapped=True))
    return [m for lo, hi, last in _windows(tuple(starts), reach, len(text))
            for m in pattern.finditer(text, lo, hi, overlapped=True) if m.start() <= last]


def _span_figures(text: str, year: int | None) -> list[Figure]:
    """The figures of one span of prose; where several quantities reach a number, the first listed wins."""
    by_span: dict[tuple[int, int], tuple[int, Figure]] = {}  # the figure's span → (precedence, figure)
    lo, hi = 0, len(text)
    starts = [m.start() for m in RE_FIGURE.finditer(text, overlapped=True)] if RE_UNIT_END.search(text) else []
    seen: dict[str, bool] = {}  # required words looked for in this span
    for rank, q in enumerate(vocabulary()):
        for pattern in q.patterns:
            found = ((pattern.finditer(text, overlapped=True) if _may_match(pattern, text, seen) else ()) if q.statement
                     else _matches(pattern, text, starts, seen) if starts else ())
            for m in found:
                fig = _figure_from_match(q, m, text, lo, hi, year)
                if fig is None:
                    continue
                key = (fig.start, fig.end) if not q.statement else (m.end(), -rank)
                if key not in by_span or by_span[key][0] > rank:
                    by_span[key] = (rank, fig)
        for pattern in q.zero:
            if not _may_match(pattern, text, seen):
                continue
            for m in pattern.finditer(text):
                if not _on_topic(q, text, m.end(), lo):
                    continue
                s0, s1 = _sentence(text, m.start(), lo, hi)
                key = (m.start(), -1000 - rank)  # zeros in words never compete with digits
                by_span.setdefault(key, (rank, Figure(q.part_of or q.id, 0.0, q.units[0], "year", False, m.group(0),
                                                      m.start(), m.end(), s0, s1, in_words=True)))
    return [f for _, f in by_span.values()]


def _unwrap(text: str, lo: int, hi: int) -> tuple[str, _Offsets]:
    """``text[lo:hi]`` with its hard wraps removed, and the map of its offsets back to ``text``."""
    pieces: list[str] = []
    joined_starts: list[int] = []
    text_starts: list[int] = []
    length = 0

    def keep(a: int, b: int) -> None:
        nonlocal length
        if b > a:
            pieces.append(text[a:b])
            joined_starts.append(length)
            text_starts.append(a)
            length += b - a

    pos = lo
    for m in RE_WRAP.finditer(text, lo, hi):
        nl = text.index("\n", m.start(), m.end())
        before, after = text[m.start() - 1: m.start()], text[m.end(): m.end() + 1]
        line_start = text.rfind("\n", 0, nl) + 1
        line = text[line_start:nl]
        wrapped = (nl - line_start >= 20 and (bool(RE_WORD_CHAR.match(before)) or before in ",、")
                   and bool(RE_WORD_CHAR.match(after)) and not (RE_HEADING_LINE.match(line) and "。" not in line))
        if not wrapped:
            continue
        keep(pos, m.start())
        pos = m.end()
    keep(pos, hi)
    return "".join(pieces), _Offsets(joined_starts, text_starts, length)


@dataclass(frozen=True)
class _Offsets:
    """Where each character of an unwrapped span is in the text: one entry per piece kept between two
    hard wraps, not one per character (a span can be the whole of a 20 MB text)."""

    joined_starts: list[int]
    text_starts: list[int]
    length: int

    def __getitem__(self, i: int) -> int:
        k = bisect.bisect_right(self.joined_starts, i) - 1
        return self.text_starts[k] + i - self.joined_starts[k]

    def __len__(self) -> int:
        return self.length


def _moved(f: Figure, where: _Offsets) -> Figure:
    """A figure found in an unwrapped span, with its offsets in the normalized text."""
    def start(i: int) -> int:
        return where[min(i, len(where) - 1)]

    def end(i: int) -> int:
        return where[max(0, min(i, len(where)) - 1)] + 1

    return replace(f, start=start(f.start), end=end(f.end), sentence_start=start(f.sentence_start),
                   sentence_end=end(f.sentence_end))


def _figure_from_match(q: Quantity, m: regex.Match, text: str, lo: int, hi: int, year: int | None) -> Figure | None:
    if q.statement:
        if not _on_topic(q, text, m.end(), lo) or (q.exclude is not None and q.exclude.search(m.group(0))):
            return None
        s0, s1 = _sentence(text, m.start(), lo, hi)
        return Figure(q.id, None, None, "year", False, m.group(0), m.start(), m.end(), s0, s1)
    value, unit, approx = _value(m)
    if value is None or unit not in q.units:
        return None
    words = text[m.start():m.start("fig")] + text[m.end("fig"):m.end()]
    if RE_NOT_A_COUNT.search(words) or (q.exclude is not None and q.exclude.search(words)):
        return None
    after = text[m.end("fig"):m.end("fig") + 2]
    if after[:1] in "%％":
        return None
    approx = approx or after.startswith("以上")  # "50件以上": at least
    if not _on_topic(q, text, m.end(), lo):
        return None
    s0, s1 = _sentence(text, m.start("fig"), lo, hi)
    return Figure(q.part_of or q.id, value, unit, _scope(text, s0, m.start("fig"), year), approx, m["fig"],
                  m.start("fig"), m.end("fig"), s0, s1, q.id if q.part_of else None)


def _drop_breakdowns(figures: list[Figure], text: str) -> list[Figure]:
    """Drop parts of a figure already stated: "主动公开信息287条，其中…主动公开76条" keeps 287."""
    out: list[Figure] = []
    stated: dict[tuple[str, int], Figure] = {}  # (quantity, sentence) → its last figure
    for f in figures:
        key = (f.quantity, f.sentence_start)
        earlier = stated.get(key)
        if earlier is not None and "其中" in text[earlier.end:f.start]:
            continue
        if f.value is not None:
            stated[key] = f
        out.append(f)
    return out


def _drop_repeats(figures: list[Figure]) -> list[Figure]:
    """A zero in words that another figure of the same quantity in the same sentence already states."""
    digits = {(f.quantity, f.sentence_start) for f in figures if not f.in_words}
    out: list[Figure] = []
    seen: set[tuple[str, int]] = set()
    for f in figures:
        key = (f.quantity, f.sentence_start)
        if f.in_words and (key in digits or key in seen):
            continue
        if f.in_words:
            seen.add(key)
        out.append(f)
    return out


@dataclass(frozen=True)
class PlacedFigure:
    """A figure with its place in the raw text: line, character offsets, and its sentence as printed."""

    figure: Figure
    line: int
    char_start: int
    char_end: int
    sentence: str


def place_figures(nt: NormalizedText, figures: list[Figure]) -> list[PlacedFigure]:
    """Translate each figure's normalized offsets to the raw text, and cut its sentence as printed."""
    out = []
    for f in figures:
        sentence = RE_DROP.sub("", nt.raw_slice(f.sentence_start, f.sentence_end))
        sentence = RE_SPACES.sub(" ", RE_WRAP.sub("", sentence.strip(" |\n\t")))
        out.append(PlacedFigure(f, nt.raw_line(f.start), nt.raw_offset(f.start), nt.raw_offset(f.end - 1) + 1, sentence))
    return out
