"""Edition files are data, validated when loaded: every cell id of the contract, and clear errors for bad files."""
from __future__ import annotations

import tomllib
from importlib import resources

from conftest import unrefused

from gxtables.template import TemplateError, edition_from_toml, editions


def _raw(name: str) -> dict:
    return tomllib.loads((resources.files("gxtables") / "editions" / f"{name}.toml").read_text(encoding="utf-8"))


def test_editions_cell_counts_match_the_contract():
    by = {e.edition: e for e in editions()}
    assert set(by) >= {"2019", "2021"}
    counts = {ed: {t.id: len(t.cell_ids) for t in e.tables} for ed, e in by.items() if ed in ("2019", "2021")}
    assert counts["2019"] == {"proactive": 22, "applications": 161, "appeals": 15}
    assert counts["2021"] == {"proactive": 10, "applications": 175, "appeals": 15}


def test_contract_ids_and_labels():
    e = next(e for e in editions() if e.edition == "2021")
    apps = e.table("applications")
    assert [c.id for c in apps.columns] == ["natural_person", "commercial", "research", "social_welfare",
                                            "legal_service", "other_org", "total"]
    assert apps.row("partly_granted").label == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert "applications.other_no_fee.total" in apps.cell_ids
    assert e.table("proactive").column("amount").type == "decimal"


def test_invalid_edition_file_is_refused_with_its_name():
    breakages = ["bad_id", "bad_type", "unknown_rule_row", "bad_severity", "missing_key"]
    assert unrefused([(b, r"broken\.toml") for b in breakages], _broken, TemplateError) == []


def _broken(breakage: str) -> None:
    """Read the 2021 edition file with one thing in it broken."""
    data = _raw("2021")
    if breakage == "bad_id":
        data["tables"][0]["rows"][0]["id"] = "Not Snake"
    elif breakage == "bad_type":
        data["tables"][0]["columns"][0]["type"] = "percent"
    elif breakage == "unknown_rule_row":
        data["rules"][0]["lhs"] = ["no_such_row"]
    elif breakage == "bad_severity":
        data["rules"][0]["severity"] = "fatal"
    else:
        del data["markers"]
    edition_from_toml(data, "broken.toml")
