"""Golden tests on real text: the five seeds and every report of the bundled development corpora."""
from __future__ import annotations

import math

import pytest
from conftest import DEGRADED, DEV, assert_read, corpus_cases

import gxtables


def _got(report) -> dict[str, float | None]:
    """Cell id → value as a scorer reads it (uncertain cells count as not given)."""
    frame = report.cells
    return {cid: (None if status == "uncertain" or v is None or (isinstance(v, float) and math.isnan(v)) else float(v))
            for cid, v, status in zip(frame["id"], frame["value"].astype(object).where(frame["value"].notna(), None),
                                      frame["status"])}


def test_seed_001_is_a_complete_2019_report(seed_paths):
    r = gxtables.read(seed_paths["001"])
    assert (r.edition, r.year) == ("2019", 2019)
    counts = r.cells.groupby("table").size().to_dict()
    assert counts == {"proactive": 22, "applications": 161, "appeals": 15}
    assert r.complete and r.ok and r.errors == 0
    nonzero = r.cells[r.cells["value"].fillna(0) != 0]
    assert dict(zip(nonzero["id"], nonzero["value"])) == {
        "proactive.normative_documents.new_made": 2,
        "proactive.normative_documents.new_published": 2,
        "proactive.normative_documents.total_published": 2,
    }
    # table 三 lost its row labels: its rows are placed by order and say so
    apps = r.cells[r.cells["table"] == "applications"]
    assert set(apps["status"]) <= {"read", "inferred"}
    assert (apps["status"] == "inferred").sum() > 100
    hard = r.checks[r.checks["severity"] == "error"]
    assert set(hard["status"]) == {"pass"}
    assert {"T3.BAL", "T3.COLSUM", "T3.ROWSUM", "T4.SUM", "TYPE"} <= set(hard["rule"])


def test_seed_004_tables_stripped(seed_paths):
    r = gxtables.read(seed_paths["004"])
    assert (r.edition, r.year) == ("2021", 2024)
    assert len(r.cells) == 0
    assert "missing" in r.reason
    assert not r.ok


@pytest.mark.parametrize("seed", ["000", "002", "003"])
def test_old_narrative_seeds_are_pre2019(seed_paths, seed):
    r = gxtables.read(seed_paths[seed])
    assert r.edition == "pre2019"
    assert r.is_report
    assert len(r.cells) == 0 and r.reason


@pytest.mark.parametrize("path,expected", corpus_cases(DEV), ids=lambda x: getattr(x, "stem", ""))
def test_dev_corpus_report(path, expected):
    r = gxtables.parse(path.read_text(encoding="utf-8"))
    assert_read(r)
    assert r.is_report == expected.get("is_report", True)
    want_edition = expected.get("edition") if expected.get("is_report", True) else None
    assert r.edition == want_edition
    if expected.get("year") is not None:
        assert r.year == expected["year"]
    got = _got(r)
    for cid, value in expected.get("cells", {}).items():
        assert got.get(cid) == pytest.approx(float(value)), cid
    for cid in expected.get("blank", []):
        assert got.get(cid) is None, cid
    known = set(expected.get("cells", {})) | set(expected.get("blank", []))
    ambiguous = expected.get("ambiguous", [])
    invented = [cid for cid, v in got.items() if v is not None and cid not in known
                and not any(cid == a or cid.startswith(a + ".") for a in ambiguous)]
    assert invented == []


@pytest.mark.parametrize("config", ["s2t", "s2twp"])
@pytest.mark.parametrize("name", ["g013", "p016", "g002"])
def test_traditional_text_reads_like_the_original(name, config):
    """Mirror sites serve reports in Traditional characters, some with Taiwan's vocabulary (s2twp:
    規範性檔案 for 规范性文件, 政府資訊公開 for 政府信息公开): the same cells come back."""
    import json

    import opencc

    text = (DEV / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((DEV / "expected" / f"{name}.json").read_text(encoding="utf-8"))
    converted = opencc.OpenCC(config).convert(text)
    assert converted != text
    got = _got(gxtables.parse(converted))
    for cid, value in expected["cells"].items():
        assert got.get(cid) == pytest.approx(float(value)), cid


@pytest.mark.parametrize("name", ["g002", "p111", "g013-cells"])
def test_mirror_junk_between_rows_is_left_out(name):
    """Hijacked mirrors insert lines of links between a table's rows ("免费下载 www.… 推荐阅读 QQ:…"):
    the rows read as before, and the junk's numbers are leftovers, never cells."""
    import json

    text = (DEV / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((DEV / "expected" / f"{name}.json").read_text(encoding="utf-8"))
    junk = "免费下载 www.mirror-example.com 推荐阅读 QQ:20231234 |"
    lines = text.split("\n")
    spammed = "\n".join(f"{line}\n{junk}" if line.rstrip().endswith("|") and i % 7 == 3 else line
                         for i, line in enumerate(lines))
    assert spammed.count("www.mirror-example.com") >= 3
    report = gxtables.parse(spammed)
    got = _got(report)
    for cid, value in expected["cells"].items():
        assert got.get(cid) == pytest.approx(float(value)), cid
    assert 20231234 not in got.values()
    inside = [lo for lo in report.leftovers.itertuples() if lo.value == 20231234]
    assert inside and all("page junk" in lo.reason for lo in inside)


@pytest.mark.parametrize("path,expected", corpus_cases(DEGRADED), ids=lambda x: getattr(x, "stem", ""))
def test_degraded_corpus_invents_nothing(path, expected):
    """Hard cases: whatever is placed must be right or marked uncertain; nothing is made up."""
    r = gxtables.parse(path.read_text(encoding="utf-8"))
    assert_read(r)
    assert r.edition == expected["edition"]
    got = _got(r)
    want = {k: float(v) for k, v in expected.get("cells", {}).items()}
    blank = set(expected.get("blank", []))
    ambiguous = expected.get("ambiguous", [])
    invented = [cid for cid, v in got.items() if v is not None and cid not in want and cid not in blank
                and not any(cid == a or cid.startswith(a + ".") for a in ambiguous)]
    assert invented == []
