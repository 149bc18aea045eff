"""parse_many / read_many over the bundled real reports: frames, keys, error rows, streaming, exports, CLI."""
from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import DATA, DEGRADED, DEV, SEEDS, assert_frame_read

import gxtables
from gxtables import corpus as corpus_mod
from gxtables.cli import main
from gxtables.export import CORPUS_FRAMES, SUMMARY_COLUMNS, cell_id_order, codebook, report_summary
from gxtables.report import CELL_COLUMNS
from gxtables.template import editions

ALL = [str(SEEDS), str(DEV), str(DEGRADED)]


@pytest.fixture(scope="module")
def paths() -> list[str]:
    return list(corpus_mod.expand_paths(ALL))


def _read(corpus):
    """A corpus whose reports were read: no internal errors, and thousands of cells placed."""
    assert_frame_read(corpus.summary)
    assert corpus.summary["cells"].sum() > 3000
    return corpus


@pytest.fixture(scope="module")
def in_process(paths):
    return _read(gxtables.read_many(ALL, workers=0, progress=False))


@pytest.fixture(scope="module")
def two_workers(paths):
    return _read(gxtables.read_many(ALL, workers=2, progress=False))


def test_public_surface():
    assert {"parse_many", "read_many", "Corpus"} <= set(gxtables.__all__)


def test_expand_paths_folders_globs_and_files(paths):
    assert paths[0].endswith("000_eb35ce1ab58dfe45.txt")
    assert len(paths) == len(set(paths))
    assert all(p.lower().endswith(corpus_mod.REPORT_SUFFIXES) for p in paths)
    pattern = os.path.join(str(DATA), "**", "g002*.txt")
    found = list(corpus_mod.expand_paths(pattern))
    assert found == sorted(found, key=lambda p: Path(p).parts) and len(found) == 4  # dev: g002, -cells, -row; dev-degraded: -dropped
    assert all("g002" in os.path.basename(p) for p in found)
    assert list(corpus_mod.expand_paths(["nope.txt"])) == ["nope.txt"]  # becomes an error row later


def test_summary_matches_each_report(in_process, paths):
    summary = in_process.summary
    assert list(summary.columns) == corpus_mod.CORPUS_SUMMARY_COLUMNS
    assert list(summary["report"]) == list(range(len(paths)))
    assert list(summary["source"]) == paths
    for path in paths[::4]:
        row = summary[summary["source"] == path].iloc[0]
        rep = gxtables.read(path)
        for key, value in report_summary(rep).items():
            got = row[key]
            assert (pd.isna(got) and value is None) or got == value, (path, key, got, value)


def test_cells_match_report_cells(in_process, paths):
    cells = in_process.cells
    assert list(cells.columns) == ["report", "source", "body", "year", "edition", *CELL_COLUMNS]
    for key in (1, 6, 20, len(paths) - 3):
        rep = gxtables.read(paths[key])
        mine = cells[cells["report"] == key].reset_index(drop=True)
        theirs = rep.cells
        assert len(mine) == len(theirs) == len(rep.placed_cells)
        # the same rows with the same types: one record layer builds both
        pd.testing.assert_frame_equal(mine[CELL_COLUMNS], theirs)
        assert theirs["id"].notna().all() and theirs["value"].notna().any()
        assert (mine["source"] == paths[key]).all()


def test_checks_and_leftovers_are_keyed(in_process, paths):
    checks = in_process.checks
    key = 1  # seed 001, a complete 2019 report
    rep = gxtables.read(paths[key])
    mine = checks[checks["report"] == key]
    assert len(mine) > 10
    pd.testing.assert_frame_equal(mine[list(rep.checks.columns)].reset_index(drop=True), rep.checks)
    lo = in_process.leftovers
    total = sum(len(gxtables.read(p).placed_leftovers) for p in paths)
    assert len(lo) == total


def test_wide_frame_one_row_per_report_stable_columns(in_process, paths):
    wide = in_process.wide()
    assert list(wide.columns) == ["report", *SUMMARY_COLUMNS, *cell_id_order()]
    assert len(wide) == len(paths)
    rep = gxtables.read(paths[1])
    row = wide.iloc[1]
    for pc in rep.placed_cells:
        c = pc.cell
        cid = f"{c.table}.{c.row}.{c.column}"
        if c.status != "uncertain" and c.value is not None:
            assert row[cid] == c.value
    subset = in_process.wide(["applications.new.total"])
    assert list(subset.columns) == ["report", *SUMMARY_COLUMNS, "applications.new.total"]


def test_two_worker_processes_give_the_same_frames(in_process, two_workers):
    for name in corpus_mod.FRAMES:
        pd.testing.assert_frame_equal(in_process.frame(name), two_workers.frame(name))
    assert two_workers.manifest["batches"] > 1  # the work was really split


def test_unreadable_and_broken_inputs_become_error_rows(tmp_path, monkeypatch):
    binary = tmp_path / "scan.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    good = (DEV / "g002-row.txt").read_text(encoding="utf-8")
    items = [tmp_path / "missing.txt", binary, good, good.encode("gb18030"), DEV / "p001.txt", tmp_path]
    c = gxtables.parse_many(items, workers=0, progress=False)
    s = c.summary
    assert list(s["report"]) == list(range(6))
    assert s["error"].notna().tolist() == [True, True, False, False, False, True]
    # the message names the file (its wording is the reader's: gxtables.io)
    assert "missing.txt" in s.loc[0, "error"] and "scan.txt" in s.loc[1, "error"] and str(tmp_path) in s.loc[5, "error"]
    assert not s.loc[[0, 1, 5], "ok"].any() and s.loc[[0, 1, 5], "is_report"].isna().all()
    assert s.loc[2, "source"] == "<text 2>" and s.loc[2, "body"] == "沐阳县人民政府"
    assert s.loc[3, "body"] == "沐阳县人民政府"  # bytes decoded as GB18030
    assert len(c.wide()) == 6

    real_parse = corpus_mod.parse

    def flaky(text, source=None, **options):
        if "沐阳县" in text:
            raise RuntimeError("boom")
        return real_parse(text, source=source, **options)

    monkeypatch.setattr(corpus_mod, "parse", flaky)
    c = gxtables.parse_many([good, DEV / "p001.txt"], workers=0, progress=False)
    assert c.summary["error"].tolist()[0].startswith("internal error while parsing: RuntimeError: boom")
    assert c.summary["body"].tolist()[1] == "孝感市人民政府办公室"


def test_undecodable_file_is_an_error_row_naming_it(tmp_path):
    """A decoding failure is a reading error of that file, not an internal error, and the run goes on."""
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf\xe4\xb8\xad\xff\xfeabc")
    c = gxtables.read_many([bom, DEV / "p001.txt"], workers=0, progress=False)
    error, good = c.summary["error"].tolist()
    assert error.startswith(f"{bom}: ") and "not valid UTF-8" in error and "internal" not in error
    assert good is pd.NA and c.summary["body"].tolist()[1] == "孝感市人民政府办公室"


def test_callers_mistakes_raise(tmp_path):
    with pytest.raises(TypeError):
        gxtables.parse_many([3.5], workers=0, progress=False)
    with pytest.raises(ValueError):
        gxtables.parse_many([], workers=-1, progress=False)
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    with pytest.raises(FileExistsError):
        gxtables.parse_many([], workers=0, progress=False, out=tmp_path / "used")
    with pytest.raises(FileNotFoundError):
        gxtables.Corpus(tmp_path)


def test_input_is_consumed_lazily(tmp_path):
    """The parent never runs far ahead of the workers: memory does not grow with the corpus."""
    text = (DEV / "p001.txt").read_text(encoding="utf-8")
    out = tmp_path / "c"
    ahead = []

    def stream():
        for i in range(60):
            done = len(list((out / "summary").glob("part-*.parquet"))) if (out / "summary").exists() else 0
            ahead.append(i - done * 3)
            yield text

    c = gxtables.parse_many(stream(), workers=1, progress=False, out=out, batch_size=3)
    assert len(c) == 60 and len(c.part_files("summary")) == 20
    # at most two batches in flight per worker, plus the one being gathered
    assert max(ahead) <= 3 * 3 + 3
    reopened = gxtables.Corpus(out)
    assert len(reopened.summary) == 60
    assert reopened.summary["body"].tolist() == ["孝感市人民政府办公室"] * 60


def test_temporary_folder_removed_with_the_corpus():
    c = gxtables.parse_many([(DEV / "p001.txt").read_text(encoding="utf-8")], workers=0, progress=False)
    assert c.summary["body"].tolist() == ["孝感市人民政府办公室"]
    folder = c.folder
    assert folder.is_dir()
    del c
    import gc

    gc.collect()
    assert not folder.exists()


def test_codebook_covers_every_cell_of_every_edition():
    cb = codebook()
    ids = set(cb["id"])
    assert ids == set(cell_id_order())
    assert len(cb) == sum(len(t.cell_ids) for ed in editions() for t in ed.tables)
    assert False not in cb["english"].str.len().gt(10).tolist()
    row = cb[(cb["id"] == "proactive.normative_documents.in_force") & (cb["edition"] == "2021")].iloc[0]
    assert row["row_label"] == "行政规范性文件" and row["column_label"] == "现行有效件数"
    assert row["english"] == "Proactive disclosure: Normative documents — In force"
    row = cb[(cb["id"] == "proactive.normative_documents.total_published") & (cb["edition"] == "2019")].iloc[0]
    assert row["row_label"] == "规范性文件"
    assert cb.loc[cb["id"] == "appeals.review.other", "column_en"].iloc[0] == "Other outcome"
    assert list(cb["position"].drop_duplicates().sort_values()) == list(range(len(ids)))


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_every_frame_and_the_codebook(in_process, tmp_path, fmt):
    written = in_process.export(tmp_path, format=fmt)
    assert [p.name for p in written] == [f"{n}.{fmt}" for n in CORPUS_FRAMES]
    read = (lambda p: pd.read_csv(p)) if fmt == "csv" else (lambda p: pd.read_parquet(p))
    for name in ("cells", "wide", "summary", "checks", "leftovers"):
        frame = read(tmp_path / f"{name}.{fmt}")
        assert list(frame.columns) == list(corpus_mod.schema(name).names)
        assert len(frame) == len(in_process.frame(name, columns=["report"]))
    if fmt == "parquet":
        assert pq.read_schema(tmp_path / "cells.parquet").field("value").type == "double"
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "summary.parquet", dtype_backend="numpy_nullable")
                                      .astype(in_process.summary.dtypes), in_process.summary)
    assert list(read(tmp_path / f"codebook.{fmt}").columns) == list(codebook().columns)
    with pytest.raises(FileExistsError):
        in_process.export(tmp_path, format=fmt)


def test_cli_export_writes_the_corpus(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "corpus.parquet"
    assert main(["export", str(DEV), "-o", str(target), "--workers", "0"], out, err) == 0
    cells = pd.read_parquet(target)
    assert list(cells.columns)[:5] == ["report", "source", "body", "year", "edition"]
    assert cells["value"].notna().sum() > 2000
    summary = pd.read_parquet(tmp_path / "corpus.summary.parquet")
    assert len(summary) == len(list(corpus_mod.expand_paths(str(DEV))))
    assert (tmp_path / "corpus.codebook.parquet").exists() and (tmp_path / "corpus.cross_checks.parquet").exists()
    assert f"{target}: {len(cells)} rows" in out.getvalue()
    # never overwrite without --force; --wide puts the wide frame in the named file
    assert main(["export", str(DEV), "-o", str(target), "--workers", "0"], io.StringIO(), err) == 2
    assert "already exists" in err.getvalue()
    assert main(["export", str(SEEDS), "-o", str(target), "--workers", "0", "--wide", "--force"], io.StringIO(), io.StringIO()) == 0
    assert len(pd.read_parquet(target)) == 5
    err = io.StringIO()
    assert main(["export", str(SEEDS), str(tmp_path / "gone.txt"), "-o", str(tmp_path / "c.csv"), "--workers", "0"],
                io.StringIO(), err) == 2
    assert "gone.txt: UNREADABLE" in err.getvalue()
    assert main(["export", str(SEEDS), "-o", str(tmp_path / "c.xlsx")], io.StringIO(), io.StringIO()) == 2


def test_cli_check_verdicts_in_input_order(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    paths = [str(SEEDS), str(DEV / "g006-cells.txt"), str(DEV / "p021.txt"), str(tmp_path / "gone.txt")]
    assert main(["check", *paths, "--workers", "2"], out, err) == 2  # a file could not be read
    lines = out.getvalue().splitlines()
    verdicts = [ln for ln in lines if not ln.startswith("    ")]
    assert [v.split(": ")[0] for v in verdicts] == [*(str(p) for p in sorted(SEEDS.glob("*.txt"))),
                                                     str(DEV / "g006-cells.txt"), str(DEV / "p021.txt")]
    assert verdicts[1].startswith(f"{SEEDS / '001_db13a61a4a1852ee.txt'}: OK (edition=2019 year=2019 body=龙桥乡)")
    assert verdicts[5].split(": ")[1].startswith("FAIL") and lines[lines.index(verdicts[5]) + 1].startswith("    ERROR")
    assert "NOT A REPORT" in verdicts[6]
    assert "gone.txt: UNREADABLE" in err.getvalue()
    assert main(["check", str(SEEDS / "001_db13a61a4a1852ee.txt"), "--workers", "0"], io.StringIO(), io.StringIO()) == 0
    assert main(["check", str(DEV / "g006-cells.txt"), "--workers", "0"], io.StringIO(), io.StringIO()) == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers inherit the patched parser only when forked")
def test_a_dying_worker_costs_only_its_batch(monkeypatch):
    real_parse = corpus_mod.parse

    def deadly(text, source=None, **options):
        if text.startswith("KILL"):
            os._exit(3)  # the worker process dies as if killed or out of memory
        return real_parse(text, source=source, **options)

    monkeypatch.setattr(corpus_mod, "parse", deadly)
    good = (DEV / "p001.txt").read_text(encoding="utf-8")
    items = [good, good, "KILL", good, good, good]
    c = gxtables.parse_many(items, workers=1, progress=False, batch_size=1)
    s = c.summary
    assert list(s["report"]) == list(range(6))
    assert s.loc[2, "error"] == "the worker process parsing this batch died"
    # the batches in flight with it are tried again on a new pool: only the deadly one is lost
    assert s["error"].notna().tolist() == [False, False, True, False, False, False]
    assert s.drop(index=2)["body"].tolist() == ["孝感市人民政府办公室"] * 5


TITLES = ["某某县人民政府2023年政府信息公开工作年度报告 [详见附件]",  # a glob, were it a name
          "某某县人民政府2023年政府信息公开工作年度报告 附件.pdf",  # ends like a file name
          "某某县人民政府2023年政府信息公开工作年度报告 *"]


def test_parse_many_takes_texts_never_guessed_to_be_paths(tmp_path):
    c = gxtables.parse_many(TITLES, workers=0, progress=False)
    s = c.summary
    assert s["source"].tolist() == ["<text 0>", "<text 1>", "<text 2>"] and s["error"].isna().all()
    assert s["body"].tolist() == ["某某县人民政府"] * 3 and s["year"].tolist() == [2023] * 3
    named = tmp_path / "r.txt"  # a one-line text that names a file is still a text
    named.write_text((SEEDS / "001_db13a61a4a1852ee.txt").read_text(encoding="utf-8"), encoding="utf-8")
    s = gxtables.parse_many([str(named), named], workers=0, progress=False).summary
    assert s["source"].tolist() == ["<text 0>", str(named)]
    assert s["is_report"].tolist() == [False, True] and s["edition"].tolist()[1] == "2019"


def test_one_text_or_path_is_not_an_iterable_of_texts():
    for one in (TITLES[0], str(SEEDS), SEEDS, b"text"):
        with pytest.raises(TypeError, match="read_many"):
            gxtables.parse_many(one, workers=0, progress=False)


def test_read_many_takes_names_folders_and_globs():
    by_folder = gxtables.read_many(str(SEEDS), workers=0, progress=False).summary
    by_glob = gxtables.read_many(str(SEEDS / "*.txt"), workers=0, progress=False).summary
    by_path = gxtables.read_many(sorted(SEEDS.glob("*.txt")), workers=0, progress=False).summary
    assert len(by_folder) == len(by_glob) == len(by_path) == 5
    assert by_folder["error"].isna().all() and by_folder["source"].tolist() == by_path["source"].tolist()
    s = gxtables.read_many(TITLES[:2], workers=0, progress=False).summary  # names: no such files
    assert s["error"].str.contains("no such file").all()
