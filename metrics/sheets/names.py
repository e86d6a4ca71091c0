"""Names as a file's rows give them, matched against the names known (``text.key``:
case-, accent- and space-insensitive)."""

from __future__ import annotations

from typing import Any

from metrics.base.text import key, name_problem
from metrics.sheets.schema import EXAMPLE_ALLIANCE


def find(known: dict[Any, str], name: str, alliance: str | None = None) -> str | None:
    """The canonical name ``name`` refers to (a partner: within ``alliance``), or ``None``;
    a name with hidden characters or no letter refers to nothing, whatever its key."""
    if name_problem(name):
        return None
    return known.get((alliance, key(name)) if alliance is not None else key(name))


def is_example(name: object) -> bool:
    """The template's example alliance: its rows never become data (a user who forgets to
    delete them is told to), whatever the spelling."""
    return isinstance(name, str) and key(name) == key(EXAMPLE_ALLIANCE)
