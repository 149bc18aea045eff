"""Numbers in words and numbers as printed: the small utilities every layer shares.

Nothing here knows about reports, tables or stages, so that the lowest stage (locate) and the record
layer at the top can both use it without pulling in anything else.
"""
from __future__ import annotations

__all__ = ["format_number"]


def format_number(value: float) -> str:
    """A number as a reader writes it: "12" for 12.0, "3.5" for 3.5 (never "12.0")."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
