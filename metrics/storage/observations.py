"""Observations and targets as an account reads them: the current value of each key (kept by
the writes, ``metrics.storage.kept``), or the values as they stood right after an upload
(``as_of``, from the history)."""

from __future__ import annotations

import pandas as pd

from metrics.base.access import Reader
from metrics.storage.database import Database
from metrics.storage.reference import STAKEHOLDER_READ
from metrics.storage.scope import SCOPE_FILTER, VISIBLE, kept_scope, scoped

# The current value of each key, as the writes keep it (``metrics.storage.kept``). Every read of
# observations as they stand now (and every diff of an import) goes through this one definition.
CURRENT_OBSERVATIONS = f"""
SELECT a.name AS alliance, o.indicator_code AS indicator, o.period, o.granularity,
       o.period_start, o.period_end, coalesce(s.name, '') AS stakeholder,
       coalesce(s.type, '') AS stakeholder_type, o.value, o.comment, o.upload_id
FROM current_observation o
JOIN alliance a ON a.id = o.alliance_id
LEFT JOIN {STAKEHOLDER_READ} ON s.id = o.stakeholder_id
WHERE {kept_scope("o.members", "o.funders")} AND ($alliance IS NULL OR a.name = $alliance)
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
# The current values of some indicators only, of every alliance the account reads.
INDICATOR_VALUES = (
    CURRENT_OBSERVATIONS + "AND list_contains($indicators, o.indicator_code)\n" + OBSERVATIONS_ORDER
)
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


# When a value of each key of an alliance's own values first came (its earliest upload still
# standing that the account reads), for the timeliness of its reporting.
ARRIVALS = f"""
WITH {VISIBLE}
SELECT a.name AS alliance, o.indicator_code AS indicator, o.granularity, o.period,
       min(u.uploaded_at) AS arrived
FROM observation o
JOIN visible v ON v.id = o.upload_id
JOIN upload u ON u.id = o.upload_id
JOIN alliance a ON a.id = o.alliance_id
WHERE {SCOPE_FILTER} AND o.stakeholder_id IS NULL AND ($alliance IS NULL OR a.name = $alliance)
GROUP BY ALL
ORDER BY alliance, indicator, granularity, period
"""


class Observations:
    """Values and targets of the alliances an account reads."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def observations(
        self, actor: Reader, alliance: str | None = None, as_of: int | None = None
    ) -> pd.DataFrame:
        """Current values (or as they stood right after upload ``as_of``), one per key."""
        sql = OBSERVATIONS if as_of is None else OBSERVATIONS_THEN
        return self.db.frame(sql, {**scoped(actor, alliance), "as_of": as_of})

    def indicator_values(self, actor: Reader, indicators: list[str]) -> pd.DataFrame:
        """The current values of ``indicators`` of every alliance ``actor`` reads, as
        ``observations`` gives them."""
        params = {**scoped(actor, None), "as_of": None, "indicators": indicators}
        return self.db.frame(INDICATOR_VALUES, params)

    def arrivals(self, actor: Reader, alliance: str | None = None) -> pd.DataFrame:
        """When a value of each key of the alliances' own values first came: ``alliance``,
        ``indicator``, ``granularity``, ``period``, ``arrived``."""
        return self.db.frame(ARRIVALS, {**scoped(actor, alliance), "as_of": None})

    def targets(
        self, actor: Reader, alliance: str | None = None, as_of: int | None = None
    ) -> pd.DataFrame:
        return self.db.frame(TARGETS, {**scoped(actor, alliance), "as_of": as_of})
