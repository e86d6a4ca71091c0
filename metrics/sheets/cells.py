"""Cells as the readers see them: their text, blank rows, and columns named as the user sees
them (``valeur (D)``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

Cell = Any  # what a reader gives for a cell: text, a number, a date, an error cell or None


def text(cell: Cell) -> str:
    """A cell as text: a whole number without ``.0``, a date in ISO form, stripped.

    >>> text(12.0), text(dt.date(2024, 5, 31)), text(None), text(" a ")
    ('12', '2024-05-31', '', 'a')
    """
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, (dt.date, dt.datetime)):
        return cell.isoformat()
    return str(cell).strip()


def blank(cells: list[Cell]) -> bool:
    """Whether a row holds nothing but empty or all-space cells."""
    return all(text(c) == "" for c in cells)


def column_letter(index: int) -> str:
    """The spreadsheet's letters of the column at ``index`` (from 0).

    >>> column_letter(0), column_letter(25), column_letter(26)
    ('A', 'Z', 'AA')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def label(headers: list[Cell], index: int | None) -> str:
    """The column at ``index`` as problems name it, its header and its letters:
    ``valeur (D)``; ``""`` for no column."""
    if index is None:
        return ""
    header = text(headers[index]) if index < len(headers) else ""
    return f"{header} ({column_letter(index)})"
