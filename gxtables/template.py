"""Edition templates: the statutory tables and their rules, read from one data file per edition.

An edition file (``gxtables/editions/<edition>.toml``) lists every table, row and column with its
official label, aliases seen in real text, value type and the consistency rules. Files are validated
when loaded, so a new edition is a new file, and a mistake in one is reported with its file name.
"""
from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

import regex

from .normalize import label_key
from .vocabulary import quantity_ids

__all__ = ["Column", "Edition", "Row", "Rule", "Table", "TemplateError", "edition_named", "editions", "load_edition"]

VALUE_TYPES = {"count", "signed", "decimal"}
RULE_KINDS = {"sum", "le", "type", "blank", "edition_year", "text", "review_status", "prose_balance"}
PROSE_KINDS = {"text", "review_status", "prose_balance"}  # rules on the figures stated in the prose
SEVERITIES = {"error", "warning"}
RE_ID = regex.compile(r"[a-z][a-z0-9_]*")  # ids are ASCII snake_case
RE_NUMBERING = regex.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+\.)")  # "（一）", "1.", "三、"


class TemplateError(ValueError):
    """An edition file (or the cross-year rules file) that does not describe a valid template."""


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    type: str
    aliases: tuple[str, ...] = ()
    group: str | None = None
    unit: str | None = None

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """Normalized spellings this column header is recognised by."""
        return _keys(self.label, self.aliases)


@dataclass(frozen=True)
class Row:
    id: str
    label: str
    columns: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    heading: bool = False
    block: str | None = None
    group: str | None = None

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """Normalized spellings this row label is recognised by."""
        return _keys(self.label, self.aliases)


@dataclass(frozen=True)
class Table:
    id: str
    label: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    single_row: bool = False

    def column(self, column_id: str) -> Column:
        return self._columns_by_id[column_id]

    def row(self, row_id: str) -> Row:
        return self._rows_by_id[row_id]

    # Lookups are cached on the (immutable) table: the pipeline asks for them thousands of times per report.
    @cached_property
    def _columns_by_id(self) -> dict[str, Column]:
        return {c.id: c for c in self.columns}

    @cached_property
    def _rows_by_id(self) -> dict[str, Row]:
        return {r.id: r for r in self.rows}

    @cached_property
    def data_rows(self) -> tuple[Row, ...]:
        """Rows that hold cells (headings excluded), in printed order."""
        return tuple(r for r in self.rows if not r.heading)

    @cached_property
    def cell_ids(self) -> tuple[str, ...]:
        return tuple(f"{self.id}.{r.id}.{c}" for r in self.data_rows for c in r.columns)

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:
        """A table is a key of the checks' memo, once per rule and report: hashed once, by value."""
        return hash((self.id, self.label, self.columns, self.rows, self.single_row))

    @cached_property
    def cell_index(self) -> dict[str, int]:
        """Position of each cell id in :attr:`cell_ids` (for sorting cells into template order)."""
        return {cid: i for i, cid in enumerate(self.cell_ids)}


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    kind: str
    text: str
    table: str | None = None
    each: str | None = None
    lhs: tuple[str, ...] = ()
    rhs: tuple[str, ...] = ()
    # prose rules: a prose quantity → the cell ids it is checked against (text, review_status)
    cells: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # review_status: a statement → the prose quantities that must then be 0
    prose: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # text: another reading a figure may state ("受理" counting 新收 and 上年结转 together)
    alternatives: tuple[tuple[str, tuple[str, ...]], ...] = ()
    optional: tuple[str, ...] = ()  # prose_balance: quantities counted 0 when the prose does not state them
    # sum rules: a blank left-hand side with numbers on the right is "not given", not 0 (reports that
    # fill 总计 only on some rows)
    blank_lhs_not_given: bool = False


@dataclass(frozen=True)
class Edition:
    edition: str
    name: str
    document: str
    first_year: int
    last_year: int | None
    markers: tuple[str, ...]
    tables: tuple[Table, ...]
    rules: tuple[Rule, ...]

    def table(self, table_id: str) -> Table:
        return next(t for t in self.tables if t.id == table_id)

    def covers(self, year: int) -> bool:
        """True when reports for ``year`` should use this edition."""
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    def sum_columns(self, table_id: str) -> frozenset[str]:
        """Columns that are the sum of others in their row (总计): filled whenever anything is, so they
        say nothing about which other column a row's numbers sit in."""
        return frozenset(c for r in self.rules if r.kind == "sum" and r.each == "row" and r.table == table_id
                         for c in r.lhs)

    @property
    def marker_keys(self) -> tuple[str, ...]:
        return tuple(label_key(m) for m in self.markers)


def _keys(label: str, aliases: tuple[str, ...]) -> tuple[str, ...]:
    """All comparison keys of a label: itself, its aliases, and each without its numbering.

    A label stripped of its numbering is kept only when it stays specific ("3.其他" is not "其他").
    """
    out: list[str] = []
    for text in (label, *aliases):
        key = label_key(text)
        stripped = RE_NUMBERING.sub("", key)
        for k in (key, stripped if len(stripped) >= 3 else ""):
            if k and k not in out:
                out.append(k)
    return tuple(out)


def _require(cond: bool, source: str, message: str) -> None:
    if not cond:
        raise TemplateError(f"{source}: {message}")


def _build_table(spec: dict, source: str) -> Table:
    tid = spec.get("id", "")
    _require(bool(RE_ID.fullmatch(tid)), source, f"table id {tid!r} is not snake_case")
    columns = []
    for c in spec.get("columns", []):
        _require(bool(RE_ID.fullmatch(c.get("id", ""))), source, f"{tid}: column id {c.get('id')!r} is not snake_case")
        _require(c.get("type") in VALUE_TYPES, source, f"{tid}.{c['id']}: type must be one of {sorted(VALUE_TYPES)}")
        columns.append(Column(c["id"], c["label"], c["type"], tuple(c.get("aliases", ())), c.get("group"), c.get("unit")))
    column_ids = [c.id for c in columns]
    _require(len(set(column_ids)) == len(column_ids), source, f"{tid}: duplicate column ids")
    rows = []
    for r in spec.get("rows", []):
        rid = r.get("id", "")
        _require(bool(RE_ID.fullmatch(rid)), source, f"{tid}: row id {rid!r} is not snake_case")
        heading = bool(r.get("heading", False))
        cols = () if heading else tuple(r.get("columns", column_ids))
        for c in cols:
            _require(c in column_ids, source, f"{tid}.{rid}: unknown column {c!r}")
        rows.append(Row(rid, r["label"], cols, tuple(r.get("aliases", ())), heading, r.get("block"), r.get("group")))
    row_ids = [r.id for r in rows]
    _require(len(set(row_ids)) == len(row_ids), source, f"{tid}: duplicate row ids")
    _require(any(not r.heading for r in rows), source, f"{tid}: no data rows")
    return Table(tid, spec["label"], tuple(columns), tuple(rows), bool(spec.get("single_row", False)))


def _build_rule(spec: dict, tables: dict[str, Table], source: str) -> Rule:
    rid = spec.get("id", "?")
    _require(spec.get("severity") in SEVERITIES, source, f"rule {rid}: severity must be error or warning")
    _require(spec.get("kind") in RULE_KINDS, source, f"rule {rid}: kind must be one of {sorted(RULE_KINDS)}")
    rule = Rule(rid, spec["severity"], spec["kind"], spec.get("text", ""), spec.get("table"), spec.get("each"),
                tuple(spec.get("lhs", ())), tuple(spec.get("rhs", ())),
                blank_lhs_not_given=spec.get("blank_lhs_not_given", False))
    _require(isinstance(rule.blank_lhs_not_given, bool), source, f"rule {rid}: blank_lhs_not_given is true or false")
    if rule.kind in PROSE_KINDS:
        return _build_prose_rule(rule, spec, tables, source)
    if rule.kind in ("sum", "le"):
        _require(rule.table in tables, source, f"rule {rid}: unknown table {rule.table!r}")
        _require(rule.each in ("row", "column"), source, f"rule {rid}: each must be row or column")
        _require(bool(rule.lhs) and bool(rule.rhs), source, f"rule {rid}: lhs and rhs are required")
        table = tables[rule.table]
        # each = column: lhs/rhs name rows; each = row: they name columns
        known = {r.id for r in table.data_rows} if rule.each == "column" else {c.id for c in table.columns}
        for name in rule.lhs + rule.rhs:
            _require(name in known, source, f"rule {rid}: {name!r} is not a {'row' if rule.each == 'column' else 'column'} of {rule.table}")
    return rule


def _build_prose_rule(rule: Rule, spec: dict, tables: dict[str, Table], source: str) -> Rule:
    """A rule on prose figures: quantity names must be in the narrative vocabulary, cell patterns must match cells."""
    known = quantity_ids()
    all_cells = [cid for t in tables.values() for cid in t.cell_ids]
    rid = rule.id

    def quantities(names, what: str) -> tuple[str, ...]:
        for name in names:
            _require(name in known, source, f"rule {rid}: {what} {name!r} is not a quantity of narrative.toml")
        return tuple(names)

    def cell_map(key: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        out = []
        for quantity, patterns in spec.get(key, {}).items():
            quantities([quantity], key)
            ids: list[str] = []
            for pattern in patterns:
                hits = fnmatch.filter(all_cells, pattern)
                _require(bool(hits), source, f"rule {rid}: {pattern!r} ({quantity}) matches no cell")
                ids.extend(h for h in hits if h not in ids)
            out.append((quantity, tuple(ids)))
        return tuple(out)

    if rule.kind == "prose_balance":
        _require(bool(rule.lhs) and bool(rule.rhs), source, f"rule {rid}: lhs and rhs are required")
        quantities(rule.lhs + rule.rhs, "side")
        optional = quantities(spec.get("optional", ()), "optional")
        return Rule(rule.id, rule.severity, rule.kind, rule.text, lhs=rule.lhs, rhs=rule.rhs, optional=optional)
    cells = cell_map("cells")
    _require(bool(cells), source, f"rule {rid}: [rules.cells] maps prose quantities to cells")
    prose = tuple((k, quantities(v, "prose")) for k, v in spec.get("prose", {}).items())
    quantities([k for k, _ in prose], "statement")
    return Rule(rule.id, rule.severity, rule.kind, rule.text, cells=cells, prose=prose, alternatives=cell_map("alternatives"))


def edition_from_toml(data: dict, source: str) -> Edition:
    """Build and validate an :class:`Edition` from the parsed contents of an edition file."""
    for key in ("edition", "name", "document", "first_year", "markers", "tables", "rules"):
        _require(key in data, source, f"missing key {key!r}")
    tables = {t.id: t for t in (_build_table(spec, source) for spec in data["tables"])}
    _require(len(tables) == len(data["tables"]), source, "duplicate table ids")
    rules = tuple(_build_rule(spec, tables, source) for spec in data["rules"])
    ids = [r.id for r in rules]
    _require(len(set(ids)) == len(ids), source, "duplicate rule ids")
    return Edition(str(data["edition"]), data["name"], data["document"], int(data["first_year"]),
                   data.get("last_year"), tuple(data["markers"]), tuple(tables.values()), rules)


def load_edition(path) -> Edition:
    """Load one edition file (a path or a ``importlib.resources`` traversable)."""
    with open(path, "rb") if not hasattr(path, "open") else path.open("rb") as fh:
        try:
            data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise TemplateError(f"{path}: {exc}") from exc
    return edition_from_toml(data, str(path))


@lru_cache(maxsize=1)
def editions() -> tuple[Edition, ...]:
    """Every edition shipped with gxtables, oldest first."""
    folder = resources.files("gxtables") / "editions"
    found = [load_edition(p) for p in folder.iterdir() if p.name.endswith(".toml")]
    return tuple(sorted(found, key=lambda e: e.first_year))


def edition_named(name: str | None) -> Edition | None:
    """The shipped edition called ``name`` ("2019", "2021"), or None ("pre2019", unknown, None)."""
    return next((e for e in editions() if e.edition == name), None)
