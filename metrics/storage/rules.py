"""Rules between indicators (the sheet ``regles`` / ``rules``): the store's side. Each rule is
the latest one an upload still standing gives for its alliance (or every alliance), its left
indicator and its right side, as an account reads it: a funder, the rules of validated uploads.
The flags they raise are computed where values are read (``metrics.domain.plausibility``)."""

from __future__ import annotations

import pandas as pd

from metrics.base.access import Reader
from metrics.storage.database import Database
from metrics.storage.scope import SCOPE_FILTER, VISIBLE, scoped

# The rules standing now, of every alliance (alliance NULL) and of those the account reads.
CURRENT_RULES = f"""
WITH {VISIBLE}
SELECT a.name AS alliance, r.left_code, r.operator, r.right_code, r.right_value,
       r.factor, r.upload_id
FROM plausibility_rule r
JOIN visible v ON v.id = r.upload_id
LEFT JOIN alliance a ON a.id = r.alliance_id
WHERE (r.alliance_id IS NULL AND ($all_scope OR v.validated OR len($full) > 0))
   OR (r.alliance_id IS NOT NULL AND {SCOPE_FILTER}
       AND ($alliance IS NULL OR a.name = $alliance))
QUALIFY row_number() OVER (
    PARTITION BY r.alliance_id, r.left_code, coalesce(r.right_code, ''),
                 coalesce(r.right_value, 0), r.right_value IS NULL
    ORDER BY r.upload_id DESC) = 1
ORDER BY alliance NULLS FIRST, left_code, right_code
"""


class Rules:
    """The rules between indicators an account reads."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def rules(self, actor: Reader, alliance: str | None = None) -> pd.DataFrame:
        """The rules standing: those of every alliance (``alliance`` None) and those of
        ``alliance`` (else of every alliance ``actor`` reads): ``alliance``, ``left_code``,
        ``operator``, ``right_code`` or ``right_value``, ``factor``, ``upload_id``."""
        return self.db.frame(CURRENT_RULES, {**scoped(actor, alliance), "as_of": None})
