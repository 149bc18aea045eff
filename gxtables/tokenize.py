"""Stage 3 — tokenize: a table region → a stream of labels, values, blanks and empty cells.

Flattened tables arrive in many shapes (a row per line with pipes, a cell per line, pipes on lines of
their own, space-separated PDF text, cells run together). This stage reads all of them into one
stream of tokens in reading order; it decides what each piece of text *is* (a label, a number, a
blank marker, an empty cell) but not where it belongs, which is the next stage's job.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import regex

from .normalize import NormalizedText

__all__ = ["Token", "held_exactly", "parse_value", "region_to_tokens"]

TEXT, VALUE, BLANK, EMPTY, ROWEND = "text", "value", "blank", "empty", "rowend"

# Placeholders printed in a cell that has no number: "/", "—", "-", "无", "空".
RE_PLACEHOLDER = regex.compile(r"[/\\／]{1,2}|[-—–―－~]{1,4}|无|空|暂无|/无|—/—|无此项|不涉及|未涉及")
# A phrase saying there is none, printed where a number should be ("本单位未制作规章").
RE_NONE_PHRASE = regex.compile(r"(?:本(?:单位|机关|部门|局|镇|乡)|我(?:单位|局|镇|乡))?(?:未|没有|暂无|无)(?:制作|制定|发生|涉及|收到|此项|相关)\p{Han}{0,8}")
# A number as printed in a cell: sign or 增/减 word, digits (thousands commas), decimals, a unit (a bare
# "万" ending the cell, as in "2601.953875万" under 采购总金额, is 万元; "3万人" is prose).
RE_NUMBER = regex.compile(
    r"(?P<sign>增加|减少|增|减|[+-])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<unit>万元|万(?!\p{Han})|元|件|条|个|项|家|次|人次)?"
)
# Parenthesised notes inside labels: "(指2019年事项数)", "(单位:万元)", "(设区的市…)". Numbers inside are
# never values. Nesting is not followed (the first ")" closes), which keeps the scan linear.
# An opening bracket before a numeral and a blank ("(三   4.   2   0") is numbering broken at a <br>, not a note.
RE_NOTE = regex.compile(r"\((?!(?:[一二三四五六七八九十]|\d{1,2})\)|[一二三四五六七八九十]{1,3}(?:[ \t]|$))[^()\n]{1,400}\)?")
# A telephone number with its area code ("0571-87826580", "电话:025-57338135"), in a contact line.
RE_PHONE = regex.compile(r"(?<![\d.])0\d{2,3}[-—][ \t]?\d{7,8}(?![\d.])")
# Words after a number that make it a quantity in prose or a date, not a table value ("3名", "2019年").
QUANTITY_WORDS = frozenset("年月日号名人次个余多万亿%‰倍岁时分")
# Text right before a number that makes it part of a label ("第3", "如-8", "指2019").
RE_LABEL_BEFORE = regex.compile(r"[第如指约近][ \t]*[+-]?$")
LABEL_REACH = 40  # how far back RE_LABEL_BEFORE looks: a bounded window keeps a long cell linear
# A date word one or two spaces after a number: "2020 年," in a sentence printed inside a table region.
RE_DATE_AFTER = regex.compile(r" {1,2}[年月日号]")
# A cell holding zeros on both sides of a slash ("0/0" under 本年增/减): zero whichever way it is read.
RE_ZERO_PAIR = regex.compile(r"0(?:[ \t]{0,2}/[ \t]{0,2}0)+")
# Marks that carry nothing in a table: "?" and U+FFFD left where a converter lost a character (a
# no-break space read in the wrong encoding), printed alone between blanks.
RE_LOST_CHARACTER = regex.compile(r"[?？\ufffd]{1,3}")
RE_HAN_CHAR = regex.compile(r"\p{Han}")  # one CJK ideograph
RE_WORD = regex.compile(r"\S+")  # a run of text between blanks
RE_PROSE = regex.compile(r"[。；;！？]")  # sentence punctuation: a label is never a sentence
# A markdown table's rule line: "|---|:---:|". Possessive throughout: a long line of dashes and pipes
# that is not a rule fails at once instead of retrying every way to split it.
RE_MD_RULE = regex.compile(r"[ \t]*+\|?+(?:[ \t]*+:?+-{3,}+:?+[ \t]*+\|)++[ \t]*+(?::?+-{3,}+:?+[ \t]*+)?+")
# A rule line of any separator: runs of three or more dashes between blanks ("---\t---", "--- ---").
RE_DASH_RULE = regex.compile(r"[ \t]*+(?::?+-{3,}+:?+[ \t|]*+)++")


@dataclass(slots=True, unsafe_hash=True)  # never changed once made; frozen dataclasses cost 6× to create
class Token:
    """One piece of a table: a label, a number, a blank marker, an empty cell, or a row end."""

    kind: str
    text: str
    start: int  # offset in the normalized text
    end: int
    value: float | None = None
    unit: str | None = None
    glued: bool = False  # a number printed against text with no separator ("规章007")
    after_text: bool = False  # printed right after label text, with no separator before it
    loose: bool = False  # an empty cell that may be padding rather than a blank cell
    pad: bool = False  # an empty cell after the last filled cell of its line ("0 | ||"): most likely padding
    line: int = 0  # index of the line in the region
    col: int = -1  # display column where it starts, in a table laid out by spaces (-1: not known)
    char_cols: tuple[int, ...] = ()  # label text there: the display column of each of its characters

    def __repr__(self) -> str:  # compact, for the debug view
        extra = f"={self.value:g}" if self.kind == VALUE and self.value is not None else ""
        flag = "~" if self.glued else ("?" if self.loose else "")
        return f"{self.kind}{flag}({self.text!r}{extra}@{self.start})"


def parse_value(text: str) -> tuple[float | None, str | None]:
    """The number in a value cell's text and its unit (signed words become signs)."""
    m = RE_NUMBER.fullmatch(text.strip())
    if not m:
        return None, None
    number = float(m["num"].replace(",", ""))
    if not math.isfinite(number):  # hundreds of digits in a row: no cell holds that, it is not a value
        return None, None
    if m["sign"] in ("-", "减", "减少"):
        number = -number
    return number, m["unit"]


def held_exactly(text: str, value: float | None) -> bool:
    """Whether ``value`` (as :func:`parse_value` read ``text``) is the number printed, exactly: a float
    holds every integer up to 2**53 and decimals of up to 15 digits, so "12345678901234567" becomes
    …568. Its shortest round-trip spelling (``repr``) is compared with the digits printed."""
    if value is None or (abs(value) < 2 ** 53 and value == int(value) and "." not in text):
        return True  # a whole number below 2**53 printed without decimals: held exactly (nearly every cell)
    m = RE_NUMBER.fullmatch(text.strip())
    return m is None or Decimal(m["num"].replace(",", "")) == Decimal(repr(abs(value)))


def _note_spans(text: str) -> list[tuple[int, int]]:
    """Spans whose numbers are never values: parenthesised notes, telephone numbers."""
    return [(m.start(), m.end()) for rx in (RE_NOTE, RE_PHONE) for m in rx.finditer(text)]


def _in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _number_tokens(cell: str, offset: int, line: int) -> list[tuple[int, int, Token]]:
    """The values inside a cell's text, with the span each one takes in the cell."""
    notes = _note_spans(cell)
    found = []
    for m in RE_NUMBER.finditer(cell):
        start, end = m.start(), m.end()
        if _in_spans(start, notes) or RE_LABEL_BEFORE.search(cell, max(0, start - LABEL_REACH), start):
            continue
        prev, nxt = cell[start - 1: start], cell[end: end + 1]
        glued_left = bool(prev) and not prev.isspace()
        if nxt == ".":
            # numbering "1.属于…"; glued to values before it in run-together text ("00000002.其他…")
            if not (glued_left and len(m["num"]) >= 2 and m["num"].isdigit() and m["sign"] is None):
                continue
            end -= 1
        elif nxt and ((nxt in QUANTITY_WORDS and not m["unit"]) or nxt in ")]"):
            continue
        elif nxt == " " and not m["unit"] and RE_DATE_AFTER.match(cell, end):
            continue
        elif m["sign"] in ("增", "减", "增加", "减少") and glued_left:
            continue
        text = cell[start:end]
        value, unit = parse_value(text)
        if value is None:
            continue
        glued = glued_left or (bool(cell[end:end + 1]) and not cell[end:end + 1].isspace())
        found.append((start, end, Token(VALUE, text, offset + start, offset + end, value, unit, glued,
                                        after_text=glued_left and RE_HAN_CHAR.match(prev) is not None, line=line)))
    return found


def _cell_tokens(cell: str, offset: int, line: int) -> list[Token]:
    """Split one cell's text into labels, values and blank markers (read once per distinct text)."""
    return [Token(kind, text, offset + start, offset + end, value, unit, glued, after_text=after, line=line)
            for kind, text, start, end, value, unit, glued, after in _cell_reading(cell)]


@lru_cache(maxsize=1 << 16)
def _cell_reading(cell: str) -> tuple[tuple, ...]:
    """The tokens of a cell's text at offset 0, as plain tuples: cells repeat ("0", labels) within a
    report and across a corpus, and reading one costs a dozen regex calls."""
    return tuple((t.kind, t.text, t.start, t.end, t.value, t.unit, t.glued, t.after_text) for t in _read_cell(cell, 0, 0))


def _read_cell(cell: str, offset: int, line: int) -> list[Token]:
    """Split one cell's text into labels, values and blank markers."""
    stripped = cell.strip()
    if not stripped:
        return []
    lead = offset + cell.index(stripped[0])
    if RE_PLACEHOLDER.fullmatch(stripped) or RE_NONE_PHRASE.fullmatch(stripped):
        return [Token(BLANK, stripped, lead, lead + len(stripped), line=line)]
    if RE_ZERO_PAIR.fullmatch(stripped):
        return [Token(VALUE, stripped, lead, lead + len(stripped), 0.0, line=line)]
    tokens: list[Token] = []
    pos = 0
    for start, end, tok in _number_tokens(cell, offset, line):
        tokens.extend(_text_tokens(cell[pos:start], offset + pos, line))
        tokens.append(tok)
        pos = end
    tokens.extend(_text_tokens(cell[pos:], offset + pos, line))
    return tokens


def _text_tokens(piece: str, offset: int, line: int) -> list[Token]:
    """Label text, except that a lone placeholder between blanks ("4 4 - 5") is a blank cell."""
    out: list[Token] = []
    words = [(m.start(), m.group(0)) for m in RE_WORD.finditer(piece)]
    buf: list[tuple[int, str]] = []

    def flush() -> None:
        if buf:
            s, e = buf[0][0], buf[-1][0] + len(buf[-1][1])
            out.append(Token(TEXT, piece[s:e], offset + s, offset + e, line=line))
            buf.clear()

    for i, (at, word) in enumerate(words):
        if RE_LOST_CHARACTER.fullmatch(word):
            continue  # a lost character, not a label: it must not cut the row it stands in
        # "无" after label text is a placeholder only when it stands alone at the end ("行政许可 无")
        if RE_PLACEHOLDER.fullmatch(word) and (word != "无" or not buf or i == len(words) - 1):
            flush()
            out.append(Token(BLANK, word, offset + at, offset + at + len(word), line=line))
        else:
            buf.append((at, word))
    flush()
    return out


def region_to_tokens(nt: NormalizedText, span: tuple[int, int]) -> list[Token]:
    """Read a table region into tokens, whatever the flattening style.

    Pipes and line ends separate cells. Whitespace between two pipes on a line is an empty cell;
    a line holding a single pipe closes the cell of the line before it, or is an empty cell when
    there is none open; runs of pipes with nothing between them are colspan padding.
    """
    start, end = span
    text = nt.text
    if _is_grid(text, start, end):
        return _cut_at_prose(_attach_label_digits(_grid_tokens(nt, start, end)))
    tokens: list[Token] = []
    open_cell = False  # a cell whose closing pipe has not been seen yet
    line_no = 0
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        line = text[pos:line_end]
        stripped = line.strip()
        if stripped and not RE_MD_RULE.fullmatch(line) and not RE_DASH_RULE.fullmatch(line):
            if not stripped.strip("|").strip():
                pipes = stripped.count("|")
                at = pos + line.index("|")
                if pipes == 1 and not open_cell:
                    tokens.append(Token(EMPTY, "", at, at, loose=True, line=line_no))
                elif not open_cell and line[: line.index("|")].strip(" \t") == "" and line[0] in " \t":
                    # " | ||": an empty cell closed by its pipe, then the row's colspan padding
                    tokens.append(Token(EMPTY, "", at, at, loose=True, line=line_no))
                    tokens.append(Token(ROWEND, "", at, at, line=line_no))
                open_cell = False
            else:
                tabbed = "|" not in line and "\t" in line.lstrip()
                if tabbed:  # tab-separated cells: a tab is a cell boundary, two tabs enclose an empty cell
                    lead = len(line) - len(line.lstrip(" "))
                    line = line[:lead] + line[lead:].rstrip(" ").replace("\t", "|") + "|"
                open_cell = _line_tokens(line, pos, line_no, tokens, tabbed)
        line_no += 1
        pos = line_end + 1
    tokens = _cut_at_prose(_attach_label_digits(tokens))
    if "|" not in text[start:end] and RE_SPACE_GAP.search(text, start, end):
        tokens = _with_columns(nt, tokens)
    return tokens


# The vertical lines of a drawn table: w3m's box characters, or an ASCII grid's "|" (pandoc's plain text).
GRID_BARS = frozenset("│┃║|")
_RULE_CHARS = "─━═┄┈\\-=+├┤┬┴┼┌┐└┘╋╪╞╡╟╢╤╧╔╗╚╝╠╣╦╩╬"
# A rule line between the rows of a grid: "├──┼───┤", "│    ├─────┼", "+------+------+", "| | +====+".
RE_GRID_RULE = regex.compile(rf"[ \t│┃║|]*+[{_RULE_CHARS}]{{3,}}+[{_RULE_CHARS} \t│┃║|]*+")
# A junction of a grid's rules: what a markdown table's "|---|---|" rule never has.
RE_GRID_JUNCTION = regex.compile(r"[+├┤┬┴┼┌┐└┘╋╪╞╡╟╢╤╧╔╗╚╝╠╣╦╩╬]")
RE_DIGIT = regex.compile(r"\d")  # a digit: a cell piece that may hold a number keeps its own place


def _lines(text: str, start: int, end: int):
    """(line, offset, index) of every line of a region."""
    pos, index = start, 0
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        yield text[pos:line_end], pos, index
        pos, index = line_end + 1, index + 1


def _is_grid_rule(line: str) -> bool:
    return bool(RE_GRID_RULE.fullmatch(line)) and bool(RE_GRID_JUNCTION.search(line))


def _is_grid(text: str, start: int, end: int) -> bool:
    """A region drawn as a grid (w3m -dump of a bordered table, pandoc's plain grid tables): rows are cut
    by rule lines, and one row's cells run over several lines between the vertical bars."""
    region = text[start:end]
    if "┼" not in region and "+-" not in region and "+=" not in region:
        return False
    rules = content = 0
    for line, _, _ in _lines(text, start, end):
        if _is_grid_rule(line):
            rules += 1
        elif sum(c in GRID_BARS for c in line) >= 2:
            content += 1
    return rules >= 3 and content >= 3


_RULE_SET = frozenset(_RULE_CHARS.replace("\\", ""))
# A rule running through a line that also holds text: "│    │予公├────┼───┤" (a merged cell's words
# beside the rule under the next rows).
RE_RULE_RUN = regex.compile(rf"[{_RULE_CHARS}]{{3}}")


def _grid_pieces(nt: NormalizedText, line: str, offset: int, at_junctions: bool = False) -> list[tuple[int, int, str, int]]:
    """(first column, end column, text, offset) of each piece of a grid line between two bars (and, in a
    line a rule runs through, between its junctions); pieces of a rule ("────") are not kept. Columns
    are counted on the raw text, where full-width punctuation still takes two."""
    pieces: list[tuple[int, int, str, int]] = []
    col = piece_col = 0
    piece_at = None
    raw = nt.raw
    for i, ch in enumerate(line):
        if ch in GRID_BARS or (at_junctions and RE_GRID_JUNCTION.match(ch) is not None):
            chars = set(line[piece_at:i]) if piece_at is not None else set()
            if piece_at is not None and not (chars & _RULE_SET and chars <= _RULE_SET | {" ", "\t"}):
                pieces.append((piece_col, col, line[piece_at:i], offset + piece_at))
            piece_at, piece_col = i + 1, col + 1
        at = nt.raw_offset(offset + i)
        col += display_width(raw[at] if at < len(raw) else ch)
    return pieces


def _grid_block_tokens(block: list[tuple[list[tuple[int, int, str, int]], int]]) -> list[Token]:
    """The tokens of one row of a grid: each column's pieces, read down its lines, one cell each."""
    widest = max((pieces for pieces, _ in block), key=len)
    bounds = [(lo, hi) for lo, hi, _, _ in widest]
    columns: list[list[tuple[str, int, int]]] = [[] for _ in bounds]
    for row, line_no in block:
        for lo, hi, piece, at in row:
            if piece.strip():
                mid = (lo + hi) / 2
                k = min(range(len(bounds)), key=lambda j: 0 if bounds[j][0] <= mid < bounds[j][1]
                        else min(abs(bounds[j][0] - mid), abs(bounds[j][1] - mid)))
                columns[k].append((piece, at, line_no))
    filled = [k for k, col in enumerate(columns) if col]
    if not filled:
        return []
    out: list[Token] = []
    line_no = block[0][1]
    for k in range(filled[0], len(columns)):
        col = columns[k]
        if not col:  # a blank cell; after the last filled one, the row's padding
            at = widest[k][3]
            out.append(Token(EMPTY, "", at, at, pad=k > filled[-1], line=line_no))
        elif len(col) == 1 or any(RE_DIGIT.search(piece) for piece, _, _ in col):
            for piece, at, piece_line in col:
                out.extend(_cell_tokens(piece, at, piece_line))
        else:  # a label broken over the lines of its cell: "一、本年新收政" "府信息公开申请" "数量"
            first, last = col[0], col[-1]
            begin = first[1] + len(first[0]) - len(first[0].lstrip())
            out.append(Token(TEXT, "".join(p.strip() for p, _, _ in col), begin, last[1] + len(last[0].rstrip()),
                             line=first[2]))
    end = max(t.end for t in out)
    out.append(Token(ROWEND, "", end, end, line=block[-1][1]))
    return out


def _grid_tokens(nt: NormalizedText, start: int, end: int) -> list[Token]:
    """Tokens of a region drawn as a grid: the lines between two rules are one row; the words of a
    merged cell beside a rule go on with the next row; other lines are read as any line is."""
    tokens: list[Token] = []
    block: list[tuple[list[tuple[int, int, str, int]], int]] = []
    for line, offset, line_no in _lines(nt.text, start, end):
        bars = sum(c in GRID_BARS for c in line)
        if bars >= 2 and not _is_grid_rule(line) and not RE_RULE_RUN.search(line):
            block.append((_grid_pieces(nt, line, offset), line_no))
            continue
        if block:
            tokens.extend(_grid_block_tokens(block))
            block = []
        if bars >= 2 and not _is_grid_rule(line):  # a rule beside a merged cell's words
            if kept := _grid_pieces(nt, line, offset, at_junctions=True):
                block.append((kept, line_no))
        elif line.strip() and not _is_grid_rule(line):
            _line_tokens(line, offset, line_no, tokens)
    if block:
        tokens.extend(_grid_block_tokens(block))
    return tokens


# Three blanks between two printed things: a table laid out by spaces (w3m, lynx, inscriptis), where
# a cell's place on its line tells its column even when blank cells print nothing at all
RE_SPACE_GAP = regex.compile(r"\S {3}")


RE_WIDE = regex.compile(r"[\p{ea=W}\p{ea=F}]")  # a character a terminal draws two columns wide (CJK, full-width)


def display_width(text: str) -> int:
    """Columns a string takes on a terminal: wide (CJK, full-width) characters take two."""
    return len(text) + len(RE_WIDE.findall(text))


def _with_columns(nt: NormalizedText, tokens: list[Token]) -> list[Token]:
    """Tokens with their display column, measured on the raw text (where full-width brackets are
    still wide); each line is walked once."""
    raw = nt.raw
    out: list[Token] = []
    prev = col = 0
    for tok in tokens:
        at = nt.raw_offset(tok.start) if tok.start < len(nt.text) else len(raw)
        if raw.find("\n", prev, at) >= 0:  # a new line: count from its start (each character is scanned once)
            prev, col = raw.rfind("\n", prev, at) + 1, 0
        col += display_width(raw[prev:at])
        prev = at
        char_cols: tuple[int, ...] = ()
        if tok.kind == TEXT:
            cols, c, last = [], col, at
            for i in range(tok.end - tok.start):
                here = nt.raw_offset(tok.start + i)
                c += display_width(raw[last:here])
                last = here
                cols.append(c)
            char_cols = tuple(cols)
        out.append(Token(tok.kind, tok.text, tok.start, tok.end, tok.value, tok.unit, tok.glued, tok.after_text,
                         tok.loose, tok.pad, tok.line, col, char_cols))
    return out


def _attach_label_digits(tokens: list[Token]) -> list[Token]:
    """Digits printed right after label text are part of the label ("数据1") — unless the whole region
    runs cells together ("规章007规范性文件…"), which shows in most of its numbers being printed so."""
    values = [t for t in tokens if t.kind == VALUE]
    attached = [t for t in values if t.after_text]
    if not attached or len(attached) >= 0.3 * len(values):
        return tokens
    out: list[Token] = []
    for tok in tokens:
        if tok.kind == VALUE and tok.after_text and out and out[-1].kind == TEXT and out[-1].end == tok.start:
            prev = out.pop()
            out.append(Token(TEXT, prev.text + tok.text, prev.start, tok.end, line=prev.line))
        elif tok.kind == VALUE and tok.after_text:
            out.append(Token(TEXT, tok.text, tok.start, tok.end, line=tok.line))
        else:
            out.append(tok)
    return out


def _line_tokens(line: str, offset: int, line_no: int, tokens: list[Token], tabbed: bool = False) -> bool:
    """Append the tokens of one line holding text; return True when its last cell is left open."""
    layout, left_open = _line_reading(line, tabbed)
    tokens.extend(Token(kind, text, offset + start, offset + end, value, unit, glued, after, loose, pad, line_no)
                  for kind, text, start, end, value, unit, glued, after, loose, pad in layout)
    return left_open


@lru_cache(maxsize=1 << 14)
def _line_reading(line: str, tabbed: bool) -> tuple[tuple[tuple, ...], bool]:
    """The tokens of one line at offset 0, as plain tuples, and whether its last cell is left open:
    lines repeat ("0 |", "| 0 | 0 |") hundreds of times in a flattened table."""
    out: list[Token] = []
    left_open = _read_line(line, 0, 0, out, tabbed)
    return tuple((t.kind, t.text, t.start, t.end, t.value, t.unit, t.glued, t.after_text, t.loose, t.pad)
                 for t in out), left_open


def _read_line(line: str, offset: int, line_no: int, tokens: list[Token], tabbed: bool = False) -> bool:
    """Append the tokens of one line holding text; return True when its last cell is left open."""
    parts = line.split("|")
    cells: list[tuple[str, int, bool]] = []  # (text, offset, closed by a pipe)
    at = 0
    for i, part in enumerate(parts):
        closed = i < len(parts) - 1
        cells.append((part, offset + at, closed))
        at += len(part) + 1
    cells = _without_rule_runs(cells)
    if len(cells) > 2 and cells[-1][0] and not cells[-1][0].strip() and RE_BARE_PIPES.search(line) \
            and not RE_SPACED_PIPES.search(line):
        # html2text prints rows without outer pipes ("10| 1| | 5|   ", "| | 1| 1|   "): the blanks after the
        # last pipe are its last cell, and nothing before a first pipe its first cell, both left empty
        cells[-1] = (cells[-1][0], cells[-1][1], True)
        if not cells[0][0]:
            cells.insert(0, (" ", cells[0][1], True))
    # a leading pipe opens the first cell ("| 规章 | 0 |"): the empty text before it is not a cell
    # — but " | 0 |", one or two spaces before the first pipe, is a row whose first cell is empty
    if len(cells) > 1 and not cells[0][0].strip() and cells[0][0] not in (" ", "  ") and not tabbed:
        cells = cells[1:]
    last_filled = max((i for i, c in enumerate(cells) if c[0].strip()), default=-1)
    filled = sum(1 for c in cells if c[0].strip())
    emitted_values = 0
    # the line ends in a run of pipes ("0 | ||"): what follows its last filled cell is colspan padding
    colspan = any(not text and closed for text, _, closed in cells[last_filled + 1:]) if last_filled >= 0 else False
    row_tokens: list[Token] = []
    for i, (part, at_offset, closed) in enumerate(cells):
        if part.strip():
            toks = _cell_tokens(part, at_offset, line_no)
            emitted_values += sum(t.kind == VALUE for t in toks)
            row_tokens.extend(toks)
        elif (part or tabbed) and closed:
            # whitespace between two pipes: an empty cell; after the last filled cell it may be padding
            row_tokens.append(Token(EMPTY, "", at_offset, at_offset, loose=i > last_filled, line=line_no,
                                    pad=0 <= last_filled < i and colspan))
    tokens.extend(row_tokens)
    many = filled >= 2 or (filled == 1 and len([t for t in row_tokens if t.kind != EMPTY]) >= 2)
    padded = last_filled >= 0 and len(cells) - 1 - last_filled >= 2
    if (many and emitted_values) or (padded and emitted_values):
        end = offset + len(line.rstrip())
        tokens.append(Token(ROWEND, "", end, end, line=line_no))
    last_text, _, last_closed = cells[-1]
    return bool(last_text.strip()) and not last_closed


# Cells written against their pipe ("10| 1|"), as html2text prints a row, not spaced ("| 10 | 1 |").
RE_BARE_PIPES = regex.compile(r"[^\s|]\|")
RE_SPACED_PIPES = regex.compile(r"[^\s|][ \t]+\|")
# One cell of a markdown rule ("---", ":---:"), as a nested table flattened onto one line leaves them.
RE_RULE_CELL = regex.compile(r"[ \t]*:?-{3,}:?[ \t]*")
RULE_RUN = 3  # this many rule cells in a row are a rule; one alone may be a blank cell printed "---"


def _without_rule_runs(cells: list[tuple[str, int, bool]]) -> list[tuple[str, int, bool]]:
    """The cells of a line without the runs of rule cells that a nested markdown table leaves inside
    it ("| 行政复议 | | --- | --- | --- | … | 27 | 10 |")."""
    rule = [bool(RE_RULE_CELL.fullmatch(text)) for text, _, _ in cells]
    if sum(rule) < RULE_RUN:
        return cells
    keep = [True] * len(cells)
    i = 0
    while i < len(cells):
        j = i
        while j < len(cells) and rule[j]:
            j += 1
        if j - i >= RULE_RUN:
            keep[i:j] = [False] * (j - i)
        i = max(j, i + 1)
    return [c for c, k in zip(cells, keep) if k]


def _cut_at_prose(tokens: list[Token]) -> list[Token]:
    """End the region at the first sentence of prose after the table's numbers began."""
    seen_value = False
    for i, tok in enumerate(tokens):
        if tok.kind == VALUE:
            seen_value = True
        elif seen_value and tok.kind == TEXT and len(tok.text) >= 30 and RE_PROSE.search(RE_NOTE.sub("", tok.text)):
            return tokens[:i]
    return tokens
