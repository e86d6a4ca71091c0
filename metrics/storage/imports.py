"""Imports: a file parsed (in an isolated worker), compared with the stored data
(``metrics.storage.plans``) and, when the acting account may, written in one transaction
(``metrics.storage.inserts``) with its line of the audit log. A refused or failed import
writes nothing (but the refusal, to the audit log): the data is left as it was.

The result is data (counts, the upload's number, its status); the edges say it in their
reader's language (``metrics.presentation.summaries``).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from metrics.base.access import Actor
from metrics.base.errors import AccessDenied, ValidationError
from metrics.base.numbers import exchange_rates
from metrics.base.text import key
from metrics.sheets import isolation
from metrics.sheets.ingest import Known, Parsed, Progress
from metrics.storage.audit import AuditLog
from metrics.storage.backend import retried
from metrics.storage.contracts import Contracts
from metrics.storage.database import Database
from metrics.storage.inserts import write_upload
from metrics.storage.plans import Plan, plan
from metrics.storage.scope import ALLIANCE_FILTER, LIVE_INDICATOR, LIVE_PARTNER


@dataclass
class ImportResult:
    """What an import did: its plan, and the upload it wrote (``None`` for a dry run or a file
    that changes nothing), validated at once or not."""

    plan: Plan
    upload_id: int | None
    dry_run: bool
    validated: bool = False


# What a file may refer to without declaring it, as an account reads it.
KNOWN_ALLIANCES = f"SELECT a.name FROM alliance a WHERE {ALLIANCE_FILTER}"
KNOWN_PARTNERS = (
    "SELECT a.name, s.name FROM stakeholder s JOIN alliance a ON a.id = s.alliance_id "
    f"WHERE {ALLIANCE_FILTER} AND {LIVE_PARTNER}"
)
KNOWN_INDICATORS = (
    "SELECT code, label_fr, label_en, minimum, maximum, whole FROM indicator i "
    f"WHERE {LIVE_INDICATOR}"
)
ALLIANCE_NAMES = "SELECT name FROM alliance"


class Imports:
    """Checks and imports of files, as an acting account."""

    def __init__(self, db: Database, log: AuditLog, contracts: Contracts) -> None:
        self.db = db
        self.log = log
        self.contracts = contracts

    def known(self, actor: Actor) -> Known:
        """Names and codes a file may refer to without declaring them: the alliances (and their
        partners) the account reads, and the indicator catalog. An alliance it cannot read is
        unknown to it, exactly as one that does not exist."""
        known = Known()
        params = actor.read_params()
        with self.db.cursor() as cur:
            for (name,) in cur.execute(KNOWN_ALLIANCES, params).fetchall():
                known.alliances[key(name)] = name
            for alliance, name in cur.execute(KNOWN_PARTNERS, params).fetchall():
                known.stakeholders[(alliance, key(name))] = name
            for code, label_fr, label_en, *bounds in cur.execute(KNOWN_INDICATORS).fetchall():
                known.add_indicator(code, label_fr, label_en)
                known.bounds[code] = tuple(bounds)  # type: ignore[assignment]
        # The contracts of the alliances it reads (their rate cards, payers… may come later).
        prices = self.contracts.contract_rows(actor, "prices")
        payers = self.contracts.contract_rows(actor, "payers")
        known.priced = set(zip(prices["alliance"], prices["contract"].map(key), strict=True))
        for field_name, frame, names in (
            ("outcome", prices, known.outcomes),
            ("payer", payers, known.payers),
        ):
            for alliance, contract, name in zip(
                frame["alliance"], frame["contract"], frame[field_name], strict=True
            ):
                names.setdefault((alliance, key(contract)), {}).setdefault(key(name), name)
        known.add_terms("prices", prices.to_dict("records"))
        invested = self.contracts.contract_rows(actor, "investments")
        investments = invested.to_dict("records")
        known.add_terms("investments", investments)
        known.add_draws(investments)
        for frame in (payers, invested, self.contracts.contract_rows(actor, "payments")):
            known.add_used(frame)
        for row in payers.to_dict("records"):
            named = row["outcome"] if isinstance(row["outcome"], str) else ""
            outcome = (row["alliance"], key(row["contract"]), key(named))
            share = row["share"] if row["share"] == row["share"] else None  # NaN: not given
            known.shares.setdefault(outcome, {})[key(row["payer"])] = share
        for row in self.contracts.contracts(actor).to_dict("records"):
            known.contracts[(row["alliance"], key(row["contract"]))] = (
                row["contract"],
                row["alliance"],
                row["indicator"],
            )
            stated = row["exchange_rates"]
            rates = exchange_rates(stated if isinstance(stated, str) else None)
            known.currencies[(row["alliance"], key(row["contract"]))] = (row["currency"], *rates)
        return known

    def check(
        self, content: bytes, file_name: str, actor: Actor, *, progress: Progress | None = None
    ) -> Plan:
        """Parse, resolve and compare a file with the stored data; writes nothing.

        Raises ``AccessDenied`` if ``actor`` may not write everything the file holds.
        """
        parsed = self._parsed(content, file_name, progress)
        with self.db.steady_cursor() as cur:
            checked = plan(cur, parsed, actor, self.known(actor))
        if checked.ok and checked.refusal is not None:
            raise checked.refusal
        return checked

    def import_file(
        self,
        content: bytes,
        file_name: str,
        actor: Actor,
        *,
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
        parsed = self._parsed(content, file_name, progress)
        checked, outside, result = self._apply(parsed, actor, dry_run, validate)
        if result is not None:
            return result
        # Refused: nothing was written; an attempt on what the account may not touch is kept
        # in the audit log. Rows naming an alliance it cannot read are told apart from a typo
        # only there: to the account, that alliance is unknown, as one that does not exist.
        if not checked.ok:
            if outside:
                self.log.record(actor, "upload", file_name, {"outside_grants": outside}, "refused")
            raise ValidationError("err.refused", parsed.problems, count=len(parsed.problems))
        assert checked.refusal is not None
        if not dry_run:
            reason = {"reason": checked.refusal.key, **checked.refusal.params}
            self.log.record(actor, "upload", file_name, reason, outcome="refused")
        raise checked.refusal

    @staticmethod
    def _parsed(content: bytes, file_name: str, progress: Progress | None) -> Parsed:
        parsed: Parsed = isolation.parse(content, file_name, progress=progress)
        if progress:
            progress(0.95, "progress.comparing")
        return parsed

    @retried
    def _apply(
        self, parsed: Parsed, actor: Actor, dry_run: bool, validate: bool
    ) -> tuple[Plan, list[str], ImportResult | None]:
        """The file's plan against the data as it stands and, when it may be written, its
        write, in one transaction; the result, or why not (the plan, and alliances the file
        names outside the account's grants)."""
        outside: list[str] = []
        with self.db.transaction() as cur:
            checked = plan(cur, parsed, actor, self.known(actor))
            if not checked.ok:
                outside = [] if dry_run else self._outside_grants(cur, actor, parsed)
            elif checked.refusal is None and validate:
                refused = actor.refused("validate", checked.alliances)
                if refused:
                    names = ", ".join(refused)
                    checked.refusal = AccessDenied.of("err.validate_denied", names=names)
            if checked.ok and checked.refusal is None:
                if dry_run or not checked.writes:
                    return checked, outside, ImportResult(checked, None, dry_run)
                upload_id = write_upload(cur, checked, actor, validate)
                details = {"file": parsed.file_name, **checked.counts}
                details["alliances"] = checked.alliances
                self.log.add(cur, actor, "upload", f"#{upload_id}", details)
                return checked, outside, ImportResult(checked, upload_id, False, validate)
        return checked, outside, None

    @staticmethod
    def _outside_grants(cur: duckdb.DuckDBPyConnection, actor: Actor, parsed: Parsed) -> list[str]:
        """Alliances that exist and that rows of the file name, but that ``actor`` cannot
        read (the file then reads as naming unknown alliances)."""
        named = {key(name) for name in parsed.alliance_names()}
        names = [r[0] for r in cur.execute(ALLIANCE_NAMES).fetchall()]
        return sorted(n for n in names if key(n) in named and not actor.reads(n))
