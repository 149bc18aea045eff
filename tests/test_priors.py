"""The priors: learned from real tables, from the bundled records or from one's own reports."""
from __future__ import annotations

import json

import pytest
from conftest import DEGRADED, DEV

import gxtables
from gxtables import solve
from gxtables.priors import expected_to_priors, reports_to_records


def test_bundled_priors_say_natural_persons_lead_table_three():
    learned = solve.priors()
    rate, rows = learned["filled_when_any"]["applications.natural_person"]
    assert rate > 0.95 and rows >= 20
    assert solve.lead_column("applications") == ("natural_person", rate)
    assert solve.lead_column("proactive") is None  # too few real rows to say


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


def test_own_priors_file_is_used_and_checked(tmp_path, monkeypatch):
    own = tmp_path / "priors.json"
    own.write_text(json.dumps({"tables": {"applications": 0.5}, "filled_row": {}, "filled_column": {}}), encoding="utf-8")
    monkeypatch.setenv("GXTABLES_PRIORS", str(own))
    solve.priors.cache_clear()
    try:
        assert solve.priors()["tables"] == {"applications": 0.5}
        assert solve.lead_column("applications") is None
        own.write_text("[]", encoding="utf-8")
        solve.priors.cache_clear()
        with pytest.raises(ValueError, match="not a priors file"):
            solve.priors()
        monkeypatch.setenv("GXTABLES_PRIORS", str(tmp_path / "missing.json"))
        solve.priors.cache_clear()
        with pytest.raises(FileNotFoundError, match="GXTABLES_PRIORS"):
            solve.priors()
    finally:
        monkeypatch.delenv("GXTABLES_PRIORS")
        solve.priors.cache_clear()
