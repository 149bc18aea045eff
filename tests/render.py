"""Render statutory tables into the flattening styles real web text shows, for round-trip tests and benchmarks.

A *table set* is a dict ``cell id → value`` (None = a blank cell) for one edition. ``render_report``
writes a short report around it (title, sections, captions, headers) in one of ``STYLES``.
"""
from __future__ import annotations

import random

from gxtables.rates import Priors
from gxtables.template import Edition, Table, editions

STYLES = ("row", "cells", "lines", "blank_lines", "pipe_lines", "tabs", "pdf", "markdown")
PLACEHOLDERS = ("/", "—", "-", "无")


def edition(name: str) -> Edition:
    return next(e for e in editions() if e.edition == name)


def _fmt(v: float | None, column_type: str) -> str:
    if v is None:
        return ""
    if column_type == "signed" and v > 0:
        return f"+{int(v)}" if random.random() < 0.3 else str(int(v))
    if float(v).is_integer():
        return str(int(v))
    return repr(float(v))


def _rows_of(table: Table, values: dict[str, float | None], lose_labels: bool) -> list[tuple[list[str], list[str]]]:
    """Printed rows: (label cells, value cells as text), following the official layout."""
    out: list[tuple[list[str], list[str]]] = []
    heading: str | None = None
    for row in table.rows:
        if row.heading:
            heading = row.label
            continue
        label = [row.label]
        if heading is not None:
            label = [heading, row.label]
            heading = None
        if lose_labels and table.id == "applications" and row.id not in ("new", "carried_over", "carried_forward"):
            label = [""] * len(label)
        cells = []
        for col in row.columns:
            cid = f"{table.id}.{row.id}.{col}"
            if cid not in values:
                continue
            cells.append(_fmt(values[cid], table.column(col).type))
        out.append((label, cells))
    return out


def _headers(table: Table) -> list[list[str]]:
    if table.id == "applications":
        return [["(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "申请人情况"],
                ["自然人", "法人或其他组织", "总计"],
                ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]]
    if table.id == "appeals":
        return [["行政复议", "行政诉讼"],
                ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
                ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2]
    return []


def _proactive_blocks(table: Table, values: dict[str, float | None]) -> list[tuple[str, list[str], list[list[str]]]]:
    blocks: dict[str, tuple[list[str], list[list[str]]]] = {}
    order: list[str] = []
    for row in table.data_rows:
        if row.block not in blocks:
            blocks[row.block] = (["信息内容", *(table.column(c).label for c in row.columns)], [])
            order.append(row.block)
        cells = [_fmt(values[f"{table.id}.{row.id}.{c}"], table.column(c).type)
                 for c in row.columns if f"{table.id}.{row.id}.{c}" in values]
        blocks[row.block][1].append([row.label, *cells])
    return [(b, *blocks[b]) for b in order]


def _blank_text(style: str, rng: random.Random) -> str:
    return "" if style in ("row", "cells", "pipe_lines", "tabs", "markdown") else rng.choice(PLACEHOLDERS)


def _line(cells: list[str], style: str) -> list[str]:
    """One printed row in a style, as lines of text."""
    if style == "row":
        return [" | ".join(cells) + " |"]
    if style == "tabs":
        return ["\t".join(cells)]
    if style == "markdown":
        return ["| " + " | ".join(cells) + " |"]
    if style == "pdf":
        return [" ".join(c for c in cells)]
    if style == "cells":
        return [f"{c} |" for c in cells]
    if style == "pipe_lines":
        out = []
        for c in cells:
            out.extend([c, "|"] if c else ["|"])
        return out
    if style == "blank_lines":
        return [x for c in cells for x in (c, "")]
    return list(cells)  # "lines"


def render_report(ed: Edition, values: dict[str, float | None], style: str, *, year: int | None = None,
                  body: str = "某某县某某局", lose_labels: bool = False, seed: int = 0, drop_blanks: bool = False) -> str:
    """A short report in ``style`` holding the given cells (absent ids are left out of the text).

    ``drop_blanks`` leaves blank cells out of the text altogether, as extractors do with empty cells.
    """
    rng = random.Random(seed)
    year = year or ed.first_year
    vals = {k: (v if v is not None else None) for k, v in values.items()}
    lines = [f"{body}{year}年政府信息公开工作年度报告", "一、总体情况", f"{year}年,{body}认真贯彻落实《条例》。"]

    def emit(cells: list[str]) -> None:
        if drop_blanks:
            cells = [c for c in cells if c != ""]
        lines.extend(_line(cells, style))
        if style == "cells":
            lines[-1] += " ||"  # colspan padding at the end of a printed row

    def text_of(v: str, is_value: bool) -> str:
        if is_value and v == "" and not drop_blanks:
            return _blank_text(style, rng)
        return v

    page = 2
    for table in ed.tables:
        lines.append(table.label)
        if table.id == "proactive":
            for caption, header, rows in _proactive_blocks(table, vals):
                if not rows or all(len(r) == 1 for r in rows):
                    continue
                lines.extend(_line([caption], style))
                emit(header)
                if style == "markdown":
                    lines.append("|" + "---|" * len(header))
                for r in rows:
                    emit([r[0], *(text_of(v, True) for v in r[1:])])
            continue
        for h in _headers(table):
            emit(h)
        rows = _rows_of(table, vals, lose_labels)
        if table.single_row:
            flat = [text_of(v, True) for _, cells in rows for v in cells]
            if flat:
                emit(flat)
            continue
        for i, (labs, cells) in enumerate(rows):
            if not cells:
                continue
            emit([*labs, *(text_of(v, True) for v in cells)])
            if style == "pdf" and i % 9 == 8:
                lines.append(f"- {page} -")
                page += 1
    lines.extend(["五、存在的主要问题及改进情况", "下一步,我局将进一步加强工作。", "六、其他需要报告的事项", "无。"])
    return "\n".join(lines) + "\n"


def random_values(ed: Edition, rng: random.Random, *, zeros_blank: float = 0.0, consistent: bool = True,
                  tables: tuple[str, ...] = ("proactive", "applications", "appeals")) -> dict[str, float | None]:
    """A random but realistic table set: rules hold, most applications from natural persons."""
    vals: dict[str, float | None] = {}
    for table in ed.tables:
        if table.id not in tables:
            continue
        if table.id == "proactive":
            for row in table.data_rows:
                for col in row.columns:
                    kind = table.column(col).type
                    if kind == "signed":
                        v = float(rng.choice([0, 0, 0, rng.randint(-30, 30)]))
                    elif kind == "decimal":
                        v = round(rng.choice([0.0, rng.uniform(0, 5000)]), rng.choice([0, 2, 3]))
                    else:
                        v = float(rng.choice([0, 0, rng.randint(0, 50), rng.randint(0, 5000)]))
                    vals[f"proactive.{row.id}.{col}"] = v
            if ed.edition == "2019":
                for r in ("regulations", "normative_documents"):
                    a, b = vals[f"proactive.{r}.new_published"], vals[f"proactive.{r}.total_published"]
                    if a > b:
                        vals[f"proactive.{r}.new_published"], vals[f"proactive.{r}.total_published"] = b, a
        elif table.id == "applications":
            _random_applications(table, rng, vals)
        else:
            for row in table.data_rows:
                parts = [float(rng.choice([0, 0, 0, rng.randint(0, 12)])) for _ in range(4)]
                for col, v in zip(("upheld", "corrected", "other", "pending"), parts):
                    vals[f"appeals.{row.id}.{col}"] = v
                vals[f"appeals.{row.id}.total"] = float(sum(parts))
    if zeros_blank:
        for k, v in list(vals.items()):
            if v == 0 and rng.random() < zeros_blank:
                vals[k] = None
    return vals


def _random_applications(table: Table, rng: random.Random, vals: dict) -> None:
    cols = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org"]
    weights = [0.0, 0.35, 0.04, 0.03, 0.1, 0.15]
    # natural persons: among the applicants of a report that has any, at the rate real tables show
    lead = Priors.bundled().lead_column("applications")
    has_applications = rng.random() < 0.9
    weights[0] = (lead[1] if lead and lead[0] == "natural_person" else 0.85) if has_applications else 0.0
    active_cols = {c for c, w in zip(cols, weights) if rng.random() < (w if has_applications else 0.0)}
    if has_applications and not active_cols:
        active_cols.add(rng.choices(cols[1:], weights=weights[1:])[0])
    outcome_rows = [r.id for r in table.data_rows if r.id not in ("new", "carried_over", "total", "carried_forward")]
    outcome_weights = {r: (6 if r in ("granted", "unavailable_not_held") else 3 if r in ("partly_granted", "other", "other_misc") else 1)
                       for r in outcome_rows}
    for col in cols:
        active = col in active_cols
        new = rng.randint(1, 60) if active else 0
        carried = rng.choice([0, 0, rng.randint(0, 5)]) if active else 0
        forward = min(rng.choice([0, 0, rng.randint(0, 5)]), new + carried) if active else 0
        handled = new + carried - forward
        split = {r: 0 for r in outcome_rows}
        for _ in range(handled):
            r = rng.choices(outcome_rows, weights=[outcome_weights[x] for x in outcome_rows])[0]
            split[r] += 1
        vals[f"applications.new.{col}"] = float(new)
        vals[f"applications.carried_over.{col}"] = float(carried)
        vals[f"applications.carried_forward.{col}"] = float(forward)
        vals[f"applications.total.{col}"] = float(handled)
        for r, v in split.items():
            vals[f"applications.{r}.{col}"] = float(v)
    for row in table.data_rows:
        vals[f"applications.{row.id}.total"] = float(sum(vals[f"applications.{row.id}.{c}"] for c in cols))
