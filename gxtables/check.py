"""Stage 5 — check: the edition's rules evaluated on the reconstructed cells, as tidy records.

Rules come from the edition file. A rule instance whose cells are not all present is *not assessable*
(never failed); blank cells count as 0 in sums and the record says so; cells the alignment left
uncertain make their rules not assessable too, since their values are not known.
"""
from __future__ import annotations

from dataclasses import dataclass

from .align import BLANK_STATUS, UNCERTAIN, Cell
from .template import Edition, Rule, Table

__all__ = ["FAIL", "NOT_ASSESSABLE", "PASS", "Check", "cells_to_checks"]

PASS, FAIL, NOT_ASSESSABLE = "pass", "fail", "not_assessable"


@dataclass(frozen=True)
class Check:
    """One evaluated instance of a rule."""

    rule: str
    severity: str
    table: str | None
    instance: str | None  # the row or column the rule was applied to
    cells: tuple[str, ...]
    expected: float | str | None
    found: float | str | None
    status: str
    message: str


def _label(table: Table, row_id: str, column_id: str | None = None) -> str:
    row = table.row(row_id).label
    return row if column_id is None else f"{row}/{table.column(column_id).label}"


def _sum_checks(rule: Rule, table: Table, grid: dict[str, Cell]) -> list[Check]:
    out = []
    if rule.each == "column":
        targets = [(c.id, [(r, c.id) for r in rule.lhs], [(r, c.id) for r in rule.rhs], c.label) for c in table.columns]
    else:
        targets = [(r.id, [(r.id, c) for c in rule.lhs], [(r.id, c) for c in rule.rhs], r.label)
                   for r in table.data_rows if all(c in r.columns for c in rule.lhs + rule.rhs)]
    for instance, lhs, rhs, inst_label in targets:
        ids = tuple(f"{table.id}.{r}.{c}" for r, c in lhs + rhs)
        present = [grid.get(f"{r}.{c}") for r, c in lhs + rhs]
        if any(p is None for p in present) or any(p.status == UNCERTAIN for p in present):
            missing = [i for i, p in zip(ids, present) if p is None or p.status == UNCERTAIN]
            out.append(Check(rule.id, rule.severity, table.id, instance, ids, None, None, NOT_ASSESSABLE,
                             f"{rule.id} {inst_label}: not assessable, {len(missing)} cell(s) absent or uncertain "
                             f"({', '.join(missing[:3])}{'…' if len(missing) > 3 else ''})"))
            continue
        left = sum(grid[f"{r}.{c}"].value or 0 for r, c in lhs)
        right = sum(grid[f"{r}.{c}"].value or 0 for r, c in rhs)
        blanks = sum(grid[f"{r}.{c}"].status == BLANK_STATUS for r, c in lhs + rhs)
        holds = abs(left - right) < 1e-6 if rule.kind == "sum" else left <= right + 1e-6
        sign = "=" if rule.kind == "sum" else "≤"
        if rule.each == "row":
            lhs_text = "+".join(table.column(c).label for _, c in lhs)
            rhs_text = "+".join(table.column(c).label for _, c in rhs)
        else:
            lhs_text = "+".join(table.row(r).label for r, _ in lhs)
            rhs_text = "+".join(table.row(r).label for r, _ in rhs) if len(rhs) <= 4 else f"{len(rhs)}项之和"
        note = f" (blank cells counted as 0: {blanks})" if blanks else ""
        message = (f"{rule.id} {inst_label}: {lhs_text} = {_fmt(left)} {sign if holds else '≠' if rule.kind == 'sum' else '>'} "
                   f"{rhs_text} = {_fmt(right)}{note}. {rule.text}")
        out.append(Check(rule.id, rule.severity, table.id, instance, ids, right, left, PASS if holds else FAIL, message))
    return out


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _type_checks(rule: Rule, edition: Edition, cells: list[Cell]) -> list[Check]:
    out = []
    for table in edition.tables:
        bad = []
        for c in cells:
            if c.table != table.id or c.value is None or c.status == UNCERTAIN:
                continue
            kind = table.column(c.column).type
            v = c.value
            ok = (kind == "count" and v >= 0 and float(v).is_integer()) or (kind == "signed" and float(v).is_integer()) \
                or (kind == "decimal" and v >= 0)
            if not ok:
                bad.append(c)
        if not any(c.table == table.id for c in cells):
            continue
        if not bad:
            out.append(Check(rule.id, rule.severity, table.id, None, (), None, None, PASS,
                             f"TYPE {table.label}: every value has its column's type"))
        for c in bad:
            kind = table.column(c.column).type
            cid = f"{c.table}.{c.row}.{c.column}"
            out.append(Check(rule.id, rule.severity, table.id, c.column, (cid,), kind, c.value, FAIL,
                             f"TYPE {_label(table, c.row, c.column)}: {c.text or c.value!s} is not a valid {kind}. {rule.text}"))
    return out


def _blank_checks(rule: Rule, edition: Edition, cells: list[Cell]) -> list[Check]:
    out = []
    for table in edition.tables:
        blanks = [c for c in cells if c.table == table.id and c.status == BLANK_STATUS]
        if not any(c.table == table.id for c in cells):
            continue
        ids = tuple(f"{c.table}.{c.row}.{c.column}" for c in blanks)
        if blanks:
            markers = sorted({c.marker or "空" for c in blanks})
            out.append(Check(rule.id, rule.severity, table.id, None, ids, 0, len(blanks), FAIL,
                             f"BLANK {table.label}: {len(blanks)} cell(s) blank or printed as {'/'.join(markers)}. {rule.text}"))
        else:
            out.append(Check(rule.id, rule.severity, table.id, None, (), 0, 0, PASS, f"BLANK {table.label}: no blank cells"))
    return out


def _edition_check(rule: Rule, edition: Edition, year: int | None) -> list[Check]:
    if year is None:
        return [Check(rule.id, rule.severity, None, None, (), None, edition.edition, NOT_ASSESSABLE,
                      f"ED.MATCH: reporting year unknown; tables follow edition {edition.edition}")]
    ok = edition.covers(year)
    return [Check(rule.id, rule.severity, None, None, (), str(year), edition.edition, PASS if ok else FAIL,
                  f"ED.MATCH: {year}年报告使用{edition.edition}年版表格" + ("" if ok else f"; {rule.text}"))]


def _complete_checks(edition: Edition, cells: list[Cell], present_tables: set[str]) -> list[Check]:
    out = []
    have = {f"{c.table}.{c.row}.{c.column}" for c in cells}
    for table in edition.tables:
        expected = table.cell_ids
        missing = [cid for cid in expected if cid not in have]
        if table.id not in present_tables:
            message = f"COMPLETE {table.label}: table not found in the text"
        else:
            message = f"COMPLETE {table.label}: {len(expected) - len(missing)}/{len(expected)} cells present"
        status = PASS if not missing else FAIL
        out.append(Check("COMPLETE", "warning", table.id, None, tuple(missing), len(expected),
                         len(expected) - len(missing), status,
                         message + ("" if not missing else f"; missing {', '.join(missing[:3])}{'…' if len(missing) > 3 else ''}")))
    return out


def cells_to_checks(cells: list[Cell], edition: Edition, year: int | None, present_tables: set[str]) -> list[Check]:
    """Evaluate every rule of the edition on the cells; one record per rule instance."""
    grids: dict[str, dict[str, Cell]] = {}
    for c in cells:
        grids.setdefault(c.table, {})[f"{c.row}.{c.column}"] = c
    checks: list[Check] = []
    for rule in edition.rules:
        if rule.kind in ("sum", "le"):
            if rule.table in grids:
                checks.extend(_sum_checks(rule, edition.table(rule.table), grids[rule.table]))
        elif rule.kind == "type":
            checks.extend(_type_checks(rule, edition, cells))
        elif rule.kind == "blank":
            checks.extend(_blank_checks(rule, edition, cells))
        elif rule.kind == "edition_year":
            checks.extend(_edition_check(rule, edition, year))
    checks.extend(_complete_checks(edition, cells, present_tables))
    return checks
