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

    def targets(
        self, actor: Reader, alliance: str | None = None, as_of: int | None = None
    ) -> pd.DataFrame:
        return self.db.frame(TARGETS, {**scoped(actor, alliance), "as_of": as_of})
