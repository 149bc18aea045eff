"""Cross-year checks: a body's report against its report of the year before, by the rules of
``crossyear.toml``.

The rules are data, validated when loaded against the edition files, and evaluated like the rules of
one report: one record per instance, ``pass``, ``fail`` or ``not_assessable`` (a cell absent, blank or
uncertain on either side), with a message in plain words. Reports are paired by :func:`body_key`.
"""
from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd

from .check import FAIL, NOT_ASSESSABLE, PASS
from .normalize import body_key
from .numerals import format_number
from .records import CROSS_CHECK_COLUMNS, CROSS_CHECK_FIELDS, to_frame, value_text
from .template import SEVERITIES, TemplateError, editions

__all__ = ["CrossRule", "cross_cells", "cross_checks", "cross_rules", "cross_rules_from_toml", "pair_reports"]

KINDS = {
    # kind → (keys naming rows or columns, the key listing the instances, the words the messages use)
    "carry": (("this_year", "last_year"), "columns", ("this_year", "last_year")),
    "running_total": (("total", "added", "removed"), "rows", ("total", "added", "removed")),
}


@dataclass(frozen=True)
class CrossRule:
    """One rule between consecutive years; ``parts`` maps the kind's keys to rows or columns."""

    id: str
    severity: str
    kind: str
    text: str
    table: str
    instances: tuple[str, ...]  # the columns (carry) or rows (running_total) it is applied to
    parts: tuple[tuple[str, str], ...]  # ("this_year", "carried_over"), …
    words: tuple[tuple[str, str], ...]  # ("this_year", "上年结转"), …
    editions: tuple[str, ...] = ()  # empty: every pair

    def part(self, key: str) -> str:
        return dict(self.parts)[key]

    def word(self, key: str) -> str:
        return dict(self.words)[key]

    def cell_ids(self, instance: str) -> tuple[str, ...]:
        """The cells of one instance, in the order the record lists them."""
        if self.kind == "carry":
            return tuple(f"{self.table}.{self.part(k)}.{instance}" for k in ("this_year", "last_year"))
        return tuple(f"{self.table}.{instance}.{self.part(k)}" for k in ("total", "added", "removed"))


# ----------------------------------------------------------------------------- loading
def _require(cond: bool, source: str, message: str) -> None:
    if not cond:
        raise TemplateError(f"{source}: {message}")


def _build(spec: dict, source: str) -> CrossRule:
    rid = spec.get("id", "?")
    kind = spec.get("kind")
    _require(kind in KINDS, source, f"rule {rid}: kind must be one of {sorted(KINDS)}")
    part_keys, listing, word_keys = KINDS[kind]
    allowed = {"id", "severity", "kind", "text", "table", "editions", "words", listing, *part_keys}
    _require(not set(spec) - allowed, source, f"rule {rid}: unknown keys {sorted(set(spec) - allowed)}")
    _require(spec.get("severity") in SEVERITIES, source, f"rule {rid}: severity must be error or warning")
    for key in ("text", "table", *part_keys):
        _require(isinstance(spec.get(key), str) and bool(spec[key]), source, f"rule {rid}: {key} is required")
    words = spec.get("words", {})
    _require(isinstance(words, dict) and all(isinstance(words.get(k), str) for k in word_keys), source,
             f"rule {rid}: words needs {', '.join(word_keys)}")
    instances = spec.get(listing)
    _require(isinstance(instances, list) and bool(instances), source, f"rule {rid}: {listing} lists what it applies to")
    known = {e.edition: e for e in editions()}
    names = tuple(str(e) for e in spec.get("editions", ()))
    for name in names:
        _require(name in known, source, f"rule {rid}: unknown edition {name!r}")
    rule = CrossRule(rid, spec["severity"], kind, spec["text"], spec["table"], tuple(instances),
                     tuple((k, spec[k]) for k in part_keys), tuple((k, words[k]) for k in word_keys), names)
    for ed in (known[n] for n in names) if names else known.values():
        ids = {cid for t in ed.tables for cid in t.cell_ids}
        for instance in rule.instances:
            for cid in rule.cell_ids(instance):
                _require(cid in ids, source, f"rule {rid}: {cid} is not a cell of edition {ed.edition}")
    return rule


def cross_rules_from_toml(data: dict, source: str) -> tuple[CrossRule, ...]:
    """Build and validate the cross-year rules of a rules file's parsed contents."""
    rules = tuple(_build(spec, source) for spec in data.get("rules", []))
    ids = [r.id for r in rules]
    _require(len(set(ids)) == len(ids), source, "duplicate rule ids")
    return rules


@lru_cache(maxsize=1)
def cross_rules() -> tuple[CrossRule, ...]:
    """The cross-year rules shipped with gxtables (``gxtables/crossyear.toml``), in file order."""
    path = resources.files("gxtables") / "crossyear.toml"
    with path.open("rb") as fh:
        try:
            data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise TemplateError(f"{path}: {exc}") from exc
    return cross_rules_from_toml(data, str(path))


def cross_cells() -> list[str]:
    """Every cell id the rules compare (the columns of the wide frame they need)."""
    return list(dict.fromkeys(cid for r in cross_rules() for i in r.instances for cid in r.cell_ids(i)))


# ----------------------------------------------------------------------------- pairing
def pair_reports(frame: pd.DataFrame) -> pd.DataFrame:
    """Each report paired with the reports of the same body (by :func:`body_key`) for the year before.

    ``frame`` needs ``report``, ``body``, ``year`` and ``source``; a body with two reports in a year
    pairs each with each (the pairs say so by repeating).
    """
    cols = ["report", "source", "body", "year"]
    base = frame[cols].copy()
    base["body_key"] = [body_key(b) if isinstance(b, str) else None for b in base["body"]]
    base = base[base["body_key"].notna() & base["year"].notna()]
    prev = base.rename(columns={c: f"prev_{c}" for c in cols})
    prev["year"] = prev["prev_year"] + 1
    pairs = base.merge(prev, on=["body_key", "year"], how="inner")
    order = ["body_key", "year", "report", "source", "body", "prev_year", "prev_report", "prev_source", "prev_body"]
    return pairs[order].sort_values(["body_key", "year", "report", "prev_report"]).reset_index(drop=True)


# ----------------------------------------------------------------------------- evaluating
Get = Callable[[object, str], float | None]  # (report, cell id) → value, None when absent, blank or uncertain


def _carry(rule: CrossRule, p, get: Get, same_edition: bool) -> Iterator[tuple]:
    """This year's row equals last year's row, column by column."""
    for col in rule.instances:
        this_id, last_id = rule.cell_ids(col)
        now, before = get(p.report, this_id), get(p.prev_report, last_id)
        if now is None or before is None:
            status, msg = NOT_ASSESSABLE, f"{rule.id} {col}: not assessable (a cell is absent, blank or uncertain)"
        else:
            status = PASS if abs(now - before) < 1e-6 else FAIL
            msg = (f"{rule.id} {col}: {p.year}年{rule.word('this_year')} = {format_number(now)} "
                   f"{'=' if status == PASS else '≠'} {p.prev_year}年{rule.word('last_year')} = {format_number(before)} "
                   f"({p.prev_body} → {p.body})")
        yield col, f"{this_id},{last_id}", before, now, status, msg


def _running_total(rule: CrossRule, p, get: Get, same_edition: bool) -> Iterator[tuple]:
    """This year's total = last year's total + what was added − what was removed this year."""
    total, added, removed = (rule.word(k) for k in ("total", "added", "removed"))
    for row in rule.instances:
        total_id, added_id, removed_id = rule.cell_ids(row)
        now, plus, minus = get(p.report, total_id), get(p.report, added_id), get(p.report, removed_id)
        before = get(p.prev_report, total_id) if same_edition else None
        if None in (now, plus, minus, before):
            status, expected = NOT_ASSESSABLE, None
            msg = (f"{rule.id} {row}: not assessable (a cell is absent, blank or uncertain, or last year used "
                   f"another edition)")
        else:
            expected = before + plus - minus
            status = PASS if abs(now - expected) < 1e-6 else FAIL
            msg = (f"{rule.id} {row}: {total} {format_number(now)} {'=' if status == PASS else '≠'} 上年{total} "
                   f"{format_number(before)} + {added} {format_number(plus)} − {removed} {format_number(minus)} = "
                   f"{format_number(expected)}")
        yield row, f"{total_id},{added_id},{removed_id}", expected, now, status, msg


_EVALUATE = {"carry": _carry, "running_total": _running_total}


def cross_checks(wide: pd.DataFrame, rules: tuple[CrossRule, ...] | None = None) -> pd.DataFrame:
    """The cross-year rules (default: :func:`cross_rules`) between consecutive years of the same body.

    ``wide`` is a wide frame (one row per report, one column per cell id, at least those the rules
    compare). A missing, blank or uncertain cell makes the instance not assessable.
    """
    rules = cross_rules() if rules is None else rules
    pairs = pair_reports(wide)
    values = wide.set_index("report")
    edition = values["edition"].to_dict() if "edition" in values else {}

    def get(report, cid: str) -> float | None:
        if cid not in values.columns:
            return None
        v = values.at[report, cid]
        return None if pd.isna(v) else float(v)

    rows: list[dict] = []
    for p in pairs.itertuples(index=False):
        base = {"body_key": p.body_key, "year": p.year, "report": p.report, "source": p.source, "body": p.body,
                "prev_year": p.prev_year, "prev_report": p.prev_report, "prev_source": p.prev_source,
                "prev_body": p.prev_body}
        for rule in rules:
            if rule.editions and edition.get(p.report) not in rule.editions:
                continue
            same_edition = not rule.editions or edition.get(p.prev_report) in rule.editions
            for instance, cells, expected, found, status, message in _EVALUATE[rule.kind](rule, p, get, same_edition):
                rows.append({**base, "rule": rule.id, "severity": rule.severity, "instance": instance, "cells": cells,
                             "expected": value_text(expected), "found": value_text(found), "status": status,
                             "message": message})
    return to_frame(CROSS_CHECK_FIELDS, [[r[c] for c in CROSS_CHECK_COLUMNS] for r in rows])
