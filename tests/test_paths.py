"""What a corpus run reads: every entry a folder or glob names is a row (parsed, or an error saying why),
and a name that exists is that file, whatever characters it holds."""
from __future__ import annotations

import io
import os
import time

import pandas as pd
import pytest
from conftest import DEV

import gxtables
from gxtables.cli import EXIT_USAGE, main
from gxtables.paths import expand_paths

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


def test_a_glob_that_matches_nothing_is_a_row(tmp_path):
    pattern = str(tmp_path / "nothing*.txt")
    c = gxtables.read_many([pattern, DEV / "p001.txt"], workers=0, progress=False)
    assert c.summary["error"].tolist()[0] == f"{pattern}: no such file, and no file matches it as a pattern"
    assert len(c) == 2


@pytest.fixture
def messy(tmp_path):
    """A folder of reports with everything a scraped archive holds besides them."""
    root = tmp_path / "reports"
    (root / "2023" / "deep").mkdir(parents=True)
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    (root / "2023" / "deep" / "nested.txt").write_text(OTHER, encoding="utf-8")
    (root / "notes.csv").write_text("not a report", encoding="utf-8")  # not named like a report: not read
    (root / "folder.txt").mkdir()  # a folder named like a report is walked (and empty)
    os.mkfifo(root / "pipe.txt")
    (root / "dangling.txt").symlink_to(root / "gone.txt")
    (root / "loop1.txt").symlink_to(root / "loop2.txt")
    (root / "loop2.txt").symlink_to(root / "loop1.txt")
    (root / "null.txt").symlink_to("/dev/null")
    (root / "up").symlink_to(root)  # a link to a folder above: never followed
    (root / "2023" / "same.txt").symlink_to(root / "good.txt")  # the same file again: read once
    if os.path.exists("/proc/kmsg"):
        (root / "kmsg.txt").symlink_to("/proc/kmsg")
    return root


EXPECTED = {
    "good.txt": "孝感市人民政府办公室",
    "nested.txt": "沐阳县人民政府",
    "pipe.txt": "not a regular file",
    "dangling.txt": "no such file",
    "loop1.txt": "Too many levels of symbolic links",
    "loop2.txt": "Too many levels of symbolic links",
    "null.txt": "not a regular file",
    "up": "a link to the folder",
    "kmsg.txt": "pseudo-file",
}


def _check_rows(rows: dict[str, object]) -> None:
    expected = {k: v for k, v in EXPECTED.items() if k != "kmsg.txt" or os.path.exists("/proc/kmsg")}
    assert sorted(rows) == sorted(expected)
    for name, words in expected.items():
        assert words in rows[name], name


@pytest.mark.parametrize("workers", [0, 1])
def test_every_entry_of_a_folder_is_a_row(messy, workers):
    started = time.monotonic()
    c = gxtables.read_many(messy, workers=workers, progress=False)
    assert time.monotonic() - started < 20  # nothing blocks
    _check_rows(_rows(c))
    errors = c.summary.dropna(subset=["error"])
    assert all(e.startswith(f"{s}: ") for s, e in zip(errors["source"], errors["error"]))  # each names its file


@pytest.mark.parametrize("pattern", ["**/*.txt", "**", "*"])
def test_every_entry_a_glob_names_is_a_row_and_links_never_loop(messy, pattern):
    """``**`` does not descend into links to folders (``up`` would make it endless); folders matched are walked."""
    rows = _rows(gxtables.read_many(str(messy / pattern), workers=0, progress=False))
    if pattern == "**/*.txt":  # "up" is not named like a report
        rows["up"] = EXPECTED["up"]
    if pattern == "*":  # named by the glob, so read, and not a report
        assert rows.pop("notes.csv") is pd.NA
    _check_rows(rows)


def test_a_folder_that_cannot_be_listed_is_a_row(messy, monkeypatch):
    """Tests run as root, who may list any folder: a refusal is simulated."""
    real_scandir = os.scandir
    locked = str(messy / "2023")

    def refuse(path="."):
        if not isinstance(path, int) and os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    rows = _rows(gxtables.read_many(messy, workers=0, progress=False))
    assert "nested.txt" not in rows and rows["2023"] == f"{locked}: a folder that cannot be listed (Permission denied)"


def test_cli_prints_every_bad_entry_and_goes_on(messy):
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", "--workers", "0", str(messy)], out=out, err=err)
    assert code == EXIT_USAGE
    assert "good.txt: " in out.getvalue() and "nested.txt: " in out.getvalue()
    lines = err.getvalue().splitlines()
    assert len(lines) == len(EXPECTED) - 2 - (not os.path.exists("/proc/kmsg"))
    assert all(": UNREADABLE " in line for line in lines)
