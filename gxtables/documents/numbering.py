"""Word's automatic numbering: the "一、" "（三）" "1." that Word prints before a paragraph but does not store
in its text.

Section headings (一、总体情况) and row labels (1.属于国家秘密, （七）总计) are often numbered this way; without
the number, "3.其他" reads as the column header "其他" and "二、主动公开政府信息情况" as a sentence. A
paragraph's ``w:numPr`` (or its style's) names a list (``w:numId``) and a level; the list's abstract
definition (``word/numbering.xml``) gives each level's start, format and text ("%1、"). Counters run per
abstract definition in document order, a list with a ``startOverride`` starting again where it says;
numbering a level resets the levels below it.
"""
from __future__ import annotations

import lxml.etree

__all__ = ["Numbering", "format_number"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
VAL = f"{W}val"
LEVELS = 9
CN_DIGITS = "零一二三四五六七八九"
CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
STEMS = "甲乙丙丁戊己庚辛壬癸"
ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PARENTHESIZED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"),
         (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _chinese(n: int, digits: str = CN_DIGITS, ten: str = "十") -> str:
    if not 0 < n < 100:
        return str(n)
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return (digits[tens] if tens > 1 else "") + ten + (digits[ones] if ones else "")


def _letters(n: int) -> str:
    """A, B, …, Z, AA, BB, … as Word counts letters."""
    if n <= 0:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    if n <= 0:
        return str(n)
    out = ""
    for value, numeral in ROMAN:
        while n >= value:
            out, n = out + numeral, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    """A counter in one of Word's number formats (``w:numFmt``); unknown formats print decimals."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "ideographDigital"):
        return _chinese(n)
    if fmt in ("chineseLegalSimplified", "koreanLegal"):
        return _chinese(n, CN_LEGAL, "拾")
    if fmt == "ideographTraditional":
        return STEMS[n - 1] if 0 < n <= len(STEMS) else str(n)
    if fmt == "ideographZodiac":
        return ZODIAC[n - 1] if 0 < n <= len(ZODIAC) else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return CIRCLED[n - 1] if 0 < n <= len(CIRCLED) else str(n)
    if fmt == "decimalEnclosedParen":
        return PARENTHESIZED[n - 1] if 0 < n <= len(PARENTHESIZED) else str(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class _Level:
    __slots__ = ("fmt", "legal", "start", "suffix", "text")

    def __init__(self, lvl) -> None:
        self.start = _int(_get(lvl, "start"), 1)
        self.fmt = _get(lvl, "numFmt") or "decimal"
        self.text = _get(lvl, "lvlText")
        self.suffix = {"space": " ", "nothing": ""}.get(_get(lvl, "suff") or "tab", " ")
        self.legal = lvl.find(f"{W}isLgl") is not None


def _get(el, tag: str) -> str | None:
    found = el.find(f"{W}{tag}")
    return None if found is None else found.get(VAL)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _parse(data: bytes | None):
    if not data:
        return None
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return lxml.etree.fromstring(data, parser=parser)
    except lxml.etree.XMLSyntaxError:
        return None  # a broken numbering part costs the numbers, not the document


class Numbering:
    """The numbers of a document's numbered paragraphs, handed out in document order."""

    def __init__(self, numbering_xml: bytes | None = None, styles_xml: bytes | None = None) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.lists: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self.styles: dict[str, tuple[str | None, int | None, str | None]] = {}  # style → (numId, ilvl, basedOn)
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[tuple[str, int]] = set()
        # the parts are read when a paragraph first asks (a file numbering nothing never pays for them)
        self._parts: tuple[bytes | None, bytes | None] | None = (numbering_xml, styles_xml) if numbering_xml else None

    def _load(self) -> None:
        numbering_xml, styles_xml = self._parts or (None, None)
        self._parts = None
        root = _parse(numbering_xml)
        if root is not None:
            for ab in root.iter(f"{W}abstractNum"):
                self.abstract[ab.get(f"{W}abstractNumId", "")] = {
                    _int(lvl.get(f"{W}ilvl"), 0): _Level(lvl) for lvl in ab.iter(f"{W}lvl")}
            for num in root.iter(f"{W}num"):
                starts, levels = {}, {}
                for over in num.iter(f"{W}lvlOverride"):
                    ilvl = _int(over.get(f"{W}ilvl"), 0)
                    if (start := _get(over, "startOverride")) is not None:
                        starts[ilvl] = _int(start, 1)
                    if (lvl := over.find(f"{W}lvl")) is not None:
                        levels[ilvl] = _Level(lvl)
                self.lists[num.get(f"{W}numId", "")] = (_get(num, "abstractNumId") or "", starts, levels)
        root = _parse(styles_xml)
        if root is not None:
            for style in root.iter(f"{W}style"):
                ppr = style.find(f"{W}pPr")
                numpr = ppr.find(f"{W}numPr") if ppr is not None else None
                num_id = _get(numpr, "numId") if numpr is not None else None
                ilvl = _get(numpr, "ilvl") if numpr is not None else None
                self.styles[style.get(f"{W}styleId", "")] = (num_id, None if ilvl is None else _int(ilvl, 0),
                                                             _get(style, "basedOn"))

    def _style(self, style: str | None) -> tuple[str | None, int | None]:
        """The list and level a paragraph style numbers with (through the styles it is based on)."""
        seen = set()
        while style and style not in seen:
            seen.add(style)
            num_id, ilvl, based = self.styles.get(style, (None, None, None))
            if num_id is not None:
                return num_id, ilvl
            style = based
        return None, None

    def label(self, ppr) -> str:
        """The number Word prints before the paragraph with properties ``ppr`` ("" when none), counted."""
        if ppr is None:
            return ""
        numpr = ppr.find(f"{W}numPr")
        if numpr is None and ppr.find(f"{W}pStyle") is None:
            return ""
        if self._parts is not None:
            self._load()
        if not self.lists:
            return ""
        num_id = _get(numpr, "numId") if numpr is not None else None
        ilvl_text = _get(numpr, "ilvl") if numpr is not None else None
        style_num, style_lvl = self._style(_get(ppr, "pStyle"))
        num_id = num_id if num_id is not None else style_num
        ilvl = _int(ilvl_text, style_lvl or 0) if ilvl_text is not None else (style_lvl or 0)
        if not num_id or num_id == "0" or num_id not in self.lists or not 0 <= ilvl < LEVELS:
            return ""
        abstract_id, starts, overrides = self.lists[num_id]
        levels = {**self.abstract.get(abstract_id, {}), **overrides}
        level = levels.get(ilvl)
        if level is None or level.fmt == "bullet" or not level.text:
            return ""
        counters = self.counters.setdefault(abstract_id, [None] * LEVELS)
        if ilvl in starts and (num_id, ilvl) not in self.started:
            counters[ilvl] = None  # a list that starts again where it says
            level_start = starts[ilvl]
        else:
            level_start = level.start
        self.started.add((num_id, ilvl))
        counters[ilvl] = level_start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, LEVELS):
            counters[deeper] = None
        text = level.text
        for k in range(LEVELS, 0, -1):  # "%10" never occurs: nine levels
            placeholder = f"%{k}"
            if placeholder in text:
                lv = levels.get(k - 1)
                value = counters[k - 1] if counters[k - 1] is not None else (lv.start if lv else 1)
                fmt = "decimal" if level.legal and k - 1 < ilvl else (lv.fmt if lv else "decimal")
                text = text.replace(placeholder, format_number(value, fmt))
        return text + level.suffix if text else ""
