"""Where the data lives: one DuckDB file (the default), or a DuckLake shared by a network of
app servers and command lines, its catalog in PostgreSQL and its data files in a folder or in
an S3-compatible object store (``s3://bucket/prefix``, credentials from the standard AWS
variables, never shown).

The store runs the same SQL on both. DuckLake keeps no primary key, UNIQUE or CHECK constraint
and no sequence, so the store relies on none: it gives every row its id itself and checks that
a name is new before writing it, inside its transaction; every write transaction takes a turn
(``TURN``) by updating one shared row, so two transactions that overlap conflict at commit and
the second is tried again from the start (``retried``), never half-applied.
"""

from __future__ import annotations

import collections
import functools
import importlib.util
import os
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

import duckdb

from metrics.base import config
from metrics.base.errors import StoreError

LAKE_PREFIX = "ducklake:"
# The name the shared backend is attached under; every cursor uses it as its default catalog.
LAKE = "lake"
# Every write transaction updates this one row first (see the module's docstring).
TURN = "UPDATE store_turn SET turn = turn + 1"
# DuckDB's extensions for the shared backend, from their pinned Python packages: nothing is
# downloaded when the app starts.
EXTENSIONS = {
    "postgres_scanner": "duckdb_extension_postgres_scanner",
    "ducklake": "duckdb_extension_ducklake",
    "httpfs": "duckdb_extension_httpfs",
}
# Data files in an object store: a data path starting so.
OBJECT_STORE = "s3://"
# The standard AWS variables an object store is reached with (``object_store_secret``).
AWS_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_ENDPOINT_URL")
# How many times a write that met another process's write is tried again.
ATTEMPTS = 20
# How DuckLake tries again to record a commit when other processes' commits keep taking the
# next snapshot first: its defaults (10 times, waiting 100 ms and 1.5 times longer each time)
# let a large import lose to a flow of sign-ins; here up to 100 times, 20 ms apart at first,
# growing by 2 % (about 6 s of waiting in all).
COMMIT_RETRIES = (
    "SET ducklake_max_retry_count = 100; SET ducklake_retry_wait_ms = 20; "
    "SET ducklake_retry_backoff = 1.02"
)


def is_lake(target: str | Path) -> bool:
    return str(target).startswith(LAKE_PREFIX)


def shown(target: str) -> str:
    """A database's address as it may be shown and logged: without a password."""
    return re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1***", target)


def why(error: BaseException, limit: int = 300) -> str:
    """The database's reason for a failure, as it may be shown: without a password, and cut
    (a failed commit on a shared backend quotes its whole SQL, megabytes of it)."""
    text = shown(str(error))
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def _quoted(text: str) -> str:
    """``text`` as an SQL string literal: for ``LOAD`` and ``ATTACH``, the only statements
    that name a file or an address and take no bound parameter (DuckDB's parser refuses ``?``
    there); everything else the store runs binds its values."""
    return "'" + text.replace("'", "''") + "'"


def _extension_file(name: str) -> Path:
    spec = importlib.util.find_spec(EXTENSIONS[name])
    folders = list(spec.submodule_search_locations or []) if spec else []
    found = [p for f in folders for p in Path(f).glob(f"extensions/*/{name}.duckdb_extension")]
    if not found:
        params = {"package": EXTENSIONS[name].replace("_", "-")}
        raise StoreError("err.lake_extension", **params)
    return found[0]


def load_extensions(conn: duckdb.DuckDBPyConnection) -> None:
    for name in EXTENSIONS:
        conn.execute(f"LOAD {_quoted(str(_extension_file(name)))}")


def in_object_store(path: str) -> bool:
    return path.startswith(OBJECT_STORE)


def object_store_secret(conn: duckdb.DuckDBPyConnection) -> None:
    """DuckDB's S3 secret from the standard AWS variables (``AWS_ENDPOINT_URL`` for a store
    that is not AWS, such as MinIO or Garage: addressed by path, over TLS if its URL says
    https). Nothing is made when none is set (a lake whose files are in a folder)."""
    env = {name: os.environ.get(name, "") for name in (*AWS_VARIABLES, "AWS_SESSION_TOKEN")}
    if not any(env[name] for name in AWS_VARIABLES):
        return
    options = {
        "KEY_ID": env["AWS_ACCESS_KEY_ID"],
        "SECRET": env["AWS_SECRET_ACCESS_KEY"],
        "SESSION_TOKEN": env["AWS_SESSION_TOKEN"],
        "REGION": env["AWS_REGION"] or os.environ.get("AWS_DEFAULT_REGION", ""),
    }
    endpoint = env["AWS_ENDPOINT_URL"]
    if endpoint:
        options["ENDPOINT"] = re.sub(r"^https?://", "", endpoint).rstrip("/")
        options["URL_STYLE"] = "path"
    if endpoint:
        options["USE_SSL"] = "true" if endpoint.startswith("https://") else "false"
    given = {key: value for key, value in options.items() if value}
    names = ", ".join(f"{key} ?" for key in given)  # the names are ours; every value is bound
    conn.execute(
        f"CREATE OR REPLACE SECRET impact_object_store (TYPE s3, {names})", list(given.values())
    )


def _data_path_option(data_path: str) -> str:
    """The ``DATA_PATH`` of a new lake: a bucket's prefix as given, a folder made and absolute."""
    if in_object_store(data_path):
        return data_path.rstrip("/") + "/"
    Path(data_path).mkdir(parents=True, exist_ok=True)
    return str(Path(data_path).resolve()) + "/"


def attach_lake(
    conn: duckdb.DuckDBPyConnection, url: str, alias: str, data_path: str | None
) -> str:
    """Attach the DuckLake at ``url`` as ``alias``; where its data files are is returned (a
    folder, or ``s3://bucket/prefix/``), checked to be reachable. A new lake keeps its data
    files in ``data_path`` (``$IMPACT_DATA_PATH``); one that exists knows its own."""
    folder = data_path
    options = ["DATA_INLINING_ROW_LIMIT 100"]  # small writes (sessions, audit) in the catalog
    if folder:
        options.append(f"DATA_PATH {_quoted(_data_path_option(folder))}")
    try:
        conn.execute(f"ATTACH {_quoted(url)} AS {alias} ({', '.join(options)})")
    except duckdb.Error as e:
        if "data_path" in str(e).lower() and not folder:
            params = {"variable": config.ENV_DATA_PATH}
            raise StoreError("err.lake_data_path", **params) from e
        params = {"path": shown(url), "reason": shown(str(e))}
        raise StoreError("err.db_open", **params) from e
    found = conn.execute(
        f'SELECT value FROM "__ducklake_metadata_{alias}".ducklake_metadata '
        "WHERE key = 'data_path'"
    ).fetchone()
    files = str(found[0]) if found else _data_path_option(folder or ".")
    reachable(conn, files)
    return files


def reachable(conn: duckdb.DuckDBPyConnection, files: str) -> None:
    """Say what to check when the lake's data files cannot be reached: a folder missing on
    this server, an object store unreachable, a bucket missing, credentials refused (the
    store is asked for a listing of the prefix)."""
    if not in_object_store(files):
        if not Path(files).is_dir():
            raise StoreError.of("err.lake_folder", folder=files)
        return
    try:
        conn.execute("SELECT count(*) FROM glob(?)", [files + "*"]).fetchall()
    except duckdb.Error as e:
        raise object_store_error(files, str(e)) from e


def object_store_error(files: str, reason: str) -> StoreError:
    """An object store's refusal in the user's words (DuckDB's reason names neither the key
    nor the secret)."""
    bucket = files[len(OBJECT_STORE) :].split("/", 1)[0]
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or "AWS"
    if "NoSuchBucket" in reason or "404" in reason:
        return StoreError.of("err.store_bucket", bucket=bucket, endpoint=endpoint)
    if re.search(r"40[13]|AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch", reason):
        return StoreError.of("err.store_credentials", bucket=bucket, endpoint=endpoint)
    if "connect" in reason.lower() or "resolve" in reason.lower():
        return StoreError.of("err.store_unreachable", endpoint=endpoint)
    return StoreError.of("err.store_other", path=files, reason=shown(reason))


def _attach(conn: duckdb.DuckDBPyConnection, target: str, alias: str, read_only: bool) -> None:
    """Attach a DuckDB file or a shared backend under ``alias`` (for ``copy``)."""
    if is_lake(target):
        attach_lake(conn, target, alias, None if read_only else config.data_path())
        return
    mode = " (READ_ONLY)" if read_only else ""
    try:
        conn.execute(f"ATTACH {_quoted(target)} AS {alias}{mode}")
    except duckdb.Error as e:
        params = {"path": target, "reason": str(e)}
        raise StoreError("err.db_open", **params) from e


@dataclass(frozen=True)
class Copied:
    """One table of a copy: its rows and checksum, read back from both sides."""

    table: str
    rows: int
    checksum: int
    same: bool


COPY_ROWS = "INSERT INTO dst.main.{table} ({columns}) SELECT {columns} FROM src.main.{table}"
# A table's fingerprint: its rows, and the sum of every row's hash (the order of rows aside).
FINGERPRINT = "SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM {db}.main.{table} t"


def copy(source: str, dest: str, tables: list[str]) -> list[Copied]:
    """Copy ``tables`` from the installation at ``source`` into the one at ``dest`` (both at
    the same schema, ``dest`` holding nothing of its own), in one transaction: every table's
    rows and checksum are compared before it commits, and nothing is kept if one differs."""
    conn = _in_memory()
    try:
        if is_lake(source) or is_lake(dest):
            load_extensions(conn)
            object_store_secret(conn)
        _attach(conn, source, "src", read_only=True)
        _attach(conn, dest, "dst", read_only=False)
        conn.execute("BEGIN TRANSACTION")
        report = []
        for table in tables:
            columns = ", ".join(
                f'"{row[0]}"'
                for row in conn.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE database_name = 'src' "
                    "AND table_name = ? ORDER BY column_index",
                    [table],
                ).fetchall()
            )
            conn.execute(f'DELETE FROM dst.main."{table}"')
            conn.execute(COPY_ROWS.format(table=f'"{table}"', columns=columns))
            sides = [
                conn.execute(FINGERPRINT.format(db=db, table=f'"{table}"')).fetchone()
                for db in ("src", "dst")
            ]
            rows, checksum = sides[0] or (0, 0)
            report.append(Copied(table, int(rows), int(checksum), sides[0] == sides[1]))
        if not all(c.same for c in report):
            conn.execute("ROLLBACK")
            names = ", ".join(c.table for c in report if not c.same)
            raise StoreError.of("err.migrate_differs", tables=names)
        conn.execute("COMMIT")
        return report
    except duckdb.Error as e:
        raise StoreError.of("err.write_failed", reason=why(e)) from e
    finally:
        conn.close()


def _in_memory() -> duckdb.DuckDBPyConnection:
    """A DuckDB of this process's memory, to attach databases to; it loads no extension but
    those ``load_extensions`` names (nothing downloaded, nothing found on the side)."""
    return duckdb.connect(
        config={
            "memory_limit": config.db_memory(),
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        }
    )


def connect_lake(url: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the shared backend attached and used by default."""
    conn = _in_memory()
    try:
        load_extensions(conn)
        object_store_secret(conn)
        files = attach_lake(conn, url, LAKE, config.data_path())
        conn.execute(f"USE {LAKE}")
        conn.execute(COMMIT_RETRIES)
        # The store's lock-down lets DuckDB reach the lake's data files and nothing else.
        conn.execute(f"SET allowed_directories = [{_quoted(files.rstrip('/') + '/')}]")
    except BaseException:
        conn.close()
        raise
    return conn


def portable_schema(statements: list[str]) -> tuple[list[str], dict[str, list[tuple[Any, ...]]]]:
    """The tables ``statements`` (the migrations) create, as DuckLake takes them: each column
    with its type, NOT NULL and literal default, no other constraint, no sequence; and the rows
    the statements insert. Run in a scratch database, so the migrations stay the one schema."""
    scratch = duckdb.connect()
    try:
        for sql in statements:
            scratch.execute(sql)
        tables = [
            row[0]
            for row in scratch.execute(
                "SELECT table_name FROM duckdb_tables() "
                "WHERE database_name = current_database() ORDER BY table_name"
            ).fetchall()
        ]
        ddl, rows = [], {}
        for table in tables:
            columns = []
            for name, type_, nullable, default in scratch.execute(
                "SELECT column_name, data_type, is_nullable, column_default FROM duckdb_columns() "
                "WHERE database_name = current_database() AND table_name = ? ORDER BY column_index",
                [table],
            ).fetchall():
                column = f'"{name}" {type_}' + ("" if nullable else " NOT NULL")
                if default is not None and "nextval" not in default:
                    column += f" DEFAULT {default}"
                columns.append(column)
            ddl.append(f'CREATE TABLE "{table}" ({", ".join(columns)})')
            rows[table] = scratch.execute(f'SELECT * FROM "{table}"').fetchall()
        return ddl, rows
    finally:
        scratch.close()


# Tables whose rows are large (an upload keeps its original file, up to megabytes): written to
# data files, never inlined in the catalog, where one import's commit would carry the file as
# SQL text and, being slow, keep losing the next snapshot to a flow of small commits.
NOT_INLINED = ("upload",)
INLINING_SET = (
    f"SELECT scope_entry FROM {LAKE}.options() "
    "WHERE option_name = 'data_inlining_row_limit' AND scope = 'TABLE'"
)


def large_rows_in_files(cur: duckdb.DuckDBPyConnection) -> None:
    """``NOT_INLINED`` tables keep their rows in data files (set once per lake)."""
    done = {str(row[0]) for row in cur.execute(INLINING_SET).fetchall()}
    for table in NOT_INLINED:
        if f"main.{table}" not in done:
            cur.execute(
                f"CALL {LAKE}.set_option('data_inlining_row_limit', 0, table_name => ?)", [table]
            )


def next_id(cur: duckdb.DuckDBPyConnection, table: str) -> int:
    """The id of a new row of ``table``: the store numbers rows itself (a shared backend has
    no sequence); two writers cannot both take it, as each holds the turn (``TURN``)."""
    row = cur.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()
    return int(row[0]) if row else 1


_drawn = {"last": 0}
_drawing = threading.Lock()


def time_id() -> int:
    """The id of a new row written without the turn (an audit line): microseconds since 1970
    times 1,024, plus a random part below 1,024. Increasing within a process and in time
    order across them; two processes draw the same only in the same microsecond with the same
    random part."""
    with _drawing:
        drawn = time.time_ns() // 1000 * 1024 + secrets.randbelow(1024)
        _drawn["last"] = max(_drawn["last"] + 1, drawn)
        return _drawn["last"]


class WriteConflict(StoreError):
    """Another process's write committed while this one ran: try it again."""


# How a dropped connection to the shared backend's catalog reads (PostgreSQL restarted, the
# network cut): the transaction under way was not committed.
LOST = re.compile(
    r"server closed the connection|terminating connection|could not connect|"
    r"connection to server|no connection to the server|SSL SYSCALL|"
    r'Failed to execute query "ROLLBACK"',
    re.IGNORECASE,
)


def lost(error: BaseException | None) -> bool:
    return isinstance(error, duckdb.Error) and LOST.search(str(error)) is not None


def conflicted(error: BaseException) -> bool:
    return isinstance(error, duckdb.TransactionException) and "conflict" in str(error).lower()


_F = TypeVar("_F", bound=Callable[..., Any])
_calls = threading.local()
# How many times each write method ran again after a conflict, in this process (benchmarks).
RETRIES: collections.Counter[str] = collections.Counter()


def retried(method: _F) -> _F:
    """A write method tried again from the start when its transaction met another process's
    write. Only while none of its transactions has committed: a method that writes twice and
    meets a conflict in its second transaction says so rather than write the first again."""

    @functools.wraps(method)
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(_calls, "depth", 0):  # inside another retried method: it decides
            return method(self, *args, **kwargs)
        pause = 0.02
        for attempt in range(ATTEMPTS):
            _calls.depth, _calls.commits = 1, 0
            try:
                return method(self, *args, **kwargs)
            except WriteConflict:
                if _calls.commits or attempt == ATTEMPTS - 1:
                    raise
                RETRIES[method.__qualname__] += 1
                time.sleep(pause)
                pause = min(pause * 2, 0.5)
            finally:
                _calls.depth = 0
        raise AssertionError("unreachable")

    return cast(_F, run)


def committed() -> None:
    """A transaction of the running write method committed (``retried``)."""
    _calls.commits = getattr(_calls, "commits", 0) + 1


@dataclass(frozen=True)
class Maintained:
    """What ``maintain`` did to a lake: files before and after (in its data path), files
    written by merging and rewriting, snapshots expired, files deleted."""

    files_before: int
    files_after: int
    merged: int
    rewritten: int
    expired: int
    deleted: int


# DuckLake's own maintenance, in the order it runs (``maintain``): each a table function whose
# rows say what it did. Files with many deleted rows are rewritten, then neighbouring small
# files merged; snapshots older than now expire (the product's as-of views read its upload
# history, not the lake's snapshots: only the current one is needed); files they alone named,
# and files no snapshot names (a write that never committed), are deleted once older than the
# grace period (a query on another server may still be reading them).
REWRITE = f"SELECT coalesce(sum(files_created), 0) FROM ducklake_rewrite_data_files('{LAKE}')"
MERGE = f"SELECT coalesce(sum(files_created), 0) FROM ducklake_merge_adjacent_files('{LAKE}')"
EXPIRE = f"SELECT count(*) FROM ducklake_expire_snapshots('{LAKE}', older_than => now())"
BEFORE = "now() - to_seconds($grace::DOUBLE)"
CLEAN = (
    f"SELECT count(*) FROM ducklake_cleanup_old_files('{LAKE}', older_than => {BEFORE}) "
    f"UNION ALL "
    f"SELECT count(*) FROM ducklake_delete_orphaned_files('{LAKE}', older_than => {BEFORE})"
)
FILES = "SELECT count(*) FROM glob(?)"


def maintain(cur: duckdb.DuckDBPyConnection, grace_minutes: float) -> Maintained:
    """Tidy the lake ``cur`` uses (``LAKE``): see ``REWRITE`` to ``CLEAN``."""
    files = _data_files(cur)
    before = _count(cur, FILES, [files])
    rewritten, merged, expired = (_count(cur, sql) for sql in (REWRITE, MERGE, EXPIRE))
    grace = {"grace": grace_minutes * 60}
    deleted = sum(r[0] for r in cur.execute(CLEAN, grace).fetchall())
    return Maintained(before, _count(cur, FILES, [files]), merged, rewritten, expired, deleted)


def _data_files(cur: duckdb.DuckDBPyConnection) -> str:
    found = cur.execute(
        f'SELECT value FROM "__ducklake_metadata_{LAKE}".ducklake_metadata '
        "WHERE key = 'data_path'"
    ).fetchone()
    assert found is not None
    return str(found[0]).rstrip("/") + "/**/*.parquet"


def _count(cur: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> int:
    rows = cur.execute(sql, params or []).fetchall()  # whole: the call is done, committed
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0
