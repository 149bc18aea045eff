"""A corpus run over hostile names and faults: every file and name kept, exports whole or absent."""
from __future__ import annotations

import io
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import DEV
from hypothesis import given
from hypothesis import strategies as st

import gxtables
from gxtables.cli import main
from gxtables.records import escape_source, unescape_source

REPORT = DEV / "g013.txt"


# ----------------------------------------------------------------------------- names


def _gbk_named(folder: Path, name: str = "洪泽区报告.txt") -> str:
    """A report under a name written in GBK bytes, as in archives made on Windows: the str the file
    system gives back holds lone surrogates (``os.fsdecode``)."""
    raw = os.path.join(os.fsencode(folder), name.encode("gbk"))
    try:
        with open(raw, "wb") as fh:
            fh.write(REPORT.read_bytes())
    except (OSError, UnicodeError):  # pragma: no cover - a file system that takes only UTF-8 names
        pytest.skip("this file system refuses names that are not UTF-8")
    return os.fsdecode(raw)


def test_a_name_not_in_utf8_is_kept_exactly_and_written(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    path = _gbk_named(folder)
    (folder / "正常.txt").write_bytes(REPORT.read_bytes())
    corpus = gxtables.read_many(str(folder), workers=0, progress=False)
    summary = corpus.summary
    assert len(summary) == 2 and summary["error"].isna().all()
    odd = summary[summary["source_escaped"]]
    assert len(odd) == 1 and "\\xba\\xe9" in odd["source"].iloc[0]
    assert unescape_source(odd["source"].iloc[0]) == path  # the very name: it opens the file
    assert Path(unescape_source(odd["source"].iloc[0])).read_bytes() == REPORT.read_bytes()
    assert summary.loc[~summary["source_escaped"], "source"].iloc[0] == str(folder / "正常.txt")  # other names untouched
    assert set(corpus.cells["source"]) == set(summary["source"])
    assert (summary["cells"] == 179).all()
    for suffix in (".csv", ".parquet"):
        out = io.StringIO()
        assert main(["export", str(folder), "-o", str(tmp_path / f"all{suffix}"), "--quiet", "--workers", "0"],
                    out=out, err=io.StringIO()) == 0, out.getvalue()
    assert pq.read_table(tmp_path / "all.summary.parquet").column("source_escaped").to_pylist().count(True) == 1
    assert "\\xba\\xe9" in (tmp_path / "all.csv").read_text(encoding="utf-8")


def test_a_missing_file_under_an_odd_name_is_an_error_row(tmp_path):
    name = os.fsdecode(os.path.join(os.fsencode(tmp_path), "缺少的报告.txt".encode("gbk")))
    summary = gxtables.read_many([name], workers=0, progress=False).summary
    assert summary["source_escaped"].iloc[0] and "no such file" in summary["error"].iloc[0]
    assert unescape_source(summary["source"].iloc[0]) == name


@given(st.text(st.one_of(st.characters(), st.sampled_from("\\x0uD"),
                         st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, exclude_categories=()))))
def test_escaped_names_come_back_exactly(name):
    escaped = escape_source(name)
    escaped.encode("utf-8")  # any encoder takes it
    if escaped != name:
        assert unescape_source(escaped) == name
