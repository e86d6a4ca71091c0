"""Real-browser journeys: Playwright driving Debian's Chromium against the app (``ui.serve``).

Screenshots go to ``screenshots/`` (git-ignored) so that a person can look at every page.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from metrics.base import config
from metrics.base.access import Actor
from metrics.storage.store import Store
from metrics.usecases import auth
from tests import lake
from tests.conftest import CHROMIUM, xlsx
from tests.lake import db_at

SHOTS = config.ROOT / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason="Debian's chromium is not installed (CI installs it)",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


PASSWORD = "correct horse battery"
PASSWORD_ACCOUNT = "comite@test.example"
LOCKED_ACCOUNT = "verrou@test.example"
SSO_ACCOUNT = "sso@test.example"


def prepared_database(folder: Path) -> Path:
    """The demo, plus accounts for the sign-in journeys (a password one, one to lock out, one
    that signs in through single sign-on)."""
    db = db_at(folder / "impact.duckdb")
    lake.keep(db)  # (a module's server may run on it)
    with Store(db) as store:
        auth.seed_demo(store)
        setup = Actor.system("test")
        for email in (PASSWORD_ACCOUNT, LOCKED_ACCOUNT):
            store.add_account(
                setup, email, "Comité test", password_hash=auth.hash_password(PASSWORD)
            )
            store.grant(setup, email, "editor", "Sambre Emploi Solidaire")
        store.add_account(setup, SSO_ACCOUNT, "Compte SSO")
        store.grant(setup, SSO_ACCOUNT, "viewer", "Roubaix Quartiers Actifs")
    return db


@contextmanager
def running_app(
    folder: Path, env: dict[str, str], *args: str, port: int | None = None
) -> Iterator[str]:
    """The app (``python -m ui.serve``, the README's command) on ``port`` (else a free one)
    until the block ends; yields its address."""
    port = port or free_port()
    if "--secrets.files" not in args:  # never the developer's own secrets
        args = (*args, "--secrets.files", str(folder / "no-secrets.toml"))
    folder.mkdir(parents=True, exist_ok=True)
    log = (folder / "streamlit.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ui.serve",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            *args,
        ],
        cwd=config.ROOT,
        env=dict(os.environ, **env),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError((folder / "streamlit.log").read_text())
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def server_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database with the test accounts, which the module's server runs on."""
    return prepared_database(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def server(server_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a free port, on ``server_db``."""
    folder = tmp_path_factory.mktemp("server")
    with running_app(folder, {"IMPACT_DB": str(server_db)}) as url:
        yield url


@pytest.fixture(scope="module")
def app_url(server: str) -> str:
    return server


def sign_in_as_demo(page, url: str, role: str = "Administration") -> None:  # type: ignore[no-untyped-def]
    """Sign in with a demo account's button; the session cookie then keeps deep links signed in."""
    page.goto(url)
    page.get_by_role("button", name=role).first.click()
    page.get_by_role("button", name="Se déconnecter").wait_for(timeout=30_000)


@pytest.fixture
def signed_out(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    yield context.new_page()
    context.close()


@pytest.fixture
def page(signed_out, app_url: str):  # type: ignore[no-untyped-def]
    """A browser tab signed in as the demo admin."""
    sign_in_as_demo(signed_out, app_url)
    return signed_out


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Screenshot the whole page: Streamlit scrolls inside its main block, so the viewport is
    stretched to that block's height first."""
    SHOTS.mkdir(exist_ok=True)
    page.wait_for_timeout(800)
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
        "[data-testid=stMainBlockContainer]')].map(e => e.scrollHeight), 800)"
    )
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 8000)})
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(size)


def choose_alliance(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Alliance", exact=True).first.click()
    page.get_by_role("option", name=name).click()


def wait_for_text(page, text: str, timeout: int = 30_000) -> None:  # type: ignore[no-untyped-def]
    page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)


def as_shown(address: str) -> str:
    """An e-mail address as the pages write it in Markdown: a word joiner (invisible) before
    "@" keeps it from becoming a link (``ui.markdown.md``)."""
    return address.replace("@", "\u2060@")


def audit_lines(db: Path | str, since: int = 0) -> list[dict[str, object]]:
    """The audit log's lines after line ``since`` (read while the app runs on ``db``)."""
    with Store(db) as store:
        log = store.audit(Actor.system("test"))
    return [row for row in log.to_dict("records") if int(row["id"]) > since]


def last_audit_id(db: Path | str) -> int:
    with Store(db) as store:
        return int(store.audit(Actor.system("test"))["id"].max())


def logged(db: Path | str, since: int, count: int, **match: object) -> list[dict[str, object]]:
    """The ``count`` lines after ``since`` that hold ``match`` (their details read), waited
    for: a download's line is written by the rerun its click asks for, or as its file is made."""
    lines: list[dict[str, object]] = []
    for _ in range(60):
        lines = [
            row | {"details": json.loads(str(row["details"]))}
            for row in audit_lines(db, since)
            if all(row[k] == v for k, v in match.items())
        ]
        if len(lines) >= count:
            return lines
        time.sleep(0.5)
    raise AssertionError(f"{len(lines)} line(s) of {match} in the audit log, {count} expected")


def test_home_in_both_languages(app_url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(app_url)
    wait_for_text(page, "Tableau de bord d'impact des alliances territoriales")
    # st.dataframe draws on a canvas: its cells are in the DOM but hidden.
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
    page.get_by_text("Recycl'Armor").first.wait_for(state="attached", timeout=30_000)
    shot(page, "home_fr")
    page.get_by_text("English", exact=True).click()
    wait_for_text(page, "Impact dashboard for territorial alliances")
    wait_for_text(page, "Values stored")
    shot(page, "home_en")
    # The choice survives a page change, and is in the address: a reload (or the link
    # bookmarked, or sent to someone) opens in English.
    page.get_by_role("link", name="Data").first.click()
    wait_for_text(page, "1. The template")
    page.wait_for_url("**/donnees?lang=en")
    page.reload()
    wait_for_text(page, "1. The template")
    page.get_by_role("link", name="Portfolio").first.click()
    wait_for_text(page, "Portfolio of alliances")
    page.wait_for_url("**/portefeuille?lang=en")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_data_page_upload_and_confirm(app_url: str, page, tmp_path: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/donnees?lang={lang}")
    wait_for_text(page, "1. Le modèle" if lang == "fr" else "1. The template")
    shot(page, f"data_{lang}")
    name = f"Alliance navigateur {lang}"
    file = tmp_path / ("donnees.xlsx" if lang == "fr" else "data.xlsx")
    file.write_bytes(
        xlsx(
            {
                "alliances": [[name, "Arras", "62041", 41000, "emploi", "2021", ""]],
                "observations": [
                    [name, "jobs_created", "2024", 12, "", ""],
                    [name, "Taux de chômage local", "T2 2024", "9,5", "", ""],
                ],
            },
            lang,
        )
    )
    page.locator("input[type=file]").set_input_files(str(file))
    confirm = "Confirmer l'import" if lang == "fr" else "Confirm the import"
    page.get_by_role("button", name=confirm).wait_for(timeout=30_000)
    wait_for_text(page, "Simulation" if lang == "fr" else "Dry run")
    shot(page, f"data_dry_run_{lang}")
    page.get_by_role("button", name=confirm).click()
    wait_for_text(page, "ajoutée(s), " if lang == "fr" else " added, ")  # the summary
    shot(page, f"data_imported_{lang}")


def test_the_uploader_speaks_french(app_url: str, page) -> None:  # type: ignore[no-untyped-def]
    """Streamlit writes its uploader's button and hint in English: in French, they read in
    French (the page's style), in English as Streamlit writes them."""

    def shown(selector: str) -> str:
        return str(
            page.evaluate(
                "(s) => getComputedStyle(document.querySelector(s), '::after').content", selector
            )
        )

    button = "[data-testid='stFileUploaderDropzone'] button p"
    hint = "[data-testid='stFileUploaderDropzoneInstructions'] span"
    page.goto(f"{app_url}/donnees?lang=fr")
    page.locator(button).first.wait_for(timeout=30_000)
    assert shown(button) == '"Choisir un fichier"'
    assert shown(hint).startswith('"ou déposez-le ici')
    page.goto(f"{app_url}/donnees?lang=en")
    page.locator(button).first.wait_for(timeout=30_000)
    assert page.locator(button).first.inner_text() == "Upload" and shown(button) == "none"


def test_bad_file_report_in_the_browser(app_url: str, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/donnees?lang=fr")
    wait_for_text(page, "1. Le modèle")
    bad = tmp_path / "erreurs.csv"
    bad.write_bytes(
        "alliance;indicateur;période;valeur\nInconnue;jobs_created;T5 2023;douze\n".encode("cp1252")
    )
    page.locator("input[type=file]").set_input_files(str(bad))
    wait_for_text(page, "Fichier refusé, rien n'a été enregistré")
    shot(page, "data_refused_fr")


def test_dashboard_renders_charts_and_follows_choices(app_url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/tableau-de-bord?lang=fr")
    wait_for_text(page, "Tableau de bord de l'alliance")
    choose_alliance(page, "Sambre Emploi Solidaire")
    wait_for_text(page, "Maubeuge · emploi")
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    wait_for_text(page, "Score par dimension")
    assert page.locator(".js-plotly-plot").count() >= 3
    shot(page, "dashboard_fr")
    # The grid of the tab chosen is drawn when it is chosen.
    assert page.get_by_text("Respect mutuel (score 1-5)").count() == 0
    page.get_by_role("tab", name="Climat de confiance").click()
    wait_for_text(page, "Respect mutuel (score 1-5)")  # a subplot's title in the trust grid
    shot(page, "dashboard_trust_tab_fr")
    # Change the alliance: the scorecard and the charts follow.
    choose_alliance(page, "Roubaix Quartiers Actifs")
    wait_for_text(page, "Roubaix · emploi")
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    shot(page, "dashboard_roubaix_fr")
    page.get_by_text("English", exact=True).click()
    wait_for_text(page, "Score by dimension")
    wait_for_text(page, "Societal innovation")
    shot(page, "dashboard_en")
    # By quarter, a dimension with yearly values or targets says so, and offers the years.
    page.get_by_text("Quarter", exact=True).click()
    wait_for_text(page, "No score in this view: this dimension's values or targets are yearly")
    shot(page, "dashboard_quarter_en")
    page.get_by_role("button", name="See by year").first.click()
    wait_for_text(page, "change since 2024")
    assert page.get_by_text("No score in this view").count() == 0


@pytest.mark.parametrize("width", [1280, 1920])
def test_the_printed_dashboard_is_its_content_on_a4(app_url: str, page, width: int) -> None:  # type: ignore[no-untyped-def]
    """The browser's print of the dashboard, from a laptop's or a wide screen: no sidebar, no
    widgets, every chart within the page's width, no blank page."""
    from pypdf import PdfReader

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{app_url}/tableau-de-bord?lang=fr")
    wait_for_text(page, "Score par dimension")
    page.locator(".js-plotly-plot").nth(2).wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    texts = [p.extract_text() for p in reader.pages]
    assert 1 <= len(texts) <= 3 and all(t.strip() for t in texts)  # no blank page
    text = "\n".join(texts)
    assert "Tableau de bord de l'alliance" in text and "Complétude des données" in text
    for chrome in ("Se déconnecter", "Portefeuille", "Préparer le dossier", "Années"):
        assert chrome not in text
    # Laid out as printed: every chart within the page's width (drawn for a wide screen, a
    # chart used to run off the page).
    page.emulate_media(media="print")
    main = page.locator("[data-testid='stMainBlockContainer']").bounding_box()
    svgs = page.locator(".js-plotly-plot svg.main-svg").all()
    assert svgs and all(svg.get_attribute("viewBox") for svg in svgs)  # scaled, not cut
    boxes = [svg.bounding_box() for svg in svgs]
    assert all(box["x"] + box["width"] <= main["x"] + main["width"] + 1 for box in boxes if box)


def test_the_pack_downloads_from_the_dashboard(  # type: ignore[no-untyped-def]
    app_url: str, server_db: Path, page, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    since = last_audit_id(server_db)
    page.goto(f"{app_url}/tableau-de-bord?lang=fr")
    wait_for_text(page, "Tableau de bord de l'alliance")
    choose_alliance(page, "Sambre Emploi Solidaire")
    wait_for_text(page, "Maubeuge · emploi")
    page.get_by_role("button", name="Préparer le dossier").click()
    download_button = page.get_by_role("button", name="Télécharger le dossier (PDF)")
    download_button.wait_for(timeout=90_000)
    shot(page, "dashboard_pack_fr")
    with page.expect_download() as download:
        download_button.click()
    path = tmp_path / "dossier.pdf"
    download.value.save_as(path)
    assert download.value.suggested_filename == "dossier Sambre Emploi Solidaire 2026.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert "Sambre Emploi Solidaire" in text and "Comité de pilotage" in text
    with page.expect_download() as slides:
        page.get_by_role("button", name="Télécharger les diapositives (PowerPoint)").click()
    assert slides.value.suggested_filename.endswith(".pptx")
    # Each download is in the audit log: who, which file, what it is, in which format.
    lines = logged(server_db, since, 2, action="export", account="admin@demo.example")
    assert [(line["object"], line["outcome"], line["details"]) for line in lines] == [
        (
            f"dossier Sambre Emploi Solidaire 2026.{kind}",
            "ok",
            {"kind": "pack", "alliance": "Sambre Emploi Solidaire", "year": 2026, "format": kind},
        )
        for kind in ("pdf", "pptx")
    ]


def test_a_committee_decision_is_written_from_the_dashboard(app_url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/tableau-de-bord?lang=fr")
    wait_for_text(page, "Tableau de bord de l'alliance")
    choose_alliance(page, "Sambre Emploi Solidaire")
    wait_for_text(page, "Notes et décisions du comité")
    page.get_by_text("Écrire une note ou une décision").click()
    form = page.locator("[data-testid=stForm]").first
    form.get_by_text("Décision", exact=True).click()
    text = "Relancer les partenaires <b>avant</b> juin"
    form.locator("textarea").fill(text)
    form.get_by_role("button", name="Enregistrer la note").click()
    wait_for_text(page, "enregistrée")
    page.get_by_text(text).wait_for(timeout=30_000)  # listed, its markup shown as text
    shot(page, "dashboard_note_fr")


@pytest.mark.parametrize(
    ("path", "title_fr", "title_en"),
    [
        ("partenaires", "Ce que chaque partenaire retire", "What each stakeholder gets"),
        ("confiance", "Baromètre de confiance", "Trust barometer"),
    ],
)
def test_stakeholder_and_trust_pages(  # type: ignore[no-untyped-def]
    app_url: str, page, path: str, title_fr: str, title_en: str
) -> None:
    for lang, title in (("fr", title_fr), ("en", title_en)):
        page.goto(f"{app_url}/{path}?lang={lang}")
        wait_for_text(page, title)
        choose_alliance(page, "Sambre Emploi Solidaire")
        wait_for_text(page, "Entreprises du Val de Sambre" if path == "partenaires" else title)
        page.locator(".js-plotly-plot").nth(3).wait_for(timeout=30_000)
        assert page.locator(".js-plotly-plot").count() >= 4
        shot(page, f"{path}_{lang}")


ADDRESSES = [
    "",
    "tableau-de-bord",
    "partenaires",
    "confiance",
    "changement-d-echelle",
    "contrats",
    "portefeuille",
    "comparer",
    "donnees",
    "comptes",
    "journal",
]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_page_shows_a_programs_placeholder(app_url: str, page, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Every page, as an admin sees it: no "None", "nan", "undefined"… in what is written
    (text, metrics, the charts' SVG), no dialog, no error. The cells of a data grid are
    drawn on a canvas, out of reach here: their texts are tested where they are made
    (``formatting.shown_as``, the pages' tables in ``test_app``)."""
    for address in ADDRESSES:
        page.goto(f"{app_url}/{address}?lang={lang}")
        page.locator("[data-testid='stMain'] h1").first.wait_for(timeout=30_000)
        page.wait_for_timeout(800)
        page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=60_000)
        text = page.locator("[data-testid='stMain']").text_content() or ""
        words = re.findall(r"\b(None|nan|NaN|undefined|Infinity|null)\b", text)
        assert not words, (address, lang, words)
        assert page.get_by_role("dialog").count() == 0, address
        assert page.locator("[data-testid='stException']").count() == 0, address


def test_portfolio_page(app_url: str, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    for lang, title in (("fr", "Portefeuille d'alliances"), ("en", "Portfolio of alliances")):
        page.goto(f"{app_url}/portefeuille?lang={lang}")
        wait_for_text(page, title)
        page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
        page.get_by_text("Roubaix Quartiers Actifs").first.wait_for(state="attached")
        shot(page, f"portefeuille_{lang}")
    # The one-pager of the alliances shown, to circulate.
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("button", name="Download the one-page summary (PDF)").click()
    path = tmp_path / "portfolio.pdf"
    download.value.save_as(path)
    text = PdfReader(path).pages[0].extract_text()
    assert "Portfolio of alliances" in text and "Roubaix Quartiers Actifs" in text


def test_comparison_peer_group_normalisation_and_export(  # type: ignore[no-untyped-def]
    app_url: str, server_db: Path, page, tmp_path: Path
) -> None:
    page.goto(f"{app_url}/comparer?lang=fr")
    wait_for_text(page, "Comparer des alliances")
    # The page opens on a group to compare (on the sample, the first alliance alone in its
    # theme is with four others by level); a group of one says so, and draws nothing.
    wait_for_text(page, "Pairs (")
    assert page.get_by_text("est seule dans son groupe").count() == 0
    choose_alliance(page, "Cantal Voisins Solidaires")
    wait_for_text(page, "Cantal Voisins Solidaires est seule dans son groupe")
    expect(page.locator(".js-plotly-plot")).to_have_count(0, timeout=30_000)
    choose_alliance(page, "Sambre Emploi Solidaire")
    page.get_by_text("même thématique", exact=True).click()
    wait_for_text(page, "Roubaix Quartiers Actifs, Sambre Emploi Solidaire")
    page.get_by_label("Indicateur", exact=True).click()
    page.get_by_role("option", name="Emplois créés").click()
    wait_for_text(page, "Emplois créés : classement")
    page.get_by_text("pour 1 000 habitants", exact=True).click()
    wait_for_text(page, "emplois pour 1 000 habitants")
    page.locator(".js-plotly-plot").nth(3).wait_for(timeout=30_000)
    shot(page, "comparer_fr")
    # The page done with its reruns; the file is written when asked (slow on a loaded machine).
    page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=60_000)
    since = last_audit_id(server_db)
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("button", name="Télécharger en CSV").click()
    path = tmp_path / "comparaison.csv"
    download.value.save_as(path)
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Rang;Alliance;Valeur (emplois pour 1 000 habitants)")
    assert "Sambre Emploi Solidaire" in text and "Roubaix Quartiers Actifs" in text
    # The file is made on the click, and written to the audit log as it is made.
    [line] = logged(server_db, since, 1, action="export")
    assert (line["details"]["kind"], line["details"]["format"]) == ("comparison", "csv")
    page.get_by_text("English", exact=True).click()
    wait_for_text(page, "Ranking table")
    page.locator(".js-plotly-plot").nth(3).wait_for(timeout=30_000)
    # the choices made in French survive the change of language
    wait_for_text(page, "jobs per 1,000 inhabitants")
    assert page.get_by_role("radio", name="per 1,000 inhabitants").is_checked()
    assert page.get_by_role("radio", name="same theme").is_checked()
    shot(page, "comparer_en")


@pytest.mark.parametrize(
    ("path", "title_fr", "title_en", "charts"),
    [
        ("changement-d-echelle", "Changement d'échelle", "Scaling", 4),
        ("contrats", "Contrats à impact", "Outcome contracts", 2),
    ],
)
def test_scaling_and_contract_pages(  # type: ignore[no-untyped-def]
    app_url: str, page, path: str, title_fr: str, title_en: str, charts: int
) -> None:
    for lang, title in (("fr", title_fr), ("en", title_en)):
        page.goto(f"{app_url}/{path}?lang={lang}")
        wait_for_text(page, title)
        if path == "changement-d-echelle":
            choose_alliance(page, "Recycl'Armor")
            wait_for_text(page, "Lannion")
        else:  # the first contract: Roubaix's, paid by a rate card
            wait_for_text(page, "Roubaix Quartiers Actifs")
        page.locator(".js-plotly-plot").nth(charts - 1).wait_for(timeout=30_000)
        shot(page, f"{path}_{lang}")


def test_peterborough_shows_its_investors_return_on_their_dated_draw(  # type: ignore[no-untyped-def]
    app_url: str, page
) -> None:
    """A contract paid on one result with an investments row: the investors' IRR in the
    settlement, their flows and tranches drawn, the draw said to be illustrative."""
    for lang, label, irr, caption in (
        ("fr", "Contrat", "3,11\u202f%", "Investissements illustratifs"),
        ("en", "Contract", "3.11%", "Illustrative investments"),
    ):
        page.goto(f"{app_url}/contrats?lang={lang}")
        wait_for_text(page, "Roubaix Quartiers Actifs")
        page.get_by_label(label, exact=True).click()
        page.get_by_role("option", name="Peterborough SIB").click()
        wait_for_text(page, caption)
        metric = page.locator("[data-testid='stMetric']").filter(
            has_text="TRI des investisseurs" if lang == "fr" else "Investors' IRR"
        )
        assert irr in metric.first.inner_text()
        page.locator(".js-plotly-plot").nth(3).wait_for(timeout=30_000)  # results ... what-if
        shot(page, f"contrats_peterborough_{lang}")


def test_apps_and_commands_write_at_once_and_each_lands_once(  # type: ignore[no-untyped-def]
    tmp_path: Path, browser
) -> None:
    """Every process writing at once: two app servers (one on the DuckDB file, which one
    process holds at a time) each importing a file from its data page, while two imports run
    from the command line. Each of the four lands exactly once and whole, and each app shows
    the others' imports at its next run."""
    apps = 2 if lake.LAKE else 1
    db = prepared_database(tmp_path)

    def workbook(name: str, n: int) -> Path:
        file = tmp_path / f"{name}.xlsx"
        alliance = f"Alliance {name}"
        file.write_bytes(
            xlsx(
                {
                    "alliances": [[alliance, "Arras", "", "", "", "", ""]],
                    "observations": [
                        [alliance, "jobs_created", str(year), n * 100 + year - 2000, "", ""]
                        for year in range(2010, 2025)
                    ],
                }
            )
        )
        return file

    by_app = [workbook(f"app_{a}", a) for a in range(1, apps + 1)]
    by_command = [workbook(f"commande_{c}", 10 + c) for c in (1, 2)]
    with contextlib.ExitStack() as stack:
        urls = [
            stack.enter_context(running_app(tmp_path / f"app{a}", {"IMPACT_DB": str(db)}))
            for a in range(apps)
        ]
        pages = []
        for url in urls:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            stack.callback(context.close)
            page = context.new_page()
            sign_in_as_demo(page, f"{url}/donnees?lang=fr")
            wait_for_text(page, "1. Le modèle")
            pages.append(page)
        commands = [
            subprocess.Popen(
                [sys.executable, "-m", "metrics", "import", str(f), "--db", str(db)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=config.ROOT,
            )
            for f in by_command
        ]
        for page, file in zip(pages, by_app, strict=True):
            page.locator("input[type=file]").set_input_files(str(file))
        for page in pages:  # confirmed together, while the commands run
            page.get_by_role("button", name="Confirmer l'import").wait_for(timeout=60_000)
        for page in pages:
            page.get_by_role("button", name="Confirmer l'import").click()
        for page in pages:  # the import's summary (not the history's "Import n°" header)
            wait_for_text(page, "ajoutée(s), ", timeout=120_000)
        for command in commands:
            out, err = command.communicate(timeout=180)
            assert command.returncode == 0, err
            assert "Import n°" in out
        everyone = [f.name for f in by_app + by_command]
        for page, url in zip(pages, urls, strict=True):  # each app shows every import
            page.goto(f"{url}/donnees")
            wait_for_text(page, "3. Historique des imports")
            for name in everyone:  # st.dataframe draws on a canvas: cells hidden in the DOM
                page.get_by_text(name).first.wait_for(state="attached", timeout=30_000)
            page.goto(f"{url}/tableau-de-bord")
            page.get_by_label("Alliance", exact=True).first.click()
            for file in by_app + by_command:
                page.get_by_role("option", name=f"Alliance {file.stem}").wait_for(timeout=30_000)
            page.keyboard.press("Escape")
    with Store(db) as store:  # each landed once, whole
        admin = Actor.system("test")
        names = list(store.uploads(admin)["file_name"])
        assert sorted(n for n in names if n in everyone) == sorted(everyone)
        values = store.observations(admin)
        for file in by_app + by_command:
            assert (values["alliance"] == f"Alliance {file.stem}").sum() == 15


# -- accounts: sign-in, lockout, sign-out, single sign-on, the accounts page -------------------


def fill_sign_in(page, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    page.wait_for_timeout(1500)


def test_a_link_to_a_page_opens_it_after_sign_in_on_a_fresh_server(  # type: ignore[no-untyped-def]
    tmp_path: Path, signed_out
) -> None:
    """The first visit of a server just started is a link to a page: no "Page not found"
    (streamlit#9992), the sign-in, then the page asked for; a page the account may not see
    says so, in the user's language."""
    page = signed_out
    with running_app(tmp_path, {"IMPACT_DB": str(prepared_database(tmp_path))}) as url:
        page.goto(f"{url}/donnees?lang=fr")
        wait_for_text(page, "Comptes de démonstration")
        page.wait_for_timeout(1000)
        assert page.get_by_role("dialog").count() == 0
        fill_sign_in(page, PASSWORD_ACCOUNT, PASSWORD)
        wait_for_text(page, "1. Le modèle")
        assert "/donnees" in page.url and page.get_by_role("dialog").count() == 0
        page.goto(f"{url}/portefeuille?lang=en")
        wait_for_text(page, "Your account does not open this page")
        assert page.get_by_role("dialog").count() == 0
        shot(page, "page_not_open_en")


# The pages that show e-mail addresses (in Markdown: messages, captions; in tables, as text).
PAGES_WITH_ADDRESSES = ["", "tableau-de-bord", "donnees", "comptes", "journal"]


@pytest.mark.parametrize(("role", "email"), [("Administration", "admin"), ("Pilotage", "lead")])
def test_an_address_is_shown_as_text_never_a_mailto_link(  # type: ignore[no-untyped-def]
    app_url: str, signed_out, role: str, email: str
) -> None:
    page = signed_out
    sign_in_as_demo(page, app_url, role)
    address = f"{email}@demo.example"
    for path in PAGES_WITH_ADDRESSES:
        page.goto(f"{app_url}/{path}?lang=fr")
        page.locator("[data-testid='stMain'] h1").first.wait_for(timeout=30_000)
        page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=60_000)
        page.wait_for_timeout(800)
        assert page.locator('a[href^="mailto:"]').count() == 0, path
        if path == "donnees":  # "Import enregistré au nom de …": the address, as it is
            wait_for_text(page, f"au nom de {as_shown(address)},")
            shot(page, f"address_as_text_{email}")
    assert page.get_by_text(address).count() > 0  # the account box: plain text too
    assert page.locator('a[href^="mailto:"]').count() == 0


def test_a_page_the_account_may_not_see_is_in_the_audit_log(  # type: ignore[no-untyped-def]
    app_url: str, server_db: Path, signed_out
) -> None:
    """A viewer typing the address of the audit log or of the accounts page: told the page is
    not open to it, and each visit written to the audit log, refused."""
    page = signed_out
    sign_in_as_demo(page, app_url, "Lecture")
    since = last_audit_id(server_db)
    for address in ("journal", "comptes"):
        page.goto(f"{app_url}/{address}?lang=fr")
        wait_for_text(page, "Votre compte n'ouvre pas cette page")
    lines = logged(server_db, since, 2, action="page_open", account="viewer@demo.example")
    assert [(line["object"], line["outcome"], line["details"]) for line in lines] == [
        ("audit", "refused", {"address": "/journal"}),
        ("accounts", "refused", {"address": "/comptes"}),
    ]


def test_password_sign_in_reload_and_sign_out(app_url: str, signed_out) -> None:  # type: ignore[no-untyped-def]
    page = signed_out
    page.goto(app_url)
    wait_for_text(page, "Comptes de démonstration")
    shot(page, "sign_in_fr")
    page.get_by_text("English", exact=True).click()
    wait_for_text(page, "Demo accounts")
    shot(page, "sign_in_en")
    page.get_by_text("Français", exact=True).click()
    wait_for_text(page, "Comptes de démonstration")
    fill_sign_in(page, PASSWORD_ACCOUNT, PASSWORD)
    page.get_by_role("button", name="Se déconnecter").wait_for(timeout=30_000)
    wait_for_text(page, "Contribution · Sambre Emploi Solidaire")
    # an editor of one alliance sees that alliance only, and no funder or admin page
    assert page.get_by_role("link", name="Portefeuille").count() == 0
    assert page.get_by_role("link", name="Journal").count() == 0
    # a reload (or a link opened again) keeps the session
    page.goto(f"{app_url}/donnees")
    wait_for_text(page, f"Import enregistré au nom de {as_shown(PASSWORD_ACCOUNT)}")
    page.get_by_role("button", name="Se déconnecter").click()
    wait_for_text(page, "Vous êtes déconnecté")
    # the old cookie no longer opens anything
    page.goto(f"{app_url}/donnees")
    wait_for_text(page, "Avec un mot de passe")
    assert page.get_by_role("button", name="Se déconnecter", exact=True).count() == 0


def test_a_replayed_cookie_dies_with_the_session(app_url: str, browser, signed_out) -> None:  # type: ignore[no-untyped-def]
    """A second browser holding a copy of the first one's cookie is signed out when the first
    signs out; the cookie lives no longer than the session."""
    page = signed_out
    page.goto(app_url)
    wait_for_text(page, "Avec un mot de passe")
    fill_sign_in(page, PASSWORD_ACCOUNT, PASSWORD)
    page.get_by_role("button", name="Se déconnecter").wait_for(timeout=30_000)
    cookie = next(c for c in page.context.cookies() if c["name"] == "impact_session")
    assert cookie["sameSite"] == "Strict"
    assert 0 < cookie["expires"] - time.time() <= auth.session_lifetime().total_seconds() + 5
    thief = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    try:
        thief.add_cookies([cookie])
        other = thief.new_page()
        other.goto(f"{app_url}/donnees")
        other.get_by_role("button", name="Se déconnecter").wait_for(timeout=30_000)
        page.get_by_role("button", name="Se déconnecter").click()
        wait_for_text(page, "Vous êtes déconnecté")
        # the open tab of the other browser is signed out at its next run...
        other.get_by_text("English", exact=True).click()
        wait_for_text(other, "Your session has ended")
        # ...and its copy of the cookie opens nothing any more
        other.goto(f"{app_url}/donnees")
        wait_for_text(other, "Avec un mot de passe")
        assert other.get_by_role("button", name="Se déconnecter", exact=True).count() == 0
    finally:
        thief.close()


def test_five_failures_lock_the_account(app_url: str, signed_out) -> None:  # type: ignore[no-untyped-def]
    page = signed_out
    page.goto(app_url)
    wait_for_text(page, "Avec un mot de passe")
    for _ in range(5):
        fill_sign_in(page, LOCKED_ACCOUNT, "not the password")
        wait_for_text(page, "Adresse e-mail ou mot de passe incorrect")
    # an unknown account gets the very same message
    fill_sign_in(page, "nobody@test.example", "not the password")
    wait_for_text(page, "Adresse e-mail ou mot de passe incorrect")
    # the sixth attempt, with the right password, is refused: the account is locked
    fill_sign_in(page, LOCKED_ACCOUNT, PASSWORD)
    wait_for_text(page, "Trop d'essais manqués")
    assert page.get_by_role("button", name="Se déconnecter", exact=True).count() == 0
    shot(page, "sign_in_locked_fr")


def test_accounts_page_in_both_languages(app_url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/comptes")
    wait_for_text(page, "Comptes et rôles")
    page.get_by_text("lead@demo.example").first.wait_for(state="attached", timeout=30_000)
    shot(page, "accounts_fr")
    page.get_by_test_id("stSidebarUserContent").get_by_text("English", exact=True).click()
    wait_for_text(page, "Accounts and roles")
    wait_for_text(page, "Grant a role")
    shot(page, "accounts_en")
    page.goto(f"{app_url}/journal?lang=en")
    wait_for_text(page, "Every sign-in, upload")
    shot(page, "audit_en")


@pytest.fixture(scope="module")
def sso_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app configured for single sign-on against a real OpenID Connect provider (the
    ``oidc-provider-mock`` package) running in this process."""
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # both ends on plain http, on loopback
    from oidc_provider_mock import User, run_server_in_thread

    folder = tmp_path_factory.mktemp("sso")
    db = prepared_database(folder)
    users = [
        User(sub="sso-user", claims={"email": SSO_ACCOUNT, "email_verified": True}),
        User(sub="stranger", claims={"email": "stranger@test.example", "email_verified": True}),
    ]
    port = free_port()
    with run_server_in_thread(user_claims=users) as provider:
        secrets = folder / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "a cookie secret for the tests only"\n'
            'client_id = "impact-dashboard"\n'
            'client_secret = "a client secret for the tests only"\n'
            f'server_metadata_url = "http://localhost:{provider.server_port}'
            '/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        env = {"IMPACT_DB": str(db), "AUTHLIB_INSECURE_TRANSPORT": "1"}
        with running_app(folder, env, "--secrets.files", str(secrets), port=port) as url:
            yield url


def test_single_sign_on_against_a_real_provider(sso_app: str, signed_out) -> None:  # type: ignore[no-untyped-def]
    page = signed_out
    page.goto(sso_app)
    page.get_by_role("button", name="Se connecter avec votre organisation").click()
    # the provider's own page: choose who signs in there
    page.get_by_role("button", name="sso-user").click()
    page.get_by_role("button", name="Se déconnecter").wait_for(timeout=30_000)
    wait_for_text(page, SSO_ACCOUNT)
    wait_for_text(page, "Lecture · Roubaix Quartiers Actifs")
    shot(page, "sign_in_sso_fr")
    page.get_by_role("button", name="Se déconnecter").click()
    # single sign-out goes through the provider, then back to the app, signed out
    page.get_by_role("button", name="End session").click()
    wait_for_text(page, "Avec un mot de passe")
    assert page.get_by_role("button", name="Se déconnecter", exact=True).count() == 0


def test_single_sign_on_without_an_account_is_refused(sso_app: str, signed_out) -> None:  # type: ignore[no-untyped-def]
    page = signed_out
    page.goto(sso_app)
    page.get_by_role("button", name="Se connecter avec votre organisation").click()
    page.get_by_role("button", name="stranger").click()
    wait_for_text(page, f"Aucun compte pour {as_shown('stranger@test.example')}")
    assert page.locator('a[href^="mailto:"]').count() == 0  # the address named as text
    page.get_by_role("button", name="Se déconnecter du fournisseur d'identité").wait_for()
    assert page.get_by_role("button", name="Se déconnecter", exact=True).count() == 0
