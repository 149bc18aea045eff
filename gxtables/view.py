"""Notebook views (`_repr_html_`): a report's three tables in their printed layout, and a corpus at a glance.

``report_html`` draws each statutory table as the national format prints it (blocks of table 二,
the nested row labels and the applicant header of table 三, the one row of fifteen of table 四), with
the cells of failed rules highlighted, uncertain cells marked and blank or absent cells told apart;
hovering a cell shows why. ``corpus_html`` shows the summary and the rules that fail most often.
"""
from __future__ import annotations

import base64
import html
import io
from collections import defaultdict

import regex

from .align import BLANK_STATUS, UNCERTAIN
from .check import FAIL
from .template import Edition, Row, Table, editions

__all__ = ["corpus_html", "report_html", "tables_html"]

# A numbered sub-item label ("1.属于国家秘密"): printed under its heading (（三）不予公开).
RE_SUBITEM = regex.compile(r"^\d+\.")

CSS = """
<style>
.gx-report{font-family:system-ui,sans-serif;font-size:13px}
.gx-report table.gx{border-collapse:collapse;margin:6px 0 14px 0}
.gx-report table.gx td,.gx-report table.gx th{border:1px solid #999;padding:2px 6px;text-align:center}
.gx-report table.gx th{background:#f3f3f3;font-weight:normal}
.gx-report table.gx td{max-width:28em}
.gx-report table.gx td.num{text-align:right;min-width:2.5em;font-variant-numeric:tabular-nums}
.gx-report td.fail{background:#f8c9c9;color:#900;font-weight:bold}
.gx-report td.warn{background:#fde7c6}
.gx-report td.uncertain{background:#fff3a8;outline:2px dashed #c90;outline-offset:-3px}
.gx-report td.blank{color:#888;background:#f6f6f6}
.gx-report td.absent{background:repeating-linear-gradient(45deg,#fff,#fff 4px,#eee 4px,#eee 8px)}
.gx-report .gx-legend span{display:inline-block;padding:0 6px;margin-right:6px;border:1px solid #999}
</style>
"""


def _fmt(v: float | None) -> str:
    """A value as printed: no exponent, no trailing zeros."""
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else f"{v:f}".rstrip("0").rstrip(".")


class _Cells:
    """What to print in each cell and how to mark it, from a report's cells and checks."""

    def __init__(self, report, marks: bool):
        self.marks = marks
        self.cells = {f"{pc.cell.table}.{pc.cell.row}.{pc.cell.column}": pc.cell for pc in report.placed_cells}
        self.failed: dict[str, list[str]] = defaultdict(list)
        self.warned: dict[str, list[str]] = defaultdict(list)
        for c in report.check_records:
            if c.status != FAIL or c.rule in ("COMPLETE", "BLANK"):
                continue  # absent and blank cells have their own look
            target = self.failed if c.severity == "error" else self.warned
            for cid in c.cells:
                target[cid].append(c.message)

    def td(self, cid: str) -> str:
        cell = self.cells.get(cid)
        if not self.marks:
            return f"<td>{html.escape(_fmt(cell.value) if cell else '')}</td>"
        classes, notes = ["num"], []
        if cell is None:
            classes.append("absent")
            notes.append("absent: not in the text")
            text = ""
        elif cell.status == BLANK_STATUS:
            classes.append("blank")
            notes.append(f"blank, printed as {cell.marker!r}" if cell.marker else "blank (printed empty)")
            text = cell.marker or ""
        elif cell.status == UNCERTAIN:
            classes.append("uncertain")
            cands = ", ".join(_fmt(v) for v in cell.candidates)
            notes.append(f"uncertain: {cell.reason or ''}" + (f" (candidates {cands})" if cands else ""))
            text = f"{_fmt(cell.value)}?"
        else:
            text = _fmt(cell.value)
            if cell.status != "read":
                notes.append(f"{cell.status}: {cell.reason or ''}")
        if cid in self.failed:
            classes.append("fail")
            notes.extend(self.failed[cid])
        elif cid in self.warned:
            classes.append("warn")
            notes.extend(self.warned[cid])
        title = html.escape(f"{cid}\n" + "\n".join(notes), quote=True)
        return f'<td class="{" ".join(classes)}" title="{title}">{html.escape(text)}</td>'


def _th(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    span = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    return f"<th{span}>{html.escape(text)}</th>"


def _proactive(table: Table, cells: _Cells) -> list[str]:
    """Table 二: one block per 第二十条 item, each with its own header of columns."""
    out: list[str] = []
    width = 1 + max(len(r.columns) for r in table.data_rows)
    block = None
    for row in table.data_rows:
        if row.block != block:
            block = row.block
            out.append(f"<tr>{_th(block or '', colspan=width)}</tr>")
            out.append("<tr>" + _th("信息内容") + "".join(_th(table.column(c).label) for c in row.columns)
                       + _th("", colspan=width - 1 - len(row.columns)) * (width - 1 > len(row.columns)) + "</tr>")
        tds = "".join(cells.td(f"{table.id}.{row.id}.{c}") for c in row.columns)
        pad = width - 1 - len(row.columns)
        out.append(f"<tr>{_th(row.label)}{tds}{'<td></td>' * pad}</tr>")
    return out


def _applications(table: Table, cells: _Cells) -> list[str]:
    """Table 三: the applicant header, and row labels nested as printed (三、本年度办理结果 › （三）不予公开 › 1.…)."""
    cols = [c.id for c in table.columns]
    orgs = [c for c in table.columns if c.id not in ("natural_person", "total")]
    out = ["<tr>" + _th("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3)
           + _th("申请人情况", colspan=len(cols)) + "</tr>",
           "<tr>" + _th(table.column("natural_person").label, rowspan=2) + _th("法人或其他组织", colspan=len(orgs))
           + _th(table.column("total").label, rowspan=2) + "</tr>",
           "<tr>" + "".join(_th(c.label) for c in orgs) + "</tr>"]
    # each data row with the headings it is printed under: 三、本年度办理结果 and （三）不予公开 and the like
    placed: list[tuple[Row, str | None, str | None]] = []
    top: str | None = None
    sub: str | None = None
    for row in table.rows:
        if row.heading:
            if top is None:
                top = row.id
            else:
                sub = row.id
            continue
        if row.id == "carried_forward":
            top = sub = None
        if sub is not None and not RE_SUBITEM.match(row.label):
            sub = None
        placed.append((row, top, sub))
    span: dict[str, int] = defaultdict(int)
    for _, t, u in placed:
        for h in (t, u):
            if h is not None:
                span[h] += 1
    shown: set[str] = set()
    for row, t, u in placed:
        heads = ""
        for h in (t, u):
            if h is not None and h not in shown:
                shown.add(h)
                heads += _th(table.row(h).label, rowspan=span[h])
        label = _th(row.label, colspan=3 if t is None else 2 if u is None else 1)
        tds = "".join(cells.td(f"{table.id}.{row.id}.{c}") for c in cols)
        out.append(f"<tr>{heads}{label}{tds}</tr>")
    return out


def _appeals(table: Table, cells: _Cells) -> list[str]:
    """Table 四: printed as one row of fifteen numbers under a three-level header."""
    rows = table.data_rows
    first, rest = rows[0], rows[1:]
    out = ["<tr>" + _th(first.label, colspan=len(first.columns))
           + _th("行政诉讼", colspan=sum(len(r.columns) for r in rest)) + "</tr>",
           "<tr>" + "".join(_th(table.column(c).label, rowspan=2) for c in first.columns)
           + "".join(_th(r.label, colspan=len(r.columns)) for r in rest) + "</tr>",
           "<tr>" + "".join(_th(table.column(c).label) for r in rest for c in r.columns) + "</tr>"]
    out.append("<tr>" + "".join(cells.td(f"{table.id}.{r.id}.{c}") for r in rows for c in r.columns) + "</tr>")
    return out


def _grid(table: Table, cells: _Cells) -> list[str]:
    """Any other table: rows × columns."""
    out = ["<tr>" + _th("") + "".join(_th(c.label) for c in table.columns) + "</tr>"]
    for row in table.data_rows:
        tds = "".join(cells.td(f"{table.id}.{row.id}.{c.id}") if c.id in row.columns else "<td></td>" for c in table.columns)
        out.append(f"<tr>{_th(row.label)}{tds}</tr>")
    return out


_LAYOUTS = {"proactive": _proactive, "applications": _applications, "appeals": _appeals}


def _edition(name: str | None) -> Edition | None:
    return next((e for e in editions() if e.edition == name), None)


def tables_html(report, marks: bool = True) -> str:
    """The report's statutory tables as HTML tables in their printed layout (``marks`` adds the highlights)."""
    ed = _edition(report.edition)
    if ed is None:
        return ""
    cells = _Cells(report, marks)
    parts = []
    for table in ed.tables:
        rows = _LAYOUTS.get(table.id, _grid)(table, cells)
        parts.append(f"<p><b>{html.escape(table.label)}</b></p>\n<table class=\"gx\">\n" + "\n".join(rows) + "\n</table>")
    return "\n".join(parts)


def report_html(report) -> str:
    """A report as HTML: what it is, its verdict, and its three tables with failed and uncertain cells marked."""
    head = (f"<b>{html.escape(report.title or report.body or report.source or 'report')}</b><br>"
            f"edition {html.escape(str(report.edition))} · year {html.escape(str(report.year))} · "
            f"body {html.escape(str(report.body))}")
    if not report.is_report or not report.placed_cells:
        return f'<div class="gx-report">{CSS}{head}<br><i>{html.escape(report.reason or "no tables")}</i></div>'
    uncertain = sum(pc.cell.status == UNCERTAIN for pc in report.placed_cells)
    verdict = (f"<br>{'✔ ok' if report.ok else '✘ not ok'} · errors {report.errors} · warnings {report.warnings} · "
               f"uncertain {uncertain} · cells {len(report.placed_cells)}")
    legend = ('<div class="gx-legend"><span style="background:#f8c9c9">failed rule</span>'
              '<span style="background:#fde7c6">failed warning</span><span style="background:#fff3a8">uncertain ?</span>'
              '<span style="background:#f6f6f6">blank</span><span class="absent" style="background:repeating-linear-'
              'gradient(45deg,#fff,#fff 4px,#eee 4px,#eee 8px)">absent</span> hover a cell for why</div>')
    return f'<div class="gx-report">{CSS}{head}{verdict}{legend}{tables_html(report)}</div>'


def _chart(counts) -> str:
    """A bar chart of the most-failed rules as an inline PNG, or "" when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError:
        return ""
    top = counts.head(12)[::-1]
    fig, ax = plt.subplots(figsize=(5, 0.3 * len(top) + 0.8))
    ax.barh(list(top.index), list(top.values), color="#c44")
    ax.set_xlabel("failed rule instances")
    ax.set_title("Rules that fail most often")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    return f'<img src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}">'


HEAD_COLUMNS = ["report", "source", "body", "year", "edition", "ok", "errors", "warnings", "uncertain", "reason", "error"]


def corpus_html(corpus, head: int = 10) -> str:
    """A corpus at a glance: counts, the first rows of the summary, the most-failed rules (and a chart)."""
    s = corpus.summary
    readable = s[s["error"].isna()]
    counts = {
        "inputs": len(s), "unreadable": int(s["error"].notna().sum()),
        "not reports": int((readable["is_report"] == False).sum()),  # noqa: E712 - a nullable column
        "with tables": int((readable["cells"] > 0).sum()), "ok": int(readable["ok"].sum()),
        "with errors": int((readable["errors"] > 0).sum()),
    }
    stats = "".join(f"<tr><th>{html.escape(k)}</th><td>{v}</td></tr>" for k, v in counts.items())
    failed = corpus.failed_rules()
    rules = "".join(f"<tr><th>{html.escape(str(k))}</th><td>{int(v)}</td></tr>" for k, v in failed.head(12).items())
    chart = _chart(failed) if len(failed) else ""
    shown = s.head(head)[[c for c in HEAD_COLUMNS if c in s.columns]].astype(object).where(lambda f: f.notna(), "")
    return (f'<div class="gx-report">{CSS}<b>gxtables corpus</b> · {html.escape(str(corpus.folder))}'
            f'<div style="display:flex;gap:24px;align-items:flex-start">'
            f'<table class="gx">{stats}</table><table class="gx"><tr><th>rule</th><th>failed</th></tr>{rules}</table>'
            f"{chart}</div>{shown.to_html(index=False, classes='gx')}</div>")
