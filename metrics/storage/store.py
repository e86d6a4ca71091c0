"""The one door to the database, as the app, the command line and the use cases call it.

``Store`` composes the database (``metrics.storage.database``: the connection, holding the file
and giving way between processes, transactions, migrations, the backend) and one repository per
aggregate, each owning its SQL: reference data, observations, roll-ups, contracts, uploads,
imports, accounts, sessions, settings, notes and the audit log. Each of its methods is the
repository's own, bound here by name; what concerns the installation as a whole (whether it is
empty, its copy to another backend) is its own.

Every read is filtered by account in SQL, with bound parameters; every write is one transaction;
what is read of the data as it stands now is kept by the writes (``metrics.storage.kept``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from metrics.base import config
from metrics.base.access import Actor
from metrics.base.errors import AccessDenied, StoreError
from metrics.storage import backend
from metrics.storage.accounts import Accounts
from metrics.storage.audit import AuditLog
from metrics.storage.checks import FlagChecks
from metrics.storage.contracts import Contracts
from metrics.storage.database import Database
from metrics.storage.imports import ImportResult, Imports
from metrics.storage.notes import Notes
from metrics.storage.observations import Observations
from metrics.storage.plans import Plan
from metrics.storage.public import PublicPages
from metrics.storage.reference import ReferenceData
from metrics.storage.rollups import Rollups
from metrics.storage.rules import Rules
from metrics.storage.sessions import Sessions
from metrics.storage.settings import Settings
from metrics.storage.surveys import Surveys
from metrics.storage.uploads import Uploads

# The types of what the store's methods return, for their callers.
__all__ = ["ImportResult", "Plan", "Store"]

# No data and no account: a database nobody has used yet.
IS_EMPTY = (
    "SELECT (SELECT count(*) FROM upload) + (SELECT count(*) FROM alliance) "
    "+ (SELECT count(*) FROM account)"
)


class Store:
    """The database behind the app and the CLI, by aggregate (see the module).

    ``wait``: how long an open waits for another process to let go of the file
    (``config.db_wait``); ``waiting`` is called when it starts waiting (the command line says
    so); ``linger``: how long the file stays open after the last holder is done, in case
    another comes (the app's next run finds DuckDB's cache warm)."""

    def __init__(
        self,
        path: str | Path | None = None,
        wait: float | None = None,
        waiting: Callable[[], None] | None = None,
        linger: float = 0.0,
    ) -> None:
        self.target = config.db_target(path)
        self.db = Database(self.target, config.db_wait() if wait is None else wait, waiting, linger)
        # One repository per aggregate, bound to the database (named apart from their methods).
        self.audit_log = AuditLog(self.db)
        self.reference = ReferenceData(self.db)
        self.values = Observations(self.db)  # observations and targets
        self.rollups = Rollups(self.db)
        self.scaling = Contracts(self.db)  # replication sites and outcome contracts
        self.upload_log = Uploads(self.db, self.audit_log)  # uploads, rollback, validation
        self.imports = Imports(self.db, self.audit_log, self.scaling)
        self.directory = Accounts(self.db, self.audit_log)  # accounts, grants, portfolios
        self.sessions = Sessions(self.db, self.audit_log)
        self.settings = Settings(self.db)
        self.notebook = Notes(self.db, self.audit_log)  # the committee's notes and decisions
        self.checks = FlagChecks(self.db, self.audit_log)  # values to check, marked correct
        self.rule_book = Rules(self.db)  # rules between indicators
        self.surveys = Surveys(self.db, self.audit_log)  # the trust barometer's waves
        self.public = PublicPages(self.db, self.audit_log)  # alliances' pages for citizens
        self._bind_reads()
        self._bind_writes()
        self._block: AbstractContextManager[Store] = nullcontext(self)
        with self.db.held():
            self.db.migrate()
            self.reference.load_catalog()

    def _bind_reads(self) -> None:
        """The reads of the data, filtered by account, each its repository's."""
        self.cursor = self.db.cursor
        self.schema_version = self.db.schema_version
        self.tables = self.db.tables
        self.alliances = self.reference.alliances
        self.alliance_names = self.reference.alliance_names
        self.stakeholders = self.reference.stakeholders
        self.indicators = self.reference.indicators
        self.observations = self.values.observations
        self.targets = self.values.targets
        self.arrivals = self.values.arrivals
        self.indicator_values = self.values.indicator_values
        self.aggregated = self.rollups.aggregated
        self.dimension_scores = self.rollups.dimension_scores
        self.reported = self.rollups.reported
        self.completeness_by_year = self.rollups.completeness_by_year
        self.peer_medians = self.rollups.peer_medians
        self.last_updates = self.rollups.last_updates
        self.replications = self.scaling.replications
        self.contracts = self.scaling.contracts
        self.contract_rows = self.scaling.contract_rows
        self.contract_sheets = self.scaling.contract_sheets
        self.uploads = self.upload_log.uploads
        self.latest_upload = self.upload_log.latest_upload
        self.upload_alliances = self.upload_log.upload_alliances
        self.upload_file = self.upload_log.upload_file
        self.data_version = self.upload_log.data_version
        self.notes = self.notebook.notes
        self.note_history = self.notebook.note_history
        self.flag_checks = self.checks.flag_checks
        self.rules = self.rule_book.rules

    def _bind_writes(self) -> None:
        """Imports, uploads, accounts, sessions, settings, notes and the audit log."""
        self.known = self.imports.known
        self.check = self.imports.check
        self.import_file = self.imports.import_file
        self.rollback = self.upload_log.rollback
        self.validate = self.upload_log.validate
        self.record = self.audit_log.record
        self.audit = self.audit_log.audit
        self.audit_iter = self.audit_log.audit_iter
        self.sign_in_failures = self.sessions.sign_in_failures
        self.failed_sign_ins = self.sessions.failed_sign_ins
        self.open_session = self.sessions.open_session
        self.resume_session = self.sessions.resume_session
        self.touch_session = self.sessions.touch_session
        self.end_session = self.sessions.end_session
        self.setting = self.settings.setting
        self.set_setting = self.settings.set_setting
        self.account = self.directory.account
        self.has_accounts = self.directory.has_accounts
        self.administrators = self.directory.administrators
        self.actor = self.directory.actor
        self.accounts = self.directory.accounts
        self.grants = self.directory.grants
        self.portfolios = self.directory.portfolios
        self.add_account = self.directory.add_account
        self.set_password = self.directory.set_password
        self.set_language = self.directory.set_language
        self.unlock = self.directory.unlock
        self.set_status = self.directory.set_status
        self.grant = self.directory.grant
        self.revoke = self.directory.revoke
        self.add_to_portfolio = self.directory.add_to_portfolio
        self.add_note = self.notebook.add_note
        self.check_flag = self.checks.check_flag
        self.edit_note = self.notebook.edit_note
        self.withdraw_note = self.notebook.withdraw_note

    # -- holding the database ------------------------------------------------------------------

    @contextmanager
    def held(self) -> Iterator[Store]:
        """The database open for the duration (``Database.held``): every query inside uses one
        opening (a page's whole run, a command)."""
        with self.db.held():
            yield self

    def close(self) -> None:
        """Let go of the file now, whoever holds it."""
        self.db.close()

    def __enter__(self) -> Store:
        """``with Store(...)``: the file held for the whole block (a command's), closed at its
        end (a shared backend's connection too)."""
        self._block = self.held()
        self._block.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._block.__exit__(None, None, None)
        if self.db.lake:  # (a file is let go with its last holder)
            self.close()

    # -- the installation ----------------------------------------------------------------------

    def is_empty(self) -> bool:
        """No data and no account: a database nobody has used yet."""
        with self.db.cursor() as cur:
            row = cur.execute(IS_EMPTY).fetchone()
        return not row or row[0] == 0

    def maintain(self, actor: Actor, grace_minutes: float) -> backend.Maintained | None:
        """Tidy the installation's files (``Database.maintain``), admins only; recorded."""
        if not actor.admin:
            raise AccessDenied.of("err.admin_only")
        done = self.db.maintain(grace_minutes)
        details = vars(done) if done else {"checkpoint": True}
        self.record(actor, "maintain", backend.shown(self.target), details)
        return done

    def migrate_to(self, dest: str, actor: Actor) -> list[backend.Copied]:
        """Copy this whole installation (accounts, history, original files, audit log…) into
        ``dest``, a new one (a shared backend, or a DuckDB file), admins only; every table's
        rows and checksum compared before the copy commits (``backend.copy``)."""
        if not actor.admin:
            raise AccessDenied.of("err.admin_only")
        there = Store(dest, wait=self.db.wait)  # made, or brought to the schema, as any opening
        if there.target == self.target:
            raise StoreError.of("err.migrate_same")
        if not there.is_empty():
            raise StoreError.of("err.migrate_not_empty", dest=backend.shown(dest))
        if there.schema_version() != self.schema_version():
            raise StoreError.of("err.migrate_schema", dest=backend.shown(dest))
        tables = self.tables()
        self.close()  # both let go: the copy opens them side by side
        there.close()
        report = backend.copy(self.target, dest, tables)
        rows = sum(c.rows for c in report)
        there.record(
            actor, "migrate", backend.shown(self.target), {"tables": len(report), "rows": rows}
        )
        there.close()
        return report
