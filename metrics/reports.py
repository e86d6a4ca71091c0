"""What a page shows, assembled once: the page renders it and ``python -m metrics`` prints it, so
that the two cannot disagree.

Pure functions over frames from the store (no Streamlit, no database).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from metrics import impact, outcomes


@dataclass(frozen=True)
class Contract:
    """One outcome contract settled on its latest measured results."""

    terms: outcomes.Terms
    results: pd.DataFrame  # ``outcomes.results``: per period and cohort, value and improvement
    cohorts: dict[str, float]  # each cohort's latest value
    settlement: outcomes.Settlement

    def as_dict(self) -> dict[str, Any]:
        """The settlement and every measured result, as the command line prints them."""
        document = self.settlement.as_dict()
        document["results"] = [
            {
                "period": r["period"],
                "cohort": r["cohort"] or None,
                "value": r["value"],
                "improvement": r["improvement"],
            }
            for r in self.results.to_dict("records")
        ]
        return document


def contract(
    row: Mapping[Any, Any], indicators: pd.DataFrame, observations: pd.DataFrame
) -> Contract:
    """``row``: a row of ``Store.contracts``; ``indicators``: ``Store.indicators`` (the
    outcome's direction, up or down, is its indicator's); ``observations``: current values
    holding the contract's alliance."""
    direction = str(indicators.set_index("code").at[row["indicator"], "direction"])
    terms = outcomes.Terms.from_row(row, direction)
    table = outcomes.results(observations, terms)
    cohorts, overall = outcomes.latest(table)
    return Contract(terms, table, cohorts, outcomes.settle(terms, cohorts, overall))


@dataclass(frozen=True)
class Card:
    """A dimension's score at the period shown, its change since the period before, and how
    many of its indicators with a target it is over."""

    dimension: str
    score: float  # NaN: no score
    change: float  # NaN: no earlier score
    period: str | None
    previous_period: str | None
    n: int
    total: int


@dataclass(frozen=True)
class Change:
    """What an indicator did between the period before and the period shown, by rule:
    ``rose``, ``fell``, ``reached`` (its target), ``missing`` (a value before, none now),
    ``partial`` (the value now is a partial sum)."""

    indicator: str
    kind: str
    before: float | None
    now: float | None


@dataclass(frozen=True)
class Dashboard:
    """An alliance's dashboard by year up to ``period``, as the pack and the command line
    show it."""

    alliance: dict[str, Any]
    period: str  # the year shown, canonical
    progressed: pd.DataFrame  # impact.with_progress, up to the period
    scores: pd.DataFrame  # impact.dimension_scores, up to the period
    cards: list[Card]
    changes: list[Change]
    completeness: pd.DataFrame  # impact.completeness, every year up to the period


def dashboard(
    values: pd.DataFrame,
    targets: pd.DataFrame,
    alliance: Mapping[str, Any],
    year: int,
    today: dt.date,
) -> Dashboard:
    """``values``: ``Store.aggregated(alliance, "year", level="alliance")``; ``targets``: the
    alliance's; ``alliance``: its row of ``Store.alliances``."""
    name = str(alliance["name"])
    shown = values[pd.to_datetime(values["bucket"]).dt.year <= year]
    progressed = impact.with_progress(shown, targets, "year")
    scores = impact.dimension_scores(progressed)
    cards = [
        Card(
            dimension=str(row["dimension"]),
            score=float(row["score"]),
            change=float(row["change"]),
            period=row["period"] if isinstance(row["period"], str) else None,
            previous_period=row["previous_period"]
            if isinstance(row["previous_period"], str)
            else None,
            n=int(row["n"]),
            total=int(row["total"]),
        )
        for row in impact.scorecard(scores, name).to_dict("records")
    ]
    first = pd.to_datetime(shown["bucket"]).dt.year.min() if len(shown) else year
    years = list(range(int(first), year + 1))
    return Dashboard(
        alliance=dict(alliance),
        period=str(year),
        progressed=progressed,
        scores=scores,
        cards=cards,
        changes=changes(progressed, year, today),
        completeness=impact.completeness(shown, years, today),
    )


def changes(progressed: pd.DataFrame, year: int, today: dt.date) -> list[Change]:
    """By rule, never by invented text: for each indicator, ``reached`` when its progress
    crossed 100 % since the year before; else ``rose`` or ``fell`` when both years have a
    complete value that differs; ``missing`` when the year before had a value and this one,
    over, has none; ``partial`` when this year's value is a partial sum. Indicators in code
    order."""
    found: list[Change] = []
    frame = progressed.assign(year=pd.to_datetime(progressed["bucket"]).dt.year)
    for code, group in frame.groupby("indicator", sort=True):
        rows: dict[Any, Any] = group.set_index("year").to_dict("index")
        now, before = rows.get(year), rows.get(year - 1)
        if now is None:
            if before is not None and dt.date(year, 12, 31) < today:  # else: not due yet
                found.append(Change(str(code), "missing", float(before["value"]), None))
            continue
        if bool(now["partial"]):
            found.append(Change(str(code), "partial", _value(before), float(now["value"])))
            continue
        if before is None or bool(before["partial"]):
            continue
        was, is_ = float(before["value"]), float(now["value"])
        reached = bool(pd.notna(now["progress"]) and now["progress"] >= 1)
        if reached and not bool(pd.notna(before["progress"]) and before["progress"] >= 1):
            found.append(Change(str(code), "reached", was, is_))
        elif is_ != was:
            found.append(Change(str(code), "rose" if is_ > was else "fell", was, is_))
    return found


def _value(row: Mapping[str, Any] | None) -> float | None:
    return None if row is None else float(row["value"])
