"""The suite's databases on either backend: one switch, ``IMPACT_TEST_BACKEND=ducklake``, runs
every test that uses a database against a DuckLake whose catalog is in PostgreSQL instead of a
DuckDB file.

Each database a test names by a path (``db_at``) is then a PostgreSQL database of its own, made
from a template holding the empty schema (or a seeded one, ``copy_db``), with its data files
in a folder beside that path; it is dropped when the test ends. The PostgreSQL server is
``$IMPACT_TEST_PG`` (a libpq connection string of a superuser) or, if that is not set, a
cluster this module starts in a temporary folder for the test process (Debian's PostgreSQL).
"""

from __future__ import annotations

import atexit
import functools
import glob
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from metrics.usecases import auth

if TYPE_CHECKING:
    from metrics.storage.store import Store

REAL_SEED_DEMO = auth.seed_demo
BACKEND = os.environ.get("IMPACT_TEST_BACKEND", "duckdb")
LAKE = BACKEND == "ducklake"
_made: list[str] = []  # databases made for the running test (dropped after it)


def _run(*command: str, user: str | None = None) -> None:
    if user and os.geteuid() == 0:
        command = ("runuser", "-u", user, "--", *command)
    subprocess.run(command, check=True, capture_output=True, timeout=120)


@functools.cache
def server() -> str:
    """The libpq connection string of the test PostgreSQL (started on first use)."""
    given = os.environ.get("IMPACT_TEST_PG")
    if given:
        return given
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not bins:
        raise RuntimeError("IMPACT_TEST_BACKEND=ducklake needs PostgreSQL (Debian: postgresql)")
    pg = Path(bins[-1])
    folder = Path(tempfile.mkdtemp(prefix="impact-pg-"))
    user = "postgres" if os.geteuid() == 0 else None  # PostgreSQL refuses to run as root
    if user:
        shutil.chown(folder, user)
    data = folder / "data"
    _run(str(pg / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", user=user)
    options = (
        f"-k {folder} -c listen_addresses='' -c max_connections=400 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off"
    )
    log = folder / "log"
    _run(
        str(pg / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start", user=user
    )

    def restart() -> None:
        _run(
            str(pg / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-m",
            "fast",
            "-w",
            "restart",
            user=user,
        )

    _restarts.append(restart)

    def stop() -> None:
        _run(str(pg / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop", user=user)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(LAKES, ignore_errors=True)

    atexit.register(stop)
    return f"host={folder} user=postgres"


_restarts: list[Callable[[], None]] = []


def restart_server() -> None:
    """Restart the test PostgreSQL (every connection to it dropped), as an operator would."""
    server()
    if not _restarts:
        raise RuntimeError("only the cluster these tests started can be restarted")
    _restarts[0]()


def sql(statement: str, database: str = "postgres") -> None:
    subprocess.run(
        [
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            f"{server()} dbname={database}",
            "-c",
            statement,
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def url(database: str) -> str:
    return f"ducklake:postgres:dbname={database} {server()}"


# The data files of this process's lakes.
LAKES = Path(tempfile.gettempdir()) / f"impact-lakes-{os.getpid()}"


def _data_folder(database: str) -> Path:
    return LAKES / database


def _copy(template: str, database: str) -> str:
    """A new database copied from ``template`` (its catalog and its data files)."""
    sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    sql(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
    folder = _data_folder(database)
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(_data_folder(template), folder)
    sql(
        f"UPDATE ducklake_metadata SET value = '{folder}/' WHERE key = 'data_path'",
        database,
    )
    _made.append(database)
    return url(database)


@functools.cache
def _empty() -> str:

    name = f"tmpl_empty_{os.getpid()}"
    sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    sql(f'CREATE DATABASE "{name}"')
    made(name)
    return name


def made(name: str) -> None:
    """A new lake in the empty database ``name``: its schema, its data folder."""
    from metrics.base import config
    from metrics.storage.store import Store

    before = os.environ.get(config.ENV_DATA_PATH)
    os.environ[config.ENV_DATA_PATH] = str(_data_folder(name))
    try:
        Store(url(name)).close()
    finally:
        if before is None:
            del os.environ[config.ENV_DATA_PATH]
        else:
            os.environ[config.ENV_DATA_PATH] = before


def _name(path: Path) -> str:
    return "t_" + hashlib.sha1(f"{os.getpid()}:{path}".encode()).hexdigest()[:20]


@functools.cache
def _demo() -> str:
    """A lake holding the demo as the app makes it (``auth.seed_demo``), once per process."""
    from metrics.storage.store import Store

    name = f"tmpl_demo_{os.getpid()}"
    sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    sql(f'CREATE DATABASE "{name}"')
    made(name)
    with Store(url(name)) as store:
        REAL_SEED_DEMO(store)
    return url(name)


def seed_demo(store: Store) -> None:
    """``auth.seed_demo`` on the shared backend: the demo copied from ``_demo`` (made by the
    real one) with the product's own copy (``backend.copy``, which compares every table), not
    made again: that takes 7 s a test on the shared backend, where each of a few hundred small
    writes pays a round trip to PostgreSQL."""
    from metrics.storage import backend

    backend.copy(_demo(), store.target, store.tables())


def db_at(path: Path) -> str:
    """Where a test's database is: the file ``path``, or on the shared backend the database
    that stands for it (made on first use in the test)."""
    if not LAKE:
        return str(path)
    name = _name(path)
    if name in _made:
        return url(name)
    return _copy(_empty(), name)


def copy_db(source: str, folder: Path) -> str:
    """A copy of the database ``source`` (built once per session or module) for one test."""
    if not LAKE:
        path = folder / Path(source).name
        shutil.copy(source, path)
        return str(path)
    template = source.split("dbname=", 1)[1].split()[0]
    return _copy(template, _name(folder / template))


def keep(source: str) -> None:
    """``source`` (made by ``db_at``) outlives its test: a template for others."""
    if LAKE:
        _made.remove(source.split("dbname=", 1)[1].split()[0])


def drop_made() -> None:
    """Drop the databases made for the test that ended."""
    while _made:
        name = _made.pop()
        sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(_data_folder(name), ignore_errors=True)
