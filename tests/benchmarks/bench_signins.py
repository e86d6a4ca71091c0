"""Benchmark: an import of a million values on the shared backend while 20 accounts sign in
and browse from another app server.

Run: ``python tests/benchmarks/bench_signins.py [--rows 999999] [--people 20] [--pause 1]``.
Not part of the test suite (tests never assert times). On a new shared backend (a DuckLake whose
catalog is in PostgreSQL: ``$IMPACT_TEST_PG``, else a cluster started for the run, as the tests
do), the French CSV of ``bench_import`` is imported three times into new lakes, each time timed
with how many times the import started again after meeting another write:

- alone (the baseline: the same import, nothing else running);
- while ``--people`` threads of another store (another app server) sign in, open pages (each
  an audit line) one every ``--pause`` seconds, touch their sessions and sign out, over and
  over, until the import ends;
- the same, with every audit line taking the store's turn, as before sign-ins stopped doing so
  (what the network met: the import runs again at each sign-in, then gives up).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from metrics.base import clock, config, limits  # noqa: E402
from metrics.base.access import Actor  # noqa: E402
from metrics.base.errors import StoreError  # noqa: E402
from metrics.storage import backend  # noqa: E402
from metrics.storage.audit import AuditLog  # noqa: E402
from metrics.storage.store import Store  # noqa: E402
from metrics.usecases import auth  # noqa: E402
from tests import lake  # noqa: E402
from tests.benchmarks.bench_import import alliances_csv, french_csv  # noqa: E402

ADMIN = Actor.system("bench")
PASSWORD = "Lille-comité-2026!"


def new_lake(name: str, people: int, rows: int) -> str:
    """A new lake with the alliances of the CSV and ``people`` accounts."""
    lake.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    lake.sql(f'CREATE DATABASE "{name}"')
    os.environ[config.ENV_DATA_PATH] = tempfile.mkdtemp(prefix=f"{name}-")
    url = lake.url(name)
    with Store(url) as store:
        store.import_file(alliances_csv(rows), "alliances.csv", ADMIN)
        for n in range(people):
            email = f"person{n}@example.org"
            hashed = auth.hash_password(PASSWORD, email)
            store.add_account(ADMIN, email, f"Person {n}", password_hash=hashed)
            store.grant(ADMIN, email, "viewer", "Alliance 0")
    return url


def browse(store: Store, email: str, pause: float, stop: threading.Event, done: list[int]) -> None:
    """Sign in, open pages, touch the session, sign out, until ``stop``."""
    while not stop.is_set():
        try:
            session = auth.sign_in(store, email, PASSWORD)
            for page in ("home", "dashboard", "portfolio"):
                stop.wait(pause)
                store.record(session.actor, "page_open", page)
            store.touch_session(session.token, email, clock.now())
            store.end_session(session.token, clock.now(), "sign_out", email)
            done[0] += 1
        except StoreError:  # a sign-in that met another sign-in 20 times: counted apart
            done[1] += 1


@contextmanager
def audit_taking_the_turn() -> Iterator[None]:
    """Audit lines written as before: each takes the store's turn."""
    real = AuditLog.record

    @backend.retried
    def record(self: AuditLog, who, action, obj="", details=None, outcome="ok", at=None):  # type: ignore[no-untyped-def]
        with self.db.transaction() as cur:
            self.add(cur, who, action, obj, details, outcome, at)

    AuditLog.record = record  # type: ignore[method-assign]
    try:
        yield
    finally:
        AuditLog.record = real  # type: ignore[method-assign]


def run(name: str, args: argparse.Namespace, content: bytes) -> None:
    rows, people = args.rows, args.people
    url = new_lake(f"bench_signins_{os.getpid()}_{len(name)}", people, rows)
    importer, other = Store(url), Store(url)
    stop, done = threading.Event(), [0, 0]
    threads = [
        threading.Thread(
            target=browse, args=(other, f"person{n}@example.org", args.pause, stop, done)
        )
        for n in range(people if name != "alone" else 0)
    ]
    for thread in threads:
        thread.start()
    before = backend.RETRIES["Imports._apply"]
    started = time.perf_counter()
    try:
        result = importer.import_file(content, "observations.csv", ADMIN)
        outcome = f"upload #{result.upload_id}"
    except StoreError as e:
        outcome = f"gave up: {e.key} {e.params}"
    took = time.perf_counter() - started
    stop.set()
    for thread in threads:
        thread.join()
    again = backend.RETRIES["Imports._apply"] - before
    print(
        f"{name:<28}{took:>9.1f} s{again + 1:>10}{done[0]:>12}{done[1]:>10}   {outcome}",
        flush=True,
    )
    importer.close()
    other.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=limits.MAX_ROWS - 1)  # (and the header)
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between two pages")
    args = parser.parse_args()
    content = french_csv(args.rows)
    print(f"{args.rows:,} values, {args.people} people signing in from another server")
    print(f"{'':<28}{'import':>11}{'attempts':>10}{'sign-ins':>12}{'gave up':>10}")
    run("alone", args, content)
    run("while people sign in", args, content)
    with audit_taking_the_turn():
        run("as before (audit takes turn)", args, content)


if __name__ == "__main__":
    main()
