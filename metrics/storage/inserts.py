"""What an import writes, inside its transaction: the upload, then each sheet's rows in a
step of its own (reference data in place with its history of changes, values and targets
appended, versioned rows of the scaling sheets), then the kept tables (``metrics.storage.kept``).

Only what the plan found added or changed is written; names are resolved to ids here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from metrics.base import clock
from metrics.base.access import Actor
from metrics.sheets.ingest import CONTRACT_ROWS, Parsed, Record, by_pair
from metrics.sheets.schema import TARGET_FRAME
from metrics.storage import backend, kept
from metrics.storage.contracts import (
    CONTRACT_COLUMN_FIELDS,
    CONTRACT_COLUMNS,
    CONTRACT_ROW_TABLES,
    ORDERED,
    REPLICATION_FIELDS,
    positions,
)
from metrics.storage.database import registered
from metrics.storage.plans import Plan, new_description
from metrics.storage.reference import (
    ALLIANCE_FIELDS,
    BOUNDS,
    INDICATOR_COLUMNS,
    INDICATOR_FIELDS,
    set_references,
)

INSERT_UPLOAD = (
    "INSERT INTO upload (id, file_name, sha256, size, uploaded_by, uploaded_at, content, "
    "added, changed, unchanged, missing, validated_at, validated_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_UPLOAD_ALLIANCES = (
    "INSERT INTO upload_alliance SELECT ?, id FROM alliance WHERE list_contains(?, name)"
)

# A name is new or it is the row there is: the store checks it (a shared backend keeps no
# UNIQUE constraint) and numbers the rows itself, in the file's order. Each in one statement.
INSERT_ALLIANCES = """
INSERT INTO alliance (id, name, upload_id)
SELECT (SELECT coalesce(max(id), 0) FROM alliance) + row_number() OVER (ORDER BY i.position),
       i.name, $upload
FROM new_alliances i
WHERE NOT EXISTS (SELECT 1 FROM alliance a WHERE a.name = i.name)
"""
INSERT_STAKEHOLDERS = """
INSERT INTO stakeholder (id, alliance_id, name, type, upload_id)
SELECT (SELECT coalesce(max(id), 0) FROM stakeholder)
           + row_number() OVER (ORDER BY i.position),
       a.id, i.name, i.type, $upload
FROM new_partners i JOIN alliance a ON a.name = i.alliance
WHERE NOT EXISTS (SELECT 1 FROM stakeholder s WHERE s.alliance_id = a.id AND s.name = i.name)
"""
DESCRIPTIONS = "SELECT code, description_fr, description_en FROM indicator"
# An indicator a file declares: the catalogue's columns but ``builtin`` (it is not).
NEW_INDICATOR_COLUMNS = tuple(c for c in INDICATOR_COLUMNS if c != "builtin")
INSERT_INDICATORS = f"""
INSERT INTO indicator ({", ".join(NEW_INDICATOR_COLUMNS)}, builtin, upload_id)
SELECT i.*, FALSE, $upload FROM new_indicators i
WHERE NOT EXISTS (SELECT 1 FROM indicator d WHERE d.code = i.code)
"""

# The ids of the alliances (and their partners) a file names.
ALLIANCE_IDS = "SELECT name, id FROM alliance WHERE list_contains(?, name)"
PARTNER_IDS = (
    "SELECT a.name, s.name, s.id FROM stakeholder s JOIN alliance a "
    "ON a.id = s.alliance_id WHERE list_contains(?, a.name)"
)
INSERT_OBSERVATIONS = """
INSERT INTO observation (upload_id, alliance_id, indicator_code, period, granularity,
                         period_start, period_end, stakeholder_id, value, comment,
                         source_sheet, source_row)
SELECT $upload, alliance_id, indicator, period, granularity, period_start, period_end,
       stakeholder_id, value, comment, source_sheet, source_row
FROM written
"""
INSERT_TARGETS = """
INSERT INTO target (upload_id, alliance_id, indicator_code, baseline_period, baseline,
                    target_period, target)
SELECT $upload, a.id, i.indicator, i.baseline_period, i.baseline, i.target_period, i.target
FROM incoming_targets i JOIN alliance a ON a.name = i.alliance
WHERE i.change <> 'unchanged'
"""

REPLICATION_VALUES = ("mode", "territory", *REPLICATION_FIELDS)
REPLICATION_COLUMNS = ("upload_id", *REPLICATION_VALUES)
CONTRACT_INSERTED = ("upload_id", "name", "indicator_code", *CONTRACT_COLUMNS)


def _contract_row_columns(kind: str) -> tuple[str, ...]:
    keys, fields = CONTRACT_ROWS[kind]
    return ("upload_id", "contract", *keys, *fields, *([ORDERED[kind]] if kind in ORDERED else []))


def _insert_by_alliance(
    cur: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...], rows: list[list[Any]]
) -> None:
    """``rows`` of ``table`` (each its ``columns``' values, then its alliance's name) in one
    statement, whatever their number, each alliance's id found by its name."""
    if not rows:
        return
    names = [f"c{n}" for n in range(len(columns))]
    quoted = ", ".join(f'"{c}"' for c in columns)
    with registered(cur, "incoming_rows", [*names, "alliance"], rows):
        # Table and column names come from the schema's declarations; the values are bound.
        cur.execute(
            f"INSERT INTO {table} ({quoted}, alliance_id) "
            f"SELECT {', '.join(f'i.{n}' for n in names)}, a.id "
            "FROM incoming_rows i JOIN alliance a ON a.name = i.alliance"
        )


# A row of the versioned sheets by where it comes from: (sheet kind, sheet, row).
Where = tuple[str, str, int]


def write_upload(
    cur: duckdb.DuckDBPyConnection, plan: Plan, actor: Actor, validate: bool = False
) -> int:
    """Write ``plan`` as a new upload by ``actor`` (validated at once with ``validate``);
    returns its number."""
    records = plan.parsed.records
    upload_id = _insert_upload(cur, plan, actor, validate)
    _insert_alliances(cur, upload_id, records["alliances"])
    _insert_stakeholders(cur, upload_id, records["stakeholders"])
    _insert_indicators(cur, upload_id, records["indicators"])
    _insert_observations(cur, upload_id, plan)
    _insert_targets(cur, upload_id, plan.diff)
    changed = _changed(plan.diff)
    _insert_rules(cur, upload_id, records["rules"], changed)
    _insert_replications(cur, upload_id, records["replications"], changed)
    _insert_contracts(cur, upload_id, records["contracts"], changed)
    for kind in CONTRACT_ROWS:
        _insert_contract_rows(cur, upload_id, kind, records[kind], changed)
    cur.execute(INSERT_UPLOAD_ALLIANCES, [upload_id, plan.alliances])
    kept.imported(cur, upload_id, validate, kept.touched_by(cur, upload_id))
    return upload_id


def _insert_upload(cur: duckdb.DuckDBPyConnection, plan: Plan, actor: Actor, validate: bool) -> int:
    parsed: Parsed = plan.parsed
    now = clock.now()
    upload_id = backend.next_id(cur, "upload")
    cur.execute(
        INSERT_UPLOAD,
        [
            upload_id,
            parsed.file_name,
            parsed.sha256,
            parsed.size,
            actor.email,
            now,
            parsed.content,
            plan.counts["added"],
            plan.counts["changed"],
            plan.counts["unchanged"],
            len(parsed.missing),
            now if validate else None,
            actor.email if validate else None,
        ],
    )
    return upload_id


def _insert_alliances(
    cur: duckdb.DuckDBPyConnection, upload_id: int, records: list[Record]
) -> None:
    """New alliances; the fields a row gives (not blank) written with their history."""
    if not records:
        return
    names = [r.values["alliance"] for r in records]
    with registered(
        cur, "new_alliances", ("name", "position"), list(zip(names, range(len(names))))
    ):
        cur.execute(INSERT_ALLIANCES, {"upload": upload_id})
    ids = dict(cur.execute(ALLIANCE_IDS, [names]).fetchall())
    given = [
        (
            ids.get(r.values["alliance"]),
            {f: r.values[f] for f in ALLIANCE_FIELDS if r.values[f] not in (None, "")},
        )
        for r in records
    ]
    set_references(cur, upload_id, "alliance", given)


def _insert_stakeholders(
    cur: duckdb.DuckDBPyConnection, upload_id: int, records: list[Record]
) -> None:
    """New partners; each one's type written with its history."""
    if not records:
        return
    new = [
        (r.values["alliance"], r.values["stakeholder"], r.values["type"], position)
        for position, r in enumerate(records)
    ]
    with registered(cur, "new_partners", ("alliance", "name", "type", "position"), new):
        cur.execute(INSERT_STAKEHOLDERS, {"upload": upload_id})
    alliances = sorted({r.values["alliance"] for r in records})
    ids = {(a, s): i for a, s, i in cur.execute(PARTNER_IDS, [alliances]).fetchall()}
    types = [
        (ids.get((r.values["alliance"], r.values["stakeholder"])), {"type": r.values["type"]})
        for r in records
    ]
    set_references(cur, upload_id, "stakeholder", types)


def _insert_indicators(
    cur: duckdb.DuckDBPyConnection, upload_id: int, records: list[Record]
) -> None:
    """New indicators; each definition written with its history (its description only when
    the file's changes it, ``plans.new_description``)."""
    if not records:
        return
    described = {code: (fr, en) for code, fr, en in cur.execute(DESCRIPTIONS).fetchall()}
    fields = {c: c for c in NEW_INDICATOR_COLUMNS} | {
        "code": "indicator",
        "description_fr": "description",
        "description_en": "description",
    }
    new = [[r.values[f] for f in fields.values()] for r in records]
    with registered(cur, "new_indicators", tuple(fields), new):
        cur.execute(INSERT_INDICATORS, {"upload": upload_id})
    definitions = []
    for record in records:
        v = record.values
        definition = {f: v[f] for f in INDICATOR_FIELDS if f in v}
        definition.update({f: v[f] for f in BOUNDS if v.get(f) is not None})
        if new_description(described.get(v["indicator"]), v["description"]):
            definition.update(description_fr=v["description"], description_en=v["description"])
        definitions.append((v["indicator"], definition))
    set_references(cur, upload_id, "indicator", definitions)


def _with_ids(cur: duckdb.DuckDBPyConnection, rows: pa.Table, alliances: list[str]) -> pa.Table:
    """The rows to write with their alliance's and partner's ids in place of names: each
    distinct name (or alliance and partner pair) looked up once, the ids spread by code."""
    rows = rows.unify_dictionaries().combine_chunks()
    alliance_ids = dict(cur.execute(ALLIANCE_IDS, [alliances]).fetchall())
    partner_ids = {(a, s): i for a, s, i in cur.execute(PARTNER_IDS, [alliances]).fetchall()}
    alliance, partner = rows["alliance"].chunk(0), rows["stakeholder"].chunk(0)
    names = alliance.dictionary.to_pylist()
    alliance_id = pa.array([alliance_ids.get(n) for n in names], pa.int32()).take(alliance.indices)
    partner_id = by_pair(
        alliance.indices, names, partner, lambda a, s: partner_ids.get((a, s)), pa.int32()
    )
    return rows.append_column("alliance_id", alliance_id).append_column(
        "stakeholder_id", partner_id
    )


def _insert_observations(cur: duckdb.DuckDBPyConnection, upload_id: int, plan: Plan) -> None:
    """The observations the file adds or changes, in one set-based insert."""
    if not plan.observations.num_rows:
        return
    cur.register("written", _with_ids(cur, plan.observations, plan.alliances))
    cur.execute(INSERT_OBSERVATIONS, {"upload": upload_id})
    cur.unregister("written")


def _insert_targets(cur: duckdb.DuckDBPyConnection, upload_id: int, diff: pd.DataFrame) -> None:
    """The targets the file adds or changes."""
    targets = diff[diff["kind"] == "targets"]
    if not len(targets):
        return
    cur.register("incoming_targets", targets[[*TARGET_FRAME, "change"]])
    cur.execute(INSERT_TARGETS, {"upload": upload_id})
    cur.unregister("incoming_targets")


INSERT_RULES = """
INSERT INTO plausibility_rule
    (upload_id, alliance_id, left_code, operator, right_code, right_value, factor)
SELECT $upload, a.id, i.left_code, i.operator, nullif(i.right_code, ''), i.right_value, i.factor
FROM incoming_rules i LEFT JOIN alliance a ON a.name = i.alliance
"""
RULE_COLUMNS = ("alliance", "left_code", "operator", "right_code", "right_value", "factor")


def _insert_rules(
    cur: duckdb.DuckDBPyConnection, upload_id: int, records: list[Record], changed: set[Where]
) -> None:
    """The rules between indicators the file adds or changes, in one statement."""
    rows = [
        (v["alliance"] or None, v["left"], v["operator"], v["right"], v["right_value"], v["factor"])
        for r in records
        if ("rules", r.sheet, r.row) in changed
        for v in (r.values,)
    ]
    if not rows:
        return
    with registered(cur, "incoming_rules", RULE_COLUMNS, rows):
        cur.execute(INSERT_RULES, {"upload": upload_id})


def _changed(diff: pd.DataFrame) -> set[Where]:
    """The rows of the versioned sheets (rules, replications, contracts and their rows) that
    the file adds or changes: only those are written."""
    versioned = diff[diff["kind"].isin(["rules", "replications", "contracts", *CONTRACT_ROWS])]
    return {
        (row["kind"], row["source_sheet"], row["source_row"])
        for row in versioned.to_dict("records")
        if row["change"] != "unchanged"
    }


def _written(kind: str, records: Iterable[Record], changed: set[Where]) -> list[Record]:
    return [r for r in records if (kind, r.sheet, r.row) in changed]


def _insert_replications(
    cur: duckdb.DuckDBPyConnection, upload_id: int, records: list[Record], changed: set[Where]
) -> None:
    rows = [
        [upload_id, *(r.values[f] for f in REPLICATION_VALUES), r.values["alliance"]]
        for r in _written("replications", records, changed)
    ]
    _insert_by_alliance(cur, "replication", REPLICATION_COLUMNS, rows)


def _insert_contracts(
    cur: duckdb.DuckDBPyConnection, upload_id: int, records: list[Record], changed: set[Where]
) -> None:
    rows = [
        [
            upload_id,
            r.values["contract"],
            r.values["indicator"],
            *(r.values[CONTRACT_COLUMN_FIELDS.get(c, c)] for c in CONTRACT_COLUMNS),
            r.values["alliance"],
        ]
        for r in _written("contracts", records, changed)
    ]
    _insert_by_alliance(cur, "outcome_contract", CONTRACT_INSERTED, rows)


def _insert_contract_rows(
    cur: duckdb.DuckDBPyConnection,
    upload_id: int,
    kind: str,
    records: list[Record],
    changed: set[Where],
) -> None:
    """One of the contracts' sheets (rate cards, payers, investments, payments)."""
    keys, fields = CONTRACT_ROWS[kind]
    names = (*keys, *fields)
    places = positions(records) if kind in ORDERED else {}
    rows = [
        [
            upload_id,
            r.values["contract"],
            *map(r.values.get, names),
            *([places[(r.sheet, r.row)]] if places else []),
            r.values["alliance"],
        ]
        for r in _written(kind, records, changed)
    ]
    _insert_by_alliance(cur, CONTRACT_ROW_TABLES[kind], _contract_row_columns(kind), rows)
