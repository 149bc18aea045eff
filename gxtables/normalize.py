"""Stage 1 — normalize: raw web text → one canonical script and width, with a map back to the raw text.

Every later stage works on the normalized text only; positions it reports are translated back to the
raw text through :class:`NormalizedText`, so a user can find every number where it was printed.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import pairwise

import regex

__all__ = ["NormalizedText", "body_key", "label_key", "raw_to_normalized"]

# Characters that carry nothing: zero-width spaces and joiners, BOM, soft hyphen.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Spaces of other widths (no-break, ideographic, en/em, thin...) become a plain space.
_ODD_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"


def _width_table() -> dict[int, str]:
    """Translation table for the one-to-one replacements (same length, so offsets survive)."""
    table = {ord(c): " " for c in _ODD_SPACES}
    table.update({code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)})  # full-width ASCII
    table.update({ord("\u2212"): "-", ord("\u2010"): "-", ord("\u2011"): "-", ord("\r"): "\n",
                  ord("\u3001"): "、", ord("\u00b7"): "·", ord("\ufe63"): "-", ord("\u2044"): "/"})
    return table


# Every character of the Basic Multilingual Plane mapped to itself (its code), shared by the tables below.
_IDENTITY = list(range(0x10000))


def _as_list(table: dict[int, str]) -> list[int | str]:
    """A translation table as a list indexed by code point. ``str.translate`` looks every character
    up in its table; a dict raises (and drops) a KeyError for each character it does not map — every
    Han character — a list of the whole plane answers at once (three times faster on a report).
    Characters beyond the plane are left as they are, as with the dict."""
    out: list[int | str] = _IDENTITY.copy()
    for code, to in table.items():
        out[code] = to
    return out


_WIDTH = _as_list(_width_table())

# Spans dropped from the text: a CR before LF, invisible characters, pinyin inserted after a Han
# character by annotating mirrors ("報(bào)告"), and PDF page numbers on a line of their own ("- 3 -").
# Every alternative is a bounded run, so the scan is linear.
RE_DROP = regex.compile(
    r"\r(?=\n)"
    r"|[" + _INVISIBLE + r"]"
    r"|(?<=\p{Han})\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ]{1,7}\)"
    r"|(?<=^|\n)[ \t]*- \d{1,3} -(?=[ \t]*(?:\n|$))"
)


@dataclass(frozen=True)
class NormalizedText:
    """Normalized text plus what is needed to map any of its offsets back to the raw text."""

    text: str
    raw: str
    # Kept raw slices: the i-th slice starts at normalized offset _norm_starts[i], raw offset _raw_starts[i].
    _norm_starts: tuple[int, ...] = field(repr=False)
    _raw_starts: tuple[int, ...] = field(repr=False)

    def raw_offset(self, pos: int) -> int:
        """Offset in the raw text of the character at normalized offset ``pos``."""
        i = bisect.bisect_right(self._norm_starts, pos) - 1
        if i < 0:
            return pos
        return self._raw_starts[i] + (pos - self._norm_starts[i])

    def normalized_offset(self, raw_pos: int) -> int:
        """Offset in the normalized text of raw offset ``raw_pos`` (a dropped character maps to where
        the text goes on after it)."""
        i = bisect.bisect_right(self._raw_starts, raw_pos) - 1
        if i < 0:
            return 0
        end = self._norm_starts[i + 1] if i + 1 < len(self._norm_starts) else len(self.text)
        return min(self._norm_starts[i] + (raw_pos - self._raw_starts[i]), end)

    @cached_property
    def _raw_newlines(self) -> list[int]:
        return [m.start() for m in RE_NEWLINE.finditer(self.raw)]

    def raw_line(self, pos: int) -> int:
        """1-based line number in the raw text of normalized offset ``pos``."""
        return bisect.bisect_left(self._raw_newlines, self.raw_offset(pos)) + 1

    def raw_span(self, start: int, end: int) -> tuple[int, int, int]:
        """Raw line, raw start and raw end of the normalized span ``[start, end)`` (an empty span ends where
        it starts), each offset looked up once: a table region can leave thousands of numbers to place."""
        first = self.raw_offset(start)
        last = self.raw_offset(end - 1) + 1 if end > start else first
        return bisect.bisect_left(self._raw_newlines, first) + 1, first, last

    def raw_spans(self, spans: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
        """:meth:`raw_span` of many spans at once: spans in text order (a table's numbers) are mapped by
        one walk over the kept slices and the raw line ends instead of a search each."""
        if any(b[0] < a[0] for a, b in pairwise(spans)):
            return [self.raw_span(s, e) for s, e in spans]
        norm, raws, newlines = self._norm_starts, self._raw_starts, self._raw_newlines
        out = []
        i = line = 0
        for start, end in spans:
            while i + 1 < len(norm) and norm[i + 1] <= start:
                i += 1
            first = raws[i] + start - norm[i] if start >= norm[0] else start
            last_pos = end - 1 if end > start else start
            last = (raws[i] + last_pos - norm[i] if i + 1 >= len(norm) or last_pos < norm[i + 1] else self.raw_offset(last_pos))
            last = last + 1 if end > start else first
            while line < len(newlines) and newlines[line] < first:
                line += 1
            out.append((line + 1, first, last))
        return out

    def raw_slice(self, start: int, end: int) -> str:
        """The raw text behind the normalized span ``[start, end)``."""
        if end <= start:
            return ""
        return self.raw[self.raw_offset(start): self.raw_offset(end - 1) + 1]


@lru_cache(maxsize=2)
def _converter(taiwan: bool = False):
    """OpenCC's Traditional→Simplified converter (phrase-aware, maintained dictionaries); with
    ``taiwan``, the one that also turns Taiwan's vocabulary back (資訊 → 信息, 檔案 → 文件)."""
    import opencc

    return opencc.OpenCC("tw2sp" if taiwan else "t2s")


# Taiwan's word for 信息 in the report's own name: a text converted with Taiwan phrases (s2twp), whose
# labels read 規範性檔案 for 规范性文件 and 資訊 for 信息
RE_TAIWAN_VOCABULARY = regex.compile(r"資訊公開|资讯公开|政府資訊")


RE_HAN = regex.compile(r"\p{Han}")  # any CJK ideograph
# A lone surrogate: a code point no encoder accepts (OpenCC, Arrow and files encode strictly); a str
# can hold one when it was decoded with "surrogateescape" or built from UTF-16 halves.
RE_SURROGATE = regex.compile("[\ud800-\udfff]")
RE_NEWLINE = regex.compile(r"\n")  # line ends, for raw line numbers


def _to_simplified(text: str) -> str:
    """Traditional → Simplified keeping the length, so offsets stay one-to-one.

    OpenCC converts phrase by phrase; where a phrase changes length (rare), that line is converted
    character by character instead.
    """
    if not RE_HAN.search(text):
        return text
    conv = _converter(bool(RE_TAIWAN_VOCABULARY.search(text)))
    whole = conv.convert(text)
    if len(whole) == len(text):
        return whole
    lines = []
    for line in text.split("\n"):
        out = conv.convert(line)
        if len(out) != len(line):
            out = "".join(c if len(d := conv.convert(c)) != 1 else d for c in line)
        lines.append(out)
    return "\n".join(lines)


def raw_to_normalized(raw: str) -> NormalizedText:
    """Normalize web text: widths, spaces, script, pinyin annotations, page numbers.

    The result keeps a map to ``raw`` so that positions of numbers can be reported as printed. Lone
    surrogates become U+FFFD in both texts, one for one: offsets still point into the caller's text,
    and every slice of it can be encoded (in a frame, a file, OpenCC).
    """
    if RE_SURROGATE.search(raw):
        raw = RE_SURROGATE.sub("\ufffd", raw)
    translated = raw.translate(_WIDTH)
    pieces: list[str] = []
    norm_starts: list[int] = []
    raw_starts: list[int] = []
    kept_from = 0
    norm_len = 0
    for m in RE_DROP.finditer(translated):
        if m.start() > kept_from:
            norm_starts.append(norm_len)
            raw_starts.append(kept_from)
            pieces.append(translated[kept_from:m.start()])
            norm_len += m.start() - kept_from
        kept_from = m.end()
    if kept_from < len(translated) or not pieces:
        norm_starts.append(norm_len)
        raw_starts.append(kept_from)
        pieces.append(translated[kept_from:])
    text = _to_simplified("".join(pieces))
    return NormalizedText(text, raw, tuple(norm_starts), tuple(raw_starts))


# Characters ignored when comparing labels: spaces, quotes, brackets' width, stray marks.
RE_KEY_DROP = regex.compile(r"[\s\"'“”‘’「」『』《》〈〉*#`_~]+")
_BRACKETS = {"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")", "：": ":", "，": ",",
             "；": ";", "．": "."}
# The width table, then brackets and punctuation in one form: one pass over a label.
_KEY_TABLE = _as_list({**{ord(c): to for c, to in _BRACKETS.items()},
                       **{code: _BRACKETS.get(to, to) for code, to in _width_table().items()}})


@lru_cache(maxsize=4096)
def label_key(label: str) -> str:
    """The form in which labels are compared: half-width, Simplified, no spaces or quotes."""
    return RE_KEY_DROP.sub("", label.translate(_KEY_TABLE))


# Whitespace and punctuation that do not tell bodies apart ("沭阳县 人民政府", "下管镇（上虞区）").
RE_BODY_KEY_DROP = regex.compile(r"[\s\p{P}\p{S}]+")
# "政府" closing a name: "某县人民政府" and "某县政府" and "某县" are the same body.
RE_GOV_TAIL = regex.compile(r"政府$")


@lru_cache(maxsize=65536)
def body_key(name: str | None) -> str | None:
    """The form in which body names are compared across years: Simplified, half-width, without spaces
    or punctuation, "人民政府" read as "政府" and a closing "政府" dropped."""
    if not name:
        return None
    key = RE_BODY_KEY_DROP.sub("", raw_to_normalized(name).text).replace("人民政府", "政府")
    key = RE_GOV_TAIL.sub("", key)
    return key or None
