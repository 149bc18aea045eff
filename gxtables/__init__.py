"""gxtables: the three statutory tables of China's government information-disclosure annual reports
(政府信息公开工作年度报告), rebuilt from web text, HTML pages, Word files and PDFs, checked, and exported as tables.

    >>> import gxtables
    >>> r = gxtables.read("report.txt")                 # or report.html, .docx, .pdf: told by content
    >>> r.edition, r.year, r.body
    >>> r.tables["applications"], r.cells, r.checks, r.ok
    >>> c = gxtables.read_many("reports/**/*.txt")      # a whole corpus, in worker processes
    >>> c.summary, c.cells, c.wide(), c.checks, c.cross_checks
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, BinaryIO

from .documents.read import read_report
from .io import MAX_BYTES, ReadError
from .pipeline import debug, parse
from .rates import Priors
from .report import Report

if TYPE_CHECKING:
    from .corpus import Corpus, parse_many, read_many

__all__ = ["Corpus", "ReadError", "Report", "debug", "parse", "parse_many", "read", "read_many"]
__version__ = "0.1.0"

_CORPUS = ("Corpus", "parse_many", "read_many")  # imported when first used: they need pandas, pyarrow, processes


def __getattr__(name: str):
    if name in _CORPUS:
        from . import corpus

        return getattr(corpus, name)
    raise AttributeError(f"module 'gxtables' has no attribute {name!r}")


def read(source: str | os.PathLike | bytes | BinaryIO, *, max_bytes: int = MAX_BYTES,
         priors: Priors | None = None) -> Report:
    """Read one report — a path, its bytes, or a binary file object — and parse it.

    What it is is told by its content, not its name: an HTML page (any charset), a Word file (.docx;
    legacy .doc and .wps through LibreOffice when ``soffice`` is installed), a PDF with a text layer
    (``pip install 'gxtables[pdf]'``), or report text in UTF-8, GB18030/GBK, Big5 or UTF-16.

    Raises FileNotFoundError, IsADirectoryError or :class:`ReadError` naming the file when it cannot
    be read (missing, a folder, not a regular file, unreadable, binary, undecodable, mixed encodings,
    empty, larger than ``max_bytes``, a broken Word file, a legacy file with no converter); problems
    *inside* a readable report are data on the returned :class:`Report`. ``priors`` as for :func:`parse`.
    """
    return read_report(source, max_bytes=max_bytes, priors=priors)
