"""Placing numbers that do not fill their cells one to one, by the rules and by how real tables look.

Two cases reach this module from :mod:`gxtables.align`, as *runs* (a list of printed numbers and the
ordered cells they belong to):

* **dropped** — blank cells were dropped, so a row printed fewer numbers than it has cells
  (``一、本年新收… | 3 | 3 |``: two numbers, seven cells). The numbers keep their order; the question is
  which cells they sit in.
* **glued** — digits were run together (``规章000``, ``（一）予以公开7000007``): where to cut them.

Each run's candidate placements are enumerated and weighed by a prior learned from real tables
(``priors.json``: how often each cell is filled). The table's ``sum``/``le`` rules (from the edition
file) then tie the runs together: an exact dynamic programme over the runs, whose state is the running
balance of every rule instance still open, gives the total weight of the placements of all runs that
break no rule, and from it each run's posterior. Where the printed arithmetic is itself broken and no
combination fits, every violated rule instance costs a large factor instead of being forbidden.

A cell is *inferred* when every fitting combination gives it the same value, or when one value holds
nearly all the weight; otherwise it is *uncertain* and carries its candidate values.
"""
from __future__ import annotations

import itertools
import math
import operator
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import NamedTuple

from .align import BLANK_STATUS, INFERRED, UNCERTAIN, Cell, Leftover, Run, TableReading
from .rates import Priors
from .template import Edition, Table
from .tokenize import VALUE

__all__ = ["CLEAR_SHARE", "solve_runs"]

MAX_PLACEMENTS = 20_000  # candidate placements per run; past that the run stays uncertain
MAX_PIECE = 24  # characters of one piece cut from run-together digits: no cell holds a longer number
MAX_STATES = 60_000  # DP states per step; past that the table's runs are solved one by one
MAX_SOFT_STATES = 3_000  # the same when the printed arithmetic is broken (nothing prunes then)
CLEAR_SHARE = 0.995  # posterior share a value needs to be inferred when others also fit
BROKEN_RULE = 1e-9  # weight factor of a violated rule instance when no placement fits every rule
SAME_PATTERN = 2000.0  # prior factor of a placement of zeros printing the same columns as rows the rules settled
POSITION = 1e4  # prior factor of the placement a space layout shows (numbers standing under their headers)


def _lead_factor(lead: tuple[str, float] | None, cells: list[str], probs: list[float], neutral: frozenset[str],
                 sums: frozenset[str]) -> tuple[int, list[int], float] | None:
    """How much less likely a placement is that fills a row but leaves its lead column blank.

    The cell priors are independent; the learned rate ``r`` says how often the lead column is filled
    given that the row holds any number. The factor ``λ`` on placements that leave it blank while
    filling another column makes the priors agree with ``r``: with ``q`` the share such placements
    have under independent priors, λ·q / (λ·q + 1 − q) = 1 − r. Returns (lead index, indices of the
    other non-sum cells, λ), or None when the run has no lead cell whose prior counts here. ``lead``
    is the table's lead column and its rate (:meth:`Priors.lead_column`).
    """
    if lead is None or len({c.split(".")[0] for c in cells}) != 1:
        return None
    column, rate = lead
    at = next((i for i, c in enumerate(cells) if c.split(".")[1] == column), None)
    if at is None or cells[at] in neutral:
        return None
    others = [i for i, c in enumerate(cells) if i != at and c.split(".")[1] not in sums]
    if not others:
        return None
    none_other = math.prod(1 - probs[i] for i in others)
    none_at_all = none_other * (1 - probs[at])
    q = (1 - probs[at]) * (1 - none_other) / (1 - none_at_all)
    if q <= 0 or q >= 1:
        return None
    return at, others, (1 - rate) * (1 - q) / (rate * q)


class Placement(NamedTuple):
    """One way to place a run: a value (None = blank) for each of its cells, with the printed source.

    A named tuple: a run may have thousands of placements, and a tuple is the cheapest to make.
    """

    values: tuple[float | None, ...]
    sources: tuple[tuple[int, int, str] | None, ...]  # (start, end, text) of the number in each cell
    weight: float
    # the boost of a second pass (the pattern of the rows with numbers), kept apart so that the run can
    # be weighed alone with every cell's own prior (no rules carry the priors of tied columns then)
    # priors of tied columns from the run that counted them)
    factor: float = 1.0


# ---------------------------------------------------------------- candidates


def _dropped(run: Run, table: str, neutral: frozenset[str], sums: frozenset[str],
             lead_col: tuple[str, float] | None, priors: Priors) -> list[Placement]:
    """Every way to put the run's k numbers, in order, into its n cells (``neutral`` cells carry no prior).

    The priors are rates of non-zero values: a printed 0 weighs like a blank cell, so where a row's
    zeros sit is left to the rules and to the columns the report prints elsewhere.
    """
    n, k = len(run.cells), len(run.tokens)
    if k > n:
        return []
    probs = [0.5 if c in neutral else priors.fill_probability(table, c) for c in run.cells]
    lead = _lead_factor(lead_col, run.cells, probs, neutral, sums)
    empty = [1 - p for p in probs]
    printed = [(tok.value if tok.kind == VALUE else None, (tok.start, tok.end, tok.text), tok.kind == VALUE and bool(tok.value))
               for tok in run.tokens]
    out = []
    for slots in itertools.combinations(range(n), k):
        vals: list[float | None] = [None] * n
        src: list[tuple[int, int, str] | None] = [None] * n
        factors = empty.copy()
        filled = False
        for slot, (value, where, nonzero) in zip(slots, printed):
            if nonzero:
                factors[slot] = probs[slot]
                filled = filled or (lead is not None and slot in lead[1])
            vals[slot] = value
            src[slot] = where
        weight = math.prod(factors, start=1.0)
        if filled and not vals[lead[0]]:
            weight *= lead[2]
        if run.slots is not None and slots == run.slots:
            weight *= POSITION
        out.append(Placement(tuple(vals), tuple(src), weight))
        if len(out) >= MAX_PLACEMENTS:
            break
    return out


def _number_part(text: str) -> str:
    """The printed number without the unit after it ("39573802895.90元" → "39573802895.90")."""
    end = len(text)
    while end and not (text[end - 1].isdigit() or text[end - 1] == "."):
        end -= 1
    return text[:end]


def _valid_piece(text: str) -> bool:
    """A cut piece that could have been printed as a number: no leading zeros, at most one point."""
    digits = text.lstrip("+-")
    if not digits or digits.count(".") > 1 or digits.startswith(".") or digits.endswith("."):
        return False
    if not digits.replace(".", "").isdigit():
        return False
    return digits == "0" or digits.startswith("0.") or not digits.startswith("0")


@lru_cache(maxsize=1024)
def _cuts(text: str, parts: int, limit: int) -> list[list[tuple[int, int]]]:
    """Ways to cut one printed number into ``parts`` numbers (a sign only starts the first piece).

    Depth first, shortest first piece first, at most ``limit`` ways. Which tails can still be cut is
    worked out once (``can``), so a text that cannot be cut ("1111…件") costs O(length), not every way
    of trying; no piece is longer than :data:`MAX_PIECE`.
    """
    if len(text) > parts * MAX_PIECE:
        return []
    memo: dict[tuple[int, int], bool] = {}

    def heads(pos: int):
        lo = pos + 1 + (pos == 0 and text[:1] in "+-")
        for end in range(lo, min(len(text), pos + MAX_PIECE + 1)):
            if text[end] not in "+-" and _valid_piece(text[pos:end]):
                yield end

    def can(pos: int, k: int) -> bool:
        if (pos, k) not in memo:
            if k == 1:
                memo[pos, k] = len(text) - pos <= MAX_PIECE and _valid_piece(text[pos:])
            else:
                memo[pos, k] = any(can(end, k - 1) for end in heads(pos))
        return memo[pos, k]

    out: list[list[tuple[int, int]]] = []

    def walk(pos: int, k: int, acc: list[tuple[int, int]]) -> bool:
        if k == 1:
            out.append([*acc, (pos, len(text))])
            return len(out) >= limit
        return any(can(end, k - 1) and walk(end, k - 1, [*acc, (pos, end)]) for end in heads(pos))

    if can(0, parts):
        walk(0, parts, [])
    return out


def _compositions(total: int, parts: int):
    """Ordered ways to write ``total`` as a sum of ``parts`` positive integers."""
    if parts == 1:
        if total >= 1:
            yield (total,)
        return
    for first in range(1, total - parts + 2):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


def _glued(run: Run, table: str, neutral: frozenset[str], sums: frozenset[str], kinds: tuple[str, ...],
           lead_col: tuple[str, float] | None, priors: Priors) -> list[Placement]:
    """Every way to cut the run's digit strings into its n cells (printed separators are kept as cuts).

    Cells of one kind in a row are of like size (a count of 396 sits beside 442, not beside 4); a
    count and an amount of money are not compared.
    """
    n = len(run.cells)
    kinds = kinds or ("",) * n
    probs = [0.5 if c in neutral else priors.fill_probability(table, c) for c in run.cells]
    lead = _lead_factor(lead_col, run.cells, probs, neutral, sums)
    texts = [_number_part(tok.text) for tok in run.tokens]
    out: list[Placement] = []
    for counts in _compositions(n, len(texts)):
        per_token = [_cuts(t, c, MAX_PLACEMENTS) for t, c in zip(texts, counts)]
        if any(not p for p in per_token):
            continue
        for choice in itertools.product(*per_token):
            vals: list[float | None] = []
            src: list[tuple[int, int, str] | None] = []
            for tok, cuts in zip(run.tokens, choice):
                for s, e in cuts:
                    piece = tok.text[s:e]
                    vals.append(float(piece))
                    src.append((tok.start + s, tok.start + e, piece))
            if any("." in p[2] for p, k in zip(src, kinds) if p and k == "count"):
                continue  # a count holds no decimal point
            spread = 0.0
            for kind in set(kinds):
                lengths = [len(p[2].lstrip("+-").replace(".", "")) for p, k in zip(src, kinds) if p and k == kind]
                mean = sum(lengths) / len(lengths)
                spread += sum((x - mean) ** 2 for x in lengths)
            balance = math.exp(-0.7 * spread)
            weight = balance * math.prod(p if v else 1 - p for p, v in zip(probs, vals))
            if lead is not None and not vals[lead[0]] and any(vals[i] for i in lead[1]):
                weight *= lead[2]
            out.append(Placement(tuple(vals), tuple(src), weight))
            if len(out) >= MAX_PLACEMENTS:
                return out
    return out


# ---------------------------------------------------------------- rules


@dataclass(frozen=True)
class Instance:
    rule: str
    kind: str  # "sum" or "le"
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]


def _instances(edition: Edition, table: Table) -> list[Instance]:
    out = []
    for rule in edition.rules:
        if rule.table != table.id or rule.kind not in ("sum", "le"):
            continue
        if rule.each == "column":
            for col in table.columns:
                out.append(Instance(rule.id, rule.kind, tuple(f"{r}.{col.id}" for r in rule.lhs),
                                    tuple(f"{r}.{col.id}" for r in rule.rhs)))
        else:
            for row in table.data_rows:
                if all(c in row.columns for c in rule.lhs + rule.rhs):
                    out.append(Instance(rule.id, rule.kind, tuple(f"{row.id}.{c}" for c in rule.lhs),
                                        tuple(f"{row.id}.{c}" for c in rule.rhs)))
    return out


SCALE = 1000  # balances are kept as integers in thousandths, so that sums compare exactly


def _scaled(v: float | None) -> int:
    return round((v or 0.0) * SCALE)


def _scaled_columns(values: list[tuple[float | None, ...]], n: int) -> list[list[int]]:
    """Each of a run's n cells as a column of its placements' values in thousandths.

    A run's placements repeat the few printed numbers, so each distinct value is scaled once.
    """
    if not values:
        return [[] for _ in range(n)]
    scale = _Thousandths()
    return [list(map(scale.__getitem__, column)) for column in zip(*values)]


class _Thousandths(dict):
    """Values in thousandths (as :func:`_scaled`), each worked out the first time it is met."""

    def __missing__(self, v: float | None) -> int:
        self[v] = scaled = _scaled(v)
        return scaled


def _column_moves(columns: list[list[int]], lhs: list[int], rhs: list[int], size: int) -> list[int]:
    """How each of ``size`` placements moves an instance's balance (lhs − rhs), see :func:`_sides`.

    Summed a cell column at a time over all placements at once, not a placement at a time.
    """
    if lhs:
        moved = columns[lhs[0]]  # read only: a new list is made for every further cell
        lhs = lhs[1:]
    else:
        moved = list(map(operator.neg, columns[rhs[0]])) if rhs else [0] * size
        rhs = rhs[1:]
    for k in lhs:
        moved = list(map(operator.add, moved, columns[k]))
    for k in rhs:
        moved = list(map(operator.sub, moved, columns[k]))
    return moved


@cache
def _broken(count: int) -> float:
    """The weight factor of ``count`` violated rule instances, multiplied in one by one."""
    factor = 1.0
    for _ in range(count):
        factor *= BROKEN_RULE
    return factor


def _taker(at: list[int]) -> Callable[[tuple[int, ...]], tuple[int, ...]]:
    """The entries of a tuple at ``at``, as a tuple (``itemgetter`` gives a bare entry for one)."""
    if len(at) > 1:
        return operator.itemgetter(*at)
    if at:
        k = at[0]
        return lambda t: (t[k],)
    return _nothing


def _nothing(t: tuple[int, ...]) -> tuple[int, ...]:
    return ()


@dataclass
class _Step:
    """One run's step of the programme, laid out so that a pair of a state and a move compares tuples.

    The takers read a state padded with a 0 at its end (position -1), where the balances the run opens
    start; their constants come with the moves. Each distinct move is ``(needs, low, high, adds)``:
    it breaks a rule it closes or pushes a balance past zero for good when its ``needs`` differ from
    the state's ``sums`` (what closes each sum: the negated balance), when one of its ``low`` lies
    below the state's ``high`` (a bound it closes above zero; a balance only lhs cells still raise,
    pushed above zero), or when one of the state's ``low`` lies below its ``high`` (a balance only
    rhs cells still lower, pushed below zero). ``adds`` are added to the state's ``open``.
    """

    open: Callable[[tuple[int, ...]], tuple[int, ...]]  # balances still open after the step
    sums: Callable[[tuple[int, ...]], tuple[int, ...]]  # balances of the sums it closes
    high: Callable[[tuple[int, ...]], tuple[int, ...]]  # of the bounds it closes, then of balances that must not rise past zero
    low: Callable[[tuple[int, ...]], tuple[int, ...]]  # of balances that must not fall past zero
    # whether a balance the run does not move is already past zero for good (None: no such balance)
    stuck: Callable[[tuple[int, ...]], bool] | None
    parts: list[Callable[[tuple[int, ...]], tuple[int, ...]]]  # needs, low, high, adds of padded changes
    deltas: list[tuple[int, ...]]  # the run's distinct changes of the balances it touches
    laid: dict[int, tuple[tuple[int, ...], ...]] = field(default_factory=dict)

    def move(self, g: int) -> tuple[tuple[int, ...], ...]:
        """The layout of move ``g`` (an index into ``deltas``), made the first time a state meets it:
        in the strict programme most placements break a rule inside their run and make no move."""
        if g not in self.laid:
            padded = (*self.deltas[g], 0)
            needs, low, high, adds = self.parts
            self.laid[g] = needs(padded), low(padded), high(padded), adds(padded)
        return self.laid[g]


def _stuck(rises: Callable[[tuple[int, ...]], tuple[int, ...]],
           falls: Callable[[tuple[int, ...]], tuple[int, ...]]) -> Callable[[tuple[int, ...]], bool]:
    """Whether one of the balances that can only rise is above zero, or one that can only fall below."""
    return lambda padded: any(b > 0 for b in rises(padded)) or any(b < 0 for b in falls(padded))


def _too_many(step: _Step, layer: dict[tuple[int, ...], float], adds: list[tuple[int, ...]], limit: int) -> bool:
    """Whether a step of the soft programme reaches more than ``limit`` states.

    Nothing is pruned when rules may break, so the states reached are every state plus every move:
    counting them is cheaper than weighing them, and a layer that large is given up. Each balance
    vector is counted as one integer, its entries the digits of a base wide enough to keep distinct
    vectors distinct, so that a state plus a move is one addition.
    """
    if not adds or not adds[0]:
        return False  # no balance stays open: one state at most
    bound = max(max(map(max, layer)), -min(map(min, layer)), 0) if layer and next(iter(layer)) else 0
    bound += max(max(map(max, adds)), -min(map(min, adds)))
    powers = [(2 * bound + 1) ** j for j in range(len(adds[0]))]
    moves = [sum(map(operator.mul, a, powers)) for a in adds]
    reached: set[int] = set()
    for state in layer:
        base = sum(map(operator.mul, step.open((*state, 0)), powers))
        reached.update([base + a for a in moves])
        if len(reached) > limit:
            return True
    return False


class _Model:
    """The runs of one table and the rule instances that tie them, ready for the programme.

    A rule instance whose cells all sit in one run (``T3.COLSUM`` of a row printed as one run) is
    applied to that run's placements at once; only instances spanning several runs are carried in the
    programme's state, and only between the first and the last run they touch. Placements that move
    every open balance alike (zeros placed in any column) are merged into one move.

    What the rules make of a placement's values (how many rules inside its run it breaks, how it moves
    the open balances) does not depend on its weight: it is worked out once, and the strict and the
    soft programme and the second pass (the printed pattern) only bring their own weights to
    :meth:`solve`.
    """

    def __init__(self, runs: list[Run], values: list[list[tuple[float | None, ...]]],
                 fixed: dict[str, float | None], instances: list[Instance]):
        self.runs = runs
        owner = {c: i for i, run in enumerate(runs) for c in run.cells}
        spanning: list[tuple[Instance, list[int], int]] = []
        local: dict[int, list[tuple[Instance, int]]] = defaultdict(list)
        for inst in instances:
            cells = inst.lhs + inst.rhs
            if any(c not in owner and c not in fixed for c in cells):
                continue  # an absent cell: the rule says nothing here
            owners = sorted({owner[c] for c in cells if c in owner})
            if not owners:
                continue
            const = (sum(_scaled(fixed.get(c)) for c in inst.lhs if c not in owner)
                     - sum(_scaled(fixed.get(c)) for c in inst.rhs if c not in owner))
            if len(owners) == 1:
                local[owners[0]].append((inst, const))
            else:
                spanning.append((inst, owners, const))
        self.spanning = spanning
        m = len(runs)
        self.first = [owners[0] for _, owners, _ in spanning]
        self.last = [owners[-1] for _, owners, _ in spanning]
        self.touch = [[j for j, (_, owners, _) in enumerate(spanning) if i in owners] for i in range(m)]
        self.open_after = [[j for j in range(len(spanning)) if self.first[j] <= i < self.last[j]] for i in range(m)]
        # per placement: how many rules inside its run it breaks, and which move it makes (its changes
        # of the balances of the instances its run touches; placements with the same changes share one)
        self.broken: list[list[int]] = []
        self.group: list[list[int]] = []
        self.deltas: list[list[tuple[int, ...]]] = []
        for i, run in enumerate(runs):
            size = len(values[i])
            broken = [0] * size
            if not local.get(i) and not self.touch[i]:  # no rule reads this run's cells
                self.broken.append(broken)
                self.group.append([0] * size)
                self.deltas.append([()])
                continue
            columns = _scaled_columns(values[i], len(run.cells))
            at = {c: k for k, c in enumerate(run.cells)}
            for inst, const in local.get(i, ()):
                # const + move breaks a sum unless it is zero, a bound when it is above zero
                fails = (-const).__ne__ if inst.kind == "sum" else (-const).__lt__
                broken = list(map(operator.add, broken, map(fails, _column_moves(columns, *_sides(at, inst), size))))
            self.broken.append(broken)
            moved = [_column_moves(columns, *_sides(at, spanning[j][0]), size) for j in self.touch[i]]
            if not moved:  # one move: the balances of no instance spanning runs change
                self.group.append([0] * size)
                self.deltas.append([()])
                continue
            ids: dict[tuple[int, ...], int] = {}
            self.group.append([ids.setdefault(d, len(ids)) for d in zip(*moved)])
            self.deltas.append(list(ids))
        # the last run holding a cell of each side of each instance, for pruning (see :meth:`_step`)
        self.last_side = [tuple(max((owner[c] for c in side if c in owner), default=-1) for side in (inst.lhs, inst.rhs))
                          for inst, _, _ in spanning]
        self._steps: dict[tuple[int, bool], _Step] = {}

    def _step(self, i: int, soft: bool) -> _Step:
        """Run i's step of the programme, laid out once per model (see :class:`_Step`)."""
        if (i, soft) not in self._steps:
            incoming = {j: at for at, j in enumerate(self.open_after[i - 1])} if i else {}
            moving = {j: at for at, j in enumerate(self.touch[i])}
            closing = [j for j in self.touch[i] if self.last[j] == i]
            sums = [j for j in closing if self.spanning[j][0].kind == "sum"]
            bounds = [j for j in closing if self.spanning[j][0].kind != "sum"]
            opened = self.open_after[i]
            # sums whose cells still to come all sit on one side: with lhs cells only the balance can
            # only rise (it must not be above zero), with rhs cells only it can only fall; moved by
            # this run or not. No pruning when rules may break.
            ups: list[int] = []
            downs: list[int] = []
            rises: list[int] = []
            falls: list[int] = []
            for j in [] if soft else opened:
                left, right = (last > i for last in self.last_side[j])
                if self.spanning[j][0].kind == "sum" and not (left and right):
                    ((ups if j in moving else rises) if left else (downs if j in moving else falls)).append(j)

            def take(js: list[int]) -> Callable[[tuple[int, ...]], tuple[int, ...]]:
                return _taker([incoming.get(j, -1) for j in js])

            def laid(js: list[int], sign: int) -> Callable[[tuple[int, ...]], tuple[int, ...]]:
                """What a move adds to the balances of ``js`` (times ``sign``), read from its changes padded
                with a 0; a balance the run opens starts from its constant."""
                if not js:
                    return _nothing
                start = [sign * (0 if j in incoming else self.spanning[j][2]) for j in js]
                moved = _taker([moving.get(j, -1) for j in js])
                return lambda delta: tuple(map(operator.add if sign > 0 else operator.sub, start, moved(delta)))

            self._steps[i, soft] = _Step(
                open=take(opened), sums=take(sums), high=take(bounds + ups), low=take(downs),
                stuck=_stuck(take(rises), take(falls)) if rises or falls else None,
                parts=[laid(sums, -1), laid(bounds + ups, -1), laid(downs, -1), laid(opened, 1)],
                deltas=self.deltas[i])
        return self._steps[i, soft]

    def _weighed(self, weights: list[list[float]], soft: bool) -> list[list[float]]:
        """Each placement's weight after the rules inside its run: none left when one breaks, unless soft."""
        out = []
        for row, broken in zip(weights, self.broken):
            if any(broken):
                row = list(row)
                for pi, count in enumerate(broken):
                    if count and not soft:
                        row[pi] = 0.0
                    elif count:
                        w = row[pi]
                        for _ in range(count):  # one factor at a time, as the rules are met
                            w *= BROKEN_RULE
                        row[pi] = w
            out.append(row)
        return out

    def _moves(self, weights: list[list[float]]) -> list[list[tuple[int, float, list[int]]]]:
        """Moves of each run: its distinct changes of the balances (by index into ``deltas``), with their
        weight and member placements."""
        out = []
        for row, group in zip(weights, self.group):
            members: dict[int, list[int]] = defaultdict(list)
            for pi, (w, g) in enumerate(zip(row, group)):
                if w > 0:
                    members[g].append(pi)
            out.append([(g, sum(row[pi] for pi in pis), pis) for g, pis in members.items()])
        return out

    def _forward(self, i: int, layer: dict[tuple[int, ...], float], moves: list[tuple[int, float, list[int]]],
                 soft: bool, limit: int):
        """Balances after run i's moves from every state of ``layer`` (the open instances, in order), the
        factor of the rules they close, and the weight reaching each new state; None past ``limit`` states.

        A pair of a state and a move only compares and adds tuples laid out once (:class:`_Step`). The
        programme is given up as soon as the new layer has too many states, not after building all of it.
        """
        step = self._step(i, soft)
        laid = [(k, *step.move(g), mw) for k, (g, mw, _) in enumerate(moves)]
        if soft and len(layer) * len(laid) > limit and _too_many(step, layer, [adds for *_, adds, _ in laid], limit):
            return None
        lt, add = operator.lt, operator.add
        nxt: dict[tuple[int, ...], float] = {}
        here: dict[tuple[int, ...], list[tuple[int, tuple[int, ...], float]]] = {}
        for state, w in layer.items():
            went: list[tuple[int, tuple[int, ...], float]] = []
            here[state] = went
            padded = (*state, 0)
            if step.stuck is not None and step.stuck(padded):
                continue  # a balance past zero that this run does not move and later ones only move further
            base, sums, high, low = step.open(padded), step.sums(padded), step.high(padded), step.low(padded)
            if soft:
                for k, needs, move_low, _, adds, mw in laid:
                    factor = 1.0
                    if needs or move_low:  # the step closes rules: each one broken costs a factor
                        factor = _broken(sum(map(operator.ne, needs, sums)) + sum(map(lt, move_low, high)))
                    reached = tuple(map(add, base, adds))
                    nxt[reached] = nxt.get(reached, 0.0) + w * mw * factor
                    went.append((k, reached, factor))
            else:
                for k, needs, move_low, move_high, adds, mw in laid:
                    if (needs != sums or (high and any(map(lt, move_low, high)))
                            or (low and any(map(lt, low, move_high)))):
                        continue  # a closing rule broken, or a balance pushed past zero for good
                    reached = tuple(map(add, base, adds))
                    nxt[reached] = nxt.get(reached, 0.0) + w * mw
                    went.append((k, reached, 1.0))
            if len(nxt) > limit:
                return None
        return nxt, here

    def solve(self, weights: list[list[float]], soft: bool) -> list[dict[int, float]] | None:
        """Posterior weight of each placement of each run, from the placements' prior ``weights``;
        [] when nothing fits; None when too large. ``soft``: a broken rule costs a factor, not all."""
        m = len(self.runs)
        weights = self._weighed(weights, soft)
        if m == 1:  # nothing spans runs: each placement keeps its own weight
            post = {pi: w for pi, w in enumerate(weights[0]) if w > 0}
            return [post] if post else []
        moves = self._moves(weights)
        layers: list[dict[tuple[int, ...], float]] = [{(): 1.0}]
        steps: list[dict[tuple[int, ...], list[tuple[int, tuple[int, ...], float]]]] = []
        limit = MAX_SOFT_STATES if soft else MAX_STATES
        for i in range(m):
            stepped = self._forward(i, layers[-1], moves[i], soft, limit)
            if stepped is None:
                return None
            nxt, here = stepped
            if not nxt:
                return []  # no placement of this run fits: nothing reaches the end
            layers.append(nxt)
            steps.append(here)
        if not any(layers[m].values()):
            return []
        back: dict[tuple[int, ...], float] = {s: 1.0 for s in layers[m]}
        posteriors: list[dict[int, float]] = [{} for _ in range(m)]
        for i in range(m - 1, -1, -1):
            post: dict[int, float] = {}
            earlier: dict[tuple[int, ...], float] = {}
            later, went, own = back.get, steps[i], weights[i]
            for state, fw in layers[i].items():
                total = 0.0
                for k, reached, factor in went[state]:
                    tail = later(reached, 0.0)
                    if not tail:
                        continue
                    _, mw, members = moves[i][k]
                    total += mw * factor * tail
                    share = fw * factor * tail
                    for pi in members:  # split the move's share by each placement's own weight
                        post[pi] = post.get(pi, 0.0) + share * own[pi]
                if total:
                    earlier[state] = total
            back = earlier
            posteriors[i] = post
        return posteriors


def _sides(at: dict[str, int], inst: Instance) -> tuple[list[int], list[int]]:
    """Where an instance's lhs and rhs cells sit among a run's cells (``at``: their positions; cells
    outside the run left out)."""
    return [at[c] for c in inst.lhs if c in at], [at[c] for c in inst.rhs if c in at]


def _solve(model: _Model, weights: list[list[float]]) -> tuple[list[dict[int, float]] | None, bool]:
    """Posteriors under every rule; with soft rules when nothing fits; None when too large."""
    for soft in (False, True):
        post = model.solve(weights, soft)
        if post is None:
            return None, soft
        if post:
            return post, soft
    return [], True


def _pattern(columns: tuple[str, ...], placement: Placement) -> tuple[str, ...]:
    """The columns a placement prints numbers in ("natural_person", "total"), of its run's cell
    ``columns`` (:func:`_column_ids`)."""
    printed = map(operator.is_not, placement.sources, itertools.repeat(None))
    return tuple(itertools.compress(columns, printed))


@lru_cache(maxsize=4096)
def _column_ids(cells: tuple[str, ...]) -> tuple[str, ...]:
    """The column of each ``row.column`` cell of a run."""
    return tuple(c.split(".")[1] for c in cells)


class _Programmes:
    """The programmes of one table's runs, each built on first use and kept for the second pass: one
    over all runs, and one per run for when that one is too large.

    Both passes place the same values (the second changes only weights), so one set serves both.
    """

    def __init__(self, runs: list[Run], cands: list[list[Placement]], fixed: dict, instances: list[Instance]):
        self.runs, self.fixed, self.instances = runs, fixed, instances
        self.values = [[p.values for p in c] for c in cands]
        # Runs whose cells head the rules (totals, new, carried over) go first: the balances they open
        # can then only shrink, which prunes the programme to the placements that can still close
        # every rule.
        heads = {c for inst in instances for c in inst.lhs}
        self.order = sorted(range(len(runs)), key=lambda i: -sum(c in heads for c in runs[i].cells))
        self._joint: _Model | None = None
        self._alone: dict[int, _Model] = {}

    def joint(self) -> _Model:
        """The programme over all runs, in :attr:`order`."""
        if self._joint is None:
            self._joint = _Model([self.runs[i] for i in self.order], [self.values[i] for i in self.order],
                                 self.fixed, self.instances)
        return self._joint

    def alone(self, i: int) -> _Model:
        """The programme of run i on its own, under the rules within it."""
        if i not in self._alone:
            self._alone[i] = _Model([self.runs[i]], [self.values[i]], self.fixed, self.instances)
        return self._alone[i]


def _joint(programmes: _Programmes, cands: list[list[Placement]],
           alone: Callable[[int], list[float] | None] = lambda i: None):
    """Posteriors of every run under the rules of the whole table; per run when the table is too large
    (``alone(i)``: run i's placement weights with its own priors, when they differ)."""
    order = programmes.order
    posteriors, soft = _solve(programmes.joint(), [[p.weight for p in cands[i]] for i in order])
    if posteriors is None:
        # too many combinations: each run on its own, under the rules within it
        posteriors = []
        for i, c in enumerate(cands):
            own = alone(i)
            weights = [p.weight for p in c] if own is None else [w * p.factor for p, w in zip(c, own)]
            post, _ = _solve(programmes.alone(i), [weights])
            posteriors.append(post[0] if post else dict(enumerate(weights)))
        return posteriors, True
    if not posteriors:
        return [{} for _ in cands], soft
    unordered: list[dict[int, float]] = [{} for _ in cands]
    for at, i in enumerate(order):
        unordered[i] = posteriors[at]
    return unordered, soft


def _printed_patterns(runs: list[Run], cands: list[list[Placement]], posteriors) -> dict[tuple[str, ...], float]:
    """Column patterns of the rows with numbers, each with its posterior share (the best over rows):
    the columns this report prints numbers in, as sure as the rows that show them."""
    out: dict[tuple[str, ...], float] = {}
    for run, c, post in zip(runs, cands, posteriors):
        total = sum(post.values())
        if not total or run.why != "dropped" or _zeros(run):
            continue
        shares: dict[tuple[str, ...], float] = defaultdict(float)
        columns = _column_ids(run.cells)
        for i, w in post.items():
            shares[_pattern(columns, c[i])] += w / total
        for pattern, share in shares.items():
            out[pattern] = max(out.get(pattern, 0.0), share)
    return out


def _neutral_cells(runs: list[Run], instances: list[Instance]) -> list[frozenset[str]]:
    """Cells whose column prior was already counted in an earlier run, per run.

    Column rules (``T3.BAL``, ``T3.ROWSUM``) tie a column's cells across rows, so which column holds a
    report's numbers is one decision for the whole table, not one per row: the prior of a tied column
    is counted once, in the first run that has a cell in it, and the rules carry it to the others.
    """
    tied: set[str] = set()
    for inst in instances:
        cells = inst.lhs + inst.rhs
        columns = {c.split(".")[1] for c in cells}
        if len(columns) == 1 and len({c.split(".")[0] for c in cells}) > 1:
            tied |= columns
    seen: set[str] = set()
    out = []
    for run in runs:
        columns = {c.split(".")[1] for c in run.cells}
        if len({c.split(".")[0] for c in run.cells}) > 1:
            # a run over several rows (table 四's one printed row): which row holds the numbers is one
            # decision, left to the rules rather than to a prior multiplied over every cell
            out.append(frozenset(run.cells))
            continue
        out.append(frozenset(c for c in run.cells if c.split(".")[1] in tied and c.split(".")[1] in seen))
        seen |= columns & tied
    return out


def _candidates(run: Run, table: Table, neutral: frozenset[str], sums: frozenset[str],
                lead_col: tuple[str, float] | None, priors: Priors) -> list[Placement]:
    """The run's candidate placements: cuts of run-together digits, else slots for dropped blanks
    (``lead_col``: the table's :meth:`Priors.lead_column`)."""
    # counts and signed changes of counts compare; amounts of money (decimal) stand apart
    kinds = tuple("decimal" if table.column(c.split(".")[1]).type == "decimal" else "count" for c in run.cells)
    found = _glued(run, table.id, neutral, sums, kinds, lead_col, priors) if run.why == "glued" else []
    return found or _dropped(run, table.id, neutral, sums, lead_col, priors)


def _zeros(run: Run) -> bool:
    """A run whose printed numbers are all zero: the sums cannot tell where they sit."""
    return all(not tok.value for tok in run.tokens)


def solve_runs(reading: TableReading, table: Table, edition: Edition, priors: Priors | None = None) -> None:
    """Place the runs of one table reading into cells (in place), jointly under the table's rules.

    Two passes: the rules place what they can; then the column patterns of the rows with numbers become
    a prior for the rest, since a report that drops blank cells prints the same columns row after row
    (the zeros of "0 | 0" sit where "26 | 26" sat). ``priors``: how often real tables fill each cell
    (:meth:`Priors.default` when not given).
    """
    if not reading.runs:
        return
    priors = Priors.default() if priors is None else priors
    fixed = {f"{c.row}.{c.column}": c.value for c in reading.cells if c.status != UNCERTAIN}
    instances = _instances(edition, table)
    neutral = _neutral_cells(reading.runs, instances)
    sums = edition.sum_columns(table.id)
    lead_col = priors.lead_column(table.id)  # read once per table, not once per run
    cands = [_candidates(run, table, quiet, sums, lead_col, priors) for run, quiet in zip(reading.runs, neutral)]
    solvable = [i for i, c in enumerate(cands) if c]

    @cache
    def alone(i: int) -> list[float] | None:
        run, quiet = reading.runs[solvable[i]], neutral[solvable[i]]
        if not quiet or len({c.split(".")[0] for c in run.cells}) != 1:
            return None  # nothing neutral, or table 四's one printed row (one decision, left to the rules)
        return [p.weight for p in _candidates(run, table, frozenset(), sums, lead_col, priors)]

    for i, run in enumerate(reading.runs):
        if not cands[i]:
            _leftover_run(run, table, reading, "more numbers than cells, or digits that cannot be cut into the cells")
    runs = [reading.runs[i] for i in solvable]
    cand_lists = [cands[i] for i in solvable]
    programmes = _Programmes(runs, cand_lists, fixed, instances)
    posteriors, soft = _joint(programmes, cand_lists, alone)
    patterns = _printed_patterns(runs, cand_lists, posteriors)
    if patterns and any(_zeros(run) for run in runs):
        # only runs of zeros, where the rules say nothing, take the pattern (others follow the rules),
        # as firmly as the rows that print it are placed
        factors = []
        for run, c in zip(runs, cand_lists):
            columns = _column_ids(run.cells)
            factors.append([1.0 + (SAME_PATTERN - 1.0) * patterns.get(_pattern(columns, p), 0.0) for p in c]
                           if _zeros(run) else [1.0] * len(c))
        if any(f != 1.0 for row in factors for f in row):
            boosted = [[_boost(p, f) if f != 1.0 else p for p, f in zip(c, row)] for c, row in zip(cand_lists, factors)]
            posteriors, soft = _joint(programmes, boosted, alone)
            cand_lists = boosted
    posts = [post or {i: p.weight for i, p in enumerate(c)} for c, post in zip(cand_lists, posteriors)]
    breaking = _breaking_cells(runs, cand_lists, posts, fixed, instances) if soft else set()
    for run, c, post in zip(runs, cand_lists, posts):
        # a run whose numbers fill its cells one to one, in order, is placed by its print whatever the
        # report's arithmetic says; a cut of run-together digits, or a choice of cells, is not
        chosen = run.why == "glued" or len(c) > 1
        _emit(run, c, post, table, reading, soft, capped=len(c) >= MAX_PLACEMENTS,
              breaks_rules=chosen and not breaking.isdisjoint(run.cells))


def _breaking_cells(runs: list[Run], cands: list[list[Placement]], posts: list[dict[int, float]],
                    fixed: dict[str, float | None], instances: list[Instance]) -> set[str]:
    """Cells of the rules within one row that the best guesses still break, when no placement fits
    every rule.

    A run whose best placement breaks its own row's rule (seven digits cut one per cell where blank
    cells were dropped as well, so that 总计 is not the sum) is not placed by the rules, whatever share
    its placement has. Rules down a column span many rows: where they break, the report's own
    arithmetic may be at fault, and they mark no run.
    """
    grid = dict(fixed)
    for run, c, post in zip(runs, cands, posts):
        best = c[max(post, key=post.__getitem__)]
        grid.update(zip(run.cells, best.values))
    out: set[str] = set()
    for inst in instances:
        cells = inst.lhs + inst.rhs
        if len({cell.split(".")[0] for cell in cells}) != 1 or any(cell not in grid for cell in cells):
            continue
        balance = sum(_scaled(grid[cell]) for cell in inst.lhs) - sum(_scaled(grid[cell]) for cell in inst.rhs)
        if balance != 0 if inst.kind == "sum" else balance > 0:
            out.update(cells)
    return out


def _boost(p: Placement, factor: float) -> Placement:
    return Placement(p.values, p.sources, p.weight * factor, p.factor * factor)


def _leftover_run(run: Run, table: Table, reading: TableReading, reason: str) -> None:
    for tok in run.tokens:
        if tok.kind == VALUE:
            reading.leftovers.append(Leftover(table.id, tok.value, tok.text, tok.start, tok.end, reason))


def _emit(run: Run, cands: list[Placement], post: dict[int, float], table: Table, reading: TableReading,
          soft: bool, capped: bool = False, breaks_rules: bool = False) -> None:
    """Cells of one run from its posterior: inferred where settled, uncertain where several fit.

    A run with more candidate placements than were weighed (``capped``), or whose best placement still
    breaks one of its rules (``breaks_rules``), settles nothing.
    """
    total = sum(post.values()) or 1.0
    ranked = sorted(post.items(), key=lambda kv: -kv[1])
    best = cands[ranked[0][0]]
    fitting = sum(1 for _, w in ranked if w / total > 1e-6)
    what = "blank cells dropped" if run.why == "dropped" else "digits run together"
    basis = "no placement fits every printed rule" if soft else f"{fitting} placement(s) fit the rules"
    # each cell's values with their shares, in one pass over the placements
    per_cell: list[dict[float | None, float]] = [defaultdict(float) for _ in run.cells]
    for pi, w in post.items():
        share = w / total
        for shares, v in zip(per_cell, cands[pi].values):
            shares[v] += share
    for ci, (cell_id, shares) in enumerate(zip(run.cells, per_cell)):
        row, column = cell_id.split(".")
        value = best.values[ci]
        share = shares[value]
        # a row placed by order where several rows fit settles nothing, whatever its own arithmetic says
        settled = share >= CLEAR_SHARE and not capped and not breaks_rules and run.label_status != UNCERTAIN
        src = best.sources[ci]
        if settled:
            if value is None and src is None:
                reading.cells.append(Cell(table.id, row, column, None, BLANK_STATUS,
                                          reason=f"{what}: this cell was left blank ({basis})"))
                continue
            tok_text = src[2] if src else ""
            reason = f"{what}: placed by the rules and how real tables look ({basis}; share {share:.3f})"
            if value is None:
                reading.cells.append(Cell(table.id, row, column, None, BLANK_STATUS, src[0], src[1], tok_text,
                                          marker=tok_text, reason=reason))
            else:
                reading.cells.append(Cell(table.id, row, column, value, INFERRED, src[0], src[1], tok_text,
                                          reason=reason))
            continue
        reason = (f"{what}: its best placement breaks its row's rule ({basis}); best guess shown"
                  if breaks_rules else f"{what}: several placements fit ({basis}); best guess has share {share:.3f}")
        candidates = tuple(sorted(v for v in shares if v is not None))
        if src is None:
            reading.cells.append(Cell(table.id, row, column, None, UNCERTAIN, reason=reason, candidates=candidates))
        else:
            reading.cells.append(Cell(table.id, row, column, value, UNCERTAIN, src[0], src[1], src[2],
                                      reason=reason, candidates=candidates))
