"""Reading a report from a path, bytes or a file object: the reader its content calls for.

HTML pages, Word files (.docx) and PDFs are read into a :class:`~gxtables.documents.model.Document`;
legacy Word and WPS files (OLE2) and OpenDocument text are first converted to .docx by LibreOffice when
``soffice`` is on the PATH; anything else is report text in one of the common encodings.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import BinaryIO

from ..io import MAX_BYTES, ReadError, decode_bytes, read_bytes
from .docx import docx_to_document
from .html import html_to_document
from .model import Document
from .sniff import DOCX, HTML, ODT, OLE2, PDF, ZIP, looks_like_html, sniff

__all__ = ["CONVERT_TIMEOUT", "bytes_to_input", "read_report", "source_to_bytes"]

CONVERT_TIMEOUT = 120  # seconds LibreOffice may take to convert one file


def source_to_bytes(source, max_bytes: int = MAX_BYTES) -> tuple[bytes, str]:
    """The bytes of a path, of ``bytes``, or of a binary file object, and the name to give in messages."""
    if isinstance(source, bytes | bytearray | memoryview):
        data, name = bytes(source), "<bytes>"
    elif isinstance(source, str | os.PathLike):
        return read_bytes(source, max_bytes), str(source)
    elif hasattr(source, "read"):
        name = str(getattr(source, "name", None) or "<file>")
        data = _read_file(source, max_bytes, name)
    else:
        raise TypeError(f"gxtables.read expects a path, bytes or a binary file object, not {type(source).__name__}")
    if max_bytes and len(data) > max_bytes:
        raise ReadError(f"{name}: more than the {max_bytes:,}-byte limit for one report")
    if not data.strip():
        raise ReadError(f"{name}: empty file" if not data else f"{name}: holds only blank space")
    return data, name


def _read_file(fh: BinaryIO, max_bytes: int, name: str) -> bytes:
    data = fh.read(max_bytes + 1) if max_bytes else fh.read()
    if isinstance(data, str):
        raise TypeError(f"{name}: a text file object; open the file in binary mode ('rb') or pass its path")
    return bytes(data)


def _convert_to_docx(data: bytes, name: str, what: str, suffix: str) -> bytes:
    """A legacy file converted to .docx by LibreOffice, in a temporary folder removed afterwards."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    how = (f"convert it to .docx first: `soffice --headless --convert-to docx {Path(name).name}` "
           f"(LibreOffice), or Save As .docx in Word or WPS")
    if exe is None:
        raise ReadError(f"{name}: {what}; gxtables reads .docx — {how}")
    with tempfile.TemporaryDirectory(prefix="gxtables-convert-") as tmp:
        src = Path(tmp, "report" + suffix)
        src.write_bytes(data)
        profile = Path(tmp, "profile").as_uri()  # a profile of its own: conversions in parallel do not collide
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
               "--convert-to", "docx", "--outdir", tmp, str(src)]
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            _, err = proc.communicate(timeout=CONVERT_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # soffice starts a process of its own: end the whole group
            proc.communicate()
            raise ReadError(f"{name}: {what}; LibreOffice did not convert it within {CONVERT_TIMEOUT} s — {how}") from None
        out = Path(tmp, "report.docx")
        if not out.is_file():
            detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
            raise ReadError(f"{name}: {what}; LibreOffice could not convert it"
                            f"{' (' + detail[0] + ')' if detail else ''} — {how}")
        return out.read_bytes()


def _pdf(data: bytes, name: str) -> Document:
    try:
        from .pdf import pdf_to_document
    except ImportError as exc:
        raise ReadError(f"{name}: a PDF file; reading PDFs needs pdfplumber: pip install 'gxtables[pdf]'") from exc
    return pdf_to_document(data, name)


def bytes_to_input(data: bytes, name: str) -> str | Document:
    """The report in ``data``: a :class:`Document` for HTML, Word and PDF, the decoded text otherwise.

    Raises :class:`~gxtables.io.ReadError` naming ``name`` when it cannot be read: a decoding failure
    any reader lets through is one too, so that a corpus run reports it as this file's, not as a bug.
    """
    try:
        return _bytes_to_input(data, name)
    except UnicodeError as exc:
        raise ReadError(f"{name}: cannot be decoded ({exc})") from exc


def _bytes_to_input(data: bytes, name: str) -> str | Document:
    kind = sniff(data)
    if kind == PDF:
        return _pdf(data, name)
    if kind == DOCX:
        return docx_to_document(data, name)
    if kind == OLE2:
        what = "a legacy Office file (.doc or .wps)"
        return docx_to_document(_convert_to_docx(data, name, what, ".doc"), name)
    if kind == ODT:
        return docx_to_document(_convert_to_docx(data, name, "an OpenDocument text file (.odt)", ".odt"), name)
    if kind == ZIP:
        raise ReadError(f"{name}: a ZIP archive, not a report (nor a Word .docx file)")
    if kind == HTML:
        return html_to_document(data, name)
    text = decode_bytes(data, name)
    if not text.strip():
        raise ReadError(f"{name}: holds only blank space")
    if looks_like_html(text):  # an HTML page in UTF-16
        return html_to_document(text, name)
    return text


def read_report(source, *, max_bytes: int = MAX_BYTES, priors=None):
    """Read one report — a path, bytes or a binary file object — whatever its format (see :func:`gxtables.read`)."""
    from ..pipeline import parse, parse_document

    data, name = source_to_bytes(source, max_bytes)
    found = bytes_to_input(data, name)
    if isinstance(found, str):
        return parse(found, source=name, max_chars=0, priors=priors)
    return parse_document(found, max_chars=0, priors=priors)
