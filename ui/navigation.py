"""The app's pages, declared as data: each page's file, title, icon, address and the right it
needs (``metrics.base.access.PAGE_RIGHTS``). ``app.py`` builds its navigation from them, and
the audit log learns from them which page an address is.

Adding a page: its file in ``pages/``, one entry in ``PAGES``, its strings (``nav.…`` for
its title, and its own) in the catalogue.

Two pages stand apart (``NO_ACCOUNT``): the barometer's answering page and an alliance's public
page. Whoever holds a link opens them with no account, and a session that opened one is offered
nothing else (``visitor``).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.scriptrunner import get_script_run_ctx

from metrics.base.access import Actor
from metrics.usecases import barometer, public
from ui import FIRST_ADDRESS_KEY
from ui.database import store
from ui.language import tr

FOLDER = "pages"  # beside app.py
VISIT_KEY = "app_visit"  # (address, account) of the page the previous run showed
VISITOR_KEY = "app_visitor_page"  # the no-account page this session opened: nothing else


@dataclass(frozen=True)
class Page:
    """A page: its name (its file's in ``pages/``, and the audit log's), its title's
    catalogue key, its Material icon, its address (``""``: the home page, at the root) and the
    right it needs (``None``: the sign-in page, for whoever is signed out)."""

    name: str
    title: str
    icon: str
    address: str
    right: str | None

    @property
    def file(self) -> str:
        """The page's script, as ``st.Page`` and ``st.page_link`` take it."""
        return f"{FOLDER}/{self.name}.py"

    @property
    def material_icon(self) -> str:
        return f":material/{self.icon}:"


# In the navigation's order; the first page is the home page.
PAGES = (
    Page("home", "nav.home", "home", "", "signed_in"),
    Page("dashboard", "nav.dashboard", "monitoring", "tableau-de-bord", "read_alliances"),
    Page("stakeholders", "nav.stakeholders", "groups", "partenaires", "read_alliances"),
    Page("trust", "nav.trust", "handshake", "confiance", "read_alliances"),
    Page("scaling", "nav.scaling", "hub", "changement-d-echelle", "read_alliances"),
    Page("contracts", "nav.contracts", "request_quote", "contrats", "read_alliances"),
    Page("portfolio", "nav.portfolio", "table_view", "portefeuille", "read_portfolio"),
    Page("comparison", "nav.comparison", "compare_arrows", "comparer", "read_portfolio"),
    Page("data", "nav.data", "upload_file", "donnees", "list_uploads"),
    Page("accounts", "nav.accounts", "manage_accounts", "comptes", "manage_accounts"),
    Page("audit", "nav.audit", "history", "journal", "read_audit"),
)
SIGN_IN = Page("sign_in", "nav.sign_in", "login", "connexion", None)
SURVEY = Page("survey", "respond.title", "checklist", barometer.ADDRESS, None)
PUBLIC = Page("public", "public.title", "public", public.ADDRESS, None)
NO_ACCOUNT = (SURVEY, PUBLIC)  # opened from a link with no account, and offered alone


def page(name: str) -> Page:
    """The page whose file is ``name``.py (for a link from one page to another)."""
    return next(p for p in PAGES if p.name == name)


def opens(who: Actor | None, name: str) -> bool:
    """Whether the navigation offers the page ``name`` to ``who`` (``None``: signed out)."""
    right = page(name).right
    return who is not None and right is not None and who.holds(right)


def menu(who: Actor | None) -> list[StreamlitPage]:
    """The pages offered to ``who`` (signed out: the sign-in page), then every other page's
    address, out of the menu: signed out, the sign-in (then the page asked for); signed in, a
    page the account may not see says so. A link opened or bookmarked never lands on
    Streamlit's "Page not found"."""
    offered = [p for p in PAGES if opens(who, p.name)]
    shown = [
        st.Page(
            p.file,
            title=tr(p.title),
            icon=p.material_icon,
            url_path=p.address or None,
            default=not p.address,
        )
        for p in offered
    ] or [st.Page(SIGN_IN.file, title=tr(SIGN_IN.title), icon=SIGN_IN.material_icon, default=True)]
    elsewhere = [
        st.Page(
            SIGN_IN.file if who is None else not_allowed,
            title=tr(SIGN_IN.title if who is None else "nav.not_allowed"),
            url_path=p.address,
            visibility="hidden",
        )
        for p in PAGES
        if p.address and p not in offered
    ]
    return shown + elsewhere


def resume_first_visit(pages: list[StreamlitPage], shown: StreamlitPage) -> None:
    """The first visit after ``streamlit run app.py`` started the server was run again from
    the top (``ui``'s docstring): open the address it asked for, as any later visit does."""
    address = st.session_state.pop(FIRST_ADDRESS_KEY, "")
    asked = next((p for p in pages if address and p.url_path == address), None)
    if asked is not None and asked.url_path != shown.url_path:
        st.switch_page(asked)


def not_allowed() -> None:
    """The page at the address of a page the account may not see (``record_visit`` writes
    the visit to the audit log)."""
    st.title(tr("nav.not_allowed"))
    st.info(tr("nav.not_allowed_text"))


def new_visit(address: str, who: Actor | None) -> bool:
    """Whether this run opens the page at ``address`` for ``who`` anew: not a rerun of the
    page the session already showed them (a change of language, a click on the page)."""
    visit = (address, who.email if who is not None else None)
    before = st.session_state.get(VISIT_KEY)
    st.session_state[VISIT_KEY] = visit
    return before != visit


def record_visit(address: str, who: Actor | None) -> None:
    """An account at the address of a page it may not see: the visit is written to the audit
    log, refused (once, not at each rerun of that page)."""
    asked = next((p for p in PAGES if p.address == address), None)
    if new_visit(address, who) and who is not None and asked and not opens(who, asked.name):
        store().record(who, "page_open", asked.name, {"address": f"/{address}"}, outcome="refused")


def visitor() -> Page | None:
    """The no-account page (``NO_ACCOUNT``) this session opened, if it opened one at its
    address (the first visit after ``streamlit run`` included, run again from the top:
    ``ui``'s docstring). Such a session reads no account and is offered no other page;
    another address opened in the browser is a new session."""
    if VISITOR_KEY not in st.session_state:
        run = get_script_run_ctx()
        asked = run.pages_manager.intended_page_name if run is not None else None
        first = st.session_state.get(FIRST_ADDRESS_KEY)
        opened = next((p for p in NO_ACCOUNT if p.address in (asked, first)), None)
        if opened is None:
            return None
        st.session_state.pop(FIRST_ADDRESS_KEY, None)
        st.session_state[VISITOR_KEY] = opened.name
    return next(p for p in NO_ACCOUNT if p.name == st.session_state[VISITOR_KEY])


def visitor_pages(opened: Page) -> list[StreamlitPage]:
    """A visitor's navigation: the page it opened, at its address, and a first page (what a
    run with no page asked opens) that opens it with the address's query (the link's token or
    the alliance, the language)."""
    shown = st.Page(
        opened.file, title=tr(opened.title), icon=opened.material_icon, url_path=opened.address
    )

    def to_page() -> None:
        st.switch_page(shown, query_params=st.query_params.to_dict())

    return [st.Page(to_page, title=tr(opened.title), default=True), shown]
