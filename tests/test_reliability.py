"""A corpus run over hostile names and faults: every file and name kept, exports whole or absent."""
from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import DEV
from hypothesis import given
from hypothesis import strategies as st

import gxtables
from gxtables.cli import main
from gxtables.export import corpus_paths, write_corpus, write_frame
from gxtables.records import escape_source, unescape_source

ROOT = Path(__file__).resolve().parents[1]
REPORT = DEV / "g013.txt"
INPUTS = [str(p) for p in sorted(DEV.glob("g0*.txt"))[:6]]


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


# ----------------------------------------------------------------------------- interrupted and concurrent exports

# An export in a process of its own, each part of a frame read a little slowly, saying "part" as it
# reads one: a kill after the n-th lands while files are being written, at a point known to be within.
SLOWLY = """
import time
from gxtables.corpus import Corpus
tables = Corpus.part_tables
def slow(self, name, columns=None):
    for table in tables(self, name, columns):
        print("part", flush=True)
        time.sleep(0.04)
        yield table
Corpus.part_tables = slow
"""
SLOW_WRITE = SLOWLY + """
import sys
from gxtables.export import corpus_paths, write_corpus, write_frame
write_corpus(Corpus(sys.argv[1]), corpus_paths(sys.argv[2]))
"""
SLOW_CLI = SLOWLY + """
import sys
from gxtables.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _start(script: str, *args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def _contents(target: Path) -> dict[str, bytes]:
    return {name: p.read_bytes() for name, p in corpus_paths(target).items()}


def _debris(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".lock")))


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> gxtables.Corpus:
    """A corpus of three reports, one part each."""
    return gxtables.parse_many(INPUTS[:3], workers=0, progress=False, batch_size=1,
                               out=tmp_path_factory.mktemp("stored") / "corpus")


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_an_export_killed_at_any_moment_leaves_whole_files_or_none(tmp_path, suffix, stored):
    reference = tmp_path / f"reference{suffix}"
    write_corpus(stored, corpus_paths(reference))
    expected = _contents(reference)
    # 5 frames of 3 parts, and the wide frame read again for the cross-year checks: 18 parts read
    rng = random.Random(suffix)
    moments = [(n, rng.uniform(0, 0.05)) for n in (1, 4, 8, 12, 16)]
    runs = []
    for i in range(len(moments)):
        target = tmp_path / f"run{i}" / f"corpus{suffix}"
        target.parent.mkdir()
        runs.append((target, _start(SLOW_WRITE, str(stored.folder), str(target))))
    for (_, proc), (parts, pause) in zip(runs, moments, strict=True):
        for _ in range(parts):
            assert proc.stdout.readline().strip() == "part", proc.stderr.read()
        time.sleep(pause)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    missing = 0
    for target, _ in runs:
        for name, path in corpus_paths(target).items():
            if path.exists():
                assert path.read_bytes() == expected[name], f"{path.name}: differs from an uninterrupted export"
            else:
                missing += 1
    assert missing  # some runs were stopped before all their files were written
    for target, _ in runs[:1]:
        # the next export to the same target finds no lock in its way and clears what the killed one left
        write_corpus(stored, corpus_paths(target), force=True)
        assert _contents(target) == expected
        assert _debris(target.parent) == []


def test_two_exports_to_one_target_never_mix(tmp_path, suffix=".csv"):
    args = ["export", *INPUTS[:3], "--quiet", "--workers", "0", "--force", "-o"]
    reference = tmp_path / f"reference{suffix}"
    assert main([*args, str(reference)], out=io.StringIO(), err=io.StringIO()) == 0
    target = tmp_path / "both" / f"corpus{suffix}"
    target.parent.mkdir()
    procs = [_start(SLOW_CLI, *args, str(target)) for _ in range(2)]
    results = [(p.wait(), p.stdout.read(), p.stderr.read()) for p in procs]
    for code, _, err in results:
        assert "Traceback" not in err, err
        assert code == 0 or (code == 2 and "another export is writing it" in err), (code, err)
    assert any(code == 0 for code, _, _ in results)
    assert _contents(target) == _contents(reference)
    assert _debris(target.parent) == []


# ----------------------------------------------------------------------------- temporary folders of a run killed


# A run whose input never ends, saying "running" once its temporary folder is made.
ENDLESS_RUN = """
import itertools, sys, time
import gxtables
def endless():
    print("running", flush=True)
    for i in itertools.count():
        time.sleep(0.05)
        yield "2023年政府信息公开工作年度报告"
gxtables.parse_many(endless(), workers=int(sys.argv[1]), progress=False, batch_size=1)
"""


def test_the_temporary_folder_of_a_killed_run_is_removed_by_the_next(tmp_path, monkeypatch):
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {"TMPDIR": str(temp)}
    dead, alive = _start(ENDLESS_RUN, "0", env=env), _start(ENDLESS_RUN, "1", env=env)
    for proc in (dead, alive):
        assert proc.stdout.readline().strip() == "running", proc.stderr.read()
    time.sleep(0.3)
    dead.send_signal(signal.SIGKILL)
    dead.wait()
    assert len(list(temp.iterdir())) == 2  # both left their folders so far
    try:
        monkeypatch.setattr(tempfile, "tempdir", str(temp))
        corpus = gxtables.parse_many(["2023年政府信息公开工作年度报告"], workers=0, progress=False)
        others = [p for p in temp.iterdir() if p != corpus.folder]
        assert len(others) == 1  # the live run's folder is kept, the dead one's removed
        assert alive.poll() is None
    finally:
        alive.send_signal(signal.SIGKILL)
        alive.wait()
    del corpus
    gxtables.parse_many([], workers=0, progress=False)  # now the other run is dead too: its folder goes
    assert len(list(temp.iterdir())) <= 1


def test_a_run_that_raises_leaves_no_temporary_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def broken():
        yield "2023年政府信息公开工作年度报告"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        gxtables.parse_many(broken(), workers=0, progress=False, batch_size=1)
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------- links at output names


@pytest.mark.parametrize("dangling", [True, False])
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_link_at_an_output_name_is_an_existing_file_never_written_through(tmp_path, suffix, dangling):
    outside = tmp_path / "outside" / f"elsewhere{suffix}"
    outside.parent.mkdir()
    if not dangling:
        outside.write_bytes(b"not to be touched")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    link = out_dir / f"corpus.summary{suffix}"  # a file beside the main output
    link.symlink_to(outside)
    args = ["export", INPUTS[0], "-o", str(out_dir / f"corpus{suffix}"), "--quiet", "--workers", "0"]
    err = io.StringIO()
    assert main(args, out=io.StringIO(), err=err) == 2
    assert "already exists" in err.getvalue() and str(link) in err.getvalue()
    assert os.listdir(out_dir) == [link.name] and link.is_symlink()
    assert main([*args, "--force"], out=io.StringIO(), err=io.StringIO()) == 0
    assert not link.is_symlink() and link.stat().st_size > 100  # the link was replaced by the file
    assert outside.exists() is not dangling and (dangling or outside.read_bytes() == b"not to be touched")
    other = out_dir / "other.csv"
    other.symlink_to(tmp_path / "outside" / "nowhere.csv")
    with pytest.raises(FileExistsError):
        write_frame(gxtables.parse_many([], workers=0, progress=False).summary, other)
    assert not (tmp_path / "outside" / "nowhere.csv").exists()


# ----------------------------------------------------------------------------- numbers a float cannot hold

ROW = "本年新收政府信息公开申请数量 21 0 0 0 0 0 21"


@pytest.mark.parametrize("huge", ["12345678901234567", "9007199254740993", "99999999999999999999"])
def test_a_count_a_float_cannot_hold_exactly_is_a_leftover(huge):
    text = REPORT.read_text(encoding="utf-8")
    assert ROW in text
    report = gxtables.parse(text.replace(ROW, ROW.replace("21", huge)))
    cells = report.cells.set_index("id")
    assert "applications.new.natural_person" not in cells.index and "applications.new.total" not in cells.index
    assert cells.loc["applications.new.commercial", "value"] == 0  # the rest of the row is read as before
    assert not (report.cells["value"].dropna().abs() > 2 ** 53).any()
    held = report.leftovers[report.leftovers["text"] == huge]
    assert len(held) == 2 and held["reason"].str.contains("float").all() and held["value"].isna().all()


def test_a_count_a_float_holds_exactly_is_read():
    text = REPORT.read_text(encoding="utf-8")
    report = gxtables.parse(text.replace(ROW, ROW.replace("21", str(2 ** 53))))
    cells = report.cells.set_index("id")
    assert cells.loc["applications.new.natural_person", "value"] == 2 ** 53
    assert cells.loc["applications.new.natural_person", "status"] == "read"


# ----------------------------------------------------------------------------- workers and their parent


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(p) for p in (task / "children").read_text().split())
    return found


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for a parent that will never collect it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc to find the workers")
def test_workers_end_with_their_parent(tmp_path):
    parent = _start(ENDLESS_RUN, "2", env={"TMPDIR": str(tmp_path)})
    try:
        assert parent.stdout.readline().strip() == "running", parent.stderr.read()
        deadline = time.monotonic() + 30
        while len(workers := _children(parent.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(workers) >= 2
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 5
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = [w for w in workers if _alive(w)]
    for w in survivors:  # not to leave them behind when the test fails
        os.kill(w, signal.SIGKILL)
    assert not survivors, "worker processes outlived their parent"


WATCHED_CHILD = """
import multiprocessing, os, sys, time
import gxtables.corpus as corpus
def child(parent):
    sys.platform = "other"  # the watching thread, as where the kernel cannot be asked
    corpus._end_with_parent(parent)
    time.sleep(60)
worker = multiprocessing.get_context("fork").Process(target=child, args=(os.getpid(),))
worker.start()
print(worker.pid, flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc and fork")
def test_a_worker_without_the_kernels_help_watches_its_parent():
    parent = _start(WATCHED_CHILD)
    worker = int(parent.stdout.readline())
    time.sleep(0.3)
    assert _alive(worker)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _alive(worker):
        os.kill(worker, signal.SIGKILL)
        pytest.fail("the worker outlived its parent")
