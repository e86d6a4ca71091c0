"""Chart builders: traces, titles, target lines, colours and French number formats."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from metrics.base import catalog
from metrics.base.access import Actor
from metrics.domain import impact
from metrics.presentation import charts
from metrics.storage.store import Store
from tests.conftest import ADMIN
from tests.test_impact import A, small_store


@pytest.fixture
def progressed(fresh_store: Store) -> pd.DataFrame:
    store = small_store(fresh_store)
    values = store.aggregated(ADMIN, alliance=A, granularity="year", level="alliance")
    return impact.with_progress(values, store.targets(ADMIN), "year")


@pytest.fixture
def indicators(fresh_store: Store) -> pd.DataFrame:
    return fresh_store.indicators(ADMIN)


def test_scores_chart_french(progressed: pd.DataFrame) -> None:
    scores = impact.dimension_scores(progressed)
    fig = charts.scores_over_time(scores, "year", "fr")
    assert fig.layout.title.text == "Score par dimension : progression moyenne vers les cibles"
    assert fig.layout.separators == ",\u202f"
    assert fig.layout.yaxis.ticksuffix == "\u202f%"
    names = [trace.name for trace in fig.data]
    assert names == ["Innovation sociétale", "Climat de confiance"]
    innovation = fig.data[0]
    assert list(innovation.x) == ["2023", "2024"]
    assert list(innovation.y) == pytest.approx([30.0, 100.0])
    assert innovation.line.color == charts.COLORS["innovation"]
    assert "30 % du chemin vers la cible" in innovation.hovertext[0]
    assert "2 indicateur(s) sur 2" in innovation.hovertext[0]
    # the target (100 %) and the baseline (0 %) are drawn
    assert sorted(shape.y0 for shape in fig.layout.shapes) == [0, 100]


def test_scores_chart_english(progressed: pd.DataFrame) -> None:
    fig = charts.scores_over_time(impact.dimension_scores(progressed), "year", "en")
    assert fig.layout.separators == ".,"
    assert fig.data[0].name == "Societal innovation"
    assert "30% of the way to the target" in fig.data[0].hovertext[0]


def test_empty_scores_say_so() -> None:
    fig = charts.scores_over_time(impact.dimension_scores(pd.DataFrame()), "year", "en")
    assert fig.layout.title.text.startswith("Score by dimension")
    assert fig.layout.annotations[0].text.startswith("No score")


def test_indicator_grid(progressed: pd.DataFrame, indicators: pd.DataFrame) -> None:
    fig = charts.indicator_grid(progressed, indicators, "year", "fr")
    titles = [a.text for a in fig.layout.annotations]
    assert "Emplois créés (emplois)" in titles
    assert "Taux de chômage local (%)" in titles
    traces = {t.hovertext[0].split("<br>")[0]: t for t in fig.data}
    rate = traces["<b>Taux de chômage local (%)</b>"]
    assert list(rate.y) == [17.0, 12.0]
    # the rate went down: good, so the 2024 point is green
    assert rate.marker.line.color[1] == charts.GOOD
    assert "17\u202f%" in rate.hovertext[0]
    jobs = traces["<b>Emplois créés (emplois)</b>"]
    assert list(jobs.marker.color) == [charts.NEUTRAL, "white"]  # 2024 is a partial sum
    assert "période incomplète" in jobs.hovertext[1]
    # target and baseline lines for the two indicators that have a target
    levels = sorted(shape.y0 for shape in fig.layout.shapes)
    assert levels == [3, 5, 12, 20, 22, 60]


def test_notes_are_stars_on_their_point_and_comments_in_its_hover(
    progressed: pd.DataFrame, indicators: pd.DataFrame
) -> None:
    periods = sorted(set(progressed["period"]))  # 2023, 2024
    notes = pd.DataFrame(
        {
            "indicator": ["unemployment_rate", "unemployment_rate", "jobs_created"],
            "period": [periods[1], periods[1], "1999"],  # 1999: no value there, not drawn
            "kind": ["decision", "note", "note"],
            "body": ["Garder la cible <b>", "Vu", "Hors champ"],
            "author_name": ["Lead", "Editor", "Editor"],
            "created_at": [dt.datetime(2026, 3, d, 10) for d in (12, 13, 14)],
        }
    )
    comments = pd.DataFrame(
        {
            "indicator": ["unemployment_rate"] * 5,
            "period": [periods[0]] * 5,
            "stakeholder": ["Mairie", "", "", "", ""],
            "comment": ["Source INSEE", "b", "c", "d", "e"],
        }
    )
    fig = charts.indicator_grid(
        progressed, indicators, "year", "fr", notes=notes, comments=comments
    )
    stars = [t for t in fig.data if t.marker.symbol == "star"]
    assert len(stars) == 1  # one point holds both notes; the 1999 one has no point
    assert list(stars[0].y) == [12.0] and list(stars[0].x) == [periods[1]]
    # The star's axis keeps the periods in time order (plotly orders categories as traces
    # bring them: 2024 came first there).
    axis = "xaxis" + stars[0].xaxis[1:]
    assert list(fig.layout[axis].categoryarray) == periods
    hover = stars[0].hovertext[0]
    assert hover.startswith("<b>Taux de chômage local (%)</b><br>2024 : 12\u202f%<br>")
    assert "<b>Décision</b> : Garder la cible &lt;b&gt;" in hover  # the user's text, escaped
    assert "— Lead, 12 mars 2026" in hover and "<b>Note</b> : Vu" in hover
    rate = next(
        t
        for t in fig.data
        if t.hovertext[0].startswith("<b>Taux de chômage") and t.marker.symbol != "star"
    )
    # Three comments of the five, the partner's name first, and how many more.
    assert (
        "<i>Mairie : Source INSEE</i><br><i>b</i><br><i>c</i><br><i>+ 2…</i>" in rate.hovertext[0]
    )
    assert "<i>" not in rate.hovertext[1]


def test_indicator_grid_english_units(progressed: pd.DataFrame, indicators: pd.DataFrame) -> None:
    fig = charts.indicator_grid(progressed, indicators, "year", "en")
    titles = [a.text for a in fig.layout.annotations]
    assert "Jobs created (jobs)" in titles and "Volunteers engaged (people)" in titles


def test_trend_colors_follow_direction() -> None:
    assert charts.dashboard._trend_colors([1.0, 2.0, 1.5, 1.5], "up") == [
        charts.NEUTRAL,
        charts.GOOD,
        charts.BAD,
        charts.NEUTRAL,
    ]
    assert charts.dashboard._trend_colors([1.0, 2.0], "down") == [charts.NEUTRAL, charts.BAD]


def test_completeness_heatmap(progressed: pd.DataFrame, indicators: pd.DataFrame) -> None:
    grid = impact.completeness(progressed, [2023, 2024], today=dt.date(2026, 1, 1))
    fig = charts.completeness_heatmap(grid, indicators, "en")
    heat = fig.data[0]
    assert list(heat.x) == ["2023", "2024"]
    row = list(heat.y).index("Jobs created")
    assert list(heat.text[row]) == ["complete", "partial"]
    assert fig.layout.title.text == "Data completeness by year"


def test_every_dimension_has_a_colour() -> None:
    assert set(charts.COLORS) == set(catalog.DIMENSIONS)


@pytest.fixture
def owners(fresh_store: Store) -> pd.DataFrame:
    return small_store(fresh_store).aggregated(ADMIN, alliance=A, granularity="year")


def test_stakeholder_lines_and_type_bars(owners: pd.DataFrame, indicators: pd.DataFrame) -> None:
    volunteers = owners[owners["indicator"] == "volunteers"]
    meta = indicators.set_index("code").loc["volunteers"]
    fig = charts.stakeholder_lines(volunteers, meta, "year", "fr")
    assert fig.layout.title.text == "Bénévoles mobilisés (personnes) par partenaire"
    assert sorted(t.name for t in fig.data) == ["Entreprise A", "Ville de Lens"]
    assert all(t.showlegend for t in fig.data)
    bars = charts.type_bars(impact.by_stakeholder_type(volunteers), meta, "year", "en")
    assert bars.layout.barmode == "stack"  # stocks add up
    assert sorted(t.name for t in bars.data) == ["company", "public"]
    trust = owners[owners["indicator"] == "partner_trust"]
    trust_meta = indicators.set_index("code").loc["partner_trust"]
    grouped = charts.type_bars(impact.by_stakeholder_type(trust), trust_meta, "year", "fr")
    assert grouped.layout.barmode == "group"  # scores do not add up
    assert [t.name for t in grouped.data] == ["entreprise", "collectivité"]


def test_change_and_reporting_heatmaps(
    owners: pd.DataFrame, indicators: pd.DataFrame, fresh_store: Store
) -> None:
    fig = charts.change_heatmap(impact.stakeholder_changes(owners), indicators, "fr")
    heat = fig.data[0]
    assert list(heat.y) == ["Entreprise A"] and list(heat.x) == ["Confiance entre partenaires"]
    assert heat.text[0][0] == "+33\u202f%"
    assert heat.zmid == 0
    counts = impact.reporting(
        fresh_store.observations(ADMIN, alliance=A),
        fresh_store.stakeholders(ADMIN, alliance=A),
        [2023, 2024],
    )
    reporting = charts.reporting_heatmap(counts, "en")
    assert reporting.layout.title.text == "Values reported by stakeholder and year"
    row = list(reporting.data[0].y).index("Ville de Lens")
    assert list(reporting.data[0].text[row]) == ["2", "—"]


def test_trust_charts(owners: pd.DataFrame, indicators: pd.DataFrame, fresh_store: Store) -> None:
    yearly = fresh_store.aggregated(ADMIN, alliance=A, granularity="year", level="alliance")
    latest, previous = impact.latest_two(yearly[yearly["indicator"] == "partner_trust"])
    fig = charts.radar(latest, previous, indicators, "year", "fr")
    assert [t.name for t in fig.data] == ["2023", "2024"]
    assert list(fig.data[1].r) == [4.0, 4.0]  # closed polygon
    # A label's colon as each language writes it (spaced in French only)
    assert " : 4,0 / 5" in fig.data[1].hovertext[0]
    english = charts.radar(latest, previous, indicators, "year", "en")
    assert ": 4.0 / 5" in english.data[1].hovertext[0] and " :" not in english.data[1].hovertext[0]
    assert fig.layout.polar.radialaxis.range == (1, 5)
    lines = charts.prerequisites_lines(yearly, indicators, "year", "en")
    assert lines.layout.annotations[0].text.startswith("No value")  # none in this data
    gap = charts.type_gap_bars(impact.by_stakeholder_type(owners), indicators, "year", "fr")
    assert gap.layout.title.text == "Écart entre types de partenaires"


def test_comparison_charts() -> None:
    table = pd.DataFrame(
        {
            "alliance": ["A", "A", "B", "B"],
            "year": [2023, 2024, 2023, 2024],
            "raw": [1.0, 2.0, 3.0, 4.0],
            "value": [1.0, 2.0, 3.0, float("nan")],
            "reason": "",
        }
    )
    lines = charts.comparison_lines(table, "Emplois", "emplois", "fr", highlight="A")
    assert [t.name for t in lines.data] == ["A", "B"]
    assert lines.data[0].line.width == 4 and lines.data[0].line.color == charts.HIGHLIGHT
    assert list(lines.data[1].x) == ["2023"]  # B has no comparable 2024 value
    assert lines.data[0].hovertext[1].endswith("2024 : 2")
    english = charts.comparison_lines(table, "Jobs", "jobs", "en", highlight="A")
    assert english.data[0].hovertext[1].endswith("2024: 2")
    ranked = pd.DataFrame(
        {
            "rank": [1, 2, 2],
            "alliance": ["B", "A", "C"],
            "value": [1234.5, 2.0, 2.0],
            "raw": [1.0, 2.0, 2.0],
            "completeness": [1.0, 0.6, 0.9],
            "badge": ["high", "medium", "high"],
        }
    )
    bars = charts.ranking_bars(ranked, "Classement", "emplois", "fr", highlight="A")
    assert list(bars.data[0].y) == ["2. C", "2. A", "1. B"]  # best at the top
    assert bars.data[0].text[-1] == "1\u202f234,5 · confiance haute"
    assert bars.layout.xaxis.type == "linear"
    assert charts.ranking_bars(ranked.iloc[0:0], "Classement", "", "en").layout.annotations
    distribution = charts.peer_distribution(
        table[table["year"] == 2023], "Pairs", "x", "en", highlight="B"
    )
    assert distribution.data[1].text == ("B",)


def test_dimension_scatter() -> None:
    portfolio = pd.DataFrame(
        {"alliance": ["A", "B"], "innovation_score": [0.5, 1.2], "trust_score": [-0.2, 0.8]}
    )
    fig = charts.dimension_scatter(portfolio, "innovation", "trust", "fr", highlight="B")
    assert list(fig.data[0].x) == [50.0, 120.0]
    assert fig.data[0].marker.color[1] == charts.HIGHLIGHT
    assert fig.layout.xaxis.title.text == "Innovation sociétale"
    assert fig.layout.xaxis.range[1] > 120


def test_scaling_charts(fresh_store: Store) -> None:
    from metrics.domain import scaling
    from tests.test_replications_contracts import SITE, book

    fresh_store.import_file(book([SITE]), "s.xlsx", Actor.system("t"))
    sites = fresh_store.replications(ADMIN)
    by_year = scaling.sites_by_year(sites, dt.date(2026, 1, 1))
    assert list(by_year["year"]) == [2024, 2025, 2026] and set(by_year["sites"]) == {1}
    bars = charts.replication_bars(by_year, "fr")
    assert bars.data[0].name == "duplication (actif)"
    assert bars.data[0].hovertext[0].endswith("2024 : 1")
    assert charts.replication_bars(by_year, "en").data[0].hovertext[0].endswith("2024: 1")
    origin = {"name": "Alliance test", "territory": "Lens", "latitude": 50.43, "longitude": 2.83}
    fig = charts.sites_map(origin, sites, "en")
    names = [t.name for t in fig.data]
    assert "origin" in names and "scale up" in names
    assert sum(1 for n in names if str(n).startswith("france")) == 2  # mainland and Corsica
    reach = scaling.reach(sites)
    assert list(reach["beneficiaries"]) == [120.0]
    reach_fig = charts.reach_bars(reach, "fr")
    assert reach_fig.data[0].name == "duplication"
    assert " : 120" in reach_fig.data[0].hovertext[0]
    assert ": 120" in charts.reach_bars(reach, "en").data[0].hovertext[0]
    assert charts.replication_bars(by_year.iloc[0:0], "en").layout.annotations
    # Legends where they cover nothing: the map's south-west, beyond the Pyrenees (not on
    # Corsica, south-east); the reach's above the bars (not over the axis's numbers).
    assert (fig.layout.legend.x, fig.layout.legend.xanchor) == (0.01, "left")
    assert fig.layout.legend.y < 0.1
    assert reach_fig.layout.legend.y > 1 and reach_fig.layout.legend.yanchor == "bottom"


def test_a_radars_scale_sits_between_its_first_two_axes(indicators: pd.DataFrame) -> None:
    """With four axes clockwise from the top, the 1-5 scale runs at 45°, between the first
    two labels (on the first axis, its "5" ran into the top label)."""
    table = pd.DataFrame(
        {
            "indicator": list(catalog.READINESS),
            "latest": [3.0, 4.0, 2.5, 3.5],
            "first": [2.0, 3.0, 2.0, 3.0],
            "peers": [float("nan")] * 4,
            "peer_count": [0] * 4,
            "latest_year": [2025] * 4,
            "first_year": [2022] * 4,
        }
    )
    fig = charts.readiness_radar(table, indicators, "fr")
    assert fig.layout.polar.radialaxis.angle == 45
    assert fig.layout.polar.angularaxis.rotation == 90


def test_contract_charts() -> None:
    from metrics.domain import outcomes
    from tests.test_outcomes import TERMS

    table = pd.DataFrame(
        {
            "period": ["2023", "2024", "2024"],
            "cohort": ["C1", "C1", ""],
            "value": [95.0, 90.0, 92.0],
            "improvement": [0.05, 0.1, 0.08],
        }
    )
    fig = charts.contract_results(table, 10.0, 7.5, "fr")
    assert sorted(t.name for t in fig.data) == ["C1", "ensemble des cohortes"]
    assert sorted(shape.y0 for shape in fig.layout.shapes) == [7.5, 10.0]
    curve = outcomes.sensitivity(TERMS, {}, [0.0, 5.0, 7.5, 10.0])
    sensitivity = charts.sensitivity_chart(curve, "EUR", 8.0, 7.5, "en")
    assert list(sensitivity.data[0].y) == [0.0, 0.0, 75.0, 100.0]
    assert sensitivity.layout.yaxis.title.text == "Payments (EUR)"
    # The threshold's and the result's labels above the plot, on the sides away from each
    # other (inside, they crossed the curves and the axis).
    labels = {a.text: a for a in sensitivity.layout.annotations}
    threshold = next(a for text, a in labels.items() if "7.5" in text)
    achieved = next(a for text, a in labels.items() if "achieved: 8%" in text)
    assert threshold.yref == achieved.yref == "paper" and threshold.y == achieved.y == 1
    assert (threshold.xanchor, achieved.xanchor) == ("right", "left")


def test_no_trace_carries_more_than_the_point_limit_and_the_chart_says_so() -> None:
    """A line of 120,000 points is thinned to one in three (40,000), hover texts alike; the
    chart says how many of how many are drawn; a short line is left whole."""
    years = list(range(120_000))
    frame = pd.DataFrame({"alliance": "A", "year": years, "value": [float(y) for y in years]})
    frame = pd.concat([frame, pd.DataFrame({"alliance": "B", "year": [1, 2], "value": [1.0, 2.0]})])
    fig = charts.comparison_lines(frame, "Titre", "axe", "fr")
    long, short = sorted(fig.data, key=lambda tr: -len(tr.x))
    assert len(long.x) == len(long.y) == 40_000 <= charts.MAX_POINTS
    assert [str(x) for x in long.x[:3]] == ["0", "3", "6"]
    assert len(long.hovertext) == 40_000
    assert len(short.x) == 2
    notes = [a.text for a in fig.layout.annotations]
    assert any("40\u202f000 points tracés sur 120\u202f000" in n for n in notes), notes


def test_many_alliances_on_one_line_chart_are_two_traces() -> None:
    """Up to MANY_LINES alliances get a line and a legend entry each; beyond, the others are
    one grey trace with a gap between alliances, and the chosen one stands out."""
    few = pd.DataFrame(
        {"alliance": ["A", "A", "B"], "year": [2024, 2025, 2025], "value": [1.0, 2.0, 3.0]}
    )
    assert [tr.name for tr in charts.comparison_lines(few, "T", "a", "en").data] == ["A", "B"]
    names = [f"Alliance {n:02d}" for n in range(30)]
    many = pd.DataFrame(
        {
            "alliance": [n for n in names for _ in (0, 1)],
            "year": [2024, 2025] * 30,
            "value": [float(i) for i in range(60)],
        }
    )
    fig = charts.comparison_lines(many, "T", "a", "fr", highlight="Alliance 07")
    others, chosen = fig.data
    assert others.name == "les 29 autres alliances" and chosen.name == "Alliance 07"
    assert len(others.x) == 29 * 3 and list(others.x[:3]) == ["2024", "2025", None]
    # A gap is NaN among the values (plotly.js breaks the line there, as at a null).
    assert list(chosen.y[:2]) == [14.0, 15.0] and math.isnan(chosen.y[2])
    assert chosen.line.width == 4
    # The hover names each alliance; plotly writes the value with the French separators.
    assert list(others.customdata[:3]) == ["Alliance 00", "Alliance 00", None]
    assert "%{customdata}" in others.hovertemplate and "%{y:,.2~f}" in others.hovertemplate
    assert fig.layout.separators == ",\u202f"


def test_a_long_ranking_draws_the_first_ranks_and_the_chosen_alliance() -> None:
    ranked = pd.DataFrame(
        {
            "rank": list(range(1, 201)),
            "alliance": [f"Alliance {n:03d}" for n in range(1, 201)],
            "value": [float(200 - n) for n in range(200)],
            "raw": [1.0] * 200,
            "completeness": [1.0] * 200,
            "badge": ["high"] * 200,
        }
    )
    bars = charts.ranking_bars(ranked, "Classement", "x", "fr", highlight="Alliance 087")
    labels = list(bars.data[0].y)
    assert len(labels) == charts.MAX_BARS + 1
    assert labels[0] == "87. Alliance 087" and labels[-1] == "1. Alliance 001"
    assert bars.layout.title.subtitle.text == "les 25 premières sur 200 (et l'alliance choisie)"
    among_first = charts.ranking_bars(ranked, "C", "x", "en", highlight="Alliance 003")
    assert len(among_first.data[0].y) == charts.MAX_BARS


def test_contract_results_are_labelled_while_they_fit() -> None:
    few = pd.DataFrame(
        {"period": ["2014", "2017"], "cohort": ["", ""], "improvement": [0.084, 0.09]}
    )
    many = pd.DataFrame(
        {
            "period": [f"{y}-{m:02d}" for y in range(2015, 2017) for m in range(1, 13)],
            "cohort": [""] * 24,
            "improvement": [0.01 * n for n in range(24)],
        }
    )
    labelled = charts.contract_results(few, 10, 7.5, "fr").data[0]
    assert labelled.mode == "lines+markers+text" and labelled.text[0] == "8,4\u202f%"
    crowded = charts.contract_results(many, 10, 7.5, "fr").data[0]
    assert crowded.mode == "lines+markers" and crowded.text[1] == "1\u202f%"  # in the hover


def test_due_and_paid_by_quarter_and_investors_flows() -> None:
    due = pd.DataFrame(
        {
            "period": [dt.date(2024, 3, 31), dt.date(2024, 3, 31), dt.date(2024, 6, 30)],
            "outcome": ["emploi", "formation", "emploi"],
            "amount": [1000.0, 500.0, 2000.0],
        }
    )
    paid = pd.DataFrame({"date": [dt.date(2024, 5, 15)], "amount": [1200.0]})
    fig = charts.due_and_paid(due, paid, "EUR", "fr")
    bars = [t for t in fig.data if t.type == "bar"]
    assert [list(b.x) for b in bars] == [["T1 2024", "T2 2024"]] * 2
    assert list(bars[0].y) == [1000.0, 2000.0] and list(bars[1].y) == [500.0, 0.0]
    lines = {t.name: list(t.y) for t in fig.data if t.type == "scatter"}
    assert lines == {"dû à date": [1500.0, 3500.0], "payé à date": [0.0, 1200.0]}
    assert fig.layout.yaxis2.title.text == "À date (EUR)"
    by_payer = due.assign(payer=["État", "État", "Fonds"])
    fig = charts.due_and_paid(by_payer, paid, "EUR", "fr", by="payer")
    assert [b.name for b in fig.data if b.type == "bar"] == ["État", "Fonds"]
    assert "par payeur" in fig.layout.title.text
    nothing = charts.due_and_paid(due.assign(amount=0.0), paid, "EUR", "en")
    assert "Nothing is due" in nothing.layout.annotations[0].text
    flows = pd.DataFrame(
        {
            "investor": ["Banque", "Banque", "Garant"],
            "amount": [-300.0, 150.0, -150.0],
        }
    )
    fig = charts.investor_flows(flows, "EUR", "en")
    assert [list(t.y) for t in fig.data] == [[300.0, 150.0], [150.0, 0.0]]


def test_tranche_waterfall_and_rate_card_sensitivity() -> None:
    flows = pd.DataFrame(
        {
            "investor": ["Banque", "Fonds", "Garant", "Banque", "Banque"],
            "tranche": ["senior", "subordinate", "senior", "senior", "senior"],
            "kind": ["loan", "equity", "guarantee", "loan", "loan"],
            "flow": ["draw", "draw", "guarantee", "distribution", "guarantee"],
            "amount": [-300.0, -100.0, -100.0, 120.0, 100.0],
        }
    )
    fig = charts.tranche_waterfall(flows, "EUR", "fr")
    parts = {t.name: list(t.y) for t in fig.data}
    # senior: 300 drawn, 120 back, 100 covered (the guarantor's own flow is no tranche's), 80
    # lost; subordinate: 100 drawn, all lost
    assert parts == {
        "revenu des paiements": [120.0, 0.0],
        "couvert par la garantie": [100.0, 0.0],
        "perdu": [80.0, 100.0],
    }
    curve = pd.DataFrame(
        {
            "factor": [0.0, 1.0],
            "payments": [0.0, 10.0],
            "senior": [None, 0.05],
            "subordinate": [None, None],
        }
    )
    fig = charts.rate_card_sensitivity(curve, "EUR", "en")
    assert list(fig.data[0].x) == [0.0, 100.0]
    assert list(fig.data[1].y) == [None, 5.0]  # the senior IRR in %


def test_a_value_to_check_is_ringed_with_why_in_its_hover(
    progressed: pd.DataFrame, indicators: pd.DataFrame
) -> None:
    periods = sorted(set(progressed["period"]))  # 2023, 2024
    flags = pd.DataFrame(
        {
            "alliance": [A, A],
            "indicator": ["unemployment_rate", "jobs_created"],
            "stakeholder": ["", ""],
            "granularity": ["quarter", "year"],
            "period": ["2024-Q2", "2024"],
            "value": [55.0, 3.0],
            "reason": ["scale", "rule"],
            "params": [
                {"median": 5.5, "history": 4, "factor": 10.0},
                {
                    "operator": "<",
                    "right": "back_to_work",
                    "factor": 1.0,
                    "left_value": 3.0,
                    "right_value": 2.0,
                },
            ],
            "view_period": [periods[1], periods[1]],
        }
    )
    for lang, hover, rule in (
        ("fr", "À vérifier (T2 2024) : 10 fois la médiane des 4 valeurs", "Règle non respectée"),
        ("en", "To check (Q2 2024): 10 times the median of the 4 values", "Rule broken"),
    ):
        fig = charts.indicator_grid(progressed, indicators, "year", lang, flags=flags)
        jobs, rate = [t for t in fig.data if t.marker.symbol == "circle-open"]
        assert rate.marker.color == charts.common.FLAG
        assert list(rate.x) == [periods[1]] and list(rate.y) == [12.0]
        assert hover in rate.hovertext[0].replace("<br>", " ")
        # the operator of a rule is escaped in the hover, as every text is
        said = jobs.hovertext[0].replace("<br>", " ")
        assert rule in said and " &lt; " in said
