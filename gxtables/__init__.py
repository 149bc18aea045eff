"""gxtables: the three statutory tables of China's government information-disclosure annual reports
(政府信息公开工作年度报告), rebuilt from flattened web text, checked, and exported as tables.

    >>> import gxtables
    >>> r = gxtables.read("report.txt")
    >>> r.edition, r.year, r.body
    >>> r.tables["applications"], r.cells, r.checks, r.ok
"""
from .pipeline import debug, parse
from .report import Report

__all__ = ["parse", "debug", "Report"]
__version__ = "0.1.0"
