"""The shared backend's rules, on whichever backend the suite runs (``tests/lake.py``): the
store's own checks in place of constraints, writes that meet another process's write tried
again, and a whole installation moved to another database and back."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from metrics import cli
from metrics.base import config
from metrics.base.access import Actor
from metrics.base.errors import AccessDenied, StoreError
from metrics.presentation.i18n import said
from metrics.storage import backend
from metrics.storage.database import Database
from metrics.storage.store import Store
from metrics.usecases import seeding
from tests import lake
from tests.conftest import ADMIN, base_workbook, xlsx
from tests.lake import db_at


@pytest.fixture(scope="module")
def _demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo in a DuckDB file, whatever the backend under test: what an installation
    moving to the shared backend starts from."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with Store(path) as store:
        seeding.seed(store)
        store.add_account(ADMIN, "lead@example.org", "Lead", password_hash="hash")
        store.grant(ADMIN, "lead@example.org", "lead", "Sambre Emploi Solidaire")
        store.add_note(ADMIN, "Sambre Emploi Solidaire", "decision", "Ouvrir un 2e site")
    return path


def tables(store: Store) -> dict[str, tuple[int, int]]:
    """Every table's rows and checksum (``backend.FINGERPRINT``), but the log and the turn
    (which each write adds to)."""
    names = [n for n in store.tables() if n not in ("audit_log", "store_turn")]
    with store.cursor() as cur:
        db = cur.execute("SELECT current_database()").fetchone()
        assert db is not None
        found = {}
        for name in names:
            row = cur.execute(backend.FINGERPRINT.format(db=db[0], table=name)).fetchone()
            assert row is not None
            found[name] = (int(row[0]), int(row[1]))
    return found


def test_an_installation_moves_to_another_database_and_back(
    _demo_file: Path, tmp_path: Path
) -> None:
    source = tmp_path / "source.duckdb"
    shutil.copy(_demo_file, source)
    shared = db_at(tmp_path / "shared.duckdb")  # the shared backend when the suite runs on it
    back = tmp_path / "back.duckdb"
    with Store(source) as store:
        before = tables(store)
        report = store.migrate_to(shared, ADMIN)
    assert all(c.same for c in report) and sum(c.rows for c in report) > 3000
    copied = {c.table: (c.rows, c.checksum) for c in report}
    assert {k: v for k, v in copied.items() if k in before} == before
    assert cli.main(["migrate", "--db", shared, "--to", str(back)]) == 0
    for there in (shared, str(back)):
        with Store(there) as store:
            assert tables(store) == before
            # what people use reads the same: accounts, notes, the original files, the log
            lead = store.actor("lead@example.org")
            assert lead is not None and lead.may("validate", "Sambre Emploi Solidaire")
            assert len(store.notes(ADMIN, "Sambre Emploi Solidaire")) == 1
            upload = store.uploads(ADMIN).iloc[0]
            assert (
                store.upload_file(int(upload["id"]), ADMIN)[1]
                == config.SAMPLE_WORKBOOK.read_bytes()
            )
            actions = list(store.audit(ADMIN)["action"])
            assert actions.count("migrate") == (1 if there == shared else 2)
            # and it goes on: a new import numbers its upload after the copied ones
            result = store.import_file(base_workbook(), "base.xlsx", ADMIN)
            assert result.upload_id == int(store.uploads(ADMIN)["id"].max()) == 2


def test_a_copy_goes_only_to_a_new_database_and_only_for_an_admin(
    _demo_file: Path, tmp_path: Path
) -> None:
    source = tmp_path / "source.duckdb"
    shutil.copy(_demo_file, source)
    used = db_at(tmp_path / "used.duckdb")
    with Store(used) as store:
        store.import_file(base_workbook(), "base.xlsx", ADMIN)
        before = tables(store)
    with Store(source) as store:
        with pytest.raises(StoreError) as refused:
            store.migrate_to(used, ADMIN)
        assert "already holds data" in said(refused.value, "en")
        with pytest.raises(AccessDenied):
            store.migrate_to(db_at(tmp_path / "new.duckdb"), Actor("someone@example.org"))
        with pytest.raises(StoreError) as refused:
            store.migrate_to(str(source), ADMIN)
        assert "source" in said(refused.value, "en")
    with Store(used) as store:
        assert tables(store) == before


def test_a_copy_that_reads_back_different_keeps_nothing(
    _demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The comparison can fail: a copy that loses rows (here, all but the first of each
    table) is refused before it commits, and the destination stays new."""
    source = tmp_path / "source.duckdb"
    shutil.copy(_demo_file, source)
    dest = db_at(tmp_path / "dest.duckdb")
    monkeypatch.setattr(backend, "COPY_ROWS", backend.COPY_ROWS + " LIMIT 1")
    with Store(source) as store, pytest.raises(StoreError) as refused:
        store.migrate_to(dest, ADMIN)
    assert "differ" in said(refused.value, "en")
    with Store(dest) as store:
        assert store.is_empty()


def test_the_store_checks_names_itself(fresh_store: Store) -> None:
    """No constraint in the database: the same alliance, partner and indicator written by
    two uploads are one row each, and every row is numbered by the store."""
    for name in ("a.xlsx", "b.xlsx"):
        workbook = base_workbook(
            observations=[["Alliance test", "jobs_created", "2023", 1, "", ""]]
        )
        fresh_store.import_file(workbook if name == "a.xlsx" else base_workbook(), name, ADMIN)
    with fresh_store.cursor() as cur:
        for table, key in (("alliance", "name"), ("stakeholder", "alliance_id, name")):
            row = cur.execute(
                f"SELECT count(*), count(DISTINCT ({key})), count(DISTINCT id) FROM {table}"
            ).fetchone()
            assert row is not None and row[0] == row[1] == row[2] > 0
        assert cur.execute("SELECT list(id ORDER BY id) FROM upload").fetchone() == ([1, 2],)


def test_a_write_that_meets_another_write_runs_again(
    fresh_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit refused for a conflict (as DuckLake refuses the second of two overlapping
    writes) runs the whole method again; a method whose first transaction had committed says
    so instead of writing it twice."""
    calls = {"n": 0}
    real = Database.transaction

    def conflicting_once(self: Database, turn: bool = True):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise backend.WriteConflict.of("err.write_conflict")
        return real(self, turn)

    monkeypatch.setattr(Database, "transaction", conflicting_once)
    fresh_store.set_setting("x", "1")
    assert calls["n"] == 2 and fresh_store.setting("x") == "1"

    # two writes in one method: the second conflicts after the first committed
    monkeypatch.setattr(Database, "transaction", real)
    seen: list[int] = []

    @backend.retried
    def twice(store: Store) -> None:
        store.set_setting("y", str(len(seen)))
        seen.append(1)
        raise backend.WriteConflict.of("err.write_conflict")

    with pytest.raises(backend.WriteConflict):
        twice(fresh_store)
    assert seen == [1]


def test_two_threads_writing_at_once_both_land(fresh_store: Store) -> None:
    errors: list[BaseException] = []

    def note(text: str) -> None:
        try:
            for i in range(3):
                fresh_store.set_setting(f"{text}{i}", text)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=note, args=(x,)) for x in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert [fresh_store.setting(f"{x}{i}") for x in "ab" for i in range(3)] == ["a"] * 3 + ["b"] * 3


def test_a_password_never_shows() -> None:
    url = "ducklake:postgres:dbname=impact host=db password=s3cr'et user=app"
    assert backend.shown(url) == "ducklake:postgres:dbname=impact host=db password=*** user=app"


@pytest.mark.skipif(not lake.LAKE, reason="about the shared backend")
def test_a_new_shared_backend_needs_its_data_folder_and_says_so(tmp_path: Path) -> None:
    name = "t_new_" + tmp_path.name[-20:].replace("-", "_").lower()
    lake.sql(f'DROP DATABASE IF EXISTS "{name}"')
    lake.sql(f'CREATE DATABASE "{name}"')
    try:
        out = cli.main(["--lang", "en", "seed", "--db", lake.url(name) + " password=s3cret"])
        assert out == 1
        with pytest.raises(StoreError) as refused:
            Store(lake.url(name))
        assert config.ENV_DATA_PATH in said(refused.value, "en")
        with pytest.raises(StoreError) as refused:
            Store(lake.url(name + "_absent") + " password=s3cret")
        assert "s3cret" not in said(refused.value, "fr") and "***" in said(refused.value, "fr")
    finally:
        lake.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_two_stores_writing_at_once_each_write_lands_once(tmp_path: Path) -> None:
    """Two stores on one database in one process are two DuckDB instances on the shared
    backend, as two servers would be: their imports overlap, conflict at commit and run again;
    every file lands once, whole, numbered apart, and the alliances they share are one row."""
    db = db_at(tmp_path / "both.duckdb")
    stores = [Store(db), Store(db)]
    shared = ["Alliance commune", "Arras", "", "", "", "", ""]
    errors: list[BaseException] = []

    def imports(k: int) -> None:
        try:
            for n in range(4):
                name = f"Alliance {k}-{n}"
                book = xlsx(
                    {
                        "alliances": [shared, [name, "Lens", "", "", "", "", ""]],
                        "observations": [
                            [name, "jobs_created", str(y), y, "", ""] for y in (2023, 2024)
                        ],
                    }
                )
                stores[k].import_file(book, f"{k}-{n}.xlsx", ADMIN)
        except BaseException as e:  # surfaced below
            errors.append(e)

    threads = [threading.Thread(target=imports, args=(k,)) for k in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    with Store(db) as store:
        uploads = store.uploads(ADMIN)
        assert sorted(uploads["file_name"]) == sorted(
            f"{k}-{n}.xlsx" for k in (0, 1) for n in range(4)
        )
        assert sorted(uploads["id"]) == list(range(1, 9))
        values = store.observations(ADMIN)
        assert len(values) == 16 and not values.duplicated(["alliance", "period"]).any()
        names = list(store.alliances(ADMIN)["name"])
        assert names.count("Alliance commune") == 1 and len(names) == 9


def test_a_failure_is_told_short_and_without_its_password() -> None:
    long = "Failed to commit: INSERT INTO upload VALUES ('" + "ab" * 100_000 + "') password=pw1"
    told = backend.why(RuntimeError(long))
    assert len(told) == 301 and told.endswith("…") and "pw1" not in told
    assert backend.why(RuntimeError("host=db password=pw1")) == "host=db password=***"
