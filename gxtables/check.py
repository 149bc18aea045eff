"""Stage 5 — check: the edition's rules evaluated on the reconstructed cells, as tidy records.

Rules come from the edition file. A rule instance whose cells are not all present is *not assessable*
(never failed); blank cells count as 0 in sums and the record says so; cells the alignment left
uncertain make their rules not assessable too, since their values are not known.

The prose rules (``figures_to_checks``) compare the figures stated in the text with the cells, and
every such record names both places: the sentence (line, offset) and the cell ids.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from .align import BLANK_STATUS, INFERRED, UNCERTAIN, Cell, Leftover, TableReading
from .narrative import PlacedFigure
from .numerals import format_number
from .template import PROSE_KINDS, Edition, Rule, Table
from .tokenize import held_exactly
from .vocabulary import quantity_labels

__all__ = ["FAIL", "NOT_ASSESSABLE", "PASS", "Check", "cells_to_checks", "figures_to_checks", "inexact_to_leftovers"]

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


INEXACT = "more digits than a float holds exactly (a count is at most 2**53): not a value of the table"
INEXACT_PLACED = "placed by sums over a number a float cannot hold exactly: the placement is not known"


def inexact_to_leftovers(reading: TableReading, solved: bool = False) -> bool:
    """Move each cell whose printed number a float cannot hold exactly ("12345678901234567" would be
    stored as …568, read and checked) to the leftovers, its digits kept in ``text`` and no value; and
    clear the value of such leftovers. Called before the solver (so its sums never use such a number)
    and after it (``solved``): a cell it placed from such a run leaves its table's inferred cells
    uncertain, since the sums that placed them were wrong. True when a cell was moved."""
    kept, moved = [], []
    for cell in reading.cells:
        (kept if held_exactly(cell.text, cell.value) else moved).append(cell)
    for i, lo in enumerate(reading.leftovers):
        if not held_exactly(lo.text, lo.value):
            reading.leftovers[i] = Leftover(lo.table, None, lo.text, lo.start, lo.end, f"{lo.reason}; {INEXACT}")
    if not moved:
        return False
    for cell in moved:
        reading.leftovers.append(Leftover(cell.table, None, cell.text, cell.start or 0, cell.end or 0, INEXACT))
    if solved:
        kept = [replace(c, status=UNCERTAIN, reason=INEXACT_PLACED) if c.status == INFERRED else c for c in kept]
    reading.cells[:] = kept
    return True


def _label(table: Table, row_id: str, column_id: str | None = None) -> str:
    row = table.row(row_id).label
    return row if column_id is None else f"{row}/{table.column(column_id).label}"


@dataclass(frozen=True)
class _Instance:
    """One row or column a sum rule applies to, with what its records say that does not depend on values."""

    instance: str
    label: str
    ids: tuple[str, ...]  # full cell ids, left side first
    keys: tuple[str, ...]  # "row.column" keys into a table's grid, in the same order
    n_left: int
    lhs_text: str
    rhs_text: str


@lru_cache(maxsize=256)
def _instances(rule: Rule, table: Table) -> tuple[_Instance, ...]:
    """The rule's instances on a table: the same for every report, so worked out once per template
    (kept by value, a few hundred at most: an edition loaded again finds them)."""
    if rule.each == "column":
        targets = [(c.id, [(r, c.id) for r in rule.lhs], [(r, c.id) for r in rule.rhs], c.label) for c in table.columns]
    else:
        targets = [(r.id, [(r.id, c) for c in rule.lhs], [(r.id, c) for c in rule.rhs], r.label)
                   for r in table.data_rows if all(c in r.columns for c in rule.lhs + rule.rhs)]
    out = []
    for instance, lhs, rhs, inst_label in targets:
        if rule.each == "row":
            lhs_text = "+".join(table.column(c).label for _, c in lhs)
            rhs_text = "+".join(table.column(c).label for _, c in rhs)
        else:
            lhs_text = "+".join(table.row(r).label for r, _ in lhs)
            rhs_text = "+".join(table.row(r).label for r, _ in rhs) if len(rhs) <= 4 else f"{len(rhs)}项之和"
        out.append(_Instance(instance, inst_label, tuple(f"{table.id}.{r}.{c}" for r, c in lhs + rhs),
                             tuple(f"{r}.{c}" for r, c in lhs + rhs), len(lhs), lhs_text, rhs_text))
    return tuple(out)


def _sum_checks(rule: Rule, table: Table, grid: dict[str, Cell]) -> list[Check]:
    out = []
    sign = "=" if rule.kind == "sum" else "≤"
    for inst in _instances(rule, table):
        present = [grid.get(k) for k in inst.keys]
        if any(p is None or p.status == UNCERTAIN for p in present):
            missing = [i for i, p in zip(inst.ids, present) if p is None or p.status == UNCERTAIN]
            out.append(Check(rule.id, rule.severity, table.id, inst.instance, inst.ids, None, None, NOT_ASSESSABLE,
                             f"{rule.id} {inst.label}: not assessable, {len(missing)} cell(s) absent or uncertain "
                             f"({', '.join(missing[:3])}{'…' if len(missing) > 3 else ''})"))
            continue
        left = sum(p.value or 0 for p in present[:inst.n_left])
        right = sum(p.value or 0 for p in present[inst.n_left:])
        if rule.blank_lhs_not_given and right and all(p.status == BLANK_STATUS for p in present[:inst.n_left]):
            out.append(Check(rule.id, rule.severity, table.id, inst.instance, inst.ids, right, None, NOT_ASSESSABLE,
                             f"{rule.id} {inst.label}: not assessable, {inst.lhs_text} printed blank (not given) "
                             f"beside {inst.rhs_text} = {format_number(right)}"))
            continue
        blanks = sum(p.status == BLANK_STATUS for p in present)
        holds = abs(left - right) < 1e-6 if rule.kind == "sum" else left <= right + 1e-6
        note = f" (blank cells counted as 0: {blanks})" if blanks else ""
        message = (f"{rule.id} {inst.label}: {inst.lhs_text} = {format_number(left)} {sign if holds else '≠' if rule.kind == 'sum' else '>'} "
                   f"{inst.rhs_text} = {format_number(right)}{note}. {rule.text}")
        out.append(Check(rule.id, rule.severity, table.id, inst.instance, inst.ids, right, left, PASS if holds else FAIL, message))
    return out


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


# ---------------------------------------------------------------------------- prose rules
def _quote(pf: PlacedFigure) -> str:
    """The sentence of a stated figure, cut to a readable length."""
    return pf.sentence if len(pf.sentence) <= 80 else pf.sentence[:77] + "…"


def _where(pf: PlacedFigure) -> str:
    """The place of a stated figure, as a reader finds it: line, offset and the sentence."""
    return f"第{pf.line}行字符{pf.char_start}「{_quote(pf)}」"


def _cells_text(ids: tuple[str, ...]) -> str:
    return ids[0] if len(ids) == 1 else f"{'+'.join(ids[:3])}{'…' if len(ids) > 3 else ''} ({len(ids)}格之和)"


def _year_figures(figures: list[PlacedFigure]) -> list[PlacedFigure]:
    """Figures that state this year's value exactly (not cumulative, not "余/多", not another year)."""
    return [pf for pf in figures if pf.figure.scope == "year" and pf.figure.value is not None and not pf.figure.approx]


def _text_checks(rule: Rule, figures: list[PlacedFigure], grid: dict[str, Cell], present: set[str]) -> list[Check]:
    labels, mapping, alternatives, out = quantity_labels(), dict(rule.cells), dict(rule.alternatives), []
    for pf in figures:
        f = pf.figure
        named = f.detail if f.detail in mapping else f.quantity  # a reason is checked against its own row
        ids = mapping.get(named)
        if not ids or f.scope != "year" or f.value is None:
            continue
        tables = {cid.split(".")[0] for cid in ids}
        if not tables <= present:
            continue  # the table is not in the text: the prose is checked on its own (N.BAL)
        instance = f"{named}@{pf.char_start}"
        table = next(iter(tables)) if len(tables) == 1 else None
        cells = [grid.get(cid) for cid in ids]
        head = f"{rule.id} {labels.get(named, named)}: 正文{_where(pf)}"
        if f.approx:
            out.append(Check(rule.id, rule.severity, table, instance, ids, None, f.value, NOT_ASSESSABLE,
                             f"{head} 为约数（{f.text}），不与表格 {'+'.join(ids)} 比较"))
            continue
        if any(c is None or c.status == UNCERTAIN for c in cells):
            missing = [cid for cid, c in zip(ids, cells) if c is None or c.status == UNCERTAIN]
            out.append(Check(rule.id, rule.severity, table, instance, ids, None, f.value, NOT_ASSESSABLE,
                             f"{head} = {format_number(f.value)}; not assessable, {len(missing)} cell(s) absent or uncertain "
                             f"({', '.join(missing[:3])}{'…' if len(missing) > 3 else ''})"))
            continue
        total = sum(c.value or 0 for c in cells)
        holds = abs(total - f.value) < 1e-6
        message = f"{head} = {format_number(f.value)} {'=' if holds else '≠'} 表格 {_cells_text(ids)} = {format_number(total)}"
        alt = alternatives.get(named, ())
        alt_cells = [grid.get(cid) for cid in alt]
        if not holds and alt and all(c is not None and c.status != UNCERTAIN for c in alt_cells):
            alt_total = sum(c.value or 0 for c in alt_cells)
            if abs(alt_total - f.value) < 1e-6:  # the prose counts differently, and agrees with the table
                holds = True
                message += f", but = {_cells_text(alt)} = {format_number(alt_total)}"
        out.append(Check(rule.id, rule.severity, table, instance, ids, total, f.value, PASS if holds else FAIL,
                         message + ("" if holds else f". {rule.text}")))
    return out


def _review_status_checks(rule: Rule, figures: list[PlacedFigure], grid: dict[str, Cell], present: set[str]) -> list[Check]:
    labels, cells_of, prose_of, out = quantity_labels(), dict(rule.cells), dict(rule.prose), []
    first_positive: dict[str, tuple[int, PlacedFigure]] = {}  # quantity → its first figure > 0 of the year
    for order, g in enumerate(_year_figures(figures)):
        if g.figure.value > 0:
            first_positive.setdefault(g.figure.quantity, (order, g))
    for pf in figures:
        f = pf.figure
        if f.quantity not in cells_of or f.value is not None:
            continue
        ids = cells_of[f.quantity]
        instance = f"{f.quantity}@{pf.char_start}"
        head = f"{rule.id} {labels.get(f.quantity, f.quantity)}: 正文{_where(pf)}"
        # the first figure of the year > 0 stated for a quantity the statement excludes (looked up once
        # per quantity: a text can hold thousands of figures and statements)
        contrary = [first_positive[q] for q in prose_of.get(f.quantity, ()) if q in first_positive]
        if contrary:
            g = min(contrary, key=lambda found: found[0])[1]
            out.append(Check(rule.id, rule.severity, None, instance, (), 0, g.figure.value, FAIL,
                             f"{head} 而正文{_where(g)} {labels.get(g.figure.quantity)} = {format_number(g.figure.value)}. {rule.text}"))
            continue
        if not {cid.split(".")[0] for cid in ids} <= present:
            continue
        cells = [grid.get(cid) for cid in ids]
        if any(c is None or c.status == UNCERTAIN for c in cells):
            out.append(Check(rule.id, rule.severity, "appeals", instance, ids, 0, None, NOT_ASSESSABLE,
                             f"{head}; not assessable, cells absent or uncertain"))
            continue
        bad = [(cid, c.value) for cid, c in zip(ids, cells) if (c.value or 0) > 0]
        status = FAIL if bad else PASS
        found = sum(v for _, v in bad)
        detail = ", ".join(f"{cid} = {format_number(v)}" for cid, v in bad) if bad else f"{'/'.join(i.split('.')[-1] for i in ids[:3])} 均为 0"
        out.append(Check(rule.id, rule.severity, "appeals", instance, ids, 0, found, status,
                         f"{head}; 表格 {detail}" + (f". {rule.text}" if bad else "")))
    return out


def _prose_balance_checks(rule: Rule, figures: list[PlacedFigure], present: set[str]) -> list[Check]:
    if "applications" in present:
        return []  # the table itself is balanced by T3.BAL
    labels = quantity_labels()
    first: dict[str, PlacedFigure] = {}
    for pf in _year_figures(figures):
        first.setdefault(pf.figure.quantity, pf)
    names = rule.lhs + rule.rhs
    if not any(n in first for n in rule.rhs):
        return []
    missing = [n for n in names if n not in first and n not in rule.optional]
    if missing:
        return [Check(rule.id, rule.severity, None, None, (), None, None, NOT_ASSESSABLE,
                      f"{rule.id}: not assessable, the prose does not state {', '.join(labels.get(n, n) for n in missing)}")]

    def side(parts: tuple[str, ...]) -> tuple[float, str]:
        total, words = 0.0, []
        for n in parts:
            value = first[n].figure.value if n in first else 0.0
            total += value
            words.append(f"{labels.get(n, n)} {format_number(value)}" + ("" if n in first else "（未述，按0计）"))
        return total, " + ".join(words)

    left, left_text = side(rule.lhs)
    right, right_text = side(rule.rhs)
    holds = abs(left - right) < 1e-6
    stated = [first[n] for n in names if n in first]
    sentences = list(dict.fromkeys(_quote(pf) for pf in stated))
    places = ", ".join(f"{labels.get(pf.figure.quantity)} 第{pf.line}行字符{pf.char_start}" for pf in stated)
    places += "; " + " ".join(f"「{s}」" for s in sentences)
    return [Check(rule.id, rule.severity, None, None, (), right, left, PASS if holds else FAIL,
                  f"{rule.id}: {left_text} = {format_number(left)} {'=' if holds else '≠'} {right_text} = {format_number(right)} ({places})"
                  + ("" if holds else f". {rule.text}"))]


def figures_to_checks(figures: list[PlacedFigure], edition: Edition, cells: list[Cell], present_tables: set[str]) -> list[Check]:
    """Evaluate the edition's prose rules: stated figures against cells (N.TEXT, N.REVIEW_STATUS), and the
    prose balanced on its own where the applications table is missing (N.BAL)."""
    grid = {f"{c.table}.{c.row}.{c.column}": c for c in cells}
    checks: list[Check] = []
    for rule in edition.rules:
        if rule.kind not in PROSE_KINDS:
            continue
        if rule.kind == "text":
            checks.extend(_text_checks(rule, figures, grid, present_tables))
        elif rule.kind == "review_status":
            checks.extend(_review_status_checks(rule, figures, grid, present_tables))
        elif rule.kind == "prose_balance":
            checks.extend(_prose_balance_checks(rule, figures, present_tables))
    return checks
