"""The command line: one line per bad file, the run goes on, and the exit statuses the README documents."""
from __future__ import annotations

import io
import os

import pytest
from conftest import DEV, SEEDS

from gxtables.cli import EXIT_OK, EXIT_RULES, EXIT_USAGE, main

GOOD = SEEDS / "001_db13a61a4a1852ee.txt"  # passes every hard rule
FAILING = DEV / "g006-row.txt"  # a real report whose printed arithmetic breaks a hard rule


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(map(str, argv)), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_exit_statuses_are_distinct():
    assert (EXIT_OK, EXIT_RULES, EXIT_USAGE) == (0, 1, 2)


def test_check_ok():
    code, out, _ = run("check", GOOD)
    assert code == EXIT_OK and ": OK " in out


def test_check_a_hard_rule_fails():
    code, out, _ = run("check", FAILING)
    assert code == EXIT_RULES and ": FAIL " in out and "ERROR" in out


def test_usage_errors():
    assert run()[0] == EXIT_USAGE
    assert run("frobnicate")[0] == EXIT_USAGE
    assert run("export", GOOD)[0] == EXIT_USAGE  # no -o
    assert run("--help")[0] == EXIT_OK


def test_bad_files_one_line_each_and_the_run_goes_on(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    bad = [tmp_path / "missing.txt", empty, binary, fifo]
    code, out, err = run("check", bad[0], GOOD, *bad[1:], FAILING)
    assert code == EXIT_USAGE  # an unreadable file outranks a failed rule
    lines = err.strip().splitlines()
    assert len(lines) == len(bad)
    for path in bad:
        assert sum(line.startswith(f"{path}: ") for line in lines) == 1
    assert f"{GOOD}: OK" in out and f"{FAILING}: FAIL" in out  # the good files were still read


def test_undecodable_file_is_unreadable_and_the_run_goes_on(tmp_path):
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf\xe4\xb8\xad\xff\xfeabc")
    code, out, err = run("check", "--workers", "0", bom, GOOD)
    assert code == EXIT_USAGE and f"{GOOD}: OK" in out
    assert err.startswith(f"{bom}: UNREADABLE ") and "not valid UTF-8" in err and "internal" not in err


def test_folder_argument_reads_the_reports_inside(tmp_path):
    (tmp_path / "a.txt").write_bytes(GOOD.read_bytes())
    (tmp_path / "notes.bin").write_bytes(bytes(50))  # not a report text suffix: not read
    code, out, err = run("check", tmp_path)
    assert code == EXIT_OK and out.count(": OK") == 1 and not err


def test_debug_unreadable_file(tmp_path):
    code, _, err = run("debug", tmp_path / "missing.txt")
    assert code == EXIT_USAGE and "missing.txt" in err


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_export_never_overwrites_unless_forced(tmp_path, suffix):
    target = tmp_path / f"out{suffix}"
    target.write_bytes(b"precious")
    code, _, err = run("export", GOOD, "-o", target)
    assert code == EXIT_USAGE and "exists" in err
    assert target.read_bytes() == b"precious"
    code, _, _ = run("export", GOOD, "-o", target, "--force")
    assert code == EXIT_OK and target.read_bytes() != b"precious"
    assert _written_cells(target) == 198  # the report's cells, not an empty frame


def test_export_wrong_suffix_is_a_usage_error(tmp_path):
    code, _, _ = run("export", GOOD, "-o", tmp_path / "out.xlsx")
    assert code == EXIT_USAGE and not (tmp_path / "out.xlsx").exists()


def test_export_with_an_unreadable_file_still_writes_the_others(tmp_path):
    target = tmp_path / "out.csv"
    code, _, err = run("export", GOOD, tmp_path / "missing.txt", "-o", target)
    assert code == EXIT_USAGE and target.exists() and "missing.txt" in err
    assert _written_cells(target) == 198


def _written_cells(path) -> int:
    """How many cells with a value or a blank the long frame written to ``path`` holds."""
    import pandas as pd

    frame = pd.read_csv(path) if path.suffix == ".csv" else pd.read_parquet(path)
    return int(frame["status"].isin(["read", "inferred", "blank"]).sum())


def test_one_report_is_checked_here_with_the_lines_a_corpus_gives():
    _, here, _ = run("check", FAILING)
    _, pooled, _ = run("check", FAILING, GOOD, "--workers", "1")  # worker processes, verdicts from the summary part
    assert here.count("\n") == 3 and pooled.startswith(here)
    assert here.startswith(f"{FAILING}: FAIL (edition=2019 year=2020 body=平潭综合实验区) cells=198 errors=2")
    _, zero, _ = run("check", FAILING, GOOD, "--workers", "0")  # read here, one by one
    assert zero == pooled


def test_checking_one_report_imports_neither_pandas_nor_arrow():
    """A verdict line needs no frame: the command imports what it needs when it needs it."""
    import subprocess
    import sys

    code = ("import io, sys; from gxtables.cli import main; "
            f"main(['check', {str(GOOD)!r}], io.StringIO(), io.StringIO()); "
            "print(sorted(m for m in ('pandas', 'pyarrow', 'tqdm', 'multiprocessing') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    _, out, _ = run("check", GOOD)  # and the verdict is the report's
    assert out.startswith(f"{GOOD}: OK (edition=2019 year=2019 body=龙桥乡) cells=198 errors=0")
