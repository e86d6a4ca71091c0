"""Values to check that a lead or an editor marked "checked: correct": the store's side.

A flag itself is computed, never stored (``metrics.domain.plausibility``); what is kept is the
decision on one value (its alliance, indicator, partner, period and the value itself), with its
author and date, and its line of the audit log. Who reads an alliance reads its decisions; who
may upload its values (editor, lead, admin) may decide. Bound parameters; each write in one
transaction with its line of the audit log.
"""

from __future__ import annotations

import pandas as pd

from metrics.base import clock
from metrics.base.access import Actor, Reader
from metrics.base.errors import AccessDenied
from metrics.storage.audit import AuditLog
from metrics.storage.backend import retried
from metrics.storage.database import Database
from metrics.storage.scope import MEMBER_FILTER, scoped

# The decisions an account reads: every one of the alliances it reads in full; of those it
# funds, only the decisions on a value it reads (the current value of a validated upload), so
# that a value still awaiting validation is not told through its decision.
CHECKS = f"""
SELECT a.name AS alliance, c.indicator_code AS indicator, c.stakeholder, c.period, c.value,
       c.reason, c.checked_by, coalesce(acc.name, c.checked_by) AS checked_by_name, c.checked_at
FROM flag_check c
JOIN alliance a ON a.id = c.alliance_id
LEFT JOIN account acc ON acc.email = c.checked_by
WHERE ($alliance IS NULL OR a.name = $alliance)
  AND ({MEMBER_FILTER} OR (list_contains($validated, a.name) AND EXISTS (
      SELECT 1 FROM current_observation o LEFT JOIN stakeholder s ON s.id = o.stakeholder_id
      WHERE o.funders AND o.alliance_id = c.alliance_id AND o.indicator_code = c.indicator_code
        AND o.period = c.period AND coalesce(s.name, '') = c.stakeholder
        AND o.value = c.value)))
ORDER BY c.checked_at, c.indicator_code, c.period
"""
ALLIANCE_ID = "SELECT id FROM alliance WHERE name = ?"
ALREADY = (
    "SELECT 1 FROM flag_check WHERE alliance_id = ? AND indicator_code = ? AND stakeholder = ? "
    "AND period = ? AND value = ? AND reason = ?"
)
INSERT_CHECK = (
    "INSERT INTO flag_check (alliance_id, indicator_code, stakeholder, period, value, reason, "
    "checked_by, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


class FlagChecks:
    """Decisions on values to check (see the module)."""

    def __init__(self, db: Database, log: AuditLog) -> None:
        self.db = db
        self.log = log

    def flag_checks(self, actor: Reader, alliance: str | None = None) -> pd.DataFrame:
        """The values of ``alliance`` (``None``: of every alliance ``actor`` reads) marked
        checked, oldest decision first: ``alliance``, ``indicator``, ``stakeholder`` ('' for
        its own), ``period``, ``value``, ``reason``, ``checked_by`` (e-mail) and
        ``checked_by_name``, ``checked_at``."""
        return self.db.frame(CHECKS, scoped(actor, alliance))

    @retried
    def check_flag(
        self,
        actor: Actor,
        alliance: str,
        indicator: str,
        stakeholder: str,
        period: str,
        value: float,
        reason: str,
    ) -> bool:
        """Mark a value to check as "checked: correct"; ``False`` when it already was. Only who
        may upload the alliance's values may (the refusal is written to the audit log)."""
        what = {
            "alliance": alliance,
            "indicator": indicator,
            "stakeholder": stakeholder,
            "period": period,
            "value": value,
            "reason": reason,
        }
        if not actor.may("upload", alliance):
            self.log.record(actor, "flag_check", alliance, what, outcome="refused")
            if not actor.reads(alliance):
                raise AccessDenied.of("err.access_denied", name=alliance)
            raise AccessDenied.of("err.flag_check_denied", name=alliance)
        key = [indicator, stakeholder, period, float(value), reason]
        with self.db.transaction() as cur:
            row = cur.execute(ALLIANCE_ID, [alliance]).fetchone()
            if row is None:
                raise AccessDenied.of("err.access_denied", name=alliance)
            if cur.execute(ALREADY, [row[0], *key]).fetchone() is not None:
                return False
            cur.execute(INSERT_CHECK, [row[0], *key, actor.email, clock.now()])
            self.log.add(cur, actor, "flag_check", alliance, what)
        return True
