"""What a page shows, assembled once: the page renders it and ``python -m metrics`` prints it, so
that the two cannot disagree.

Pure functions over frames from the store (no Streamlit, no database).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from metrics.base import catalog
from metrics.base.periods import Period, from_canonical
from metrics.domain import impact

# Granularities from the finest: a period falls in one view period when it is no coarser.
FINEST_FIRST = ("day", "month", "quarter", "year")


def contract_choices(contracts: pd.DataFrame) -> dict[str, int]:
    """How a list of contracts (``Store.contracts``) names each of them, to its position: by
    its name, followed by its alliance's where two alliances name theirs alike.

    >>> frame = pd.DataFrame({"contract": ["Lille", "Lille", "SIB"], "alliance": ["A", "B", "A"]})
    >>> contract_choices(frame)
    {'Lille (A)': 0, 'Lille (B)': 1, 'SIB': 2}
    """
    names = contracts["contract"].str.casefold()
    shared = names.duplicated(keep=False)
    return {
        f"{name} ({alliance})" if twice else str(name): position
        for position, (name, alliance, twice) in enumerate(
            zip(contracts["contract"], contracts["alliance"], shared, strict=True)
        )
    }


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
    # The stakeholders' balance: impact.stakeholder_changes of the performance indicators
    balance: pd.DataFrame = field(default_factory=pd.DataFrame)
    trust: pd.DataFrame = field(default_factory=pd.DataFrame)  # the prerequisites, by year
    notes: pd.DataFrame = field(default_factory=pd.DataFrame)  # Store.notes, newest first


@dataclass(frozen=True)
class Page:
    """The dashboard page for one alliance at one granularity over a range of years: what the
    page draws (the pack's ``Dashboard`` is built on it, by year)."""

    progressed: pd.DataFrame  # impact.with_progress at the granularity
    scores: pd.DataFrame  # impact.dimension_scores
    cards: list[Card]
    # Dimensions with no score at this granularity that have one by year (their values or
    # targets are yearly): the page offers to see them by year.
    yearly_only: frozenset[str]
    completeness: pd.DataFrame  # impact.completeness by year
    counts: dict[str, int]  # completeness: missing, partial, pending years
    notes: pd.DataFrame  # notes_in_view: the committee's notes drawn on the charts
    comments: pd.DataFrame  # comments_in_view: the comments imported with the values
    # the values to check (``plausibility.in_view_of``), marked on the charts and listed
    flags: pd.DataFrame = field(default_factory=pd.DataFrame)


def page(
    values: pd.DataFrame,
    yearly: pd.DataFrame,
    targets: pd.DataFrame,
    alliance: str,
    granularity: str,
    years: list[int],
    today: dt.date,
    notes: pd.DataFrame | None = None,
    observations: pd.DataFrame | None = None,
    flags: pd.DataFrame | None = None,
) -> Page:
    """``values``: ``Store.aggregated`` at ``granularity``; ``yearly``: the same by year;
    ``targets``: the alliance's; ``years``: the years shown (for completeness); ``notes``:
    ``Store.notes``; ``observations``: the alliance's current values (for their comments);
    ``flags``: its values to check, in the view (``plausibility.in_view_of``)."""
    progressed = impact.with_progress(values, targets, granularity)
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
        for row in impact.scorecard(scores, alliance).to_dict("records")
    ]
    yearly_only: frozenset[str] = frozenset()
    if granularity != "year" and any(card.n == 0 for card in cards):
        by_year = impact.dimension_scores(impact.with_progress(yearly, targets, "year"))
        unscored = {card.dimension for card in cards if card.n == 0}
        yearly_only = frozenset(set(by_year["dimension"]) & unscored)  # a row: a score
    grid = impact.completeness(yearly, years, today)
    counts = {s: int((grid["status"] == s).sum()) for s in ("missing", "partial", "pending")}
    no_comments = pd.DataFrame(columns=["indicator", "period", "stakeholder", "comment"])
    return Page(
        progressed=progressed,
        scores=scores,
        cards=cards,
        yearly_only=yearly_only,
        completeness=grid,
        counts=counts,
        notes=notes_in_view(notes if notes is not None else pd.DataFrame(), granularity),
        comments=no_comments
        if observations is None
        else comments_in_view(observations, granularity),
        flags=flags if flags is not None else pd.DataFrame(),
    )


def dashboard(
    values: pd.DataFrame,
    targets: pd.DataFrame,
    alliance: Mapping[str, Any],
    year: int,
    today: dt.date,
    owners: pd.DataFrame | None = None,
    notes: pd.DataFrame | None = None,
) -> Dashboard:
    """The pack's dashboard: the page by year up to ``year``, with what changed since the year
    before, the stakeholders' balance, the trust barometer and the notes. ``values``:
    ``Store.aggregated(alliance, "year", level="alliance")``; ``targets``: the alliance's;
    ``alliance``: its row of ``Store.alliances``; ``owners``: the same values by stakeholder
    (``level="stakeholder"``), for the stakeholders' balance; ``notes``: ``Store.notes`` of
    the alliance (those on a period after ``year`` are left out)."""
    shown = values[pd.to_datetime(values["bucket"]).dt.year <= year]
    first = pd.to_datetime(shown["bucket"]).dt.year.min() if len(shown) else year
    years = list(range(int(first), year + 1))
    kept = _notes_until(notes, year)
    view = page(shown, shown, targets, str(alliance["name"]), "year", years, today, kept)
    return Dashboard(
        alliance=dict(alliance),
        period=str(year),
        progressed=view.progressed,
        scores=view.scores,
        cards=view.cards,
        changes=changes(view.progressed, year, today),
        completeness=view.completeness,
        balance=_balance(owners, year),
        trust=shown[shown["indicator"].isin([*catalog.PREREQUISITES, "partner_trust"])],
        notes=kept,
    )


def _balance(owners: pd.DataFrame | None, year: int) -> pd.DataFrame:
    """Each partner's change on the performance indicators, up to ``year``."""
    if owners is None or owners.empty:
        columns = ["stakeholder", "stakeholder_type", "indicator", "first", "last", "change"]
        return pd.DataFrame(columns=columns)
    mine = owners[
        (pd.to_datetime(owners["bucket"]).dt.year <= year)
        & (owners["dimension"] == "performance")
        & (owners["stakeholder"] != "")
    ]
    return impact.stakeholder_changes(mine)


def _notes_until(notes: pd.DataFrame | None, year: int) -> pd.DataFrame:
    """The notes of the pack of ``year``: those on no period or on a period that starts by
    the end of ``year``, newest first."""
    if notes is None or notes.empty:
        return pd.DataFrame(columns=["id", "indicator", "period", "kind", "body", "author_name"])
    starts = [
        from_canonical(p).start.year if isinstance(p, str) and p else None for p in notes["period"]
    ]
    kept = [s is None or s <= year for s in starts]
    return notes[kept].reset_index(drop=True)


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


def in_view(periods: pd.Series, granularity: str) -> pd.Series:
    """Each canonical period (``2024-05``, ``2024-Q2``, ``2024``…) as the period of the view
    (``granularity``) it falls in, canonical; None for a period coarser than the view (a year
    falls in no single quarter).

    >>> in_view(pd.Series(["2024-05", "2024-Q2", "2024", None]), "quarter").tolist()
    ['2024-Q2', '2024-Q2', None, None]
    """
    rank = FINEST_FIRST.index(granularity)
    months = {"year": 12, "quarter": 3, "month": 1}.get(granularity)

    def one(text: Any) -> str | None:
        if not isinstance(text, str) or not text:
            return None
        period = from_canonical(text)
        if FINEST_FIRST.index(period.granularity) > rank:
            return None
        start = period.start
        if months is not None:
            start = start.replace(month=(start.month - 1) // months * months + 1, day=1)
        return Period(start, granularity).canonical  # type: ignore[arg-type]

    mapped = {p: one(p) for p in periods.dropna().unique()}  # a rule per distinct period
    return pd.Series([mapped.get(p) for p in periods], index=periods.index, dtype=object)


def notes_in_view(notes: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """The notes that sit on one indicator and one period of the view: ``indicator``,
    ``period`` (the view's), ``kind``, ``body``, ``author_name``, ``created_at``, oldest
    first (the others are listed, not drawn)."""
    columns = ["indicator", "period", "kind", "body", "author_name", "created_at"]
    if notes.empty:
        return pd.DataFrame(columns=columns)
    shown = notes.assign(period=in_view(notes["period"], granularity))
    shown = shown[shown["indicator"].notna() & shown["period"].notna()]
    return shown.sort_values(["created_at"])[columns].reset_index(drop=True)


def comments_in_view(observations: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """The comments imported with the values (``Store.observations``), each on the period of
    the view its value falls in: ``indicator``, ``period``, ``stakeholder``, ``comment``."""
    columns = ["indicator", "period", "stakeholder", "comment"]
    said = observations[observations["comment"].fillna("").str.strip() != ""]
    if said.empty:
        return pd.DataFrame(columns=columns)
    said = said.assign(period=in_view(said["period"], granularity))
    return said[said["period"].notna()][columns].reset_index(drop=True)
