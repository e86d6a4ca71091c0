"""The audit log of what the pages offer: every download (what was downloaded, by whom, in
which format) and every visit of a page the account may not see; and addresses shown as text,
never as links."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest, app_test
from streamlit.util import calc_hash

from metrics.base.access import Actor, normalise_email
from metrics.presentation import i18n, pack
from metrics.sheets.schema import BY_KIND
from metrics.sheets.workbook import template
from metrics.storage.store import Store
from metrics.usecases import auth
from tests.test_app import app, wkey
from ui.markdown import md

ADMIN_DEMO, LEAD_DEMO, VIEWER_DEMO, FUNDER_DEMO = (
    "admin@demo.example",
    "lead@demo.example",
    "viewer@demo.example",
    "funder@demo.example",
)

# GFM's autolink literal of an e-mail address as Streamlit's Markdown finds it (in the text
# once escapes are read; its ``\w`` is ASCII), without the check of the character before.
EMAIL_LINK = re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.ASCII)
JOINER = "\u2060"  # the word joiner md() writes before "@" (invisible, zero width)
URL_LINK = re.compile(r"(?i)(https?://|www\.)[-.\w]+", re.ASCII)


def log(db: str | Path, since: int = 0) -> list[dict[str, Any]]:
    """The audit log's lines after line ``since``, details read."""
    with Store(str(db)) as store:
        frame = store.audit(Actor.system("test"))
    rows = frame[frame["id"] > since].to_dict("records")
    return [r | {"details": json.loads(str(r["details"]))} for r in rows]


def last_id(db: str | Path) -> int:
    with Store(str(db)) as store:
        return int(store.audit(Actor.system("test"))["id"].max())


def exports(db: str | Path, since: int) -> list[tuple[str, str, str, dict[str, Any]]]:
    return [
        (r["account"], r["action"], r["object"], r["details"])
        for r in log(db, since)
        if r["action"] in ("export", "audit_export")
    ]


# The media managers of the test's runs, the last one the last run's: a file made on the
# click is asked of it, as the browser asks the server for it.
MEDIA: list[MediaFileManager] = []


@pytest.fixture(autouse=True)
def media(monkeypatch: pytest.MonkeyPatch) -> None:
    def kept(*args: Any) -> MediaFileManager:
        MEDIA.append(MediaFileManager(*args))
        return MEDIA[-1]

    MEDIA.clear()
    monkeypatch.setattr(app_test, "MediaFileManager", kept)


def click(at: AppTest, key: str) -> AppTest:
    """A download button clicked: its file made when it is made on the click, as the browser
    asks for it (the page does not rerun), and the rerun that a file given as bytes asks for."""
    proto = at.download_button(key=key).proto
    if proto.HasField("deferred_file_id"):
        MEDIA[-1].execute_deferred(proto.deferred_file_id)
    else:
        at.download_button(key=key).click().run()
    assert not at.exception, at.exception
    return at


# -- addresses are text -------------------------------------------------------------------------


def read(markdown: str) -> str:
    """What Streamlit's Markdown holds as text once its escapes are read."""
    return re.sub(r"\\(.)", r"\1", markdown)


@pytest.mark.parametrize(
    "text",
    [
        "lead@demo.example",
        "Prénom.Nom+comite@alliance-nord.example.org",
        "écrire à ana@example.org, ou www.example.org, ou https://example.org/x",
        "<ana@example.org>",
        "mailto:ana@example.org",
    ],
)
def test_an_address_escaped_for_markdown_is_text_not_a_link(text: str) -> None:
    escaped = md(text)
    assert EMAIL_LINK.search(read(escaped)) is None
    assert URL_LINK.search(read(escaped)) is None
    assert read(escaped).replace(JOINER, "") == text  # the reader sees the text as it is
    # In a message naming an account (every parameter is escaped the same way).
    message = i18n.t("summary.users_add", "en", email=escaped)
    assert EMAIL_LINK.search(read(message)) is None
    assert read(message).replace(JOINER, "") == f"Account created: {text}."


def test_an_address_copied_from_a_page_is_the_same_account() -> None:
    shown = read(md("Lead@Demo.example"))  # as copied from the page: the joiner comes along
    assert JOINER in shown
    assert normalise_email(f" {shown} ") == "lead@demo.example"
    assert normalise_email("ana\u200b@exa\u00admple.org") == "ana@example.org"


# -- downloads ----------------------------------------------------------------------------------


def test_the_data_pages_downloads_are_written_to_the_audit_log(isolated: str) -> None:
    at = app("fr", "pages/data.py", LEAD_DEMO)
    since = last_id(isolated)
    click(at, "data_template")
    at.file_uploader(key="data_upload").upload("modele.xlsx", template("fr"), "application/xlsx")
    at.run()
    click(at, "data_problems_download")
    assert exports(isolated, since) == [
        (LEAD_DEMO, "export", "modele_alliances.xlsx", {"kind": "template", "format": "xlsx"}),
        (
            LEAD_DEMO,
            "export",
            "problemes.csv",
            # the template's example row of each sheet, each refused
            {"kind": "problems", "file": "modele.xlsx", "rows": len(BY_KIND), "format": "csv"},
        ),
    ]


def test_the_pack_downloads_are_written_to_the_audit_log(
    isolated: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The pack itself is built in test_pack (and downloaded in test_browser): here, its files.
    monkeypatch.setattr(pack, "build_all", lambda *_: {"pdf": b"%PDF-", "pptx": b"PK"})
    at = app("fr", "pages/dashboard.py", LEAD_DEMO)
    at.selectbox(key="dashboard_alliance").select(auth.DEMO_ALLIANCE).run()
    at.button(key="dashboard_pack_build").click().run()
    assert not at.exception
    since = last_id(isolated)
    click(at, "dashboard_pack_pdf")
    click(at, "dashboard_pack_pptx")
    name = f"dossier {auth.DEMO_ALLIANCE} 2026"
    what = {"kind": "pack", "alliance": auth.DEMO_ALLIANCE, "year": 2026}
    assert exports(isolated, since) == [
        (LEAD_DEMO, "export", f"{name}.pdf", what | {"format": "pdf"}),
        (LEAD_DEMO, "export", f"{name}.pptx", what | {"format": "pptx"}),
    ]
    assert at.download_button(key="dashboard_pack_pdf")  # still offered after the rerun


def test_the_one_pager_download_is_written_to_the_audit_log(isolated: str) -> None:
    at = app("en", "pages/portfolio.py", FUNDER_DEMO)
    since = last_id(isolated)
    click(at, "portfolio_one_pager")
    [(who, action, name, details)] = exports(isolated, since)
    assert (who, action, details["kind"], details["format"]) == (
        FUNDER_DEMO,
        "export",
        "one_pager",
        "pdf",
    )
    assert name.endswith(".pdf")
    assert details["portfolios"] == [auth.DEMO_PORTFOLIO]
    assert sorted(details["alliances"]) == sorted(auth.DEMO_PORTFOLIO_ALLIANCES)


def test_the_comparison_downloads_are_written_to_the_audit_log(isolated: str) -> None:
    at = app("en", "pages/comparison.py", ADMIN_DEMO)
    at.selectbox(key="comparison_alliance").select(auth.DEMO_ALLIANCE).run()
    at.radio(key=wkey("comparison_peer_by", at)).set_value("theme").run()
    at.selectbox(key=wkey("comparison_indicator", at)).select("jobs_created").run()
    since = last_id(isolated)
    click(at, "comparison_csv")
    click(at, "comparison_xlsx")
    lines = exports(isolated, since)
    assert [(w, a, n.rsplit(".", 1)[1]) for w, a, n, _ in lines] == [
        (ADMIN_DEMO, "export", "csv"),
        (ADMIN_DEMO, "export", "xlsx"),
    ]
    details = lines[0][3]
    assert (details["kind"], details["subject"], details["format"]) == (
        "comparison",
        "jobs_created",
        "csv",
    )
    assert auth.DEMO_ALLIANCE in details["alliances"]


def test_the_audit_logs_export_is_written_to_the_audit_log(isolated: str) -> None:
    at = app("en", "pages/audit.py", ADMIN_DEMO)
    since = last_id(isolated)
    click(at, "audit_csv")
    [(who, action, name, details)] = exports(isolated, since)
    assert (who, action, details["format"]) == (ADMIN_DEMO, "audit_export", "csv")
    assert name.startswith("audit_log_") and details["rows"] > 0
    shown = at.dataframe[0].value["Time"]  # the page names the zone; the file gives the offset
    assert shown.str.fullmatch(r"\d+ \w+ \d{4}, \d\d:\d\d GMT\+0[12]:00").all()


def test_every_download_button_of_the_pages_is_written_to_the_audit_log() -> None:
    """No page offers a download outside ``widgets.download_button`` (which writes the click
    to the audit log), but the upload's original file, which the store logs as it reads it."""
    root = Path(__file__).parent.parent
    for file in [*root.glob("pages/*.py"), *root.glob("ui/*.py"), root / "app.py"]:
        calls = re.findall(r"(\w+(?:\.\w+)*)\.download_button\(", file.read_text())
        allowed = {"widgets"} | ({"st"} if file.name in ("data.py", "widgets.py") else set())
        assert set(calls) <= allowed, (file.name, calls)
    data = (root / "pages/data.py").read_text()
    assert data.count("st.download_button(") == 1
    assert "store.upload_file(" in data


# -- pages the account may not see --------------------------------------------------------------


def open_address(at: AppTest, address: str) -> AppTest:
    """The page at ``/address``, as a browser asking for it (``st.Page`` hashes its address)."""
    at._page_hash = calc_hash(address)  # AppTest switches pages by file; these are callables
    return at.run()


def test_a_page_the_account_may_not_see_is_written_to_the_audit_log(isolated: str) -> None:
    at = app("fr", who=VIEWER_DEMO)
    since = last_id(isolated)
    open_address(at, "journal")
    assert at.title[0].value == "Page réservée"
    at.session_state["app_lang"] = "en"  # a rerun of the same page: the same visit
    at.run()
    assert at.title[0].value == "Page not open to you"
    open_address(at, "comptes")
    open_address(at, "tableau-de-bord")  # a page it sees: nothing written
    assert not at.exception
    open_address(at, "journal")  # back again: another visit
    lines = [
        (r["account"], r["action"], r["object"], r["outcome"], r["details"])
        for r in log(isolated, since)
    ]
    assert lines == [
        (VIEWER_DEMO, "page_open", "audit", "refused", {"address": "/journal"}),
        (VIEWER_DEMO, "page_open", "accounts", "refused", {"address": "/comptes"}),
        (VIEWER_DEMO, "page_open", "audit", "refused", {"address": "/journal"}),
    ]
    admin = app("fr", who=ADMIN_DEMO)
    since = last_id(isolated)
    open_address(admin, "journal")
    assert admin.title[0].value == "Journal d'audit"
    assert log(isolated, since) == []
