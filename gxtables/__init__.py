"""gxtables: the three statutory tables of China's government information-disclosure annual reports
(政府信息公开工作年度报告), rebuilt from flattened web text, checked, and exported as tables.

    >>> import gxtables
    >>> r = gxtables.read("report.txt")
    >>> r.edition, r.year, r.body
    >>> r.tables["applications"], r.cells, r.checks, r.ok
    >>> c = gxtables.read_many("reports/**/*.txt")      # a whole corpus, in worker processes
    >>> c.summary, c.cells, c.wide(), c.checks, c.cross_checks
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .io import MAX_BYTES, ReadError, read_text
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


def read(path: str | os.PathLike, *, max_bytes: int = MAX_BYTES, priors: Priors | None = None) -> Report:
    """Read one report file (UTF-8, GB18030/GBK, Big5 or UTF-16) and parse it.

    Raises FileNotFoundError, IsADirectoryError or :class:`ReadError` naming the file when it cannot
    be read (missing, a folder, not a regular file, unreadable, binary, undecodable, mixed encodings,
    empty, larger than ``max_bytes``); problems *inside* a readable report are data on the returned
    :class:`Report`. ``priors`` as for :func:`parse`.
    """
    return parse(read_text(path, max_bytes=max_bytes), source=str(path), max_chars=0, priors=priors)
