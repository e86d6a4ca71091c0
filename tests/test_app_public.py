"""AppTest: an alliance's public page, run through ``app.py`` as a citizen's session (no
account): the alliance and its impacts from validated data only, its barometer and open link,
its links; nothing for an alliance whose lead has not turned it on; no other page reachable."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics.base import config
from metrics.storage.store import Store
from metrics.usecases import barometer, public
from tests.conftest import built, signed_in
from tests.lake import copy_db
from tests.test_access import LEAD, OUTSIDE_A, PENDING, A, B, leaks, plant, rendered
from ui import navigation

TIMEOUT = 60


@pytest.fixture(scope="module")
def _public_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Alliance A's page on, with its links, a closed and validated wave of 2025 (six
    companies, each scoring a shared vision 4) and an open wave of 2026 with its open link."""

    def fill(store: Store) -> None:
        plant(store)
        lead = store.actor(LEAD)
        assert lead is not None
        public.set_public_page(store, lead, A, True, "Notre forum | https://forum.example.org")
        done = barometer.open_wave(store, lead, A, "2025", {"company": 6})
        items = barometer.barometer.QUESTIONNAIRES[1].asked("partner")
        for _, token, _ in done.links:
            barometer.answer(store, token, {item.code: 4 for item in items})
        closed = barometer.close_wave(store, lead, A, "2025")
        assert closed.upload_id is not None
        store.validate(closed.upload_id, lead)
        barometer.open_wave(store, lead, A, "2026", {}, citizens=True)

    return built(tmp_path_factory.mktemp("public") / "public.duckdb", fill)


@pytest.fixture
def db(_public_file: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    copied = copy_db(_public_file, tmp_path)
    monkeypatch.setenv(config.ENV_DB, copied)
    return copied


def visiting(name: str, lang: str = "fr", signed_in_as: str = "") -> AppTest:
    """The app as a browser opening ``/alliance?nom=name`` runs it."""
    at = AppTest.from_file(str(config.ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state[navigation.VISITOR_KEY] = navigation.PUBLIC.name  # what /alliance sets
    if signed_in_as:
        signed_in(at, signed_in_as)
    at.query_params[public.NAME_PARAMETER] = name
    at.query_params["lang"] = lang
    return at.run()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_public_page_shows_validated_data_and_the_open_link(db: str, lang: str) -> None:
    at = visiting(A, lang)
    assert not at.exception and not at.error
    assert at.title[0].value == A
    text = rendered(at)
    # Alliance A has an upload its committee has not validated: none of it is shown, and
    # nothing of the other alliances.
    assert not leaks(text, PENDING + OUTSIDE_A)
    assert "Arras" in text
    impacts = "\n".join(m.value for m in at.markdown)
    assert ("du chemin vers ses objectifs" if lang == "fr" else "of the way to its targets") in (
        impacts
    )
    buttons = {b.proto.label: b.proto.url for b in at.get("link_button")}
    answer = next(label for label in buttons if label.startswith(("Répondre", "Answer")))
    assert "/enquete?jeton=" in buttons[answer]
    assert buttons["Notre forum"] == "https://forum.example.org"
    assert "public_wave" in {c.proto.id.split("-")[-1] for c in at.get("plotly_chart")}
    assert not at.sidebar.button  # no account box, no sign-out, no menu


def test_a_page_not_turned_on_shows_nothing(db: str) -> None:
    for name in (B, "Nulle part", ""):
        at = visiting(name)
        assert not at.exception
        assert at.title[0].value == "Page introuvable"
        assert not leaks(rendered(at), [B, "Bravoville", r"46\W?813"] if name == B else [B])


def test_a_visitor_reaches_no_other_page(db: str) -> None:
    at = visiting(A, signed_in_as=LEAD)  # even a signed-in browser: the page reads no account
    assert "Se déconnecter" not in rendered(at)
    for other in ("pages/dashboard.py", "pages/data.py", "pages/sign_in.py", "pages/survey.py"):
        with pytest.raises(ValueError):
            at.switch_page(other)
