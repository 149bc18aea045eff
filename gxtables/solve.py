"""Placing numbers that do not fill their row one to one, by the rules and by how real tables look.

Two cases reach this module from :mod:`gxtables.align`:

* **dropped** — a row printed fewer numbers than it has cells because blank cells were dropped
  (``一、本年新收… | 3 | 3 |``: two numbers, seven cells). The numbers keep their order; the question
  is which cells they sit in.
* **glued** — digits were run together with no separator (``规章000``, ``（一）予以公开7000007``). The
  question is where to cut the digit string.

Every candidate placement of every row is enumerated; the table's rules (``sum`` and ``le`` rules of
the edition file) are evaluated on each combination of candidates with a small search over the rows
that share a rule; combinations that break no rule are ranked by a prior learned from real tables
(``gxtables/priors.json``). One fitting placement, or one far more likely than every other, gives
*inferred* cells; otherwise the cells stay *uncertain* and carry their candidate values.
"""
from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .align import BLANK_STATUS, INFERRED, UNCERTAIN, Cell, Leftover, Run, TableReading
from .template import Edition, Rule, Table
from .tokenize import VALUE, Token

__all__ = ["solve_runs", "priors"]

MAX_CANDIDATES = 5000  # placements kept per row before giving up on a row (it stays uncertain)
MAX_COMBINATIONS = 200_000  # combinations visited per table in the joint search
CLEAR_WINNER = 20.0  # how many times likelier the best fitting placement must be to be inferred


@lru_cache(maxsize=1)
def priors() -> dict:
    """How often each cell is filled (non-zero) in real tables, learned by ``gxtables.priors``."""
    path = resources.files("gxtables") / "priors.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


@dataclass(frozen=True)
class Placement:
    """Values of one row's cells (None = blank) and the tokens they came from."""

    values: tuple[float | None, ...]
    sources: tuple[tuple[int, int, str] | None, ...]  # (start, end, text) of each filled cell
    log_prior: float


def _fill_probability(table: str, row: str, column: str) -> float:
    p = priors().get("filled", {}).get(f"{table}.{row}.{column}")
    if p is None:
        p = priors().get("filled_column", {}).get(f"{table}.{column}", 0.3)
    return min(max(p, 0.02), 0.98)


def _dropped_placements(run: Run, table: Table) -> list[Placement]:
    """Every way to put the run's k values, in order, into the row's n cells."""
    n, values = len(run.columns), run.tokens
    k = len(values)
    if k > n:
        return []
    out = []
    probs = [_fill_probability(table.id, run.row, c) for c in run.columns]
    for slots in itertools.combinations(range(n), k):
        vals: list[float | None] = [None] * n
        src: list[tuple[int, int, str] | None] = [None] * n
        lp = 0.0
        for i in range(n):
            lp += math.log(probs[i] if i in slots else 1 - probs[i])
        for slot, tok in zip(slots, values):
            vals[slot] = tok.value if tok.kind == VALUE else None
            src[slot] = (tok.start, tok.end, tok.text)
        out.append(Placement(tuple(vals), tuple(src), lp))
        if len(out) > MAX_CANDIDATES:
            break
    return out


def _glued_placements(run: Run, table: Table) -> list[Placement]:
    """Every way to cut the run's digit strings into the row's n cells (group boundaries are cuts)."""
    n = len(run.columns)
    pieces: list[tuple[str, int, Token]] = []  # (digits, offset in token, token)
    for tok in run.tokens:
        pieces.append((tok.text, 0, tok))
    out: list[Placement] = []

    def cuts_of(text: str, parts: int) -> list[list[tuple[int, int]]]:
        """Ways to cut one printed number into ``parts`` numbers with no leading zeros."""
        sign = 1 if text[:1] in "+-" else 0
        digits = text[sign:]
        if parts == 1:
            return [[(0, len(text))]] if _valid_number(text) else []
        res = []
        for first in range(sign + 1, len(text)):
            head = text[:first]
            if not _valid_number(head):
                continue
            for rest in cuts_of(text[first:], parts - 1):
                res.append([(0, first)] + [(first + s, first + e) for s, e in rest])
                if len(res) > MAX_CANDIDATES:
                    return res
        del digits
        return res

    probs = [_fill_probability(table.id, run.row, c) for c in run.columns]
    # distribute the n cells over the pieces: each piece gives at least one cell
    for counts in _compositions(n, len(pieces)):
        per_piece = [cuts_of(text, c) for (text, _, _), c in zip(pieces, counts)]
        if any(not p for p in per_piece):
            continue
        for choice in itertools.product(*per_piece):
            vals, src = [], []
            for (text, _, tok), cuts in zip(pieces, choice):
                for s, e in cuts:
                    piece = text[s:e]
                    vals.append(_number(piece))
                    src.append((tok.start + s, tok.start + e, piece))
            lp = sum(math.log(p if v else 1 - p) for p, v in zip(probs, vals)) - _balance_penalty(src)
            out.append(Placement(tuple(vals), tuple(src), lp))
            if len(out) > MAX_CANDIDATES:
                return out
    return out


def _balance_penalty(src) -> float:
    """Numbers in one row are usually of like size: uneven cuts ("7|7|77166") are less likely."""
    lengths = [len(s[2].lstrip("+-")) for s in src if s]
    if not lengths:
        return 0.0
    mean = sum(lengths) / len(lengths)
    return sum((x - mean) ** 2 for x in lengths)


def _compositions(total: int, parts: int):
    """Ways to write ``total`` as an ordered sum of ``parts`` positive integers."""
    if parts == 0:
        if total == 0:
            yield ()
        return
    if parts == 1:
        if total >= 1:
            yield (total,)
        return
    for first in range(1, total - parts + 2):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


def _valid_number(text: str) -> bool:
    digits = text.lstrip("+-")
    if not digits or not digits.replace(".", "", 1).isdigit():
        return False
    return digits == "0" or not digits.startswith("0") or digits.startswith("0.")


def _number(text: str) -> float:
    return float(text)


def _rule_instances(rules: tuple[Rule, ...], table: Table) -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    """Concrete (rule id, kind, lhs cell ids, rhs cell ids) for the table's sum and le rules."""
    out = []
    for rule in rules:
        if rule.table != table.id or rule.kind not in ("sum", "le"):
            continue
        if rule.each == "column":
            for col in table.columns:
                lhs = tuple(f"{r}.{col.id}" for r in rule.lhs)
                rhs = tuple(f"{r}.{col.id}" for r in rule.rhs)
                out.append((rule.id, rule.kind, lhs, rhs))
        else:
            for row in table.data_rows:
                if all(c in row.columns for c in rule.lhs + rule.rhs):
                    lhs = tuple(f"{row.id}.{c}" for c in rule.lhs)
                    rhs = tuple(f"{row.id}.{c}" for c in rule.rhs)
                    out.append((rule.id, rule.kind, lhs, rhs))
    return out


def _holds(kind: str, lhs: tuple[str, ...], rhs: tuple[str, ...], grid: dict[str, float | None]) -> bool | None:
    """A rule on a grid of values (blanks count as 0); None when one of its cells is absent."""
    if any(c not in grid for c in lhs + rhs):
        return None
    left = sum(grid[c] or 0 for c in lhs)
    right = sum(grid[c] or 0 for c in rhs)
    return abs(left - right) < 1e-6 if kind == "sum" else left <= right + 1e-6


def solve_runs(reading: TableReading, table: Table, edition: Edition) -> None:
    """Place the runs of a table reading into cells (in place), jointly under the table's rules."""
    if not reading.runs:
        return
    fixed: dict[str, float | None] = {f"{c.row}.{c.column}": c.value for c in reading.cells}
    instances = _rule_instances(edition.rules, table)
    candidates: list[list[Placement]] = []
    for run in reading.runs:
        cands = _glued_placements(run, table) if run.why == "glued" else _dropped_placements(run, table)
        candidates.append(cands)
    # rules that involve only fixed cells and cells of the runs
    run_cells = [{f"{run.row}.{c}" for c in run.columns} for run in reading.runs]
    feasible = _search(reading.runs, candidates, fixed, instances, run_cells)
    for i, run in enumerate(reading.runs):
        options = feasible[i] if feasible is not None else candidates[i]
        _emit(run, options, candidates[i], table, reading, feasible is not None)


def _search(runs, candidates, fixed, instances, run_cells):
    """For each run, the placements that appear in some combination breaking no rule, with weights.

    Returns a list (one per run) of dicts placement → total prior weight of the fitting combinations
    it appears in, or None when the search was too large to finish.
    """
    # order runs; check a rule as soon as all its cells are known
    cell_owner: dict[str, int] = {}
    for i, cells in enumerate(run_cells):
        for c in cells:
            cell_owner[c] = i
    relevant = []
    for inst in instances:
        owners = {cell_owner[c] for c in inst[2] + inst[3] if c in cell_owner}
        if owners:
            relevant.append((inst, max(owners)))
    by_last: dict[int, list] = {}
    for inst, last in relevant:
        by_last.setdefault(last, []).append(inst)
    weights: list[dict[Placement, float]] = [dict() for _ in runs]
    grid = dict(fixed)
    visited = 0
    chosen: list[Placement] = []

    def assign(i: int, placement: Placement) -> None:
        for col, v in zip(runs[i].columns, placement.values):
            grid[f"{runs[i].row}.{col}"] = v

    def unassign(i: int) -> None:
        for col in runs[i].columns:
            grid.pop(f"{runs[i].row}.{col}", None)

    def rec(i: int, log_weight: float) -> bool:
        nonlocal visited
        if i == len(runs):
            w = math.exp(log_weight)
            for j, p in enumerate(chosen):
                weights[j][p] = weights[j].get(p, 0.0) + w
            return True
        ok_any = False
        for p in candidates[i]:
            visited += 1
            if visited > MAX_COMBINATIONS:
                raise _TooLarge
            assign(i, p)
            if all(_holds(k, lhs, rhs, grid) is not False for (_, k, lhs, rhs) in by_last.get(i, [])):
                chosen.append(p)
                ok_any |= rec(i + 1, log_weight + p.log_prior)
                chosen.pop()
            unassign(i)
        return ok_any

    try:
        found = rec(0, 0.0)
    except _TooLarge:
        return None
    if not found:
        return None
    return weights


class _TooLarge(Exception):
    pass


def _emit(run: Run, options, all_candidates: list[Placement], table: Table, reading: TableReading, fits: bool) -> None:
    """Cells of one run: inferred where one placement stands out, uncertain where several fit."""
    if isinstance(options, dict):
        ranked = sorted(options.items(), key=lambda kv: -kv[1])
        placements = [p for p, _ in ranked]
        weights = [w for _, w in ranked]
    else:
        placements = sorted(options, key=lambda p: -p.log_prior)
        weights = [math.exp(p.log_prior) for p in placements]
    if not placements:
        for tok in run.tokens:
            if tok.kind == VALUE:
                reading.leftovers.append(Leftover(table.id, tok.value, tok.text, tok.start, tok.end,
                                                  f"could not be placed in row {run.row}"))
        return
    best = placements[0]
    total = sum(weights)
    clear = len(placements) == 1 or (weights[0] >= CLEAR_WINNER * sum(weights[1:]))
    why = ("blank cells dropped" if run.why == "dropped" else "digits run together")
    for ci, col in enumerate(run.columns):
        values_here = {p.values[ci] for p in placements}
        src = best.sources[ci]
        value = best.values[ci]
        agree = len(values_here) == 1
        if agree and (clear or True) and fits:
            status = INFERRED if value is not None or run.why == "glued" else BLANK_STATUS
        elif agree and not fits:
            status = UNCERTAIN if value is not None else BLANK_STATUS
        else:
            status = INFERRED if clear and fits else UNCERTAIN
            if status == INFERRED and value is None:
                status = BLANK_STATUS
        if status == BLANK_STATUS and src is None:
            reason = f"{why}: left blank by the placement"
            reading.cells.append(Cell(table.id, run.row, col, None, BLANK_STATUS, marker=None, reason=reason))
            continue
        if status == BLANK_STATUS:
            status = UNCERTAIN
        reason = (f"{why}: {len(placements)} placement(s) fit the rules"
                  + ("" if fits else "; none fits every rule"))
        cands = tuple(sorted({v for v in values_here if v is not None}))
        if src is None:
            # the best placement leaves this cell blank but another puts a number here
            reading.cells.append(Cell(table.id, run.row, col, None, UNCERTAIN, reason=reason, candidates=cands))
            continue
        reading.cells.append(Cell(table.id, run.row, col, value, status, src[0], src[1], src[2],
                                  reason=reason, candidates=cands if status == UNCERTAIN else ()))
    del total
