"""Cross-report checks on a corpus: X.CARRY and X.VALID between consecutive years of one body.

The real 2025 report of 沐阳县人民政府 (data/dev/g002-row.txt) is paired with a 2024 report rendered
from its own figures, printed under other spellings of the body's name.
"""
from __future__ import annotations

import pytest
from conftest import DEV, unrefused
from render import edition, render_report

import gxtables
from gxtables.corpus import CROSS_CHECK_COLUMNS, body_key, cross_checks, pair_reports
from gxtables.crossyear import cross_cells, cross_rules, cross_rules_from_toml
from gxtables.template import TemplateError

CARRY_COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")


@pytest.mark.parametrize(("a", "b"), [
    ("沭阳县人民政府", "沭陽縣人民政府"),
    ("沭阳县人民政府", "沭阳县 人民政府"),
    ("沭阳县人民政府", "沭阳县政府"),
    ("沭阳县人民政府", "沭阳县"),
    ("孝感市人民政府办公室", "孝感市政府办公室"),
    ("下管镇（上虞区）", "下管镇(上虞区)"),
])
def test_body_names_that_are_one_body(a, b):
    assert body_key(a) == body_key(b)


@pytest.mark.parametrize(("a", "b"), [("沭阳县人民政府", "沭阳县发展和改革局"), ("洪泽区人民政府", "沭阳县人民政府")])
def test_body_names_that_are_not(a, b):
    assert body_key(a) != body_key(b)


def test_body_key_of_nothing():
    assert body_key(None) is None and body_key("") is None and body_key("  ") is None


@pytest.fixture(scope="module")
def real_2025():
    return gxtables.read(DEV / "g002-row.txt")


def _values(report) -> dict[str, float | None]:
    return {f"{pc.cell.table}.{pc.cell.row}.{pc.cell.column}": pc.cell.value
            for pc in report.placed_cells if pc.cell.status != "uncertain"}


def _year_before(report, body: str, *, carry_shift: float = 0, in_force_shift: float = 0) -> str:
    """Last year's report as this year's figures imply it: carried forward = carried over, in force = in
    force − issued + repealed (``*_shift`` breaks one of them)."""
    now = _values(report)
    prev = dict(now)
    for c in CARRY_COLUMNS:
        prev[f"applications.carried_forward.{c}"] = now[f"applications.carried_over.{c}"]
    prev["applications.carried_forward.natural_person"] += carry_shift
    for row in ("regulations", "normative_documents"):
        prev[f"proactive.{row}.in_force"] = (now[f"proactive.{row}.in_force"] - now[f"proactive.{row}.issued"]
                                            + now[f"proactive.{row}.repealed"])
    prev["proactive.normative_documents.in_force"] += in_force_shift
    return render_report(edition("2021"), prev, "row", year=report.year - 1, body=body)


def test_consecutive_years_pass(real_2025):
    assert real_2025.year == 2025 and real_2025.body == "沐阳县人民政府"
    before = _year_before(real_2025, "沐陽縣政府")
    c = gxtables.parse_many([before, DEV / "g002-row.txt"], workers=0, progress=False)
    pairs = c.pairs
    assert len(pairs) == 1
    p = pairs.iloc[0]
    assert (p["year"], p["prev_year"], p["report"], p["prev_report"]) == (2025, 2024, 1, 0)
    assert p["body"] == "沐阳县人民政府" and p["prev_body"] == "沐陽縣政府"
    x = c.cross_checks
    assert list(x.columns) == CROSS_CHECK_COLUMNS
    carry = x[x["rule"] == "X.CARRY"]
    assert list(carry["instance"]) == list(CARRY_COLUMNS)
    assert (carry["status"] == "pass").all(), carry["message"].tolist()
    assert carry.iloc[0]["found"] == "36"  # 2025's 上年结转 for natural persons, as printed
    valid = x[x["rule"] == "X.VALID"]
    assert list(valid["instance"]) == ["regulations", "normative_documents"]
    assert (valid["status"] == "pass").all(), valid["message"].tolist()
    assert (x["severity"] == "warning").all()


def test_breaks_between_years_fail_and_say_where(real_2025):
    before = _year_before(real_2025, "沐阳县人民政府", carry_shift=4, in_force_shift=-3)
    c = gxtables.parse_many([DEV / "g002-row.txt", before], workers=0, progress=False)
    x = c.cross_checks
    failed = x[x["status"] == "fail"]
    assert set(zip(failed["rule"], failed["instance"])) == {("X.CARRY", "natural_person"), ("X.VALID", "normative_documents")}
    msg = failed[failed["rule"] == "X.CARRY"]["message"].iloc[0]
    assert "2025年上年结转 = 36 ≠ 2024年结转下年度 = 40" in msg
    assert failed[failed["rule"] == "X.VALID"]["expected"].iloc[0] == "29"  # 2024's 24 in force + 6 issued − 1 repealed
    assert int(c.failed_rules()["X.CARRY"]) == 1


def test_no_pairs_across_bodies_or_gaps(real_2025):
    two_years_before = render_report(edition("2021"), _values(real_2025), "row", year=2023, body="沐阳县人民政府")
    other_body = _year_before(real_2025, "洪泽区人民政府")
    c = gxtables.parse_many([DEV / "g002-row.txt", two_years_before, other_body], workers=0, progress=False)
    assert c.pairs.empty and c.cross_checks.empty


def test_absent_cells_are_not_assessable(real_2025):
    now = _values(real_2025)
    only_t2 = {k: v for k, v in now.items() if k.startswith("proactive.")}
    before = render_report(edition("2021"), only_t2, "row", year=2024, body="沐阳县")
    wide = gxtables.parse_many([before, DEV / "g002-row.txt"], workers=0, progress=False).wide()
    x = cross_checks(wide)
    assert (x.loc[x["rule"] == "X.CARRY", "status"] == "not_assessable").all()
    assert len(pair_reports(wide)) == 1


def test_cli_check_cross_years(real_2025, tmp_path):
    import io

    from gxtables.cli import main

    before = tmp_path / "2024.txt"
    before.write_text(_year_before(real_2025, "沐阳县人民政府", carry_shift=4), encoding="utf-8")
    out = io.StringIO()
    main(["check", str(before), str(DEV / "g002-row.txt"), "--cross", "--workers", "0"], out, io.StringIO())
    assert f"{DEV / 'g002-row.txt'}: CROSS-YEAR with {before}\n    WARNING X.CARRY natural_person" in out.getvalue()


# ---------------------------------------------------------------------------- the rules are data
def _rules(**changes) -> dict:
    spec = {"id": "X.TEST", "severity": "warning", "kind": "carry", "table": "applications", "this_year": "carried_over",
            "last_year": "carried_forward", "columns": ["total"], "words": {"this_year": "上年结转", "last_year": "结转下年度"},
            "text": "本年上年结转等于上年结转下年度"}
    spec.update(changes)
    return {"rules": [{k: v for k, v in spec.items() if v is not None}]}


def test_shipped_cross_year_rules_come_from_their_file():
    rules = cross_rules()
    assert [r.id for r in rules] == ["X.CARRY", "X.VALID"]
    carry, valid = rules
    assert carry.instances == CARRY_COLUMNS and carry.editions == ()
    assert carry.cell_ids("total") == ("applications.carried_over.total", "applications.carried_forward.total")
    assert valid.editions == ("2021",)
    assert valid.cell_ids("regulations") == ("proactive.regulations.in_force", "proactive.regulations.issued",
                                             "proactive.regulations.repealed")
    assert set(cross_cells()) >= {"applications.carried_forward.total", "proactive.normative_documents.in_force"}


# changes to a valid rule → the words of the refusal
WRONG_RULES = [
    ({"kind": "sum"}, "kind must be one of"),
    ({"severity": "fatal"}, "severity"),
    ({"columns": ["nobody"]}, r"applications\.carried_over\.nobody is not a cell of edition 2019"),
    ({"this_year": "granted", "table": "proactive"}, "is not a cell of edition"),
    ({"editions": ["2030"]}, "unknown edition"),
    ({"colour": "red"}, "unknown keys"),
    ({"words": {"this_year": "上年结转"}}, "words needs"),
    ({"columns": []}, "columns lists"),
    ({"text": None}, "text is required"),
]


def test_a_wrong_cross_year_rule_is_refused_with_its_file():
    """Each wrong rule is refused with a message that names the file first, then the problem."""
    cases = [(changes, rf"(?s)^rules\.toml: .*{error}") for changes, error in WRONG_RULES]
    assert unrefused(cases, lambda changes: cross_rules_from_toml(_rules(**changes), "rules.toml"), TemplateError) == []


def test_duplicate_cross_year_rules_are_refused():
    twice = {"rules": _rules()["rules"] * 2}
    with pytest.raises(TemplateError, match="duplicate rule ids"):
        cross_rules_from_toml(twice, "rules.toml")


def test_a_cross_year_rule_of_ones_own_is_evaluated_like_the_shipped_ones(real_2025):
    before = _year_before(real_2025, "沐阳县人民政府", carry_shift=4)
    wide = gxtables.parse_many([before, DEV / "g002-row.txt"], workers=0, progress=False).wide()
    mine = cross_rules_from_toml(_rules(columns=["natural_person", "total"], editions=["2021"]), "rules.toml")
    x = cross_checks(wide, mine)
    assert list(x["rule"]) == ["X.TEST", "X.TEST"] and list(x["instance"]) == ["natural_person", "total"]
    assert list(x["status"]) == ["fail", "pass"]  # the shift moves one column only
    assert x["message"].iloc[0].startswith("X.TEST natural_person: 2025年上年结转 = 36 ≠ 2024年结转下年度 = 40")
    assert cross_checks(wide, mine[:0]).empty
