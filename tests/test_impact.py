"""Hand-computed cases for every rule of metrics.domain.impact and the aggregation in the store."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from metrics.base.periods import month, quarter, year
from metrics.domain import impact
from metrics.presentation import formatting
from metrics.storage.store import Store
from tests.conftest import ADMIN, ALLIANCE, STAKEHOLDERS, xlsx

A = "Alliance test"


@pytest.mark.parametrize(
    ("value", "baseline", "target", "expected"),
    [
        (10, 10, 30, 0.0),  # at the baseline
        (30, 10, 30, 1.0),  # at the target
        (15, 10, 30, 0.25),
        (35, 10, 30, 1.25),  # beyond the target
        (5, 10, 30, -0.25),  # going the wrong way
        (16, 20, 12, 0.5),  # down indicator: 20 -> 16 is half way to 12
        (22, 20, 12, -0.25),  # down indicator getting worse
        (12, 20, 12, 1.0),
    ],
)
def test_progress(value: float, baseline: float, target: float, expected: float) -> None:
    assert impact.progress(value, baseline, target) == pytest.approx(expected)


def test_progress_undefined_when_target_equals_baseline() -> None:
    assert math.isnan(impact.progress(3, 5, 5))


def test_index_up_and_down() -> None:
    values = pd.Series([20.0, 25.0, 15.0])
    assert list(impact.index(values, "up")) == [100.0, 125.0, 75.0]
    # A rate falling from 20 to 15 is 25 % better: 125.
    assert list(impact.index(values, "down")) == [100.0, 75.0, 125.0]
    assert impact.index(pd.Series([0.0, 3.0]), "up").isna().all()


def test_period_labels() -> None:
    assert formatting.period_label(year(2024), "fr") == "2024"
    assert formatting.period_label(quarter(2024, 2), "fr") == "T2 2024"
    assert formatting.period_label(quarter(2024, 2), "en") == "Q2 2024"
    assert formatting.period_label(month(2024, 5), "fr") == "mai 2024"
    assert formatting.period_label(month(2024, 5), "en") == "May 2024"


def small_store(store: Store) -> Store:
    """Hand-checkable data: monthly sums, quarterly rates, a yearly stock per stakeholder."""
    observations = [
        # jobs_created (sum), monthly: 2023 has 12 months of 2 = 24; 2024 has 3 months of 5.
        *[[A, "jobs_created", f"{m:02d}/2023", 2, "", ""] for m in range(1, 13)],
        *[[A, "jobs_created", f"{m:02d}/2024", 5, "", ""] for m in range(1, 4)],
        # unemployment_rate (mean, down), quarterly.
        [A, "unemployment_rate", "T1 2023", 20, "", ""],
        [A, "unemployment_rate", "T2 2023", 18, "", ""],
        [A, "unemployment_rate", "T3 2023", 16, "", ""],
        [A, "unemployment_rate", "T4 2023", 14, "", ""],
        [A, "unemployment_rate", "T1 2024", 12, "", ""],
        # volunteers (last), per stakeholder: stocks add up across stakeholders.
        [A, "volunteers", "T1 2023", 10, "Entreprise A", ""],
        [A, "volunteers", "T4 2023", 12, "Entreprise A", ""],
        [A, "volunteers", "2023", 30, "Ville de Lens", ""],
        # partner_trust (mean), per stakeholder, yearly.
        [A, "partner_trust", "2023", 3, "Entreprise A", ""],
        [A, "partner_trust", "2023", 4, "Ville de Lens", ""],
        [A, "partner_trust", "2024", 4, "Entreprise A", ""],
        # a yearly total beside its months must not be added twice
        [A, "waste_recycled", "2023", 100, "", ""],
        [A, "waste_recycled", "03/2023", 40, "", ""],
    ]
    targets = [
        [A, "jobs_created", "2022", 20, "2026", 60],
        [A, "unemployment_rate", "2022", 22, "2026", 12],
        [A, "partner_trust", "2022", 3, "2026", 5],
    ]
    store.import_file(
        xlsx(
            {
                "alliances": [ALLIANCE],
                "stakeholders": STAKEHOLDERS,
                "observations": observations,
                "targets": targets,
            }
        ),
        "s.xlsx",
        ADMIN,
    )
    return store


def values_of(frame: pd.DataFrame, indicator: str, column: str = "value") -> list[object]:
    return list(frame[frame["indicator"] == indicator].sort_values("bucket")[column])


def test_yearly_aggregation_by_rule(fresh_store: Store) -> None:
    store = small_store(fresh_store)
    yearly = store.aggregated(ADMIN, alliance=A, granularity="year", level="alliance")
    assert values_of(yearly, "jobs_created") == [24.0, 15.0]  # sum of months
    assert values_of(yearly, "jobs_created", "partial") == [False, True]  # 3 of 12 months
    assert values_of(yearly, "unemployment_rate") == [17.0, 12.0]  # mean of quarters
    # last value of each stakeholder's stock (12 and 30), added up
    assert values_of(yearly, "volunteers") == [42.0]
    assert values_of(yearly, "partner_trust") == [3.5, 4.0]  # mean across stakeholders
    assert values_of(yearly, "waste_recycled") == [100.0]  # the yearly total, not 140


def test_quarterly_and_monthly_views(fresh_store: Store) -> None:
    store = small_store(fresh_store)
    quarterly = store.aggregated(ADMIN, alliance=A, granularity="quarter", level="alliance")
    assert values_of(quarterly, "jobs_created") == [6.0, 6.0, 6.0, 6.0, 15.0]
    assert values_of(quarterly, "unemployment_rate") == [20.0, 18.0, 16.0, 14.0, 12.0]
    # yearly values do not appear in a quarterly view
    assert values_of(quarterly, "partner_trust") == []
    assert values_of(quarterly, "waste_recycled") == [40.0]
    monthly = store.aggregated(ADMIN, alliance=A, granularity="month", level="alliance")
    assert values_of(monthly, "jobs_created")[:2] == [2.0, 2.0]
    assert values_of(monthly, "unemployment_rate") == []


def test_stakeholder_level_keeps_owners(fresh_store: Store) -> None:
    store = small_store(fresh_store)
    frame = store.aggregated(ADMIN, alliance=A, granularity="year")
    volunteers = frame[frame["indicator"] == "volunteers"].set_index("stakeholder")["value"]
    assert volunteers.to_dict() == {"Entreprise A": 12.0, "Ville de Lens": 30.0}


def test_period_range_filter(fresh_store: Store) -> None:
    import datetime as dt

    store = small_store(fresh_store)
    frame = store.aggregated(
        ADMIN,
        alliance=A,
        granularity="year",
        level="alliance",
        start=dt.date(2024, 1, 1),
        end=dt.date(2024, 12, 31),
    )
    assert values_of(frame, "jobs_created") == [15.0]


def test_progress_scores_and_coverage(fresh_store: Store) -> None:
    store = small_store(fresh_store)
    yearly = store.aggregated(ADMIN, alliance=A, granularity="year", level="alliance")
    progressed = impact.with_progress(yearly, store.targets(ADMIN), "year")
    jobs = progressed[progressed["indicator"] == "jobs_created"].sort_values("bucket")
    # (24 - 20) / (60 - 20) = 0.1; 2024 is a partial sum: progress shown, not scored
    assert list(jobs["progress"]) == pytest.approx([0.1, (15 - 20) / 40])
    assert list(jobs["scored"]) == [True, False]
    rate = progressed[progressed["indicator"] == "unemployment_rate"].sort_values("bucket")
    assert list(rate["progress"]) == pytest.approx([0.5, 1.0])  # (17-22)/(12-22), (12-22)/-10
    assert list(rate["index"]) == pytest.approx([100.0, 100 * (2 - 12 / 17)])
    volunteers = progressed[progressed["indicator"] == "volunteers"]
    assert volunteers["progress"].isna().all() and list(volunteers["index"]) == [100.0]

    scores = impact.dimension_scores(progressed)
    innovation = scores[scores["dimension"] == "innovation"].set_index("period")
    # 2023: mean(0.1, 0.5) = 0.3 with both indicators; 2024: only the rate (jobs partial)
    assert innovation.loc["2023", "score"] == pytest.approx(0.3)
    assert (innovation.loc["2023", "n"], innovation.loc["2023", "total"]) == (2, 2)
    assert innovation.loc["2024", "score"] == pytest.approx(1.0)
    assert innovation.loc["2024", "coverage"] == pytest.approx(0.5)
    trust = scores[scores["dimension"] == "trust"].set_index("period")
    assert list(trust["score"]) == pytest.approx([0.25, 0.5])  # (3.5-3)/2, (4-3)/2

    card = impact.scorecard(scores, A).set_index("dimension")
    assert card.loc["innovation", "score"] == pytest.approx(1.0)
    assert card.loc["innovation", "change"] == pytest.approx(0.7)
    assert card.loc["innovation", "previous_period"] == "2023"
    assert (card.loc["innovation", "n"], card.loc["innovation", "total"]) == (1, 2)
    assert card.loc["performance", "n"] == 0 and math.isnan(card.loc["performance", "score"])


def test_sums_are_not_compared_with_a_yearly_target_in_a_quarterly_view(
    fresh_store: Store,
) -> None:
    store = small_store(fresh_store)
    quarterly = store.aggregated(ADMIN, alliance=A, granularity="quarter", level="alliance")
    progressed = impact.with_progress(quarterly, store.targets(ADMIN), "quarter")
    jobs = progressed[progressed["indicator"] == "jobs_created"]
    assert jobs["progress"].isna().all()
    rate = progressed[progressed["indicator"] == "unemployment_rate"].sort_values("bucket")
    assert list(rate["progress"]) == pytest.approx([0.2, 0.4, 0.6, 0.8, 1.0])


def test_completeness(fresh_store: Store) -> None:
    store = small_store(fresh_store)
    yearly = store.aggregated(ADMIN, alliance=A, granularity="year", level="alliance")
    import datetime as dt

    grid = impact.completeness(yearly, [2023, 2024], today=dt.date(2025, 3, 1))
    status = grid.set_index(["indicator", "year"])["status"]
    assert status[("jobs_created", 2023)] == "complete"
    assert status[("jobs_created", 2024)] == "partial"
    assert status[("volunteers", 2024)] == "missing"
    during = impact.completeness(yearly, [2024], today=dt.date(2024, 11, 26))
    assert during.set_index("indicator").at["volunteers", "status"] == "pending"


def test_by_stakeholder_type_and_changes(fresh_store: Store) -> None:
    store = small_store(fresh_store)
    owners = store.aggregated(ADMIN, alliance=A, granularity="year")
    types = impact.by_stakeholder_type(owners)
    volunteers = types[types["indicator"] == "volunteers"].set_index("stakeholder_type")
    assert volunteers["value"].to_dict() == {"company": 12.0, "public": 30.0}
    trust = impact.by_stakeholder_type(owners)
    trust = trust[trust["indicator"] == "partner_trust"].sort_values("bucket")
    assert list(trust["value"]) == [3.0, 4.0, 4.0]  # company 2023, public 2023, company 2024
    changes = impact.stakeholder_changes(owners).set_index(["stakeholder", "indicator"])
    # Entreprise A scored trust 3 then 4: +33 % (index 133.3 - 100)
    assert changes.at[("Entreprise A", "partner_trust"), "change"] == pytest.approx(100 / 3)
    # one period only: no change
    assert ("Ville de Lens", "partner_trust") not in changes.index


def test_combine_rules() -> None:
    values = pd.Series([2.0, 4.0])
    assert impact.combine(values, "mean") == 3.0
    assert impact.combine(values, "sum") == 6.0
    assert impact.combine(values, "last") == 6.0  # stocks of several owners add up


def test_reporting_counts_silent_partners(fresh_store: Store) -> None:
    store = small_store(fresh_store)
    counts = impact.reporting(
        store.observations(ADMIN, alliance=A), store.stakeholders(ADMIN, alliance=A), [2023, 2024]
    )
    table = counts.set_index(["stakeholder", "year"])["values"]
    assert table[("Entreprise A", 2023)] == 3  # two volunteer counts and one trust score
    assert table[("Entreprise A", 2024)] == 1
    assert table[("Ville de Lens", 2024)] == 0


def test_latest_two(fresh_store: Store) -> None:
    store = small_store(fresh_store)
    yearly = store.aggregated(ADMIN, alliance=A, granularity="year", level="alliance")
    latest, previous = impact.latest_two(yearly[yearly["indicator"] == "partner_trust"])
    assert list(latest["value"]) == [4.0] and list(previous["value"]) == [3.5]


def test_readiness_against_own_past_and_peers(demo_store: Store) -> None:
    from metrics.base import catalog
    from metrics.domain import scaling

    values = demo_store.aggregated(ADMIN, granularity="year", level="alliance")
    peers = demo_store.peer_medians(ADMIN, "Sambre Emploi Solidaire", list(catalog.READINESS))
    table = scaling.readiness(values, "Sambre Emploi Solidaire", peers)
    row = table.set_index("indicator").loc["scaling_strategy"]
    assert (row["first_year"], row["latest_year"]) == (2022, 2025)
    # the only other "emploi" alliance is Roubaix: the median of one is its latest score,
    # shown to an admin (who reads Roubaix anyway)
    roubaix = values[
        (values["alliance"] == "Roubaix Quartiers Actifs")
        & (values["indicator"] == "scaling_strategy")
    ].sort_values("bucket")
    assert row["peers"] == roubaix["value"].iloc[-1] and row["peer_count"] == 1


def test_progress_and_index_by_columns_agree_with_the_rules_one_group_at_a_time() -> None:
    """``with_progress`` works by columns; each figure equals ``progress`` and ``index``
    applied to one alliance and indicator at a time (random values, zeros and gaps)."""
    import random

    rng = random.Random(7)
    rows = []
    for alliance in ("A", "B", "C"):
        for indicator, direction, aggregation in (("i1", "up", "sum"), ("i2", "down", "mean")):
            for y in rng.sample(range(2018, 2026), 5):
                value = rng.choice([0.0, rng.uniform(1, 100), rng.uniform(1, 100)])
                rows.append(
                    {
                        "alliance": alliance,
                        "indicator": indicator,
                        "bucket": pd.Timestamp(f"{y}-01-01"),
                        "value": value,
                        "direction": direction,
                        "aggregation": aggregation,
                        "dimension": "innovation",
                        "partial": False,
                    }
                )
    values = pd.DataFrame(rows)
    targets = pd.DataFrame(
        [
            {
                "alliance": "A",
                "indicator": "i1",
                "baseline_period": "2018",
                "baseline": 10.0,
                "target_period": "2026",
                "target": 50.0,
            },
            {
                "alliance": "B",
                "indicator": "i2",
                "baseline_period": "2018",
                "baseline": 5.0,
                "target_period": "2026",
                "target": 5.0,
            },
        ]
    )
    out = impact.with_progress(values, targets, "year")
    for (alliance, indicator), group in out.groupby(["alliance", "indicator"]):
        ordered = group.sort_values("bucket")
        expected = impact.index(ordered["value"], str(ordered["direction"].iloc[0]))
        assert ordered["index"].tolist() == pytest.approx(expected.tolist(), nan_ok=True)
        for row in ordered.itertuples():
            if pd.isna(row.target):
                assert pd.isna(row.progress)
            else:
                assert row.progress == pytest.approx(
                    impact.progress(row.value, row.baseline, row.target), nan_ok=True
                ), (alliance, indicator)
