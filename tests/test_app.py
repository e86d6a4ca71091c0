"""AppTest: the app and its pages run in both languages, and the data page's journeys."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.runtime.caching.cache_type import CacheType
from streamlit.runtime.caching.cache_utils import CachedFunc
from streamlit.testing.v1 import AppTest

import ui
from metrics.base import clock, config
from metrics.base.access import PAGE_RIGHTS
from metrics.presentation import formatting
from metrics.presentation.i18n import known, t
from metrics.sheets.schema import BY_KIND
from metrics.sheets.workbook import template
from metrics.storage.store import Store
from metrics.usecases import auth
from tests.conftest import (
    ADMIN,
    ALLIANCE,
    base_workbook,
    embedded_only,
    row_of,
    signed_in,
    xlsx,
)
from tests.test_contract_sheets import PAYERS
from tests.test_indigo import PRICES
from tests.test_replications_contracts import CONTRACT
from ui import navigation, reads
from ui.database import store_at

TIMEOUT = 60
ADMIN_DEMO = "admin@demo.example"
HOW = ("Comment ces chiffres sont calculés", "How these figures are computed")


def app(lang: str = "fr", page: str | None = None, who: str | None = ADMIN_DEMO) -> AppTest:
    """The app in ``lang``, signed in as ``who`` (a demo account; ``None``: signed out)."""
    at = AppTest.from_file(str(config.ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["app_lang"] = lang
    if who is not None:
        signed_in(at, who)
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def table_with(at: AppTest, column: str):  # type: ignore[no-untyped-def]
    """The first table on the page that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def wkey(name: str, at: AppTest) -> str:
    """The per-language key of a widget with translated labels (see ui.language.wkey)."""
    return f"{name}__{at.session_state['app_lang']}"


def texts(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("title", "subheader", "markdown", "caption", "info", "success", "error")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_home_lists_the_seeded_alliances(lang: str, isolated: Path) -> None:
    at = app(lang)
    assert not at.exception
    assert not at.error
    title = "Tableau de bord" if lang == "fr" else "Impact dashboard"
    assert title in at.title[0].value
    frame = at.dataframe[0].value
    assert len(frame) == 7
    assert "Recycl'Armor" in set(frame.iloc[:, 0])
    # a missing INSEE code is left out, never shown as "nan"
    assert "Peterborough (Royaume-Uni)" in set(frame.iloc[:, 1])
    assert not any("nan" in str(v) for v in frame.to_numpy().ravel())
    latest = frame.iloc[:, 4].iloc[0]  # how far its data goes, by month
    assert latest == ("sept. 2026" if lang == "fr" else "Sept 2026")
    values = next(m for m in at.metric if m.label in ("Valeurs enregistrées", "Values stored"))
    stored = len(Store(isolated).observations(ADMIN))
    assert stored > 1000
    assert values.value == f"{stored:,}".replace(",", "\u202f" if lang == "fr" else ",")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_data_page_runs(lang: str, isolated: Path) -> None:
    at = app(lang, "pages/data.py")
    assert not at.exception
    headings = [s.value for s in at.subheader]
    assert headings[0] == ("1. Le modèle" if lang == "fr" else "1. The template")
    history = table_with(at, "Fichier" if lang == "fr" else "File")
    assert list(history.iloc[:, 2]) == ["sambre_octobre_2026.csv", "alliances_exemple.xlsx"]
    assert at.selectbox[0].value == 2
    # The data as it stood after upload 2, read from the history only when asked, and shown up
    # to 5,000 values with the count of them all (between the history and the values to check).
    assert len(at.dataframe) == 2
    at.toggle(key="data_as_of_2").set_value(True).run()
    then = len(Store(isolated).observations(ADMIN, as_of=2))
    assert len(at.dataframe) == 3 and len(at.dataframe[1].value) == min(then, 5_000)
    count = f"{then:,}".replace(",", "\u202f" if lang == "fr" else ",")
    assert any(count in c.value for c in at.caption)


def test_language_switch_is_kept_for_the_session() -> None:
    at = app("fr")
    at.session_state["app_lang"] = "en"
    at.run()
    assert "Impact dashboard" in at.title[0].value
    at.switch_page("pages/data.py").run()
    assert at.subheader[0].value == "1. The template"


def test_the_template_examples_never_become_data(isolated: Path) -> None:
    """A user who uploads the template without deleting its example rows is told, row by row,
    and nothing is written."""
    at = app("fr", "pages/data.py")
    at.file_uploader(key="data_upload").upload("modele.xlsx", template("fr"), "application/xlsx")
    at.run()
    assert not at.exception
    assert at.error[0].value.startswith("Fichier refusé, rien n'a été enregistré")
    report = at.table[0].value.reset_index()
    reasons = set(report["Problème"])
    assert len(reasons) == 1 and next(iter(reasons)).startswith("Ligne d'exemple du modèle")
    # every sheet's example row (alliance, partner, two values, target, site, contract)
    assert len(report) == len(BY_KIND)  # the example row of each sheet
    assert not [b for b in at.button if b.key == "data_confirm"]
    assert len(table_with(at, "Fichier")) == 2  # the history is as it was


def test_the_dry_run_names_new_indicators_and_writes_periods_as_people_do() -> None:
    at = app("en", "pages/data.py")
    mentoring = xlsx(
        {
            "indicators": [
                [
                    *("mentoring", "Heures de mentorat", "Mentoring hours", "performance"),
                    *("heures", "up", "sum", ""),
                ]
            ],
            "observations": [["Sambre Emploi Solidaire", "mentoring", "T1 2023", 1315, "", ""]],
        }
    )
    at.file_uploader(key="data_upload").upload("m.xlsx", mentoring, "application/xlsx")
    at.run()
    dry_run = table_with(at, "Change")
    assert list(dry_run["Indicator"]) == ["Mentoring hours", "Mentoring hours"]
    assert list(dry_run["Period"]) == ["", "Q1 2023"] and dry_run["New value"][1] == "1,315"
    assert dry_run["Sheet: row"][1] == "donnees: 2"


def test_bad_file_shows_row_report_and_writes_nothing() -> None:
    at = app("en", "pages/data.py")
    bad = base_workbook(
        [
            ["Alliance test", "jobs_created", "2023", "twelve", "", ""],
            ["Nowhere", "jobs_created", "2024", 3, "", ""],
        ]
    )
    at.file_uploader(key="data_upload").upload("bad.xlsx", bad, "application/xlsx")
    at.run()
    assert not at.exception
    assert at.error[0].value.startswith("File refused, nothing was saved: 2 problem(s)")
    report = at.table[0].value.reset_index()
    assert list(report.columns) == ["Sheet", "Row", "Column", "Value", "Problem"]
    assert sorted(report["Row"]) == [2, 3]
    assert set(report["Value"]) == {"twelve", "Nowhere"}
    assert not [b for b in at.button if b.key == "data_confirm"]
    assert len(table_with(at, "File")) == 2  # history unchanged


def test_unreadable_file_is_a_message_not_a_traceback() -> None:
    at = app("fr", "pages/data.py")
    at.file_uploader(key="data_upload").upload("scan.xlsx", b"PK\x03\x04garbage", "x")
    at.run()
    assert not at.exception
    assert "ne se lit pas comme un tableur" in at.error[0].value


def test_rollback_from_the_page() -> None:
    at = app("en", "pages/data.py")
    changed = base_workbook()
    at.file_uploader(key="data_upload").upload("base.xlsx", changed, "application/xlsx")
    at.run()
    at.button(key="data_confirm").click().run()
    assert at.selectbox[0].value == 3
    assert at.button(key="data_rollback").disabled
    at.checkbox(key="data_rollback_confirm").check().run()
    at.button(key="data_rollback").click().run()
    assert not at.exception
    assert any("rolled back" in s.value for s in at.success)
    history = table_with(at, "Status")
    assert history.iloc[0]["Status"].startswith("rolled back on")
    assert history.iloc[0]["Validated or rolled back by"] == "admin@demo.example"


def _decoded(node: object) -> object:
    """Plotly sends numeric arrays as base64 typed arrays: turn them back into lists."""
    import base64

    import numpy as np

    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            array = np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"])
            return array.tolist()
        return {k: _decoded(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_decoded(v) for v in node]
    return node


def plotly_figures(at: AppTest) -> list[dict]:  # type: ignore[type-arg]
    import json

    return [_decoded(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]


def figure_titles(at: AppTest) -> list[str]:
    return [f["layout"].get("title", {}).get("text", "") for f in plotly_figures(at)]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_dashboard_runs_with_its_charts(lang: str) -> None:
    at = app(lang, "pages/dashboard.py")
    assert not at.exception and not at.error
    labels = [m.label for m in at.metric]
    assert labels == (
        ["Innovation sociétale", "Performance des parties prenantes", "Climat de confiance"]
        if lang == "fr"
        else ["Societal innovation", "Stakeholder performance", "Climate of trust"]
    )
    titles = figure_titles(at)
    assert len(titles) == 3  # scores, the open tab's grid of indicators, completeness
    grid = plotly_figures(at)[1]
    # Only the open tab's grid is built; choosing another tab builds that one instead.
    trust = "Climat de confiance" if lang == "fr" else "Climate of trust"
    at.session_state[f"dashboard_tab_{lang}"] = trust
    at.run()
    assert not at.exception and len(figure_titles(at)) == 3
    assert plotly_figures(at)[1]["layout"]["annotations"] != grid["layout"]["annotations"]
    assert titles[0] == (
        "Score par dimension : progression moyenne vers les cibles"
        if lang == "fr"
        else "Score by dimension: mean progress to targets"
    )
    assert any("%" in m.value for m in at.metric)
    how = next(e for e in at.expander if e.label in HOW)
    assert "Progression vers la cible" in how.markdown[0].value or "Progress to target" in (
        how.markdown[0].value
    )


def test_dashboard_follows_alliance_period_and_granularity() -> None:
    at = app("en", "pages/dashboard.py")
    at.selectbox(key="dashboard_alliance").select("Sambre Emploi Solidaire").run()
    sambre = [m.value for m in at.metric]
    scores = plotly_figures(at)[0]["data"]
    assert scores[0]["x"] == ["2022", "2023", "2024", "2025"]

    at.selectbox(key="dashboard_alliance").select("Roubaix Quartiers Actifs").run()
    assert not at.exception
    assert [m.value for m in at.metric] != sambre
    assert "Roubaix" in at.caption[0].value
    # the choice of alliance follows the user to the home page and back
    assert at.session_state["app_alliance"] == "Roubaix Quartiers Actifs"

    at.select_slider(key="dashboard_years").set_value((2024, 2025)).run()
    assert plotly_figures(at)[0]["data"][0]["x"] == ["2024", "2025"]

    at.segmented_control(key=wkey("dashboard_granularity", at)).set_value("quarter").run()
    assert not at.exception
    grid = plotly_figures(at)[1]["data"]
    assert any(str(x).startswith("Q") for trace in grid for x in trace["x"])


def test_a_dimension_scored_by_year_says_so_in_the_quarterly_view() -> None:
    at = app("fr", "pages/dashboard.py")
    at.selectbox(key="dashboard_alliance").select("Sambre Emploi Solidaire").run()
    at.segmented_control(key=wkey("dashboard_granularity", at)).set_value("quarter").run()
    assert "sont annuels" in texts(at)  # not "no indicator has both a target and a value"
    yearly = [b for b in at.button if str(b.key).startswith("dashboard_to_yearly_")]
    assert yearly and yearly[0].label == "Voir par année"
    yearly[0].click().run()
    assert at.segmented_control(key=wkey("dashboard_granularity", at)).value == "year"
    assert "sont annuels" not in texts(at) and not at.exception


def test_the_dashboard_dates_this_alliances_last_upload_and_follows_an_import(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app("fr", "pages/dashboard.py")
    at.selectbox(key="dashboard_alliance").select("Roubaix Quartiers Actifs").run()
    # Later, an upload of Sambre's values only (as the data page makes it, then remembers
    # the alliance it brought).
    sambre = [["Sambre Emploi Solidaire", "jobs_created", "2031", 5, "", ""]]
    with monkeypatch.context() as later:  # (the session itself lives in today's time)
        later.setattr(clock, "now", lambda: dt.datetime(2030, 1, 2, 10, 0))
        store_at(str(isolated)).import_file(xlsx({"observations": sambre}), "s.xlsx", ADMIN)
    at.session_state["app_alliance"] = "Sambre Emploi Solidaire"
    at.session_state["app_data_version"] = None
    at.switch_page("pages/dashboard.py").run()
    assert at.selectbox(key="dashboard_alliance").value == "Sambre Emploi Solidaire"
    assert "2 janv\\. 2030" in texts(at)  # Markdown, escaped
    at.selectbox(key="dashboard_alliance").select("Roubaix Quartiers Actifs").run()
    assert "2030" not in texts(at)  # that upload did not touch Roubaix


def test_an_alliance_whose_values_were_all_rolled_back_leaves_the_pickers(isolated: Path) -> None:
    at = app("fr", "pages/dashboard.py")
    store = store_at(str(isolated))
    new = [["Alliance neuve", "Lens", "62498", 1000, "emploi", "2020", ""]]
    values = [["Alliance neuve", "jobs_created", "2024", 5, "", ""]]
    result = store.import_file(xlsx({"alliances": new, "observations": values}), "n.xlsx", ADMIN)
    at.session_state["app_data_version"] = None
    at.switch_page("pages/dashboard.py").run()
    assert "Alliance neuve" in at.selectbox(key="dashboard_alliance").options
    store.rollback(int(result.upload_id), ADMIN)
    at.session_state["app_data_version"] = None
    at.switch_page("pages/dashboard.py").run()
    assert "Alliance neuve" not in at.selectbox(key="dashboard_alliance").options
    assert not at.exception


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_stakeholder_page(lang: str) -> None:
    at = app(lang, "pages/stakeholders.py")
    assert not at.exception and not at.error
    at.selectbox(key="stakeholders_alliance").select("Sambre Emploi Solidaire").run()
    titles = figure_titles(at)
    assert len(titles) == 4
    assert titles[3] == (
        "Valeurs transmises par partenaire et par année"
        if lang == "fr"
        else "Values reported by stakeholder and year"
    )
    picker = at.selectbox(key=wkey("stakeholders_indicator", at))
    assert len(picker.options) >= 3
    other = next(c for c in ("budget_secured", "staff_retention") if c != picker.value)
    picker.select(other).run()
    assert not at.exception
    assert figure_titles(at)[0] != titles[0]
    at.selectbox(key="stakeholders_alliance").select("Recycl'Armor").run()
    assert not at.exception
    assert "Armor Emballages" in plotly_figures(at)[3]["data"][0]["y"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_trust_page(lang: str) -> None:
    at = app(lang, "pages/trust.py")
    assert not at.exception and not at.error
    at.selectbox(key="trust_alliance").select("Sambre Emploi Solidaire").run()
    figures = plotly_figures(at)
    # the prerequisites, the radar, the gap, participation; then the demo's barometer, open:
    # who answered (tests/test_barometer.py follows a wave to its results)
    assert len(figures) == 5
    radar = figures[1]["data"]
    assert [trace["name"] for trace in radar] == ["2024", "2025"]
    at.segmented_control(key=wkey("trust_granularity", at)).set_value("quarter").run()
    assert not at.exception
    # surveys are yearly: a quarterly view says there is nothing to draw
    assert plotly_figures(at)[0]["layout"]["annotations"][0]["text"] in (
        "Aucune valeur sur la période choisie.",
        "No value over the chosen period.",
    )
    at.segmented_control(key=wkey("trust_granularity", at)).set_value("year").run()
    at.selectbox(key="trust_alliance").select("Roubaix Quartiers Actifs").run()
    roubaix = plotly_figures(at)[0]["data"]
    assert roubaix != figures[0]["data"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_portfolio_page(lang: str) -> None:
    at = app(lang, "pages/portfolio.py")
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert len(table) == 7
    short = "Confiance" if lang == "fr" else "Trust"
    assert short in table.columns
    # scores stay numbers (sortable); Roubaix has the lowest trust score
    roubaix = table.set_index(table.columns[0]).loc["Roubaix Quartiers Actifs"]
    assert roubaix[short] == table[short].min() < 0
    # Themes and stages in the reader's language (the filter keeps the value as written).
    theme, stage = t("portfolio.col.theme", lang), t("portfolio.col.stage", lang)
    themes = {
        "fr": {"emploi", "isolement des aînés", "mobilité"},
        "en": {"employment", "isolation of older people", "mobility"},
    }
    other = "en" if lang == "fr" else "fr"
    assert themes[lang] <= set(table[theme]) and not themes[other] & set(table[theme])
    assert ("Experimentation" if lang == "en" else "Expérimentation").lower() in {
        str(v).lower() for v in table[stage]
    }
    at.multiselect(key="portfolio_themes").select("emploi").run()
    assert sorted(at.dataframe[0].value.iloc[:, 0]) == [
        "Roubaix Quartiers Actifs",
        "Sambre Emploi Solidaire",
    ]
    at.multiselect(key=wkey("portfolio_stages", at)).select("consolidation").run()
    assert list(at.dataframe[0].value.iloc[:, 0]) == ["Sambre Emploi Solidaire"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_comparison_page(lang: str) -> None:
    at = app(lang, "pages/comparison.py")
    assert not at.exception and not at.error
    at.selectbox(key="comparison_alliance").select("Sambre Emploi Solidaire").run()
    at.radio(key=wkey("comparison_peer_by", at)).set_value("theme").run()
    at.selectbox(key=wkey("comparison_indicator", at)).select("jobs_created").run()
    titles = figure_titles(at)
    assert len(titles) == 4
    ranking = plotly_figures(at)[1]["data"][0]
    assert ranking["y"][-1] == "1. Sambre Emploi Solidaire"  # best at the top
    at.radio(key=wkey("comparison_normalisation", at)).set_value("per_1000").run()
    assert not at.exception
    per_1000 = plotly_figures(at)[1]["data"][0]["x"]
    assert max(per_1000) < 10  # jobs per 1,000 inhabitants, not raw counts
    rules = "Règles de comparaison" if lang == "fr" else "Comparison rules"
    assert rules in [s.value for s in at.subheader]
    downloads = [b for b in at.get("download_button")]
    assert len(downloads) == 2
    at.radio(key=wkey("comparison_subject", at)).set_value("dimension").run()
    assert not at.exception
    assert len(figure_titles(at)) == 4


def test_comparison_names_alliances_not_ranked() -> None:
    at = app("en", "pages/comparison.py")
    at.radio(key=wkey("comparison_mode", at)).set_value("choose").run()
    at.selectbox(key=wkey("comparison_indicator", at)).select("unemployment_rate").run()
    at.radio(key=wkey("comparison_normalisation", at)).set_value("per_1000").run()
    assert not at.exception
    # a rate per inhabitant means nothing: nobody is ranked, and each says why
    assert "No comparable value" in texts(at)
    reasons = at.table[0].value.iloc[:, 0].to_dict()
    assert len(reasons) == 7
    assert reasons["Sambre Emploi Solidaire"] == "a rate is not per inhabitant"
    assert reasons["Roubaix Quartiers Actifs"] == "a rate is not per inhabitant"
    assert reasons["Recycl'Armor"] == "no value that year"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_scaling_page(lang: str) -> None:
    at = app(lang, "pages/scaling.py")
    assert not at.exception and not at.error
    at.selectbox(key="scaling_alliance").select("Recycl'Armor").run()
    figures = plotly_figures(at)
    assert len(figures) == 4
    names = {trace.get("name") for trace in figures[0]["data"]}
    assert ("duplication" if lang == "fr" else "scale up") in names
    assert [m.value for m in at.metric][:2] == ["4", "1"]
    at.selectbox(key="scaling_alliance").select("Diois Mobilité Partagée").run()
    assert not at.exception
    assert [m.value for m in at.metric][:2] == ["1", "0"]  # Crest active, Nyons stopped


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_contracts_page_shows_peterborough(lang: str) -> None:
    at = app(lang, "pages/contracts.py")
    at.selectbox(key="contracts_contract").select("Peterborough SIB").run()
    assert not at.exception and not at.error
    values = {m.label: m.value for m in at.metric}
    overall = "Amélioration d'ensemble" if lang == "fr" else "Overall improvement"
    assert values[overall] == ("9,02\u202f%" if lang == "fr" else "9.02%")  # as published
    cohorts = at.dataframe[0].value
    assert list(cohorts.iloc[:, 3]) == (["non"] if lang == "fr" else ["no"])
    # The figures Peterborough did not publish are marked so.
    terms = at.table[0].value
    marked = [str(v) for v in terms.iloc[:, 0] if "illustrati" in str(v)]
    assert len(marked) == 3, terms
    assert ("illustratif" if lang == "fr" else "illustrative") in marked[0]
    # The investors' IRR on their dated draw (tests/test_outcomes.py computes it: 3.109 %),
    # the draw marked illustrative; their flows and the tranches drawn.
    irr = "TRI des investisseurs" if lang == "fr" else "Investors' IRR"
    assert values[irr] == ("3,11 %" if lang == "fr" else "3.11%")
    captions = " ".join(c.value for c in at.caption)
    assert ("Investissements illustratifs" if lang == "fr" else "Illustrative investments") in (
        captions
    )
    assert len(plotly_figures(at)) == 4
    # what if the overall result had been 7 %? Below the 7.5 % threshold: nothing paid.
    slider = at.select_slider(key=wkey("contracts_what_if", at))
    slider.set_value(7.0).run()
    assert not at.exception
    met = "Seuil global atteint" if lang == "fr" else "Overall threshold met"
    after = {m.label: m.value for m in at.metric}
    assert after[met] == ("non" if lang == "fr" else "no")
    assert after[irr] == "—"  # nothing came back


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_rate_card_contract_on_the_contracts_page(lang: str) -> None:
    """The sample's two French contracts, by hand: Sambre's caps are reached (260 jobs x
    2,500 + 450,000 = 1,100,000 due), its ledger records 1,090,000; both investors get the 8 %
    cap. Roubaix's 10 % fall never came: the bank gets back the guarantee's 150,000 of its
    300,000 after 1,429 days: 0.5^(365/1429) - 1 = -16.23 %."""
    at = app(lang, "pages/contracts.py")
    at.selectbox(key="contracts_contract").select("Contrat à impact Sambre emploi").run()
    assert not at.exception and not at.error
    values = [m.value for m in at.metric]
    space, pct = ("\u202f", "\u202f%") if lang == "fr" else (",", "%")
    assert values[:3] == [
        f"1{space}100{space}000 EUR",
        f"1{space}090{space}000 EUR",
        f"-10{space}000 EUR",
    ]
    # The ledger per outcome (the view shown first): the lasting jobs are 10,000 short.
    ledger = at.dataframe[1].value
    assert ledger.values.tolist() == [
        ["emploi durable", f"650{space}000 EUR", f"640{space}000 EUR", f"-10{space}000 EUR"],
        ["retour à l'emploi", f"450{space}000 EUR", f"450{space}000 EUR", "0 EUR"],
    ]
    # What if half the outcomes had come: 130 jobs x 2,500 and the returns to work up to their
    # 450,000 cap (reached in any case before the end).
    at.select_slider(key=wkey("contracts_rate_what_if", at)).set_value(0.5).run()
    assert not at.exception
    assert [m.value for m in at.metric][3] != values[3]
    investors, recorded = (frame.value for frame in at.dataframe[-2:])
    assert list(investors.iloc[:, -1]) == [f"7{',' if lang == 'fr' else '.'}99{pct}"] * 2
    # The bank's statements record 410,000 against the waterfall's 414,620 (rounded); nothing
    # is recorded for the foundation.
    assert list(recorded.iloc[:, -1]) == [f"-4{space}620 EUR", "—"]
    assert len(plotly_figures(at)) == 4  # due and paid; investors; tranches; sensitivity
    at.segmented_control(key=wkey("contracts_due_by", at)).set_value("payer").run()
    assert not at.exception
    due = plotly_figures(at)[0]
    assert {t["name"] for t in due["data"] if t["type"] == "bar"} == {
        "État",
        "Fonds d'innovation sociale",
    }
    ledger = at.dataframe[1].value  # now per payer: the fund 10,000 short
    assert ledger.iloc[:, 3].tolist() == [f"-10{space}000 EUR", "0 EUR"]
    at.selectbox(key="contracts_contract").select("Contrat à impact Roubaix chômage").run()
    investors = at.dataframe[-1].value.set_index(at.dataframe[-1].value.columns[0])
    bank = investors.loc["Banque des territoires"]
    assert bank.iloc[-1] == f"-16{',' if lang == 'fr' else '.'}23{pct}"
    assert bank.iloc[-2] == f"-150{space}000 EUR"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_recycling_a_bonus_a_currency_and_results_per_person_on_the_contracts_page(
    lang: str, isolated: Path
) -> None:
    """By hand: the bank lends 600,000 EUR (senior, no cap) with a bonus of 5,000; a
    foundation puts 80,000 CHF in the subordinate tranche, 100,000 EUR at the contract's
    1 CHF = 1.25 EUR. The 7,500 paid on 15 April 2025 is re-lent to the provider (recycling
    until 30 April 2025); of the 700,000 paid on 30 June 2026 the bank gets its 600,000 and its
    bonus, a return of 5,000 of which the provider takes 10 % (500): 604,500; the foundation
    the 95,000 left (76,000 CHF), short of its capital: no return, nothing left over."""
    at = app(lang)
    contract = [*CONTRACT[:16], "", *CONTRACT[17:]]  # no cap on the return
    bank = ["Contrat test", "Banque", "prêt", "senior", 600_000, "15/01/2024", 600_000]
    foundation = ["Contrat test", "Fondation", "fonds propres", "subordonnée", 80_000]
    terms = {"provider_share": 10, "recycle_until": "30/04/2025", "exchange_rates": "CHF = 1,25"}
    sheets = {
        "alliances": [ALLIANCE],
        "contracts": [row_of("contracts", contract, **terms)],
        "prices": PRICES,
        "payers": PAYERS,
        "investments": [
            row_of("investments", bank, bonus=5_000),
            row_of("investments", [*foundation, "15/01/2024", 80_000], currency="chf"),
        ],
        # Results per participant: one lasting job paid, the same person's second one not.
        "participants": [
            ["Contrat test", "P-1", "emploi durable", "01/03/2024", ""],
            ["Contrat test", "P-1", "emploi durable", "01/04/2024", ""],
        ],
        "payments": [
            ["Contrat test", "15/04/2025", "État", "emploi durable", 7_500, ""],
            ["Contrat test", "30/06/2026", "État", "emploi durable", 700_000, ""],
        ],
    }
    store_at(str(isolated)).import_file(xlsx(sheets), "c.xlsx", ADMIN)
    at.session_state["app_data_version"] = None
    at.switch_page("pages/contracts.py").run()
    at.selectbox(key="contracts_contract").select("Contrat test").run()
    assert not at.exception and not at.error
    space = "\u202f" if lang == "fr" else ","
    shown = {
        str(k).replace("\\", ""): str(v).replace("\\", "")  # as Markdown escapes them
        for k, v in zip(at.table[0].value.index, at.table[0].value.iloc[:, 0])
    }
    day = formatting.date(dt.date(2025, 4, 30), lang)  # 30 avr. 2025, Apr 30, 2025
    percent = "10\u202f%" if lang == "fr" else "10%"
    rate = "1 CHF = 1,25 EUR" if lang == "fr" else "1 CHF = 1.25 EUR"
    assert shown[t("contracts.t.provider_share", lang)] == percent
    assert shown[t("contracts.t.recycle_until", lang)] == day
    assert shown[t("contracts.t.exchange_rates", lang)] == rate
    investors = at.dataframe[-1].value.set_index(at.dataframe[-1].value.columns[0])
    column = {name: t(f"contracts.col.{name}", lang) for name in ("bonus", "came_back")}
    assert investors[column["bonus"]].tolist() == [f"5{space}000 EUR", "—"]
    assert investors[column["came_back"]].tolist() == [f"604{space}500 EUR", f"95{space}000 EUR"]
    own = [t(f"contracts.col.own_{c}", lang) for c in ("put_in", "came_back")]
    assert investors.loc["Fondation", own].tolist() == [f"80{space}000 CHF", f"76{space}000 CHF"]
    assert investors.loc["Banque", own].tolist() == ["—", "—"]
    said = [str(c.value).replace("\\", "") for c in at.caption]
    assert t("contracts.recycled", lang, amount=f"7{space}500 EUR", day=day) in said
    assert t("contracts.return_share", lang, amount="500 EUR", share=percent) in said
    assert t("contracts.converted", lang, rates=rate, currency="EUR") in said
    people = {"results": 2, "people": 1, "times": 1, "capped": 0, "amount": "0 EUR"}
    assert t("contracts.per_person", lang, **people) in said
    assert not [s for s in said if "surplus" in s or "excédent" in s]


def every_page() -> list[str]:
    """The pages of a signed-in account (the sign-in page is for whoever is signed out)."""
    return [page.file for page in navigation.PAGES]


def test_every_page_file_is_in_the_navigation() -> None:
    files = sorted(f"pages/{p.name}" for p in (config.ROOT / "pages").glob("*.py"))
    assert (
        sorted([*every_page(), navigation.SIGN_IN.file, *(p.file for p in navigation.NO_ACCOUNT)])
        == files
    )


def test_every_page_is_declared_once_with_a_right_and_its_title() -> None:
    """A page is one entry: a name, a title in both languages, an address of its own and a
    right among ``access.PAGE_RIGHTS`` (the home page, at the root, is open to every account)."""
    pages = [*navigation.PAGES, navigation.SIGN_IN, *navigation.NO_ACCOUNT]
    assert len({p.name for p in pages}) == len({p.address for p in pages}) == len(pages)
    assert [p.address for p in pages if not p.address] == [""]  # the home page only
    assert navigation.PAGES[0].address == "" and navigation.PAGES[0].right == "signed_in"
    assert {p.right for p in navigation.PAGES} <= set(PAGE_RIGHTS)
    assert all(p.right is None for p in (navigation.SIGN_IN, *navigation.NO_ACCOUNT))
    for page in pages:
        assert known(page.title), page


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_runs_without_exception(lang: str) -> None:
    signed_out = app(lang, who=None)
    assert not signed_out.exception and not signed_out.error
    assert signed_out.title[0].value == ("Connexion" if lang == "fr" else "Sign in")
    at = app(lang)
    for page in every_page():
        at.switch_page(page).run()
        assert not at.exception, page
        assert not at.error, (page, [e.value for e in at.error])
        assert at.title, page


def test_a_write_from_elsewhere_is_seen_at_the_next_rerun(isolated: Path) -> None:
    """Cached reads are keyed by the data version: an import that does not go through the page
    (the command line, another app process) shows at the next rerun, not after the caches'
    ten minutes."""
    at = app("fr")
    assert len(at.dataframe[0].value) == 7
    with Store(isolated) as other:  # another connection, as another writer would hold
        other.import_file(base_workbook(), "ailleurs.xlsx", ADMIN)
    at.run()
    names = set(at.dataframe[0].value.iloc[:, 0])
    assert len(names) == 8 and "Alliance test" in names


def holding(path: str | Path, seconds: float) -> subprocess.Popen[str]:
    """A process that holds the database file for ``seconds``, as a command-line import does
    (returns once it holds it)."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom metrics.storage.store import Store\n"
            f"with Store({str(path)!r}):\n    print('held', flush=True)\n"
            f"    time.sleep({seconds})",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=config.ROOT,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


WAITING = ["Base occupée par un autre traitement : la page attend…"]


@embedded_only
def test_a_page_waits_for_a_command_that_holds_the_database(isolated: Path) -> None:
    """An import from the command line holds the file for a few seconds: the page's run says
    it waits, then shows the page."""
    app("fr").run()  # the demo made, then the file let go
    at = AppTest.from_file(str(config.ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["app_lang"] = "fr"
    signed_in(at, ADMIN_DEMO)  # signed in before the command takes the file
    holder = holding(isolated, 3)
    at.run()
    holder.wait(timeout=60)
    assert not at.exception and not at.error
    assert [t.value for t in at.toast] == WAITING
    assert "Tableau de bord d'impact" in at.title[0].value  # then the page itself


@embedded_only
def test_an_app_started_while_a_command_holds_the_database_serves_every_later_run(
    isolated: Path,
) -> None:
    """The app's process starts (its first run opens the database) while a command holds the
    file: that run waits and says so, and every later run of any session works, without the
    notice (the process's store was opened once, not a cached result replayed)."""
    with Store(isolated) as made:
        auth.seed_demo(made)
    first = AppTest.from_file(str(config.ROOT / "app.py"), default_timeout=TIMEOUT)
    first.session_state["app_lang"] = "fr"
    signed_in(first, ADMIN_DEMO)
    holder = holding(isolated, 3)
    first.run()
    holder.wait(timeout=60)
    assert [t.value for t in first.toast] == WAITING and not first.exception
    for at in (first, app("fr", "pages/dashboard.py"), app("en")):
        at.run()
        assert not at.exception and not at.error and not at.toast
        assert at.title[0].value


def test_every_cached_read_is_cleared_after_a_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """``data_changed`` clears every read, page model and figure the app caches: each is
    declared with ``reads.cached`` or ``reads.shared``, which register it, never with
    ``st.cache_data`` or ``st.cache_resource`` itself."""
    root = config.ROOT
    sources = [*root.glob("ui/*.py"), *root.glob("pages/*.py"), root / "app.py"]
    for decorator in ("cache_data", "cache_resource"):
        assert [f.name for f in sources if decorator in f.read_text()] == ["reads.py"]
    modules = [
        importlib.import_module(f"ui.{m.name}")
        for m in pkgutil.iter_modules(ui.__path__)
        if m.name != "serve"
    ]
    cached = {
        id(value): f"{module.__name__}.{name}"
        for module in modules
        for name, value in vars(module).items()
        if isinstance(value, CachedFunc)
        and value._info.cache_type in (CacheType.DATA, CacheType.RESOURCE)
    }
    assert len(cached) >= 25 and set(cached) == {id(read) for read in reads.REGISTERED}
    cleared: list[int] = []
    for read in reads.REGISTERED:
        monkeypatch.setattr(read, "clear", lambda read=read: cleared.append(id(read)))
    reads.data_changed()
    assert sorted(cleared) == sorted(cached)


@pytest.mark.parametrize("losses", [1, 2])
def test_a_run_that_lost_the_database_connection_runs_once_more(
    losses: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shared backend's PostgreSQL restarting under a run (test_lake_ops restarts a real
    one): the run goes again once; a second loss in a row is said, never a traceback."""
    import duckdb

    at = app("en")
    home = [t.value for t in at.title]
    apps_store = store_at(config.db_target())
    real = apps_store.resume_session
    left = [losses]

    def cut(*args, **kwargs):  # type: ignore[no-untyped-def]
        if left[0]:
            left[0] -= 1
            raise duckdb.IOException("IO Error: server closed the connection unexpectedly")
        return real(*args, **kwargs)

    monkeypatch.setattr(apps_store, "resume_session", cut)
    at.run()
    assert not at.exception and left == [0]
    if losses == 1:
        assert not at.error and [t.value for t in at.title] == home
    else:
        assert any("does not answer" in e.value for e in at.error)
        at.run()  # the database is back: the page reads as before
        assert not at.error and [t.value for t in at.title] == home
