"""The shared backend in production: data files in an object store (a real S3 API server the
tests start, moto's), maintenance, and a backup restored (``tests/lake.py`` gives PostgreSQL)."""

from __future__ import annotations

import collections
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from metrics import cli
from metrics.base import clock, config
from metrics.base.access import Actor
from metrics.base.errors import AccessDenied, StoreError
from metrics.presentation.i18n import said
from metrics.storage import backend, imports
from metrics.storage.store import Store
from metrics.usecases import auth, exports, seeding
from tests import lake
from tests.conftest import ADMIN, base_workbook, signed_in, xlsx

pytestmark = pytest.mark.skipif(not lake.LAKE, reason="about the shared backend")

KEY, SECRET = "impact-key", "do-not-show-this-secret"
REGION = "eu-west-3"
ALLIANCE = "Sambre Emploi Solidaire"


def _client(endpoint: str):  # type: ignore[no-untyped-def]
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
        region_name=REGION,
    )


@pytest.fixture(scope="module")
def object_store() -> Iterator[str]:
    """An S3 API server on a free local port, with the bucket ``lake``: its endpoint URL."""
    pytest.importorskip("boto3")
    server_module = pytest.importorskip("moto.server")
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    where = {"LocationConstraint": REGION}
    _client(endpoint).create_bucket(Bucket="lake", CreateBucketConfiguration=where)
    yield endpoint
    server.stop()


def _objects(endpoint: str, prefix: str) -> list[str]:
    found = _client(endpoint).list_objects_v2(Bucket="lake", Prefix=prefix).get("Contents", [])
    return [str(o["Key"]) for o in found]


@pytest.fixture
def new_database(tmp_path: Path) -> Iterator[str]:
    """An empty PostgreSQL database for a new lake: its name."""
    name = "t_ops_" + str(abs(hash(tmp_path.name)))[:12]
    lake.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    lake.sql(f'CREATE DATABASE "{name}"')
    yield name
    lake.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, object_store: str) -> pytest.MonkeyPatch:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_ENDPOINT_URL", object_store)
    return monkeypatch


def test_a_lake_keeps_its_files_in_an_object_store(
    aws: pytest.MonkeyPatch, object_store: str, new_database: str
) -> None:
    aws.setenv(config.ENV_DATA_PATH, f"s3://lake/{new_database}")
    with Store(lake.url(new_database)) as store:
        seeding.seed(store)
        written = exports.export_frame(store, ADMIN, None)
    files = _objects(object_store, new_database + "/")
    assert files and all(f.endswith(".parquet") for f in files)
    # Another server: the catalog names the bucket, the variables give the way in.
    aws.delenv(config.ENV_DATA_PATH)
    with Store(lake.url(new_database)) as other:
        assert exports.export_frame(other, ADMIN, None).equals(written)
        tidied = other.maintain(ADMIN, 0)
        assert tidied is not None and tidied.files_before == len(files)
        assert exports.export_frame(other, ADMIN, None).equals(written)
        # Its lock-down still lets no query read this machine's files.
        with other.cursor() as cur, pytest.raises(Exception, match=r"(?i)permission"):
            cur.execute("SELECT * FROM read_csv('/etc/passwd')").fetchall()


def test_a_missing_bucket_is_named_and_the_secret_never_shown(
    aws: pytest.MonkeyPatch, new_database: str
) -> None:
    aws.setenv(config.ENV_DATA_PATH, "s3://no-such-bucket/impact")
    with pytest.raises(StoreError) as refused:
        Store(lake.url(new_database))
    for lang in ("fr", "en"):
        message = said(refused.value, lang)
        assert "no-such-bucket" in message and SECRET not in message and KEY not in message
    assert "create it" in said(refused.value, "en")


def test_an_unreachable_object_store_says_what_to_check(
    aws: pytest.MonkeyPatch, new_database: str
) -> None:
    aws.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    aws.setenv(config.ENV_DATA_PATH, "s3://lake/impact")
    with pytest.raises(StoreError) as refused:
        Store(lake.url(new_database))
    assert "AWS_ENDPOINT_URL" in said(refused.value, "fr")
    assert SECRET not in said(refused.value, "en")


def test_credentials_refused_are_named_without_the_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "https://objects.example.org")
    reason = "HTTP GET error on 's3://lake/impact/' (HTTP 403 Forbidden)\n\nAccessDenied"
    message = said(backend.object_store_error("s3://lake/impact/", reason), "en")
    assert "AWS_ACCESS_KEY_ID" in message and "“lake”" in message


def test_a_data_folder_missing_on_this_server_is_named(tmp_path: Path) -> None:
    db = lake.db_at(tmp_path / "moved.duckdb")
    name = db.split("dbname=", 1)[1].split()[0]
    gone = tmp_path / "not-mounted"
    lake.sql(f"UPDATE ducklake_metadata SET value = '{gone}/' WHERE key = 'data_path'", name)
    with pytest.raises(StoreError) as refused:
        Store(db)
    assert str(gone) in said(refused.value, "en") and "mount" in said(refused.value, "en")


def test_maintenance_leaves_fewer_files_and_the_same_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = lake.db_at(tmp_path / "busy.duckdb")
    with Store(db) as store:
        seeding.seed(store)
        for n in range(3):  # more uploads, one rolled back: files written, then unneeded
            uploaded = store.import_file(
                xlsx({"observations": [[ALLIANCE, "jobs_created", f"{2030 + n}", 7 + n, "", ""]]}),
                f"late-{n}.xlsx",
                ADMIN,
            )
        assert uploaded.upload_id is not None
        store.rollback(uploaded.upload_id, ADMIN)
        before = exports.export_frame(store, ADMIN, None)
        with pytest.raises(AccessDenied):
            store.maintain(Actor("viewer@example.org", roles={}), 0)
    assert cli.main(["--lang", "en", "maintain", "--grace", "0", "--db", db]) == 0
    said_ = capsys.readouterr().out
    with Store(db) as store:
        assert exports.export_frame(store, ADMIN, None).equals(before)
        line = store.audit(ADMIN).iloc[-1]
    counts = json.loads(line["details"])
    assert line["action"] == "maintain" and counts["files_after"] < counts["files_before"]
    assert counts["expired"] > 0 and counts["deleted"] > 0
    assert f"{counts['files_before']} data files before, {counts['files_after']} after" in said_


def test_sign_ins_during_an_import_never_make_it_start_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another server signs people in, opens and ends their sessions and logs their pages
    while an import is between its writes and its commit: the import lands at its first try
    (the benchmark: tests/benchmarks/bench_signins.py)."""
    db = lake.db_at(tmp_path / "busy.duckdb")
    importer, other = Store(db), Store(db)
    other.add_account(ADMIN, "funder@example.org", "Funder", password_hash="hash")
    writing, signed_in = threading.Event(), threading.Event()
    real_write = imports.write_upload

    def slow_write(*args: Any, **kwargs: Any) -> int:
        upload_id = real_write(*args, **kwargs)
        writing.set()
        signed_in.wait(timeout=60)
        return upload_id

    monkeypatch.setattr(imports, "write_upload", slow_write)
    before = backend.RETRIES.copy()
    landed: list[object] = []
    thread = threading.Thread(
        target=lambda: landed.append(
            importer.import_file(base_workbook(), "base.xlsx", ADMIN).upload_id
        )
    )
    thread.start()
    assert writing.wait(timeout=60)
    now = clock.now()
    for _ in range(5):
        other.record("funder@example.org", "sign_in", "funder@example.org", {"method": "password"})
        token = other.open_session("funder@example.org", "password", now)
        assert other.touch_session(token, "funder@example.org", now)
        other.record("funder@example.org", "page_open", "dashboard")
        other.end_session(token, now, "sign_out", "funder@example.org")
    signed_in.set()
    thread.join(timeout=120)
    assert landed == [1]
    assert backend.RETRIES - before == collections.Counter()
    lines = importer.audit(ADMIN)
    assert (lines["action"] == "sign_in").sum() == 5 and lines["id"].is_unique
    importer.close()
    other.close()


def fingerprints(store: Store) -> dict[str, tuple[int, int]]:
    """Every table's rows and checksum (``backend.FINGERPRINT``)."""
    found = {}
    with store.cursor() as cur:
        for table in store.tables():
            row = cur.execute(backend.FINGERPRINT.format(db=backend.LAKE, table=table)).fetchone()
            assert row is not None
            found[table] = (int(row[0]), int(row[1]))
    return found


def _pg(command: str, *args: str) -> None:
    subprocess.run([command, *args], check=True, capture_output=True, timeout=300)


def test_a_backup_of_catalog_and_files_restores_into_a_new_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's backup, done and undone: the catalog dumped (``pg_dump``), the data files
    copied, both restored into a new database and a new folder, and the app opened on it."""
    from streamlit.testing.v1 import AppTest

    source = config.db_target()  # the test's own lake (``isolated``), the demo made in it
    with Store(source) as store:
        auth.seed_demo(store)
        store.add_note(ADMIN, ALLIANCE, "decision", "Sauvegarder chaque nuit")
        before = exports.export_frame(store, ADMIN, None)
        every_table = fingerprints(store)
    name = source.split("dbname=", 1)[1].split()[0]
    dump = tmp_path / "catalog.dump"
    _pg("pg_dump", "--format=custom", f"--file={dump}", f"{lake.server()} dbname={name}")
    files = tmp_path / "restored-files"
    shutil.copytree(lake.LAKES / name, files)

    restored = "t_restored_" + name[-12:]
    lake.sql(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
    lake.sql(f'CREATE DATABASE "{restored}"')
    try:
        _pg("pg_restore", "--no-owner", f"--dbname={lake.server()} dbname={restored}", str(dump))
        # The files are in another folder now: the catalog is told where (the README's step).
        lake.sql(
            f"UPDATE ducklake_metadata SET value = '{files}/' WHERE key = 'data_path'", restored
        )
        monkeypatch.setenv(config.ENV_DB, lake.url(restored))
        with Store(lake.url(restored)) as store:
            assert exports.export_frame(store, ADMIN, None).equals(before)
            assert fingerprints(store) == every_table  # accounts, notes, the audit log…
        at = AppTest.from_file(str(config.ROOT / "app.py"), default_timeout=120)
        signed_in(at, "admin@demo.example")
        at.run()
        assert not at.exception
        at.switch_page("pages/dashboard.py").run()
        assert not at.exception and not at.error
        assert auth.DEMO_ALLIANCE in at.selectbox(key="dashboard_alliance").options
    finally:
        Store(lake.url(restored)).close()
        lake.sql(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')


def test_a_page_run_after_the_database_restarted_reads_as_before() -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(config.ROOT / "app.py"), default_timeout=120)
    signed_in(at, "admin@demo.example")
    at.run()
    at.switch_page("pages/dashboard.py").run()
    before = at.selectbox(key="dashboard_alliance").options
    lake.restart_server()  # every connection of the app's store dropped
    at.run()
    assert not at.exception and not at.error
    assert at.selectbox(key="dashboard_alliance").options == before


def test_an_import_cut_by_a_database_restart_lands_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = lake.db_at(tmp_path / "cut.duckdb")
    store = Store(db)
    real_write = imports.write_upload

    def cut(*args: Any, **kwargs: Any) -> int:
        upload_id = real_write(*args, **kwargs)
        lake.restart_server()  # between the import's writes and its commit
        return upload_id

    monkeypatch.setattr(imports, "write_upload", cut)
    with pytest.raises(StoreError) as refused:
        store.import_file(base_workbook(), "base.xlsx", ADMIN)
    assert refused.value.key == "err.write_interrupted"
    assert "nothing was saved" in said(refused.value, "en")
    assert store.uploads(ADMIN).empty and store.observations(ADMIN).empty
    assert store.alliances(ADMIN).empty
    monkeypatch.setattr(imports, "write_upload", real_write)
    assert store.import_file(base_workbook(), "base.xlsx", ADMIN).upload_id == 1
    assert len(store.observations(ADMIN)) > 0
    store.close()
