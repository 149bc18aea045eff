"""The same reports give byte-identical exports, whatever the order they are named in or read in."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from conftest import DEGRADED, DEV, SEEDS, assert_frame_read, assert_read
from hypothesis import given
from hypothesis import strategies as st

import gxtables
from gxtables.cli import main
from gxtables.export import reports_to_long, reports_to_wide, write_frame

# real reports of every kind: pre-2019, both editions, markdown and PDF text, cells dropped or run together
PATHS = [*sorted(SEEDS.glob("*.txt"))[:3], *sorted(DEV.glob("g0*.txt"))[:4],
         DEGRADED / "g013-dropped.txt", DEGRADED / "g020-bs4lines.txt"]


def _export(tmp_path, name: str, paths, *flags: str) -> bytes:
    target = tmp_path / name
    code = main(["export", *map(str, paths), "-o", str(target), *flags], out=io.StringIO(), err=io.StringIO())
    assert code in (0, 2)
    _assert_read(pd.read_csv(target) if target.suffix == ".csv" else pd.read_parquet(target))
    return target.read_bytes()


def _assert_read(frame) -> None:
    """The bytes compared are those of reports that were read: equal empty frames prove nothing."""
    if "id" not in frame.columns:  # the wide frame: one row per report, with its summary
        assert_frame_read(frame)
        assert frame["cells"].sum() > 1000
    else:
        assert frame["value"].notna().sum() > 1000


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize("wide", [False, True])
def test_cli_export_ignores_input_order(tmp_path, suffix, wide):
    flags = ("--wide",) if wide else ()
    forward = _export(tmp_path, f"a{suffix}", PATHS, *flags)
    backward = _export(tmp_path, f"b{suffix}", PATHS[::-1], *flags)
    shuffled = _export(tmp_path, f"c{suffix}", PATHS[1::2] + PATHS[::2], *flags)
    assert forward == backward == shuffled


def test_frames_ignore_report_order_and_repeat_runs(tmp_path):
    reports = [gxtables.read(p) for p in PATHS]
    again = [gxtables.read(p) for p in reversed(PATHS)]
    assert_read(*reports, *again)
    assert sum(len(r.placed_cells) for r in reports) > 1000
    for build in (reports_to_long, reports_to_wide):
        a = write_frame(build(reports), tmp_path / f"{build.__name__}-a.csv")
        b = write_frame(build(again), tmp_path / f"{build.__name__}-b.csv")
        assert a.read_bytes() == b.read_bytes()


def _canonical(frame, tmp_path, name: str) -> tuple[bytes, bytes]:
    """A frame sorted by source (stable), without the input-position key, as CSV and Parquet bytes."""
    frame = frame.drop(columns=[c for c in ("report",) if c in frame.columns])
    frame = frame.sort_values("source", kind="stable").reset_index(drop=True)
    csv = write_frame(frame, tmp_path / f"{name}.csv")
    parquet = write_frame(frame, tmp_path / f"{name}.parquet")
    return csv.read_bytes(), parquet.read_bytes()


def test_parse_many_ignores_workers_and_order(tmp_path):
    parse_many = getattr(gxtables, "parse_many", None)
    if parse_many is None:
        pytest.skip("gxtables.parse_many is not available in this version")
    runs = {}
    for workers, paths in ((0, PATHS), (1, PATHS), (2, PATHS[::-1]), (3, PATHS[1::2] + PATHS[::2])):
        corpus = parse_many(list(paths), workers=workers, progress=False)  # pathlib.Path items are files
        _assert_read(corpus.wide())
        runs[workers] = {name: _canonical(getattr(corpus, name)() if name == "wide" else getattr(corpus, name),
                                          tmp_path, f"{name}-{workers}")
                         for name in ("cells", "summary", "wide")}
    first = runs[0]
    for workers, frames in runs.items():
        assert frames == first, f"workers={workers} gave other bytes"


def test_parse_many_gives_an_error_row_per_bad_file(tmp_path):
    parse_many = getattr(gxtables, "parse_many", None)
    if parse_many is None:
        pytest.skip("gxtables.parse_many is not available in this version")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    image = tmp_path / "image.txt"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    corpus = parse_many([tmp_path / "missing.txt", PATHS[0], empty, image], workers=0, progress=False)
    summary = corpus.summary
    assert len(summary) == 4
    assert summary.loc[summary["source"] == str(PATHS[0]), "body"].tolist() == ["太和镇"]
    errors = summary[summary["source"] != str(PATHS[0])]
    assert len(errors) == 3
    if "error" in summary.columns:
        assert errors["error"].notna().all()
        assert all(src in msg for src, msg in zip(errors["source"], errors["error"], strict=True))


def test_parquet_bytes_ignore_the_number_of_workers(tmp_path):
    """Workers split the reports into batches of other sizes; the files written do not show it."""
    paths = [*PATHS, *sorted(DEV.glob("p0*.txt"))[:3]]
    files = {}
    for workers in (1, 2):
        target = tmp_path / str(workers) / "corpus.parquet"
        target.parent.mkdir()
        assert main(["export", *map(str, paths), "-o", str(target), "--quiet", "--workers", str(workers)],
                    out=io.StringIO(), err=io.StringIO()) == 0
        files[workers] = {p.name: p.read_bytes() for p in sorted(target.parent.iterdir())}
    assert len(files[1]) == 7 and files[1] == files[2]


@given(st.lists(st.integers(0, 30), max_size=12), st.lists(st.integers(0, 30), max_size=12), st.integers(1, 9))
def test_row_groups_do_not_depend_on_the_parts(cuts_a, cuts_b, rows):
    """However the same rows come in parts, they are written in the same row groups."""
    import pyarrow as pa

    from gxtables.export import _row_groups

    total = min(sum(cuts_a), sum(cuts_b))
    data = pa.table({"x": list(range(total))})

    def parts(cuts):
        at = 0
        for n in cuts:
            n = min(n, total - at)
            yield data.slice(at, n)
            at += n
        if at < total:
            yield data.slice(at)

    groups_a, groups_b = list(_row_groups(parts(cuts_a), rows)), list(_row_groups(parts(cuts_b), rows))
    assert [g.column("x").to_pylist() for g in groups_a] == [g.column("x").to_pylist() for g in groups_b]
    assert all(g.num_rows == rows for g in groups_a[:-1]) and sum(g.num_rows for g in groups_a) == total
