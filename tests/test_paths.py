"""What a corpus run reads: a name that exists is that file, whatever characters it holds."""
from __future__ import annotations

import os

import pandas as pd
from conftest import DEV

import gxtables
from gxtables.corpus import expand_paths

GOOD = (DEV / "p001.txt").read_text(encoding="utf-8")  # 孝感市人民政府办公室
OTHER = (DEV / "g002-row.txt").read_text(encoding="utf-8")  # 沐阳县人民政府


def _rows(corpus) -> dict[str, object]:
    """Each row's file name → its body when parsed, its error otherwise."""
    s = corpus.summary
    return {os.path.basename(src): (err if err is not pd.NA else body)
            for src, err, body in zip(s["source"], s["error"], s["body"])}


def test_a_name_that_exists_is_that_file_not_a_glob(tmp_path):
    (tmp_path / "r[1].txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "r1.txt").write_text(OTHER, encoding="utf-8")
    named = str(tmp_path / "r[1].txt")
    assert list(expand_paths(named)) == [named]
    assert _rows(gxtables.read_many([named], workers=0, progress=False)) == {"r[1].txt": "孝感市人民政府办公室"}
    # what does not exist is a glob ...
    assert list(expand_paths(str(tmp_path / "r[12].txt"))) == [str(tmp_path / "r1.txt")]
    # ... and a folder whose name looks like one is walked
    folder = tmp_path / "2023[a]"
    folder.mkdir()
    (folder / "x.txt").write_text(GOOD, encoding="utf-8")
    assert list(expand_paths(str(folder))) == [str(folder / "x.txt")]
