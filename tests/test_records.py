"""The record layer: every frame has its declared columns and types, whatever it holds."""
from __future__ import annotations

import pandas as pd
from conftest import DEV, assert_read

import gxtables
from gxtables import records
from gxtables.export import reports_to_long, reports_to_wide
from gxtables.numerals import format_number

NULLABLE = {"string": pd.StringDtype("pyarrow"), "int64": pd.Int64Dtype(), "float64": pd.Float64Dtype(),
            "bool": pd.BooleanDtype()}


def _declared(fields: records.Fields) -> dict[str, object]:
    return {name: NULLABLE[kind] for name, kind in fields}


def test_report_frames_have_their_declared_types_full_or_empty():
    full = gxtables.parse((DEV / "g002.txt").read_text(encoding="utf-8"))
    empty = gxtables.parse("今天天气很好。")
    assert len(full.cells) > 100 and len(full.checks) > 10 and len(full.narrative) > 3 and len(empty.cells) == 0
    for name, fields in (("cells", records.CELL_FIELDS), ("checks", records.CHECK_FIELDS),
                         ("leftovers", records.LEFTOVER_FIELDS), ("narrative", records.NARRATIVE_FIELDS)):
        for rep in (full, empty):
            frame = getattr(rep, name)
            assert dict(frame.dtypes) == _declared(fields), (name, rep.source)


def test_a_cell_record_reads_as_printed():
    rep = gxtables.parse((DEV / "g002.txt").read_text(encoding="utf-8"))
    row = rep.cells.set_index("id").loc["applications.new.total"]
    pc = next(p for p in rep.placed_cells if (p.cell.table, p.cell.row, p.cell.column) == ("applications", "new", "total"))
    assert row["value"] == pc.cell.value and row["status"] == pc.cell.status
    assert row["table_label"] and row["row_label"] and row["column_label"]
    assert row["char_start"] == pc.char_start and row["line"] == pc.line


def test_long_and_wide_exports_have_the_corpus_types():
    reps = [gxtables.parse((DEV / "g002.txt").read_text(encoding="utf-8"), source="b"),
            gxtables.parse("今天天气很好。", source="a")]
    long = reports_to_long(reps)
    assert list(long["source"].unique()) == ["b"] and len(long) == len(reps[0].placed_cells)
    assert dict(long.dtypes) == _declared(records.LONG_FIELDS)
    assert dict(reports_to_long([reps[1]]).dtypes) == _declared(records.LONG_FIELDS)
    wide = reports_to_wide(reps)
    assert list(wide["source"]) == ["a", "b"]
    assert dict(wide.dtypes) == _declared(records.wide_fields())
    assert wide.loc[1, "applications.new.total"] == reps[0].cells.set_index("id").loc["applications.new.total", "value"]
    assert dict(records.to_pandas(records.schema("wide").empty_table()).dtypes) == {
        "report": pd.Int64Dtype(), **_declared(records.wide_fields())}


def test_numbers_are_written_as_printed():
    assert format_number(12.0) == "12" and format_number(3.5) == "3.5" and format_number(-4.0) == "-4"
    assert records.value_text(7.0) == "7" and records.value_text("2021") == "2021" and records.value_text(None) is None


def test_an_empty_frame_is_a_copy_of_one_built_once():
    """Reports with no cells share the cost of building an empty frame, never the frame itself."""
    first, second = gxtables.parse("今天天气很好。"), gxtables.parse("|||\n")
    assert_read(first, second)
    assert first.cells is not second.cells and first.cells.empty and second.cells.empty
    first.cells["mine"] = 1
    first.cells["status"] = first.cells["status"].astype(object)
    assert "mine" not in second.cells.columns and "mine" not in gxtables.parse("x").cells.columns
    assert dict(gxtables.parse("x").cells.dtypes) == _declared(records.CELL_FIELDS)
