"""The shared backend in production: data files in an object store (a real S3 API server the
tests start, moto's), maintenance, and a backup restored (``tests/lake.py`` gives PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from metrics import cli
from metrics.base import config
from metrics.base.access import Actor
from metrics.base.errors import AccessDenied, StoreError
from metrics.presentation.i18n import said
from metrics.storage import backend
from metrics.storage.store import Store
from metrics.usecases import exports, seeding
from tests import lake
from tests.conftest import ADMIN, xlsx

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
