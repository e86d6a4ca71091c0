"""What the pages read, kept by the writes: current values, roll-ups by view period, and a
summary per alliance (tables of migration 005).

The history of values by upload stays the truth; reading "the current value of each key" from
it means a window over every row ever sent, at every read. Instead, each write keeps these
tables in its own transaction: an import makes its rows the current ones of their keys (they
are the newest) and recomputes the roll-ups of the alliances it touched; a rollback or a
validation recomputes those alliances from the history, with the same rules. There are two
scopes: what an alliance's members read (every upload not rolled back) and what its funders
read (validated uploads only); a current value or roll-up row says which it belongs to (most
belong to both), the summary has a row per scope.

``rebuild`` recomputes everything (after the migration that creates the tables, or to check
them: ``tests/test_kept.py`` compares them with a rebuild after random writes).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import duckdb

# Granularities from the finest; a view period takes values of its rank or finer. The year,
# quarter and month views are kept; a view by day is computed at read time.
RANKS = {"day": 1, "month": 2, "quarter": 3, "year": 4}
VIEWS = ("year", "quarter", "month")


def rank_of(granularity: str) -> str:
    """SQL: the rank of the granularity in column ``granularity``."""
    cases = " ".join(f"WHEN '{name}' THEN {rank}" for name, rank in RANKS.items())
    return f"CASE {granularity} {cases} END"


def expected(view: str, granularity: str, n: str) -> str:
    """SQL: how many values of ``granularity`` a period of ``view`` holds (days: the ``n``
    there are), so that a sum over 9 months out of 12 can be flagged as partial."""
    return f"""CASE {granularity}
            WHEN 'day' THEN {n}
            ELSE CASE {view}
                WHEN 'year' THEN CASE {granularity}
                    WHEN 'quarter' THEN 4 WHEN 'month' THEN 12 ELSE 1 END
                WHEN 'quarter' THEN CASE {granularity} WHEN 'month' THEN 3 ELSE 1 END
                ELSE 1 END
       END"""


# Which alliances a statement works on (the range lets DuckDB skip the blocks of others).
_THESE = "({column} BETWEEN $first AND $last AND list_contains($ids, {column}))"
# How many rows of history one pass over some alliances ranks at most (DuckDB's memory is
# capped: a database of millions of values is recomputed a few hundred thousand rows at a time).
CHUNK_ROWS = 400_000
# Roll-ups group current values (no ranking of the history): larger passes.
ROLLUP_ROWS = 2_000_000

KEPT_TABLES = ("current_observation", "rollup", "alliance_summary")
# Statements over fixed table names; which alliances is bound.
_CLEAR = {
    table: f"DELETE FROM {table} WHERE {_THESE.format(column='alliance_id')}"
    for table in KEPT_TABLES
}
_CLEAR_ALL = {table: f"DELETE FROM {table}" for table in KEPT_TABLES}

# The latest row of each key from any upload not rolled back (the members' scope) and from a
# validated one (the funders'): one row when it is the same, else one per scope.
_CURRENT = f"""
INSERT INTO current_observation
SELECT latest = 1, validated AND latest_validated = 1, upload_id, alliance_id, indicator_code,
       period, granularity, period_start, period_end, stakeholder_id, value, comment
FROM (
    SELECT o.*, u.validated_at IS NOT NULL AS validated,
           row_number() OVER (
               PARTITION BY o.alliance_id, o.indicator_code, o.period, o.stakeholder_id
               ORDER BY o.upload_id DESC) AS latest,
           row_number() OVER (
               PARTITION BY o.alliance_id, o.indicator_code, o.period, o.stakeholder_id,
                            u.validated_at IS NOT NULL
               ORDER BY o.upload_id DESC) AS latest_validated
    FROM observation o
    JOIN upload u ON u.id = o.upload_id
    WHERE u.rolled_back_at IS NULL AND {_THESE.format(column="o.alliance_id")}
)
WHERE latest = 1 OR (validated AND latest_validated = 1)
"""

# An import ($upload, validated at once or not) only adds the newest rows: each replaces its
# key's current row in the members' scope, and in the funders' if validated; a row left in
# neither scope goes.
_UNSEAT = """
UPDATE current_observation c SET members = false, funders = c.funders AND NOT $validated
FROM observation o
WHERE o.upload_id = $upload AND c.alliance_id = o.alliance_id
  AND c.indicator_code = o.indicator_code AND c.period = o.period
  AND c.stakeholder_id IS NOT DISTINCT FROM o.stakeholder_id
"""
_DROP_UNSEATED = "DELETE FROM current_observation WHERE NOT members AND NOT funders"
_SEAT = """
INSERT INTO current_observation
SELECT true, $validated, upload_id, alliance_id, indicator_code, period, granularity,
       period_start, period_end, stakeholder_id, value, comment
FROM observation WHERE upload_id = $upload
"""

# The alliances with values from an upload not validated yet. For the others, what funders
# read is what members read, and one roll-up serves both.
_PENDING = f"""
SELECT DISTINCT ua.alliance_id FROM upload u JOIN upload_alliance ua ON ua.upload_id = u.id
WHERE u.rolled_back_at IS NULL AND u.validated_at IS NULL
  AND {_THESE.format(column="ua.alliance_id")}
"""
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
_RANK = rank_of("c.granularity")
_SCOPED = f"""
WITH scoped AS (
    SELECT c.alliance_id, c.indicator_code, c.stakeholder_id, c.granularity, c.period_end,
           c.value, date_trunc('{{view}}', c.period_start)::DATE AS bucket, {_RANK} AS rank
    FROM current_observation c
    WHERE (CASE WHEN $of_funders THEN c.funders ELSE c.members END)
      AND {_RANK} <= {{view_rank}} AND {_THESE.format(column="c.alliance_id")}
),
-- A value of the view's own granularity is its period's value (the coarsest there can be).
whole AS (SELECT * FROM scoped WHERE rank = {{view_rank}})"""
_WHOLE = """
SELECT $for_members, $for_funders, '{view}', alliance_id, indicator_code, stakeholder_id,
       bucket, value, 1, 1, granularity
FROM whole
"""
_FINER = f""",
-- Finer values, where there is none of the view's granularity: per granularity first...
by_granularity AS (
    SELECT s.alliance_id, s.indicator_code, s.stakeholder_id, s.bucket, s.rank,
           any_value(s.granularity) AS granularity, sum(s.value) AS total,
           avg(s.value) AS mean, arg_max(s.value, s.period_end) AS last, count(*) AS n
    FROM scoped s
    ANTI JOIN whole w ON w.alliance_id = s.alliance_id AND w.indicator_code = s.indicator_code
        AND w.stakeholder_id IS NOT DISTINCT FROM s.stakeholder_id AND w.bucket = s.bucket
    WHERE s.rank < {{view_rank}}
    GROUP BY s.alliance_id, s.indicator_code, s.stakeholder_id, s.bucket, s.rank
),
-- ...then the coarsest granularity of each period.
coarsest AS (
    SELECT alliance_id, indicator_code, stakeholder_id, bucket,
           arg_max({{{{'granularity': granularity, 'total': total, 'mean': mean,
                       'last': last, 'n': n}}}}, rank) AS top
    FROM by_granularity
    GROUP BY alliance_id, indicator_code, stakeholder_id, bucket
)
SELECT $for_members, $for_funders, '{{view}}', c.alliance_id, c.indicator_code,
       c.stakeholder_id, c.bucket,
       CASE i.aggregation
            WHEN 'sum' THEN c.top.total
            WHEN 'mean' THEN c.top.mean
            ELSE c.top.last END AS value,
       c.top.n,
       {expected("'{view}'", "c.top.granularity", "c.top.n")} AS expected,
       c.top.granularity
FROM coarsest c JOIN indicator i ON i.code = c.indicator_code
UNION ALL"""
# One statement per kept view: the view and its rank are written into it (DuckDB then reads
# each period's start once, not a part name per row). Where the alliances hold no value finer
# than the view (months in a month view, the usual case), the view's values are copied as they
# are: the search for finer values to combine costs as much as the copy, for nothing.
_ROLLUP = {
    (view, finer): ("INSERT INTO rollup" + _SCOPED + (_FINER if finer else "") + _WHOLE).format(
        view=view, view_rank=RANKS[view]
    )
    for view in VIEWS
    for finer in (True, False)
}
# The finest granularity of some alliances' current values, in either scope.
_FINEST = f"""
SELECT min({rank_of("granularity")}) FROM current_observation
WHERE {_THESE.format(column="alliance_id")}
"""
# How much current data each alliance has, and when the latest upload whose values are current
# was sent (the latest upload in scope with values of the alliance: a later one would have
# replaced them).
_SUMMARY = f"""
INSERT INTO alliance_summary
SELECT s.validated_only, c.alliance_id, count(DISTINCT c.indicator_code), count(*),
       min(c.period_start), max(c.period_end), max(u.uploaded_at)
FROM current_observation c JOIN upload u ON u.id = c.upload_id
JOIN (VALUES (false), (true)) s(validated_only)
  ON CASE WHEN s.validated_only THEN c.funders ELSE c.members END
WHERE {_THESE.format(column="c.alliance_id")}
GROUP BY s.validated_only, c.alliance_id
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
    transaction): after a rollback or a validation."""
    for chunk in _chunks(cur, alliance_ids):
        cur.execute(_CLEAR["current_observation"], _these(chunk))
        cur.execute(_CURRENT, _these(chunk))
        _roll_up(cur, chunk)


def imported(
    cur: duckdb.DuckDBPyConnection, upload_id: int, validated: bool, alliance_ids: Iterable[int]
) -> None:
    """After the import of ``upload_id`` (the newest upload): its rows become the current ones
    of their keys, without ranking the history again; the roll-ups and summaries of
    ``alliance_ids`` (those it holds rows of, and those holding values of an indicator it
    redefined) are recomputed."""
    upload = {"upload": upload_id, "validated": validated}
    cur.execute(_UNSEAT, upload)
    cur.execute(_DROP_UNSEATED)
    cur.execute(_SEAT, upload)
    for chunk in _chunks(cur, alliance_ids, ROLLUP_ROWS):
        _roll_up(cur, chunk)


def rebuild(cur: duckdb.DuckDBPyConnection) -> None:
    """Recompute the kept tables of every alliance."""
    for statement in _CLEAR_ALL.values():
        cur.execute(statement)
    refresh(cur, [r[0] for r in cur.execute("SELECT id FROM alliance").fetchall()])


def touched_by(cur: duckdb.DuckDBPyConnection, upload_id: int) -> list[int]:
    """The alliances whose kept tables ``upload_id`` changes."""
    return [int(r[0]) for r in cur.execute(_TOUCHED, {"upload": upload_id}).fetchall()]


def _chunks(
    cur: duckdb.DuckDBPyConnection, alliance_ids: Iterable[int], budget: int = CHUNK_ROWS
) -> Iterator[list[int]]:
    """The alliances in groups of at most about ``budget`` rows of history (one alliance
    bigger than that is a group of its own)."""
    ids = sorted({int(i) for i in alliance_ids})
    if not ids:
        return
    sizes = dict(cur.execute(_SIZES, _these(ids)).fetchall())
    chunk: list[int] = []
    rows = 0
    for alliance in ids:
        size = int(sizes.get(alliance, 0))
        if chunk and rows + size > budget:
            yield chunk
            chunk, rows = [], 0
        chunk.append(alliance)
        rows += size
    yield chunk


def _these(ids: list[int]) -> dict[str, object]:
    return {"ids": ids, "first": min(ids), "last": max(ids)}


def _roll_up(cur: duckdb.DuckDBPyConnection, ids: list[int]) -> None:
    """The roll-ups and summaries of some alliances, from their current values."""
    these = _these(ids)
    for table in ("rollup", "alliance_summary"):
        cur.execute(_CLEAR[table], these)
    pending = {int(r[0]) for r in cur.execute(_PENDING, these).fetchall()}
    settled = [i for i in ids if i not in pending]
    # (alliances, the scope read, whether the result is the members', the funders')
    passes = [
        (settled, False, True, True),
        (sorted(pending), False, True, False),
        (sorted(pending), True, False, True),
    ]
    (finest,) = cur.execute(_FINEST, these).fetchone() or (None,)
    for group, of_funders, for_members, for_funders in passes:
        if not group or finest is None:  # (no current value: nothing to roll up)
            continue
        params = {
            **_these(group),
            "of_funders": of_funders,
            "for_members": for_members,
            "for_funders": for_funders,
        }
        for view in VIEWS:
            cur.execute(_ROLLUP[view, finest < RANKS[view]], params)
    cur.execute(_SUMMARY, these)
