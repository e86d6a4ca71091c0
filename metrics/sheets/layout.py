"""Where a sheet's header is and what it says: which kind of sheet it is, which column holds
which field (``schema``), and, for observations in the wide layout, which columns are periods.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from metrics.base.periods import Period, parse_period
from metrics.sheets import schema
from metrics.sheets.cells import Cell, label
from metrics.sheets.files import Table

# The fields an observations sheet in the wide layout has as one column per period instead.
WIDE_FIELDS = frozenset({"period", "value"})


@dataclass
class Layout:
    """A sheet's kind, its header row (from 0), each field's column (from 0), and in the wide
    layout each period's column."""

    kind: str
    header_row: int
    columns: dict[str, int]
    wide: dict[int, Period]
    score: int


def header_map(kind: str, cells: list[Cell]) -> dict[str, int]:
    """Each field of ``kind`` that a header among ``cells`` means -> its column (the first)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if not isinstance(cell, str) or not cell.strip():
            continue
        field = schema.field_of(kind, cell)
        if field is not None and field not in found:
            found[field] = index
    return found


def _period_columns(cells: list[Cell], taken: Iterable[int]) -> dict[int, Period]:
    skip = set(taken)
    columns = {}
    for index, cell in enumerate(cells):
        if index in skip or cell in ("", None):
            continue
        period = parse_period(cell.strip() if isinstance(cell, str) else cell)
        if period is not None:
            columns[index] = period
    return columns


def _layout(kind: str, row_index: int, cells: list[Cell], forced: bool) -> Layout | None:
    """The layout row ``row_index`` would give a sheet of ``kind``: ``None`` when it shows
    fewer than two of its columns or (in a sheet not named after it) none typical of it."""
    columns = header_map(kind, cells)
    wide: dict[int, Period] = {}
    if kind == "observations" and not columns.keys() >= WIDE_FIELDS:
        wide = _period_columns(cells, columns.values())
    signature = sum(1 for s in schema.BY_KIND[kind].signature if s in columns) + len(wide)
    if len(columns) + len(wide) < 2 or (not forced and signature == 0):
        return None
    return Layout(kind, row_index, columns, wide, len(columns) + signature)


def missing_fields(layout: Layout) -> list[str]:
    """The required fields the header lacks (in the wide layout, periods stand for the
    period and value)."""
    return [
        name
        for name in schema.BY_KIND[layout.kind].required
        if name not in layout.columns and not (layout.wide and name in WIDE_FIELDS)
    ]


def detect(table: Table, forced_kind: str | None) -> Layout | None:
    """Find which kind of sheet this is and where its header row is.

    A sheet named after a kind only needs its header row found; any other sheet (and every
    CSV) must show at least one header typical of a kind. The first row where a kind has all
    its required columns wins; failing that, the best partial match is returned so that the
    missing columns can be reported.
    """
    partial: Layout | None = None
    kinds = [forced_kind] if forced_kind else list(schema.KINDS)
    for row_index, cells in enumerate(table.head):
        complete: Layout | None = None
        for kind in kinds:
            layout = _layout(kind, row_index, cells, forced_kind is not None)
            if layout is None:
                continue
            if not missing_fields(layout):
                if complete is None or layout.score > complete.score:
                    complete = layout
            elif partial is None or layout.score > partial.score:
                partial = layout
        if complete is not None:
            return complete
    return partial


def repeated_columns(headers: list[Cell], layout: Layout) -> list[list[str]]:
    """Columns that say the same thing twice (two ``valeur`` columns, two ``2023`` columns):
    which one counts would be a guess, so the file is refused naming them."""
    groups: dict[str, list[int]] = {}
    for index, cell in enumerate(headers):
        if isinstance(cell, str) and cell.strip():
            field = schema.field_of(layout.kind, cell)
            if field is not None:
                groups.setdefault(f"field:{field}", []).append(index)
    for index, period in layout.wide.items():
        groups.setdefault(f"period:{period.canonical}", []).append(index)
    return [[label(headers, i) for i in indices] for indices in groups.values() if len(indices) > 1]
