"""Start the app: ``python -m ui.serve [Streamlit options]``, as ``streamlit run app.py`` does,
with one difference a visitor sees.

The app lists its pages with ``st.navigation``. Because a ``pages/`` folder sits beside
``app.py``, Streamlit runs the first session of each server process in its older mode, where
that folder's files are the pages: a link to ``/tableau-de-bord`` (bookmarked, sent by e-mail,
opened after a restart) is not one of them, and the page opens under an English "Page not
found" dialog (streamlit#9992). From the second session on, ``st.navigation`` has switched that
mode off. Here it is off before the first session.
"""

from __future__ import annotations

import os
import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from metrics.base import config


def trust_proxies() -> None:
    """The web server under Streamlit (uvicorn) believes the ``X-Forwarded-For`` of any
    connection from the loopback by default, so that a client on the same machine could pass
    for any address (the sign-in throttle counts by address): it believes exactly the proxies
    the app does (``IMPACT_TRUSTED_PROXIES``), none unless named."""
    os.environ["FORWARDED_ALLOW_IPS"] = os.environ.get("IMPACT_TRUSTED_PROXIES", "")


def main() -> None:
    trust_proxies()
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(config.ROOT / "app.py"), *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
