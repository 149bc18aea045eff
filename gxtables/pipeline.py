"""The algorithm, top to bottom: normalize → locate → tokenize → align (and solve) → check → narrative → report.

``parse`` is the whole of it; ``debug`` runs the same stages and keeps what each one produced, so
that a user can see where a number went astray in one report.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .align import TableReading, tokens_to_reading
from .check import PASS, cells_to_checks, figures_to_checks, inexact_to_leftovers
from .documents.grid import grid_region_to_tokens
from .documents.html import html_to_document
from .documents.model import Document
from .documents.render import Rendered, document_to_rendered
from .documents.sniff import looks_like_html
from .io import ReadError
from .locate import Layout, normalized_to_layout
from .narrative import PlacedFigure, place_figures, prose_to_figures
from .normalize import NormalizedText, raw_to_normalized
from .rates import Priors
from .records import PlacedCell, PlacedLeftover
from .report import Report
from .solve import solve_runs
from .template import edition_named, editions
from .tokenize import Token, region_to_tokens

__all__ = ["MAX_CHARS", "Stages", "debug", "parse", "parse_document"]

# Far longer than any report (the longest real ones, page chrome included, are under 1 MB): a longer
# text is refused with a reason, so that one runaway page cannot stall a run over a whole corpus.
MAX_CHARS = 20_000_000


@dataclass
class Stages:
    """What each stage produced for one report (see :func:`debug`)."""

    normalized: NormalizedText | None = None
    rendered: Rendered | None = None  # a document's text as rendered for the stages, with its grids
    layout: Layout | None = None
    tokens: dict[str, list[Token]] = field(default_factory=dict)
    readings: dict[str, TableReading] = field(default_factory=dict)
    figures: list[PlacedFigure] = field(default_factory=list)
    report: Report | None = None

    def __str__(self) -> str:
        lines = []
        if self.rendered is not None:
            doc = self.rendered.document
            lines.append(f"[document] {doc.kind}: {len(doc.blocks) - len(doc.grids)} paragraphs, {len(doc.grids)} tables"
                         + "".join(f"; {p}" for p in doc.problems))
        if self.layout:
            lay = self.layout
            lines.append(f"[locate] is_report={lay.is_report} edition={lay.edition} ({lay.edition_source}) "
                         f"year={lay.year} ({lay.year_source}) body={lay.body!r} structure={lay.structure}")
            lines.append("[locate] sections: " + ", ".join(f"{s.key}@{s.start}" for s in lay.sections))
            lines.append(f"[locate] regions: {lay.regions} markers: {lay.marker_hits}")
            lines.append(f"[locate] published={lay.published} level={lay.level} kind={lay.kind}")
        for table_id, tokens in self.tokens.items():
            lines.append(f"[tokenize] {table_id}: {len(tokens)} tokens")
            lines.append("    " + " ".join(repr(t) for t in tokens[:400]))
        for table_id, reading in self.readings.items():
            lines.append(f"[align] {table_id}: {len(reading.cells)} cells, {len(reading.runs)} runs to solve, "
                         f"{len(reading.leftovers)} leftovers")
            for c in reading.cells:
                extra = f" candidates={c.candidates}" if c.candidates else ""
                lines.append(f"    {c.row}.{c.column} = {c.value} [{c.status}] {c.reason or ''}{extra}")
            for lo in reading.leftovers:
                lines.append(f"    leftover {lo.text!r} @{lo.start}: {lo.reason}")
        lines.append(f"[narrative] {len(self.figures)} figures stated in the prose")
        for p in self.figures:
            f = p.figure
            value = "—" if f.value is None else f"{f.value:g}"
            detail = f" ({f.detail})" if f.detail else ""
            lines.append(f"    {f.quantity}{detail} = {value} {f.unit or ''} [{f.scope}{', approx' if f.approx else ''}] "
                         f"{f.text!r} line {p.line} @{p.char_start}")
        if self.report is not None:
            lines.append(f"[check] {self.report!r}")
            for c in self.report.check_records:
                if c.status != PASS:
                    lines.append(f"    {c.status}: {c.message}")
        return "\n".join(lines)


def _run(text: str, source: str | None, stages: Stages | None, priors: Priors,
         rendered: Rendered | None = None) -> Report:
    nt = raw_to_normalized(text)
    layout = normalized_to_layout(nt, editions())
    if stages is not None:
        stages.normalized, stages.layout = nt, layout
    edition = edition_named(layout.edition)
    readings: dict[str, TableReading] = {}
    if edition is not None:
        for table in edition.tables:
            span = layout.regions.get(table.id)
            if span is None:
                continue
            tokens = (region_to_tokens(nt, span) if rendered is None
                      else grid_region_to_tokens(rendered, nt, span, _printed_width(table)))
            reading = tokens_to_reading(tokens, table, cut_short=span[1] >= len(nt.text.rstrip()))
            inexact_to_leftovers(reading)  # no sum of the solver uses a number a float cannot hold
            solve_runs(reading, table, edition, priors)
            inexact_to_leftovers(reading, solved=True)
            readings[table.id] = reading
            if stages is not None:
                stages.tokens[table.id] = tokens
    cells = [c for r in readings.values() for c in r.cells]
    found = tuple(t for t, r in readings.items() if r.cells)
    reason = layout.reason
    printed = tuple(t for t, r in readings.items() if r.rows_labelled >= 2)  # labels printed, numbers or not
    cut_inside = any(end >= len(nt.text.rstrip()) for _, end in layout.regions.values())
    if layout.is_report and edition is not None and not found and cut_inside and not printed:
        reason = "the text stops inside the statutory tables, before any of their numbers (a page cut short)"
    elif layout.is_report and edition is not None and not found and printed:
        reason = ("the statutory tables' labels are printed but none of their numbers (left blank, or lost "
                  "when the page was converted)")
    elif layout.is_report and edition is not None and not found:
        reason = "the report's statutory tables are missing from the text (stripped or never printed)"
    elif layout.is_report and edition is None and layout.edition != "pre2019":
        reason = "the edition could not be told (no table labels and no reporting year)"
    elif layout.edition == "pre2019" and layout.year is not None and layout.year >= editions()[0].first_year:
        reason = (f"a {layout.year} report in the pre-2019 structure: it prints none of the statutory tables "
                  f"its year calls for")
    elif layout.edition == "pre2019":
        reason = "a pre-2019 report: the statutory tables did not exist yet"
    checks = (cells_to_checks(cells, edition, layout.year, set(found) | set(printed))
              if edition is not None and (found or printed) else [])
    # narrative: the figures stated in the prose, checked against the cells (or on their own)
    notes: list[str] = []
    figures = place_figures(nt, prose_to_figures(nt, layout.regions, layout.year, notes)) if layout.is_report else []
    if figures:  # a pre-2019 report has no edition: the first edition's prose rules apply
        checks += figures_to_checks(figures, edition or editions()[0], cells, set(found))
    report = Report(
        source=source,
        is_report=layout.is_report,
        edition=layout.edition if layout.is_report else None,
        year=layout.year,
        body=layout.body,
        title=layout.title,
        reason=reason,
        structure=layout.structure,
        tables_found=found,
        placed_cells=[_place(nt, c, rendered) for c in cells],
        placed_leftovers=_place_leftovers(nt, [lo for r in readings.values() for lo in r.leftovers]),
        check_records=checks,
        published=layout.published,
        level=layout.level,
        kind=layout.kind,
        placed_figures=figures,
        notes=notes,
    )
    if stages is not None:
        stages.readings, stages.report, stages.figures = readings, report, figures
    return report


def _printed_width(table) -> int:
    """The most cells one printed row of a table holds (table 四 prints its fifteen in one row)."""
    widths = [len(r.columns) for r in table.data_rows]
    return sum(widths) if table.single_row else max(widths)


def _place_leftovers(nt: NormalizedText, leftovers: list) -> list[PlacedLeftover]:
    spans = nt.raw_spans([(lo.start, lo.end) for lo in leftovers])
    return [PlacedLeftover(lo, *span) for lo, span in zip(leftovers, spans)]


def _place(nt: NormalizedText, cell, rendered: Rendered | None) -> PlacedCell:
    if cell.start is None:
        return PlacedCell(cell, None, None, None)
    line, start, end = nt.raw_span(cell.start, cell.end)
    return PlacedCell(cell, line, start, end, rendered.origin_at(start) if rendered is not None else None)


def parse(text: str, source: str | None = None, *, max_chars: int | None = None,
          priors: Priors | None = None) -> Report:
    """Read one report text into a :class:`Report`. Never raises for a ``str``.

    A text that is an HTML page is read as one (:func:`parse_document`). A text longer than
    ``max_chars`` (default :data:`MAX_CHARS`; 0 for no limit) is not read: the report says why. Time
    and memory grow linearly with the length of the text. ``priors``: how often real tables fill each
    cell, for placing numbers whose cells are not printed (default: :meth:`Priors.default`, read as the
    run starts; a ``GXTABLES_PRIORS`` naming a missing or wrong file raises).
    """
    if not isinstance(text, str):
        raise TypeError(f"gxtables.parse expects a str, not {type(text).__name__}; use gxtables.read for files")
    priors = Priors.default() if priors is None else priors
    limit = MAX_CHARS if max_chars is None else max_chars
    if limit and len(text) > limit:
        return _too_long(source, len(text), limit)
    if looks_like_html(text):
        try:
            doc = html_to_document(text, source)
        except ReadError as exc:
            return Report(source, False, None, None, None, reason=str(exc))
        return parse_document(doc, max_chars=max_chars, priors=priors)
    return _guarded(text, source, priors, None)


def parse_document(doc: Document, *, max_chars: int | None = None, priors: Priors | None = None) -> Report:
    """Read one document (an HTML page, a Word file or a PDF, as its reader made it) into a :class:`Report`.

    The document is rendered as text for the stages that find the title, year, sections and table
    regions; the table regions printed as grids are read from their cells. Never raises.
    """
    priors = Priors.default() if priors is None else priors
    rendered = document_to_rendered(doc)
    limit = MAX_CHARS if max_chars is None else max_chars
    if limit and len(rendered.text) > limit:
        return _too_long(doc.source, len(rendered.text), limit)
    if not rendered.text.strip():
        what = "; ".join(doc.problems) or "the document holds no text"
        return Report(doc.source, False, None, None, None, reason=what)
    report = _guarded(rendered.text, doc.source, priors, rendered)
    if doc.problems and not report.tables_found:
        report.reason = "; ".join([*([report.reason] if report.reason else []), *doc.problems])
    return report


def _too_long(source: str | None, length: int, limit: int) -> Report:
    return Report(source, False, None, None, None,
                  reason=f"the text is {length:,} characters long, more than the {limit:,}-character limit "
                         f"for one report (raise it with max_chars=)")


def _guarded(text: str, source: str | None, priors: Priors, rendered: Rendered | None) -> Report:
    try:
        return _run(text, source, None, priors, rendered)
    except Exception as exc:  # a last guard: one bad page must not stop a run over a corpus
        return Report(source, False, None, None, None,
                      reason=f"internal error while reading the text ({type(exc).__name__}: {exc})")


def debug(text: str | Document, priors: Priors | None = None) -> Stages:
    """Run every stage on one text or document and keep each stage's output; ``print()`` it to read it."""
    stages = Stages()
    priors = Priors.default() if priors is None else priors
    if isinstance(text, str) and looks_like_html(text):
        text = html_to_document(text)
    if isinstance(text, Document):
        stages.rendered = document_to_rendered(text)
        _run(stages.rendered.text, text.source, stages, priors, stages.rendered)
    else:
        _run(text, None, stages, priors)
    return stages
