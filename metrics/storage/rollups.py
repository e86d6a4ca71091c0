"""Values by view period, each indicator by its own rule: the roll-ups the writes keep
(``metrics.storage.kept``, where the rules are) for a year, quarter or month view between bounds
on its periods' edges, else the same rules applied at read time; and what is read off them for
a whole network (dimension scores, completeness, peer medians, last updates)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from metrics.base.access import MIN_PEERS, Actor, Reader
from metrics.base.periods import Period
from metrics.storage import kept
from metrics.storage.database import Database
from metrics.storage.observations import CURRENT_OBSERVATIONS, CURRENT_TARGETS
from metrics.storage.reference import ALLIANCE_READ, STAKEHOLDER_READ
from metrics.storage.scope import SUMMARY_SCOPE, kept_scope, scoped

VIEW_RANKS = kept.RANKS

# Values by view period, each indicator by its own rule, per stakeholder ('' for the alliance's
# own values): the roll-ups the writes keep.
KEPT_ROWS = f"""
SELECT a.name AS alliance, r.indicator_code AS indicator, coalesce(s.name, '') AS stakeholder,
       coalesce(s.type, '') AS stakeholder_type, r.bucket, i.aggregation, i.direction,
       i.dimension, r.value, r.n, r.expected, r.source_granularity,
       i.aggregation = 'sum' AND r.n < r.expected AS partial
FROM rollup r
JOIN alliance a ON a.id = r.alliance_id
JOIN indicator i ON i.code = r.indicator_code
LEFT JOIN {STAKEHOLDER_READ} ON s.id = r.stakeholder_id
WHERE r.view_granularity = $granularity AND {kept_scope("r.members", "r.funders")}
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


# The rules of ``metrics.domain.impact`` run by DuckDB for every alliance at once (the portfolio
# and the comparison read a whole network): the progress of each value to its target, when it is
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
WHERE r.view_granularity = 'year' AND {kept_scope("r.members", "r.funders")}
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
# Each alliance's theme, as the account reads it.
THEMES = f"SELECT a.name, a.theme FROM {ALLIANCE_READ}"

# When an upload the account reads last brought values to each alliance.
LAST_UPDATES = f"""
SELECT a.name AS alliance, m.last_update
FROM alliance_summary m JOIN alliance a ON a.id = m.alliance_id
WHERE {SUMMARY_SCOPE}
"""


def on_edges(granularity: str, start: dt.date | None, end: dt.date | None) -> bool:
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


def viewed(
    actor: Reader,
    alliance: str | None,
    granularity: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    indicators: list[str] | None = None,
) -> dict[str, Any]:
    """The parameters of a read by view period."""
    return {
        **scoped(actor, alliance),
        "as_of": None,
        "granularity": granularity,
        "view_rank": VIEW_RANKS[granularity],
        "start": start,
        "end": end,
        "codes": indicators,
    }


class Rollups:
    """Reads by view period of the alliances an account reads."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def aggregated(
        self,
        actor: Reader,
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
        kept_rows = on_edges(granularity, start, end)
        sql = (AGGREGATED if level == "stakeholder" else ALLIANCE_LEVEL)[kept_rows]
        params = viewed(actor, alliance, granularity, start, end, indicators)
        return self.db.columns(sql, params)

    def dimension_scores(self, actor: Reader, granularity: str = "year") -> pd.DataFrame:
        """``impact.dimension_scores`` of every alliance the account reads, by DuckDB over
        the kept roll-ups: alliance, dimension, bucket, period, score, n, total, coverage."""
        if granularity not in kept.VIEWS:
            raise ValueError(f"unknown granularity {granularity!r}")
        frame = self.db.columns(DIMENSION_SCORES, viewed(actor, None, granularity))
        periods = {
            b: Period(pd.Timestamp(b).date(), granularity).canonical  # type: ignore[arg-type]
            for b in frame["bucket"].unique()
        }
        frame.insert(3, "period", frame["bucket"].map(periods))
        frame["coverage"] = frame["n"] / frame["total"]
        return frame

    def reported(self, actor: Reader) -> pd.DataFrame:
        """Which indicators each alliance the account reads has values of: alliance,
        indicator."""
        return self.db.columns(REPORTED, actor.read_params())

    def completeness_by_year(self, actor: Reader) -> pd.DataFrame:
        """The completeness of every alliance the account reads, by year (``COMPLETENESS``):
        alliance, year, completeness, reported."""
        return self.db.columns(COMPLETENESS, viewed(actor, None, "year"))

    def peer_medians(self, actor: Reader, alliance: str, codes: list[str]) -> pd.DataFrame:
        """Per indicator of ``codes``: the median of the latest yearly value of the other
        alliances with the same theme as ``alliance``, over their validated data, and how
        many alliances it is taken over.

        Only aggregates leave the store: a median over alliances the account cannot read is
        given only when it is taken over at least ``MIN_PEERS`` alliances (else ``peers`` is
        NaN and ``peer_count`` says how many there were).
        """
        params = scoped(actor, alliance)  # refuses an alliance the account cannot read
        # The alliance's theme as the account reads it; the peers' as published (validated).
        themes = self.db.frame(THEMES, params)
        theme = themes.set_index("name")["theme"].get(alliance)
        published_themes = self.db.frame(THEMES, Actor("peers").read_params())
        names = sorted(
            published_themes.loc[
                (published_themes["theme"] == theme) & (published_themes["name"] != alliance),
                "name",
            ]
        )
        published = Actor("peers", funded=frozenset(names))  # their validated data only
        frame = self.db.frame(PEER_MEDIANS, viewed(published, None, "year", indicators=codes))
        open_to_all = all(actor.reads(n) for n in names)
        frame = frame.set_index("indicator").reindex(codes)
        frame["peer_count"] = frame["peer_count"].fillna(0).astype(int)
        hidden = (frame["peer_count"] < MIN_PEERS) & (not open_to_all)
        frame.loc[hidden, "peers"] = float("nan")
        return frame.rename_axis("indicator").reset_index()

    def last_updates(self, actor: Reader) -> pd.Series:
        """Alliance name -> when an upload the account reads last brought it values."""
        frame = self.db.frame(LAST_UPDATES, {**actor.read_params(), "as_of": None})
        return frame.set_index("alliance")["last_update"]
