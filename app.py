"""Entry point: page config, language, shared sidebar, navigation."""

from __future__ import annotations

import streamlit as st

from ui import common

st.set_page_config(
    page_title="Impact des alliances", page_icon=":material/handshake:", layout="wide"
)

# Narrower side margins than Streamlit's wide layout, so that tables fit on a laptop screen.
st.html(
    "<style>[data-testid='stMainBlockContainer']"
    "{padding-left: 2.5rem; padding-right: 2.5rem;}</style>"
)
common.lang()
# file, title key, icon, address (the first page is the home page, at the root)
PAGES = [
    ("pages/home.py", "nav.home", "home", ""),
    ("pages/dashboard.py", "nav.dashboard", "monitoring", "tableau-de-bord"),
    ("pages/stakeholders.py", "nav.stakeholders", "groups", "partenaires"),
    ("pages/trust.py", "nav.trust", "handshake", "confiance"),
    ("pages/scaling.py", "nav.scaling", "hub", "changement-d-echelle"),
    ("pages/contracts.py", "nav.contracts", "request_quote", "contrats"),
    ("pages/portfolio.py", "nav.portfolio", "table_view", "portefeuille"),
    ("pages/comparison.py", "nav.comparison", "compare_arrows", "comparer"),
    ("pages/data.py", "nav.data", "upload_file", "donnees"),
]
pages = [
    st.Page(
        path,
        title=common.tr(title),
        icon=f":material/{icon}:",
        url_path=address or None,
        default=not address,
    )
    for path, title, icon, address in PAGES
]
navigation = st.navigation(pages)
common.language_switch()
navigation.run()
