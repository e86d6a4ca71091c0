"""The tables the writes keep (current values, roll-ups, per-alliance summary) equal what
recomputing from the history gives, after random sequences of imports, rollbacks, validations
and redefinitions of an indicator's aggregation rule; and every read from them equals the same
read from the history, for each kind of account (the dimension scores DuckDB computes from them
equal those of ``metrics.domain.impact``'s rules)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pandas as pd
import pytest

from metrics.base.access import Actor
from metrics.domain import impact
from metrics.storage import database, kept, observations, rollups
from metrics.storage.store import Store
from tests.conftest import ADMIN, xlsx
from tests.lake import LAKE, db_at

ALLIANCES = ["Alliance A", "Alliance B"]
PARTNERS = {"Alliance A": ["Entreprise A", "Mairie"], "Alliance B": ["Association B"]}
INDICATORS = ["jobs_created", "custom_flow"]
PERIODS = [
    "2023",
    "T1 2023",
    "T2 2023",
    "janv. 2023",
    "févr. 2023",
    "mai 2023",
    "15/05/2023",
    "2024",
    "T3 2024",
    "sept. 2024",
]
READERS = [
    ADMIN,
    Actor("funder@example.org", funded=frozenset({"Alliance A", "Alliance B"})),
    Actor(
        "member@example.org",
        roles=frozenset({("Alliance B", "editor")}),
        funded=frozenset({"Alliance A"}),
    ),
]
TABLES = {
    "current_observation": "alliance_id, indicator_code, period, stakeholder_id, members",
    "rollup": "view_granularity, alliance_id, indicator_code, stakeholder_id, bucket, members",
    "alliance_summary": "validated_only, alliance_id",
}


@pytest.fixture(autouse=True)
def in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many small files: read them in this process (the worker is tested elsewhere)."""
    monkeypatch.setenv("IMPACT_PARSE_IN_PROCESS", "1")


def first_file() -> bytes:
    return xlsx(
        {
            "alliances": [
                [name, "Lens", "62498", 1000, "emploi", "2020", "consolidation"]
                for name in ALLIANCES
            ],
            "stakeholders": [[a, p, "entreprise"] for a, names in PARTNERS.items() for p in names],
            "indicators": [definition("sum")],
        }
    )


def definition(aggregation: str) -> list[object]:
    return ["custom_flow", "Flux", "Flow", "performance", "personnes", "up", aggregation, ""]


def random_file(rng: random.Random) -> bytes:
    if rng.random() < 0.15:  # a new rule alone: every alliance holding values changes
        return xlsx({"indicators": [definition(rng.choice(["sum", "mean", "last"]))]})
    rows = []
    for _ in range(rng.randint(1, 12)):
        alliance = rng.choice(ALLIANCES)
        partner = rng.choice(["", "", *PARTNERS[alliance]])
        rows.append(
            [
                alliance,
                rng.choice(INDICATORS),
                rng.choice(PERIODS),
                rng.choice([1, 2, 5, 10, 12.5]),
                partner,
                "",
            ]
        )
    unique = {(r[0], r[1], r[2], r[4]): r for r in rows}  # one value per key in a file
    sheets: dict[str, list[list[object]]] = {"observations": list(unique.values())}
    if rng.random() < 0.2:
        sheets["indicators"] = [definition(rng.choice(["sum", "mean", "last"]))]
    if rng.random() < 0.4:  # targets by year, quarter or month, up or down from the baseline
        goals = {
            (alliance, indicator): [
                alliance,
                indicator,
                "2022",
                rng.choice([0, 5, 10]),
                rng.choice(["2025", "T4 2025", "déc. 2025"]),
                rng.choice([2, 20, 30]),
            ]
            for alliance, indicator in (
                (rng.choice(ALLIANCES), rng.choice(INDICATORS)) for _ in range(3)
            )
        }
        sheets["targets"] = list(goals.values())
    return xlsx(sheets)


def snapshot(store: Store) -> dict[str, pd.DataFrame]:
    return {
        table: store.db.frame(f"SELECT * FROM {table} ORDER BY {order}").reset_index(drop=True)
        for table, order in TABLES.items()
    }


def assert_kept_equal_history(store: Store) -> None:
    kept_now = snapshot(store)
    with store.db.transaction() as cur:
        kept.rebuild(cur)
    rebuilt = snapshot(store)
    for table in TABLES:
        pd.testing.assert_frame_equal(kept_now[table], rebuilt[table], obj=table)
    for reader in READERS:
        params = {**reader.read_params(), "alliance": None, "as_of": None}
        from_history = store.db.frame(observations.OBSERVATIONS_THEN, params)
        pd.testing.assert_frame_equal(store.observations(reader), from_history)
        for granularity in kept.VIEWS:
            for level, sql in (
                ("stakeholder", rollups.AGGREGATED),
                ("alliance", rollups.ALLIANCE_LEVEL),
            ):
                computed = store.db.frame(sql[False], rollups.viewed(reader, None, granularity))
                pd.testing.assert_frame_equal(
                    store.aggregated(reader, None, granularity, level=level),
                    computed,
                    check_dtype=False,
                    obj=f"{level} by {granularity} for {reader.email}",
                )
            assert_scores_equal_the_rules(store, reader, granularity)


def assert_scores_equal_the_rules(store: Store, reader: Actor, granularity: str) -> None:
    """The dimension scores DuckDB computes for the network are ``metrics.domain.impact``'s."""
    values = store.aggregated(reader, None, granularity, level="alliance")
    expected = impact.dimension_scores(
        impact.with_progress(values, store.targets(reader), granularity)
    )
    scores = store.dimension_scores(reader, granularity)
    if expected.empty:
        assert scores.empty
        return
    pd.testing.assert_frame_equal(
        scores, expected, check_dtype=False, obj=f"scores by {granularity} for {reader.email}"
    )


# Three random histories on the file; one on the shared backend, where the same SQL runs and
# each history takes minutes (what the search finds does not depend on the backend).
@pytest.mark.parametrize("seed", [1] if LAKE else [1, 2, 3])
def test_kept_tables_equal_a_recomputation_after_random_writes(
    fresh_store: Store, seed: int
) -> None:
    rng = random.Random(seed)
    fresh_store.import_file(first_file(), "base.xlsx", ADMIN, validate=True)
    for _ in range(14):
        uploads = fresh_store.uploads(ADMIN)
        standing = uploads[uploads["status"] != "rolled_back"]["id"].tolist()
        submitted = uploads[uploads["status"] == "submitted"]["id"].tolist()
        action = rng.random()
        if action < 0.6 or len(standing) < 2:
            fresh_store.import_file(
                random_file(rng), "next.xlsx", ADMIN, validate=rng.random() < 0.5
            )
        elif action < 0.8 or not submitted:
            fresh_store.rollback(int(rng.choice(standing[:-1] or standing)), ADMIN)
        else:
            fresh_store.validate(int(rng.choice(submitted)), ADMIN)
        assert_kept_equal_history(fresh_store)


def test_the_funders_scope_holds_validated_values_only(fresh_store: Store) -> None:
    """By hand: a submitted change is read by members, not by funders, until validated."""
    fresh_store.import_file(first_file(), "base.xlsx", ADMIN, validate=True)
    values = [
        ["Alliance A", "jobs_created", month, 10, "", ""]
        for month in ("janv. 2023", "févr. 2023", "mars 2023")
    ]
    fresh_store.import_file(xlsx({"observations": values}), "q1.xlsx", ADMIN, validate=True)
    change = [["Alliance A", "jobs_created", "mars 2023", 40, "", ""]]
    fresh_store.import_file(xlsx({"observations": change}), "march.xlsx", ADMIN)
    funder = READERS[1]

    def q1(reader: Actor) -> float:
        frame = fresh_store.aggregated(reader, "Alliance A", "quarter", level="alliance")
        return float(frame.set_index("indicator").loc["jobs_created", "value"])

    assert (q1(ADMIN), q1(funder)) == (60.0, 30.0)  # 10 + 10 + 40 against 10 + 10 + 10
    fresh_store.validate(3, ADMIN)
    assert q1(funder) == 60.0
    fresh_store.rollback(3, ADMIN)
    assert (q1(ADMIN), q1(funder)) == (30.0, 30.0)
    summary = fresh_store.alliances(funder).set_index("name").loc["Alliance A"]
    assert (summary["observations"], summary["last_period"]) == (3, pd.Timestamp("2023-03-31"))


def test_bounds_off_the_kept_periods_are_computed_from_current_values(
    fresh_store: Store,
) -> None:
    fresh_store.import_file(first_file(), "base.xlsx", ADMIN, validate=True)
    values = [
        ["Alliance A", "jobs_created", month, 10, "", ""]
        for month in ("janv. 2023", "févr. 2023", "mars 2023")
    ]
    fresh_store.import_file(xlsx({"observations": values}), "q1.xlsx", ADMIN)
    # From February: the quarter holds two of its three months, and says so.
    frame = fresh_store.aggregated(
        ADMIN, "Alliance A", "quarter", dt.date(2023, 2, 1), dt.date(2023, 12, 31), level="alliance"
    )
    row = frame.set_index("indicator").loc["jobs_created"]
    assert (row["value"], bool(row["partial"])) == (20.0, True)


def test_a_database_from_before_the_kept_tables_gets_them_filled(tmp_path: Path) -> None:
    path = db_at(tmp_path / "old.duckdb")
    with Store(path) as store:
        store.import_file(first_file(), "base.xlsx", ADMIN, validate=True)
        values = [["Alliance B", "custom_flow", "2023", 7, "Association B", ""]]
        store.import_file(xlsx({"observations": values}), "b.xlsx", ADMIN)
        with store.db.transaction() as cur:  # as it was before migration 5
            for table in TABLES:
                cur.execute(f"DROP TABLE {table}")
            cur.execute("DELETE FROM schema_migration WHERE version = ?", [database.KEPT_SINCE])
    with Store(path) as store:
        assert store.observations(ADMIN)["value"].tolist() == [7.0]
        assert_kept_equal_history(store)


def test_a_new_aggregation_rule_alone_recomputes_the_alliances_holding_values(
    fresh_store: Store,
) -> None:
    fresh_store.import_file(first_file(), "base.xlsx", ADMIN, validate=True)
    values = [
        ["Alliance A", "custom_flow", "janv. 2023", 1, "", ""],
        ["Alliance B", "custom_flow", "févr. 2023", 3, "", ""],
        ["Alliance B", "custom_flow", "mars 2023", 5, "", ""],
    ]
    fresh_store.import_file(xlsx({"observations": values}), "values.xlsx", ADMIN)

    def yearly() -> list[float]:
        frame = fresh_store.aggregated(ADMIN, None, "year", level="alliance")
        return frame[frame["indicator"] == "custom_flow"]["value"].tolist()

    assert yearly() == [1.0, 8.0]
    upload = fresh_store.import_file(
        xlsx({"indicators": [definition("mean")]}), "rule.xlsx", ADMIN
    ).upload_id
    assert upload is not None
    assert yearly() == [1.0, 4.0]  # (3 + 5) / 2
    fresh_store.rollback(upload, ADMIN)
    assert yearly() == [1.0, 8.0]
