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

# The view periods kept; a finer one (days) is computed at read time from the current values.
VIEWS = ("year", "quarter", "month")

# Which alliances a statement works on: every one, or those of $ids.
_THESE = "($every OR list_contains($ids, {column}))"

_CLEAR = [
    f"DELETE FROM {table} WHERE {_THESE.format(column='alliance_id')}"
    for table in ("current_observation", "rollup", "alliance_summary")
]

# Per scope, the latest row of each key from an upload in that scope.
_CURRENT = f"""
INSERT INTO current_observation
SELECT s.validated_only, o.upload_id, o.alliance_id, o.indicator_code, o.period, o.granularity,
       o.period_start, o.period_end, o.stakeholder_id, o.value, o.comment
FROM observation o
JOIN upload u ON u.id = o.upload_id
CROSS JOIN (VALUES (false), (true)) s(validated_only)
WHERE u.rolled_back_at IS NULL AND (NOT s.validated_only OR u.validated_at IS NOT NULL)
  AND {_THESE.format(column="o.alliance_id")}
QUALIFY row_number() OVER (
    PARTITION BY s.validated_only, o.alliance_id, o.indicator_code, o.period,
                 coalesce(o.stakeholder_id, -1)
    ORDER BY o.upload_id DESC) = 1
ORDER BY o.alliance_id, o.indicator_code, o.period_start
"""

# Values by view period, each indicator by its own rule (sum of flows, mean of rates and scores,
# last value of stocks). A value counts in a coarser view period (a month in its year), never in
# a finer one; within one view period only the coarsest reported granularity is used, so that a
# yearly total and its months are not added up twice. ``expected`` is how many sub-periods the
# view period holds, so that a sum over 9 months out of 12 can be flagged as partial.
_ROLLUP = f"""
INSERT INTO rollup
WITH ranked AS (
    SELECT c.validated_only, v.view_granularity, c.alliance_id, c.indicator_code,
           c.stakeholder_id, c.granularity, c.period_end, c.value, i.aggregation, r.rank,
           date_trunc(v.view_granularity, c.period_start)::DATE AS bucket
    FROM current_observation c
    JOIN indicator i ON i.code = c.indicator_code
    JOIN (VALUES ('day', 1), ('month', 2), ('quarter', 3), ('year', 4)) r(granularity, rank)
      ON r.granularity = c.granularity
    JOIN (VALUES ('month', 2), ('quarter', 3), ('year', 4)) v(view_granularity, view_rank)
      ON r.rank <= v.view_rank
    WHERE {_THESE.format(column="c.alliance_id")}
),
coarsest AS (
    SELECT * FROM ranked
    QUALIFY rank = max(rank) OVER (PARTITION BY validated_only, view_granularity, alliance_id,
                                                indicator_code, stakeholder_id, bucket)
)
SELECT validated_only, view_granularity, alliance_id, indicator_code, stakeholder_id, bucket,
       CASE any_value(aggregation)
            WHEN 'sum' THEN sum(value)
            WHEN 'mean' THEN avg(value)
            ELSE arg_max(value, period_end) END AS value,
       count(*) AS n,
       CASE any_value(granularity)
            WHEN 'day' THEN count(*)
            ELSE CASE view_granularity
                WHEN 'year' THEN CASE any_value(granularity)
                    WHEN 'quarter' THEN 4 WHEN 'month' THEN 12 ELSE 1 END
                WHEN 'quarter' THEN CASE any_value(granularity) WHEN 'month' THEN 3 ELSE 1 END
                ELSE 1 END
       END AS expected,
       any_value(granularity) AS source_granularity
FROM coarsest
GROUP BY validated_only, view_granularity, alliance_id, indicator_code, stakeholder_id, bucket
ORDER BY alliance_id, view_granularity, indicator_code, bucket
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
    transaction)."""
    ids = sorted({int(i) for i in alliance_ids})
    if ids:
        _recompute(cur, {"every": False, "ids": ids})


def rebuild(cur: duckdb.DuckDBPyConnection) -> None:
    """Recompute the kept tables of every alliance."""
    _recompute(cur, {"every": True, "ids": []})


def touched_by(cur: duckdb.DuckDBPyConnection, upload_id: int) -> list[int]:
    """The alliances whose kept tables ``upload_id`` changes."""
    return [int(r[0]) for r in cur.execute(_TOUCHED, {"upload": upload_id}).fetchall()]


def _recompute(cur: duckdb.DuckDBPyConnection, these: dict[str, object]) -> None:
    for statement in (*_CLEAR, _CURRENT, _ROLLUP, _SUMMARY):
        cur.execute(statement, these)
