"""What a file is, told by its content, never its name: PDF, Word, OpenDocument, legacy Office, HTML or text."""
from __future__ import annotations

import io
import zipfile

__all__ = ["HTML_TAGS", "looks_like_html", "sniff"]

PDF, DOCX, ODT, ZIP, OLE2, HTML, TEXT = "pdf", "docx", "odt", "zip", "ole2", "html", "text"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office files: .doc, .wps, .xls
# Tags a page's first element may have: what an HTML page or a fragment saved from one starts with.
HTML_TAGS = ("!doctype html", "html", "head", "body", "meta", "title", "table", "div", "p", "span", "section",
             "article", "h1", "h2", "h3", "h4", "h5", "h6", "center", "font", "style", "script", "link", "base",
             "ul", "ol", "strong", "b", "form", "header", "main", "tbody", "tr", "td")
SNIFF_CHARS = 1 << 20  # how far into a text its table tags are looked for
TAGS_PER_LINE = 20  # a page has at least one closing tag per this many lines (a text with a stray tag has far fewer)


def _opening_tag(text: str) -> str | None:
    """The name of the tag a text opens with (after blanks, an XML declaration and comments), lower-case."""
    s = text.lstrip("\ufeff \t\r\n")
    for _ in range(100):
        if s.startswith("<?xml"):
            end = s.find("?>")
        elif s.startswith("<!--"):
            end = s.find("-->")
        else:
            break
        if end < 0:
            return None
        s = s[end + 2:].lstrip(" \t\r\n>")
    if not s.startswith("<"):
        return None
    name = ""
    for ch in s[1:40]:
        if ch in " \t\r\n>/":
            break
        name += ch
    return name.lower()


def looks_like_html(text: str) -> bool:
    """True for an HTML page or a fragment of one: it opens with an HTML tag, or it holds a table's
    tags (``<table`` and ``</td>``). Markdown with a stray ``<br>`` is text."""
    head = text[:SNIFF_CHARS]
    if head.count("</") * TAGS_PER_LINE < head.count("\n"):
        return False  # lines of text with a tag here and there ("<b>标题</b>" on the first line): text
    tag = _opening_tag(text[:4096])
    if tag is not None and (tag in HTML_TAGS or tag == "!doctype"):
        return True
    head = head.lower()
    return "<table" in head and ("</td>" in head or "</tr>" in head)


def sniff(data: bytes) -> str:
    """What the bytes are: ``pdf``, ``docx``, ``odt``, ``zip`` (another archive), ``ole2`` (.doc, .wps),
    ``html`` or ``text`` (anything else, which the text reader decodes or refuses)."""
    if b"%PDF-" in data[:1024]:
        return PDF
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return DOCX if b"word/" in data[:4096] else ZIP
        if "word/document.xml" in names:
            return DOCX
        if "mimetype" in names and "content.xml" in names:
            return ODT
        return ZIP
    if data.startswith(OLE2_MAGIC):
        return OLE2
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = data[2:8192].decode("utf-16-le" if data[0] == 0xFF else "utf-16-be", errors="ignore")
    else:
        head = data[:SNIFF_CHARS].decode("latin-1")
    return HTML if looks_like_html(head) else TEXT
