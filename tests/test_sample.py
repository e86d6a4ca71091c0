"""The sample workbook: deterministic, and as rich as the product contract asks."""

from __future__ import annotations

from metrics.base import catalog, config
from metrics.sheets import sample
from metrics.storage.store import Store
from tests.conftest import ADMIN


def test_committed_workbook_is_what_the_generator_makes() -> None:
    assert sample.build() == config.SAMPLE_WORKBOOK.read_bytes(), (
        "run: python sample_data/generate.py"
    )


def test_sample_content(demo_store: Store) -> None:
    # The Peterborough contract is the outcome-contract reference case, not a French alliance.
    alliances = demo_store.alliances(ADMIN)
    alliances = alliances[alliances["name"] != sample.PETERBOROUGH]
    assert len(alliances) >= 5
    assert alliances["theme"].nunique() >= 5
    assert alliances["territory_code"].notna().all() and alliances["population"].gt(0).all()
    stakeholders = demo_store.stakeholders(ADMIN)
    stakeholders = stakeholders[stakeholders["alliance"] != sample.PETERBOROUGH].groupby("alliance")
    assert stakeholders.size().between(3, 8).all()
    assert all(group["type"].nunique() >= 3 for _, group in stakeholders)

    frame = demo_store.observations(ADMIN)
    frame = frame[frame["alliance"] != sample.PETERBOROUGH]
    dimensions = demo_store.indicators(ADMIN).set_index("code")["dimension"]
    frame = frame.assign(dimension=frame["indicator"].map(dimensions))
    for _, group in frame.groupby("alliance"):
        assert set(group["dimension"]) == {"innovation", "performance", "trust", "scaling"}
        assert set(catalog.READINESS) <= set(group["indicator"])
        assert group["period_start"].dt.year.nunique() >= 4
        assert set(group["granularity"]) & {"month", "quarter"}
        assert set(catalog.PREREQUISITES) <= set(group["indicator"])
        assert (group["stakeholder"] != "").any()
    assert set(frame["granularity"]) >= {"year", "quarter", "month"}
    assert demo_store.uploads(ADMIN).iloc[0]["missing"] > 0
    targets = demo_store.targets(ADMIN)
    assert targets["alliance"].nunique() >= 5
    sites = demo_store.replications(ADMIN)
    assert set(sites["mode"]) == {"deep", "out", "up", "across"}
    assert set(sites["status"]) == {"planned", "active", "stopped"}
    assert sites["alliance"].nunique() >= 4
    assert list(demo_store.contracts(ADMIN)["contract"]) == [
        "Contrat à impact Roubaix chômage",
        "Contrat à impact Sambre emploi",
        "Peterborough SIB",
    ]
    kinds = ("prices", "payers", "investments", "payments")
    assert {k: len(demo_store.contract_rows(ADMIN, k)) for k in kinds} == {
        "prices": 3,
        "payers": 3,
        "investments": 9,
        "payments": 39,
    }


def test_one_alliance_struggles(demo_store: Store) -> None:
    frame = demo_store.observations(ADMIN)
    trust = frame[frame["indicator"] == "partner_trust"]
    yearly = trust.groupby(["alliance", trust["period_start"].dt.year])["value"].mean()
    change = {a: yearly[a].iloc[-1] - yearly[a].iloc[0] for a in trust["alliance"].unique()}
    assert change["Roubaix Quartiers Actifs"] < 0
    assert sum(1 for v in change.values() if v > 0) >= 4
