"""What a file holds once read: typed records by sheet, its observations as Arrow columns, and
the problems and missing values found (``Parsed``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from metrics.base.periods import Period
from metrics.sheets.problem import Problem
from metrics.sheets.schema import KINDS, OBSERVATION_FRAME

Progress = Callable[[float, str], None]  # how far a file has got (0 to 1), and the stage's key
CODED = pa.dictionary(pa.int32(), pa.string())  # text kept as codes into its distinct values
# Where each field came from, as the user sees it ("valeur (D)"), for problems found later.
LABELS = {f: f"label_{f}" for f in ("alliance", "indicator", "period", "value", "stakeholder")}
# The observations of a file, as columns: one row per value, ready to be compared and written
# (``schema.OBSERVATION_FRAME``), then where each field came from.
_NOT_CODED = {
    "period_start": pa.date32(),
    "period_end": pa.date32(),
    "value": pa.float64(),
    "source_row": pa.int64(),
}
OBSERVATION_SCHEMA = pa.schema(
    [
        *[(name, _NOT_CODED.get(name, CODED)) for name in OBSERVATION_FRAME],
        *[(label, CODED) for label in LABELS.values()],
    ]
)


@dataclass
class Record:
    """One typed row of a sheet: its kind, where it came from (``sheet``, ``row``), its values
    by field, and each field's column as the user sees it."""

    kind: str
    sheet: str
    row: int
    values: dict[str, Any]
    columns: dict[str, str]


def empty_observations() -> pa.Table:
    return OBSERVATION_SCHEMA.empty_table()


@dataclass
class Parsed:
    """What a file holds once read; ``problems`` empty means it can be written.

    Observations, the large part of any file, are kept as columns (``observations``); every
    other sheet as ``records``.
    """

    file_name: str
    content: bytes
    sha256: str
    records: dict[str, list[Record]] = field(default_factory=lambda: _Records())
    observations: pa.Table = field(default_factory=empty_observations)
    problems: list[Problem] = field(default_factory=list)
    # (sheet, row, column, what the cell held: "" when empty, an error's name such as #DIV/0!)
    missing: list[tuple[str, int, str, str]] = field(default_factory=list)
    sheets_read: list[tuple[str, str]] = field(default_factory=list)
    sheets_ignored: list[str] = field(default_factory=list)
    sheets_empty: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if isinstance(self.records, _Records):
            self.records.parsed = self

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def size(self) -> int:
        return len(self.content)

    def alliance_names(self) -> set[str]:
        """Every alliance name the file's rows hold, whatever the sheet."""
        names = {
            str(record.values["alliance"])
            for kind, records in self.records.items()
            if kind != "observations"
            for record in records
            if record.values.get("alliance")
        }
        return names | {str(n) for n in pc.unique(self.observations["alliance"]).to_pylist() if n}


class _Records(dict):  # type: ignore[type-arg]
    """Records by sheet kind; observations, kept as columns, are turned into records only
    when asked for by name (a view for callers that read them one by one)."""

    parsed: Parsed | None = None

    def __init__(self) -> None:
        super().__init__({k: [] for k in KINDS if k != "observations"})

    def __getitem__(self, kind: str) -> list[Record]:
        if kind == "observations":
            return _observation_records(self.parsed.observations if self.parsed else None)
        return super().__getitem__(kind)  # type: ignore[no-any-return]


def _observation_records(table: pa.Table | None) -> list[Record]:
    if table is None or not table.num_rows:
        return []
    records = []
    for row in table.to_pylist():
        period = (
            Period(row["period_start"], row["granularity"]) if row["period"] is not None else None
        )
        values = {
            "alliance": row["alliance"],
            "indicator": row["indicator"],
            "period": period,
            "value": row["value"],
            "stakeholder": row["stakeholder"],
            "comment": row["comment"],
        }
        columns = {f: row[label] for f, label in LABELS.items() if row[label]}
        records.append(
            Record("observations", row["source_sheet"], row["source_row"], values, columns)
        )
    return records
