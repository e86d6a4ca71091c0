"""What the pages of one alliance show, computed once for everyone who reads the same: each page's
model and figures, keyed by the database and its data version, the reader's scope, the page's
choices (the alliance, the granularity, the years, an indicator) and the language.

A steering committee opening its dashboard together shares one computation: the first run
computes, the others (and every later run until the data changes) are shown the same objects
(``reads.shared``: never changed once made). An alliance's pages are keyed by what they are
computed from, never by the figures' own data (hashing an alliance's values at every run would
cost a third of what drawing them does); a page that compares a few alliances on many choices
(the comparison) keys its figures by their small inputs instead (``figure``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

import pandas as pd
import plotly.graph_objects as go

from metrics.base import catalog
from metrics.base.access import Scope
from metrics.domain import impact
from metrics.presentation import barometer as shown_wave
from metrics.presentation import charts
from metrics.usecases import barometer, plausibility, reports
from ui.database import Data
from ui.reads import (
    aggregated,
    alliance_observations,
    flag_checks,
    indicators,
    notes,
    rules,
    shared,
    stakeholders,
    targets,
)

# The trust page's indicators: the prerequisites and trust, then citizen participation.
TRUST = (*catalog.PREREQUISITES, "partner_trust")
PARTICIPATION = (
    "forum_contributions",
    "crowdfunding_backers",
    "crowdfunding_amount",
    "volunteer_hours",
)


class Shown(NamedTuple):
    """What a page of one alliance shows: the alliance, the granularity and the years."""

    alliance: str
    granularity: str
    start: dt.date
    end: dt.date


@shared(max_entries=64)
def figure(draw: Callable[..., go.Figure], *inputs: Any, **options: Any) -> go.Figure:
    """The figure ``draw(*inputs, **options)`` (a builder of ``metrics.presentation.charts``),
    drawn once for every session that asks for the same chart of the same inputs, hashed by
    content: for figures of small inputs (a few alliances' yearly values), with many choices
    behind them."""
    return draw(*inputs, **options)


@shared(max_entries=32)
def dashboard(db: Data, scope: Scope, shown: Shown, today: dt.date) -> reports.Page:
    """The dashboard's model (``reports.page``: cards, progress, completeness, notes in view)
    of the alliance ``shown``, as the pack and the command line have it."""
    alliance, granularity, start, end = shown
    return reports.page(
        aggregated(db, scope, alliance, granularity, start, end),
        aggregated(db, scope, alliance, "year", start, end),
        targets(db, scope, alliance),
        alliance,
        granularity,
        list(range(start.year, end.year + 1)),
        today,
        notes(db, scope, alliance),
        alliance_observations(db, scope, alliance),
        plausibility.in_view_of(to_check(db, scope, alliance), granularity),
    )


@shared(max_entries=32)
def to_check(db: Data, scope: Scope, alliance: str) -> pd.DataFrame:
    """The values of ``alliance`` to check (``plausibility.of_values``), with the decisions on
    them (``checked``…), those still open first."""
    found = plausibility.with_checks(
        plausibility.of_values(
            alliance_observations(db, scope, alliance),
            rules(db, scope, alliance),
            indicators(db, scope),
        ),
        flag_checks(db, scope, alliance),
    )
    return found.sort_values(["checked", "indicator", "period"], kind="stable").reset_index(
        drop=True
    )


@shared(max_entries=64)
def dashboard_chart(
    db: Data, scope: Scope, shown: Shown, today: dt.date, lang: str, chart: str
) -> go.Figure:
    """A figure of the dashboard: ``scores`` (the dimensions over time), ``completeness``, or a
    dimension's name (its indicators' small multiples)."""
    granularity = shown.granularity
    view = dashboard(db, scope, shown, today)
    catalogue = indicators(db, scope)
    if chart == "scores":
        return charts.scores_over_time(view.scores, granularity, lang)
    if chart == "completeness":
        return charts.completeness_heatmap(view.completeness, catalogue, lang)
    part = view.progressed[view.progressed["dimension"] == chart]
    return charts.indicator_grid(
        part,
        catalogue,
        granularity,
        lang,
        notes=view.notes,
        comments=view.comments,
        flags=view.flags[~view.flags["checked"]] if len(view.flags) else None,
    )


@shared(max_entries=64)
def trust_chart(db: Data, scope: Scope, shown: Shown, lang: str, chart: str) -> go.Figure:
    """A figure of the trust page: ``prerequisites`` over time, the ``radar`` of the last two
    periods, the ``gap`` between types of partner, citizen ``participation``."""
    alliance, granularity, start, end = shown
    values = aggregated(db, scope, alliance, granularity, start, end)
    catalogue = indicators(db, scope)
    scores = values[values["indicator"].isin(TRUST)]
    if chart == "prerequisites":
        return charts.prerequisites_lines(scores, catalogue, granularity, lang)
    if chart == "radar":
        latest, previous = impact.latest_two(scores)
        return charts.radar(latest, previous, catalogue, granularity, lang)
    if chart == "gap":
        owners = aggregated(db, scope, alliance, granularity, start, end, "stakeholder")
        by_type = impact.by_stakeholder_type(owners)
        return charts.type_gap_bars(by_type, catalogue, granularity, lang)
    participation = impact.with_progress(
        values[values["indicator"].isin(PARTICIPATION)],
        targets(db, scope, alliance),
        granularity,
    )
    return charts.indicator_grid(
        participation,
        catalogue,
        granularity,
        lang,
        columns=2,
        notes=reports.notes_in_view(notes(db, scope, alliance), granularity),
        comments=reports.comments_in_view(alliance_observations(db, scope, alliance), granularity),
        title="chart.participation_title",
    )


@shared(max_entries=32)
def reporting(db: Data, scope: Scope, alliance: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """How many values each partner of ``alliance`` reported each year of ``start``..``end``
    (``impact.reporting``)."""
    raw = alliance_observations(db, scope, alliance)
    raw = raw[(raw["period_start"] >= str(start)) & (raw["period_end"] <= str(end))]
    partners = stakeholders(db, scope, alliance)
    return impact.reporting(raw, partners, list(range(start.year, end.year + 1)))


@shared(max_entries=32)
def partners_performance(db: Data, scope: Scope, shown: Shown) -> list[str]:
    """The performance indicators that partners of the alliance ``shown`` reported values of."""
    values = aggregated(db, scope, *shown, "stakeholder")
    owned = values[(values["stakeholder"] != "") & (values["dimension"] == "performance")]
    return sorted(set(owned["indicator"]))


@shared(max_entries=64)
def stakeholders_chart(
    db: Data, scope: Scope, shown: Shown, lang: str, chart: str, code: str | None = None
) -> go.Figure:
    """A figure of the partners page: the ``lines`` and ``types`` of indicator ``code`` by
    partner, the ``changes`` of every partner, the ``reporting`` of each."""
    alliance, granularity, start, end = shown
    if chart == "reporting":
        return charts.reporting_heatmap(reporting(db, scope, alliance, start, end), lang)
    values = aggregated(db, scope, alliance, granularity, start, end, "stakeholder")
    catalogue = indicators(db, scope)
    owned = values[values["stakeholder"] != ""]
    if chart == "changes":
        changes = impact.stakeholder_changes(owned[owned["dimension"] == "performance"])
        return charts.change_heatmap(changes, catalogue, lang)
    indicator = catalogue.set_index("code").loc[code].copy()
    indicator["code"] = code
    mine = values[values["indicator"] == code]
    if chart == "lines":
        return charts.stakeholder_lines(mine, indicator, granularity, lang)
    return charts.type_bars(impact.by_stakeholder_type(mine), indicator, granularity, lang)


class Wave(NamedTuple):
    """A barometer wave of an alliance as a page shows it: the alliance, its period (``None``:
    every wave), the survey tables' version (answers come without an upload, which the data
    version would see) and the day (a wave stays open until its closing date)."""

    alliance: str
    period: str | None
    answers: tuple[int, ...]
    today: dt.date


@shared(max_entries=32)
def survey_waves(db: Data, scope: Scope, wave: Wave) -> pd.DataFrame:
    """The waves of ``wave.alliance`` that ``scope`` reads (``Surveys.waves``)."""
    return db.store.surveys.waves(scope, wave.alliance)


@shared(max_entries=32)
def survey_results(db: Data, scope: Scope, wave: Wave) -> dict[str, Any]:
    """The results of ``wave`` as ``scope`` reads them (``barometer.results``)."""
    return barometer.results(db.store, scope, wave.alliance, str(wave.period))


@shared(max_entries=64)
def survey_chart(db: Data, scope: Scope, wave: Wave, lang: str, chart: str) -> go.Figure:
    """A figure of the trust page's barometer: the ``response`` per type, the ``spread`` of
    each item's answers, the ``types`` means."""
    result = survey_results(db, scope, wave)
    if chart == "response":
        return charts.response_bars(result, lang)
    labels = shown_wave.item_labels(int(result["version"]), lang)
    if chart == "spread":
        return charts.answer_spread(result, labels, lang)
    return charts.type_means(result, labels, lang)
