"""A document as text: what the pipeline's text stages read, with a map from the text back to the document.

Prose paragraphs become lines; each row of a grid becomes one line ``| a | b | … |`` with every position
printed, a merged cell's covered positions left empty. The stages that find the title, the year, the
sections and the table regions read this text as they read any flattened page; the table regions that
lie in grid rows are then read from the grid cells themselves (:mod:`gxtables.documents.grid`), and
every offset of the text maps back to the paragraph or the cell it came from.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from .model import Document, Grid, GridCell, Origin

__all__ = ["GridRow", "Rendered", "document_to_rendered"]


@dataclass(frozen=True, slots=True)
class GridRow:
    """One grid row as a line of the rendered text: the grid, the row's index in it, and the raw span of
    each position's text on the line (an empty span where the position prints nothing)."""

    grid: Grid
    grid_index: int  # the grid's position among the document's grids
    row: int
    spans: tuple[tuple[int, int], ...]

    @property
    def cells(self) -> tuple[GridCell, ...]:
        return self.grid.rows[self.row]


@dataclass(frozen=True)
class Rendered:
    """The rendered text of a document, its grid rows by line number and each piece's origin by offset."""

    document: Document
    text: str
    rows: dict[int, GridRow]  # 0-based line number → the grid row printed on it
    _starts: tuple[int, ...]  # raw start of each piece (paragraph line or cell text), in text order
    _ends: tuple[int, ...]
    _origins: tuple[Origin, ...]

    def origin_at(self, pos: int | None) -> Origin | None:
        """Where the character at raw offset ``pos`` was printed in the document (None between pieces)."""
        if pos is None:
            return None
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0 or pos > self._ends[i] or (pos == self._ends[i] and self._starts[i] != self._ends[i]):
            return None
        return self._origins[i]


def _clean(text: str) -> str:
    """A cell's text fit for one line of the rendering: no line breaks, no pipes."""
    return " ".join(text.replace("|", "¦").split())


def document_to_rendered(doc: Document) -> Rendered:
    """Render a document's blocks, in order, one line per paragraph line and per grid row."""
    lines: list[str] = []
    rows: dict[int, GridRow] = {}
    starts: list[int] = []
    ends: list[int] = []
    origins: list[Origin] = []
    pos = 0
    grids = 0
    for block in doc.blocks:
        if isinstance(block, Grid):
            for r, row in enumerate(block.rows):
                parts = ["|"]
                at = pos + 1
                spans = []
                for cell in row:
                    text = "" if cell.covered else _clean(cell.text)
                    parts.append(" " + text + " |")
                    spans.append((at + 1, at + 1 + len(text)))
                    starts.append(at + 1)
                    ends.append(at + 1 + len(text))
                    origins.append(cell.origin)
                    at += len(text) + 3
                line = "".join(parts)
                rows[len(lines)] = GridRow(block, grids, r, tuple(spans))
                lines.append(line)
                pos += len(line) + 1
            grids += 1
        else:
            for piece in block.text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
                starts.append(pos)
                ends.append(pos + len(piece))
                origins.append(block.origin)
                lines.append(piece)
                pos += len(piece) + 1
    return Rendered(doc, "\n".join(lines), rows, tuple(starts), tuple(ends), tuple(origins))
