"""An alliance's public page for its citizens: off until its lead turns it on, validated data
only, its impacts in plain words computed by hand, its links web addresses only, and the
barometer shown only as a closed, validated wave above the threshold."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from metrics.base import catalog
from metrics.base.access import Actor
from metrics.base.errors import AccessDenied, MetricsError
from metrics.presentation.public import impact_sentences
from metrics.storage.store import Store
from metrics.usecases import barometer, public
from tests.conftest import built, copied_store
from tests.test_access import ADMIN, EDITOR, LEAD, PENDING, A, B, plant


@pytest.fixture(scope="session")
def _public_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    return built(tmp_path_factory.mktemp("public") / "planted.duckdb", plant)


@pytest.fixture
def store(_public_file: str, tmp_path: Path) -> Iterator[Store]:
    """A store on a copy of the planted database (``tests.test_access``)."""
    yield from copied_store(_public_file, tmp_path)


def who(store: Store, email: str) -> Actor:
    actor = store.actor(email)
    assert actor is not None
    return actor


def test_impacts_in_plain_words_by_hand() -> None:
    scores = pd.DataFrame(
        {
            "dimension": ["innovation", "innovation", "performance", "trust", "trust"],
            "period": ["2024", "2025", "2025", "2024", "2025"],
            "score": [0.40, 0.52, 0.10, 0.70, 0.702],
        }
    )
    fr = impact_sentences(scores, "fr")
    # 52 % of the way in 2025, 52 − 40 = 12 points more than in 2024.
    name = catalog.DIMENSIONS["innovation"]["fr"]
    assert fr[0] == (
        f"**{name}** : en 2025, l'alliance a parcouru 52\u202f% du chemin vers ses objectifs"
        ", 12 points de plus qu'en 2024."
    )
    assert fr[1].endswith("10\u202f% du chemin vers ses objectifs.")  # one year: no change
    assert fr[2].endswith(", comme en 2024.")  # 0.2 point: the same, at whole points
    en = impact_sentences(scores, "en")
    assert en[0].endswith("come 52% of the way to its targets, 12 points more than in 2024.")


def test_links_are_web_addresses_only() -> None:
    links = public.parse_links(
        "Notre cagnotte | https://exemple.org/c\n\nhttps://forum.exemple.org"
    )
    assert links == [
        {"label": "Notre cagnotte", "url": "https://exemple.org/c"},
        {"label": "forum.exemple.org", "url": "https://forum.exemple.org"},
    ]
    for bad in ("Clic | javascript:alert(1)", "x | ftp://exemple.org", "x | exemple.org"):
        with pytest.raises(MetricsError) as refused:
            public.parse_links(bad)
        assert refused.value.key == "err.public_link"
    with pytest.raises(MetricsError):
        public.parse_links("\n".join(f"l{i} | https://e.org/{i}" for i in range(7)))


def test_the_page_is_off_until_a_lead_turns_it_on(store: Store) -> None:
    assert public.public_view(store, A) is None
    with pytest.raises(AccessDenied):
        public.set_public_page(store, who(store, EDITOR), A, True, "")
    with pytest.raises(AccessDenied):  # a lead of another alliance
        public.set_public_page(store, who(store, LEAD), B, True, "")
    public.set_public_page(store, who(store, LEAD), A, True, "Forum | https://forum.example.org")
    view = public.public_view(store, A)
    assert view is not None and view.links[0]["url"] == "https://forum.example.org"
    assert public.public_view(store, B) is None  # each alliance its own page
    audit = store.audit(who(store, ADMIN))
    line = audit[audit["action"] == "public_page"].iloc[-1]
    assert line["object"] == A and line["account"] == LEAD
    public.set_public_page(store, who(store, LEAD), A, False, "")
    assert public.public_view(store, A) is None


def test_the_page_reads_validated_data_only(store: Store) -> None:
    """Alliance A has an upload its committee has not validated: a new territory and
    population, and 86,420 jobs in 2025. The public page shows none of it."""
    public.set_public_page(store, who(store, LEAD), A, True, "")
    view = public.public_view(store, A)
    assert view is not None
    assert view.alliance["territory"] == "Arras"
    text = f"{view.alliance}\n{view.scores.to_csv()}"
    assert not [p for p in PENDING if p in text]
    assert "2025" not in set(view.scores["period"])
    # jobs_created: baseline 300 (2023), target 600 (2026), 140 in 2024: (140 − 300) / 300.
    dimension = catalog.BY_CODE["jobs_created"].dimension
    mine = view.scores[(view.scores["dimension"] == dimension) & (view.scores["period"] == "2024")]
    assert mine["score"].iloc[0] == pytest.approx((140 - 300) / 300)


def test_the_barometer_shows_as_closed_and_validated_and_the_open_link_while_open(
    store: Store,
) -> None:
    lead = who(store, LEAD)
    public.set_public_page(store, lead, A, True, "")
    opened = barometer.open_wave(store, lead, A, "2025", {"company": 5}, citizens=True)
    view = public.public_view(store, A)
    assert view is not None and view.wave is None
    assert view.open_link is not None and view.open_link[1] == opened.open_link
    for _, token, kind in opened.links:
        if kind == "company":
            store.surveys.answer(token, {"shared_vision": 4}, "")
    closed = barometer.close_wave(store, lead, A, "2025")
    view = public.public_view(store, A)
    assert view is not None and view.open_link is None and view.wave is None  # not validated
    assert closed.upload_id is not None
    store.validate(closed.upload_id, lead)
    view = public.public_view(store, A)
    assert view is not None and view.wave is not None
    assert view.wave["items"]["shared_vision"]["mean"] == 4.0
