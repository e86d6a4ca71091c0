"""Cached reads, page models and charts, shared by every session: keyed by the database (and its
data version), by what the account may read (its ``Scope``, not the account: a steering
committee of twenty looking at its alliance shares one computation) and by their arguments;
registered in one place so that ``data_changed()`` clears every one of them after a write.

A read is declared with ``@cached(max_entries)`` (a copy for each caller: ``st.cache_data``),
what is shared as it is (a page's model, a figure: never changed once made) with
``@shared(max_entries)`` (``st.cache_resource``); never with Streamlit's decorators themselves
(a test says so): the registry is what ``data_changed`` clears.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import pandas as pd
import streamlit as st
from streamlit.runtime.caching.cache_utils import CachedFunc

from metrics.base import clock
from metrics.base.access import Scope
from metrics.domain import compare, finance, outcomes
from metrics.presentation import pack
from metrics.usecases import auth, plausibility
from ui.database import VERSION_KEY, Data, db
from ui.language import lang
from ui.session import scope as reader

CACHE_TTL = 600
P = ParamSpec("P")
R = TypeVar("R")
REGISTERED: list[CachedFunc[Any, Any]] = []


def cached(max_entries: int) -> Callable[[Callable[P, R]], CachedFunc[P, R]]:
    """``st.cache_data`` as reads use it (ten minutes at most, ``max_entries`` results kept,
    no spinner), registered for ``data_changed``."""

    def register(read: Callable[P, R]) -> CachedFunc[P, R]:
        wrapped = st.cache_data(ttl=CACHE_TTL, max_entries=max_entries, show_spinner=False)(read)
        REGISTERED.append(wrapped)
        return wrapped

    return register


def _named(function: Callable[..., Any]) -> str:
    """A function among a cached call's arguments (a chart's builder), known by its name."""
    return f"{function.__module__}.{function.__qualname__}"


def shared(max_entries: int) -> Callable[[Callable[P, R]], CachedFunc[P, R]]:
    """``st.cache_resource`` as page models and figures use it: one object for every session
    that asks with the same arguments (not copied: never changed once made), ten minutes at
    most, ``max_entries`` kept; a function among the arguments is known by its name;
    registered for ``data_changed``."""

    def register(compute: Callable[P, R]) -> CachedFunc[P, R]:
        wrapped = st.cache_resource(
            ttl=CACHE_TTL,
            max_entries=max_entries,
            show_spinner=False,
            hash_funcs={types.FunctionType: _named},
        )(compute)
        REGISTERED.append(wrapped)
        return wrapped

    return register


def data_changed() -> None:
    """Call after any write: every cached read may be stale, and so is this run's version."""
    st.session_state.pop(VERSION_KEY, None)
    for read in REGISTERED:
        read.clear()


@cached(max_entries=8)
def installation(db: Data) -> str | None:
    """``demo`` or ``production`` (set once, when the database is made): asked once."""
    return db.store.setting(auth.INSTALLATION)


def is_demo() -> bool:
    return installation(db()) == "demo"


# -- the store's reads -----------------------------------------------------------------------


@cached(max_entries=32)
def alliances(db: Data, scope: Scope) -> pd.DataFrame:
    return db.store.alliances(scope)


@cached(max_entries=32)
def uploads(db: Data, scope: Scope) -> pd.DataFrame:
    return db.store.uploads(scope)


@cached(max_entries=32)
def observations(
    db: Data, scope: Scope, alliance: str | None = None, as_of: int | None = None
) -> pd.DataFrame:
    return db.store.observations(scope, alliance, as_of)


@cached(max_entries=32)
def alliance_observations(db: Data, scope: Scope, alliance: str) -> pd.DataFrame:
    return db.store.observations(scope, alliance)


@cached(max_entries=8)
def indicators(db: Data, scope: Scope) -> pd.DataFrame:
    return db.store.indicators(scope)


@cached(max_entries=64)
def aggregated(
    db: Data,
    scope: Scope,
    alliance: str | None,
    granularity: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    level: str = "alliance",
    indicators: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    codes = list(indicators) if indicators is not None else None
    return db.store.aggregated(scope, alliance, granularity, start, end, level, codes)


@cached(max_entries=32)
def targets(db: Data, scope: Scope, alliance: str | None = None) -> pd.DataFrame:
    return db.store.targets(scope, alliance)


@cached(max_entries=32)
def stakeholders(db: Data, scope: Scope, alliance: str | None = None) -> pd.DataFrame:
    return db.store.stakeholders(scope, alliance)


@cached(max_entries=32)
def notes(db: Data, scope: Scope, alliance: str) -> pd.DataFrame:
    return db.store.notes(scope, alliance)


@cached(max_entries=32)
def rules(db: Data, scope: Scope, alliance: str) -> pd.DataFrame:
    return db.store.rules(scope, alliance)


@cached(max_entries=32)
def indicator_flags(db: Data, scope: Scope, indicator: str) -> pd.DataFrame:
    return plausibility.indicator_flags(db.store, scope, indicator)


@cached(max_entries=32)
def flag_checks(db: Data, scope: Scope, alliance: str) -> pd.DataFrame:
    return db.store.flag_checks(scope, alliance)


@cached(max_entries=8)
def last_updates(db: Data, scope: Scope) -> pd.Series:
    return db.store.last_updates(scope)


@cached(max_entries=8)
def dimension_scores(db: Data, scope: Scope) -> pd.DataFrame:
    """Yearly dimension scores of every alliance (``Store.dimension_scores``)."""
    return db.store.dimension_scores(scope)


@cached(max_entries=8)
def reported(db: Data, scope: Scope) -> pd.DataFrame:
    """Which indicators each alliance has yearly values of (``Store.reported``)."""
    return db.store.reported(scope)


@cached(max_entries=8)
def completeness(db: Data, scope: Scope) -> pd.DataFrame:
    """Completeness by year of every alliance (``Store.completeness_by_year``)."""
    return db.store.completeness_by_year(scope)


@cached(max_entries=32)
def replications(db: Data, scope: Scope, alliance: str | None = None) -> pd.DataFrame:
    return db.store.replications(scope, alliance)


@cached(max_entries=8)
def contracts(db: Data, scope: Scope) -> pd.DataFrame:
    return db.store.contracts(scope)


@cached(max_entries=8)
def contract_rows(db: Data, scope: Scope) -> dict[str, pd.DataFrame]:
    """The contracts' rate cards, payers, investments and payments (``Store.contract_rows``)."""
    return db.store.contract_sheets(scope)


@cached(max_entries=32)
def peer_medians(db: Data, scope: Scope, alliance: str, codes: tuple[str, ...]) -> pd.DataFrame:
    return db.store.peer_medians(scope, alliance, list(codes))


def indicator_labels() -> dict[str, str]:
    """Indicator code -> its label in the session's language."""
    frame = indicators(db(), reader())
    return dict(zip(frame["code"], frame[f"label_{lang()}"], strict=True))


# -- what the pages compute from them, once per data version ---------------------------------


@cached(max_entries=8)
def portfolio(db: Data, scope: Scope, year: int) -> pd.DataFrame:
    """The portfolio table (``compare.portfolio``, one row per alliance): computed once per data
    version, not at every filter change."""
    return compare.portfolio(
        dimension_scores(db, scope),
        completeness(db, scope),
        alliances(db, scope),
        last_updates(db, scope),
        year,
    )


@cached(max_entries=8)
def quality(db: Data, scope: Scope, today: dt.date) -> pd.DataFrame:
    """Per alliance, its values flagged, checked and still to check, and its periods due
    that came late or not at all (``plausibility.by_alliance``): once per data version."""
    return plausibility.by_alliance(db.store, scope, today)


@cached(max_entries=8)
def pack_files(db: Data, scope: Scope, alliance: str, year: int, lang: str) -> dict[str, bytes]:
    """The steering committee's pack as PDF and slides (``pack.build_all``), once per data
    version (a note is a new version)."""
    return pack.build_all(db.store, scope, alliance, year, lang)


@cached(max_entries=8)
def portfolio_pdf(db: Data, scope: Scope, names: tuple[str, ...], lang: str) -> bytes:
    """The funders' one-pager of the alliances ``names`` (the portfolio page's rows)."""
    table = portfolio(db, scope, clock.today().year)
    shown = table[table["alliance"].isin(names)]
    return pack.portfolio_pdf(shown, None, lang, clock.today())


@cached(max_entries=8)
def rate_card_curve(
    db: Data,
    scope: Scope,
    contract: str,
    factors: tuple[float, ...],
    _terms: outcomes.Terms,
    _card: finance.RateCard,
) -> pd.DataFrame:
    """``finance.sensitivity`` of a rate-card contract (a quarter of a second for 41
    scenarios), once per data version, not at each move of the what-if slider; ``_terms``
    and ``_card`` are those of ``contract`` (not part of the key)."""
    return finance.sensitivity(_terms, _card, list(factors))


@cached(max_entries=8)
def improvement_curve(
    db: Data,
    scope: Scope,
    contract: str,
    gains: tuple[float, ...],
    _terms: outcomes.Terms,
    _cohorts: dict[str, float],
    _results: pd.DataFrame,
    _draws: list[outcomes.Draw],
) -> pd.DataFrame:
    """``finance.improvement_sensitivity`` of a contract paid on one improvement, once per
    data version, the IRR at every fifth gain (each runs the tranches: 3 ms); the arguments
    after ``gains`` are those of ``contract`` (not part of the key)."""
    return finance.improvement_sensitivity(_terms, _cohorts, _results, _draws, list(gains), every=5)
