"""The database: its connection, holding the file and giving way between processes, cursors,
transactions, migrations and the backend (a DuckDB file or a shared DuckLake).

It knows no table of the domain (datasette's ``database.py``): the repositories of
``metrics.storage`` bring their own SQL and run it on its cursors, with bound parameters. One
process-wide connection: to a file while someone holds it (another process may open the file in
between), to a shared backend until ``close`` (it holds no lock); every query runs on its own
cursor (safe across Streamlit's session threads); writes are serialised and each is one
transaction.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd
import pyarrow as pa

from metrics.base import clock, config
from metrics.base.errors import StoreError
from metrics.storage import backend, kept
from metrics.storage.backend import retried

# A file beside the database that a process waiting for it keeps touching: the app, which
# would otherwise keep reopening it for its users' pages, lets go and waits while it is fresh.
MARK_FRESH = 2.0  # seconds: a process killed while waiting leaves a mark that soon goes stale
_T = TypeVar("_T")
# Seconds before a read that lost its connection to a shared backend's catalog runs once more.
REREAD_AFTER = 0.5

# Which migrations ran: the first table of every database.
SCHEMA_MIGRATION = (
    "CREATE TABLE IF NOT EXISTS schema_migration "
    "(version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)"
)
MIGRATIONS_DONE = "SELECT version FROM schema_migration"
MIGRATION_DONE = "INSERT INTO schema_migration VALUES (?, ?)"
SCHEMA_VERSION = "SELECT max(version) FROM schema_migration"
HAS_SCHEMA = (
    "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
    "AND table_name = 'schema_migration'"
)
# Every table of the installation but the record of migrations.
TABLES = (
    "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
    "AND table_name <> 'schema_migration' ORDER BY 1"
)

# The migration creating the tables ``metrics.storage.kept`` maintains.
KEPT_SINCE = 5


def connect(
    target: str | Path, wait: float = 0.0, waiting: Callable[[], None] | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the database file. The one place that knows how (a shared backend is opened by
    ``backend.connect_lake``).

    Another process may hold the file for a while (an app's page being computed, an import
    from the command line): the open is tried again for up to ``wait`` seconds, ``waiting``
    called once when it first finds the file busy; past that, ``err.db_locked``."""
    path = Path(target)
    if path.parent == config.DEFAULT_DB.parent:  # the app's own folder, made on a first start
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.parent.is_dir():  # a mistyped IMPACT_DB or --db: said, never made
        raise StoreError.of("err.db_folder", folder=str(path.parent))
    deadline = time.monotonic() + wait
    pause = 0.05
    told = marked = False
    try:
        while True:
            try:
                return duckdb.connect(str(path), config={"memory_limit": config.db_memory()})
            except duckdb.Error as e:
                locked = isinstance(e, duckdb.IOException) and "lock" in str(e).lower()
                if not (locked and time.monotonic() < deadline):
                    raise _not_opened(path, wait, e, locked) from e
                if waiting is not None and not told:
                    waiting()
                    told = True
                _waiting_mark(path).touch()  # the app gives way (``Database.held``)
                marked = True
                time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
                pause = min(pause * 2, 0.5)
    finally:
        if marked:
            _waiting_mark(path).unlink(missing_ok=True)


def _not_opened(path: Path, wait: float, error: duckdb.Error, locked: bool) -> StoreError:
    """Why the file did not open: still held by another process after ``wait`` seconds, or
    DuckDB's own reason."""
    if locked:
        return StoreError("err.db_locked", path=str(path), seconds=round(wait))
    return StoreError("err.db_open", path=str(path), reason=str(error))


class Occupied(Exception):
    """Another write of this process holds the store's write lock (``transaction(wait=False)``):
    never shown to a user, the write is left for later."""


def _all_or_nothing(
    cur: duckdb.DuckDBPyConnection, turn: bool
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The body of ``Database.transaction``: begin, the caller's writes, commit (or roll back,
    saying why in the store's words)."""
    cur.execute("BEGIN TRANSACTION")
    try:
        if turn:
            cur.execute(backend.TURN)
        yield cur
    except BaseException as e:
        _roll_back(cur)
        if backend.conflicted(e):
            raise backend.WriteConflict.of("err.write_conflict") from e
        if backend.lost(e):
            raise StoreError.of("err.write_interrupted") from e
        if isinstance(e, duckdb.Error):
            raise StoreError.of("err.write_failed", reason=backend.why(e)) from e
        raise
    try:
        cur.execute("COMMIT")
    except duckdb.Error as e:
        if backend.conflicted(e):
            raise backend.WriteConflict.of("err.write_conflict") from e
        if backend.lost(e):
            raise StoreError.of("err.write_interrupted") from e
        raise StoreError.of("err.write_failed", reason=backend.why(e)) from e
    backend.committed()


def _roll_back(cur: duckdb.DuckDBPyConnection) -> None:
    """Roll back what a failed write did; on a connection that was lost, nothing to undo."""
    try:
        cur.execute("ROLLBACK")
    except duckdb.Error as e:
        if not backend.lost(e):
            raise


def _waiting_mark(path: Path) -> Path:
    return path.with_name(path.name + ".waiting")


def someone_waits(path: Path) -> bool:
    """Whether another process is waiting for the database file (its mark is fresh)."""
    try:
        return time.time() - _waiting_mark(path).stat().st_mtime < MARK_FRESH
    except FileNotFoundError:
        return False


@functools.cache
def _parameter_names(sql: str) -> frozenset[str]:
    return frozenset(re.findall(r"\$([A-Za-z_]\w*)", sql))


@contextmanager
def registered(
    cur: duckdb.DuckDBPyConnection,
    name: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> Iterator[None]:
    """``rows`` (each the values of ``columns``) readable as the table ``name`` for the block:
    an Arrow table, each column typed by its values, which DuckDB reads in place. A write of
    many rows is then one statement (on a shared backend each statement is a round trip),
    with every value bound, however many."""
    table = pa.table({c: pa.array([row[i] for row in rows]) for i, c in enumerate(columns)})
    cur.register(name, table)
    try:
        yield
    finally:
        cur.unregister(name)


def bound(sql: str, params: dict[str, Any] | list[Any] | None) -> dict[str, Any] | list[Any]:
    """The named parameters ``sql`` uses, out of ``params``: DuckDB refuses unused ones, and
    the reads share their filter parameters (an account's scope, ``$as_of``) across queries
    that do not all use every one."""
    if not isinstance(params, dict):
        return params or {}
    names = _parameter_names(sql)
    return {name: value for name, value in params.items() if name in names}


def migrations() -> list[tuple[int, str]]:
    """The numbered migrations (``migrations/NNN_*.sql``), in order."""
    folder = resources.files("metrics.storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8")))
    return sorted(found)


class Database:
    """One database, opened while someone holds it (``held``).

    ``wait``: how long an open waits for another process to let go of the file; ``waiting``
    is called when it starts waiting (the command line says so); ``linger``: how long the
    file stays open after the last holder is done, in case another comes (the app's next run
    finds DuckDB's cache warm). A shared backend, which holds no file, is opened at the first
    hold and stays open until ``close``."""

    def __init__(
        self,
        target: str,
        wait: float,
        waiting: Callable[[], None] | None = None,
        linger: float = 0.0,
    ) -> None:
        self.target = target
        # A shared backend (``metrics.storage.backend``) holds no file: its connection stays open.
        self.lake = backend.is_lake(target)
        self.path = Path(target)
        self.wait = wait
        self.waiting = waiting
        self.linger = linger
        self._closer: threading.Timer | None = None
        self._thread = threading.local()  # how many holds this thread has (``held``)
        # A file is open while someone holds it (``held``), and only then: another process
        # (the command line, another app process) can open it in between. A shared backend's
        # connection, once opened, stays open until ``close``.
        self._conn: duckdb.DuckDBPyConnection | None = None
        self._holders = 0
        self._open_lock = threading.Lock()
        self._write_lock = threading.RLock()

    @property
    def opened(self) -> duckdb.DuckDBPyConnection | None:
        """The connection while the database is open, else ``None``."""
        return self._conn

    # -- holding and giving way ----------------------------------------------------------------

    @contextmanager
    def held(self) -> Iterator[Database]:
        """The database open for the duration: every query inside uses one opening (a page's
        whole run, a command), and the file is let go when the last holder is done. A database
        that lingers (the app's) gives way to a process waiting for the file: a new holder
        waits until that process is done, and the last one lets go at once."""
        outermost = not getattr(self._thread, "holds", 0)
        if outermost and self.linger > 0 and not self.lake:
            self._give_way()
        self._thread.holds = getattr(self._thread, "holds", 0) + 1
        try:
            with self._hold():
                yield self
        finally:
            self._thread.holds -= 1

    def _give_way(self) -> None:
        """Wait while another process waits for the file (at most ``wait`` seconds)."""
        deadline = time.monotonic() + self.wait
        told = False
        while someone_waits(self.path) and time.monotonic() < deadline:
            if self.waiting is not None and not told:
                self.waiting()
                told = True
            time.sleep(0.1)

    @contextmanager
    def _hold(self) -> Iterator[None]:
        with self._open_lock:
            if self._closer is not None:  # about to let go: kept instead
                self._closer.cancel()
                self._closer = None
            if self._conn is None:
                if self.lake:
                    self._conn = backend.connect_lake(self.target)
                else:
                    self._conn = connect(self.path, self.wait, self.waiting)
                _lock_down(self._conn)
            self._holders += 1
        try:
            yield
        finally:
            with self._open_lock:
                self._holders = max(0, self._holders - 1)  # (``close`` may have let go)
                if self._holders == 0 and self._conn is not None:
                    self._last_holder_done()

    def _last_holder_done(self) -> None:  # (with ``_open_lock``)
        if self.lake:
            pass  # a shared backend holds no lock: its connection is kept until ``close``
        elif self.linger > 0 and not someone_waits(self.path):
            self._closer = threading.Timer(self.linger, self._let_go)
            self._closer.daemon = True
            self._closer.start()
        else:
            self._let_go_now()

    def _let_go(self) -> None:
        """The lingering time is over: close the file unless someone holds it again."""
        with self._open_lock:
            if self._holders == 0:
                self._let_go_now()

    def _let_go_now(self) -> None:  # (with ``_open_lock``)
        if self._closer is not None:
            self._closer.cancel()
            self._closer = None
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()

    def close(self) -> None:
        """Let go of the file now, whoever holds it."""
        with self._open_lock:
            self._holders = 0
            self._let_go_now()

    # -- cursors and transactions --------------------------------------------------------------

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own for one query or transaction, closed afterwards (the database
        opened for it if no one holds it open)."""
        with self.held():
            with self._open_lock:
                assert self._conn is not None
                cur = self._conn.cursor()
            try:
                if self.lake:
                    cur.execute(f"USE {backend.LAKE}")
                yield cur
            finally:
                cur.close()

    @contextmanager
    def steady_cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor no write of this process runs beside (to compare a file with the data as
        it stands, without writing)."""
        with self._write_lock, self.cursor() as cur:
            yield cur

    def frame(self, sql: str, params: dict[str, Any] | list[Any] | None = None) -> pd.DataFrame:
        """The rows of one query, as a frame."""
        return self._once_more(lambda cur: cur.execute(sql, bound(sql, params)).df())

    def _once_more(self, read: Callable[[duckdb.DuckDBPyConnection], _T]) -> _T:
        """``read`` on a cursor; on a shared backend whose connection to the catalog was lost
        (PostgreSQL restarted), run once more a moment later: DuckDB's PostgreSQL client opens
        a new connection."""
        try:
            with self.cursor() as cur:
                return read(cur)
        except duckdb.Error as e:
            if not backend.lost(e):
                raise
        time.sleep(REREAD_AFTER)
        with self.cursor() as cur:
            return read(cur)

    def columns(self, sql: str, params: dict[str, Any]) -> pd.DataFrame:
        """``frame`` through Arrow: twice as fast for hundreds of thousands of rows (DuckDB's
        ``df()`` builds each text cell as a Python object); for results without a column of
        nothing but NULLs (Arrow would type it as text, ``df()`` as objects)."""
        table = self._once_more(lambda cur: cur.execute(sql, bound(sql, params)).arrow().read_all())
        frame: pd.DataFrame = table.to_pandas(date_as_object=False)
        for name in frame.columns:  # dates as ``df()`` gives them
            if frame[name].dtype == "datetime64[ms]":
                frame[name] = frame[name].astype("datetime64[us]")
        return frame

    @contextmanager
    def transaction(
        self, turn: bool = True, wait: bool = True
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """One write, all or nothing. It takes the store's turn first (``backend.TURN``): on a
        shared backend, a write of another process that overlaps it makes its commit fail
        with ``WriteConflict``, and its method (``retried``) runs again from the start.

        ``wait=False``: while another write of this process is under way (an import), raise
        ``Occupied`` at once instead of waiting for it (a write that can wait for a later
        run, such as a session's minute touch)."""
        if not self._write_lock.acquire(blocking=wait):
            raise Occupied
        try:
            with self.cursor() as cur:
                yield from _all_or_nothing(cur, turn)
        finally:
            self._write_lock.release()

    # -- schema --------------------------------------------------------------------------------

    @retried
    def migrate(self) -> None:
        """Bring the database to the latest schema (a new shared backend: every table at once)."""
        made = self._has_schema()
        if self.lake and not made:
            self._create_lake()
        if self.lake:
            with self.cursor() as cur:
                backend.large_rows_in_files(cur)
            if not made:
                return
        if made and self._migrations_done() >= {version for version, _ in migrations()}:
            return  # nothing to do (the usual case): no write at all
        with self.transaction(turn=False) as cur:
            cur.execute(SCHEMA_MIGRATION)
            done = {row[0] for row in cur.execute(MIGRATIONS_DONE).fetchall()}
            applied = []
            for version, sql in migrations():
                if version in done:
                    continue
                cur.execute(sql)
                cur.execute(MIGRATION_DONE, [version, clock.now()])
                applied.append(version)
            if KEPT_SINCE in applied:  # the kept tables are new: fill them from the history
                kept.rebuild(cur)
        if applied and not self.lake:
            # Into the file now, not left in the write-ahead log: DuckDB fails to replay a
            # logged ALTER TABLE (a process stopped before its next checkpoint would leave
            # a database that no longer opens).
            with self.cursor() as cur:
                cur.execute("CHECKPOINT")

    def _migrations_done(self) -> set[int]:
        with self.cursor() as cur:
            return {row[0] for row in cur.execute(MIGRATIONS_DONE).fetchall()}

    def _has_schema(self) -> bool:
        with self.cursor() as cur:
            row = cur.execute(HAS_SCHEMA).fetchone()
        return bool(row and row[0])

    def _create_lake(self) -> None:
        """A new shared backend: every table the migrations make, as DuckLake keeps them."""
        numbered = migrations()
        ddl, rows = backend.portable_schema([SCHEMA_MIGRATION] + [sql for _, sql in numbered])
        with self.transaction(turn=False) as cur:
            for statement in ddl:
                cur.execute(statement)
            for table, values in rows.items():
                if values:
                    marks = ", ".join("?" * len(values[0]))
                    cur.executemany(f'INSERT INTO "{table}" VALUES ({marks})', values)
            now = clock.now()
            cur.executemany(MIGRATION_DONE, [(version, now) for version, _ in numbered])

    def schema_version(self) -> int:
        with self.cursor() as cur:
            row = cur.execute(SCHEMA_VERSION).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def maintain(self, grace_minutes: float) -> backend.Maintained | None:
        """Tidy a shared backend (``backend.maintain``), beside no write of this process. A
        DuckDB file keeps itself tidy; it is checkpointed, and ``None`` returned."""
        with self.steady_cursor() as cur:
            if not self.lake:
                cur.execute("CHECKPOINT")
                return None
            return backend.maintain(cur, grace_minutes)

    def tables(self) -> list[str]:
        """Every table of the installation (all but the record of migrations), by name."""
        with self.cursor() as cur:
            return [row[0] for row in cur.execute(TABLES).fetchall()]


def _lock_down(conn: duckdb.DuckDBPyConnection) -> None:
    """No query may read or write the host's files (``read_csv('/etc/passwd')``, ``COPY``,
    ``ATTACH``), and no query may switch that back on: at each opening of the file."""

    # A second database on the same file in this process shares the locked instance.
    def locked() -> bool:
        row = conn.execute("SELECT current_setting('lock_configuration')").fetchone()
        return bool(row and row[0])

    if locked():
        return
    try:
        conn.execute("SET enable_external_access = false")
        conn.execute("SET lock_configuration = true")
    except duckdb.InvalidInputException:
        if not locked():  # (another thread's opening locked it in between: done)
            raise
