"""Entry point: page config, sign-in gate, language, shared sidebar, navigation by role."""

from __future__ import annotations

import streamlit as st

from ui import common

st.set_page_config(
    page_title="Impact des alliances", page_icon=":material/handshake:", layout="wide"
)

# Narrower side margins than Streamlit's wide layout, so that tables fit on a laptop screen;
# and a page printed from the browser is the page's content on A4 (ui/print.css).
st.html(
    "<style>[data-testid='stMainBlockContainer']"
    "{padding-left: 2.5rem; padding-right: 2.5rem;}"
    f"{common.PRINT_STYLE}</style>"
)
common.printable_charts()
common.lang()
# file, title key, icon, address (the first page is the home page, at the root)
PAGES = [
    ("app_pages/home.py", "nav.home", "home", ""),
    ("app_pages/dashboard.py", "nav.dashboard", "monitoring", "tableau-de-bord"),
    ("app_pages/stakeholders.py", "nav.stakeholders", "groups", "partenaires"),
    ("app_pages/trust.py", "nav.trust", "handshake", "confiance"),
    ("app_pages/scaling.py", "nav.scaling", "hub", "changement-d-echelle"),
    ("app_pages/contracts.py", "nav.contracts", "request_quote", "contrats"),
    ("app_pages/portfolio.py", "nav.portfolio", "table_view", "portefeuille"),
    ("app_pages/comparison.py", "nav.comparison", "compare_arrows", "comparer"),
    ("app_pages/data.py", "nav.data", "upload_file", "donnees"),
    ("app_pages/accounts.py", "nav.accounts", "manage_accounts", "comptes"),
    ("app_pages/audit.py", "nav.audit", "history", "journal"),
]
SIGN_IN = ("app_pages/sign_in.py", "nav.sign_in", "login", "connexion")

# The database is opened once for the whole run and let go at its end, so that another
# process (an import from the command line) can open it between runs.
with common.guard(), common.store().held():
    who = common.session()
    common.keep_cookie()
    if common.is_demo():
        st.warning(common.tr("demo.banner"), icon=":material/science:")
    offered = [
        p for p in PAGES if who is not None and who.sees(p[0][len("app_pages/") : -len(".py")])
    ]
    pages = [
        st.Page(
            path,
            title=common.tr(title),
            icon=f":material/{icon}:",
            url_path=address or None,
            default=not address,
        )
        for path, title, icon, address in offered
    ] or [st.Page(SIGN_IN[0], title=common.tr(SIGN_IN[1]), icon=":material/login:", default=True)]
    # Every page's address answers, out of the menu: signed out, with the sign-in (then the page
    # asked for); signed in, a page the account may not see says so. A link opened or bookmarked
    # never lands on Streamlit's "Page not found".
    elsewhere = [
        st.Page(
            SIGN_IN[0] if who is None else common.not_allowed,
            title=common.tr(SIGN_IN[1] if who is None else "nav.not_allowed"),
            url_path=page[3],
            visibility="hidden",
        )
        for page in PAGES
        if page[3] and page not in offered
    ]
    navigation = st.navigation(pages + elsewhere)
    # An account at the address of a page it may not see: the visit is written to the audit
    # log (once, not at each rerun of that page).
    address = navigation.url_path
    name = next(
        (path[len("app_pages/") : -len(".py")] for path, *_, a in PAGES if a == address), ""
    )
    if common.new_visit(address, who) and who is not None and name and not who.sees(name):
        common.refused_page(who, name, address)
    common.keep_language_in_address()
    if who is not None:
        common.account_box(who)
    common.language_switch()
    navigation.run()
