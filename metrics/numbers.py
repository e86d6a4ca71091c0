"""Numbers as people type them in French and English spreadsheets.

``1234.5``, ``1234,5``, ``1 234,5`` (space, no-break or narrow no-break space), ``1,234.5``,
``12 %``, ``1 200 €``. Missing markers (empty, ``n.d.``, ``NA``, ``-``...) are not zero.
"""

from __future__ import annotations

import math
import re
from typing import Final

from metrics.text import fold


class Missing:
    """The cell is a known missing-value marker: counted and reported, never stored."""

    _instance: Missing | None = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = Missing()
MISSING_MARKERS: Final = frozenset(
    {"", "n.d.", "n.d", "nd", "na", "n/a", "n.a.", "-", "\u2014", "\u2013", "nan", "#n/a", "?"}
)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_UNITS = re.compile(r"(%|€|eur|euros?)$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$")


def parse_number(value: object) -> float | Missing | None:
    """Return the number in a cell, ``MISSING`` for a missing marker, or None if unreadable.

    >>> parse_number("1 234,5")
    1234.5
    >>> parse_number("n.d.")
    MISSING
    """
    if value is None:
        return MISSING
    if getattr(value, "is_error", False):
        return MISSING  # an error cell of a workbook (#DIV/0!): never read as a number
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
        if math.isnan(number):
            return MISSING
        return number if math.isfinite(number) else None
    if not isinstance(value, str):
        return None
    text = fold(value)
    if text in MISSING_MARKERS:
        return MISSING
    text = text.replace("\u2212", "-")
    text = _SPACES.sub("", text)
    text = _UNITS.sub("", text)
    if not text:
        return None
    if "," in text and "." in text:
        # The separator that comes last is the decimal one: 1.234,5 or 1,234.5.
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        if text.count(",") > 1:
            return None
        text = text.replace(",", ".")
    elif text.count(".") > 1:
        # 1.234.567: dots can only be thousands separators.
        if not re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", text):
            return None
        text = text.replace(".", "")
    if not _PLAIN.match(text):
        return None
    number = float(text)
    return number if math.isfinite(number) else None
