"""Start the app: ``python -m ui.serve [Streamlit options]``, as ``streamlit run app.py`` does,
with one difference: the web server believes a forwarded client address only from the app's
trusted proxies (``trust_proxies``).

Both land on the same pages, the first visit after a start included (see ``ui``'s docstring:
here Streamlit's older multipage mode is off before the first session, so that first visit is
not run twice).
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
