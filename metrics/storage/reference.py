"""Reference data: the alliances, their partners (stakeholders) and the shared indicator
catalogue, as an account reads them, and the history of their changes by upload.

An upload writes reference data in place and keeps, field by field, the value before and after
(``reference_change``): rolling it back restores them, and a funder reads each field as the
latest validated upload left it (DESIGN, "Validation": reference data follows the values).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb
import pandas as pd

from metrics.base import catalog
from metrics.base.access import Reader
from metrics.storage.backend import retried
from metrics.storage.database import Database, registered
from metrics.storage.scope import ALLIANCE_FILTER, LIVE_INDICATOR, SUMMARY_SCOPE, scoped

# The reference data an upload may change, by table: its key column and its fields, with their
# SQL types (``reference_change`` keeps each change as text).
ALLIANCE_FIELDS = (
    "territory",
    "territory_code",
    "population",
    "theme",
    "started",
    "stage",
    "latitude",
    "longitude",
)
INDICATOR_FIELDS = ("label_fr", "label_en", "dimension", "unit", "direction", "aggregation")
# What a value may be: a file that leaves them blank keeps those there are, as a description.
BOUNDS = ("minimum", "maximum", "whole")
REFERENCE_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "alliance": ("id", ALLIANCE_FIELDS),
    "stakeholder": ("id", ("type",)),
    "indicator": ("code", (*INDICATOR_FIELDS, "description_fr", "description_en", *BOUNDS)),
}
REFERENCE_TYPES = {
    "population": "BIGINT",
    "started": "DATE",
    "latitude": "DOUBLE",
    "longitude": "DOUBLE",
    "minimum": "DOUBLE",
    "maximum": "DOUBLE",
    "whole": "BOOLEAN",
}


def _published(entity: str, alias: str, members: str, join: str = "") -> str:
    """SQL: table ``entity`` as an account reads it, under ``alias``, one row per row of the
    table.

    Where ``members`` (SQL) is true, the account reads the latest submitted state: the table as
    the writes leave it (an upload writes reference data in place, ``set_references``). Else it
    reads as a funder: each field the value that the latest validated upload still standing
    gave it, else the value it had before any upload changed it. ``published`` says whether an
    upload still standing (validated, for a funder) declared the row, or none ever changed it
    (data from before the history of changes was kept)."""
    key_column, fields = REFERENCE_FIELDS[entity]
    live = "u.validated_at IS NOT NULL AND u.rolled_back_at IS NULL"
    per_field = ",\n".join(
        f"arg_max_null(c.new_value, c.upload_id) FILTER (WHERE c.field = '{f}' AND {live}) "
        f'AS "{f}_validated", '
        f"bool_or(c.field = '{f}' AND {live}) AS \"{f}_is_validated\", "
        f"arg_min_null(c.old_value, c.upload_id) FILTER (WHERE c.field = '{f}') "
        f'AS "{f}_before", bool_or(c.field = \'{f}\') AS "{f}_changed"'
        for f in fields
    )
    shown = ",\n".join(
        f'CASE WHEN {members} OR NOT coalesce(r."{f}_changed", FALSE) THEN t.{f} '
        f'WHEN r."{f}_is_validated" '
        f'THEN TRY_CAST(r."{f}_validated" AS {REFERENCE_TYPES.get(f, "VARCHAR")}) '
        f'ELSE TRY_CAST(r."{f}_before" AS {REFERENCE_TYPES.get(f, "VARCHAR")}) END AS {f}'
        for f in fields
    )
    # Table and column names come from REFERENCE_FIELDS, not from users.
    return f"""(
SELECT t.* EXCLUDE ({", ".join(fields)}), {shown},
       r.entity_id IS NULL OR CASE WHEN {members} THEN r.standing ELSE r.published END
           AS published
FROM {entity} t {join}
LEFT JOIN (
    SELECT c.entity_id, bool_or({live}) AS published,
           bool_or(u.rolled_back_at IS NULL) AS standing, {per_field}
    FROM reference_change c JOIN upload u ON u.id = c.upload_id
    WHERE c.entity = '{entity}'
    GROUP BY c.entity_id
) r ON r.entity_id = CAST(t.{key_column} AS VARCHAR)
) {alias}"""


# Alliances and partners as the account reads them: in full for the alliances it holds a role
# on, as validated for those it funds. The catalogue of indicators is shared: an account that
# holds no role anywhere (a funder) reads it as validated.
ALLIANCE_READ = _published("alliance", "a", "($all_scope OR list_contains($full, t.name))")
STAKEHOLDER_READ = _published(
    "stakeholder",
    "s",
    "($all_scope OR list_contains($full, ta.name))",
    "JOIN alliance ta ON ta.id = t.alliance_id",
)
INDICATOR_READ = _published("indicator", "i", "($all_scope OR len($full) > 0)")
# A partner is listed while an upload still standing declared it (validated, for a funder).
PARTNER_SHOWN = "s.published"

ALLIANCES = f"""
SELECT a.name, a.territory, a.territory_code, a.population, a.theme, a.started, a.stage,
       a.latitude, a.longitude,
       coalesce(p.stakeholders, 0) AS stakeholders,
       coalesce(m.indicators, 0) AS indicators,
       coalesce(m.observations, 0) AS observations,
       m.first_period, m.last_period
FROM {ALLIANCE_READ}
LEFT JOIN (SELECT s.alliance_id, count(*) AS stakeholders FROM {STAKEHOLDER_READ}
           WHERE {PARTNER_SHOWN} GROUP BY s.alliance_id) p ON p.alliance_id = a.id
LEFT JOIN alliance_summary m ON m.alliance_id = a.id AND {SUMMARY_SCOPE}
WHERE {ALLIANCE_FILTER}
ORDER BY a.name
"""

STAKEHOLDERS = f"""
SELECT a.name AS alliance, s.name AS stakeholder, s.type
FROM {STAKEHOLDER_READ} JOIN alliance a ON a.id = s.alliance_id
WHERE {ALLIANCE_FILTER} AND {PARTNER_SHOWN} AND ($alliance IS NULL OR a.name = $alliance)
ORDER BY a.name, s.name
"""

INDICATOR_COLUMNS = (
    "code",
    "label_fr",
    "label_en",
    "dimension",
    "unit",
    "direction",
    "aggregation",
    "description_fr",
    "description_en",
    *BOUNDS,
    "builtin",
)
INDICATORS = (
    f"SELECT {', '.join(INDICATOR_COLUMNS)} FROM {INDICATOR_READ} "
    f"WHERE {LIVE_INDICATOR} ORDER BY dimension, code"
)
INDICATOR_CODES = "SELECT code FROM indicator"
# The built-in indicators the store holds without bounds (stored before they had any).
UNBOUNDED_BUILTINS = (
    "SELECT code FROM indicator WHERE builtin "
    "AND minimum IS NULL AND maximum IS NULL AND whole IS NULL"
)
SET_BUILTIN_BOUNDS = (
    "UPDATE indicator SET minimum = b.minimum, maximum = b.maximum, whole = b.whole "
    "FROM bounds b WHERE indicator.code = b.code"
)
INSERT_BUILTIN = (
    f"INSERT INTO indicator ({', '.join(INDICATOR_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in INDICATOR_COLUMNS)})"
)


class ReferenceData:
    """Alliances, partners and the indicator catalogue, read by account."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def alliances(self, actor: Reader) -> pd.DataFrame:
        """One row per alliance ``actor`` reads, with how much data it has and up to when."""
        return self.db.frame(ALLIANCES, {**scoped(actor, None), "as_of": None})

    def alliance_names(self, actor: Reader) -> list[str]:
        return list(self.alliances(actor)["name"])

    def stakeholders(self, actor: Reader, alliance: str | None = None) -> pd.DataFrame:
        return self.db.frame(STAKEHOLDERS, scoped(actor, alliance))

    def indicators(self, actor: Reader) -> pd.DataFrame:
        """The indicator catalog (shared by every alliance, readable by every account; an
        account that holds no role on any alliance, a funder, reads it as validated)."""
        return self.db.frame(INDICATORS, actor.read_params())

    @retried
    def load_catalog(self) -> None:
        """The built-in indicators (``metrics.base.catalog``) that the database lacks, added;
        those it holds without bounds (stored before indicators had any) take theirs."""
        rows = [
            (
                i.code,
                i.label_fr,
                i.label_en,
                i.dimension,
                i.unit,
                i.direction,
                i.aggregation,
                i.help_fr,
                i.help_en,
                i.minimum,
                i.maximum,
                i.whole,
                True,
            )
            for i in catalog.CATALOG
        ]
        with self.db.cursor() as cur:  # (no write, and so no turn, when nothing is missing)
            present = {r[0] for r in cur.execute(INDICATOR_CODES).fetchall()}
            unbounded = {r[0] for r in cur.execute(UNBOUNDED_BUILTINS).fetchall()}
        if all(r[0] in present for r in rows) and not unbounded & catalog.BY_CODE.keys():
            return
        with self.db.transaction() as cur:
            present = {r[0] for r in cur.execute(INDICATOR_CODES).fetchall()}
            missing = [r for r in rows if r[0] not in present]
            if missing:
                cur.executemany(INSERT_BUILTIN, missing)
            unbounded = {r[0] for r in cur.execute(UNBOUNDED_BUILTINS).fetchall()}
            bounds = [(r[0], *r[-4:-1]) for r in rows if r[0] in unbounded]
            if bounds:
                with registered(cur, "bounds", ("code", *BOUNDS), bounds):
                    cur.execute(SET_BUILTIN_BOUNDS)


# -- the history of changes ----------------------------------------------------------------------

INSERT_CHANGES = (
    "INSERT INTO reference_change "
    "(upload_id, entity, entity_id, field, old_value, new_value) SELECT * FROM changes"
)
# The whole history of every field an upload changed, oldest change first.
FIELDS_HISTORY = """
SELECT c.entity, c.entity_id, c.field, c.old_value, c.new_value, u.rolled_back_at IS NULL
FROM reference_change c JOIN upload u ON u.id = c.upload_id
JOIN (SELECT DISTINCT entity, entity_id, field FROM reference_change WHERE upload_id = ?) w
  ON w.entity = c.entity AND w.entity_id = c.entity_id AND w.field = c.field
ORDER BY c.upload_id
"""
CHANGE_COLUMNS = ("upload_id", "entity", "entity_id", "field", "old_value", "new_value")


def _reference_rows(
    cur: duckdb.DuckDBPyConnection, entity: str, keys: list[Any]
) -> dict[str, dict[str, str | None]]:
    """The fields of the rows of ``entity`` whose key is in ``keys``, as text, by key as text."""
    key_column, fields = REFERENCE_FIELDS[entity]
    # Table and column names come from REFERENCE_FIELDS; the keys are bound.
    columns = ", ".join(f"CAST({f} AS VARCHAR)" for f in (key_column, *fields))
    found = cur.execute(
        f"SELECT {columns} FROM {entity} WHERE list_contains(?, {key_column})", [keys]
    ).fetchall()
    return {row[0]: dict(zip(fields, row[1:], strict=True)) for row in found}


def set_references(
    cur: duckdb.DuckDBPyConnection,
    upload_id: int,
    entity: str,
    rows: Iterable[tuple[Any, dict[str, Any]]],
) -> None:
    """Write reference fields of rows of ``entity`` (each its key and the values it gives) and
    keep, field by field, the value before and after (``reference_change``), so that rolling
    the upload back restores them. A field the upload states with the value it already has is
    kept too: should an earlier upload that set it be rolled back, this one still says so.

    Set-based, whatever the number of rows: the values before, an update per set of fields
    given, the values after, the changes (on a shared backend each statement is a round trip)."""
    rows = [(k, values) for k, values in rows if k is not None and values]
    if not rows:
        return
    key_column, allowed = REFERENCE_FIELDS[entity]
    keys = [k for k, _ in rows]
    before = _reference_rows(cur, entity, keys)
    by_fields: dict[tuple[str, ...], list[tuple[Any, dict[str, Any]]]] = {}
    for row in rows:
        by_fields.setdefault(tuple(row[1]), []).append(row)
    for fields, members in by_fields.items():
        assert set(fields) <= set(allowed)
        assignments = ", ".join(f"{f} = i.{f}" for f in fields)
        given = [(k, *values.values()) for k, values in members]
        with registered(cur, "given_fields", (key_column, *fields), given):
            # Table and column names come from REFERENCE_FIELDS; the values are bound.
            cur.execute(
                f"UPDATE {entity} SET {assignments} FROM given_fields i "
                f"WHERE {entity}.{key_column} = i.{key_column}"
            )
    after = _reference_rows(cur, entity, keys)
    changes = [
        (upload_id, entity, str(k), f, before[str(k)][f], after[str(k)][f])
        for k, values in rows
        for f in values
    ]
    with registered(cur, "changes", CHANGE_COLUMNS, changes):
        cur.execute(INSERT_CHANGES)


def restore_references(cur: duckdb.DuckDBPyConnection, upload_id: int) -> None:
    """After ``upload_id`` is rolled back: every reference field it changed takes the value of
    the latest change still standing, else the value before the first change. Set-based: the
    history of those fields in one query, an update per table and field."""
    history: dict[tuple[str, str, str], list[tuple[str | None, str | None, bool]]] = {}
    for entity, entity_id, field, old, new, kept in cur.execute(
        FIELDS_HISTORY, [upload_id]
    ).fetchall():
        history.setdefault((entity, entity_id, field), []).append((old, new, kept))
    restored: dict[tuple[str, str], list[tuple[str, str | None]]] = {}
    for (entity, entity_id, field), changes in history.items():
        if field not in REFERENCE_FIELDS[entity][1]:
            continue
        standing = [new for _, new, kept in changes if kept]
        value = standing[-1] if standing else changes[0][0]
        restored.setdefault((entity, field), []).append((entity_id, value))
    for (entity, field), values in restored.items():
        key_column = REFERENCE_FIELDS[entity][0]
        kind = REFERENCE_TYPES.get(field, "VARCHAR")
        with registered(cur, "restored", ("entity_id", "value"), values):
            # Table and column names come from REFERENCE_FIELDS; the values are bound.
            cur.execute(
                f"UPDATE {entity} SET {field} = CAST(i.value AS {kind}) FROM restored i "
                f"WHERE CAST({entity}.{key_column} AS VARCHAR) = i.entity_id"
            )
