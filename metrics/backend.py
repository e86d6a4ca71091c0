"""Where the data lives: one DuckDB file (the default), or a DuckLake shared by a network of
app servers and command lines, its catalog in PostgreSQL and its data files in a folder.

The store runs the same SQL on both. DuckLake keeps no primary key, UNIQUE or CHECK constraint
and no sequence, so the store relies on none: it gives every row its id itself and checks that
a name is new before writing it, inside its transaction; every write transaction takes a turn
(``TURN``) by updating one shared row, so two transactions that overlap conflict at commit and
the second is tried again from the start (``retried``), never half-applied.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import duckdb

from metrics import config
from metrics.errors import StoreError
from metrics.i18n import t

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
}
# How many times a write that met another process's write is tried again.
ATTEMPTS = 20


def is_lake(target: str | Path) -> bool:
    return str(target).startswith(LAKE_PREFIX)


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _extension_file(name: str) -> Path:
    spec = importlib.util.find_spec(EXTENSIONS[name])
    folders = list(spec.submodule_search_locations or []) if spec else []
    found = [p for f in folders for p in Path(f).glob(f"extensions/*/{name}.duckdb_extension")]
    if not found:
        params = {"package": EXTENSIONS[name].replace("_", "-")}
        raise StoreError(t("err.lake_extension", "fr", **params), "err.lake_extension", params)
    return found[0]


def load_extensions(conn: duckdb.DuckDBPyConnection) -> None:
    for name in EXTENSIONS:
        conn.execute(f"LOAD {_quoted(str(_extension_file(name)))}")


def attach_lake(
    conn: duckdb.DuckDBPyConnection, url: str, alias: str, data_path: str | None = None
) -> Path:
    """Attach the DuckLake at ``url`` as ``alias``; its data folder, created with the lake
    (``$IMPACT_DATA_PATH`` or ``data_path``), is returned."""
    folder = data_path or config.data_path()
    options = ["DATA_INLINING_ROW_LIMIT 100"]  # small writes (sessions, audit) in the catalog
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        options.append(f"DATA_PATH {_quoted(str(Path(folder).resolve()) + '/')}")
    try:
        conn.execute(f"ATTACH {_quoted(url)} AS {alias} ({', '.join(options)})")
    except duckdb.Error as e:
        if "data_path" in str(e).lower() and not folder:
            params = {"variable": config.ENV_DATA_PATH}
            raise StoreError(
                t("err.lake_data_path", "fr", **params), "err.lake_data_path", params
            ) from e
        params = {"path": url, "reason": str(e)}
        raise StoreError(t("err.db_open", "fr", **params), "err.db_open", params) from e
    found = conn.execute(
        f'SELECT value FROM "__ducklake_metadata_{alias}".ducklake_metadata '
        "WHERE key = 'data_path'"
    ).fetchone()
    return Path(found[0]) if found else Path(folder or ".")


def connect_lake(url: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the shared backend attached and used by default."""
    conn = duckdb.connect(
        config={
            "memory_limit": config.db_memory(),
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        }
    )
    try:
        load_extensions(conn)
        folder = attach_lake(conn, url, LAKE)
        conn.execute(f"USE {LAKE}")
        # The store's lock-down lets DuckDB reach the lake's data files and nothing else.
        conn.execute(f"SET allowed_directories = [{_quoted(str(folder).rstrip('/') + '/')}]")
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


def next_id(cur: duckdb.DuckDBPyConnection, table: str) -> int:
    """The id of a new row of ``table``: the store numbers rows itself (a shared backend has
    no sequence); two writers cannot both take it, as each holds the turn (``TURN``)."""
    row = cur.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()
    return int(row[0]) if row else 1


class WriteConflict(StoreError):
    """Another process's write committed while this one ran: try it again."""


def conflicted(error: BaseException) -> bool:
    return isinstance(error, duckdb.TransactionException) and "conflict" in str(error).lower()


_F = TypeVar("_F", bound=Callable[..., Any])
_calls = threading.local()


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
                time.sleep(pause)
                pause = min(pause * 2, 0.5)
            finally:
                _calls.depth = 0
        raise AssertionError("unreachable")

    return cast(_F, run)


def committed() -> None:
    """A transaction of the running write method committed (``retried``)."""
    _calls.commits = getattr(_calls, "commits", 0) + 1
