"""Whitespace of documents: runs of blanks squeezed, lines broken inside a cell or a label joined back."""
from __future__ import annotations

from collections.abc import Iterable

import regex

__all__ = ["join_lines", "squeeze"]

# A run of whitespace, no-break and ideographic spaces included.
RE_BLANKS = regex.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
# A character of Chinese writing: ideographs and full-width punctuation, between which a line break adds nothing.
RE_CJK = regex.compile(r"[\p{Han}\u3000-\u303f\uff00-\uffef“”‘’]")


def _cjk(ch: str) -> bool:
    return bool(ch) and RE_CJK.match(ch) is not None


def squeeze(text: str) -> str:
    """Text with its blanks squeezed to one space; a run holding a line break between two Chinese
    characters (a page's source wrapped there) is dropped."""
    if not text:
        return ""
    out: list[str] = []
    pos = 0
    for m in RE_BLANKS.finditer(text):
        out.append(text[pos:m.start()])
        before, after = text[m.start() - 1: m.start()], text[m.end(): m.end() + 1]
        if before and after and not ("\n" in m.group() and _cjk(before) and _cjk(after)):
            out.append(" ")
        pos = m.end()
    out.append(text[pos:])
    return "".join(out).strip()


def join_lines(lines: Iterable[str]) -> str:
    """Lines of one cell as one line: nothing between Chinese characters ("一、本年新收" + "政府信息…"),
    a space between anything else ("705" + "3")."""
    out = ""
    for line in lines:
        if not line:
            continue
        if out and not (_cjk(out[-1]) and _cjk(line[0])):
            out += " "
        out += line
    return out
