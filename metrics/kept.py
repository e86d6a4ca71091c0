"""What the pages read, kept by the writes: current values, roll-ups by view period, and a
summary per alliance (tables of migration 005).

The history of values by upload stays the truth; reading "the current value of each key" from
it means a window over every row ever sent, at every read. Instead, each write (an import, a
rollback, a validation, in its own transaction) recomputes these tables for the alliances it
touched, from the history, with the same rules the reads used to apply. Each table holds two
scopes: ``validated_only`` false is what an alliance's members read (every upload not rolled
back), true is what its funders read (validated uploads only).

``rebuild`` recomputes everything (after the migration that creates the tables, or to check
them: ``tests/test_kept.py`` compares them with a rebuild after random imports and rollbacks).
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

# The view periods kept, with the rank of the finest granularity each takes (a day is 1); a
# view by day is computed at read time from the current values.
VIEW_RANKS = {"year": 4, "quarter": 3, "month": 2}
VIEWS = tuple(VIEW_RANKS)

# Which alliances a statement works on (the range lets DuckDB skip the blocks of others).
_THESE = "({column} BETWEEN $first AND $last AND list_contains($ids, {column}))"
# How many rows of history one pass over some alliances ranks at most (DuckDB's memory is
# capped: a database of millions of values is recomputed a few hundred thousand rows at a time).
CHUNK_ROWS = 400_000

_CLEAR = [
    f"DELETE FROM {table} WHERE {_THESE.format(column='alliance_id')}"
    for table in ("current_observation", "rollup", "alliance_summary")
]

# In one scope ($validated_only), the latest row of each key from an upload in that scope.
_CURRENT = f"""
INSERT INTO current_observation
SELECT $validated_only, o.upload_id, o.alliance_id, o.indicator_code, o.period, o.granularity,
       o.period_start, o.period_end, o.stakeholder_id, o.value, o.comment
FROM observation o
JOIN upload u ON u.id = o.upload_id
WHERE u.rolled_back_at IS NULL AND (NOT $validated_only OR u.validated_at IS NOT NULL)
  AND {_THESE.format(column="o.alliance_id")}
QUALIFY row_number() OVER (
    PARTITION BY o.alliance_id, o.indicator_code, o.period, coalesce(o.stakeholder_id, -1)
    ORDER BY o.upload_id DESC) = 1
"""
# Whether some alliances have values from an upload not validated yet: if not, what funders
# read of them is what their members read, and the funders' scope is a copy.
_PENDING = f"""
SELECT count(*) FROM upload u JOIN upload_alliance ua ON ua.upload_id = u.id
WHERE u.rolled_back_at IS NULL AND u.validated_at IS NULL
  AND {_THESE.format(column="ua.alliance_id")}
"""
_COPIES = [
    f"INSERT INTO {table} SELECT * REPLACE (true AS validated_only) FROM {table} "
    f"WHERE NOT validated_only AND {_THESE.format(column='alliance_id')}"
    for table in ("current_observation", "rollup")
]
# Rows of history per alliance, to cut a recomputation into passes.
_SIZES = f"""
SELECT alliance_id, count(*) FROM observation WHERE {_THESE.format(column="alliance_id")}
GROUP BY alliance_id
"""

# Values by view period, each indicator by its own rule (sum of flows, mean of rates and scores,
# last value of stocks). A value counts in a coarser view period (a month in its year), never in
# a finer one; within one view period only the coarsest reported granularity is used, so that a
# yearly total and its months are not added up twice. ``expected`` is how many sub-periods the
# view period holds, so that a sum over 9 months out of 12 can be flagged as partial.
_ROLLUP = f"""
INSERT INTO rollup
WITH ranked AS (
    SELECT c.alliance_id, c.indicator_code, c.stakeholder_id, c.granularity, c.period_end,
           c.value, i.aggregation, r.rank,
           date_trunc($view, c.period_start)::DATE AS bucket
    FROM current_observation c
    JOIN indicator i ON i.code = c.indicator_code
    JOIN (VALUES ('day', 1), ('month', 2), ('quarter', 3), ('year', 4)) r(granularity, rank)
      ON r.granularity = c.granularity
    WHERE c.validated_only = $validated_only AND r.rank <= $view_rank
      AND {_THESE.format(column="c.alliance_id")}
),
coarsest AS (
    SELECT * FROM ranked
    QUALIFY rank = max(rank) OVER (PARTITION BY alliance_id, indicator_code, stakeholder_id,
                                                bucket)
)
SELECT $validated_only, $view, alliance_id, indicator_code, stakeholder_id, bucket,
       CASE any_value(aggregation)
            WHEN 'sum' THEN sum(value)
            WHEN 'mean' THEN avg(value)
            ELSE arg_max(value, period_end) END AS value,
       count(*) AS n,
       CASE any_value(granularity)
            WHEN 'day' THEN count(*)
            ELSE CASE $view
                WHEN 'year' THEN CASE any_value(granularity)
                    WHEN 'quarter' THEN 4 WHEN 'month' THEN 12 ELSE 1 END
                WHEN 'quarter' THEN CASE any_value(granularity) WHEN 'month' THEN 3 ELSE 1 END
                ELSE 1 END
       END AS expected,
       any_value(granularity) AS source_granularity
FROM coarsest
GROUP BY alliance_id, indicator_code, stakeholder_id, bucket
"""
# How much current data each alliance has, and when the latest upload whose values are current
# was sent (the latest upload in scope with values of the alliance: a later one would have
# replaced them).
_SUMMARY = f"""
INSERT INTO alliance_summary
SELECT c.validated_only, c.alliance_id, count(DISTINCT c.indicator_code), count(*),
       min(c.period_start), max(c.period_end), max(u.uploaded_at)
FROM current_observation c JOIN upload u ON u.id = c.upload_id
WHERE {_THESE.format(column="c.alliance_id")}
GROUP BY c.validated_only, c.alliance_id
"""

# The alliances whose kept tables an upload (its import, rollback or validation) changes: those
# it holds rows of, and those holding values of an indicator whose aggregation rule it changed.
_TOUCHED = """
SELECT alliance_id FROM upload_alliance WHERE upload_id = $upload
UNION
SELECT DISTINCT c.alliance_id FROM current_observation c
JOIN reference_change r ON r.entity = 'indicator' AND r.entity_id = c.indicator_code
WHERE r.upload_id = $upload AND r.field = 'aggregation'
"""


def refresh(cur: duckdb.DuckDBPyConnection, alliance_ids: Iterable[int]) -> None:
    """Recompute the kept tables of these alliances from the history (inside the caller's
    transaction), in passes of at most about ``CHUNK_ROWS`` rows of history."""
    ids = sorted({int(i) for i in alliance_ids})
    if not ids:
        return
    sizes = dict(cur.execute(_SIZES, _these(ids)).fetchall())
    chunk: list[int] = []
    rows = 0
    for alliance in ids:
        size = int(sizes.get(alliance, 0))
        if chunk and rows + size > CHUNK_ROWS:
            _recompute(cur, chunk)
            chunk, rows = [], 0
        chunk.append(alliance)
        rows += size
    _recompute(cur, chunk)


def rebuild(cur: duckdb.DuckDBPyConnection) -> None:
    """Recompute the kept tables of every alliance."""
    cur.execute("DELETE FROM current_observation")
    cur.execute("DELETE FROM rollup")
    cur.execute("DELETE FROM alliance_summary")
    refresh(cur, [r[0] for r in cur.execute("SELECT id FROM alliance").fetchall()])


def touched_by(cur: duckdb.DuckDBPyConnection, upload_id: int) -> list[int]:
    """The alliances whose kept tables ``upload_id`` changes."""
    return [int(r[0]) for r in cur.execute(_TOUCHED, {"upload": upload_id}).fetchall()]


def _these(ids: list[int]) -> dict[str, object]:
    return {"ids": ids, "first": min(ids), "last": max(ids)}


def _recompute(cur: duckdb.DuckDBPyConnection, ids: list[int]) -> None:
    these = _these(ids)
    for statement in _CLEAR:
        cur.execute(statement, these)
    row = cur.execute(_PENDING, these).fetchone()
    same = row is not None and row[0] == 0
    for validated_only in (False,) if same else (False, True):
        scope = {**these, "validated_only": validated_only}
        cur.execute(_CURRENT, scope)
        for view, rank in VIEW_RANKS.items():
            cur.execute(_ROLLUP, {**scope, "view": view, "view_rank": rank})
    if same:
        for statement in _COPIES:
            cur.execute(statement, these)
    cur.execute(_SUMMARY, these)
