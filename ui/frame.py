"""What ``app.py`` draws around every page: the page's style (its margins, and its print on A4),
the demo's banner, the sidebar's account box."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from metrics.base.access import Actor
from ui.language import tr
from ui.reads import is_demo
from ui.session import end_session

PRINT_STYLE = (Path(__file__).parent / "print.css").read_text(encoding="utf-8")
PRINT_SCRIPT = (Path(__file__).parent / "print.js").read_text(encoding="utf-8")


def page_style() -> None:
    """Narrower side margins than Streamlit's wide layout, so that tables fit on a laptop
    screen; and a page printed from the browser is the page's content on A4 (``print.css``),
    its charts scaled to the page (``print.js``)."""
    st.html(
        "<style>[data-testid='stMainBlockContainer']"
        "{padding-left: 2.5rem; padding-right: 2.5rem;}"
        f"{PRINT_STYLE}</style>"
    )
    st.html(f"<script>{PRINT_SCRIPT}</script>", unsafe_allow_javascript=True)


def demo_banner() -> None:
    """On a demo install, a banner says so on every page."""
    if is_demo():
        st.warning(tr("demo.banner"), icon=":material/science:")


def account_box(who: Actor) -> None:
    """The sidebar's account: who is signed in, with which roles, and the sign-out button."""
    roles = [tr("role.admin")] if who.admin else []
    roles += [f"{tr('role.' + role)} · {name}" for name, role in sorted(who.roles)]
    roles += [f"{tr('role.funder')} · {name}" for name in sorted(who.portfolios)]
    box = st.sidebar.container(border=True)
    # Plain text, never Markdown: names are typed by people.
    box.text(f"{who.name or who.email}\n{who.email}")
    box.text("\n".join(roles))
    if box.button(tr("signin.sign_out"), key="app_sign_out", icon=":material/logout:"):
        end_session()
        st.rerun()
