"""Fuzzing: parse never raises or hangs, and every number of a table region is accounted for exactly once.

Budgets come from the hypothesis profile chosen with ``GXTABLES_FUZZ`` (see ``conftest.py``): "ci"
by default, "nightly" for a long run (the README gives the command).
"""
from __future__ import annotations

import itertools
import signal
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import DATA
from hypothesis import assume, given
from hypothesis import strategies as st

import gxtables
from gxtables.documents.read import bytes_to_input
from gxtables.io import ReadError, decode_bytes
from gxtables.tokenize import VALUE, parse_value

sys.path.insert(0, str(Path(__file__).resolve().parent / "benchmarks"))
from adversarial import KINDS, make_input

REPORTS = sorted(DATA.glob("*/*.txt"))
TEXTS = {p.name: p.read_text(encoding="utf-8") for p in REPORTS}
HANG = 60  # seconds: far beyond any report; reaching it means parse hangs


@contextmanager
def _no_hang(seconds: int = HANG):
    """Fail instead of waiting for ever (a guard against hangs, not a timing assertion)."""
    def alarm(signum, frame):
        raise AssertionError(f"parse did not return within {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _digits(s: str) -> str:
    return "".join(c for c in s.translate(_WIDTH) if c.isdigit())


_WIDTH = {code: chr(code - 0xFEE0) for code in range(0xFF10, 0xFF1A)}  # full-width digits as printed


def check_parse(text: str) -> gxtables.Report:
    """Parse and debug ``text`` and assert the invariants every input must keep."""
    with _no_hang():
        stages = gxtables.debug(text)  # the stages of parse, kept (parse adds only its last guard)
    report = stages.report
    assert isinstance(report, gxtables.Report)
    assert not (report.reason or "").startswith("internal error"), report.reason
    assert_conservation(stages)
    # the public frames build for any input
    report.cells, report.checks, report.leftovers, report.tables  # noqa: B018
    return report


def assert_conservation(stages) -> None:
    """Each number token of a table region ends in exactly one cell or in the leftovers.

    No number used twice, none lost, none invented: a cell's value is the number printed at the
    position it records (a piece of a token when digits were run together).
    """
    nt = stages.normalized
    for table_id, tokens in stages.tokens.items():
        reading = stages.readings[table_id]
        spans = {(t.start, t.end): t for t in tokens if t.kind == VALUE}
        covered: dict[tuple[int, int], list[tuple[int, int]]] = {k: [] for k in spans}

        def owner(start: int, end: int, what: str, spans=spans, table_id=table_id) -> tuple[int, int]:
            hits = [k for k in spans if k[0] <= start and end <= k[1]]
            assert len(hits) == 1, f"{table_id}: {what} at {start}:{end} is not inside one number token"
            return hits[0]

        for cell in reading.cells:
            if cell.value is None:
                continue
            assert cell.start is not None and cell.end is not None, f"{table_id}.{cell.row}.{cell.column}: no source"
            printed = nt.text[cell.start:cell.end]
            assert printed == cell.text, f"{table_id}.{cell.row}.{cell.column}: records {cell.text!r}, text has {printed!r}"
            value, _ = parse_value(printed)
            assert value == cell.value, f"{table_id}.{cell.row}.{cell.column}: {cell.value} is not the printed {printed!r}"
            assert _digits(nt.raw_slice(cell.start, cell.end)) == _digits(printed), "raw position does not hold it"
            covered[owner(cell.start, cell.end, "cell")].append((cell.start, cell.end))
        for lo in reading.leftovers:
            covered[owner(lo.start, lo.end, "leftover")].append((lo.start, lo.end))
        for key, pieces in covered.items():
            tok = spans[key]
            assert pieces, f"{table_id}: number {tok.text!r} at {tok.start} is in no cell and not in the leftovers"
            pieces.sort()
            for (_, e1), (s2, _) in itertools.pairwise(pieces):
                assert e1 <= s2, f"{table_id}: number {tok.text!r} at {tok.start} is used twice"


# ---------------------------------------------------------------- the real reports, as they are


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_real_reports_conserve_their_numbers(name):
    check_parse(TEXTS[name])


# ---------------------------------------------------------------- arbitrary text


TABLE_CHARS = st.sampled_from([*"0123456789０１２３|||\n\n \t/—-.,()（）第件万元增减无",
    "规章", "行政许可", "自然人", "总计", "予以公开", "三、收到和处理政府信息公开申请情况\n", "四、政府信息公开行政复议、行政诉讼情况\n",
    "第二十条第（一）项\n", "一、本年新收政府信息公开申请数量", "2023年政府信息公开工作年度报告\n", "（本列数据的勾稽关系为：",
    "行政复议", "维持", "纠正", "| 0 |", "\n---|---\n"])


# Any character, lone surrogates (which ``st.text()`` leaves out, and which a str holds after a
# "surrogateescape" decoding) and Han characters (which send the text through OpenCC).
ANY_CHAR = st.one_of(st.characters(), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, exclude_categories=()),
                     st.sampled_from("政府信息公開報告年件"))


@given(st.text(ANY_CHAR))
def test_any_text(text):
    with _no_hang():
        assert isinstance(gxtables.parse(text), gxtables.Report)
    report = check_parse(text)
    report.narrative  # noqa: B018 - every frame builds, surrogates or not


def test_lone_surrogates_in_a_real_report_are_read_through():
    """A lone surrogate is one unknown character: the report around it reads as without it."""
    text = TEXTS["g013.txt"]
    *title, rest = text.split("\n", 3)
    damaged = "\n".join(title) + "\ud800\n" + rest.replace("\n", "\udcb5\udfff\n")  # after the title, at each line end
    report = check_parse(damaged)
    clean = gxtables.parse(text)
    assert report.reason == clean.reason and report.body == clean.body
    assert report.cells[["id", "value"]].equals(clean.cells[["id", "value"]])


@given(st.lists(TABLE_CHARS, max_size=400).map("".join))
def test_table_like_text(text):
    check_parse(text)


# ---------------------------------------------------------------- mutations of the real reports


def _lines(text: str) -> list[str]:
    return text.split("\n")


@st.composite
def mutated(draw) -> str:
    """A real report cut, with lines duplicated, dropped or shuffled, pipes and digits inserted, encodings mixed."""
    text = TEXTS[draw(st.sampled_from(sorted(TEXTS)))]
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["cut", "duplicate", "drop", "shuffle", "pipes", "digits", "mojibake", "splice"]))
        lines = _lines(text)
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        j = draw(st.integers(i, min(len(lines), i + 40)))
        if op == "cut":
            at = draw(st.integers(0, len(text)))
            text = text[:at] if draw(st.booleans()) else text[at:]
        elif op == "duplicate":
            lines[i:i] = lines[i:j] * draw(st.integers(1, 3))
            text = "\n".join(lines)
        elif op == "drop":
            del lines[i:j]
            text = "\n".join(lines)
        elif op == "shuffle":
            part = lines[i:j]
            lines[i:j] = draw(st.permutations(part)) if len(part) <= 40 else part
            text = "\n".join(lines)
        elif op in ("pipes", "digits"):
            at = draw(st.integers(0, len(text)))
            alphabet = "|| \n" if op == "pipes" else "0123456789 ,."
            text = text[:at] + draw(st.text(alphabet=alphabet, min_size=1, max_size=60)) + text[at:]
        elif op == "mojibake":  # part of the text decoded with the wrong codec
            piece = "\n".join(lines[i:j])
            wrong = piece.encode("utf-8", "replace").decode(draw(st.sampled_from(["gb18030", "big5", "latin-1"])), "replace")
            lines[i:j] = [wrong]
            text = "\n".join(lines)
        else:  # the table of another report pasted in
            other = TEXTS[draw(st.sampled_from(sorted(TEXTS)))]
            at = draw(st.integers(0, len(text)))
            start = draw(st.integers(0, len(other)))
            text = text[:at] + other[start:start + draw(st.integers(0, 3000))] + text[at:]
    return text


@given(mutated())
def test_mutated_reports(text):
    report = check_parse(text)
    assume(report.placed_cells)  # the property above is what counts; this keeps examples that hold a table


# ---------------------------------------------------------------- adversarial shapes, small


@pytest.mark.parametrize("kind", KINDS)
def test_adversarial_inputs_parse(kind):
    check_parse(make_input(kind, 50_000))


@pytest.mark.parametrize("text", [
    "|" * 200_000,
    "1" * 100_000,
    "(" * 10_000 + ")" * 10_000,
    "（" * 10_000 + "规章" + "）" * 10_000,
    "三、收到和处理政府信息公开申请情况\n" + "一、本年新收政府信息公开申请数量" + "1" * 100_000,
    "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量" + "1" * 80 + "件",
    "2023年" + " " * 50_000 + "政府信息公开工作年度报告",
    "第二十条" + " \t" * 50_000,
    "- 1 -" + " " * 50_000,
    "---|" * 50_000 + "x",
    "\n" * 200_000,
    "一、" * 50_000,
    "2024年度政府信息公开工作年度报告\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况",
    "三、收到和处理政府信息公开申请情况",
], ids=["pipes", "digits", "brackets", "fullwidth-brackets", "digits-in-row", "digits-with-unit", "title-blanks",
        "caption-blanks", "page-number-blanks", "markdown-rule", "newlines", "numbering", "heading-ends-the-text",
        "only-a-heading"])
def test_hostile_inputs_parse(text):
    check_parse(text)


def test_a_table_repeated_a_thousand_times():
    table = TEXTS["g013.txt"]
    report = check_parse(table * 1000)
    assert len(report.placed_cells) == len(gxtables.parse(table).placed_cells)


# ---------------------------------------------------------------- bytes


# What files start with: byte-order marks (UTF-8, UTF-16, UTF-32) and the heads the readers are chosen by.
HEADS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff",
         b"<html><body><table><tr><td>", b"<meta charset=gbk>", b"PK\x03\x04", b"\x00" * 8]


@given(st.sampled_from(HEADS), st.binary(max_size=2000))
def test_decode_bytes_raises_only_read_errors(head, data):
    try:
        text = decode_bytes(head + data, "fuzz")
    except ReadError as exc:
        assert str(exc).startswith("fuzz: ")
        return
    assert isinstance(text, str)


@given(st.sampled_from(HEADS), st.binary(max_size=2000))
def test_bytes_read_as_a_file_raise_only_read_errors(head, data):
    """Whatever reader the content calls for, a decoding failure is a ReadError naming the file."""
    try:
        found = bytes_to_input(head + data, "fuzz")
    except ReadError as exc:
        assert str(exc).startswith("fuzz: ")
        return
    assert found is not None


@given(st.sampled_from(sorted(TEXTS)), st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16"]),
       st.data())
def test_reencoded_and_damaged_reports_decode_or_fail_clearly(name, encoding, data):
    raw = TEXTS[name].encode(encoding, "replace")
    at = data.draw(st.integers(0, len(raw)))
    damage = data.draw(st.sampled_from([b"", b"\xff", b"\x80\x80", "混合".encode("gb18030"), "混合".encode()]))
    try:
        text = decode_bytes(raw[:at] + damage + raw[at:], name)
    except ReadError as exc:
        assert name in str(exc)
        return
    check_parse(text)
