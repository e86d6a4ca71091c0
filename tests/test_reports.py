"""View-models: what a page shows is assembled once, and the command line prints the same."""

from __future__ import annotations

import pandas as pd

from metrics.storage.store import Store
from metrics.usecases import reports
from tests.conftest import ADMIN


def test_notes_and_comments_fall_in_the_views_periods() -> None:
    periods = pd.Series(["2024-05", "2024-Q2", "2024", "2024-05-31", None])
    assert reports.in_view(periods, "quarter").tolist() == [
        "2024-Q2",
        "2024-Q2",
        None,
        "2024-Q2",
        None,
    ]
    assert reports.in_view(periods, "year").tolist() == ["2024", "2024", "2024", "2024", None]
    assert reports.in_view(periods, "month").tolist() == ["2024-05", None, None, "2024-05", None]
    notes = pd.DataFrame(
        {
            "indicator": ["jobs_created", None, "jobs_created"],
            "period": ["2024-Q4", "2024", None],
            "kind": ["note", "decision", "note"],
            "body": ["a", "b", "c"],
            "author_name": ["X", "Y", "Z"],
            "created_at": pd.to_datetime(["2026-01-02", "2026-01-01", "2026-01-03"]),
        }
    )
    # Only a note on an indicator and a period can be drawn on a chart.
    drawn = reports.notes_in_view(notes, "month")
    assert drawn.empty
    drawn = reports.notes_in_view(notes, "year")
    assert drawn[["indicator", "period", "body"]].values.tolist() == [["jobs_created", "2024", "a"]]
    values = pd.DataFrame(
        {
            "indicator": ["a", "a", "b"],
            "period": ["2024-01", "2024-02", "2024"],
            "stakeholder": ["", "P", ""],
            "comment": ["  ", "provisoire", "estimé"],
        }
    )
    said = reports.comments_in_view(values, "quarter")
    assert said.values.tolist() == [["a", "2024-Q1", "P", "provisoire"]]  # blank: no comment


def test_the_dashboard_page_and_the_pack_read_the_same_cards(demo_store: Store) -> None:
    """By year, the page's view-model and the pack's give the same scorecard; by quarter, a
    dimension scored only by year is named as such."""
    import datetime as dt

    name = "Sambre Emploi Solidaire"
    yearly = demo_store.aggregated(ADMIN, name, "year", level="alliance")
    quarterly = demo_store.aggregated(ADMIN, name, "quarter", level="alliance")
    targets = demo_store.targets(ADMIN, name)
    today = dt.date(2026, 11, 28)
    years = sorted(set(pd.to_datetime(yearly["bucket"]).dt.year))
    by_year = reports.page(yearly, yearly, targets, name, "year", years, today)
    row = demo_store.alliances(ADMIN).set_index("name").loc[name].to_dict()
    pack = reports.dashboard(yearly, targets, {**row, "name": name}, years[-1], today)
    assert by_year.cards == pack.cards
    assert by_year.yearly_only == frozenset()
    grid = by_year.completeness
    assert by_year.counts == {
        s: int((grid["status"] == s).sum()) for s in ("missing", "partial", "pending")
    }
    by_quarter = reports.page(quarterly, yearly, targets, name, "quarter", years, today)
    unscored = {c.dimension for c in by_quarter.cards if c.n == 0}
    scored = {c.dimension for c in by_year.cards if c.n > 0}
    assert by_quarter.yearly_only == frozenset(unscored & scored) != frozenset()


def test_contracts_of_one_name_are_told_apart_by_their_alliance() -> None:
    frame = pd.DataFrame(
        {"contract": ["Lille", "LILLE", "SIB"], "alliance": ["Alliance A", "Alliance B", "A"]}
    )
    assert reports.contract_choices(frame) == {
        "Lille (Alliance A)": 0,
        "LILLE (Alliance B)": 1,
        "SIB": 2,
    }
