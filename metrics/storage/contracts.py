"""The scaling sheets as an account reads them: replication sites and outcome contracts (with
their rate cards, payers, investments and payments), each row versioned by upload like the
values (the latest row of each key from an upload still standing)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from metrics.base.access import Reader
from metrics.sheets.ingest import CONTRACT_ROWS
from metrics.sheets.parsed import Record
from metrics.storage.database import Database
from metrics.storage.scope import SCOPE_FILTER, VISIBLE, scoped

REPLICATION_FIELDS = (
    "territory_code",
    "started",
    "status",
    "beneficiaries",
    "latitude",
    "longitude",
    "note",
)
REPLICATIONS = f"""
WITH {VISIBLE}
SELECT a.name AS alliance, r.mode, r.territory, r.territory_code, r.started, r.status,
       r.beneficiaries, r.latitude, r.longitude, r.note, r.upload_id
FROM replication r
JOIN visible v ON v.id = r.upload_id
JOIN alliance a ON a.id = r.alliance_id
WHERE {SCOPE_FILTER} AND ($alliance IS NULL OR a.name = $alliance)
QUALIFY row_number() OVER (PARTITION BY r.alliance_id, r.mode, lower(r.territory)
                           ORDER BY r.upload_id DESC) = 1
ORDER BY alliance, r.started NULLS LAST, r.territory
"""

CONTRACT_COLUMNS = (
    "commissioner",
    "investors",
    "capital",
    "currency",
    "start_date",
    "end_date",
    "cohort_size",
    "baseline",
    "per",
    "cohort_threshold",
    "overall_threshold",
    "price",
    "payment_cap",
    "return_cap",
    "saving_per_unit",
    "population",
    "illustrative",
    "surplus",
    "provider_share",
    "recycle_until",
    "exchange_rates",
    "person_cap",
)
# Field names of the spreadsheet contract -> columns of outcome_contract.
CONTRACT_FIELD_COLUMNS = {"start": "start_date", "end": "end_date"}
CONTRACT_COLUMN_FIELDS = {column: name for name, column in CONTRACT_FIELD_COLUMNS.items()}
CONTRACTS = """
WITH {visible}
SELECT c.name AS contract, a.name AS alliance, c.indicator_code AS indicator,
       {columns}, c.upload_id
FROM outcome_contract c
JOIN visible v ON v.id = c.upload_id
JOIN alliance a ON a.id = c.alliance_id
WHERE {scope} AND ($alliance IS NULL OR a.name = $alliance)
QUALIFY row_number() OVER (PARTITION BY c.alliance_id, lower(c.name)
                           ORDER BY c.upload_id DESC) = 1
ORDER BY c.name, a.name
""".format(
    visible=VISIBLE,
    scope=SCOPE_FILTER,
    columns=", ".join(f"c.{column}" for column in CONTRACT_COLUMNS),
)

# A contract's rows by sheet (``ingest.CONTRACT_ROWS``: their key within the contract, their
# other fields): the table, and the current rows of the contracts an account reads.
CONTRACT_ROW_TABLES = {
    "prices": "outcome_price",
    "payers": "outcome_payer",
    "investments": "investment",
    "payments": "outcome_payment",
    "participants": "participant_result",
}

# The sheets whose rows keep the order they were given in (their row in the sheet): a rate
# card's order is the contract's (a cap that binds within a period cuts the outcomes last).
ORDERED = {"prices": "position"}


def positions(records: Iterable[Record]) -> dict[tuple[str, int], int]:
    """Each row's place among its contract's rows in the file (1, 2, …), by its sheet and
    row: what is stored, so that a row moved up or down changes the contract (a row added
    above others moves them too: the card's order is a term of the contract)."""
    seen: dict[tuple[str, str], int] = {}
    places = {}
    for record in sorted(records, key=lambda r: (r.sheet, r.row)):
        contract = (str(record.values["alliance"]), str(record.values["contract"]).casefold())
        seen[contract] = seen.get(contract, 0) + 1
        places[(record.sheet, record.row)] = seen[contract]
    return places


def _contract_rows_sql(kind: str) -> str:
    keys, fields = CONTRACT_ROWS[kind]
    order = ORDERED.get(kind)
    columns = ", ".join(f't."{c}"' for c in (*keys, *fields, *([order] if order else [])))
    partition = ", ".join(f'lower(CAST(t."{c}" AS VARCHAR))' for c in keys)
    by = ", ".join([*([f"t.{order} NULLS LAST"] if order else []), *(f't."{c}"' for c in keys)])
    return f"""
WITH {VISIBLE}
SELECT t.contract, a.name AS alliance, {columns}, t.upload_id
FROM {CONTRACT_ROW_TABLES[kind]} t
JOIN visible v ON v.id = t.upload_id
JOIN alliance a ON a.id = t.alliance_id
WHERE {SCOPE_FILTER} AND ($alliance IS NULL OR a.name = $alliance)
QUALIFY row_number() OVER (PARTITION BY t.alliance_id, lower(t.contract), {partition}
                           ORDER BY t.upload_id DESC) = 1
ORDER BY t.contract, a.name, {by}
"""


CONTRACT_ROWS_SQL = {kind: _contract_rows_sql(kind) for kind in CONTRACT_ROW_TABLES}


class Contracts:
    """Replication sites and outcome contracts of the alliances an account reads."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def replications(
        self, actor: Reader, alliance: str | None = None, as_of: int | None = None
    ) -> pd.DataFrame:
        """Current replication sites of the alliances the account reads."""
        return self.db.frame(REPLICATIONS, {**scoped(actor, alliance), "as_of": as_of})

    def contracts(
        self, actor: Reader, alliance: str | None = None, as_of: int | None = None
    ) -> pd.DataFrame:
        """Current outcome contracts of the alliances the account reads."""
        return self.db.frame(CONTRACTS, {**scoped(actor, alliance), "as_of": as_of})

    def contract_rows(
        self, actor: Reader, kind: str, alliance: str | None = None, as_of: int | None = None
    ) -> pd.DataFrame:
        """The current rows of one of the contracts' sheets (``prices``, ``payers``,
        ``investments``, ``payments``) of the alliances the account reads."""
        return self.db.frame(CONTRACT_ROWS_SQL[kind], {**scoped(actor, alliance), "as_of": as_of})

    def contract_sheets(self, actor: Reader) -> dict[str, pd.DataFrame]:
        """``contract_rows`` of every kind, by kind (what ``reports.contract`` takes)."""
        return {kind: self.contract_rows(actor, kind) for kind in CONTRACT_ROWS}
