"""A problem found in a file: data only, located as the user sees it (header row = 1).

It carries a catalogue key and its parameters, never a sentence: the pages, the CLI and the
tests say it in the reader's language (``metrics.presentation.problems``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file: where (``sheet``, ``row``, ``column``), the offending
    ``value`` as text, and what (the catalogue key ``code`` and its ``params``). A parameter
    ``vocabulary`` names the choices a cell may take (``schema.VOCABULARIES``): it is said as
    the list of them in the reader's language."""

    sheet: str
    row: int | None
    column: str | None
    value: str
    code: str
    params: tuple[tuple[str, Any], ...] = ()
