"""Benchmark: the pages on the shared backend (DuckLake, its catalog in PostgreSQL) against the
same data in the embedded DuckDB file, at a million observations.

Run: ``python tests/benchmarks/bench_backends.py [--alliances 192] [--keep FOLDER]``. Not part
of the test suite (tests never assert times). It builds the embedded database through the real
import (``bench_pages.network_database``: 192 alliances x 31 indicators x 14 years of months =
1.0 million values, with targets and contracts), copies it to a new shared backend with
``python -m metrics migrate``'s own code (timed), then runs the dashboard's page script (and
the home and portfolio pages) with Streamlit's AppTest on each, signed in as an admin: the
first render, then a rerun after a widget change; and prints each shared-backend time with
its ratio to the embedded file's.

PostgreSQL: ``$IMPACT_TEST_PG`` (a libpq connection string of a superuser), else a cluster
started for the run in a temporary folder (Debian's ``postgresql`` package), as the tests do.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from metrics.base import config  # noqa: E402
from metrics.base.access import Actor  # noqa: E402
from metrics.storage.store import Store  # noqa: E402
from tests import lake  # noqa: E402
from tests.benchmarks.bench_pages import arguments, measure, network_database  # noqa: E402

PAGES = ["pages/dashboard.py", "pages/home.py", "pages/portfolio.py"]


def shared_copy(embedded: Path, folder: Path) -> str:
    """A new shared backend holding a copy of ``embedded`` (``Store.migrate_to``)."""
    name = "bench_" + str(os.getpid())
    lake.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    lake.sql(f'CREATE DATABASE "{name}"')
    os.environ[config.ENV_DATA_PATH] = str(folder / "lake-files")
    url = lake.url(name)
    started = time.perf_counter()
    with Store(embedded) as store:
        report = store.migrate_to(url, Actor.system("bench"))
    rows = sum(c.rows for c in report)
    print(f"copied to the shared backend: {rows:,} rows in {time.perf_counter() - started:.1f} s")
    return url


def main() -> None:
    args, folder = arguments(__doc__ or "", 192)
    print(f"building the embedded database ({args.alliances} alliances) in {folder}", flush=True)
    embedded = network_database(args.alliances, folder)
    with Store(embedded) as store, store.cursor() as cur:
        row = cur.execute("SELECT count(*) FROM observation").fetchone()
    print(f"observations: {row[0] if row else 0:,}")
    shared = shared_copy(embedded, folder)
    print(f"{'page':<22}{'first render':>30}{'widget change':>30}")
    for page in PAGES:
        file = measure(embedded, page)
        pg = measure(shared, page)
        print(
            f"{page:<22}{pg[0]:8.2f} s ({pg[0] / file[0]:4.1f}x file {file[0]:.2f} s)"
            f"{pg[1]:8.2f} s ({pg[1] / file[1]:4.1f}x file {file[1]:.2f} s)",
            flush=True,
        )
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
