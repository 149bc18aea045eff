"""Shared by the converter and extractor benchmarks: the real figures of the development corpus, the
official grid of each statutory table, running tools with a time-out and a cache, and scoring.

A *figure* is one report's expected cells (``expected/*.json`` of the development corpus), reduced to
whole printed rows: a row of which the expected file knows every cell (a value or a blank) is drawn, a
row it knows only in part (a page cut mid-row, a row marked ambiguous) is left out, so that every cell
drawn has one right answer and nothing else is drawn. The same figures repeated under other file names
are kept once.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED_DEV = ROOT.parent / "shared" / "corpus" / "dev"
FIGURE_DIRS = (Path(os.environ.get("GXTABLES_BENCH_FIGURES", SHARED_DEV)), ROOT / "data" / "dev")
TIMEOUT = 60.0  # seconds a tool may take on one document before it counts as failed
DEFAULT_YEAR = {"2019": 2020, "2021": 2022}


def cache_root() -> Path:
    """Rendered documents and tool outputs are kept here between runs (never in the repository)."""
    return Path(os.environ.get("GXTABLES_BENCH_CACHE", Path(tempfile.gettempdir()) / "gxtables-bench"))


# ---------------------------------------------------------------------------------------------- figures

@dataclass(frozen=True)
class Figure:
    """One report's figures: ``values`` maps every drawn cell id to its number, or None for a blank cell."""

    name: str
    edition: str
    year: int
    body: str
    values: dict[str, float | None] = field(hash=False)


def load_figures(dirs: Iterable[Path] = FIGURE_DIRS) -> list[Figure]:
    """The distinct figures of the development corpora, in file-name order."""
    from gxtables.template import editions

    eds = {e.edition: e for e in editions()}
    seen: set[str] = set()
    out: list[Figure] = []
    for folder in dirs:
        for path in sorted((folder / "expected").glob("*.json")):
            exp = json.loads(path.read_text(encoding="utf-8"))
            ed = eds.get(exp.get("edition") or "")
            if ed is None or not exp.get("is_report", True):
                continue
            cells = {k: float(v) for k, v in exp.get("cells", {}).items() if v is not None}
            blank = set(exp.get("blank", []))
            values: dict[str, float | None] = {}
            for table in ed.tables:
                for row in table.data_rows:
                    ids = [f"{table.id}.{row.id}.{c}" for c in row.columns]
                    if all(i in cells or i in blank for i in ids):
                        values.update({i: cells.get(i) for i in ids})
            if not any(v is not None for v in values.values()):
                continue
            key = json.dumps([ed.edition, sorted(values.items(), key=lambda kv: kv[0])])
            if key in seen:
                continue
            seen.add(key)
            body = exp.get("body") or "某某县人民政府办公室"
            year = exp.get("year") or DEFAULT_YEAR[ed.edition]
            out.append(Figure(path.stem, ed.edition, int(year), body, values))
    return out


def fmt(value: float | None, column_type: str) -> str:
    """A value as a report prints it ("" for a blank cell): integers without a point, decimals as given."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


# ---------------------------------------------------------------------------------------------- grids

@dataclass(frozen=True)
class Cell:
    """One printed cell of a table's official layout. ``id`` is set on value cells only."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    id: str | None = None
    kind: str = "label"  # "caption" (a block caption of table 二), "header", "label" or "value"

    @property
    def blank(self) -> bool:
        return self.id is not None and self.text == ""


@dataclass(frozen=True)
class Grid:
    """A statutory table as printed: rows of cells with their spans, ``width`` columns wide."""

    table_id: str
    title: str
    width: int
    rows: tuple[tuple[Cell, ...], ...]

    def expanded(self) -> list[list[tuple[Cell, bool]]]:
        """The grid with every merged cell spread over the slots it covers: (cell, is its first slot)."""
        height = len(self.rows)
        slots: list[list[tuple[Cell, bool] | None]] = [[None] * self.width for _ in range(height)]
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while slots[r][c] is not None:
                    c += 1
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        slots[r + dr][c + dc] = (cell, dr == 0 and dc == 0)
                c += cell.colspan
        return [[s if s is not None else (Cell(""), True) for s in row] for row in slots]


APPLICATION_HEAD = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
GROUP_OF = {"denied": "（三）不予公开", "unavailable": "（四）无法提供", "not_processed": "（五）不予处理",
            "other": "（六）其他处理"}


def grids(fig: Figure) -> list[Grid]:
    """The official layout of the tables the figure has rows for, as in the national formats."""
    from gxtables.template import editions

    ed = next(e for e in editions() if e.edition == fig.edition)
    out = []
    for table in ed.tables:
        rows = [r for r in table.data_rows if f"{table.id}.{r.id}.{r.columns[0]}" in fig.values]
        if not rows:
            continue
        if table.id == "proactive":
            out.append(_proactive(table, rows, fig))
        elif table.id == "applications":
            out.append(_applications(table, rows, fig))
        else:
            out.append(_appeals(table, rows, fig))
    return out


def _values(table, row, fig: Figure, width: int) -> list[Cell]:
    cells = [Cell(fmt(fig.values[f"{table.id}.{row.id}.{c}"], table.column(c).type), id=f"{table.id}.{row.id}.{c}",
                  kind="value") for c in row.columns]
    if len(cells) < width:  # the last cell spans what is left of the row (本年收费金额, 采购总金额)
        last = cells[-1]
        cells[-1] = Cell(last.text, colspan=width - len(cells) + 1, id=last.id, kind="value")
    return cells


def _proactive(table, rows, fig: Figure) -> Grid:
    out: list[tuple[Cell, ...]] = []
    block = None
    for row in rows:
        if row.block != block:
            block = row.block
            out.append((Cell(block, colspan=4, kind="caption"),))
            heads = [Cell(table.column(c).label, kind="header") for c in row.columns]
            if len(heads) < 3:
                heads[-1] = Cell(heads[-1].text, colspan=3 - len(heads) + 1, kind="header")
            out.append((Cell("信息内容", kind="header"), *heads))
        out.append((Cell(row.label), *_values(table, row, fig, 3)))
    return Grid(table.id, table.label, 4, tuple(out))


def _applications(table, rows, fig: Figure) -> Grid:
    cols = [table.column(c).label for c in table.data_rows[0].columns]
    out: list[tuple[Cell, ...]] = [
        (Cell(APPLICATION_HEAD, rowspan=3, colspan=3, kind="header"), Cell("申请人情况", colspan=7, kind="header")),
        (Cell(cols[0], rowspan=2, kind="header"), Cell("法人或其他组织", colspan=5, kind="header"),
         Cell(cols[-1], rowspan=2, kind="header")),
        tuple(Cell(c, kind="header") for c in cols[1:6]),
    ]
    ids = [r.id for r in rows]
    outcome = [r for r in ids if r not in ("new", "carried_over", "carried_forward")]
    group_rows = {g: [r for r in outcome if r.startswith(g + "_")] for g in GROUP_OF}
    if fig.edition == "2019":
        group_rows["other"] = []
    for row in rows:
        vals = _values(table, row, fig, 7)
        if row.id not in outcome:
            out.append((Cell(row.label, colspan=3), *vals))
            continue
        lead: list[Cell] = []
        if row.id == outcome[0]:
            lead.append(Cell("三、本年度办理结果", rowspan=len(outcome)))
        group = next((g for g, members in group_rows.items() if row.id in members), None)
        if group is None:
            lead.append(Cell(row.label, colspan=2))
        else:
            if row.id == group_rows[group][0]:
                lead.append(Cell(GROUP_OF[group], rowspan=len(group_rows[group])))
            lead.append(Cell(row.label))
        out.append((*lead, *vals))
    return Grid(table.id, table.label, 10, tuple(out))


def _appeals(table, rows, fig: Figure) -> Grid:
    heads = [table.column(c).label for c in rows[0].columns]
    out = (
        (Cell("行政复议", colspan=5, kind="header"), Cell("行政诉讼", colspan=10, kind="header")),
        (*(Cell(h, rowspan=2, kind="header") for h in heads), Cell("未经复议直接起诉", colspan=5, kind="header"),
         Cell("复议后起诉", colspan=5, kind="header")),
        tuple(Cell(h, kind="header") for h in heads * 2),
        tuple(v for row in rows for v in _values(table, row, fig, 5)),
    )
    return Grid(table.id, table.label, 15, out)


def prose(fig: Figure) -> dict[str, list[str]]:
    """The report's words around its tables: title, the year sentence, section headings and paragraphs.

    Keys: "title", "intro" (paragraphs before 一), and one key per section heading (its paragraphs).
    """
    new_total = fig.values.get("applications.new.total")
    asked = f"全年共新收政府信息公开申请{fmt(new_total, 'count')}件，均已按时答复。" if new_total is not None else ""
    return {
        "title": [f"{fig.body}{fig.year}年政府信息公开工作年度报告"],
        "intro": [f"本报告由{fig.body}根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国务院办公厅政府信息与"
                  f"政务公开办公室印发的政府信息公开工作年度报告格式要求编制。本报告中所列数据的统计期限自{fig.year}年1月1日起至"
                  f"{fig.year}年12月31日止。如对本报告有疑问，请与{fig.body}办公室联系（电话：0527-83521234）。"],
        "一、总体情况": [f"{fig.year}年，{fig.body}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《条例》，"
                    f"全面推进政务公开工作。{asked}"],
        "二、主动公开政府信息情况": [],
        "三、收到和处理政府信息公开申请情况": [],
        "四、政府信息公开行政复议、行政诉讼情况": [],
        "五、存在的主要问题及改进情况": ["政务公开工作仍存在一些不足：政策解读形式不够丰富，公开内容的规范化水平有待提升。下一步，"
                           "将继续加强业务培训，完善工作机制。"],
        "六、其他需要报告的事项": ["本年度未收取信息处理费。"],
    }


TABLE_OF_SECTION = {"二、主动公开政府信息情况": "proactive", "三、收到和处理政府信息公开申请情况": "applications",
                    "四、政府信息公开行政复议、行政诉讼情况": "appeals"}


# ---------------------------------------------------------------------------------------------- tools

@dataclass(frozen=True)
class Tool:
    """One way people turn a document into text. ``run(path)`` returns the text; ``missing()`` says why
    the tool cannot run here (None when it can)."""

    name: str
    run: Callable[[Path], str]
    missing: Callable[[], str | None]
    accepts: tuple[str, ...] = ("html",)  # the document kinds it reads


def python_module(name: str) -> Callable[[], str | None]:
    def missing() -> str | None:
        import importlib.util

        return None if importlib.util.find_spec(name) else f"Python package {name!r} not installed"
    return missing


def program(name: str) -> Callable[[], str | None]:
    def missing() -> str | None:
        import shutil

        return None if shutil.which(name) else f"program {name!r} not on PATH"
    return missing


MEMORY = 4 << 30  # bytes of address space a program may take (one converter grows without bound on some pages)


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_program(args: list[str], timeout: float = TIMEOUT, cwd: Path | None = None, stdin: bytes | None = None) -> str:
    """Run a command; its standard output as text. A failure raises with the first line of its error."""
    proc = subprocess.run(args, capture_output=True, timeout=timeout, cwd=cwd, input=stdin, preexec_fn=_limit_memory)
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(f"exit {proc.returncode}: {err[0] if err else ''}")
    return proc.stdout.decode("utf-8", "replace")


class ToolTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise ToolTimeout(f"no answer within {TIMEOUT:.0f} s")


def cached_run(tool: Tool, doc: Path, out_dir: Path, fresh: bool = False) -> tuple[str | None, str | None, Path]:
    """(text, error, where the text is kept) of a tool on a document, kept in ``out_dir`` under the document's content hash so a
    rerun on an unchanged document takes no time and a changed document is converted again."""
    digest = hashlib.sha1(doc.read_bytes()).hexdigest()[:16]
    base = out_dir / tool.name / f"{doc.stem}-{digest}"
    txt, err = base.with_suffix(".txt"), base.with_suffix(".err")
    if not fresh and txt.exists():
        return txt.read_text(encoding="utf-8"), None, txt
    if not fresh and err.exists():
        return None, err.read_text(encoding="utf-8"), err
    txt.parent.mkdir(parents=True, exist_ok=True)
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT)
    try:
        text = tool.run(doc)
    except (Exception, ToolTimeout) as e:  # a tool that fails on a document: recorded, never fatal
        message = f"{type(e).__name__}: {e}".splitlines()[0][:300]
        if not isinstance(e, ToolTimeout | subprocess.TimeoutExpired):
            err.write_text(message, encoding="utf-8")
        return None, message, err
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    txt.write_text(text, encoding="utf-8")
    err.unlink(missing_ok=True)
    return text, None, txt


# ---------------------------------------------------------------------------------------------- scoring

COLUMNS = ("files", "expected", "right", "wrong", "uncertain", "missed", "false_ok")


@dataclass
class Outcome:
    """What parsing one tool's text of one document gave, against the figures drawn in it."""

    figure: str
    style: str
    tool: str
    expected: int = 0
    right: int = 0
    wrong: int = 0
    uncertain: int = 0
    missed: int = 0
    false_ok: int = 0
    error: str | None = None
    mistakes: list[dict] = field(default_factory=list)
    output: str | None = None  # where the tool's text is kept


def _num(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def score(fig: Figure, style: str, tool: str, text: str | None, error: str | None = None) -> Outcome:
    """Parse a tool's text and sort every drawn cell: right (read or inferred, the value drawn, or blank
    where blank was drawn), wrong (read or inferred with another value, or a number where the cell was
    drawn blank), uncertain, missed (absent, or reported blank where a number was drawn). A cell read or
    inferred that was not drawn at all counts as wrong too (status "invented"), so right + wrong +
    uncertain + missed exceeds the cells expected by the invented ones."""
    import gxtables

    out = Outcome(fig.name, style, tool, expected=len(fig.values), error=error)
    if text is None:
        out.missed = len(fig.values)
        return out
    rep = gxtables.parse(text)
    got: dict[str, tuple[str, float | None]] = {}
    where: dict[str, tuple[object, object]] = {}
    frame = rep.cells
    if frame is not None and len(frame):
        for cid, status, value, line, source in zip(frame["id"], frame["status"], frame["value"], frame["line"], frame["text"]):
            got[cid] = (str(status), _num(value))
            where[cid] = (None if _num(line) is None else int(line), None if source is None or source != source else str(source))

    def mistake(cid: str, g: float | None, want: float | None, status: str) -> None:
        line, source = where.get(cid, (None, None))
        out.mistakes.append({"figure": fig.name, "style": style, "tool": tool, "id": cid, "got": g, "want": want,
                             "status": status, "line": line, "text": source})

    for cid, want in fig.values.items():
        status, g = got.get(cid, ("absent", None))
        if status == "uncertain":
            out.uncertain += 1
        elif status in ("read", "inferred") and g is not None:
            if want is not None and abs(g - want) < 1e-9:
                out.right += 1
            else:
                out.wrong += 1
                mistake(cid, g, want, status)
        elif want is None and status in ("blank", "read", "inferred"):
            out.right += 1
        else:
            out.missed += 1
    for cid, (status, g) in got.items():
        if cid not in fig.values and status in ("read", "inferred") and g is not None:
            out.wrong += 1
            mistake(cid, g, None, "invented")
    out.false_ok = int(bool(out.wrong) and bool(rep.ok))
    return out


def table(outcomes: list[Outcome], tools: list[str], notes: dict[str, str]) -> str:
    """One line per tool: files, cells expected, right, wrong, uncertain, missed, false_ok."""
    head = ("tool", "files", "cells expected", "right", "wrong", "uncertain", "missed", "false_ok")
    lines = []
    total = dict.fromkeys(COLUMNS, 0)
    for tool in tools:
        mine = [o for o in outcomes if o.tool == tool]
        if tool in notes and not mine:
            lines.append((tool, f"skipped: {notes[tool]}"))
            continue
        row = {"files": len(mine), **{k: sum(getattr(o, k) for o in mine) for k in COLUMNS[1:]}}
        for k in COLUMNS:
            total[k] += row[k]
        failed = sum(o.error is not None for o in mine)
        lines.append((tool, *(str(row[k]) for k in COLUMNS), f"({failed} failed)" if failed else ""))
    lines.append(("all", *(str(total[k]) for k in COLUMNS), ""))
    widths = [max(len(head[0]), *(len(line[0]) for line in lines))] + [len(h) for h in head[1:]]
    out = [" | ".join(h.ljust(w) for h, w in zip(head, widths)), "-|-".join("-" * w for w in widths)]
    for line in lines:
        if len(line) == 2:
            out.append(f"{line[0].ljust(widths[0])} | {line[1]}")
        else:
            cells = [line[0].ljust(widths[0]), *(v.rjust(w) for v, w in zip(line[1:8], widths[1:]))]
            out.append(" | ".join(cells) + (f"  {line[8]}" if line[8] else ""))
    return "\n".join(out)


def report(outcomes: list[Outcome], tools: list[str], notes: dict[str, str], verbose: bool, json_out: str | None) -> None:
    """Print the table (and with ``verbose`` every wrong cell and every failed run); write JSON if asked."""
    outcomes = sorted(outcomes, key=lambda o: (o.tool, o.figure, o.style))
    if verbose:
        for o in outcomes:
            if o.error:
                print(f"FAILED {o.figure} {o.style} {o.tool}: {o.error}")
        for o in outcomes:
            for m in o.mistakes:
                print(f"WRONG {m['figure']} {m['style']} {m['tool']} {m['id']} got={m['got']!r} want={m['want']!r} "
                      f"status={m['status']} text={m['text']!r}  [{o.output}:{m['line']}]")
        print()
    print(table(outcomes, tools, notes))
    if json_out:
        data = {"tools": {t: {k: sum(getattr(o, k) for o in outcomes if o.tool == t) for k in COLUMNS[1:]}
                          | {"files": sum(o.tool == t for o in outcomes)} for t in tools if t not in notes},
                "skipped": notes,
                "runs": [{k: getattr(o, k) for k in ("figure", "style", "tool", "expected", "right", "wrong", "uncertain",
                                                    "missed", "false_ok", "error", "output", "mistakes")}
                         for o in outcomes]}
        Path(json_out).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def pick(names: list[str], wanted: str | None, what: str) -> list[str]:
    """The names chosen with a comma-separated option (all when not given); an unknown name is an error."""
    if not wanted:
        return names
    chosen = [w.strip() for w in wanted.split(",") if w.strip()]
    unknown = [w for w in chosen if w not in names]
    if unknown:
        sys.exit(f"unknown {what}: {', '.join(unknown)} (known: {', '.join(names)})")
    return chosen
