"""Values their indicator does not allow: below its minimum, above its maximum, or not a whole
number where only whole numbers make sense (a score of 7 on a 1–5 scale, a rate of 140 %, 2.5
people). Each is a problem of its row naming the value and the bound, and the file is refused:
such a value is a typing mistake, never a fact (what may be a fact is flagged, not refused:
``metrics.domain.plausibility``).

The observations are compared in DuckDB on their Arrow table, as their repeated keys are
(``observed``): a file of a million values is checked in one query."""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pyarrow as pa

from metrics.sheets.cells import text as text_of
from metrics.sheets.parsed import Parsed
from metrics.sheets.problem import Problem

# An indicator's bounds: (minimum, maximum, whole numbers only); None: no bound.
Bounds = tuple[float | None, float | None, bool | None]

_OUTSIDE = """
SELECT o.source_sheet, o.source_row, o.label_value, o.value, b.minimum, b.maximum, b.whole
FROM observations o JOIN bounds b ON b.code = o.indicator
WHERE o.value < b.minimum OR o.value > b.maximum OR (b.whole AND o.value <> trunc(o.value))
ORDER BY o.position
"""


def check_bounds(parsed: Parsed, bounds: Mapping[str, Bounds]) -> None:
    """A problem for each observation of ``parsed`` outside its indicator's ``bounds`` (by
    code): the minimum or maximum it passes, else the whole number it is not."""
    table = parsed.observations
    bounded = [(code, *b) for code, b in bounds.items() if any(v is not None for v in b)]
    if not table.num_rows or not bounded:
        return
    columns = ("code", "minimum", "maximum", "whole")
    limits = pa.table(
        {
            "code": pa.array([b[0] for b in bounded], pa.string()),
            "minimum": pa.array([b[1] for b in bounded], pa.float64()),
            "maximum": pa.array([b[2] for b in bounded], pa.float64()),
            "whole": pa.array([b[3] for b in bounded], pa.bool_()),
        }
    ).select(columns)
    numbered = table.append_column("position", pa.array(range(table.num_rows), pa.int64()))
    with duckdb.connect() as con:
        con.register("observations", numbered)
        con.register("bounds", limits)
        outside = con.execute(_OUTSIDE).fetchall()
    for sheet, row, column, value, minimum, maximum, _ in outside:
        params: tuple[tuple[str, float], ...] = ()
        if minimum is not None and value < minimum:
            code, params = "err.below_minimum", (("minimum", minimum),)
        elif maximum is not None and value > maximum:
            code, params = "err.above_maximum", (("maximum", maximum),)
        else:
            code = "err.not_whole"
        parsed.problems.append(Problem(sheet, row, column or None, text_of(value), code, params))
