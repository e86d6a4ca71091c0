"""The trust barometer collected in the app: results computed by hand, thresholds that keep
answers anonymous (also against differencing), links that answer once, waves closed into an
upload, the answer table unlinkable to the invitations, the command line's contract."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from metrics import cli
from metrics.base import clock, config
from metrics.base.access import Actor
from metrics.base.errors import AccessDenied, MetricsError
from metrics.domain import barometer
from metrics.storage.store import Store
from metrics.usecases import barometer as survey
from metrics.usecases.auth import DEMO_ALLIANCE
from tests.conftest import built, copied_store, copy_db
from tests.test_access import ADMIN, EDITOR, FUNDER, LEAD, VIEWER, A, B, plant
from tests.test_app import app, table_with, texts, wkey
from ui.database import store_at

PARTNER_ITEMS = ("shared_vision", "openness_to_difference", "mutual_respect", "shared_values")


def answers(rows: list[tuple[str, str, dict[str, int | None]]]) -> pd.DataFrame:
    """Answers as the store gives them: (response, respondent, item → score)."""
    flat = [
        (response, kind, item, score)
        for response, kind, scores in rows
        for item, score in scores.items()
    ]
    frame = pd.DataFrame(flat, columns=["response", "respondent", "item", "score"])
    frame["score"] = frame["score"].astype("Int64")
    return frame


# -- the rules, by hand ------------------------------------------------------------------------


def test_an_item_is_its_mean_without_dont_know_and_its_whole_distribution() -> None:
    # Scores 5, 4, 4, 2 and one "don't know": mean (5 + 4 + 4 + 2) / 4 = 3.75.
    result = barometer.item_result(pd.Series([5, 4, None, 4, 2], dtype="Int64"))
    assert result == {"n": 4, "mean": 3.75, "distribution": [0, 1, 0, 2, 1], "dont_know": 1}
    assert barometer.item_result(pd.Series([None], dtype="Int64"))["mean"] is None


def test_a_closed_wave_shows_its_groups_over_the_threshold_only() -> None:
    q = barometer.QUESTIONNAIRES[1]
    rows = [(f"a{i}", "association", {"shared_vision": 4}) for i in range(5)]
    rows += [(f"c{i}", "company", {"shared_vision": 2}) for i in range(5)]
    rows += [("p1", "public", {"shared_vision": 1})]
    invited = {"association": 6, "company": 5, "public": 3}
    result = barometer.results(q, answers(rows), invited, "closed", 5)
    # 11 answers: (5 × 4 + 5 × 2 + 1) / 11 = 31 / 11.
    assert result["items"]["shared_vision"]["mean"] == pytest.approx(31 / 11)
    assert result["items"]["shared_vision"]["distribution"] == [1, 5, 0, 5, 0]
    # The public's one answer is withheld; it could be read as the wave minus the two others,
    # so the smallest shown group is withheld too (of two with 5 answers, the first by name).
    assert result["by_type"]["public"] == "withheld"
    assert result["by_type"]["association"] == "withheld"
    assert result["by_type"]["company"]["shared_vision"]["mean"] == 2.0
    assert result["response"]["public"] == {"invited": 3, "answered": 1}
    assert (result["invited"], result["answered"]) == (14, 11)


def test_nothing_is_withheld_that_the_totals_would_give_away() -> None:
    """Whatever the groups' sizes, the answers withheld together are none or at least the
    threshold: the wave's figure minus the shown groups' never isolates fewer."""
    for sizes in ([7, 6, 2], [5, 1], [9, 4, 4], [5, 5, 5, 1], [3, 3], [12, 5, 4, 1]):
        answered = {f"t{i}": n for i, n in enumerate(sizes)}
        withheld = barometer.withheld_types(answered, 5)
        hidden = sum(answered[kind] for kind in withheld)
        assert hidden == 0 or hidden >= 5, sizes
        assert all(answered[kind] >= 5 for kind in set(answered) - withheld)


def test_an_open_wave_says_how_many_answered_never_what() -> None:
    """Two readings a few answers apart would tell those answers apart: while open, counts only."""
    q = barometer.QUESTIONNAIRES[1]
    rows = [(f"a{i}", "association", {"shared_vision": 4}) for i in range(9)]
    result = barometer.results(q, answers(rows), {"association": 10}, "open", 5)
    assert result["items"] == "withheld"
    assert result["by_type"] == {"association": "withheld"}
    assert result["answered"] == 9


def test_the_threshold_is_never_below_five() -> None:
    assert barometer.minimum(None) == 5
    assert barometer.minimum(2) == 5
    assert barometer.minimum(8) == 8


def test_a_new_questionnaire_never_changes_a_past_wave() -> None:
    """Each version is kept whole: its items and their order are what its waves asked."""
    assert barometer.QUESTIONNAIRES[1].codes[:4] == PARTNER_ITEMS
    assert max(barometer.QUESTIONNAIRES) == barometer.CURRENT
    from metrics.base import catalog

    for questionnaire in barometer.QUESTIONNAIRES.values():
        for item in questionnaire.items:
            assert catalog.BY_CODE[item.code].dimension == "trust"
            assert catalog.BY_CODE[item.code].aggregation == "mean"


# -- waves in the store ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _barometer_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    return built(tmp_path_factory.mktemp("barometer") / "planted.duckdb", plant)


@pytest.fixture
def store(_barometer_file: str, tmp_path: Path) -> Iterator[Store]:
    """A store on a copy of the planted database (``tests.test_access``)."""
    yield from copied_store(_barometer_file, tmp_path)


def who(store: Store, email: str) -> Actor:
    actor = store.actor(email)
    assert actor is not None
    return actor


def test_only_a_lead_or_an_admin_opens_and_closes_a_wave(store: Store) -> None:
    for email in (VIEWER, EDITOR, FUNDER):
        with pytest.raises(AccessDenied):
            survey.open_wave(store, who(store, email), A, "2026", {"company": 5})
    with pytest.raises(AccessDenied):  # a lead of another alliance
        survey.open_wave(store, who(store, LEAD), B, "2026", {"company": 5})
    opened = survey.open_wave(store, who(store, LEAD), A, "T1 2026", {"company": 5})
    assert (opened.period, opened.new, len(opened.links)) == ("2026-Q1", True, 5)
    with pytest.raises(AccessDenied):
        survey.close_wave(store, who(store, EDITOR), A, "T1 2026")
    assert store.surveys.waves(who(store, ADMIN), A)["period"].tolist() == ["2026-Q1"]


def test_a_link_answers_once_and_may_change_its_answer_until_the_close(store: Store) -> None:
    opened = survey.open_wave(store, who(store, LEAD), A, "2026", {"association": 5})
    token = opened.links[0][1]
    store.surveys.answer(token, {"shared_vision": 2, "mutual_respect": 3}, "")
    store.surveys.answer(token, {"shared_vision": 5, "mutual_respect": None}, "")
    wave = store.surveys.wave(who(store, LEAD), A, "2026")
    assert wave is not None
    held = store.surveys.answers(int(wave["id"]))
    assert held["response"].nunique() == 1  # the second answer replaced the first
    assert len(held) == 2
    assert store.surveys.given(int(wave["id"]), token)[0] == {
        "shared_vision": 5,
        "mutual_respect": None,
    }
    survey.close_wave(store, who(store, LEAD), A, "2026")
    with pytest.raises(MetricsError, match=r"survey\.closed_link"):
        store.surveys.answer(token, {"shared_vision": 1}, "")


def test_a_wrong_link_or_a_past_closing_date_takes_no_answer(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(MetricsError, match=r"survey\.wrong_link"):
        store.surveys.answer("not-a-token", {"shared_vision": 3}, "")
    assert store.surveys.link("not-a-token") is None
    today = clock.today()  # the installation's day, as the waves close
    opened = survey.open_wave(store, who(store, LEAD), A, "2026", {"company": 5}, closes_on=today)
    token = opened.links[0][1]
    store.surveys.answer(token, {"shared_vision": 3}, "")  # the closing day still answers
    later = clock.now() + dt.timedelta(days=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    link = store.surveys.link(token)
    assert link is not None and not link["is_open"]
    with pytest.raises(MetricsError, match=r"survey\.closed_link"):
        store.surveys.answer(token, {"shared_vision": 4}, "")
    closed = survey.close_due(store)  # nobody closed it: its date did
    assert [(c.alliance, c.period) for c in closed] == [(A, "2026")]
    audit = store.audit(who(store, ADMIN))
    line = audit[audit["action"] == "survey_close"].iloc[-1]
    assert line["account"] == survey.CLOSING_DATE


def test_the_answer_table_cannot_be_linked_to_the_invitations(store: Store) -> None:
    """Read as an attacker holding the database would: no token anywhere, no time, no
    invitation in an answer, and once closed nothing that a token could find again."""
    opened = survey.open_wave(store, who(store, LEAD), A, "2026", {"company": 6}, citizens=True)
    # The personal links' tokens; the open link is public by design (a poster), kept by its wave.
    tokens = [token for _, token, kind in opened.links if kind != "citizen"]
    for i, token in enumerate(tokens[:6]):
        store.surveys.answer(token, {"shared_vision": 1 + i % 5}, "")
    columns = set(store.db.frame("SELECT * FROM survey_answer LIMIT 0").columns)
    assert columns == {"wave_id", "response", "ballot", "respondent", "item", "score"}
    invitations = set(store.db.frame("SELECT token_hash FROM survey_invitation")["token_hash"])
    ballots = set(store.db.frame("SELECT ballot FROM survey_answer")["ballot"])
    assert not invitations & ballots
    survey.close_wave(store, who(store, LEAD), A, "2026")
    assert store.db.frame("SELECT ballot FROM survey_answer")["ballot"].isna().all()
    for table in store.tables():
        text = store.db.frame(f"SELECT * FROM {table}").astype(str).to_csv()
        assert not any(token in text for token in tokens), table
    # Closed: a token no longer finds its answer, even for whoever kept the links.
    wave = store.surveys.wave(who(store, LEAD), A, "2026")
    assert wave is not None
    assert store.surveys.given(int(wave["id"]), tokens[0]) == ({}, "")


def test_closing_makes_the_means_an_upload_validated_and_rolled_back_like_any(
    store: Store,
) -> None:
    lead, funder = who(store, LEAD), who(store, FUNDER)
    opened = survey.open_wave(store, lead, A, "2026", {"association": 3, "company": 3})
    # shared_vision: 5, 4, 4, 3, 2 and one "don't know": (5 + 4 + 4 + 3 + 2) / 5 = 3.6.
    for (_, token, _), score in zip(opened.links, (5, 4, 4, 3, 2, None), strict=True):
        store.surveys.answer(token, {"shared_vision": score, "partner_trust": 4}, "")
    assert store.surveys.wave(funder, A, "2026") is None  # a funder reads no open wave
    closed = survey.close_wave(store, lead, A, "2026")
    assert closed.upload_id is not None
    assert closed.results["items"]["shared_vision"]["mean"] == pytest.approx(3.6)
    values = store.observations(lead, A)
    mine = values[(values["indicator"] == "shared_vision") & (values["period"] == "2026")]
    assert mine["value"].tolist() == [pytest.approx(3.6)]
    # Submitted: the funder reads neither the wave nor its values until a lead validates it.
    assert store.surveys.wave(funder, A, "2026") is None
    funded = store.observations(funder, A)
    assert funded[(funded["indicator"] == "shared_vision") & (funded["period"] == "2026")].empty
    store.validate(closed.upload_id, lead)
    assert store.surveys.wave(funder, A, "2026") is not None
    shown = survey.results(store, funder, A, "2026")
    assert shown["items"]["partner_trust"]["mean"] == 4.0
    store.rollback(closed.upload_id, lead)
    assert store.surveys.wave(funder, A, "2026") is None
    values = store.observations(lead, A)
    assert values[(values["indicator"] == "shared_vision") & (values["period"] == "2026")].empty
    uploads = store.uploads(lead)
    assert survey.upload_name(A, "2026") in set(uploads["file_name"])


def test_a_wave_under_the_threshold_writes_no_upload(store: Store) -> None:
    opened = survey.open_wave(store, who(store, LEAD), A, "2026", {"company": 4})
    for _, token, _ in opened.links:
        store.surveys.answer(token, {"shared_vision": 5}, "")
    closed = survey.close_wave(store, who(store, LEAD), A, "2026")
    assert closed.upload_id is None
    assert closed.results["items"] == "withheld"


def test_citizens_words_reach_the_committee_once_a_lead_kept_them(store: Store) -> None:
    lead, viewer = who(store, LEAD), who(store, VIEWER)
    opened = survey.open_wave(store, lead, A, "2026", {}, citizens=True)
    assert opened.open_link is not None
    token = opened.links[0][1]
    for i in range(5):  # five browsers on the open link, each its own secret
        words = "Plus de bus le soir" if i == 0 else ("Un jardin partagé" if i == 1 else "")
        store.surveys.answer(token, {"citizen_trust": 3}, words, secret=f"browser-{i}")
    wave = store.surveys.wave(lead, A, "2026")
    assert wave is not None
    texts = store.surveys.texts(int(wave["id"]))
    assert sorted(texts["body"]) == ["Plus de bus le soir", "Un jardin partagé"]
    assert set(texts["status"]) == {"unread"}
    kept = int(texts.loc[texts["body"] == "Plus de bus le soir", "id"].iloc[0])
    hidden = int(texts.loc[texts["body"] == "Un jardin partagé", "id"].iloc[0])
    with pytest.raises(AccessDenied):
        store.surveys.read_text(who(store, EDITOR), A, kept, True)
    store.surveys.read_text(lead, A, kept, True)
    store.surveys.read_text(lead, A, hidden, False)
    assert survey.results(store, viewer, A, "2026")["expectations"] == []  # still open
    survey.close_wave(store, lead, A, "2026")
    result = survey.results(store, viewer, A, "2026")
    assert result["expectations"] == ["Plus de bus le soir"]
    assert result["items"]["citizen_trust"]["mean"] == 3.0


def test_the_change_since_the_last_wave(store: Store) -> None:
    lead = who(store, LEAD)
    for period, score in (("2025", 3), ("2026", 4)):
        opened = survey.open_wave(store, lead, A, period, {"company": 5})
        for _, token, _ in opened.links:
            store.surveys.answer(token, {"shared_vision": score}, "")
        survey.close_wave(store, lead, A, period)
    result = survey.results(store, lead, A, "2026")
    assert result["previous"] == "2025"
    assert result["change"] == {"shared_vision": 1.0}


def test_opening_refuses_what_it_cannot_do_and_says_what_to_fix(store: Store) -> None:
    lead = who(store, LEAD)
    for period, links, key in (
        ("2026-13-45", {"company": 1}, "err.survey_period"),
        ("2026", {"giants": 1}, "err.survey_type"),
        ("2026", {"company": 5000}, "err.survey_links"),
        ("2026", {}, "err.survey_no_links"),
    ):
        with pytest.raises(MetricsError) as refused:
            survey.open_wave(store, lead, A, period, links)
        assert refused.value.key == key
    with pytest.raises(MetricsError) as refused:
        survey.open_wave(store, lead, A, "2026", {"company": 1}, closes_on=dt.date(2020, 1, 1))
    assert refused.value.key == "err.survey_closes_past"
    assert store.surveys.waves(lead, A).empty


# -- the command line --------------------------------------------------------------------------


def test_the_survey_commands_follow_the_contract(
    _barometer_file: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = copy_db(_barometer_file, tmp_path)
    monkeypatch.setenv(config.ENV_DB, db)
    monkeypatch.setenv(config.ENV_BASE_URL, "https://impact.example.org/")
    out = tmp_path / "links.csv"
    argv = ["survey", "open", "--alliance", A, "--period", "2026", "--invitations", "6"]
    assert cli.main([*argv, "--type", "company", "--citizens", "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 7 and list(rows[0]) == ["link", "token", "type"]
    assert [row["type"] for row in rows] == ["company"] * 6 + ["citizen"]
    assert rows[0]["link"] == f"https://impact.example.org/enquete?jeton={rows[0]['token']}"
    with Store(db) as store:
        for row, score in zip(rows[:6], (1, 2, 3, 4, 5, 5), strict=True):
            store.surveys.answer(row["token"], {"shared_vision": score}, "")
    capsys.readouterr()
    assert cli.main(["survey", "results", "--alliance", A, "--period", "2026"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["invited"], document["answered"], document["status"]) == (6, 6, "open")
    assert document["items"] == "withheld"
    assert cli.main(["--lang", "en", "survey", "close", "--alliance", A, "--period", "2026"]) == 0
    assert "closed with 6 answer(s)" in capsys.readouterr().out
    assert cli.main(["survey", "results", "--alliance", A, "--period", "2026", "--as", LEAD]) == 0
    document = json.loads(capsys.readouterr().out)
    # (1 + 2 + 3 + 4 + 5 + 5) / 6 = 20 / 6.
    assert document["items"]["shared_vision"]["mean"] == pytest.approx(20 / 6)
    assert document["items"]["shared_vision"]["distribution"] == [1, 1, 1, 1, 2]
    assert document["by_type"]["company"]["shared_vision"]["n"] == 6
    # A funder reads the wave once its upload is validated, and not before.
    assert cli.main(["survey", "results", "--alliance", A, "--period", "2026", "--as", FUNDER]) == 1
    assert "err.survey_unknown" not in capsys.readouterr().err
    missing = str(tmp_path / "nowhere.duckdb")
    argv = ["survey", "results", "--alliance", A, "--period", "2026", "--db", missing]
    assert cli.main(argv) == 1
    assert missing in capsys.readouterr().err
    assert not Path(missing).exists()


# -- the trust page ----------------------------------------------------------------------------


def charts_on(at: AppTest) -> dict[str, str]:
    """The page's plotly charts by key, as their JSON."""
    return {c.proto.id.split("-")[-1]: c.proto.spec for c in at.get("plotly_chart")}


def withheld(at: AppTest) -> list[str]:
    """The page's warnings that a result is withheld (the demo's banner is one too)."""
    said = ("Pas assez de réponses pour montrer", "Not enough answers to show")
    return [w.value for w in at.warning if w.value.startswith(said)]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_trust_page_shows_a_wave_under_and_over_the_threshold(lang: str, isolated: str) -> None:
    at = app(lang, "pages/trust.py")
    at.selectbox(key="trust_alliance").select(DEMO_ALLIANCE).run()
    assert not at.exception
    # The demo's wave is open: who answered (9 partners of 13 links), never what they answered.
    shown = texts(at)
    assert ("9 réponse(s) pour 13 lien(s)" if lang == "fr" else "9 answer(s) for 13 personal") in (
        shown
    )
    assert any("clôture" in i.value or "at the close" in i.value for i in at.info)
    year = str(clock.now().year)
    store = store_at(isolated)
    with store.held():
        admin = Actor.system("test")
        closed = survey.close_wave(store, admin, DEMO_ALLIANCE, year)
        # Nine partners and four citizens; the citizens (4), companies (2) and public bodies
        # (2) are withheld, the associations (5) shown.
        assert closed.results["answered"] == 13
        assert closed.results["by_type"]["citizen"] == "withheld"
        small = survey.open_wave(store, admin, DEMO_ALLIANCE, f"T1 {year}", {"company": 3})
        for _, token, _ in small.links:
            store.surveys.answer(token, {"shared_vision": 4}, "")
        survey.close_wave(store, admin, DEMO_ALLIANCE, f"T1 {year}")
    at.selectbox(key=wkey(f"survey_wave_{DEMO_ALLIANCE}", at)).select(year).run()
    assert not at.exception
    assert not withheld(at)
    # (4 + 3 + 4 + 2 + 4 + 3 + 2 + 4 + 5) / 9 = 31 / 9 ≈ 3,44 for a shared vision.
    table = table_with(at, "Question")
    row = table[table["Question"] == ("Vision commune" if lang == "fr" else "Shared vision")]
    assert row.iloc[0, 1] == ("3,44" if lang == "fr" else "3.44")
    spread = charts_on(at)
    assert {"survey_response", "survey_spread", "survey_types"} <= set(spread)
    assert "Des horaires de bus" not in texts(at)  # no lead kept it, and too few citizens
    at.selectbox(key=wkey(f"survey_wave_{DEMO_ALLIANCE}", at)).select(f"{year}-Q1").run()
    assert not at.exception
    assert withheld(at)


# -- the committee's pack ------------------------------------------------------------------------


def test_the_pack_shows_the_years_wave_or_why_it_cannot() -> None:
    from metrics.presentation import pack

    q = barometer.QUESTIONNAIRES[1]
    rows = [(f"a{i}", "association", {"shared_vision": 4, "mutual_respect": 5}) for i in range(6)]
    result = barometer.results(q, answers(rows), {"association": 8}, "closed", 5)
    result.update(period="2025", citizens=False, upload_id=12, closes_on=None, change={})
    figures: dict[str, object] = {}
    wave = pack._wave(result, "fr", figures)  # type: ignore[arg-type]
    assert wave is not None and wave["title"] == "Baromètre de confiance, vague 2025"
    assert wave["line"].startswith("Close : ses moyennes forment le dépôt n° 12 · 6 réponse(s)")
    assert wave["rows"][0] == ["Vision commune", "4,00", "6", "0", "—"]
    assert wave["image"] == "wave" and "wave" in figures
    few = barometer.results(q, answers(rows[:3]), {"association": 8}, "closed", 5)
    few.update(period="2025", citizens=False, upload_id=None, closes_on=None, change={})
    withheld = pack._wave(few, "en", {})
    assert withheld is not None and withheld["image"] == "" and withheld["rows"] == []
    assert withheld["withheld"].startswith("Not enough answers to show")


def test_an_answer_is_checked_against_its_questionnaire(store: Store) -> None:
    """Whatever a page or a script sends: every question asked of the link's respondent, 1 to
    5 or don't know, nothing else; the citizens' words within their limit; a partner's words
    (none are asked of partners) are not kept."""
    opened = survey.open_wave(store, who(store, LEAD), A, "2026", {"company": 5}, citizens=True)
    partner = next(t for _, t, kind in opened.links if kind == "company")
    citizen = opened.open_link
    assert citizen is not None
    citizen_token = citizen.rsplit("=", 1)[-1]
    full = {code: 3 for code in (*PARTNER_ITEMS, "partner_trust", "partner_engagement")}
    for scores in (
        {"shared_vision": 3},  # a question left out
        {**full, "shared_vision": 6},  # off the scale
        {**full, "citizen_trust": 3},  # a question not asked of partners
    ):
        with pytest.raises(MetricsError) as refused:
            survey.answer(store, partner, scores)
        assert refused.value.key == "err.survey_answer"
    survey.answer(store, partner, {**full, "mutual_respect": None}, "partners write nothing")
    answers_to_citizens = {"citizen_trust": 4, "citizen_involvement": None}
    with pytest.raises(MetricsError) as refused:
        survey.answer(store, citizen_token, answers_to_citizens, "x" * 1001, secret="browser-1")
    assert refused.value.key == "err.survey_words"
    survey.answer(store, citizen_token, answers_to_citizens, "Plus de bus", secret="browser-1")
    wave = store.surveys.wave(who(store, LEAD), A, "2026")
    assert wave is not None
    assert list(store.surveys.texts(int(wave["id"]))["body"]) == ["Plus de bus"]
    assert store.surveys.answers(int(wave["id"]))["response"].nunique() == 2


def test_partners_and_citizens_are_groups_of_their_own() -> None:
    """Citizens answer other questions than partners: two citizens are never shown, whatever
    the partners' numbers, and the partners' types are judged among partners."""
    q = barometer.QUESTIONNAIRES[1]
    rows = [(f"a{i}", "association", {"shared_vision": 4}) for i in range(7)]
    rows += [(f"c{i}", "company", {"shared_vision": 2}) for i in range(6)]
    rows += [(f"z{i}", "citizen", {"citizen_trust": 1 + i}) for i in range(2)]
    result = barometer.results(q, answers(rows), {"association": 7, "company": 6}, "closed", 5)
    assert result["items"]["citizen_trust"] == "withheld"
    assert result["items"]["shared_vision"]["n"] == 13  # (7 × 4 + 6 × 2) / 13
    assert result["items"]["shared_vision"]["mean"] == pytest.approx(40 / 13)
    assert result["by_type"]["citizen"] == "withheld"
    assert result["by_type"]["company"]["shared_vision"]["mean"] == 2.0
    assert "citizen_trust" not in barometer.means(result)


def test_the_close_leaves_no_trace_of_the_order_answers_came_in(store: Store) -> None:
    lead = who(store, LEAD)
    opened = survey.open_wave(store, lead, A, "2026", {"company": 5}, citizens=True)
    for i, (_, token, kind) in enumerate(opened.links):
        if kind == "company":
            store.surveys.answer(token, {"shared_vision": 1 + i % 5}, "")
        else:
            for n, words in enumerate(("Zèbre", "Abeille", "Merle")):
                store.surveys.answer(token, {"citizen_trust": 3}, words, secret=f"b{n}")
    survey.close_wave(store, lead, A, "2026")
    held = store.db.frame("SELECT response, ballot FROM survey_answer")
    assert list(held["response"]) == sorted(held["response"])  # no longer as they came
    assert held["ballot"].isna().all()
    texts = store.db.frame("SELECT id, body FROM survey_text ORDER BY id")
    assert list(texts["body"]) == ["Abeille", "Merle", "Zèbre"]


def test_a_close_that_failed_halfway_is_finished_by_the_next(store: Store) -> None:
    lead = who(store, LEAD)
    opened = survey.open_wave(store, lead, A, "2026", {"company": 5})
    for _, token, _ in opened.links:
        store.surveys.answer(token, {"shared_vision": 4}, "")
    first = survey.close_wave(store, lead, A, "2026")
    assert first.upload_id is not None
    # The upload written, its link to the wave lost (a process stopped between the two).
    with store.db.transaction() as cur:
        cur.execute("UPDATE survey_wave SET upload_id = NULL")
    again = survey.close_wave(store, lead, A, "2026")
    assert again.upload_id == first.upload_id
    assert survey.close_wave(store, lead, A, "2026").upload_id == first.upload_id
    assert len(store.uploads(lead)) == len(set(store.uploads(lead)["id"]))


def test_waves_follow_their_periods_not_the_order_they_were_opened(store: Store) -> None:
    lead = who(store, LEAD)
    for period, score in (("2026", 5), ("2025", 3)):  # 2025 opened after 2026
        opened = survey.open_wave(store, lead, A, period, {"company": 5})
        for _, token, _ in opened.links:
            store.surveys.answer(token, {"shared_vision": score}, "")
        survey.close_wave(store, lead, A, period)
    assert survey.results(store, lead, A, "2026")["previous"] == "2025"
    assert survey.results(store, lead, A, "2026")["change"] == {"shared_vision": 2.0}
    assert survey.results(store, lead, A, "2025")["previous"] is None


def test_citizens_answer_through_the_open_link_only(store: Store) -> None:
    lead = who(store, LEAD)
    with pytest.raises(MetricsError) as refused:
        survey.open_wave(store, lead, A, "2026", {"citizen": 3})
    assert refused.value.key == "err.survey_type"
    opened = survey.open_wave(store, lead, A, "2026", {}, citizens=True)
    token = opened.links[0][1]
    with pytest.raises(MetricsError):  # no browser's secret: it would replace everyone's
        store.surveys.answer(token, {"citizen_trust": 3}, "")


def test_a_lead_opens_a_wave_from_the_data_page_and_an_editor_cannot(isolated: str) -> None:
    at = app("fr", "pages/data.py", who="lead@demo.example")
    assert "Baromètre de confiance" in [s.value for s in at.subheader]
    at.text_input(key="data_survey_period").set_value("T1 2027")
    at.number_input(key="data_survey_links_company").set_value(4)
    at.checkbox(key="data_survey_open").check()
    next(b for b in at.button if b.label == "Ouvrir").click().run()
    assert not at.exception
    assert at.success[0].value == "Vague T1 2027 ouverte : 5 lien(s) créés."
    labels = [d.proto.label for d in at.get("download_button")]
    assert "Télécharger les liens (CSV)" in labels
    store = store_at(isolated)
    with store.held():
        waves = store.surveys.waves(Actor.system("test"), DEMO_ALLIANCE)
        assert "2027-Q1" in set(waves["period"])
        audit = store.audit(Actor.system("test"))
    line = audit[audit["action"] == "survey_open"].iloc[-1]
    assert line["account"] == "lead@demo.example" and line["object"] == f"{DEMO_ALLIANCE} 2027-Q1"
    editor = app("fr", "pages/data.py", who="editor@demo.example")
    assert "Baromètre de confiance" not in [s.value for s in editor.subheader]
