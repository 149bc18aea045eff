"""Numbers in words and numbers as printed: the small utilities every layer shares.

Nothing here knows about reports, tables or stages, so that the lowest stage (locate) and the record
layer at the top can both use it without pulling in anything else.
"""
from __future__ import annotations

__all__ = ["chinese_number", "format_number"]


def format_number(value: float) -> str:
    """A number as a reader writes it: "12" for 12.0, "3.5" for 3.5 (never "12.0")."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> int | None:
    """The value of a Chinese numeral ("十二" → 12, "两" → 2, "一百零三" → 103); None if malformed."""
    if not text:
        return None
    if all(c in _DIGITS for c in text):  # "二〇一九", "五"
        return int("".join(str(_DIGITS[c]) for c in text)) if len(text) > 1 else _DIGITS[text]
    total, digit, last_unit = 0, None, 10_000
    for c in text:
        if c in _DIGITS:
            if digit is not None and _DIGITS[c] != 0:
                return None
            digit = _DIGITS[c] or digit
        elif c in _SMALL_UNITS:
            unit = _SMALL_UNITS[c]
            if unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    return total + (digit or 0)
