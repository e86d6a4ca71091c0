"""The observations' names checked and their repeated keys found, on Arrow columns: each
distinct name looked up once (``resolve_observations``), keys compared as integers and only
the repeated ones in DuckDB (``dedupe_observations``)."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metrics.sheets.cells import text as text_of
from metrics.sheets.coded import Coded, by_pair, of_dictionary, positions
from metrics.sheets.names import find, is_example
from metrics.sheets.parsed import CODED, LABELS, Parsed
from metrics.sheets.problem import Problem

# What may be wrong with an observation's names, in the order a row's problems are told.
_NAME_PROBLEMS = (
    ("example", "alliance", "err.example_row"),
    ("unknown_alliance", "alliance", "err.unknown_alliance"),
    ("unknown_indicator", "indicator", "err.unknown_indicator"),
    ("unknown_partner", "stakeholder", "err.unknown_stakeholder"),
)


def resolve_observations(
    parsed: Parsed,
    alliances: dict[str, str],
    indicators: dict[str, str],
    stakeholders: dict[tuple[str, str], str],
) -> None:
    """Canonical names of the observations' alliances, indicators and partners, each
    distinct name looked up once; a name that resolves to nothing is a problem of its row."""
    if not parsed.observations.num_rows:
        return
    table = parsed.observations.unify_dictionaries().combine_chunks()
    names = _ObservationNames(table, alliances, indicators, stakeholders)
    found = names.problems()
    parsed.problems.extend(found)
    parsed.observations = names.renamed(every_name_found=not found)


class _ObservationNames:
    """The names of a table of observations, looked up: a mask per kind of problem."""

    def __init__(
        self,
        table: pa.Table,
        alliances: dict[str, str],
        indicators: dict[str, str],
        stakeholders: dict[tuple[str, str], str],
    ) -> None:
        self.table = table
        self.example = self._lookup("alliance", lambda n: n).mask(is_example)
        self.alliance = self._lookup(
            "alliance", lambda n: None if is_example(n) else find(alliances, n)
        )
        self.indicator = self._lookup("indicator", lambda n: find(indicators, n))
        unknown_alliance = pc.and_(self.alliance.mask(lambda v: v is None), pc.invert(self.example))
        unknown_indicator = self.indicator.mask(lambda v: v is None)
        self.resolved = pc.invert(pc.or_(pc.or_(self.example, unknown_alliance), unknown_indicator))
        self.partner_column = table["stakeholder"].chunk(0)
        self.named = pc.and_(self.resolved, of_dictionary(self.partner_column).mask(bool))
        self.partner = by_pair(
            self.alliance.indices,
            self.alliance.values,
            self.partner_column,
            lambda name, text: find(stakeholders, text, name),
            pa.string(),
            among=self.named,
        )
        self.masks = {
            "example": self.example,
            "unknown_alliance": unknown_alliance,
            "unknown_indicator": unknown_indicator,
            "unknown_partner": pc.and_(self.named, pc.is_null(self.partner)),
        }

    def _lookup(self, name: str, rule: Callable[[str], str | None]) -> Coded:
        column = of_dictionary(self.table[name].chunk(0))
        return Coded(column.indices, [rule(v) for v in column.values])

    def problems(self) -> list[Problem]:
        """The rows' problems, in row order, then in the order of ``_NAME_PROBLEMS``."""
        found: list[tuple[int, int, Problem]] = []
        for order, (mask, field, code) in enumerate(_NAME_PROBLEMS):
            for position in positions(self.masks[mask]):
                row = self.table.slice(position, 1).to_pylist()[0]
                problem = Problem(
                    row["source_sheet"],
                    row["source_row"],
                    row[LABELS[field]] or None,
                    text_of(row[field]),
                    code,
                )
                found.append((position, order, problem))
        found.sort(key=lambda f: (f[0], f[1]))
        return [problem for _, _, problem in found]

    def renamed(self, every_name_found: bool) -> pa.Table:
        """The table with the canonical names of the names found (the others as written)."""
        known_partner = pc.and_(self.named, pc.is_valid(self.partner))
        written_partner = self.partner_column.dictionary.take(self.partner_column.indices)
        stakeholder = pc.if_else(known_partner, self.partner, written_partner)

        def renamed(coded: Coded, name: str) -> pa.Array:
            if every_name_found:
                return coded.coded()  # every name resolved: the codes stay, the names change
            raw = self.table[name].chunk(0)
            canonical = coded.dense(pa.string(), lambda v: v)
            written = raw.dictionary.take(raw.indices)
            return pc.dictionary_encode(pc.if_else(self.resolved, canonical, written))

        return (
            self.table.set_column(0, "alliance", pc.cast(renamed(self.alliance, "alliance"), CODED))
            .set_column(1, "indicator", pc.cast(renamed(self.indicator, "indicator"), CODED))
            .set_column(6, "stakeholder", pc.cast(pc.dictionary_encode(stakeholder), CODED))
        )


_DUPLICATES = """
SELECT position, source_sheet, source_row, value, label_value,
       first_sheet, first_row, first_value
FROM (
    SELECT *,
           row_number() OVER keys AS n,
           first_value(source_sheet) OVER keys AS first_sheet,
           first_value(source_row) OVER keys AS first_row,
           first_value(value) OVER keys AS first_value
    FROM observations
    WINDOW keys AS (PARTITION BY alliance, indicator, period, stakeholder ORDER BY position)
)
WHERE n > 1
ORDER BY position
"""


def _codes(column: pa.ChunkedArray) -> tuple[np.ndarray, int]:
    """A dictionary-coded column as integer codes (null: 0), equal exactly when the texts
    are, and how many codes there are."""
    coded = column.unify_dictionaries().combine_chunks() if column.num_chunks else None
    if coded is None or not len(coded):
        return np.zeros(len(column), np.int64), 1
    names, slots = np.unique(
        np.asarray(coded.dictionary.to_pylist(), dtype=object).astype(str), return_inverse=True
    )
    indices = coded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return np.append(slots.astype(np.int64) + 1, 0)[indices], len(names) + 1


def has_repeated_keys(table: pa.Table) -> bool:
    """Whether two rows share alliance, indicator, period and partner: the keys' codes
    combined into one integer per row, sorted once (no text compared row by row)."""
    combined, bound = np.zeros(table.num_rows, np.int64), 1
    for name in ("alliance", "indicator", "period", "stakeholder"):
        codes, count = _codes(table[name])
        if bound * count >= 2**62:  # renumber what is combined so far before it overflows
            distinct, combined = np.unique(combined, return_inverse=True)
            bound = len(distinct)
        combined, bound = combined * count + codes, bound * count
    ordered = np.sort(combined)
    return bool((ordered[1:] == ordered[:-1]).any())


def dedupe_observations(parsed: Parsed) -> None:
    """Keep the first of identical rows; a later row giving another value for the same
    alliance, indicator, period and partner is an error naming the first."""
    table = parsed.observations
    if table.num_rows < 2 or not has_repeated_keys(table):
        return
    numbered = table.append_column("position", pa.array(np.arange(table.num_rows), pa.int64()))
    with duckdb.connect() as con:
        con.register("observations", numbered)
        repeated = con.execute(_DUPLICATES).fetchall()
    if not repeated:
        return
    for _, sheet, row, value, column, first_sheet, first_row, first_value in repeated:
        if value != first_value and not (value is None and first_value is None):
            parsed.problems.append(
                Problem(
                    sheet,
                    row,
                    column or None,
                    text_of(value),
                    "err.conflict",
                    (("first", first_row), ("sheet", first_sheet)),
                )
            )
    drop = pa.array([r[0] for r in repeated], pa.int64())
    keep = pc.invert(pc.is_in(numbered["position"], value_set=drop))
    parsed.observations = table.filter(keep)
