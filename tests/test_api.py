"""The public surface, and the promise that problems in a document are data, never exceptions."""
from __future__ import annotations

import pytest

import gxtables

PUBLIC = ["Corpus", "ReadError", "Report", "debug", "parse", "parse_many", "read", "read_many"]


def test_public_surface_is_pinned():
    assert sorted(gxtables.__all__) == sorted(PUBLIC)
    assert all(hasattr(gxtables, name) for name in gxtables.__all__)


NOTHING = "no report title, no statutory sections and no statutory tables were found"


@pytest.mark.parametrize("text, reason", [("", NOTHING), ("   \n\n", NOTHING), ("\x00\x01\x02binary\xff", NOTHING),
                                          ("|||||\n|||\n", NOTHING), ("今天天气很好。" * 50, NOTHING),
                                          ("2020年政府信息公开工作年度报告", "statutory tables are missing")])
def test_parse_never_raises_for_a_str(text, reason):
    r = gxtables.parse(text)
    assert len(r.cells) == 0
    assert reason in r.reason  # the reason of what was read, not of a reading that broke
    assert not r.ok


def test_parse_rejects_non_str_as_caller_mistake():
    with pytest.raises(TypeError):
        gxtables.parse(b"bytes")  # type: ignore[arg-type]


def test_not_a_report_has_no_edition():
    r = gxtables.parse("关于做好2025年政府信息公开工作年度报告编制发布工作的通知\n各单位:请按时报送。")
    assert r.edition is None and not r.is_report
    assert "a notice or document about annual reports" in r.reason


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16"])
def test_read_decodes_common_encodings(tmp_path, seed_paths, encoding):
    text = seed_paths["001"].read_text(encoding="utf-8")
    if encoding == "big5":
        import opencc

        text = opencc.OpenCC("s2t").convert(text)
    path = tmp_path / f"report-{encoding}.txt"
    path.write_bytes(text.encode(encoding, errors="replace" if encoding == "big5" else "strict"))
    r = gxtables.read(path)
    assert r.edition == "2019" and r.year == 2019
    assert len(r.cells) == 198


def test_read_missing_file_names_it(tmp_path):
    missing = tmp_path / "nope.txt"
    with pytest.raises(FileNotFoundError, match=r"nope\.txt"):
        gxtables.read(missing)


def test_read_undecodable_file_names_it(tmp_path):
    path = tmp_path / "junk.txt"
    path.write_bytes(bytes(range(128, 256)) * 40)
    with pytest.raises(gxtables.ReadError, match=r"junk\.txt"):
        gxtables.read(path)


def test_report_frames_follow_the_contract(seed_paths):
    r = gxtables.read(seed_paths["001"])
    assert {"table", "row", "column", "value", "status", "row_label", "column_label", "line", "char_start",
            "char_end"} <= set(r.cells.columns)
    assert list(r.checks.columns)[:7] == ["rule", "severity", "table", "instance", "cells", "expected", "found"]
    apps = r.tables["applications"]
    assert apps.shape == (23, 7)
    assert list(apps.columns) == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert apps.index[0] == "一、本年新收政府信息公开申请数量"
    # every value points back at the characters it was read from
    text = seed_paths["001"].read_text(encoding="utf-8")
    for _, c in r.cells.dropna(subset=["value"]).head(40).iterrows():
        printed = text[c["char_start"]:c["char_end"]]
        assert float(printed) == c["value"]


def test_debug_shows_every_stage(seed_paths):
    out = str(gxtables.debug(seed_paths["001"].read_text(encoding="utf-8")))
    for stage in ("[locate]", "[tokenize]", "[align]", "[check]"):
        assert stage in out
