"""Hand-computed comparisons: every normalisation, ranking ties, too little data, no population."""

from __future__ import annotations

import pandas as pd
import pytest

from metrics.base.access import Actor
from metrics.domain import compare
from metrics.storage.store import Store
from tests.conftest import ADMIN, xlsx

NAMES = ["A1", "A2", "A3", "A4", "A5"]


@pytest.fixture
def peers_store(fresh_store: Store) -> Store:
    alliances = [
        ["A1", "Maubeuge", "59392", 10000, "emploi", "2020", ""],
        ["A2", "Roubaix", "59512", 20000, "emploi", "2020", ""],
        ["A3", "Pas-de-Calais", "62", None, "emploi", "2020", ""],
        ["A4", "CA Exemple", "245900410", 5000, "recyclage", "2020", ""],
        ["A5", "Hauts-de-France", "R32", 1000, "emploi", "2020", ""],
    ]
    observations = [
        ["A1", "jobs_created", "2023", 10, "", ""],
        ["A1", "jobs_created", "2024", 20, "", ""],
        ["A2", "jobs_created", "2023", 20, "", ""],
        ["A2", "jobs_created", "2024", 40, "", ""],
        ["A3", "jobs_created", "2023", 5, "", ""],
        ["A3", "jobs_created", "2024", 10, "", ""],
        ["A4", "jobs_created", "2024", 10, "", ""],
        ["A5", "jobs_created", "2024", 1, "", ""],
        ["A1", "unemployment_rate", "2023", 20, "", ""],
        ["A1", "unemployment_rate", "2024", 15, "", ""],
        ["A2", "unemployment_rate", "2023", 10, "", ""],
        ["A2", "unemployment_rate", "2024", 10, "", ""],
        ["A5", "unemployment_rate", "2023", 12, "", ""],
        ["A1", "budget_secured", "2024", 50000, "", ""],
        ["A2", "budget_secured", "2024", 100000, "", ""],
        ["A5", "budget_secured", "2023", 1000, "", ""],
    ]
    targets = [
        ["A1", "jobs_created", "2023", 10, "2026", 30],
        ["A2", "jobs_created", "2023", 20, "2026", 60],
    ]
    content = xlsx({"alliances": alliances, "observations": observations, "targets": targets})
    fresh_store.import_file(content, "peers.xlsx", Actor.system("t"))
    return fresh_store


def run(
    store: Store, indicator: str, normalisation: str, names: list[str] = NAMES, year: int = 2024
) -> tuple[pd.DataFrame, pd.DataFrame]:
    values = store.aggregated(ADMIN, granularity="year", level="alliance")
    comparison = compare.normalise(
        values, store.alliances(ADMIN), store.targets(ADMIN), indicator, normalisation, names
    )
    return compare.rank(comparison, store.completeness_by_year(ADMIN), names, year)


def ranks(ranked: pd.DataFrame) -> list[tuple[int, str, float]]:
    return [(r.rank, r.alliance, round(r.value, 6)) for r in ranked.itertuples()]


def reasons(unranked: pd.DataFrame) -> dict[str, str]:
    return dict(zip(unranked["alliance"], unranked["reason"]))


def test_territory_levels() -> None:
    assert [
        compare.territory_level(c)
        for c in ["59392", "2A004", "245900410", "62", "2B", "974", "R32", "", None, "abc"]
    ] == [
        "commune",
        "commune",
        "epci",
        "departement",
        "departement",
        "departement",
        "region",
        "unknown",
        "unknown",
        "unknown",
    ]


def test_peer_groups(peers_store: Store) -> None:
    table = peers_store.alliances(ADMIN)
    assert compare.peers(table, "A1", "theme") == ["A1", "A2", "A3", "A5"]
    assert compare.peers(table, "A1", "territory_level") == ["A1", "A2"]
    assert compare.peers(table, "A4", "territory_level") == ["A4"]


def test_the_default_peer_group_is_one_to_compare_with() -> None:
    alliances = pd.DataFrame(
        {
            "name": ["X", "Y", "Z", "W"],
            "theme": ["eau", "emploi", "emploi", "santé"],
            "territory_code": ["59392", "59512", "62", "R32"],
        }
    )
    # X is alone in its theme, not in its level (commune); W is alone by both.
    assert [compare.default_criterion(alliances, n) for n in ("X", "Y", "W")] == [
        "territory_level",
        "theme",
        "theme",
    ]
    assert compare.with_peers(alliances) == ["X", "Y", "Z"]


def test_completeness_by_year(peers_store: Store) -> None:
    done = peers_store.completeness_by_year(ADMIN).set_index(["alliance", "year"])["completeness"]
    assert done[("A1", 2024)] == 1.0
    assert done[("A1", 2023)] == pytest.approx(2 / 3)
    assert done[("A4", 2023)] == 0.0
    assert done[("A5", 2024)] == pytest.approx(1 / 3)
    assert [compare.badge(x) for x in (1.0, 0.8, 0.79, 0.5, 0.49)] == [
        "high",
        "high",
        "medium",
        "medium",
        "low",
    ]


def test_raw_with_a_tie(peers_store: Store) -> None:
    ranked, unranked = run(peers_store, "jobs_created", "raw")
    # A3 and A4 both have 10: they share rank 3, listed by completeness then name.
    assert ranks(ranked) == [(1, "A2", 40.0), (2, "A1", 20.0), (3, "A3", 10.0), (3, "A4", 10.0)]
    assert reasons(unranked) == {"A5": "low_completeness"}  # 1 of its 3 indicators in 2024


def test_per_1000_inhabitants_and_missing_population(peers_store: Store) -> None:
    ranked, unranked = run(peers_store, "jobs_created", "per_1000")
    # 20/10 000, 40/20 000 and 10/5 000 are all 2 per 1,000 inhabitants: a three-way tie.
    assert ranks(ranked) == [(1, "A1", 2.0), (1, "A2", 2.0), (1, "A4", 2.0)]
    assert reasons(unranked) == {"A3": "no_population", "A5": "low_completeness"}


def test_per_1000_refuses_rates(peers_store: Store) -> None:
    ranked, unranked = run(peers_store, "unemployment_rate", "per_1000", ["A1", "A2"])
    assert ranked.empty
    assert reasons(unranked) == {"A1": "rate", "A2": "rate"}


def test_progress_to_target(peers_store: Store) -> None:
    ranked, unranked = run(peers_store, "jobs_created", "progress")
    # (20-10)/(30-10) = 0.5 and (40-20)/(60-20) = 0.5
    assert ranks(ranked) == [(1, "A1", 0.5), (1, "A2", 0.5)]
    # a value that cannot be computed is the first reason given
    assert reasons(unranked) == {"A3": "no_target", "A4": "no_target", "A5": "no_target"}


def test_index_on_the_first_common_year(peers_store: Store) -> None:
    ranked, _ = run(peers_store, "jobs_created", "index", ["A1", "A2", "A3"])
    assert ranks(ranked) == [(1, "A1", 200.0), (1, "A2", 200.0), (1, "A3", 200.0)]
    # with A4, which starts in 2024, the first common year is 2024: everyone is 100 then
    ranked, _ = run(peers_store, "jobs_created", "index", ["A1", "A2", "A3", "A4"])
    assert {r.value for r in ranked.itertuples()} == {100.0}
    values = peers_store.aggregated(ADMIN, granularity="year", level="alliance")
    early = compare.normalise(
        values,
        peers_store.alliances(ADMIN),
        peers_store.targets(ADMIN),
        "jobs_created",
        "index",
        ["A1", "A4"],
    ).table
    assert early.set_index(["alliance", "year"]).at[("A1", 2023), "reason"] == "no_common_year"


def test_index_of_a_down_indicator(peers_store: Store) -> None:
    ranked, _ = run(peers_store, "unemployment_rate", "index", ["A1", "A2"])
    # A1: 20 -> 15 is 25 % better: 125; A2 stays at 10: 100
    assert ranks(ranked) == [(1, "A1", 125.0), (2, "A2", 100.0)]


def test_per_euro_invested(peers_store: Store) -> None:
    ranked, unranked = run(peers_store, "jobs_created", "per_euro", ["A1", "A2", "A3"])
    # 20 jobs for 50 000 € and 40 for 100 000 €: 0.4 per 1,000 € each
    assert ranks(ranked) == [(1, "A1", 0.4), (1, "A2", 0.4)]
    assert reasons(unranked) == {"A3": "no_funding"}


def test_lower_is_better_for_raw_down_indicators(peers_store: Store) -> None:
    ranked, unranked = run(peers_store, "unemployment_rate", "raw", ["A1", "A2", "A3"])
    assert ranks(ranked) == [(1, "A2", 10.0), (2, "A1", 15.0)]
    assert reasons(unranked) == {"A3": "no_value"}


def test_dimension_scores_compare(peers_store: Store) -> None:
    comparison = compare.dimension_comparison(
        peers_store.dimension_scores(ADMIN), "innovation", NAMES
    )
    table = comparison.table.set_index(["alliance", "year"])["value"]
    assert table[("A1", 2024)] == pytest.approx(0.5) and table[("A1", 2023)] == 0.0
    assert compare.latest_common_year(comparison) == 2024


def test_unknown_normalisation(peers_store: Store) -> None:
    with pytest.raises(ValueError):
        run(peers_store, "jobs_created", "per_hour")


def test_export_table_and_files(peers_store: Store) -> None:
    import io

    from metrics.sheets import workbook

    ranked, unranked = run(peers_store, "jobs_created", "per_1000")
    table = compare.export_table(ranked, unranked)
    assert list(table["alliance"]) == ["A1", "A2", "A4", "A3", "A5"]
    assert list(table["reason"])[-2:] == ["no_population", "low_completeness"]
    frame = pd.DataFrame(
        {
            "Rang": table["rank"],
            "Alliance": ["=cmd|' /C calc'!A0", *table["alliance"][1:]],
            "Valeur": table["value"],
        }
    )
    french = workbook.to_csv(frame, "fr").decode("utf-8-sig").splitlines()
    assert french[0] == "Rang;Alliance;Valeur"
    assert french[1] == "1;'=cmd|' /C calc'!A0;2,0"  # decimal comma, formula neutralised
    english = workbook.to_csv(frame, "en").decode("utf-8-sig").splitlines()
    assert english[1].endswith(",2.0")
    back = pd.read_excel(io.BytesIO(workbook.to_xlsx(frame, "2024")), engine="calamine")
    assert back.iloc[0]["Alliance"].startswith("'=")


def test_portfolio_rows(peers_store: Store) -> None:
    table = compare.portfolio(
        peers_store.dimension_scores(ADMIN),
        peers_store.completeness_by_year(ADMIN),
        peers_store.alliances(ADMIN),
        peers_store.last_updates(ADMIN),
        2025,
    ).set_index("alliance")
    assert table.at["A1", "innovation_score"] == pytest.approx(0.5)
    assert table.at["A1", "innovation_change"] == pytest.approx(0.5)
    assert (table.at["A1", "completeness"], table.at["A1", "completeness_year"]) == (1.0, 2024)
    assert table.at["A5", "badge"] == "low"
    assert table.at["A4", "territory_level"] == "epci"
    assert table.at["A1", "last_period"] == pd.Timestamp("2024-12-31")
    # Years later, an alliance is read on its latest year with values (A4: 2024, its only
    # one), not on a year it has nothing for.
    later = compare.portfolio(
        peers_store.dimension_scores(ADMIN),
        peers_store.completeness_by_year(ADMIN),
        peers_store.alliances(ADMIN),
        peers_store.last_updates(ADMIN),
        2030,
    ).set_index("alliance")
    assert (later.at["A4", "completeness_year"], later.at["A4", "completeness"]) == (2024, 1.0)
    assert pd.notna(table.at["A1", "last_update"])
    assert [compare.trend_arrow(x) for x in (0.2, -0.2, 0.005, float("nan"))] == ["▲", "▼", "►", ""]
    kept = compare.filter_portfolio(table.reset_index(), ["emploi"], [], [])
    assert sorted(kept["alliance"]) == ["A1", "A2", "A3", "A5"]
