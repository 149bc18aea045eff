"""The prose vocabulary: which words name which quantity, read from ``narrative.toml`` and validated.

Data, like the edition files (:mod:`gxtables.template`): the prose stage (:mod:`gxtables.narrative`)
reads with it, and the edition files' prose rules name its quantities. Each pattern is also measured
here once — how far a match can look and which words every match contains — so that the prose stage
scans only the text that can hold a match.
"""
from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

import regex

__all__ = [
    "FIGURE",
    "LazyPattern",
    "Quantity",
    "VocabularyError",
    "pattern_reach",
    "quantity_ids",
    "quantity_labels",
    "required_words",
    "vocabulary",
    "vocabulary_from_toml",
]

# One figure: a number (digits or Chinese numerals), an optional 万/亿, 余/多 for "more than", a unit.
# Not part of a larger number, not an ordinal (第三条), not a code or a date.
FIGURE = (r"(?<![\d.第/\-零〇一二两三四五六七八九十百千])"
          r"(?P<num>\d{1,3}(?:,\d{3}){1,3}(?![\d,])|\d{1,12}(?:\.\d{1,4})?(?![\d.])|[零〇一二两三四五六七八九十百千]{1,8})[ \t]{0,2}"
          r"(?P<mult>万|亿)?(?P<approx>余|多)?[ \t]{0,2}(?P<unit>万元|元|件|条|个|项|宗|起|篇|份|例|人次|次)")
MAX_REACH = 10_000  # a pattern that can look further than this is scanned over its whole span


class VocabularyError(ValueError):
    """The narrative vocabulary file does not describe valid quantities."""


class LazyPattern:
    """A vocabulary pattern compiled the first time it searches a text.

    The shipped vocabulary holds about a hundred patterns, most of them carrying the whole figure
    pattern; compiling them all costs a process more than reading a report. The prose stage skips a
    pattern whose required words a text lacks, so a pattern is compiled only once a text could hold
    a match (and, in a long run, once per process).
    """

    __slots__ = ("_compiled", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern  # the source, as regex.Pattern names it
        self._compiled: regex.Pattern | None = None

    def compiled(self) -> regex.Pattern:
        if self._compiled is None:
            self._compiled = regex.compile(self.pattern)
        return self._compiled

    def finditer(self, string: str, *args, **kwargs):
        return self.compiled().finditer(string, *args, **kwargs)

    def search(self, string: str, *args, **kwargs):
        return self.compiled().search(string, *args, **kwargs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LazyPattern) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"


Pattern = regex.Pattern | LazyPattern  # what a quantity searches with: compiled, or compiled when first used


@dataclass(frozen=True)
class Quantity:
    """A quantity named in prose, with the patterns that find it."""

    id: str
    label: str
    units: tuple[str, ...]
    patterns: tuple[Pattern, ...]
    zero: tuple[Pattern, ...] = ()
    topic: Pattern | None = None
    rival: Pattern | None = None
    exclude: Pattern | None = None
    statement: bool = False
    part_of: str | None = None  # the group this reason belongs to (unavailable_not_held → unavailable)


# ---------------------------------------------------------------------------- loading
def _require(cond: bool, source: str, message: str) -> None:
    if not cond:
        raise VocabularyError(f"{source}: {message}")


def _compile(pattern: str, fragments: dict[str, str], source: str, where: str, with_figure: bool, lazy: bool) -> Pattern:
    text = pattern
    for _ in range(len(fragments) + 1):  # fragments may use fragments; a cycle is left unresolved, and refused
        before = text
        for name, frag in fragments.items():
            text = text.replace("{" + name + "}", frag)
        if text == before:
            break
    if with_figure:
        _require(text.count("{N}") == 1, source, f"{where}: a pattern needs exactly one {{N}}: {pattern!r}")
        text = text.replace("{N}", f"(?P<fig>{FIGURE})")
    else:
        _require("{N}" not in text, source, f"{where}: a zero pattern has no {{N}}: {pattern!r}")
    _require(not regex.search(r"\{[a-zA-Z_]+\}", text), source, f"{where}: unknown fragment in {pattern!r}")
    # every repeat bounded: no bare * or + outside a character class or escape
    bare = regex.sub(r"\\.|\[(?:\\.|[^\]])*\]", "", text)
    _require(not regex.search(r"[*+]", bare), source, f"{where}: use bounded repeats ({{0,n}}), not * or +: {pattern!r}")
    if lazy:
        return LazyPattern(text)
    try:
        return regex.compile(text)
    except regex.error as exc:
        raise VocabularyError(f"{source}: {where}: {exc}: {pattern!r}") from exc


def vocabulary_from_toml(data: dict, source: str, *, lazy: bool = False) -> tuple[Quantity, ...]:
    """Build and validate the quantities of a vocabulary file's parsed contents. ``lazy``: every check
    but the regex engine's own is made now, and each pattern compiled when first used (the shipped
    file's patterns are all compiled by the tests)."""
    fragments = data.get("fragments", {})
    units = data.get("units", {})
    _require(isinstance(fragments, dict) and all(isinstance(v, str) for v in fragments.values()), source,
             "[fragments] maps names to regex strings")
    count_units = tuple(units.get("count", ()))
    _require(bool(count_units), source, "[units] needs a count list")
    out = []
    for spec in data.get("quantities", []):
        qid = spec.get("id", "")
        _require(bool(regex.fullmatch(r"[a-z][a-z0-9_]*", qid)), source, f"quantity id {qid!r} is not snake_case")
        _require(bool(spec.get("patterns")), source, f"{qid}: no patterns")
        unknown = set(spec) - {"id", "label", "units", "patterns", "zero", "topic", "rival", "exclude", "statement", "part_of"}
        _require(not unknown, source, f"{qid}: unknown keys {sorted(unknown)}")
        statement = bool(spec.get("statement", False))
        q_units = tuple(spec.get("units", count_units))
        known_units = {u for group in units.values() for u in group}
        for u in q_units:
            _require(u in known_units, source, f"{qid}: unit {u!r} not in [units]")
        out.append(Quantity(
            qid, spec.get("label", qid), q_units,
            tuple(_compile(p, fragments, source, qid, not statement, lazy) for p in spec["patterns"]),
            tuple(_compile(p, fragments, source, f"{qid} zero", False, lazy) for p in spec.get("zero", ())),
            *(_compile(spec[k], fragments, source, f"{qid} {k}", False, lazy) if spec.get(k) else None
              for k in ("topic", "rival", "exclude")),
            statement,
            spec.get("part_of"),
        ))
    ids = [q.id for q in out]
    _require(len(set(ids)) == len(ids), source, "duplicate quantity ids")
    groups = {q.id: q.part_of for q in out}
    for q in out:
        if q.part_of is not None:
            _require(q.part_of in groups and groups[q.part_of] is None, source,
                     f"{q.id}: part_of {q.part_of!r} is not a quantity of its own")
    return tuple(out)


@lru_cache(maxsize=1)
def vocabulary() -> tuple[Quantity, ...]:
    """The quantities shipped with gxtables (``gxtables/narrative.toml``), in precedence order."""
    path = resources.files("gxtables") / "narrative.toml"
    with path.open("rb") as fh:
        try:
            data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise VocabularyError(f"{path}: {exc}") from exc
    return vocabulary_from_toml(data, str(path), lazy=True)


def quantity_ids() -> frozenset[str]:
    return frozenset(q.id for q in vocabulary())


@lru_cache(maxsize=1)
def quantity_labels() -> Mapping[str, str]:
    """Quantity (or reason) → its label, as the checks' messages and the narrative frame name it."""
    return MappingProxyType({q.id: q.label for q in vocabulary()})


# ---------------------------------------------------------------------------- measuring a pattern
# A pattern is read into a small tree: ("lit", char), ("one",) for any one character (a class, ".",
# "\d", "\p{Han}"), ("zero",) for an anchor, ("group", alternatives, look) with each alternative a list
# of nodes, ("repeat", node, least, most or None). Anything else is refused, and a refused pattern is
# simply scanned whole: the measures only ever save work.

class _Unknown(Exception):
    """A construct the measures do not read (flags, back references, conditionals)."""


_ANCHOR_ESCAPES = set("bBAZ")
_CLASS_ESCAPES = set("dDsSwWhHvV")
_CHAR_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "a": "\a", "e": "\x1b"}
# a counted repeat: {m}, {m,}, {,n}, {m,n}
RE_COUNTED = regex.compile(r"\{(\d{0,5})(,?)(\d{0,5})\}")


class _Reader:
    def __init__(self, source: str) -> None:
        self.s = source
        self.i = 0

    def alternatives(self) -> list[list[tuple]]:
        alts = [self.sequence()]
        while self.i < len(self.s) and self.s[self.i] == "|":
            self.i += 1
            alts.append(self.sequence())
        return alts

    def sequence(self) -> list[tuple]:
        seq: list[tuple] = []
        while self.i < len(self.s) and self.s[self.i] not in "|)":
            seq.append(self.quantified(self.atom()))
        return seq

    def atom(self) -> tuple:
        s, c = self.s, self.s[self.i]
        self.i += 1
        if c == "(":
            look = False
            if s.startswith("?", self.i):
                if s.startswith(("?:", "?>"), self.i):
                    self.i += 2
                elif s.startswith(("?=", "?!"), self.i):
                    self.i, look = self.i + 2, True
                elif s.startswith(("?<=", "?<!"), self.i):
                    self.i, look = self.i + 3, True
                elif s.startswith(("?P<", "?<"), self.i):
                    end = s.find(">", self.i)
                    if end < 0:
                        raise _Unknown
                    self.i = end + 1
                else:
                    raise _Unknown  # flags, (?P=name), (?(…)…), comments
            alts = self.alternatives()
            if self.i >= len(s) or s[self.i] != ")":
                raise _Unknown
            self.i += 1
            return ("group", alts, look)
        if c == "[":
            self.skip_class()
            return ("one",)
        if c == "\\":
            return self.escape()
        if c == ".":
            return ("one",)
        if c in "^$":
            return ("zero",)
        if c in "*+?":
            raise _Unknown  # a repeat with nothing before it
        return ("lit", c)

    def escape(self) -> tuple:
        if self.i >= len(self.s):
            raise _Unknown
        c = self.s[self.i]
        self.i += 1
        if c in "pP":
            end = self.s.find("}", self.i)
            if not self.s.startswith("{", self.i) or end < 0:
                raise _Unknown
            self.i = end + 1
            return ("one",)
        if c in _ANCHOR_ESCAPES:
            return ("zero",)
        if c in _CLASS_ESCAPES:
            return ("one",)
        if c in _CHAR_ESCAPES:
            return ("lit", _CHAR_ESCAPES[c])
        if c.isalnum():
            raise _Unknown  # \1, \x41, \u4e00, \N{…}: not used by the vocabulary
        return ("lit", c)

    def skip_class(self) -> None:
        s, i = self.s, self.i
        if s.startswith("^", i):
            i += 1
        if s.startswith("]", i):
            i += 1  # a "]" first in a class is a character
        while i < len(s) and s[i] != "]":
            if s[i] == "[":
                raise _Unknown  # nested sets and POSIX classes
            i += 2 if s[i] == "\\" else 1
        if i >= len(s):
            raise _Unknown
        self.i = i + 1

    def quantified(self, node: tuple) -> tuple:
        s = self.s
        if self.i >= len(s):
            return node
        c = s[self.i]
        if c in "?*+":
            self.i += 1
            least, most = {"?": (0, 1), "*": (0, None), "+": (1, None)}[c]
        elif c == "{" and (m := RE_COUNTED.match(s, self.i)):
            if not (m[1] or m[2] or m[3]):
                raise _Unknown  # "{}"
            self.i = m.end()
            least = int(m[1] or 0)
            most = int(m[3]) if m[3] else (least if not m[2] else None)  # "{,}" and "{m,}" have no bound
        else:
            return node
        if self.i < len(s) and s[self.i] in "?+":
            self.i += 1  # lazy or possessive: the same characters can match
        if node[0] == "zero":
            return node
        return ("repeat", node, least, most)


def _tree(source: str) -> list[list[tuple]] | None:
    try:
        reader = _Reader(source)
        alts = reader.alternatives()
    except _Unknown:
        return None
    return alts if reader.i == len(source) else None  # an unbalanced ")" is not read


def _width(node: tuple) -> int | None:
    """The most characters a node can look at, a lookaround's as if it consumed them (None: no bound)."""
    kind = node[0]
    if kind in ("lit", "one"):
        return 1
    if kind == "zero":
        return 0
    if kind == "group":
        widths = [_sequence_width(alt) for alt in node[1]]
        return None if None in widths else max(widths)
    inner, most = _width(node[1]), node[3]
    if inner == 0:
        return 0
    return None if inner is None or most is None else inner * most


def _sequence_width(seq: list[tuple]) -> int | None:
    total = 0
    for node in seq:
        w = _width(node)
        if w is None:
            return None
        total += w
    return total


@lru_cache(maxsize=1024)
def pattern_reach(source: str) -> int | None:
    """How many characters a match of this pattern can look at, lookarounds included; None when it has
    no bound (or cannot be read), and the pattern must be scanned over the whole text."""
    alts = _tree(source)
    if alts is None:
        return None
    widths = [_sequence_width(alt) for alt in alts]
    widest = None if None in widths else max(widths)
    return widest if widest is not None and widest < MAX_REACH else None


def _sequence_words(seq: list[tuple]) -> set[str] | None:
    """The most telling set of words one of which every match of the sequence contains."""
    options: list[set[str]] = []
    run: list[str] = []
    for node in [*seq, ("end",)]:
        if node[0] == "lit":
            run.append(node[1])
            continue
        if run:
            options.append({"".join(run)})
            run = []
        inner = None
        if node[0] == "group" and not node[2]:  # what a lookaround looks at need not be in the match
            inner = _alternatives_words(node[1])
        elif node[0] == "repeat" and node[2] >= 1:
            inner = _sequence_words([node[1]])
        if inner:
            options.append(inner)
    # the most telling set: its shortest word longest, then the fewest words
    return max(options, key=lambda o: (min(map(len, o)), -len(o)), default=None)


def _alternatives_words(alts: list[list[tuple]]) -> set[str] | None:
    found = [_sequence_words(alt) for alt in alts]
    return set().union(*found) if all(found) else None


@lru_cache(maxsize=1024)
def required_words(source: str) -> tuple[str, ...] | None:
    """Words one of which every match of this pattern contains ("行政复议", or "予以公开|同意公开"), so
    that a text holding none of them need not be scanned; None when the pattern names no such word."""
    alts = _tree(source)
    found = None if alts is None else _alternatives_words(alts)
    return tuple(sorted(found)) if found else None
