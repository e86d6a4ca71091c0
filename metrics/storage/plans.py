"""What an import would do: a parsed file compared with the data as it stands, row by row
(added, changed, unchanged), and whether the acting account may write it. Writes nothing.

Observations are compared by key in DuckDB and stay in Arrow, where they are counted, shown and
written from; the other sheets are compared in Python against the current rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from metrics.base.access import Actor
from metrics.base.errors import AccessDenied
from metrics.sheets.ingest import CONTRACT_ROWS, Known, Parsed, Record, resolve
from metrics.sheets.schema import OBSERVATION_FRAME, TARGET_FRAME
from metrics.storage.contracts import (
    CONTRACT_FIELD_COLUMNS,
    CONTRACT_ROWS_SQL,
    CONTRACTS,
    ORDERED,
    REPLICATION_FIELDS,
    REPLICATIONS,
    positions,
)
from metrics.storage.database import bound
from metrics.storage.observations import CURRENT_OBSERVATIONS, CURRENT_TARGETS
from metrics.storage.reference import ALLIANCE_FIELDS, BOUNDS, INDICATOR_FIELDS
from metrics.storage.rules import CURRENT_RULES
from metrics.storage.scope import LIVE_ALLIANCE, LIVE_INDICATOR, LIVE_PARTNER, NOW_EVERYWHERE


@dataclass
class Plan:
    """What an import would do: the parsed file and, per row, whether it adds or changes."""

    parsed: Parsed
    diff: pd.DataFrame
    counts: dict[str, int] = field(default_factory=dict)
    alliances: list[str] = field(default_factory=list)  # every alliance the file touches
    not_shown: int = 0  # observations added or changed beyond the first ones in ``diff``
    # Every observation the file adds or changes, as it will be written (Arrow)
    observations: pa.Table = field(default_factory=lambda: pa.table({}))
    refusal: AccessDenied | None = None  # why the acting account may not write it

    @property
    def ok(self) -> bool:
        return self.parsed.ok

    @property
    def writes(self) -> bool:
        return self.counts.get("added", 0) + self.counts.get("changed", 0) > 0


# The file's observations against the current ones, key by key, in DuckDB: the rows a file adds
# or changes, by their position in the file.
DIFF_OBSERVATIONS = f"""
WITH current AS ({CURRENT_OBSERVATIONS})
SELECT i.position, c.value AS old_value,
       CASE WHEN c.value IS NULL THEN 'added' ELSE 'changed' END AS change
FROM incoming i
LEFT JOIN current c USING (alliance, indicator, period, stakeholder)
WHERE c.value IS NULL OR c.value <> i.value OR c.comment <> i.comment
ORDER BY i.position
"""
# The first changes, shown before the import (the others are counted).
FIRST_CHANGES = """
SELECT * EXCLUDE (position) FROM changes
ORDER BY source_sheet, source_row, period_start LIMIT $shown
"""
SHOWN_CHANGES = 1000

DIFF_TARGETS = f"""
WITH current AS ({CURRENT_TARGETS})
SELECT i.*, c.target AS old_target,
       CASE WHEN c.target IS NULL THEN 'added'
            WHEN (c.baseline_period, c.baseline, c.target_period, c.target)
                 <> (i.baseline_period, i.baseline, i.target_period, i.target) THEN 'changed'
            ELSE 'unchanged' END AS change
FROM incoming_targets i
LEFT JOIN current c USING (alliance, indicator)
ORDER BY i.source_row
"""

# What the store holds now, to compare a file's declarations with: what a rolled-back upload
# alone created is no longer there, and declaring it again adds it back.
STORED_ALLIANCES = (
    f"SELECT a.name, {', '.join('a.' + f for f in ALLIANCE_FIELDS)} FROM alliance a "
    f"WHERE {LIVE_ALLIANCE}"
)
PARTNER_TYPES = (
    "SELECT a.name, s.name, s.type FROM stakeholder s JOIN alliance a ON a.id = s.alliance_id "
    f"WHERE {LIVE_ALLIANCE} AND {LIVE_PARTNER}"
)
DEFINITIONS = (
    f"SELECT code, {', '.join(INDICATOR_FIELDS)}, {', '.join(BOUNDS)}, description_fr, "
    f"description_en FROM indicator i WHERE {LIVE_INDICATOR}"
)

NO_CHANGE = {"added": 0, "changed": 0, "unchanged": 0}


def plan(cur: duckdb.DuckDBPyConnection, parsed: Parsed, actor: Actor, known: Known) -> Plan:
    """``parsed`` resolved against what ``actor`` may refer to (``known``) and compared with
    the data as it stands, with why the account may not write it (``Plan.refusal``)."""
    resolve(parsed, known)
    parsed.problems.sort(key=lambda p: (p.sheet, p.row or 0))
    if not parsed.ok:
        return Plan(parsed, pd.DataFrame(), dict(NO_CHANGE))
    changes, written, first = _diff_observations(cur, observation_frame(parsed.observations))
    diff = _combined([diff_reference(cur, parsed), first, _diff_targets(cur, parsed)])
    others = diff[diff["kind"] != "observations"]
    counts = {c: int((others["change"] == c).sum()) + changes[c] for c in NO_CHANGE}
    shown = int((diff["kind"] == "observations").sum())
    result = Plan(parsed, diff, counts, alliances=sorted(parsed.alliance_names()))
    result.observations = written
    result.not_shown = changes["added"] + changes["changed"] - shown
    result.refusal = write_refusal(actor, result)
    return result


def _combined(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The diffs of every sheet in one frame (``kind`` says which sheet)."""
    if not any(len(p) for p in parts):
        return pd.DataFrame(columns=["kind", "change"])
    return pd.concat([p for p in parts if len(p)], ignore_index=True)


def observation_frame(observations: pa.Table) -> pa.Table:
    """The file's observations as the store compares and writes them (Arrow: DuckDB reads it
    in place)."""
    return observations.select(OBSERVATION_FRAME)


def _empty_changes(observations: pa.Table) -> pa.Table:
    return (
        observations.slice(0, 0)
        .append_column("position", pa.array([], pa.int64()))
        .append_column("old_value", pa.array([], pa.float64()))
        .append_column("change", pa.array([], pa.string()))
    )


def _diff_observations(
    cur: duckdb.DuckDBPyConnection, observations: pa.Table
) -> tuple[dict[str, int], pa.Table, pd.DataFrame]:
    """How many observations the file adds, changes and leaves unchanged; those it adds or
    changes, with their old value (Arrow); the first of them, to show."""
    changes = dict(NO_CHANGE)
    if not observations.num_rows:
        return changes, _empty_changes(observations), pd.DataFrame()
    numbered = observations.append_column(
        "position", pa.array(np.arange(observations.num_rows), pa.int64())
    )
    cur.register("incoming", numbered)
    found = (
        cur.execute(DIFF_OBSERVATIONS, bound(DIFF_OBSERVATIONS, NOW_EVERYWHERE)).arrow().read_all()
    )
    cur.unregister("incoming")
    # A first import changes every row: no copy of them is needed.
    every = found.num_rows == numbered.num_rows  # positions come in order
    written = numbered if every else numbered.take(found["position"])
    written = written.append_column("old_value", found["old_value"])
    written = written.append_column("change", found["change"])
    for counted in pc.value_counts(found["change"]).to_pylist():
        changes[str(counted["values"])] = int(counted["counts"])
    changes["unchanged"] = observations.num_rows - changes["added"] - changes["changed"]
    cur.register("changes", written)
    first = cur.execute(FIRST_CHANGES, {"shown": SHOWN_CHANGES}).df()
    cur.unregister("changes")
    return changes, written, first.assign(kind="observations")


def target_frame(records: list[Record]) -> pd.DataFrame:
    rows = [
        (
            r.values["alliance"],
            r.values["indicator"],
            r.values["baseline_period"].canonical,
            float(r.values["baseline"]),
            r.values["target_period"].canonical,
            float(r.values["target"]),
            r.sheet,
            r.row,
        )
        for r in records
    ]
    frame = pd.DataFrame(rows, columns=TARGET_FRAME)
    return frame.astype(
        {
            "baseline": "float64",
            "target": "float64",
            "source_row": "int64",
            "alliance": "str",
            "indicator": "str",
        }
    )


def _diff_targets(cur: duckdb.DuckDBPyConnection, parsed: Parsed) -> pd.DataFrame:
    targets = target_frame(parsed.records["targets"])
    if not len(targets):
        return pd.DataFrame()
    cur.register("incoming_targets", targets)
    diff = cur.execute(DIFF_TARGETS, NOW_EVERYWHERE).df().assign(kind="targets")
    cur.unregister("incoming_targets")
    return diff


def _change(old: Any, new: Any, differs: Callable[[Any, Any], bool]) -> str:
    """``added`` when there is no ``old`` row, else ``changed`` or ``unchanged`` as ``differs``
    finds the file's ``new`` row."""
    if old is None:
        return "added"
    return "changed" if differs(old, new) else "unchanged"


def _restates(old: dict[str, Any], given: dict[str, Any]) -> bool:
    """Whether a field a row gives (not blank) differs from the stored one."""
    return any(old[f] != given[f] for f in given)


def _fields_differ(old: dict[str, Any], new: dict[str, Any], fields: Iterable[str]) -> bool:
    """Whether one of ``fields`` differs between the stored row and the file's (``_same``)."""
    return any(not _same(old[f], new[f]) for f in fields)


def _contract_differs(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Whether a field of a contract differs from the stored one."""
    fields = [f for f in new if f not in ("contract", "alliance")]
    return any(not _same(old[CONTRACT_FIELD_COLUMNS.get(f, f)], new[f]) for f in fields)


def _row(kind: str, record: Record, change: str, **fields: Any) -> dict[str, Any]:
    """One row of the diff: its sheet, what the row is (``fields``), its change, and where it
    comes from in the file."""
    where = {"source_sheet": record.sheet, "source_row": record.row}
    return {"kind": kind, **fields, "change": change, **where}


def diff_reference(cur: duckdb.DuckDBPyConnection, parsed: Parsed) -> pd.DataFrame:
    """Every sheet but observations and targets: added, changed or unchanged."""
    rows = [
        *_diff_alliances(cur, parsed.records["alliances"]),
        *_diff_stakeholders(cur, parsed.records["stakeholders"]),
        *_diff_indicators(cur, parsed.records["indicators"]),
        *_diff_rules(cur, parsed.records["rules"]),
        *_diff_replications(cur, parsed.records["replications"]),
        *_diff_contracts(cur, parsed.records["contracts"]),
        *_diff_contract_rows(cur, parsed),
    ]
    return pd.DataFrame(rows)


def _diff_alliances(cur: duckdb.DuckDBPyConnection, records: list[Record]) -> list[dict[str, Any]]:
    """Alliances: changed when a non-blank field differs."""
    stored = {
        r[0]: dict(zip(("name", *ALLIANCE_FIELDS), r))
        for r in cur.execute(STORED_ALLIANCES).fetchall()
    }
    rows = []
    for record in records:
        v = record.values
        given = {f: v[f] for f in ALLIANCE_FIELDS if v[f] not in (None, "")}
        old = stored.get(v["alliance"])
        change = _change(old, given, _restates)
        rows.append(_row("alliances", record, change, alliance=v["alliance"]) | given)
    return rows


def _diff_stakeholders(
    cur: duckdb.DuckDBPyConnection, records: list[Record]
) -> list[dict[str, Any]]:
    types = {(r[0], r[1]): r[2] for r in cur.execute(PARTNER_TYPES).fetchall()}
    rows = []
    for record in records:
        v = record.values
        old_type = types.get((v["alliance"], v["stakeholder"]))
        change = _change(old_type, v["type"], operator.ne)
        partner = {"alliance": v["alliance"], "stakeholder": v["stakeholder"], "type": v["type"]}
        rows.append(_row("stakeholders", record, change, **partner))
    return rows


def _diff_indicators(cur: duckdb.DuckDBPyConnection, records: list[Record]) -> list[dict[str, Any]]:
    """Indicators: any field of the definition, the description included."""
    if not records:
        return []
    definitions = {r[0]: r[1:] for r in cur.execute(DEFINITIONS).fetchall()}
    rows = []
    for record in records:
        v = record.values
        change = _change(definitions.get(v["indicator"]), v, _redefines)
        rows.append(_row("indicators", record, change, indicator=v["indicator"]))
    return rows


def _diff_rules(cur: duckdb.DuckDBPyConnection, records: list[Record]) -> list[dict[str, Any]]:
    """Rules between indicators: by alliance (blank: every alliance), left indicator and right
    side; changed when the operator or the factor differs."""
    if not records:
        return []
    standing = {
        (r[0] or "", r[1], r[3] or "", r[4]): (r[2], r[5])
        for r in cur.execute(CURRENT_RULES, bound(CURRENT_RULES, NOW_EVERYWHERE)).fetchall()
    }
    rows = []
    for record in records:
        v = record.values
        old = standing.get((v["alliance"], v["left"], v["right"], v["right_value"]))
        change = _change(old, (v["operator"], v["factor"]), operator.ne)
        right = v["right"] or _number_text(v["right_value"])
        factor = "" if v["factor"] == 1 else f"{_number_text(v['factor'])} × "
        rule = {"alliance": v["alliance"], "indicator": v["left"]}
        rows.append(
            _row("rules", record, change, **rule, stakeholder=f"{v['operator']} {factor}{right}")
        )
    return rows


def _number_text(value: float) -> str:
    return f"{value:g}"


def _diff_replications(
    cur: duckdb.DuckDBPyConnection, records: list[Record]
) -> list[dict[str, Any]]:
    """Replication sites, by alliance, mode and territory, against the current ones."""
    if not records:
        return []
    sites = {
        (r["alliance"], r["mode"], r["territory"].casefold()): r
        for r in cur.execute(REPLICATIONS, NOW_EVERYWHERE).df().to_dict("records")
    }
    rows = []
    for record in records:
        v = record.values
        old = sites.get((v["alliance"], v["mode"], v["territory"].casefold()))
        change = _change(old, v, functools.partial(_fields_differ, fields=REPLICATION_FIELDS))
        site = {"alliance": v["alliance"], "stakeholder": v["territory"]}
        rows.append(_row("replications", record, change, **site))
    return rows


def _diff_contracts(cur: duckdb.DuckDBPyConnection, records: list[Record]) -> list[dict[str, Any]]:
    """Outcome contracts, by alliance and name, against the current ones."""
    if not records:
        return []
    contracts = {
        (r["alliance"], r["contract"].casefold()): r
        for r in cur.execute(CONTRACTS, NOW_EVERYWHERE).df().to_dict("records")
    }
    rows = []
    for record in records:
        v = record.values
        old = contracts.get((v["alliance"], v["contract"].casefold()))
        change = _change(old, v, _contract_differs)
        contract = {"indicator": v["indicator"], "stakeholder": v["contract"]}
        rows.append(_row("contracts", record, change, alliance=v["alliance"], **contract))
    return rows


def _diff_contract_rows(cur: duckdb.DuckDBPyConnection, parsed: Parsed) -> list[dict[str, Any]]:
    """The contracts' rows (rate cards, payers, investments, payments), by their key."""
    rows = []
    for kind, (keys, compared) in CONTRACT_ROWS.items():
        if not parsed.records[kind]:
            continue
        order = ORDERED.get(kind)
        places = positions(parsed.records[kind]) if order else {}
        fields = (*compared, order) if order else compared
        differs = functools.partial(_fields_differ, fields=fields)
        standing = {
            _row_key(r, keys): r
            for r in cur.execute(CONTRACT_ROWS_SQL[kind], NOW_EVERYWHERE).df().to_dict("records")
        }
        for record in parsed.records[kind]:
            v = record.values
            if order:  # a row moved within its rate card changes the contract
                v = {**v, order: places[(record.sheet, record.row)]}
            old = standing.get(_row_key(v, keys))
            change = _change(old, v, differs)
            owner = {"alliance": v["alliance"], "stakeholder": v["contract"]}
            rows.append(_row(kind, record, change, **owner))
    return rows


def write_refusal(actor: Actor, plan: Plan) -> AccessDenied | None:
    """Why ``actor`` may not write ``plan`` (``None`` when it may): it needs the ``upload``
    right on every alliance the file touches (only an admin creates an alliance), and only an
    admin adds or changes an indicator of the shared catalog, or a rule of every alliance."""
    refused = actor.refused("upload", plan.alliances)
    if refused:
        return AccessDenied.of("err.upload_denied", names=", ".join(refused))
    diff = plan.diff
    if not actor.admin and len(diff) and (diff["kind"] == "rules").any():
        rules = diff[(diff["kind"] == "rules") & (diff["change"] != "unchanged")]
        if (rules["alliance"].fillna("") == "").any():
            return AccessDenied.of("err.rule_denied")
    if not actor.admin and len(diff) and "indicator" in diff.columns:
        catalog_changes = diff[(diff["kind"] == "indicators") & (diff["change"] != "unchanged")]
        if len(catalog_changes):
            codes = ", ".join(sorted(set(catalog_changes["indicator"])))
            return AccessDenied.of("err.indicator_denied", codes=codes)
    return None


def new_description(stored: tuple[str, str] | None, given: str) -> bool:
    """Whether a file's description of an indicator changes it: a blank one keeps the one there
    is, and so does one that restates it in either language."""
    return bool(given) and (stored is None or given not in stored)


def _redefines(stored: tuple[Any, ...], given: dict[str, Any]) -> bool:
    """Whether a file's row of the ``indicators`` sheet changes the definition ``stored``
    (``INDICATOR_FIELDS``, the ``BOUNDS``, then the French and English descriptions): any
    field of it, the description and bounds included when given (only an admin changes the
    shared catalogue)."""
    fields = stored[: len(INDICATOR_FIELDS)]
    bounds = stored[len(INDICATOR_FIELDS) : len(INDICATOR_FIELDS) + len(BOUNDS)]
    descriptions = (str(stored[-2]), str(stored[-1]))
    rebounded = any(
        given.get(f) is not None and not _same(old, given[f])
        for f, old in zip(BOUNDS, bounds, strict=True)
    )
    return (
        fields != tuple(given[f] for f in INDICATOR_FIELDS)
        or rebounded
        or new_description(descriptions, given["description"])
    )


def _row_key(row: Any, keys: tuple[str, ...]) -> tuple[Any, ...]:
    """A contract's row by its alliance, its contract and its key within it, as the store
    partitions them (text without case, dates as days, numbers as numbers)."""

    def one(value: Any) -> Any:
        if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
            return None
        if isinstance(value, str):
            return value.casefold()
        if hasattr(value, "date") and callable(value.date):
            return value.date()
        return value

    return (row["alliance"], str(row["contract"]).casefold(), *(one(row[k]) for k in keys))


def _same(stored: Any, given: Any) -> bool:
    """Whether a stored cell equals a value read from a file (NULL, NaN, NaT and '' are one)."""

    def blank(x: Any) -> bool:
        return x is None or x is pd.NaT or x == "" or (isinstance(x, float) and x != x)

    if blank(stored) or blank(given):
        return blank(stored) and blank(given)
    if isinstance(stored, pd.Timestamp):
        stored = stored.date()
    if isinstance(stored, dt.datetime):
        stored = stored.date()
    if isinstance(stored, (int, float)) and isinstance(given, (int, float)):
        return float(stored) == float(given)
    return bool(stored == given)
