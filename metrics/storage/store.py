"""The one door to the database: opening, migrations, reads filtered by account, atomic imports.

One process-wide DuckDB connection; every query runs on its own cursor (safe across Streamlit's
session threads) with bound parameters; writes are serialised and each is one transaction.
Observations and targets are an append-only history by upload: rolling back an upload hides its
rows, and the data as it stood after any upload can be read back. What is read of the data as it
stands now (current values, roll-ups, a summary per alliance) is kept by the writes
(``metrics.storage.kept``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from metrics.base import catalog, clock, config
from metrics.base.access import MIN_PEERS, Actor
from metrics.base.errors import AccessDenied, StoreError, ValidationError
from metrics.base.periods import Period
from metrics.base.text import key
from metrics.presentation.i18n import t
from metrics.sheets import isolation
from metrics.sheets.ingest import (
    CONTRACT_ROWS,
    OBSERVATION_COLUMNS,
    Known,
    Parsed,
    Progress,
    Record,
    by_pair,
    resolve,
)
from metrics.storage import backend, kept
from metrics.storage.backend import retried
from metrics.storage.notes import NoteStore

# Uploads whose rows count: the active ones, or, with $as_of, those that were active right
# after upload $as_of (a later rollback does not rewrite the past); ``validated`` says whether a
# lead (or an admin) has validated it, which is what funders read.
VISIBLE = """
visible AS (
    SELECT u.id, u.validated_at IS NOT NULL AS validated FROM upload u
    WHERE ($as_of IS NULL AND u.rolled_back_at IS NULL)
       OR ($as_of IS NOT NULL AND u.id <= $as_of
           AND (u.rolled_back_at IS NULL
                OR u.rolled_back_at > (SELECT uploaded_at FROM upload WHERE id = $as_of)))
)"""

# The read filter of an account (``Actor.read_params``): every row of the alliances it holds a
# role on, the validated rows of the alliances it funds, everything for an admin.
SCOPE_FILTER = (
    "($all_scope OR list_contains($full, a.name) "
    "OR (v.validated AND list_contains($validated, a.name)))"
)
# An alliance is there while an upload holding its rows (its declaration, values, partners…)
# is not rolled back: rolling back the upload that created it removes it from every list and
# from the names a file may refer to (its history stays; declaring it again brings it back).
LIVE_ALLIANCE = (
    "(a.upload_id IS NULL OR EXISTS (SELECT 1 FROM upload_alliance ua "
    "JOIN upload u ON u.id = ua.upload_id "
    "WHERE ua.alliance_id = a.id AND u.rolled_back_at IS NULL))"
)
# The same for what is not versioned by upload (an alliance's name and territory, its partners).
ALLIANCE_FILTER = (
    "($all_scope OR list_contains($full, a.name) OR list_contains($validated, a.name)) "
    f"AND {LIVE_ALLIANCE}"
)
# Alliances an account reads in full (uploads, files, history): not a funder's validated view.
MEMBER_FILTER = "($all_scope OR list_contains($full, a.name))"

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
REFERENCE_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "alliance": ("id", ALLIANCE_FIELDS),
    "stakeholder": ("id", ("type",)),
    "indicator": ("code", (*INDICATOR_FIELDS, "description_fr", "description_en")),
}
REFERENCE_TYPES = {
    "population": "BIGINT",
    "started": "DATE",
    "latitude": "DOUBLE",
    "longitude": "DOUBLE",
}


def _published(entity: str, alias: str, members: str, join: str = "") -> str:
    """SQL: table ``entity`` as an account reads it, under ``alias``, one row per row of the
    table (DESIGN, "Validation": reference data follows the values).

    Where ``members`` (SQL) is true, the account reads the latest submitted state: the table as
    the writes leave it (an upload writes reference data in place, ``_set_reference``). Else it
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


def connect(
    target: str | Path, wait: float = 0.0, waiting: Callable[[], None] | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the database. The one place that knows how: a shared deployment attaches its
    catalog here instead of a local file.

    Another process may hold the file for a while (an app's page being computed, an import
    from the command line): the open is tried again for up to ``wait`` seconds, ``waiting``
    called once when it first finds the file busy; past that, ``err.db_locked``."""
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    pause = 0.05
    told = marked = False
    try:
        while True:
            try:
                return duckdb.connect(str(path), config={"memory_limit": config.db_memory()})
            except duckdb.Error as e:
                locked = isinstance(e, duckdb.IOException) and "lock" in str(e).lower()
                if locked and time.monotonic() < deadline:
                    if waiting is not None and not told:
                        waiting()
                        told = True
                    _waiting_mark(path).touch()  # the app gives way (``Store.held``)
                    marked = True
                    time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
                    pause = min(pause * 2, 0.5)
                    continue
                key = "err.db_locked" if locked else "err.db_open"
                params: dict[str, Any] = (
                    {"path": str(path), "seconds": round(wait)}
                    if locked
                    else {"path": str(path), "reason": str(e)}
                )
                raise StoreError(key, **params) from e
    finally:
        if marked:
            _waiting_mark(path).unlink(missing_ok=True)


# A file beside the database that a process waiting for it keeps touching: the app, which
# would otherwise keep reopening it for its users' pages, lets go and waits while it is fresh.
MARK_FRESH = 2.0  # seconds: a process killed while waiting leaves a mark that soon goes stale


def _waiting_mark(path: Path) -> Path:
    return path.with_name(path.name + ".waiting")


def someone_waits(path: Path) -> bool:
    """Whether another process is waiting for the database file (its mark is fresh)."""
    try:
        return time.time() - _waiting_mark(path).stat().st_mtime < MARK_FRESH
    except FileNotFoundError:
        return False


@functools.cache
def _parameter_names(sql: str) -> frozenset[str]:
    return frozenset(re.findall(r"\$([A-Za-z_]\w*)", sql))


def bound(sql: str, params: dict[str, Any] | list[Any] | None) -> dict[str, Any] | list[Any]:
    """The named parameters ``sql`` uses, out of ``params``: DuckDB refuses unused ones, and
    the reads share their filter parameters (an account's scope, ``$as_of``) across queries
    that do not all use every one."""
    if not isinstance(params, dict):
        return params or {}
    names = _parameter_names(sql)
    return {name: value for name, value in params.items() if name in names}


# Which migrations ran: the first table of every database.
SCHEMA_MIGRATION = (
    "CREATE TABLE IF NOT EXISTS schema_migration "
    "(version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)"
)

# The migration creating the tables ``metrics.storage.kept`` maintains.
KEPT_SINCE = 5


def _on_edges(granularity: str, start: dt.date | None, end: dt.date | None) -> bool:
    """Whether the roll-ups kept for ``granularity`` answer a read between ``start`` and
    ``end``: a kept view whose bounds are the first and last days of its periods."""
    if granularity not in kept.VIEWS:
        return False
    months = {"year": 12, "quarter": 3, "month": 1}[granularity]

    def first_day(day: dt.date) -> bool:
        return day.day == 1 and (day.month - 1) % months == 0

    return (start is None or first_day(start)) and (
        end is None or first_day(end + dt.timedelta(days=1))
    )


def _migrations() -> list[tuple[int, str]]:
    folder = resources.files("metrics.storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8")))
    return sorted(found)


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


@dataclass
class ImportResult:
    plan: Plan
    upload_id: int | None
    dry_run: bool
    validated: bool = False

    def summary(self, lang: str) -> str:
        counts = dict(self.plan.counts, missing=len(self.plan.parsed.missing))
        if self.dry_run:
            return t("summary.dry_run", lang, **counts)
        if self.upload_id is None:
            return t("summary.nothing_new", lang, **counts)
        status = t("status.validated" if self.validated else "status.submitted", lang)
        return t("summary.imported", lang, upload=self.upload_id, status=status, **counts)


# Which of the kept tables' two scopes (``kept``) an account reads of each alliance: the
# members' one for the alliances it reads in full, the funders' one (validated uploads only) for
# those it funds; nothing of the others.
def _kept_scope(members: str, funders: str) -> str:
    """SQL: a kept row is read when it is in the members' scope (``members``) of an alliance
    the account reads in full, or in the funders' scope (``funders``) of one it funds."""
    return (
        f"(CASE WHEN $all_scope OR list_contains($full, a.name) THEN {members} "
        f"ELSE {funders} AND list_contains($validated, a.name) END)"
    )


# The summary (alias ``m``) has a row per scope.
SUMMARY_SCOPE = _kept_scope("NOT m.validated_only", "m.validated_only")


# The current value of each key, as the writes keep it (``metrics.storage.kept``). Every read of
# observations as they stand now (and every diff of an import) goes through this one definition.
CURRENT_OBSERVATIONS = f"""
SELECT a.name AS alliance, o.indicator_code AS indicator, o.period, o.granularity,
       o.period_start, o.period_end, coalesce(s.name, '') AS stakeholder,
       coalesce(s.type, '') AS stakeholder_type, o.value, o.comment, o.upload_id
FROM current_observation o
JOIN alliance a ON a.id = o.alliance_id
LEFT JOIN {STAKEHOLDER_READ} ON s.id = o.stakeholder_id
WHERE {_kept_scope("o.members", "o.funders")} AND ($alliance IS NULL OR a.name = $alliance)
"""

# The values as they stood right after upload $as_of, from the history: the latest row of each
# key from an upload visible then (rare: it reads every row ever sent).
OBSERVATIONS_AS_OF = f"""
WITH {VISIBLE}
SELECT a.name AS alliance, o.indicator_code AS indicator, o.period, o.granularity,
       o.period_start, o.period_end, coalesce(s.name, '') AS stakeholder,
       coalesce(s.type, '') AS stakeholder_type, o.value, o.comment, o.upload_id
FROM observation o
JOIN visible v ON v.id = o.upload_id
JOIN alliance a ON a.id = o.alliance_id
LEFT JOIN {STAKEHOLDER_READ} ON s.id = o.stakeholder_id
WHERE {SCOPE_FILTER} AND ($alliance IS NULL OR a.name = $alliance)
QUALIFY row_number() OVER (
    PARTITION BY o.alliance_id, o.indicator_code, o.period, coalesce(o.stakeholder_id, -1)
    ORDER BY o.upload_id DESC) = 1
"""
OBSERVATIONS_ORDER = "ORDER BY alliance, indicator, period_start, granularity, stakeholder"
OBSERVATIONS = CURRENT_OBSERVATIONS + OBSERVATIONS_ORDER
OBSERVATIONS_THEN = OBSERVATIONS_AS_OF + OBSERVATIONS_ORDER

CURRENT_TARGETS = f"""
WITH {VISIBLE}
SELECT a.name AS alliance, tg.indicator_code AS indicator, tg.baseline_period, tg.baseline,
       tg.target_period, tg.target, tg.upload_id
FROM target tg
JOIN visible v ON v.id = tg.upload_id
JOIN alliance a ON a.id = tg.alliance_id
WHERE {SCOPE_FILTER} AND ($alliance IS NULL OR a.name = $alliance)
QUALIFY row_number() OVER (PARTITION BY tg.alliance_id, tg.indicator_code
                           ORDER BY tg.upload_id DESC) = 1
"""
TARGETS = CURRENT_TARGETS + "ORDER BY alliance, indicator"

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

# Values by view period, each indicator by its own rule, per stakeholder ('' for the alliance's
# own values): the roll-ups the writes keep (``kept``, where the rules are), for a year,
# quarter or month view between bounds that fall on its periods' edges.
KEPT_ROWS = f"""
SELECT a.name AS alliance, r.indicator_code AS indicator, coalesce(s.name, '') AS stakeholder,
       coalesce(s.type, '') AS stakeholder_type, r.bucket, i.aggregation, i.direction,
       i.dimension, r.value, r.n, r.expected, r.source_granularity,
       i.aggregation = 'sum' AND r.n < r.expected AS partial
FROM rollup r
JOIN alliance a ON a.id = r.alliance_id
JOIN indicator i ON i.code = r.indicator_code
LEFT JOIN {STAKEHOLDER_READ} ON s.id = r.stakeholder_id
WHERE r.view_granularity = $granularity AND {_kept_scope("r.members", "r.funders")}
  AND ($alliance IS NULL OR a.name = $alliance)
  AND ($codes IS NULL OR list_contains($codes, r.indicator_code))
  AND ($start IS NULL OR r.bucket >= $start) AND ($end IS NULL OR r.bucket <= $end)
"""

# The same rules applied at read time to the current values, for any other view (days) or
# bounds: the same definitions as ``metrics.storage.kept``'s roll-ups, one view period at a time.
COMPUTED_ROWS = f"""
WITH current AS ({CURRENT_OBSERVATIONS}),
ranked AS (
    SELECT c.*, i.aggregation, i.direction, i.dimension,
           {kept.rank_of("c.granularity")} AS rank,
           date_trunc($granularity, c.period_start)::DATE AS bucket
    FROM current c JOIN indicator i ON i.code = c.indicator
    WHERE ($codes IS NULL OR list_contains($codes, c.indicator))
      AND ($start IS NULL OR c.period_start >= $start)
      AND ($end IS NULL OR c.period_end <= $end)
),
coarsest AS (
    SELECT * FROM ranked
    WHERE rank <= $view_rank
    QUALIFY rank = max(rank) OVER (PARTITION BY alliance, indicator, stakeholder, bucket)
),
per_owner AS (
    SELECT alliance, indicator, stakeholder, any_value(stakeholder_type) AS stakeholder_type,
           bucket, any_value(aggregation) AS aggregation, any_value(direction) AS direction,
           any_value(dimension) AS dimension,
           CASE any_value(aggregation)
                WHEN 'sum' THEN sum(value)
                WHEN 'mean' THEN avg(value)
                ELSE arg_max(value, period_end) END AS value,
           count(*) AS n,
           {kept.expected("$granularity", "any_value(granularity)", "count(*)")} AS expected,
           any_value(granularity) AS source_granularity
    FROM coarsest
    GROUP BY alliance, indicator, stakeholder, bucket
)
SELECT *, aggregation = 'sum' AND n < expected AS partial
FROM per_owner
"""
AGGREGATED_ROWS = {True: KEPT_ROWS, False: COMPUTED_ROWS}
AGGREGATED = {
    kept: rows + "ORDER BY alliance, indicator, stakeholder, bucket"
    for kept, rows in AGGREGATED_ROWS.items()
}


# One value per alliance, indicator and view period: the alliance-level value where one was
# sent, else the stakeholders' values combined (flows and stocks add up, rates are averaged).
def _alliance_rows(rows: str) -> str:
    return f"""
WITH owners AS ({rows})
SELECT alliance, indicator, bucket, any_value(aggregation) AS aggregation,
       any_value(direction) AS direction, any_value(dimension) AS dimension,
       CASE WHEN bool_or(stakeholder = '')
            THEN max(value) FILTER (WHERE stakeholder = '')
            WHEN any_value(aggregation) = 'mean' THEN avg(value)
            ELSE sum(value) END AS value,
       bool_or(partial) AS partial,
       count(*) FILTER (WHERE stakeholder <> '') AS stakeholders
FROM owners
GROUP BY alliance, indicator, bucket
"""


ALLIANCE_ROWS = {kept: _alliance_rows(rows) for kept, rows in AGGREGATED_ROWS.items()}
ALLIANCE_LEVEL = {
    kept: rows + "ORDER BY alliance, indicator, bucket" for kept, rows in ALLIANCE_ROWS.items()
}


def _granularity_of(period: str) -> str:
    """SQL: the granularity of a canonical period (``metrics.base.periods``: ``2023``,
    ``2023-Q2``, ``2023-05``, ``2023-05-31``) in column ``period``."""
    return (
        f"CASE WHEN length({period}) = 4 THEN 'year' WHEN {period}[6] = 'Q' THEN 'quarter' "
        f"WHEN length({period}) = 7 THEN 'month' ELSE 'day' END"
    )


# The rules of ``metrics.domain.impact`` run by DuckDB for every alliance at once (the portfolio and
# the comparison read a whole network): the progress of each value to its target, when it is
# comparable at the view granularity (not a sum, or a sum with a target of that granularity);
# per alliance, dimension and period, the mean progress of the complete values (``score``), how
# many indicators it is over (``n``) and how many of the dimension have a target (``total``).
# Only the values of indicators with a target (in any upload) are combined. ``tests/test_kept.py``
# checks that it gives what ``impact.dimension_scores`` gives.
_WITH_A_TARGET = "AND (a.id, r.indicator_code) IN (SELECT alliance_id, indicator_code FROM target)"
DIMENSION_SCORES = f"""
WITH viewed AS ({_alliance_rows(KEPT_ROWS + _WITH_A_TARGET)}),
goals AS ({CURRENT_TARGETS}),
progressed AS (
    SELECT v.alliance, v.indicator, v.dimension, v.bucket, v.partial,
           CASE WHEN g.target <> g.baseline
                THEN (v.value - g.baseline) / (g.target - g.baseline) END AS progress
    FROM viewed v JOIN goals g USING (alliance, indicator)
    WHERE v.aggregation <> 'sum' OR {_granularity_of("g.target_period")} = $granularity
),
totals AS (
    SELECT alliance, dimension, count(DISTINCT indicator) AS total
    FROM progressed GROUP BY alliance, dimension
)
SELECT alliance, dimension, bucket, avg(progress) AS score,
       count(*) AS n, any_value(total) AS total  -- a row per indicator and period
FROM progressed JOIN totals USING (alliance, dimension)
WHERE progress IS NOT NULL AND NOT partial
GROUP BY alliance, dimension, bucket
ORDER BY alliance, dimension, bucket
"""

# Which indicators each alliance has values of (by year: any value is in a year's roll-up).
REPORTED = f"""
SELECT DISTINCT a.name AS alliance, r.indicator_code AS indicator
FROM rollup r JOIN alliance a ON a.id = r.alliance_id
WHERE r.view_granularity = 'year' AND {_kept_scope("r.members", "r.funders")}
ORDER BY alliance, indicator
"""

# The completeness of each alliance's data by year (every year any alliance read has): the
# share of the indicators the alliance ever reported that have a complete (not partial) value
# that year, and how many have a value at all (``reported``). The comparison ranks only
# alliances whose year is complete enough (``compare.rank``); the portfolio shows each
# alliance's latest year over that has values.
COMPLETENESS = f"""
WITH viewed AS MATERIALIZED ({ALLIANCE_ROWS[True]}),
tracked AS (
    SELECT alliance, count(DISTINCT indicator) AS tracked FROM viewed GROUP BY alliance
),
complete AS (
    SELECT alliance, year(bucket) AS year, count(*) AS reported,  -- a row per indicator, year
           count(*) FILTER (WHERE NOT partial) AS complete
    FROM viewed GROUP BY alliance, year(bucket)
)
SELECT t.alliance, y.year, coalesce(c.complete, 0) / t.tracked AS completeness,
       coalesce(c.reported, 0) AS reported
FROM tracked t
CROSS JOIN (SELECT DISTINCT year(bucket) AS year FROM viewed) y
LEFT JOIN complete c ON c.alliance = t.alliance AND c.year = y.year
ORDER BY t.alliance, y.year
"""

VIEW_RANKS = kept.RANKS

# Per indicator, the median over alliances of each one's latest yearly value.
PEER_MEDIANS = f"""
WITH yearly AS ({ALLIANCE_ROWS[True]}),
latest AS (
    SELECT alliance, indicator, arg_max(value, bucket) AS value
    FROM yearly WHERE list_contains($codes, indicator)
    GROUP BY alliance, indicator
)
SELECT indicator, median(value) AS peers, count(*) AS peer_count
FROM latest GROUP BY indicator
"""

STAKEHOLDERS = f"""
SELECT a.name AS alliance, s.name AS stakeholder, s.type
FROM {STAKEHOLDER_READ} JOIN alliance a ON a.id = s.alliance_id
WHERE {ALLIANCE_FILTER} AND {PARTNER_SHOWN} AND ($alliance IS NULL OR a.name = $alliance)
ORDER BY a.name, s.name
"""

# The uploads an account may list: those holding rows of an alliance it reads in full. An upload
# that also holds other alliances' rows is listed without its file name, hash and counts
# (``others`` > 0): they would tell about alliances the account cannot read.
UPLOADS = f"""
WITH touched AS (
    SELECT ua.upload_id,
           list(a.name ORDER BY a.name) FILTER (WHERE {MEMBER_FILTER}) AS alliances,
           count(*) FILTER (WHERE NOT {MEMBER_FILTER}) AS others
    FROM upload_alliance ua JOIN alliance a ON a.id = ua.alliance_id
    GROUP BY ua.upload_id
),
shown AS (
    SELECT u.*, coalesce(t.alliances, []) AS alliances, coalesce(t.others, 0) AS others
    FROM upload u LEFT JOIN touched t ON t.upload_id = u.id
    WHERE $all_scope OR len(coalesce(t.alliances, [])) > 0
)
SELECT id,
       CASE WHEN others = 0 THEN file_name END AS file_name,
       CASE WHEN others = 0 THEN sha256 END AS sha256,
       CASE WHEN others = 0 THEN size END AS size,
       uploaded_by, uploaded_at,
       CASE WHEN others = 0 THEN added END AS added,
       CASE WHEN others = 0 THEN changed END AS changed,
       CASE WHEN others = 0 THEN unchanged END AS unchanged,
       CASE WHEN others = 0 THEN missing END AS missing,
       rolled_back_at, rolled_back_by, validated_at, validated_by,
       CASE WHEN rolled_back_at IS NOT NULL THEN 'rolled_back'
            WHEN validated_at IS NOT NULL THEN 'validated'
            ELSE 'submitted' END AS status,
       alliances, others
FROM shown
ORDER BY id DESC
"""

# Rolling back or validating an upload: who and when.
MARK_UPLOAD = {
    "rollback": "UPDATE upload SET rolled_back_at = ?, rolled_back_by = ? WHERE id = ?",
    "validate": "UPDATE upload SET validated_at = ?, validated_by = ? WHERE id = ?",
}

# The latest upload (not rolled back) that brought an alliance values, among those the account
# reads: a funder, the latest validated one.
LATEST_UPLOAD = """
SELECT u.id, u.uploaded_at,
       CASE WHEN u.validated_at IS NOT NULL THEN 'validated' ELSE 'submitted' END AS status
FROM upload u
JOIN upload_alliance ua ON ua.upload_id = u.id
JOIN alliance a ON a.id = ua.alliance_id
WHERE a.name = $alliance AND u.rolled_back_at IS NULL
  AND ($all_scope OR list_contains($full, a.name)
       OR (u.validated_at IS NOT NULL AND list_contains($validated, a.name)))
ORDER BY u.id DESC
LIMIT 1
"""

# The alliances an upload holds rows of.
UPLOAD_ALLIANCES = """
SELECT a.name FROM upload_alliance ua JOIN alliance a ON a.id = ua.alliance_id
WHERE ua.upload_id = ? ORDER BY a.name
"""

# When an upload the account reads last brought values to each alliance.
LAST_UPDATES = f"""
SELECT a.name AS alliance, m.last_update
FROM alliance_summary m JOIN alliance a ON a.id = m.alliance_id
WHERE {SUMMARY_SCOPE}
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
    "builtin",
)
INDICATORS = f"SELECT {', '.join(INDICATOR_COLUMNS)} FROM {INDICATOR_READ} ORDER BY dimension, code"

# Incoming observations are compared with the current ones by key, in DuckDB.
# Params that make the CURRENT_* queries read everything as it stands now.
NOW_EVERYWHERE: dict[str, Any] = {
    **Actor.system("system").read_params(),
    "alliance": None,
    "as_of": None,
}
# The file's observations against the current ones, key by key, in DuckDB: the rows a file adds
# or changes, by their position in the file (the rows themselves stay in Arrow, where they are
# counted, shown and written from).
DIFF_OBSERVATIONS = f"""
WITH current AS ({CURRENT_OBSERVATIONS})
SELECT i.position, c.value AS old_value,
       CASE WHEN c.value IS NULL THEN 'added' ELSE 'changed' END AS change
FROM incoming i
LEFT JOIN current c USING (alliance, indicator, period, stakeholder)
WHERE c.value IS NULL OR c.value <> i.value OR c.comment <> i.comment
ORDER BY i.position
"""
FIRST_CHANGES = """
SELECT * EXCLUDE (position) FROM changes
ORDER BY source_sheet, source_row, period_start LIMIT $shown
"""
SHOWN_CHANGES = 1000

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
}


def _contract_rows_sql(kind: str) -> str:
    keys, fields = CONTRACT_ROWS[kind]
    columns = ", ".join(f't."{c}"' for c in (*keys, *fields))
    partition = ", ".join(f'lower(CAST(t."{c}" AS VARCHAR))' for c in keys)
    return f"""
WITH {VISIBLE}
SELECT t.contract, a.name AS alliance, {columns}, t.upload_id
FROM {CONTRACT_ROW_TABLES[kind]} t
JOIN visible v ON v.id = t.upload_id
JOIN alliance a ON a.id = t.alliance_id
WHERE {SCOPE_FILTER} AND ($alliance IS NULL OR a.name = $alliance)
QUALIFY row_number() OVER (PARTITION BY t.alliance_id, lower(t.contract), {partition}
                           ORDER BY t.upload_id DESC) = 1
ORDER BY t.contract, a.name, {", ".join(f't."{c}"' for c in keys)}
"""


CONTRACT_ROWS_SQL = {kind: _contract_rows_sql(kind) for kind in CONTRACT_ROW_TABLES}


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

OBSERVATION_FRAME = OBSERVATION_COLUMNS  # what the store compares and writes
TARGET_FRAME = [
    "alliance",
    "indicator",
    "baseline_period",
    "baseline",
    "target_period",
    "target",
    "source_sheet",
    "source_row",
]


def _observation_frame(observations: pa.Table) -> pa.Table:
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


def _with_ids(cur: duckdb.DuckDBPyConnection, rows: pa.Table, alliances: list[str]) -> pa.Table:
    """The rows to write with their alliance's and partner's ids in place of names: each
    distinct name (or alliance and partner pair) looked up once, the ids spread by code."""
    rows = rows.unify_dictionaries().combine_chunks()
    alliance_ids = dict(
        cur.execute(
            "SELECT name, id FROM alliance WHERE list_contains(?, name)", [alliances]
        ).fetchall()
    )
    partner_ids = {
        (a, s): i
        for a, s, i in cur.execute(
            "SELECT a.name, s.name, s.id FROM stakeholder s JOIN alliance a "
            "ON a.id = s.alliance_id WHERE list_contains(?, a.name)",
            [alliances],
        ).fetchall()
    }
    alliance, partner = rows["alliance"].chunk(0), rows["stakeholder"].chunk(0)
    names = alliance.dictionary.to_pylist()
    alliance_id = pa.array([alliance_ids.get(n) for n in names], pa.int32()).take(alliance.indices)
    partner_id = by_pair(
        alliance.indices, names, partner, lambda a, s: partner_ids.get((a, s)), pa.int32()
    )
    return rows.append_column("alliance_id", alliance_id).append_column(
        "stakeholder_id", partner_id
    )


def _target_frame(records: list[Record]) -> pd.DataFrame:
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


class Store(NoteStore):
    """The database behind the app and the CLI: data, imports, and (from ``AccountStore``)
    accounts, grants, portfolios and the audit log; (from ``NoteStore``) the steering
    committee's notes and decisions."""

    def __init__(
        self,
        path: str | Path | None = None,
        wait: float | None = None,
        waiting: Callable[[], None] | None = None,
        linger: float = 0.0,
    ) -> None:
        """``wait``: how long an open waits for another process to let go of the file
        (``config.db_wait``); ``waiting`` is called when it starts waiting (the command line
        says so); ``linger``: how long the file stays open after the last holder is done, in
        case another comes (the app's next run finds DuckDB's cache warm)."""
        self.target = config.db_target(path)
        # A shared backend (``metrics.storage.backend``) holds no file: its connection stays open.
        self.lake = backend.is_lake(self.target)
        self.path = Path(self.target)
        self.wait = config.db_wait() if wait is None else wait
        self.waiting = waiting
        self.linger = linger
        self._closer: threading.Timer | None = None
        self._thread = threading.local()  # how many holds this thread has (``held``)
        # The file is open while someone holds it (``held``), and only then: another process
        # (the command line, another app process) can open it in between.
        self._conn: duckdb.DuckDBPyConnection | None = None
        self._holders = 0
        self._open_lock = threading.Lock()
        self._write_lock = threading.RLock()
        self._block: AbstractContextManager[Store] = nullcontext(self)
        with self.held():
            self._migrate()
            self._load_catalog()

    # -- plumbing ------------------------------------------------------------------------------

    @contextmanager
    def held(self) -> Iterator[Store]:
        """The database open for the duration: every query inside uses one opening (a page's
        whole run, a command), and the file is let go when the last holder is done. A store
        that lingers (the app's) gives way to a process waiting for the file: a new holder
        waits until that process is done, and the last one lets go at once."""
        outermost = not getattr(self._thread, "holds", 0)
        if outermost and self.linger > 0 and not self.lake:
            self._give_way()
        self._thread.holds = getattr(self._thread, "holds", 0) + 1
        try:
            with self._hold():
                yield self
        finally:
            self._thread.holds -= 1

    def _give_way(self) -> None:
        """Wait while another process waits for the file (at most ``wait`` seconds)."""
        deadline = time.monotonic() + self.wait
        told = False
        while someone_waits(self.path) and time.monotonic() < deadline:
            if self.waiting is not None and not told:
                self.waiting()
                told = True
            time.sleep(0.1)

    @contextmanager
    def _hold(self) -> Iterator[None]:
        with self._open_lock:
            if self._closer is not None:  # about to let go: kept instead
                self._closer.cancel()
                self._closer = None
            if self._conn is None:
                if self.lake:
                    self._conn = backend.connect_lake(self.target)
                else:
                    self._conn = connect(self.path, self.wait, self.waiting)
                self._lock_down(self._conn)
            self._holders += 1
        try:
            yield
        finally:
            with self._open_lock:
                self._holders = max(0, self._holders - 1)  # (``close`` may have let go)
                if self._holders == 0 and self._conn is not None:
                    if self.lake and self.linger > 0:
                        pass  # a shared backend holds no lock: the app keeps its connection
                    elif self.linger > 0 and not someone_waits(self.path):
                        self._closer = threading.Timer(self.linger, self._let_go)
                        self._closer.daemon = True
                        self._closer.start()
                    else:
                        self._let_go_now()

    def _let_go(self) -> None:
        """The lingering time is over: close the file unless someone holds it again."""
        with self._open_lock:
            if self._holders == 0:
                self._let_go_now()

    def _let_go_now(self) -> None:  # (with ``_open_lock``)
        if self._closer is not None:
            self._closer.cancel()
            self._closer = None
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()

    def close(self) -> None:
        """Let go of the file now, whoever holds it."""
        with self._open_lock:
            self._holders = 0
            self._let_go_now()

    def __enter__(self) -> Store:
        """``with Store(...)``: the file held for the whole block (a command's)."""
        self._block = self.held()
        self._block.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._block.__exit__(None, None, None)

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own for one query or transaction, closed afterwards (the database
        opened for it if no one holds it open)."""
        with self.held():
            with self._open_lock:
                assert self._conn is not None
                cur = self._conn.cursor()
            try:
                if self.lake:
                    cur.execute(f"USE {backend.LAKE}")
                yield cur
            finally:
                cur.close()

    def _frame(self, sql: str, params: dict[str, Any] | list[Any] | None = None) -> pd.DataFrame:
        with self.cursor() as cur:
            return cur.execute(sql, bound(sql, params)).df()

    def _columns(self, sql: str, params: dict[str, Any]) -> pd.DataFrame:
        """``_frame`` through Arrow: twice as fast for hundreds of thousands of rows (DuckDB's
        ``df()`` builds each text cell as a Python object); for results without a column of
        nothing but NULLs (Arrow would type it as text, ``df()`` as objects)."""
        with self.cursor() as cur:
            table = cur.execute(sql, bound(sql, params)).arrow().read_all()
        frame: pd.DataFrame = table.to_pandas(date_as_object=False)
        for name in frame.columns:  # dates as ``df()`` gives them
            if frame[name].dtype == "datetime64[ms]":
                frame[name] = frame[name].astype("datetime64[us]")
        return frame

    @contextmanager
    def _transaction(
        self, lang: str = "fr", turn: bool = True
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """One write, all or nothing. It takes the store's turn first (``backend.TURN``): on a
        shared backend, a write of another process that overlaps it makes its commit fail
        with ``WriteConflict``, and its method (``retried``) runs again from the start."""
        with self._write_lock, self.cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                if turn:
                    cur.execute(backend.TURN)
                yield cur
            except BaseException as e:
                cur.execute("ROLLBACK")
                if backend.conflicted(e):
                    raise backend.WriteConflict.of("err.write_conflict") from e
                if isinstance(e, duckdb.Error):
                    raise StoreError.of("err.write_failed", reason=e) from e
                raise
            try:
                cur.execute("COMMIT")
            except duckdb.Error as e:
                if backend.conflicted(e):
                    raise backend.WriteConflict.of("err.write_conflict") from e
                raise StoreError.of("err.write_failed", reason=e) from e
            backend.committed()

    @retried
    def _migrate(self) -> None:
        made = self._has_schema()
        if self.lake and not made:
            self._create_lake()
            return
        if made:  # nothing to do (the usual case): no write at all
            with self.cursor() as cur:
                done = {
                    r[0] for r in cur.execute("SELECT version FROM schema_migration").fetchall()
                }
            if all(version in done for version, _ in _migrations()):
                return
        with self._transaction(turn=False) as cur:
            cur.execute(SCHEMA_MIGRATION)
            done = {
                row[0] for row in cur.execute("SELECT version FROM schema_migration").fetchall()
            }
            applied = []
            for version, sql in _migrations():
                if version in done:
                    continue
                cur.execute(sql)
                cur.execute("INSERT INTO schema_migration VALUES (?, ?)", [version, clock.now()])
                applied.append(version)
            if KEPT_SINCE in applied:  # the kept tables are new: fill them from the history
                kept.rebuild(cur)
        if applied and not self.lake:
            # Into the file now, not left in the write-ahead log: DuckDB fails to replay a
            # logged ALTER TABLE (a process stopped before its next checkpoint would leave
            # a database that no longer opens).
            with self.cursor() as cur:
                cur.execute("CHECKPOINT")

    def _has_schema(self) -> bool:
        with self.cursor() as cur:
            row = cur.execute(
                "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                "AND table_name = 'schema_migration'"
            ).fetchone()
        return bool(row and row[0])

    def _create_lake(self) -> None:
        """A new shared backend: every table the migrations make, as DuckLake keeps them."""
        migrations = _migrations()
        ddl, rows = backend.portable_schema([SCHEMA_MIGRATION] + [sql for _, sql in migrations])
        with self._transaction(turn=False) as cur:
            for statement in ddl:
                cur.execute(statement)
            for table, values in rows.items():
                if values:
                    marks = ", ".join("?" * len(values[0]))
                    cur.executemany(f'INSERT INTO "{table}" VALUES ({marks})', values)
            now = clock.now()
            cur.executemany(
                "INSERT INTO schema_migration VALUES (?, ?)", [(v, now) for v, _ in migrations]
            )

    def schema_version(self) -> int:
        with self.cursor() as cur:
            row = cur.execute("SELECT max(version) FROM schema_migration").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    @retried
    def _load_catalog(self) -> None:
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
                True,
            )
            for i in catalog.CATALOG
        ]
        with self.cursor() as cur:  # (no write, and so no turn, when nothing is missing)
            present = {r[0] for r in cur.execute("SELECT code FROM indicator").fetchall()}
        if all(r[0] in present for r in rows):
            return
        with self._transaction() as cur:
            present = {r[0] for r in cur.execute("SELECT code FROM indicator").fetchall()}
            rows = [r for r in rows if r[0] not in present]
            if not rows:
                return
            cur.executemany(
                f"INSERT INTO indicator ({', '.join(INDICATOR_COLUMNS)}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    @staticmethod
    def _lock_down(conn: duckdb.DuckDBPyConnection) -> None:
        """No query may read or write the host's files (``read_csv('/etc/passwd')``, ``COPY``,
        ``ATTACH``), and no query may switch that back on: at each opening of the file."""

        # A second Store on the same file in this process shares the locked instance.
        def locked() -> bool:
            row = conn.execute("SELECT current_setting('lock_configuration')").fetchone()
            return bool(row and row[0])

        if locked():
            return
        try:
            conn.execute("SET enable_external_access = false")
            conn.execute("SET lock_configuration = true")
        except duckdb.InvalidInputException:
            if not locked():  # (another thread's opening locked it in between: done)
                raise

    # -- reads ---------------------------------------------------------------------------------

    def _scoped(self, actor: Actor, alliance: str | None, lang: str = "fr") -> dict[str, Any]:
        """The read filter of ``actor`` as SQL parameters; asking for an alliance it cannot read
        is refused (whether or not that alliance exists)."""
        if alliance is not None and not actor.reads(alliance):
            raise AccessDenied.of("err.access_denied", name=alliance)
        return {**actor.read_params(), "alliance": alliance}

    def alliances(self, actor: Actor) -> pd.DataFrame:
        """One row per alliance ``actor`` reads, with how much data it has and up to when."""
        return self._frame(ALLIANCES, {**self._scoped(actor, None), "as_of": None})

    def alliance_names(self, actor: Actor) -> list[str]:
        return list(self.alliances(actor)["name"])

    def stakeholders(self, actor: Actor, alliance: str | None = None) -> pd.DataFrame:
        return self._frame(STAKEHOLDERS, self._scoped(actor, alliance))

    def indicators(self, actor: Actor) -> pd.DataFrame:
        """The indicator catalog (shared by every alliance, readable by every account; an
        account that holds no role on any alliance, a funder, reads it as validated)."""
        return self._frame(INDICATORS, actor.read_params())

    def observations(
        self, actor: Actor, alliance: str | None = None, as_of: int | None = None
    ) -> pd.DataFrame:
        """Current values (or as they stood right after upload ``as_of``), one per key."""
        sql = OBSERVATIONS if as_of is None else OBSERVATIONS_THEN
        return self._frame(sql, {**self._scoped(actor, alliance), "as_of": as_of})

    def targets(
        self, actor: Actor, alliance: str | None = None, as_of: int | None = None
    ) -> pd.DataFrame:
        return self._frame(TARGETS, {**self._scoped(actor, alliance), "as_of": as_of})

    def aggregated(
        self,
        actor: Actor,
        alliance: str | None = None,
        granularity: str = "year",
        start: dt.date | None = None,
        end: dt.date | None = None,
        level: str = "stakeholder",
        indicators: list[str] | None = None,
    ) -> pd.DataFrame:
        """Current values by view period (``granularity``), each indicator by its own rule
        (of every indicator, or of ``indicators``).

        ``level="stakeholder"``: one row per stakeholder ('' for alliance-level values);
        ``level="alliance"``: one row per alliance, stakeholders combined.
        """
        if granularity not in VIEW_RANKS:
            raise ValueError(f"unknown granularity {granularity!r}")
        kept_rows = _on_edges(granularity, start, end)
        sql = (AGGREGATED if level == "stakeholder" else ALLIANCE_LEVEL)[kept_rows]
        params = self._viewed(actor, alliance, granularity, start, end, indicators)
        return self._columns(sql, params)

    def _viewed(
        self,
        actor: Actor,
        alliance: str | None,
        granularity: str,
        start: dt.date | None = None,
        end: dt.date | None = None,
        indicators: list[str] | None = None,
    ) -> dict[str, Any]:
        """The parameters of a read by view period."""
        return {
            **self._scoped(actor, alliance),
            "as_of": None,
            "granularity": granularity,
            "view_rank": VIEW_RANKS[granularity],
            "start": start,
            "end": end,
            "codes": indicators,
        }

    def dimension_scores(self, actor: Actor, granularity: str = "year") -> pd.DataFrame:
        """``impact.dimension_scores`` of every alliance the account reads, by DuckDB over
        the kept roll-ups: alliance, dimension, bucket, period, score, n, total, coverage."""
        if granularity not in kept.VIEWS:
            raise ValueError(f"unknown granularity {granularity!r}")
        frame = self._columns(DIMENSION_SCORES, self._viewed(actor, None, granularity))
        periods = {
            b: Period(pd.Timestamp(b).date(), granularity).canonical  # type: ignore[arg-type]
            for b in frame["bucket"].unique()
        }
        frame.insert(3, "period", frame["bucket"].map(periods))
        frame["coverage"] = frame["n"] / frame["total"]
        return frame

    def reported(self, actor: Actor) -> pd.DataFrame:
        """Which indicators each alliance the account reads has values of: alliance,
        indicator."""
        return self._columns(REPORTED, actor.read_params())

    def completeness_by_year(self, actor: Actor) -> pd.DataFrame:
        """The completeness of every alliance the account reads, by year (``COMPLETENESS``):
        alliance, year, completeness, reported."""
        return self._columns(COMPLETENESS, self._viewed(actor, None, "year"))

    def peer_medians(self, actor: Actor, alliance: str, codes: list[str]) -> pd.DataFrame:
        """Per indicator of ``codes``: the median of the latest yearly value of the other
        alliances with the same theme as ``alliance``, over their validated data, and how
        many alliances it is taken over.

        Only aggregates leave the store: a median over alliances the account cannot read is
        given only when it is taken over at least ``MIN_PEERS`` alliances (else ``peers`` is
        NaN and ``peer_count`` says how many there were).
        """
        params = self._scoped(actor, alliance)  # refuses an alliance the account cannot read
        # The alliance's theme as the account reads it; the peers' as published (validated).
        themes = self._frame(f"SELECT a.name, a.theme FROM {ALLIANCE_READ}", params)
        theme = themes.set_index("name")["theme"].get(alliance)
        published_themes = self._frame(
            f"SELECT a.name, a.theme FROM {ALLIANCE_READ}", Actor("peers").read_params()
        )
        names = sorted(
            published_themes.loc[
                (published_themes["theme"] == theme) & (published_themes["name"] != alliance),
                "name",
            ]
        )
        published = Actor("peers", funded=frozenset(names))  # their validated data only
        frame = self._frame(PEER_MEDIANS, self._viewed(published, None, "year", indicators=codes))
        open_to_all = all(actor.reads(n) for n in names)
        frame = frame.set_index("indicator").reindex(codes)
        frame["peer_count"] = frame["peer_count"].fillna(0).astype(int)
        hidden = (frame["peer_count"] < MIN_PEERS) & (not open_to_all)
        frame.loc[hidden, "peers"] = float("nan")
        return frame.rename_axis("indicator").reset_index()

    def last_updates(self, actor: Actor) -> pd.Series:
        """Alliance name -> when an upload the account reads last brought it values."""
        frame = self._frame(LAST_UPDATES, {**actor.read_params(), "as_of": None})
        return frame.set_index("alliance")["last_update"]

    def replications(
        self, actor: Actor, alliance: str | None = None, as_of: int | None = None
    ) -> pd.DataFrame:
        """Current replication sites of the alliances the account reads."""
        return self._frame(REPLICATIONS, {**self._scoped(actor, alliance), "as_of": as_of})

    def contracts(
        self, actor: Actor, alliance: str | None = None, as_of: int | None = None
    ) -> pd.DataFrame:
        """Current outcome contracts of the alliances the account reads."""
        return self._frame(CONTRACTS, {**self._scoped(actor, alliance), "as_of": as_of})

    def contract_rows(
        self, actor: Actor, kind: str, alliance: str | None = None, as_of: int | None = None
    ) -> pd.DataFrame:
        """The current rows of one of the contracts' sheets (``prices``, ``payers``,
        ``investments``, ``payments``) of the alliances the account reads."""
        return self._frame(
            CONTRACT_ROWS_SQL[kind], {**self._scoped(actor, alliance), "as_of": as_of}
        )

    def contract_sheets(self, actor: Actor) -> dict[str, pd.DataFrame]:
        """``contract_rows`` of every kind, by kind (what ``reports.contract`` takes)."""
        return {kind: self.contract_rows(actor, kind) for kind in CONTRACT_ROWS}

    def uploads(self, actor: Actor) -> pd.DataFrame:
        """The uploads holding rows of an alliance the account reads in full, newest first,
        with their status (``submitted``, ``validated``, ``rolled_back``)."""
        params = actor.read_params()
        return self._frame(UPLOADS, {"all_scope": params["all_scope"], "full": params["full"]})

    def latest_upload(self, actor: Actor, alliance: str) -> dict[str, Any] | None:
        """The latest upload that brought ``alliance`` values (``id``, ``uploaded_at``,
        ``status``), as ``actor`` reads the alliance (a funder: validated uploads only); None
        when there is none."""
        rows = self._frame(LATEST_UPLOAD, self._scoped(actor, alliance)).to_dict("records")
        return {str(k): v for k, v in rows[0].items()} if rows else None

    def upload_alliances(self, upload_id: int) -> list[str]:
        with self.cursor() as cur:
            return [r[0] for r in cur.execute(UPLOAD_ALLIANCES, [upload_id]).fetchall()]

    def upload_file(self, upload_id: int, actor: Actor, lang: str = "fr") -> tuple[str, bytes]:
        """The original file of an upload, byte for byte: only for an account that may read
        every alliance the file holds rows of. Written to the audit log, refused or not."""
        with self.cursor() as cur:
            row = cur.execute(
                "SELECT file_name, content FROM upload WHERE id = ?", [upload_id]
            ).fetchone()
        if row is None:
            raise StoreError.of("err.no_such_upload", upload=upload_id)
        self._check_upload_right(actor, "download", upload_id, lang)
        self.record(actor, "download", f"#{upload_id}", {"file": str(row[0])})
        return str(row[0]), bytes(row[1])

    def known(self, actor: Actor) -> Known:
        """Names and codes a file may refer to without declaring them: the alliances (and their
        partners) the account reads, and the indicator catalog. An alliance it cannot read is
        unknown to it, exactly as one that does not exist."""
        known = Known()
        params = actor.read_params()
        with self.cursor() as cur:
            for (name,) in cur.execute(
                f"SELECT a.name FROM alliance a WHERE {ALLIANCE_FILTER}", params
            ).fetchall():
                known.alliances[key(name)] = name
            for alliance, name in cur.execute(
                "SELECT a.name, s.name FROM stakeholder s JOIN alliance a ON a.id = s.alliance_id "
                f"WHERE {ALLIANCE_FILTER}",
                params,
            ).fetchall():
                known.stakeholders[(alliance, key(name))] = name
            for code, label_fr, label_en in cur.execute(
                "SELECT code, label_fr, label_en FROM indicator"
            ).fetchall():
                known.add_indicator(code, label_fr, label_en)
        # The contracts of the alliances it reads (their rate cards, payers… may come later).
        prices = self.contract_rows(actor, "prices")
        known.priced = set(zip(prices["alliance"], prices["contract"].map(key), strict=True))
        for row in self.contracts(actor).to_dict("records"):
            known.contracts[(row["alliance"], key(row["contract"]))] = (
                row["contract"],
                row["alliance"],
                row["indicator"],
            )
        return known

    def data_version(self) -> tuple[int, ...]:
        """A fingerprint of everything an upload or a note can change, read in one small query:
        any import, rollback, validation or note, in any process, gives another one (caches
        are keyed by it)."""
        with self.cursor() as cur:
            row = cur.execute(
                "SELECT count(*), coalesce(max(id), 0), count(rolled_back_at), "
                "count(validated_at), (SELECT count(*) FROM note_version) FROM upload"
            ).fetchone()
        return tuple(int(x) for x in row) if row else ()

    def migrate_to(self, dest: str, actor: Actor, lang: str = "fr") -> list[backend.Copied]:
        """Copy this whole installation (accounts, history, original files, audit log…) into
        ``dest``, a new one (a shared backend, or a DuckDB file), admins only; every table's
        rows and checksum compared before the copy commits (``backend.copy``)."""
        if not actor.admin:
            raise AccessDenied.of("err.admin_only")
        there = Store(dest, wait=self.wait)  # made, or brought to the schema, as any opening
        if there.target == self.target:
            raise StoreError.of("err.migrate_same")
        if not there.is_empty():
            raise StoreError.of("err.migrate_not_empty", dest=backend.shown(dest))
        if there.schema_version() != self.schema_version():
            raise StoreError.of("err.migrate_schema", dest=backend.shown(dest))
        tables = self.tables()
        self.close()  # both let go: the copy opens them side by side
        there.close()
        report = backend.copy(self.target, dest, tables, lang)
        rows = sum(c.rows for c in report)
        there.record(
            actor, "migrate", backend.shown(self.target), {"tables": len(report), "rows": rows}
        )
        there.close()
        return report

    def tables(self) -> list[str]:
        """Every table of the installation (all but the record of migrations), by name."""
        with self.cursor() as cur:
            rows = cur.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
                "AND table_name <> 'schema_migration' ORDER BY 1"
            ).fetchall()
        return [row[0] for row in rows]

    def is_empty(self) -> bool:
        """No data and no account: a database nobody has used yet."""
        with self.cursor() as cur:
            row = cur.execute(
                "SELECT (SELECT count(*) FROM upload) + (SELECT count(*) FROM alliance) "
                "+ (SELECT count(*) FROM account)"
            ).fetchone()
        return not row or row[0] == 0

    # -- imports -------------------------------------------------------------------------------

    def check(
        self,
        content: bytes,
        file_name: str,
        actor: Actor,
        lang: str = "fr",
        progress: Progress | None = None,
    ) -> Plan:
        """Parse, resolve and compare a file with the stored data; writes nothing.

        Raises ``AccessDenied`` if ``actor`` may not write everything the file holds.
        """
        parsed = isolation.parse(content, file_name, progress)
        if progress:
            progress(0.95, "progress.comparing")
        with self._write_lock, self.cursor() as cur:
            plan = self._plan(cur, parsed, actor, lang)
        if plan.ok and plan.refusal is not None:
            raise plan.refusal
        return plan

    def _plan(
        self, cur: duckdb.DuckDBPyConnection, parsed: Parsed, actor: Actor, lang: str = "fr"
    ) -> Plan:
        resolve(parsed, self.known(actor))
        parsed.problems.sort(key=lambda p: (p.sheet, p.row or 0))
        if not parsed.ok:
            return Plan(parsed, pd.DataFrame(), {"added": 0, "changed": 0, "unchanged": 0})
        parts = [self._diff_reference(cur, parsed)]
        observations = _observation_frame(parsed.observations)
        changes = {"added": 0, "changed": 0, "unchanged": 0}
        written = _empty_changes(observations)
        if observations.num_rows:
            numbered = observations.append_column(
                "position", pa.array(np.arange(observations.num_rows), pa.int64())
            )
            cur.register("incoming", numbered)
            found = (
                cur.execute(DIFF_OBSERVATIONS, bound(DIFF_OBSERVATIONS, NOW_EVERYWHERE))
                .arrow()
                .read_all()
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
            parts.append(first.assign(kind="observations"))
        targets = _target_frame(parsed.records["targets"])
        if len(targets):
            cur.register("incoming_targets", targets)
            parts.append(cur.execute(DIFF_TARGETS, NOW_EVERYWHERE).df().assign(kind="targets"))
            cur.unregister("incoming_targets")
        diff = (
            pd.concat([p for p in parts if len(p)], ignore_index=True)
            if any(len(p) for p in parts)
            else pd.DataFrame(columns=["kind", "change"])
        )
        others = diff[diff["kind"] != "observations"]
        counts = {
            c: int((others["change"] == c).sum()) + changes[c]
            for c in ("added", "changed", "unchanged")
        }
        shown = int((diff["kind"] == "observations").sum())
        plan = Plan(parsed, diff, counts, alliances=sorted(parsed.alliance_names()))
        plan.observations = written
        plan.not_shown = changes["added"] + changes["changed"] - shown
        plan.refusal = _write_refusal(actor, plan, lang)
        return plan

    def _diff_reference(self, cur: duckdb.DuckDBPyConnection, parsed: Parsed) -> pd.DataFrame:
        """Alliances, stakeholders and indicators: added, changed (non-blank fields differ)."""
        rows: list[dict[str, Any]] = []
        existing = {
            r[0]: dict(zip(("name", *ALLIANCE_FIELDS), r))
            for r in cur.execute(
                f"SELECT name, {', '.join(ALLIANCE_FIELDS)} FROM alliance"
            ).fetchall()
        }
        for record in parsed.records["alliances"]:
            v = record.values
            old = existing.get(v["alliance"])
            given = {f: v[f] for f in ALLIANCE_FIELDS if v[f] not in (None, "")}
            change = (
                "added"
                if old is None
                else ("changed" if any(old[f] != given[f] for f in given) else "unchanged")
            )
            rows.append(
                {
                    "kind": "alliances",
                    "alliance": v["alliance"],
                    "change": change,
                    "source_sheet": record.sheet,
                    "source_row": record.row,
                    **given,
                }
            )
        types = {
            (r[0], r[1]): r[2]
            for r in cur.execute(
                "SELECT a.name, s.name, s.type FROM stakeholder s JOIN alliance a "
                "ON a.id = s.alliance_id"
            ).fetchall()
        }
        for record in parsed.records["stakeholders"]:
            v = record.values
            old_type = types.get((v["alliance"], v["stakeholder"]))
            change = (
                "added"
                if old_type is None
                else ("changed" if old_type != v["type"] else "unchanged")
            )
            rows.append(
                {
                    "kind": "stakeholders",
                    "alliance": v["alliance"],
                    "stakeholder": v["stakeholder"],
                    "type": v["type"],
                    "change": change,
                    "source_sheet": record.sheet,
                    "source_row": record.row,
                }
            )
        indicators = {
            r[0]: r[1:]
            for r in cur.execute(
                f"SELECT code, {', '.join(INDICATOR_FIELDS)}, description_fr, description_en "
                "FROM indicator"
            ).fetchall()
        }
        for record in parsed.records["indicators"]:
            v = record.values
            known_as = indicators.get(v["indicator"])
            change = (
                "added"
                if known_as is None
                else "changed"
                if _redefines(known_as, v)
                else "unchanged"
            )
            rows.append(
                {
                    "kind": "indicators",
                    "indicator": v["indicator"],
                    "change": change,
                    "source_sheet": record.sheet,
                    "source_row": record.row,
                }
            )
        rows.extend(self._diff_versioned(cur, parsed))
        return pd.DataFrame(rows)

    def _diff_versioned(
        self, cur: duckdb.DuckDBPyConnection, parsed: Parsed
    ) -> list[dict[str, Any]]:
        """Replications and contracts: added, changed or unchanged against the current rows."""
        params = NOW_EVERYWHERE
        rows: list[dict[str, Any]] = []
        sites = {
            (r["alliance"], r["mode"], r["territory"].casefold()): r
            for r in cur.execute(REPLICATIONS, params).df().to_dict("records")
        }
        for record in parsed.records["replications"]:
            v = record.values
            old = sites.get((v["alliance"], v["mode"], v["territory"].casefold()))
            change = (
                "added"
                if old is None
                else (
                    "changed"
                    if any(not _same(old[f], v[f]) for f in REPLICATION_FIELDS)
                    else "unchanged"
                )
            )
            rows.append(
                {
                    "kind": "replications",
                    "alliance": v["alliance"],
                    "stakeholder": v["territory"],
                    "change": change,
                    "source_sheet": record.sheet,
                    "source_row": record.row,
                }
            )
        contracts = {
            (r["alliance"], r["contract"].casefold()): r
            for r in cur.execute(CONTRACTS, params).df().to_dict("records")
        }
        for record in parsed.records["contracts"]:
            v = record.values
            old = contracts.get((v["alliance"], v["contract"].casefold()))
            fields = [f for f in v if f not in ("contract", "alliance")]
            change = (
                "added"
                if old is None
                else (
                    "changed"
                    if any(not _same(old[CONTRACT_FIELD_COLUMNS.get(f, f)], v[f]) for f in fields)
                    else "unchanged"
                )
            )
            rows.append(
                {
                    "kind": "contracts",
                    "alliance": v["alliance"],
                    "indicator": v["indicator"],
                    "stakeholder": v["contract"],
                    "change": change,
                    "source_sheet": record.sheet,
                    "source_row": record.row,
                }
            )
        for kind, (keys, compared) in CONTRACT_ROWS.items():
            if not parsed.records[kind]:
                continue
            standing = {
                _row_key(r, keys): r
                for r in cur.execute(CONTRACT_ROWS_SQL[kind], params).df().to_dict("records")
            }
            for record in parsed.records[kind]:
                v = record.values
                old = standing.get(_row_key(v, keys))
                change = (
                    "added"
                    if old is None
                    else "changed"
                    if any(not _same(old[f], v[f]) for f in compared)
                    else "unchanged"
                )
                rows.append(
                    {
                        "kind": kind,
                        "alliance": v["alliance"],
                        "stakeholder": v["contract"],
                        "change": change,
                        "source_sheet": record.sheet,
                        "source_row": record.row,
                    }
                )
        return rows

    def import_file(
        self,
        content: bytes,
        file_name: str,
        actor: Actor,
        lang: str = "fr",
        dry_run: bool = False,
        progress: Progress | None = None,
        validate: bool = False,
    ) -> ImportResult:
        """Check a file and, unless ``dry_run``, write it in one transaction, as ``actor``.

        Raises ``ValidationError`` (with every problem) if anything in the file is wrong, and
        ``AccessDenied`` if the account may not write every alliance the file touches (or
        would add or change an indicator without being an admin); then nothing is written but
        the refusal, to the audit log. Re-importing a file already imported writes nothing.
        The upload is ``submitted``; ``validate`` validates it at once (admins and leads).
        """
        parsed = isolation.parse(content, file_name, progress)
        if progress:
            progress(0.95, "progress.comparing")
        plan, outside, result = self._apply(parsed, actor, lang, dry_run, validate)
        if result is not None:
            return result
        # Refused: nothing was written; an attempt on what the account may not touch is kept
        # in the audit log. Rows naming an alliance it cannot read are told apart from a typo
        # only there: to the account, that alliance is unknown, as one that does not exist.
        if not plan.ok:
            if outside:
                self.record(actor, "upload", file_name, {"outside_grants": outside}, "refused")
            raise ValidationError("err.refused", parsed.problems, count=len(parsed.problems))
        assert plan.refusal is not None
        if not dry_run:
            reason = {"reason": plan.refusal.key, **plan.refusal.params}
            self.record(actor, "upload", file_name, reason, outcome="refused")
        raise plan.refusal

    @retried
    def _apply(
        self, parsed: Parsed, actor: Actor, lang: str, dry_run: bool, validate: bool
    ) -> tuple[Plan, list[str], ImportResult | None]:
        """The file's plan against the data as it stands and, when it may be written, its
        write, in one transaction; the result, or why not (the plan, and alliances the file
        names outside the account's grants)."""
        outside: list[str] = []
        file_name = parsed.file_name
        with self._transaction(lang) as cur:
            plan = self._plan(cur, parsed, actor, lang)
            if not plan.ok:
                outside = [] if dry_run else self._outside_grants(cur, actor, parsed)
            elif plan.refusal is None and validate:
                refused = actor.refused("validate", plan.alliances)
                if refused:
                    plan.refusal = AccessDenied.of("err.validate_denied", names=", ".join(refused))
            if plan.ok and plan.refusal is None:
                if dry_run or not plan.writes:
                    return plan, outside, ImportResult(plan, None, dry_run)
                upload_id = self._write(cur, plan, actor, validate)
                details = {"file": file_name, **plan.counts, "alliances": plan.alliances}
                self._audit(cur, actor, "upload", f"#{upload_id}", details)
                return plan, outside, ImportResult(plan, upload_id, False, validate)
        return plan, outside, None

    def _write(
        self, cur: duckdb.DuckDBPyConnection, plan: Plan, actor: Actor, validate: bool = False
    ) -> int:
        parsed = plan.parsed
        now = clock.now()
        upload_id = backend.next_id(cur, "upload")
        cur.execute(
            "INSERT INTO upload (id, file_name, sha256, size, uploaded_by, uploaded_at, content, "
            "added, changed, unchanged, missing, validated_at, validated_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        diff = plan.diff
        for record in parsed.records["alliances"]:
            v = record.values
            given = {f: v[f] for f in ALLIANCE_FIELDS if v[f] not in (None, "")}
            cur.execute(
                "INSERT INTO alliance (id, name, upload_id) "
                "SELECT (SELECT coalesce(max(id), 0) + 1 FROM alliance), ?, ? "
                "WHERE NOT EXISTS (SELECT 1 FROM alliance WHERE name = ?)",
                [v["alliance"], upload_id, v["alliance"]],
            )
            (alliance_id,) = cur.execute(
                "SELECT id FROM alliance WHERE name = ?", [v["alliance"]]
            ).fetchone() or (None,)
            _set_reference(cur, upload_id, "alliance", alliance_id, given)
        for record in parsed.records["stakeholders"]:
            v = record.values
            cur.execute(
                "INSERT INTO stakeholder (id, alliance_id, name, type, upload_id) "
                "SELECT (SELECT coalesce(max(id), 0) + 1 FROM stakeholder), a.id, ?, ?, ? "
                "FROM alliance a WHERE a.name = ? AND NOT EXISTS "
                "(SELECT 1 FROM stakeholder s WHERE s.alliance_id = a.id AND s.name = ?)",
                [v["stakeholder"], v["type"], upload_id, v["alliance"], v["stakeholder"]],
            )
            (partner_id,) = cur.execute(
                "SELECT s.id FROM stakeholder s JOIN alliance a ON a.id = s.alliance_id "
                "WHERE a.name = ? AND s.name = ?",
                [v["alliance"], v["stakeholder"]],
            ).fetchone() or (None,)
            _set_reference(cur, upload_id, "stakeholder", partner_id, {"type": v["type"]})
        described = (
            {
                code: (fr, en)
                for code, fr, en in cur.execute(
                    "SELECT code, description_fr, description_en FROM indicator"
                ).fetchall()
            }
            if parsed.records["indicators"]
            else {}
        )
        for record in parsed.records["indicators"]:
            v = record.values
            cur.execute(
                "INSERT INTO indicator (code, label_fr, label_en, dimension, unit, direction, "
                "aggregation, description_fr, description_en, builtin, upload_id) "
                "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ? "
                "WHERE NOT EXISTS (SELECT 1 FROM indicator WHERE code = ?)",
                [
                    v["indicator"],
                    v["label_fr"],
                    v["label_en"],
                    v["dimension"],
                    v["unit"],
                    v["direction"],
                    v["aggregation"],
                    v["description"],
                    v["description"],
                    upload_id,
                    v["indicator"],
                ],
            )
            definition = {f: v[f] for f in INDICATOR_FIELDS if f in v}
            if _new_description(described.get(v["indicator"]), v["description"]):
                definition.update(description_fr=v["description"], description_en=v["description"])
            _set_reference(cur, upload_id, "indicator", v["indicator"], definition)
        if plan.observations.num_rows:
            cur.register("written", _with_ids(cur, plan.observations, plan.alliances))
            cur.execute(INSERT_OBSERVATIONS, {"upload": upload_id})
            cur.unregister("written")
        targets = diff[diff["kind"] == "targets"]
        if len(targets):
            cur.register("incoming_targets", targets[[*TARGET_FRAME, "change"]])
            cur.execute(INSERT_TARGETS, {"upload": upload_id})
            cur.unregister("incoming_targets")
        versioned = diff[diff["kind"].isin(["replications", "contracts", *CONTRACT_ROWS])]
        changed = {
            (row["kind"], row["source_sheet"], row["source_row"])
            for row in versioned.to_dict("records")
            if row["change"] != "unchanged"
        }
        for record in parsed.records["replications"]:
            if ("replications", record.sheet, record.row) not in changed:
                continue
            v = record.values
            cur.execute(
                "INSERT INTO replication (upload_id, alliance_id, mode, territory, "
                "territory_code, started, status, beneficiaries, latitude, longitude, note) "
                "SELECT ?, id, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM alliance WHERE name = ?",
                [
                    upload_id,
                    v["mode"],
                    v["territory"],
                    v["territory_code"],
                    v["started"],
                    v["status"],
                    v["beneficiaries"],
                    v["latitude"],
                    v["longitude"],
                    v["note"],
                    v["alliance"],
                ],
            )
        for record in parsed.records["contracts"]:
            if ("contracts", record.sheet, record.row) not in changed:
                continue
            v = record.values
            values = [v[CONTRACT_COLUMN_FIELDS.get(c, c)] for c in CONTRACT_COLUMNS]
            cur.execute(
                f"INSERT INTO outcome_contract (upload_id, name, alliance_id, indicator_code, "
                f"{', '.join(CONTRACT_COLUMNS)}) "
                f"SELECT ?, ?, id, ?, {', '.join('?' for _ in CONTRACT_COLUMNS)} "
                "FROM alliance WHERE name = ?",
                [upload_id, v["contract"], v["indicator"], *values, v["alliance"]],
            )
        for kind, (keys, fields) in CONTRACT_ROWS.items():
            names = (*keys, *fields)
            rows = [
                [upload_id, r.values["contract"], *map(r.values.get, names), r.values["alliance"]]
                for r in parsed.records[kind]
                if (kind, r.sheet, r.row) in changed
            ]
            if rows:
                columns = ", ".join(f'"{c}"' for c in names)
                marks = ", ".join("?" for _ in names)
                cur.executemany(
                    f"INSERT INTO {CONTRACT_ROW_TABLES[kind]} (upload_id, contract, alliance_id, "
                    f"{columns}) SELECT ?, ?, id, {marks} FROM alliance WHERE name = ?",
                    rows,
                )
        cur.execute(
            "INSERT INTO upload_alliance SELECT ?, id FROM alliance WHERE list_contains(?, name)",
            [upload_id, plan.alliances],
        )
        kept.imported(cur, upload_id, validate, kept.touched_by(cur, upload_id))
        return upload_id

    def _outside_grants(
        self, cur: duckdb.DuckDBPyConnection, actor: Actor, parsed: Parsed
    ) -> list[str]:
        """Alliances that exist and that rows of the file name, but that ``actor`` cannot
        read (the file then reads as naming unknown alliances)."""
        named = {key(name) for name in parsed.alliance_names()}
        names = [r[0] for r in cur.execute("SELECT name FROM alliance").fetchall()]
        return sorted(n for n in names if key(n) in named and not actor.reads(n))

    def _check_upload_right(self, actor: Actor, right: str, upload_id: int, lang: str) -> list[str]:
        """The alliances the upload holds rows of, if ``actor`` may ``right`` on every one of
        them (an upload of no alliance's rows, such as indicators alone, is the admin's);
        else the refusal is written to the audit log and raised."""
        alliances = self.upload_alliances(upload_id)
        if actor.admin or (alliances and actor.may_all(right, alliances)):
            return alliances
        self.record(
            actor,
            right,
            f"#{upload_id}",
            {"refused": actor.refused(right, alliances)},
            outcome="refused",
        )
        raise AccessDenied.of(f"err.{right}_upload_denied", upload=upload_id)

    def _upload_state(
        self, cur: duckdb.DuckDBPyConnection, upload_id: int, lang: str
    ) -> tuple[Any, Any]:
        row = cur.execute(
            "SELECT rolled_back_at, validated_at FROM upload WHERE id = ?", [upload_id]
        ).fetchone()
        if row is None:
            raise StoreError.of("err.no_such_upload", upload=upload_id)
        return row[0], row[1]

    def rollback(self, upload_id: int, actor: Actor, lang: str = "fr") -> str:
        """Hide an upload's values: each key falls back to its previous value. Needs the
        ``rollback`` right (editor, lead) on every alliance the upload holds rows of."""
        self._mark_upload(upload_id, actor, "rollback", lang)
        return t("summary.rolled_back", lang, upload=upload_id)

    def validate(self, upload_id: int, actor: Actor, lang: str = "fr") -> str:
        """Mark an upload as checked by the steering committee: funders then read it. Needs
        the ``validate`` right (lead) on every alliance the upload holds rows of."""
        self._mark_upload(upload_id, actor, "validate", lang)
        return t("summary.validated", lang, upload=upload_id)

    @retried
    def _mark_upload(self, upload_id: int, actor: Actor, right: str, lang: str) -> None:
        """Roll back or validate an upload: it must exist, the account must have the right on
        every alliance it holds rows of, and it must not be rolled back (nor, to validate,
        validated already); written with its line of the audit log."""
        with self.cursor() as cur:
            self._upload_state(cur, upload_id, lang)  # "does not exist" before "refused"
        self._check_upload_right(actor, right, upload_id, lang)
        with self._transaction(lang) as cur:
            rolled_back, validated = self._upload_state(cur, upload_id, lang)
            if rolled_back is not None:
                key_ = (
                    "err.already_rolled_back" if right == "rollback" else "err.validate_rolled_back"
                )
                raise StoreError.of(key_, upload=upload_id)
            if right == "validate" and validated is not None:
                raise StoreError.of("err.already_validated", upload=upload_id)
            # The statements are constants chosen by ``right``; the values are bound.
            cur.execute(MARK_UPLOAD[right], [clock.now(), actor.email, upload_id])
            if right == "rollback":
                _restore_references(cur, upload_id)
            kept.refresh(cur, kept.touched_by(cur, upload_id))
            self._audit(cur, actor, right, f"#{upload_id}")


def _reference_row(
    cur: duckdb.DuckDBPyConnection, entity: str, entity_id: Any, fields: tuple[str, ...]
) -> dict[str, str | None]:
    key_column, allowed = REFERENCE_FIELDS[entity]
    assert set(fields) <= set(allowed)
    # Table and column names come from REFERENCE_FIELDS; the key is bound.
    columns = ", ".join(f"CAST({f} AS VARCHAR)" for f in fields)
    row = cur.execute(
        f"SELECT {columns} FROM {entity} WHERE {key_column} = ?", [entity_id]
    ).fetchone()
    return dict(zip(fields, row or (None,) * len(fields), strict=True))


def _set_reference(
    cur: duckdb.DuckDBPyConnection,
    upload_id: int,
    entity: str,
    entity_id: Any,
    values: dict[str, Any],
) -> None:
    """Write reference fields of one row and keep, field by field, the value before and after
    (``reference_change``), so that rolling the upload back restores them. A field the upload
    states with the value it already has is kept too: should an earlier upload that set it be
    rolled back, this one still says so."""
    if entity_id is None or not values:
        return
    key_column, _ = REFERENCE_FIELDS[entity]
    fields = tuple(values)
    before = _reference_row(cur, entity, entity_id, fields)
    assignments = ", ".join(f"{f} = ?" for f in fields)
    cur.execute(
        f"UPDATE {entity} SET {assignments} WHERE {key_column} = ?",
        [*values.values(), entity_id],
    )
    after = _reference_row(cur, entity, entity_id, fields)
    changes = [[upload_id, entity, str(entity_id), f, before[f], after[f]] for f in fields]
    cur.executemany("INSERT INTO reference_change VALUES (?, ?, ?, ?, ?, ?)", changes)


def _restore_references(cur: duckdb.DuckDBPyConnection, upload_id: int) -> None:
    """After ``upload_id`` is rolled back: every reference field it changed takes the value of
    the latest change still standing, else the value before the first change."""
    touched = cur.execute(
        "SELECT DISTINCT entity, entity_id, field FROM reference_change WHERE upload_id = ?",
        [upload_id],
    ).fetchall()
    for entity, entity_id, field_ in touched:
        key_column, allowed = REFERENCE_FIELDS[entity]
        if field_ not in allowed:
            continue
        history = cur.execute(
            "SELECT c.old_value, c.new_value, u.rolled_back_at IS NULL FROM reference_change c "
            "JOIN upload u ON u.id = c.upload_id "
            "WHERE c.entity = ? AND c.entity_id = ? AND c.field = ? ORDER BY c.upload_id",
            [entity, entity_id, field_],
        ).fetchall()
        standing = [new for _, new, kept in history if kept]
        value = standing[-1] if standing else history[0][0]
        # Table and column names come from REFERENCE_FIELDS; the values are bound.
        cur.execute(
            f"UPDATE {entity} SET {field_} = ? WHERE CAST({key_column} AS VARCHAR) = ?",
            [value, entity_id],
        )


def _write_refusal(actor: Actor, plan: Plan, lang: str) -> AccessDenied | None:
    """Why ``actor`` may not write ``plan`` (``None`` when it may): it needs the ``upload``
    right on every alliance the file touches (only an admin creates an alliance), and only an
    admin adds or changes an indicator of the shared catalog."""
    refused = actor.refused("upload", plan.alliances)
    if refused:
        return AccessDenied.of("err.upload_denied", names=", ".join(refused))
    diff = plan.diff
    if not actor.admin and len(diff) and "indicator" in diff.columns:
        catalog_changes = diff[(diff["kind"] == "indicators") & (diff["change"] != "unchanged")]
        if len(catalog_changes):
            codes = ", ".join(sorted(set(catalog_changes["indicator"])))
            return AccessDenied.of("err.indicator_denied", codes=codes)
    return None


def _new_description(stored: tuple[str, str] | None, given: str) -> bool:
    """Whether a file's description of an indicator changes it: a blank one keeps the one there
    is, and so does one that restates it in either language."""
    return bool(given) and (stored is None or given not in stored)


def _redefines(stored: tuple[Any, ...], given: dict[str, Any]) -> bool:
    """Whether a file's row of the ``indicators`` sheet changes the definition ``stored``
    (``INDICATOR_FIELDS``, then the French and English descriptions): any field of it, the
    description included (only an admin changes the shared catalogue)."""
    fields = stored[: len(INDICATOR_FIELDS)]
    descriptions = (str(stored[-2]), str(stored[-1]))
    return fields != tuple(given[f] for f in INDICATOR_FIELDS) or _new_description(
        descriptions, given["description"]
    )


def _row_key(row: Any, keys: tuple[str, ...]) -> tuple[Any, ...]:
    """A contract's row by its alliance, its contract and its key within it, as the store
    partitions them
    (text without case, dates as days, numbers as numbers)."""

    def one(value: Any) -> Any:
        if value is None or (isinstance(value, float) and value != value):
            return None
        if isinstance(value, str):
            return value.casefold()
        if hasattr(value, "date") and callable(value.date):
            return value.date()
        return value

    return (row["alliance"], str(row["contract"]).casefold(), *(one(row[k]) for k in keys))


def _same(stored: Any, given: Any) -> bool:
    """Whether a stored cell equals a value read from a file (NULL, NaN and '' are one)."""

    def blank(x: Any) -> bool:
        return x is None or x == "" or (isinstance(x, float) and x != x)

    if blank(stored) or blank(given):
        return blank(stored) and blank(given)
    if isinstance(stored, pd.Timestamp):
        stored = stored.date()
    if isinstance(stored, dt.datetime):
        stored = stored.date()
    if isinstance(stored, (int, float)) and isinstance(given, (int, float)):
        return float(stored) == float(given)
    return bool(stored == given)
