"""The replication and outcome-contract sheets: reading, refusals, history and rollback."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from metrics.base.access import Actor
from metrics.base.errors import ValidationError
from metrics.storage.store import Store
from tests.conftest import ADMIN, ALLIANCE, xlsx

SITE = [
    "Alliance test",
    "duplication",
    "Arras",
    "62041",
    dt.date(2024, 3, 1),
    "actif",
    120,
    50.29,
    2.78,
    "premier site",
]
CONTRACT = [
    "Contrat test",
    "Alliance test",
    "Taux de chômage local",
    "Département",
    "3 fondations",
    1_000_000,
    "eur",
    dt.date(2024, 1, 1),
    dt.date(2028, 12, 31),
    500,
    20,
    100,
    10,
    7.5,
    3000,
    2_000_000,
    8,
    5000,
]


def book(
    sites: list[list[object]] | None = None,
    contracts: list[list[object]] | None = None,
    lang: str = "fr",
) -> bytes:
    return xlsx(
        {"alliances": [ALLIANCE], "replications": sites or [], "contracts": contracts or []}, lang
    )


def test_sites_and_contracts_are_stored(fresh_store: Store) -> None:
    result = fresh_store.import_file(book([SITE], [CONTRACT]), "b.xlsx", Actor.system("t"))
    assert result.plan.counts["added"] == 3
    site = fresh_store.replications(ADMIN).iloc[0]
    assert (site["mode"], site["status"], site["territory_code"]) == ("up", "active", "62041")
    assert (site["latitude"], site["longitude"], site["beneficiaries"]) == (50.29, 2.78, 120)
    assert site["started"].date() == dt.date(2024, 3, 1)
    contract = fresh_store.contracts(ADMIN).iloc[0]
    assert contract["indicator"] == "unemployment_rate" and contract["currency"] == "EUR"
    assert (contract["cohort_threshold"], contract["overall_threshold"]) == (10, 7.5)
    assert contract["end_date"].date() == dt.date(2028, 12, 31)
    assert pd.isna(contract["population"])  # not declared: the rule falls back
    again = fresh_store.import_file(book([SITE], [CONTRACT]), "b.xlsx", Actor.system("t"))
    assert again.upload_id is None and again.plan.counts["unchanged"] == 3
    # Declaring the population (column "effectif") changes the contract, and is read back.
    declared = fresh_store.import_file(book([SITE], [[*CONTRACT, 1500]]), "p.xlsx", ADMIN)
    assert declared.plan.counts["changed"] == 1
    assert fresh_store.contracts(ADMIN).iloc[0]["population"] == 1500
    # The figures not published, named by their columns in either language, in their order.
    marked = [[*CONTRACT, 1500, "price_per_unit ; taille_cohorte, prix_unitaire"]]
    fresh_store.import_file(book([SITE], marked), "i.xlsx", ADMIN)
    assert fresh_store.contracts(ADMIN).iloc[0]["illustrative"] == "price,cohort_size"
    # Its rows of another sheet, named by the sheet's name in either language.
    rows = [[*CONTRACT, 1500, "prix_unitaire, investissements, Payments"]]
    fresh_store.import_file(book([SITE], rows), "j.xlsx", ADMIN)
    assert fresh_store.contracts(ADMIN).iloc[0]["illustrative"] == "price,investments,payments"


def test_english_headers(fresh_store: Store) -> None:
    site = ["Alliance test", "scale across", "Lille", "", "2023", "planned", "", "", "", ""]
    fresh_store.import_file(book([site], lang="en"), "en.xlsx", Actor.system("t"))
    row = fresh_store.replications(ADMIN).iloc[0]
    assert (row["mode"], row["status"]) == ("across", "planned")
    assert row["latitude"] != row["latitude"]  # missing, not zero


def test_change_and_rollback(fresh_store: Store) -> None:
    fresh_store.import_file(book([SITE], [CONTRACT]), "1.xlsx", Actor.system("t"))
    stopped = [*SITE[:5], "arrêté", *SITE[6:]]
    dearer = [*CONTRACT[:14], 3500, *CONTRACT[15:]]
    result = fresh_store.import_file(book([stopped], [dearer]), "2.xlsx", Actor.system("t"))
    assert result.plan.counts["changed"] == 2
    assert fresh_store.replications(ADMIN).iloc[0]["status"] == "stopped"
    assert fresh_store.contracts(ADMIN).iloc[0]["price"] == 3500
    fresh_store.rollback(2, Actor.system("t"))
    assert fresh_store.replications(ADMIN).iloc[0]["status"] == "active"
    assert fresh_store.contracts(ADMIN).iloc[0]["price"] == 3000
    assert fresh_store.contracts(ADMIN, as_of=2).iloc[0]["price"] == 3500


@pytest.mark.parametrize(
    ("site", "code"),
    [
        ([*SITE[:1], "essaim", *SITE[2:]], "err.bad_choice"),
        ([*SITE[:5], "fini", *SITE[6:]], "err.bad_choice"),
        ([*SITE[:7], 95.0, *SITE[8:]], "err.bad_coordinate"),
        ([*SITE[:8], "", *SITE[9:]], "err.half_coordinate"),
        (["Inconnue", *SITE[1:]], "err.unknown_alliance"),
    ],
)
def test_site_refusals(fresh_store: Store, site: list[object], code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        fresh_store.import_file(book([site]), "bad.xlsx", Actor.system("t"))
    assert [p.code for p in caught.value.problems] == [code]
    assert caught.value.problems[0].row == 2
    assert fresh_store.replications(ADMIN).empty


@pytest.mark.parametrize(
    ("contract", "code"),
    [
        ([*CONTRACT[:8], dt.date(2023, 1, 1), *CONTRACT[9:]], "err.end_before_start"),
        ([*CONTRACT[:5], -5, *CONTRACT[6:]], "err.not_positive"),
        ([*CONTRACT[:2], "no_such", *CONTRACT[3:]], "err.unknown_indicator"),
        ([*CONTRACT[:13], "", *CONTRACT[14:]], "err.contract_terms"),  # no rate card either
        ([*CONTRACT, 0], "err.not_positive"),  # a population of nobody
        ([*CONTRACT, 1500, "prix_unitaire, couleur"], "err.illustrative_field"),
    ],
)
def test_contract_refusals(fresh_store: Store, contract: list[object], code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        fresh_store.import_file(book(contracts=[contract]), "bad.xlsx", Actor.system("t"))
    assert code in [p.code for p in caught.value.problems]
    assert fresh_store.contracts(ADMIN).empty


def test_two_sites_that_disagree_name_both_rows(fresh_store: Store) -> None:
    other = [*SITE[:6], 300, *SITE[7:]]
    with pytest.raises(ValidationError) as caught:
        fresh_store.import_file(book([SITE, other]), "dup.xlsx", Actor.system("t"))
    (problem,) = caught.value.problems
    assert problem.code == "err.conflict" and problem.row == 3
    assert dict(problem.params)["first"] == 2
