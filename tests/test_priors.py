"""The priors: learned from real tables, from the bundled records or from one's own reports."""
from __future__ import annotations

import json

import pytest
from conftest import DEGRADED, DEV

import gxtables
from gxtables.priors import expected_to_priors, reports_to_records
from gxtables.rates import Priors


def test_bundled_priors_say_natural_persons_lead_table_three():
    bundled = Priors.bundled()
    rate, rows = bundled.filled_when_any["applications.natural_person"]
    assert rate > 0.95 and rows >= 20
    assert bundled.lead_column("applications") == ("natural_person", rate)
    assert bundled.lead_column("proactive") is None  # too few real rows to say
    assert 0.01 <= bundled.fill_probability("applications", "new.natural_person") <= 0.99


def test_only_tables_read_cell_by_cell_teach():
    clean = gxtables.parse((DEV / "g002.txt").read_text(encoding="utf-8"))
    dropped = gxtables.parse((DEGRADED / "g002-dropped.txt").read_text(encoding="utf-8"))
    from_clean = reports_to_records([clean])
    assert {next(iter(r["cells"])).split(".")[0] for r in from_clean} >= {"proactive", "applications"}
    inferred = {c.cell.table for c in clean.placed_cells if c.cell.status not in ("read", "blank")}
    assert not inferred & {next(iter(r["cells"])).split(".")[0] for r in from_clean}
    from_dropped = reports_to_records([dropped])
    assert all(not any(k.startswith("applications.") for k in r["cells"]) for r in from_dropped)
    priors = expected_to_priors(from_clean)
    assert priors["filled_when_any"]["applications.natural_person"][1] > 0


def _cells(report) -> dict:
    return {(pc.cell.table, pc.cell.row, pc.cell.column): (pc.cell.value, pc.cell.status) for pc in report.placed_cells}


def test_priors_are_passed_in_and_change_where_dropped_numbers_go():
    """The priors decide between placements the rules leave open: without them (every cell alike) the
    row `| 705 | 705 |` of g002-dropped no longer puts 705 under 自然人."""
    text = (DEGRADED / "g002-dropped.txt").read_text(encoding="utf-8")
    learned, flat = gxtables.parse(text), gxtables.parse(text, priors=Priors())
    assert _cells(learned)[("applications", "new", "natural_person")] == (705.0, "inferred")
    assert _cells(flat)[("applications", "new", "natural_person")] == (705.0, "uncertain")
    assert _cells(gxtables.parse(text)) == _cells(learned)  # nothing of the other run stayed behind


def test_own_priors_file_is_used_and_checked(tmp_path, monkeypatch):
    """GXTABLES_PRIORS is read as each run starts: no cache to clear, a changed file is read anew."""
    text = (DEGRADED / "g002-dropped.txt").read_text(encoding="utf-8")
    learned = _cells(gxtables.parse(text))
    own = tmp_path / "priors.json"
    own.write_text(json.dumps({"tables": {"applications": 0.5}, "filled_row": {}, "filled_column": {}}), encoding="utf-8")
    monkeypatch.setenv("GXTABLES_PRIORS", str(own))
    assert Priors.default().tables == {"applications": 0.5}
    assert Priors.default().lead_column("applications") is None
    assert _cells(gxtables.parse(text)) == _cells(gxtables.parse(text, priors=Priors.load(own))) != learned
    own.write_text("[]", encoding="utf-8")
    with pytest.raises(ValueError, match="not a priors file"):
        Priors.default()
    with pytest.raises(ValueError, match="not a priors file"):
        gxtables.parse(text)  # the caller's mistake: raised, not an "internal error" report
    monkeypatch.setenv("GXTABLES_PRIORS", str(tmp_path / "missing.json"))
    with pytest.raises(FileNotFoundError, match="GXTABLES_PRIORS"):
        Priors.default()
    monkeypatch.delenv("GXTABLES_PRIORS")
    assert _cells(gxtables.parse(text)) == learned


def test_a_corpus_run_takes_its_priors_to_every_worker(tmp_path):
    text = (DEGRADED / "g002-dropped.txt").read_text(encoding="utf-8")
    for workers in (0, 1):
        c = gxtables.parse_many([text], workers=workers, progress=False, priors=Priors())
        cells = c.cells.set_index("id")
        assert cells.loc["applications.new.natural_person", "status"] == "uncertain", workers
    c = gxtables.parse_many([text], workers=1, progress=False)
    assert c.cells.set_index("id").loc["applications.new.natural_person", "status"] == "inferred"


def test_learning_writes_only_where_it_is_told(tmp_path, monkeypatch):
    from gxtables.priors import main

    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        main([str(DEV)])  # no -o: refused, nothing written into the package
    target = tmp_path / "mine.json"
    assert main([str(DEV), "-o", str(target)]) == 0
    learned = Priors.load(target)
    assert learned.lead_column("applications")[0] == "natural_person"
