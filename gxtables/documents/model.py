"""The document model: what every reader (HTML, Word, PDF) hands to the pipeline.

A document is a sequence of blocks in reading order: paragraphs of prose and tables as grids. A grid
is rectangular once merged cells are expanded, so that a cell's column index is its column in the
printed table; a blank cell stays a blank cell. Every piece keeps its :class:`Origin`, so that each
number gxtables reads can be traced back to the place it was printed.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Document", "Grid", "GridCell", "Origin", "Paragraph"]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a piece of a document was printed.

    HTML and Word give ``table`` (0-based, in document order), ``row`` and ``column`` (0-based, in the
    expanded grid); PDF gives ``page`` (1-based) and the box ``x0, top, x1, bottom`` in points from the
    page's top-left corner, and the table, row and column when the piece is a table cell.
    """

    table: int | None = None
    row: int | None = None
    column: int | None = None
    page: int | None = None
    x0: float | None = None
    top: float | None = None
    x1: float | None = None
    bottom: float | None = None


@dataclass(frozen=True, slots=True)
class GridCell:
    """One position of an expanded grid.

    A merged cell fills ``rowspan`` × ``colspan`` positions: the top-left one is its anchor
    (``covered=False``); the others repeat its text with ``covered=True``, so that a reader can tell
    a label merged over several rows from the same label printed again.
    """

    text: str
    origin: Origin
    rowspan: int = 1
    colspan: int = 1
    covered: bool = False


@dataclass(frozen=True, slots=True)
class Grid:
    """A table as printed: ``rows`` of equal length, merged cells expanded (see :class:`GridCell`)."""

    rows: tuple[tuple[GridCell, ...], ...]
    origin: Origin

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of prose (a title, a heading, a sentence, a caption above a table)."""

    text: str
    origin: Origin


Block = Paragraph | Grid


@dataclass(frozen=True, slots=True)
class Document:
    """A whole document in reading order.

    ``kind`` is ``"html"``, ``"docx"`` or ``"pdf"``; ``problems`` says in plain words what the reader
    could not use (a page without a text layer, a table it could not rebuild), so that a report read
    from it can say why cells are missing.
    """

    kind: str
    source: str | None
    blocks: tuple[Block, ...]
    problems: tuple[str, ...] = ()

    @property
    def grids(self) -> tuple[Grid, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Grid))
