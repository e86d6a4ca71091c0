"""Hostile content in a real browser: text from spreadsheets is shown as text on every page (a
planted Markdown image is never fetched, a link in a partner's name is never a link), and files
that would blow up a reader are refused while other sessions carry on."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from metrics.base.access import Actor
from metrics.storage.store import Store
from metrics.usecases import auth
from tests import lake
from tests.conftest import xlsx
from tests.lake import db_at
from tests.test_browser import (  # noqa: F401 - pytestmark: the browser tests' marks
    choose_alliance,
    free_port,
    pytestmark,
    running_app,
    shot,
    sign_in_as_demo,
    wait_for_text,
)
from tests.test_limits import shared_strings_bomb, workbook_with_far_cell
from tests.test_replications_contracts import CONTRACT

TRAP_PORT = free_port()
PLANTED = f"Vitrine ![pixel](http://127.0.0.1:{TRAP_PORT}/pixel.png)"
TERRITORY = ":red[Rouge] $x^2$ <b>Lens</b>"
LINK = f'<a href="http://127.0.0.1:{TRAP_PORT}/lien">lien</a> <b>gras</b>'
PAGES = [
    ("", "Tableau de bord d'impact", False),
    ("tableau-de-bord", "Tableau de bord de l'alliance", True),
    ("partenaires", "Parties prenantes", True),
    ("confiance", "Baromètre de confiance", True),
    ("changement-d-echelle", "Changement d'échelle", True),
    ("portefeuille", "Portefeuille d'alliances", False),
    ("comparer", "Comparer des alliances", True),
    ("donnees", "1. Le modèle", False),
    ("contrats", "Contrats à impact", False),
]


class _Trap(http.server.BaseHTTPRequestHandler):
    """Records every request: a planted image or link must never reach it."""

    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Trap.requests.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def trap() -> Iterator[list[str]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", TRAP_PORT), _Trap)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield _Trap.requests
    server.shutdown()


def planted_database(folder: Path) -> Path:
    db = db_at(folder / "impact.duckdb")
    lake.keep(db)  # (the module's server runs on it)
    with Store(db) as store:
        auth.seed_demo(store)
        content = xlsx(
            {
                "alliances": [[PLANTED, TERRITORY, "", 32000, "emploi", "2020", ""]],
                "stakeholders": [[PLANTED, LINK, "entreprise"]],
                "observations": [
                    [PLANTED, "jobs_created", "2023", 5, "", ""],
                    [PLANTED, "jobs_created", "2024", 8, "", ""],
                    [PLANTED, "recruitment_cost_saved", "2024", 5000, LINK, ""],
                ],
                "contracts": [[PLANTED, PLANTED, *CONTRACT[2:3], TERRITORY, LINK, *CONTRACT[5:]]],
            }
        )
        store.import_file(content, "vitrine.xlsx", Actor.system("test"), validate=True)
    return db


@pytest.fixture(scope="module")
def planted_app(tmp_path_factory: pytest.TempPathFactory, browser) -> Iterator[str]:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("hostile_browser")
    with running_app(folder, {"IMPACT_DB": str(planted_database(folder))}) as url:
        first = browser.new_page()  # the first load of a fresh server (see test_browser)
        first.goto(url)
        wait_for_text(first, "Connexion")
        first.close()
        yield url


@pytest.fixture
def admin(browser, planted_app: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    page = context.new_page()
    sign_in_as_demo(page, planted_app)
    yield page
    context.close()


def nothing_planted_works(page) -> None:  # type: ignore[no-untyped-def]
    assert page.locator("img[src*='pixel.png']").count() == 0
    # No link: neither in HTML nor in the SVG plotly draws (its links are <a> elements there).
    assert page.locator("a[href*='/lien'], a[href*='pixel'], svg a").count() == 0
    # No markup read from a name: no bold "Lens" in Markdown, no bold "gras" in a chart.
    assert page.locator("b, strong", has_text="Lens").count() == 0
    assert page.locator("svg tspan[style*='bold']", has_text="gras").count() == 0


def test_text_from_spreadsheets_is_shown_as_text_on_every_page(  # type: ignore[no-untyped-def]
    admin, planted_app: str, trap: list[str]
) -> None:
    for path, title, pick in PAGES:
        admin.goto(f"{planted_app}/{path}?lang=fr")
        wait_for_text(admin, title)
        if pick:
            choose_alliance(admin, PLANTED)
        admin.wait_for_timeout(2500)
        if path == "tableau-de-bord":
            # The territory is written out, brackets, dollars and tags included.
            wait_for_text(admin, TERRITORY)
            admin.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        if path == "contrats":  # the contract, its commissioner and investors, as written
            admin.get_by_label("Contrat", exact=True).click()
            admin.get_by_role("option", name=PLANTED).click()
            wait_for_text(admin, ">lien</a> <b>gras</b>")  # as written, not as a link
        if path == "partenaires":
            admin.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
            assert admin.locator("svg text", has_text="lien").count() >= 1
        nothing_planted_works(admin)
        shot(admin, f"hostile_{path or 'accueil'}")
    assert trap == []  # the browser never fetched the planted image nor followed the link


def test_bombs_are_refused_while_another_session_carries_on(  # type: ignore[no-untyped-def]
    browser, admin, planted_app: str, tmp_path: Path
) -> None:
    """One session uploads a workbook with a cell at XFD1048576, then one whose shared strings
    inflate to 300 MB; meanwhile a second session reloads its dashboard."""
    other = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    reader = other.new_page()
    sign_in_as_demo(reader, planted_app)
    bombs = {
        "loin.xlsx": workbook_with_far_cell(1048575, 16383),
        "bombe.xlsx": shared_strings_bomb(),
    }
    for name, content in bombs.items():
        file = tmp_path / name
        file.write_bytes(content)
        admin.goto(f"{planted_app}/donnees?lang=fr")
        wait_for_text(admin, "1. Le modèle")
        admin.locator("input[type=file]").set_input_files(str(file))
        reader.goto(f"{planted_app}/tableau-de-bord?lang=fr")
        wait_for_text(reader, "Tableau de bord de l'alliance")
        reader.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        wait_for_text(admin, "Fichier refusé, rien n'a été enregistré")
        shot(admin, f"hostile_refused_{name.split('.')[0]}")
    # The server still serves both sessions.
    admin.goto(f"{planted_app}/tableau-de-bord?lang=fr")
    admin.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    other.close()
