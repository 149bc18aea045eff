"""The solver's priors: how often each row and column of a statutory table is filled in real tables.

A :class:`Priors` object is passed to the solver by the run that uses it (``parse(text, priors=…)``);
without one, a run takes :meth:`Priors.default` when it starts: the file ``GXTABLES_PRIORS`` names
(learned from one's own reports with ``python -m gxtables.priors``), else the bundled
``gxtables/priors.json``. Nothing is read once and kept for the life of the process: a file is read
again when it changes, and setting or clearing ``GXTABLES_PRIORS`` takes effect at the next run.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["DEFAULT_FILL", "ENV", "LEAD_RATE", "LEAD_ROWS", "Priors"]

ENV = "GXTABLES_PRIORS"  # names a priors file to use instead of the bundled one
DEFAULT_FILL = 0.3  # prior probability that a cell holds a non-blank value when nothing is known
LEAD_RATE = 0.95  # a column filled in this share of the real rows that hold any number leads its row
LEAD_ROWS = 20  # ... when learned from at least this many real rows
REQUIRED = frozenset({"tables", "filled_row", "filled_column"})


@dataclass(frozen=True, eq=False)
class Priors:
    """Fill rates learned from real tables (see :mod:`gxtables.priors` for how they are learned).

    ``tables``: the mean rate of each table; ``filled_row`` and ``filled_column``: the rate of each
    ``table.row`` and ``table.column``; ``filled_when_any``: per ``table.column``, the share of the
    real rows holding any number in which it is filled, and how many rows that was learned from.
    """

    tables: dict[str, float] = field(default_factory=dict)
    filled_row: dict[str, float] = field(default_factory=dict)
    filled_column: dict[str, float] = field(default_factory=dict)
    filled_when_any: dict[str, tuple[float, int]] = field(default_factory=dict)
    source: str | None = None  # the file they were read from

    @classmethod
    def from_dict(cls, learned: object, source: str | None = None) -> Priors:
        """Priors from the contents of a priors file; ValueError when it is not one."""
        if not isinstance(learned, dict) or not REQUIRED <= learned.keys():
            raise ValueError(f"{source or 'the data'} is not a priors file (python -m gxtables.priors writes one)")
        return cls(dict(learned["tables"]), dict(learned["filled_row"]), dict(learned["filled_column"]),
                   {k: (float(v[0]), int(v[1])) for k, v in learned.get("filled_when_any", {}).items()}, source)

    @classmethod
    def load(cls, path: str | os.PathLike) -> Priors:
        """The priors of one file (read again whenever the file changes)."""
        p = Path(path)
        st = p.stat()
        return _load(str(p.resolve()), st.st_mtime_ns, st.st_size)

    @classmethod
    def bundled(cls) -> Priors:
        """The priors shipped with gxtables (none, if the file is missing: every cell then weighs alike)."""
        path = resources.files("gxtables") / "priors.json"
        try:
            return cls.load(str(path))
        except FileNotFoundError:
            return cls()

    @classmethod
    def default(cls) -> Priors:
        """What a run uses when it is given no priors: the file ``GXTABLES_PRIORS`` names, else the bundled ones."""
        own = os.environ.get(ENV)
        if not own:
            return cls.bundled()
        try:
            return cls.load(own)
        except FileNotFoundError:
            raise FileNotFoundError(f"{ENV} names {own}, which does not exist") from None

    def fill_probability(self, table: str, cell: str) -> float:
        """Prior probability that ``table.row.column`` holds a printed non-zero value: the row rate
        times the column rate over the table's mean rate."""
        row, column = cell.split(".")
        mean = self.tables.get(table)
        p_row = self.filled_row.get(f"{table}.{row}")
        p_col = self.filled_column.get(f"{table}.{column}")
        if not mean or p_row is None or p_col is None:
            return DEFAULT_FILL
        return min(max(p_row * p_col / mean, 0.01), 0.99)

    def lead_column(self, table: str) -> tuple[str, float] | None:
        """The column filled in nearly every real row that holds a number (自然人 in table 三), and its rate."""
        return self._leads.get(table)

    @cached_property
    def _leads(self) -> dict[str, tuple[str, float]]:
        best: dict[str, tuple[str, float]] = {}
        for key, (rate, rows) in self.filled_when_any.items():
            table, column = key.split(".")
            if rate >= LEAD_RATE and rows >= LEAD_ROWS and (table not in best or rate > best[table][1]):
                best[table] = (column, rate)
        return best


@lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int, size: int) -> Priors:
    """One version of one priors file (keyed by the file's path, time and size: a new version is read anew)."""
    return Priors.from_dict(json.loads(Path(path).read_text(encoding="utf-8")), path)
