"""Stage 3 for documents — a table region printed as grid rows → tokens read straight from the cells.

A document knows every cell, so nothing of a row has to be guessed from how text was flattened: each
cell is read on its own by the text path's cell reader; an empty cell is a blank cell (never padding);
the covered positions of a merged cell (a label spanning rows or columns, a value spanning columns) are
what they are, the same cell again, and give no token; each row ends with a row end. The region's lines
that are not grid rows (a caption printed as a paragraph) are read as any line of text is.

Which positions hold labels and which hold values is read from the grid itself: in the rows that print
numbers, the values start after the row's last label cell; the place where most rows start them is the
grid's value start. Left of it, an empty cell is just an empty label cell; right of it, every position
is a cell of the table.
"""
from __future__ import annotations

from collections import Counter

import regex

from ..normalize import NormalizedText
from ..tokenize import BLANK, EMPTY, ROWEND, TEXT, VALUE, Token, _attach_label_digits, _cell_tokens, _cut_at_prose, _line_tokens
from ..tokenize import region_to_tokens as text_region_to_tokens
from .render import GridRow, Rendered

__all__ = ["grid_region_to_tokens"]

COVERED, EMPTY_CELL, VALUE_CELL, TEXT_CELL = "covered", "empty", "value", "text"
RE_WORDS = regex.compile(r"\p{Han}")  # a header's words: what a cell of numbers never holds


def _read(nt: NormalizedText, row: GridRow, line: int) -> list[tuple[str, list[Token], int, int]]:
    """(kind, tokens, normalized start, colspan) of every position of a row."""
    out = []
    for cell, (raw_start, raw_end) in zip(row.cells, row.spans):
        start = nt.normalized_offset(raw_start)
        if cell.covered:
            out.append((COVERED, [], start, cell.colspan))
            continue
        end = nt.normalized_offset(raw_end) if raw_end > raw_start else start
        tokens = _cell_tokens(nt.text[start:end], start, line) if end > start else []
        if not tokens:
            kind = EMPTY_CELL
        elif tokens[0].kind in (VALUE, BLANK):
            kind = VALUE_CELL
        else:
            kind, tokens = TEXT_CELL, _label(tokens)
        out.append((kind, tokens, start, cell.colspan))
    return out


def _label(tokens: list[Token]) -> list[Token]:
    """A text cell's tokens with the digits printed against its words kept in them ("表3", "数据1"): in a
    cell of its own, a number glued to a label is part of it."""
    out: list[Token] = []
    for tok in tokens:
        if tok.kind == VALUE and tok.after_text and out and out[-1].kind == TEXT and out[-1].end == tok.start:
            prev = out.pop()
            out.append(Token(TEXT, prev.text + tok.text, prev.start, tok.end, line=prev.line))
        else:
            out.append(tok)
    return out


def _value_start(rows: list[list[tuple[str, list[Token], int, int]]]) -> int:
    """Where the value cells begin: after the last label cell before a row's first value, as most rows
    that print a label and a number say (the later place on a tie)."""
    votes: Counter = Counter()
    for cells in rows:
        first = next((i for i, (kind, _, _, _) in enumerate(cells) if kind == VALUE_CELL), None)
        if first is None:
            continue
        label = next((i for i in range(first - 1, -1, -1) if cells[i][0] == TEXT_CELL), None)
        if label is not None:
            votes[min(label + cells[label][3], first)] += 1
    if not votes:
        return 0
    top = max(votes.values())
    return max(at for at, n in votes.items() if n == top)


def _dead_columns(row: GridRow, value_start: int) -> set[int]:
    """Positions of a grid where nothing is printed in any row, its header included: not a column of the
    table. A grid without a header (a table printed one row per table) cannot tell: none."""
    grid = row.grid
    if not any(RE_WORDS.search(r[c].text) for r in grid.rows for c in range(value_start, grid.width)):
        return set()
    return {c for c in range(grid.width) if not any(r[c].text.strip() for r in grid.rows)}


def _gaps(rows: list[tuple[GridRow, list]], value_start: int) -> list[set[int]]:
    """For each row, the positions right of the value start that no header names: a gap between the
    columns (a PDF's stray column edge), whose empty cells are no cells of the table.

    Header rows (words and no numbers right of the value start) that follow one another make a header;
    the rows after it, up to the next header, are its block. A position is named when a header row
    prints words there (a banner spanning the whole width names nothing). Only a header that names
    every position where its block prints a number is trusted to tell the gaps."""
    out: list[set[int]] = []
    block: list[int] = []  # rows of the current block
    named: set[int] = set()
    in_header = False

    def close() -> None:
        valued = {c for i in block for c, (kind, *_) in enumerate(rows[i][1]) if c >= value_start and kind == VALUE_CELL}
        gaps = set(range(value_start, rows[0][0].grid.width)) - named if named and valued <= named else set()
        for i in block:
            out[i] = gaps

    for i, (row, cells) in enumerate(rows):
        out.append(set())
        values = [kind for kind, *_ in cells[value_start:]]
        words = {c for c, cell in enumerate(row.cells) if c >= value_start and cell.text.strip()
                 and cell.colspan < row.grid.width and cells[c][0] in (TEXT_CELL, COVERED)}
        header = VALUE_CELL not in values and bool(words)
        if header and not in_header:
            close()
            block, named = [], set()
        in_header = header
        if header:
            named |= words
        block.append(i)
    close()
    return out


def _row_tokens(cells: list[tuple[str, list[Token], int, int]], value_start: int, dead: set[int], line: int,
                gaps: set[int] = frozenset(), width: int | None = None) -> list[Token]:
    label_cells = [tokens for kind, tokens, _, _ in cells[:value_start] if kind in (TEXT_CELL, VALUE_CELL)]
    values = [(c, kind) for c, (kind, _, _, _) in enumerate(cells) if c >= value_start and c not in dead
              and not (kind == EMPTY_CELL and c in gaps)]
    data_row = any(kind == VALUE_CELL for _, kind in values)
    if data_row and label_cells and width:
        # more cells than the table's widest row: the empty cells right after the label are the label's own
        # (a label printed over several unmerged cells), not blank values
        printed = [c for c, kind in values if kind != COVERED]
        while len(printed) > width and cells[printed[0]][0] == EMPTY_CELL:
            values = [(c, kind) for c, kind in values if c != printed[0]]
            printed.pop(0)
    out: list[Token] = [t for tokens in label_cells for t in tokens]
    in_values = 0
    for c, kind in values:
        _, tokens, start, _ = cells[c]
        if kind == COVERED:
            continue
        if kind == EMPTY_CELL:
            out.append(Token(EMPTY, "", start, start, line=line))
        elif kind == VALUE_CELL:
            out.extend(t for t in tokens if t.kind in (VALUE, BLANK))  # the words of a note are not a label
        elif data_row:  # words printed where a row prints its numbers: the cell holds no number
            text = " ".join(t.text for t in tokens)
            out.append(Token(BLANK, text, tokens[0].start, tokens[-1].end, line=line))
        else:
            out.extend(tokens)
            continue
        in_values += 1
    if in_values:
        end = out[-1].end
        out.append(Token(ROWEND, "", end, end, line=line))
    return out


def grid_region_to_tokens(rendered: Rendered, nt: NormalizedText, span: tuple[int, int],
                          width: int | None = None) -> list[Token]:
    """Tokens of one table region of a rendered document: grid rows read from their cells, other lines
    as text. A region with no grid row in it is read as text throughout. ``width``: the most cells a
    printed row of the table has (7 in table 三), when known."""
    start, end = span
    text = nt.text
    first_line = text.count("\n", 0, start)
    line_start = text.rfind("\n", 0, start) + 1
    items: list[tuple[int, int, int, GridRow | None]] = []  # (region line, offset, global line, grid row)
    pos, line_no, global_line = line_start, 0, first_line
    while pos < end:
        nl = text.find("\n", pos)
        line_end = len(text) if nl < 0 else nl
        items.append((line_no, pos, global_line, rendered.rows.get(global_line)))
        pos, line_no, global_line = line_end + 1, line_no + 1, global_line + 1
    if not any(row is not None for *_, row in items):
        return text_region_to_tokens(nt, span)
    read: dict[int, list] = {}
    by_grid: dict[int, list[int]] = {}
    for line_no, _, _, row in items:
        if row is not None:
            read[line_no] = _read(nt, row, line_no)
            by_grid.setdefault(row.grid_index, []).append(line_no)
    # grids of one width in one region are one table cut in parts (a page break, a table per row): their
    # rows vote together on where the values start
    widths = {row.grid_index: row.grid.width for *_, row in items if row is not None}
    by_width: dict[int, list[int]] = {}
    for g, lines in by_grid.items():
        by_width.setdefault(widths[g], []).extend(lines)
    starts = {w: _value_start([read[i] for i in lines]) for w, lines in by_width.items()}
    value_start = {g: starts[widths[g]] for g in by_grid}
    dead = {row.grid_index: _dead_columns(row, value_start[row.grid_index]) for *_, row in items if row is not None}
    gaps: dict[int, set[int]] = {}
    grid_rows = {line_no: row for line_no, _, _, row in items if row is not None}
    for g, lines in by_grid.items():
        gaps.update(zip(lines, _gaps([(grid_rows[i], read[i]) for i in lines], value_start[g])))
    tokens: list[Token] = []
    for line_no, offset, _, row in items:
        if row is not None:
            tokens.extend(_row_tokens(read[line_no], value_start[row.grid_index], dead[row.grid_index], line_no,
                                      gaps[line_no], width))
        else:
            line_end = text.find("\n", offset)
            line = text[offset: len(text) if line_end < 0 else line_end][: max(0, end - offset)]
            if line.strip() and offset >= start:
                _line_tokens(line, offset, line_no, tokens)
            elif line.strip():  # the region starts inside this line: only its part inside the region
                _line_tokens(text[start: offset + len(line)], start, line_no, tokens)
    return _cut_at_prose(_attach_label_digits(tokens))
