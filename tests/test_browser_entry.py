"""Both ways of starting the app land on the sign-in page, the first visit after a server start
included: ``streamlit run app.py`` (Streamlit's own command) and ``python -m ui.serve`` (the
README's). The ``pages/`` folder beside ``app.py`` makes Streamlit serve that first session in its
older multipage mode (a bare list of the folder's files, no sign-in: streamlit#9992) until the
app switches it off (``ui``'s docstring)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from metrics.base import config
from tests import lake
from tests.conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    # Each start makes a new embedded database: the same test on either backend, run once.
    pytest.mark.skipif(lake.LAKE, reason="starts the app on a new embedded database"),
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason="Debian's chromium is not installed (CI installs it)",
    ),
]

COMMANDS = {
    "streamlit run app.py": ["-m", "streamlit", "run", "app.py"],
    "python -m ui.serve": ["-m", "ui.serve"],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def started(command: list[str], folder: Path) -> Iterator[str]:
    """The app started by ``python <command>`` from the repository, on a free port and a new
    database in ``folder`` (the app makes the demo there); yields its address."""
    port = free_port()
    log_file = folder / "streamlit.log"
    env = dict(os.environ, **{config.ENV_DB: str(folder / "impact.duckdb")})
    with log_file.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                *command,
                *("--server.port", str(port), "--server.address", "127.0.0.1"),
                *("--server.headless", "true", "--secrets.files", str(folder / "none.toml")),
            ],
            cwd=config.ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                        break
                except OSError:
                    time.sleep(0.5)
            else:
                raise RuntimeError(log_file.read_text())
            yield url
        finally:
            process.terminate()
            process.wait(timeout=20)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_page_opened_first_after_a_start_lands_on_the_sign_in(  # type: ignore[no-untyped-def]
    browser, tmp_path: Path, name: str
) -> None:
    """The first visit of a server just started is the dashboard's address: the sign-in page,
    with the language switch and the demo accounts, and no list of files (under ``streamlit
    run``, Streamlit's own "Page not found" notice once over it); signed in, the page asked
    for."""
    with started(COMMANDS[name], tmp_path) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
        page = context.new_page()
        try:
            page.goto(f"{url}/tableau-de-bord")
            page.get_by_role("heading", name="Connexion").wait_for(timeout=60_000)
            page.get_by_role("heading", name="Comptes de démonstration").wait_for(timeout=30_000)
            page.wait_for_timeout(1000)
            assert page.get_by_text("Langue").count() > 0  # the language switch
            # Under ``python -m ui.serve``, no "Page not found"; under ``streamlit run``,
            # Streamlit's older mode has said it once before the app could switch it off.
            assert page.get_by_role("dialog").count() == (name == "streamlit run app.py")
            page.keyboard.press("Escape")
            sidebar = page.locator("[data-testid='stSidebar']").inner_text()
            assert "dashboard" not in sidebar and "sign in" not in sidebar  # no file names
            page.get_by_role("button", name="Administration").first.click()
            page.get_by_role("heading", name="Tableau de bord de l'alliance").wait_for(
                timeout=60_000
            )
            assert "/tableau-de-bord" in page.url
        finally:
            context.close()
