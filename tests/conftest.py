"""Shared fixtures: every test gets its own database and never sees the developer's."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import ui  # noqa: F401  (before any AppTest: see the note below)
from metrics.base import clock, config
from metrics.base.access import Actor
from metrics.sheets.schema import BY_KIND
from metrics.sheets.workbook import write_workbook
from metrics.storage.store import Store
from metrics.usecases import auth, seeding
from tests import lake
from tests.lake import copy_db, db_at

# ``ui`` switches Streamlit's older multipage mode off when the first page run of a server
# imports it (``ui``'s docstring). Imported here, outside any run, it never does in the tests:
# AppTest resets that mode before each app it runs, and every app then runs the same way.

ROOT = config.ROOT
# Debian's Chromium, driven by Playwright in the browser tests.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A test about the DuckDB file itself (its lock, its opening and closing): not run on the
# shared backend, which holds no file.
embedded_only = pytest.mark.skipif(lake.LAKE, reason="about the DuckDB file itself")
# Whoever holds the database file (tests, the CLI) acts as admin.
ADMIN = Actor.system("test")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the app and the CLI at a database inside the test's own folder."""
    db = db_at(tmp_path / "impact.duckdb")
    monkeypatch.setenv(config.ENV_DB, db)
    monkeypatch.delenv(config.ENV_DATA_PATH, raising=False)
    monkeypatch.delenv("IMPACT_LANG", raising=False)
    monkeypatch.delenv("IMPACT_SESSION_MINUTES", raising=False)
    monkeypatch.delenv(config.ENV_TIMEZONE, raising=False)  # the default zone, Europe/Paris
    # Never the developer's own .streamlit/secrets.toml (single sign-on settings)
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(tmp_path / "no-secrets.toml"))
    if lake.LAKE:
        monkeypatch.setattr(auth, "seed_demo", lake.seed_demo)
    yield db
    lake.drop_made()


def signed_in(at: Any, email: str, method: str = "password") -> str:
    """Sign ``email`` in for the AppTest ``at`` as the sign-in page does: a session in the store
    (the demo made first if the database is new, as the app's first run would) and its token
    in the session state. A run believes the session's row, never the session state alone."""
    with Store(config.db_target()) as store:
        if store.is_empty() and store.setting(auth.INSTALLATION) is None:
            auth.seed_demo(store)
        token = store.open_session(email, method, clock.now())
    store.close()
    at.session_state["app_account"] = email
    at.session_state["app_session_token"] = token
    return token


@pytest.fixture
def fresh_store(tmp_path: Path) -> Iterator[Store]:
    with Store(db_at(tmp_path / "fresh.duckdb")) as store:
        yield store
    store.close()


@pytest.fixture(scope="session")
def _seeded_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    return built(tmp_path_factory.mktemp("seed") / "demo.duckdb", seeding.seed)


def built(path: Path, fill: Callable[[Store], object]) -> str:
    """A database filled once per session or module, to be copied by tests (``copied_store``)."""
    db = db_at(path)
    lake.keep(db)
    with Store(db) as store:
        fill(store)
    store.close()
    return db


def copied_store(source: str, folder: Path) -> Iterator[Store]:
    """A store on a copy of the database ``source`` (built once per session or module)."""
    with Store(copy_db(source, folder)) as store:
        yield store
    store.close()


@pytest.fixture
def demo_store(tmp_path: Path, _seeded_file: str) -> Iterator[Store]:
    """A store holding the sample alliances (a copy per test)."""
    yield from copied_store(_seeded_file, tmp_path)


ALLIANCE = ["Alliance test", "Lens", "62498", 32000, "emploi", "2020", "consolidation"]
STAKEHOLDERS = [
    ["Alliance test", "Entreprise A", "entreprise"],
    ["Alliance test", "Ville de Lens", "collectivité"],
]


def row_of(kind: str, given: list[Any], **fields: Any) -> list[Any]:
    """A row of sheet ``kind``: the first cells ``given``, the others blank but ``fields``,
    each in its column (by its field name; the template's columns, as ``xlsx`` writes)."""
    columns = [c.field for c in BY_KIND[kind].template_columns]
    row = [*given, *[""] * (len(columns) - len(given))]
    for name, value in fields.items():
        row[columns.index(name)] = value
    return row


def xlsx(sheets: dict[str, list[list[Any]]], lang: str = "fr") -> bytes:
    """A real XLSX workbook with the contract's sheets and headers."""
    return write_workbook(sheets, lang)


def ods(sheets: dict[str, list[list[Any]]]) -> bytes:
    """A real ODS workbook (OpenDocument, as LibreOffice saves), one sheet per entry."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="odf") as writer:
        for name, rows in sheets.items():
            pd.DataFrame(rows[1:], columns=rows[0]).to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()


def base_workbook(
    observations: list[list[Any]] | None = None, targets: list[list[Any]] | None = None
) -> bytes:
    return xlsx(
        {
            "alliances": [ALLIANCE],
            "stakeholders": STAKEHOLDERS,
            "observations": observations
            if observations is not None
            else [
                ["Alliance test", "jobs_created", "2023", 10, "", ""],
                ["Alliance test", "jobs_created", "2024", 14, "", ""],
                ["Alliance test", "recruitment_cost_saved", "2024", 5000, "Entreprise A", ""],
            ],
            "targets": targets
            if targets is not None
            else [
                ["Alliance test", "jobs_created", "2023", 10, "2026", 30],
            ],
        }
    )


@pytest.fixture
def base_store(fresh_store: Store) -> Store:
    """A store with one small alliance imported as upload 1."""
    fresh_store.import_file(base_workbook(), "base.xlsx", Actor.system("test"))
    return fresh_store


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Chromium, for the browser tests of one module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
