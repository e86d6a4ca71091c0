"""The sheets of outcome contracts as real impact bonds are written: a rate card, payers,
investments and a ledger of payments, read in both languages, checked row by row, stored per
upload (a re-import changes nothing, a rollback restores), and refused with what to fix."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest

from metrics.base.access import Actor
from metrics.base.errors import ValidationError
from metrics.domain import finance, outcomes
from metrics.presentation import problems
from metrics.sheets.schema import BY_KIND
from metrics.sheets.workbook import template
from metrics.storage.store import Store
from metrics.usecases import exports
from tests.conftest import ADMIN, ALLIANCE, row_of, xlsx
from tests.lake import db_at
from tests.test_replications_contracts import CONTRACT

PRICES = [
    ["Contrat test", "emploi durable", "", "nombre", 2500, "", 150, ""],
    ["Contrat test", "chômage", "Taux de chômage local", "amélioration", 100, 5, "", ""],
    ["Contrat test", "chômage", "unemployment_rate", "amélioration", 150, 10, "", 60_000],
]
PAYERS = [["Contrat test", "État", 3_000_000, ""], ["Contrat test", "Fonds", 1_000_000, ""]]
INVESTMENTS = [
    ["Contrat test", "Banque", "prêt", "senior", 600_000, dt.date(2024, 1, 15), 300_000],
    ["Contrat test", "Banque", "prêt", "senior", 600_000, "15/01/2025", 300_000],
    ["Contrat test", "Garant", "garantie", "", 200_000, "2024", ""],
]
PAYMENTS = [
    ["Contrat test", "15/04/2025", "État", "emploi durable", "7 500", ""],
    ["Contrat test", "2020-05-01", "Fonds", "", 1500, "autre"],
]


def book(lang: str = "fr", **sheets: list[list[object]]) -> bytes:
    return xlsx({"alliances": [ALLIANCE], "contracts": [CONTRACT], **sheets}, lang)


def full() -> bytes:
    return book(prices=PRICES, payers=PAYERS, investments=INVESTMENTS, payments=PAYMENTS)


def test_the_four_sheets_are_read_stored_and_reimported_without_change(
    fresh_store: Store,
) -> None:
    result = fresh_store.import_file(full(), "contrat.xlsx", Actor.system("t"))
    assert result.plan.counts["added"] == 2 + 3 + 2 + 3 + 2  # alliance, contract and rows
    prices = fresh_store.contract_rows(ADMIN, "prices")  # in the sheet's order
    assert prices[["outcome", "threshold", "indicator", "basis", "price"]].values.tolist()[1:] == [
        ["chômage", 5.0, "unemployment_rate", "improvement", 100.0],
        ["chômage", 10.0, "unemployment_rate", "improvement", 150.0],
    ]
    # A price without an indicator takes the contract's.
    assert prices.iloc[0]["indicator"] == "unemployment_rate" and prices.iloc[0]["max_units"] == 150
    assert prices["position"].tolist() == [1, 2, 3]
    payers = fresh_store.contract_rows(ADMIN, "payers")
    assert payers[["payer", "commitment"]].values.tolist() == [["Fonds", 1e6], ["État", 3e6]]
    draws = fresh_store.contract_rows(ADMIN, "investments")
    assert draws[["investor", "type", "tranche", "drawn"]].values.tolist() == [
        ["Banque", "loan", "senior", 300_000.0],
        ["Banque", "loan", "senior", 300_000.0],
        ["Garant", "guarantee", "senior", 0.0],  # a guarantee draws nothing; senior by default
    ]
    assert [d.date() for d in draws["date"]] == [
        dt.date(2024, 1, 15),
        dt.date(2025, 1, 15),
        dt.date(2024, 1, 1),
    ]
    paid = fresh_store.contract_rows(ADMIN, "payments")
    assert paid[["payer", "amount", "nature", "outcome"]].values.tolist() == [
        ["Fonds", 1500.0, "other", ""],
        ["État", 7500.0, "outcome", "emploi durable"],  # "7 500": a French number
    ]
    again = fresh_store.import_file(full(), "contrat.xlsx", Actor.system("t"))
    assert again.upload_id is None and again.plan.counts["unchanged"] == 12


def test_a_later_file_changes_a_row_and_its_rollback_restores_it(fresh_store: Store) -> None:
    fresh_store.import_file(full(), "contrat.xlsx", Actor.system("t"))
    # An English file, the contract already known: the rows alone, matched without case.
    changed = xlsx(
        {"prices": [["CONTRAT TEST", "emploi durable", "", "count", 2800, "", 150, ""]]}, "en"
    )
    result = fresh_store.import_file(changed, "prix.xlsx", Actor.system("t"))
    assert result.plan.counts == {**result.plan.counts, "changed": 1}
    price = fresh_store.contract_rows(ADMIN, "prices").set_index("outcome").loc["emploi durable"]
    assert price["price"] == 2800
    fresh_store.rollback(int(result.upload_id), ADMIN)
    price = fresh_store.contract_rows(ADMIN, "prices").set_index("outcome").loc["emploi durable"]
    assert price["price"] == 2500


@pytest.mark.parametrize(
    ("sheets", "code"),
    [
        (
            {"prices": [["Contrat inconnu", "x", "", "nombre", 10, "", "", ""]]},
            "err.unknown_contract",
        ),
        ({"prices": [["Contrat test", "x", "", "au forfait", 10, "", "", ""]]}, "err.bad_choice"),
        ({"prices": [["Contrat test", "x", "", "nombre", -10, "", "", ""]]}, "err.not_positive"),
        ({"payers": [["Contrat test", "État", 1000, 120]]}, "err.share_range"),
        (
            {"investments": [["Contrat test", "B", "obligation", "", 10, "2024", 1]]},
            "err.bad_choice",
        ),
        ({"payments": [["Contrat test", "bientôt", "État", "", 10, ""]]}, "err.bad_period"),
        ({"payers": [["Contrat exemple", "État", 1000, ""]]}, "err.example_row"),
        (
            {"payers": [["Contrat test", "État", 1000, ""], ["contrat test", "état", 2000, ""]]},
            "err.conflict",
        ),
    ],
)
def test_a_row_the_sheets_cannot_take_is_refused_and_nothing_is_written(
    fresh_store: Store, sheets: dict[str, list[list[object]]], code: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        fresh_store.import_file(book(**sheets), "bad.xlsx", Actor.system("t"))
    assert code in [p.code for p in caught.value.problems]
    assert fresh_store.contracts(ADMIN).empty
    assert fresh_store.contract_rows(ADMIN, "payers").empty


def test_the_template_has_the_four_sheets_and_its_examples_are_refused(fresh_store: Store) -> None:
    from python_calamine import CalamineWorkbook

    for lang, names in (
        ("fr", ["tarifs", "payeurs", "investissements", "paiements"]),
        ("en", ["outcome_prices", "outcome_payers", "investments", "outcome_payments"]),
    ):
        sheets = CalamineWorkbook.from_filelike(io.BytesIO(template(lang))).sheet_names
        assert set(names) <= set(sheets)
    with pytest.raises(ValidationError) as caught:
        fresh_store.import_file(template("fr"), "modele.xlsx", Actor.system("t"))
    refused = {p.sheet for p in caught.value.problems if p.code == "err.example_row"}
    assert {"tarifs", "payeurs", "investissements", "paiements"} <= refused


def test_the_rate_card_settles_from_the_alliances_values(fresh_store: Store) -> None:
    """Hand-computed: the rate card above on the values below.

    - emploi durable (count, 2,500 each, at most 150): 60 jobs in 2024, then 100 in 2025:
      60 x 2,500 = 150,000; then 90 of the 100 (150 at most) = 225,000.
    - chômage (improvement over 20 %, the contract's comparison group; tiers 5 % at 100 and
      10 % at 150; 60,000 at most): 2024 at 19 % is 5 % better (1 point x 500 people / 100 =
      5 units x 100 = 500); 2025 at 17 %, 15 % better (3 x 5 = 15 units x 150 = 2,250).
    Payers pro rata to 3 m and 1 m: three quarters and a quarter."""
    import json

    from metrics.usecases import exports

    values = [
        ["Alliance test", "jobs_created", "2024", 60, "", ""],
        ["Alliance test", "jobs_created", "2025", 100, "", ""],
        ["Alliance test", "unemployment_rate", "2024", 19, "", ""],
        ["Alliance test", "unemployment_rate", "2025", 17, "", ""],
    ]
    prices = [
        ["Contrat test", "emploi durable", "jobs_created", "nombre", 2500, "", 150, ""],
        *PRICES[1:],
    ]
    workbook = book(
        prices=prices,
        payers=PAYERS,
        investments=INVESTMENTS,
        payments=PAYMENTS,
        observations=values,
    )
    fresh_store.import_file(workbook, "c.xlsx", Actor.system("t"))
    (contract,) = exports.contract_settlements(fresh_store, ADMIN)
    assert sorted(p["outcome"] for p in contract["rate_card"]["prices"]) == [
        "chômage",
        "chômage",
        "emploi durable",
    ]
    card = contract["finance"]
    due = {(r["period"][:4], r["outcome"]): r["amount"] for r in card["due"]}
    assert due == {
        ("2024", "emploi durable"): 150_000,
        ("2025", "emploi durable"): 225_000,
        ("2024", "chômage"): 500,
        ("2025", "chômage"): 2_250,
    }
    ledger = {r["payer"]: (r["due"], r["paid"]) for r in card["ledger"]}
    total = 150_000 + 225_000 + 500 + 2_250
    assert ledger == {"État": (total * 0.75, 7_500), "Fonds": (total * 0.25, 0)}
    assert [r["amount"] for r in card["other_payments"]] == [1_500]
    # Per outcome: the 7,500 name "emploi durable"; nothing was paid for "chômage".
    by_outcome = {r["outcome"]: (r["due"], r["paid"]) for r in card["ledger_by_outcome"]}
    assert by_outcome == {
        "emploi durable": (375_000, 7_500),
        "chômage": (2_750, 0),
    }
    # The bank's 600,000 drawn get back the 7,500 the ledger records (no more was paid), and
    # the guarantor covers 200,000 of the shortfall at the contract's end.
    flows = {(r["investor"], r["flow"]): r["amount"] for r in card["investor_flows"]}
    assert flows[("Banque", "distribution")] == 7_500
    assert flows[("Garant", "guarantee")] == -200_000
    assert card["irr"]["Banque"] is not None and card["irr"]["Banque"] < 0
    # Paid by its rate card (its improvement terms give the comparison baseline): what it
    # pays is what is due; its term (to 2028) is not over.
    assert contract["payments"] == total and contract["status"] == "in_progress"
    json.dumps(contract)  # every figure is plain JSON


def test_a_cap_that_binds_within_a_period_cuts_the_outcomes_the_rate_card_lists_last(
    fresh_store: Store,
) -> None:
    """Hand-computed: a cap of 100,000 over the contract; in 2024 (one quarter of payment),
    80 back to work at 1,000 (80,000) and 50 jobs at 1,000 (50,000): 130,000 due before the
    cap. Listed first, "zz retour à l'emploi" is paid its 80,000 and "aa emplois" the 20,000
    left, whatever their spelling; the rows swapped, the other way round, 50,000 and 50,000."""
    from metrics.usecases import exports

    capped = [*CONTRACT[:15], 100_000, *CONTRACT[16:]]
    values = [
        ["Alliance test", "back_to_work", "2024", 80, "", ""],
        ["Alliance test", "jobs_created", "2024", 50, "", ""],
    ]
    first = ["Contrat test", "zz retour à l'emploi", "back_to_work", "nombre", 1000, "", "", ""]
    second = ["Contrat test", "aa emplois", "jobs_created", "nombre", 1000, "", "", ""]

    def due(prices: list[list[object]]) -> dict[str, float]:
        workbook = xlsx(
            {
                "alliances": [ALLIANCE],
                "contracts": [capped],
                "prices": prices,
                "observations": values,
            }
        )
        fresh_store.import_file(workbook, "c.xlsx", ADMIN)
        (contract,) = exports.contract_settlements(fresh_store, ADMIN)
        return {r["outcome"]: r["amount"] for r in contract["finance"]["due"]}

    assert due([first, second]) == {"zz retour à l'emploi": 80_000, "aa emplois": 20_000}
    # The rows moved: the contract changed (the dry run says so), and the cap cuts the other.
    moved = fresh_store.import_file(
        xlsx({"prices": [second, first]}), "d.xlsx", ADMIN, dry_run=True
    )
    assert moved.plan.counts["changed"] == 2
    assert due([second, first]) == {"aa emplois": 50_000, "zz retour à l'emploi": 50_000}


def test_a_contract_paid_by_its_rate_card_needs_no_improvement_terms(fresh_store: Store) -> None:
    bare = [*CONTRACT[:9], "", "", "", "", "", ""]  # no cohort, baseline, thresholds, price
    workbook = xlsx({"alliances": [ALLIANCE], "contracts": [bare], "prices": PRICES[:1]})
    fresh_store.import_file(workbook, "a.xlsx", ADMIN)
    # Later, the contract alone (its rate card already stored) is still accepted.
    changed = [*bare[:5], 900_000, *bare[6:]]
    result = fresh_store.import_file(xlsx({"contracts": [changed]}), "b.xlsx", ADMIN)
    assert result.plan.counts["changed"] == 1
    from metrics.usecases import exports

    (contract,) = exports.contract_settlements(fresh_store, ADMIN)
    assert contract["status"] == "no_result" and contract["rate_card"] is not None


def test_a_rate_card_contract_needs_no_indicator_nor_capital_of_its_own(
    fresh_store: Store,
) -> None:
    """Published rate-card bonds name their indicators on each price and often no capital:
    accepted, settled on each price's indicator; a price that names none, under a contract that
    names none, is refused with what to give. An improvement contract still needs both."""
    from metrics.usecases import exports

    bare = [CONTRACT[0], CONTRACT[1], "", *CONTRACT[3:5], "", *CONTRACT[6:9]]
    prices = [["Contrat test", "emplois", "jobs_created", "nombre", 1000, "", "", ""]]
    values = [["Alliance test", "jobs_created", "2024", 12, "", ""]]
    sheets = {"alliances": [ALLIANCE], "contracts": [bare], "prices": prices}
    fresh_store.import_file(xlsx({**sheets, "observations": values}), "a.xlsx", ADMIN)
    (contract,) = exports.contract_settlements(fresh_store, ADMIN)
    assert contract["terms"]["indicator"] == "" and contract["terms"]["capital"] is None
    assert contract["payments"] == 12_000 and contract["multiple"] is None

    unnamed = [["Contrat test", "bénévoles", "", "nombre", 10, "", "", ""]]
    for lang in ("fr", "en"):
        with pytest.raises(ValidationError) as caught:
            fresh_store.import_file(xlsx({"prices": unnamed}, lang), "b.xlsx", ADMIN)
        (problem,) = caught.value.problems
        column = "indicateur (C)" if lang == "fr" else "indicator (C)"
        assert (problem.code, problem.column) == ("err.price_indicator", column)
    with pytest.raises(ValidationError) as caught:
        improvement = ["Autre contrat", *CONTRACT[1:5], "", *CONTRACT[6:]]
        fresh_store.import_file(xlsx({"contracts": [improvement]}), "c.xlsx", ADMIN)
    refused = [(p.code, p.column) for p in caught.value.problems]
    assert refused == [("err.contract_terms", "capital (F)")]


def test_a_contracts_rows_follow_its_alliances_rights(tmp_path: Path) -> None:
    """An editor of one alliance cannot write the rows of another alliance's contract: a
    contract it cannot read is unknown to it, exactly as one that does not exist."""
    from tests.test_access import EDITOR, build

    path = db_at(tmp_path / "rights.duckdb")
    build(path)  # "Contrat Zulu" belongs to an alliance the editor does not read
    with Store(path) as store:
        editor = store.actor(EDITOR)
        assert editor is not None
        payers = xlsx({"payers": [["Contrat Zulu", "État", 1000, ""]]})
        with pytest.raises(ValidationError) as caught:
            store.import_file(payers, "p.xlsx", editor)
        assert [p.code for p in caught.value.problems] == ["err.unknown_contract"]
        assert store.contract_rows(Actor.system("t"), "payers").empty


def test_what_a_rate_card_payers_and_a_ledger_cannot_say_is_refused_saying_why(
    fresh_store: Store,
) -> None:
    """A threshold on a count price (ignored before), two prices of one outcome without a
    threshold each, shares adding up to 120 %, a ledger naming a payer or an outcome the
    contract does not have, one outcome priced on two bases, an investor's draws in one
    tranche under two return caps: each refused, in both languages, with what to give."""
    fresh_store.import_file(full(), "contrat.xlsx", ADMIN)
    count_threshold = [["Contrat test", "emploi durable", "", "nombre", 2500, 5, "", ""]]
    tiers = [
        ["Contrat test", "insertion", "jobs_created", "nombre", 100, "", "", ""],
        ["Contrat test", "insertion", "jobs_created", "nombre", 200, "", "", ""],
    ]
    over = [["Contrat test", "État", 3_000_000, 60], ["Contrat test", "Fonds", 1_000_000, 60]]
    stranger = [["Contrat test", "15/05/2025", "Région", "", 100, ""]]
    unpriced = [["Contrat test", "15/05/2025", "État", "logement", 100, ""]]
    two_bases = [
        ["Contrat test", "insertion", "jobs_created", "nombre", 100, "", "", ""],
        ["Contrat test", "Insertion", "jobs_created", "amélioration", 200, 5, "", ""],
    ]
    two_caps = [
        ["Contrat test", "Banque", "prêt", "senior", 600_000, "2024", 300_000, 5],
        ["Contrat test", "banque", "prêt", "senior", 600_000, "2025", 300_000, 7],
        ["Contrat test", "Banque", "prêt", "senior", 600_000, "2026", 100, ""],
    ]
    cases = {
        "err.count_threshold": {"prices": count_threshold},
        "err.price_tiers": {"prices": tiers},
        "err.price_bases": {"prices": two_bases},
        "err.return_caps": {"investments": two_caps},
        "err.shares_total": {"payers": over},
        "err.unknown_payer": {"payments": stranger},
        "err.unknown_outcome": {"payments": unpriced},
    }
    said = {
        ("err.shares_total", "fr"): "font 120 %",
        ("err.shares_total", "en"): "add up to 120 %",
        ("err.unknown_payer", "fr"): "ses payeurs sont Fonds, État",
        ("err.unknown_payer", "en"): "its payers are Fonds, État",
        ("err.unknown_outcome", "en"): "its outcomes are chômage, emploi durable",
        ("err.price_bases", "fr"): "tarif ligne 2 sur une autre base",
        ("err.return_caps", "en"): "return cap in this tranche on row 2",
    }
    for code, sheets in cases.items():
        for lang in ("fr", "en"):
            with pytest.raises(ValidationError) as caught:
                fresh_store.import_file(xlsx(sheets, lang), "b.xlsx", ADMIN)
            assert [p.code for p in caught.value.problems] == [code], lang
            message = problems.message(caught.value.problems[0], lang)
            assert said.get((code, lang), "") in message


def test_a_ledger_names_payers_and_outcomes_as_its_contract_does_and_may_record_nil(
    fresh_store: Store,
) -> None:
    """``ETAT`` and ``Emploi Durable`` are the contract's ``État`` and ``emploi durable``
    (case, accents and spaces do not count): one ledger line per outcome, not two; a payment
    of 0 is recorded as real ledgers do."""
    from metrics.usecases import exports

    payments = [
        ["Contrat test", "15/04/2025", "ETAT", "Emploi  Durable", 7_500, ""],
        ["Contrat test", "15/07/2025", "fonds", "emploi durable", 0, ""],
    ]
    workbook = book(prices=PRICES, payers=PAYERS, payments=payments)
    fresh_store.import_file(workbook, "c.xlsx", ADMIN)
    paid = fresh_store.contract_rows(ADMIN, "payments")
    assert paid[["payer", "outcome", "amount"]].values.tolist() == [
        ["État", "emploi durable", 7_500.0],
        ["Fonds", "emploi durable", 0.0],
    ]
    (contract,) = exports.contract_settlements(fresh_store, ADMIN)
    by_outcome = {r["outcome"]: r["paid"] for r in contract["finance"]["ledger_by_outcome"]}
    assert by_outcome == {"emploi durable": 7_500}  # one line, not one per spelling


def test_values_a_rate_card_does_not_count_are_counted_and_said(fresh_store: Store) -> None:
    """Hand-computed: the term runs 2024–2028; of jobs_created, 2023 and 2029 are outside it,
    a cohort's 2025 value is a partner's where the alliance gives none of its own: 2 + 1
    values not counted; the cohort's 2024 value is a breakdown of the alliance's own 10, which
    are due (25,000)."""
    from metrics.usecases import exports

    values = [
        ["Alliance test", "jobs_created", year, 10, "", ""] for year in ("2023", "2024", "2029")
    ]
    cohort = [
        ["Alliance test", "jobs_created", "2025", 4, "Cohorte 1", ""],
        ["Alliance test", "jobs_created", "2024", 6, "Cohorte 1", ""],
    ]
    stakeholders = [["Alliance test", "Cohorte 1", "cohorte"]]
    prices = [["Contrat test", "emplois", "jobs_created", "nombre", 2500, "", "", ""]]
    workbook = book(prices=prices, stakeholders=stakeholders, observations=values + cohort)
    fresh_store.import_file(workbook, "c.xlsx", ADMIN)
    (contract,) = exports.contract_settlements(fresh_store, ADMIN)
    assert contract["rate_card"]["not_counted"] == {"outside_term": 2, "per_cohort": 1}
    assert contract["payments"] == 25_000


def test_planned_payments_stand_beside_the_ledger_and_are_never_counted_as_paid(
    fresh_store: Store,
) -> None:
    """The schedule planned 10,000 from the State on 15/04/2025; 7,500 were paid that day:
    the ledger says 7,500 paid, 10,000 planned; the same date, payer and outcome, planned and
    actual, are two rows."""
    from metrics.usecases import exports

    payments = [
        ["Contrat test", "15/04/2025", "État", "emploi durable", 10_000, "", "prévu"],
        ["Contrat test", "15/04/2025", "État", "emploi durable", 7_500, "", ""],
    ]
    fresh_store.import_file(book(prices=PRICES, payers=PAYERS, payments=payments), "p.xlsx", ADMIN)
    assert sorted(fresh_store.contract_rows(ADMIN, "payments")["plan"]) == ["actual", "planned"]
    (contract,) = exports.contract_settlements(fresh_store, ADMIN)
    money = contract["finance"]
    state = next(r for r in money["ledger"] if r["payer"] == "État")
    assert (state["paid"], state["planned"]) == (7_500, 10_000)
    assert [p["amount"] for p in money["planned_payments"]] == [10_000]


def test_a_payer_may_share_one_outcome_only_and_its_shares_add_up_per_outcome(
    fresh_store: Store,
) -> None:
    """ "EMPLOI DURABLE" is the rate card's "emploi durable"; the department has two rows (one
    naming it), the fund one; the shares of that outcome add up to 100 % (70 + 30), those of
    the others to 100 % (the department alone): accepted. 70 + 40 for it: refused."""
    payers = [
        ["Contrat test", "État", 3_000_000, 70, "EMPLOI DURABLE"],
        ["Contrat test", "Fonds", 1_000_000, 30, "emploi durable"],
        ["Contrat test", "État", 3_000_000, 100, ""],
    ]
    fresh_store.import_file(book(prices=PRICES, payers=payers), "p.xlsx", ADMIN)
    stored = fresh_store.contract_rows(ADMIN, "payers")
    assert sorted(zip(stored["payer"], stored["outcome"], strict=True)) == [
        ("Fonds", "emploi durable"),
        ("État", ""),
        ("État", "emploi durable"),
    ]
    over = [["Contrat test", "Fonds", 1_000_000, 40, "emploi durable"], payers[0]]
    with pytest.raises(ValidationError) as caught:
        fresh_store.import_file(book(prices=PRICES, payers=over), "q.xlsx", ADMIN)
    assert [p.code for p in caught.value.problems] == ["err.shares_total"]


def test_a_later_file_cannot_give_an_outcome_another_basis_nor_an_investor_another_cap(
    fresh_store: Store,
) -> None:
    """Stored: "chômage" paid on improvement, the bank's draws capped at 6 %. A later file
    adding a count tier to "chômage", or a draw of the bank capped at 8 %, is refused (both
    languages), and so is a payment back on a draw's date given on a row of its own;
    restating the bank's draws at 8 % replaces them all and is accepted."""
    capped = [[*row, 6] if row[1] == "Banque" else row for row in INVESTMENTS]
    fresh_store.import_file(book(prices=PRICES, investments=capped), "c.xlsx", ADMIN)
    cases = {
        "err.price_bases_stored": {
            "prices": [["Contrat test", "Chômage", "", "nombre", 10, "", "", ""]]
        },
        "err.return_caps_stored": {
            "investments": [["Contrat test", "banque", "prêt", "senior", 600_000, "2026", 1, 8]]
        },
    }
    said = {"fr": "déjà importé", "en": "already imported"}
    for code, sheets in cases.items():
        for lang in ("fr", "en"):
            with pytest.raises(ValidationError) as caught:
                fresh_store.import_file(xlsx(sheets, lang), "d.xlsx", ADMIN)
            assert [p.code for p in caught.value.problems] == [code]
            assert said[lang] in problems.message(caught.value.problems[0], lang)
    # A payment back on a draw's date, on a row of its own, would replace the draw: refused.
    back = [["Contrat test", "Banque", "prêt", "senior", 600_000, "15/01/2025", "", "", 5_000]]
    with pytest.raises(ValidationError) as caught:
        fresh_store.import_file(xlsx({"investments": back}), "f.xlsx", ADMIN)
    assert [p.code for p in caught.value.problems] == ["err.draw_replaced"]
    assert "300,000" in problems.message(caught.value.problems[0], "en")
    restated = [[*row[:-1], 8] for row in capped[:2]]
    fresh_store.import_file(xlsx({"investments": restated}), "e.xlsx", ADMIN)
    caps = fresh_store.contract_rows(ADMIN, "investments").set_index("investor")["return_cap"]
    assert caps["Banque"].tolist() == [8, 8]


def test_payers_shares_add_up_across_uploads_and_are_given_for_all_or_none(
    fresh_store: Store,
) -> None:
    """Stored: the department 70 % and the fund 30 % of "emploi durable". A later file giving
    the fund 40 % alone makes 110 % with the stored 70: refused (a file's rows replace the
    stored ones of the same payer: 60 + 40 is accepted). A new payer with no share beside
    payers with one would be split pro rata and their shares ignored: refused."""
    payers = [
        ["Contrat test", "État", 3_000_000, 70, "emploi durable"],
        ["Contrat test", "Fonds", 1_000_000, 30, "emploi durable"],
    ]
    fresh_store.import_file(book(prices=PRICES, payers=payers), "p.xlsx", ADMIN)
    cases = {
        "err.shares_total": [["Contrat test", "Fonds", 1_000_000, 40, "emploi durable"]],
        "err.shares_partial": [["Contrat test", "Région", 500_000, "", "emploi durable"]],
    }
    said = {"err.shares_total": "add up to 110 %", "err.shares_partial": "without one here: Région"}
    for code, rows in cases.items():
        with pytest.raises(ValidationError) as caught:
            fresh_store.import_file(xlsx({"payers": rows}), "q.xlsx", ADMIN)
        assert [p.code for p in caught.value.problems] == [code]
        assert said[code] in problems.message(caught.value.problems[0], "en")
    both = [["Contrat test", "État", 3_000_000, 60, "emploi durable"], cases["err.shares_total"][0]]
    fresh_store.import_file(xlsx({"payers": both}), "r.xlsx", ADMIN)
    stored = fresh_store.contract_rows(ADMIN, "payers")
    assert sorted(zip(stored["payer"], stored["share"], strict=True)) == [
        ("Fonds", 40),
        ("État", 60),
    ]


def test_a_rate_card_renegotiated_from_a_date_keeps_both_prices(fresh_store: Store) -> None:
    """Two rows of one outcome, one from 1 January 2025: both stored (a date tells them
    apart), 2024's jobs at the first price, 2025's at the second. Hand-computed: 60 x 2,500 +
    100 x 3,000 = 450,000."""
    from metrics.usecases import exports

    prices = [
        ["Contrat test", "emploi durable", "jobs_created", "nombre", 2500, "", "", "", ""],
        [
            "Contrat test",
            "emploi durable",
            "jobs_created",
            "nombre",
            3000,
            "",
            "",
            "",
            "01/01/2025",
        ],
    ]
    values = [
        ["Alliance test", "jobs_created", "2024", 60, "", ""],
        ["Alliance test", "jobs_created", "2025", 100, "", ""],
    ]
    fresh_store.import_file(book(prices=prices, observations=values), "r.xlsx", ADMIN)
    assert len(fresh_store.contract_rows(ADMIN, "prices")) == 2
    (contract,) = exports.contract_settlements(fresh_store, ADMIN)
    assert contract["payments"] == 450_000


def test_amounts_in_another_currency_count_at_the_rate_the_contract_states(
    fresh_store: Store,
) -> None:
    """A contract in EUR that states 1 CHF = 1.10 EUR: a foundation puts 500,000 CHF in the
    senior tranche (550,000 EUR) on 15 January 2024; a fund commits 200,000 CHF (220,000 EUR);
    the department pays 660,000 EUR on 15 January 2025. The foundation gets its 550,000 back
    and the 110,000 left (no cap: the surplus is the investors'): 660,000 EUR."""
    contract = [*CONTRACT[:16], "", *CONTRACT[17:]]  # no cap on the return
    investor = ["Contrat test", "Fondation", "fonds propres", "senior", 500_000, "15/01/2024"]
    sheets = {
        "contracts": [row_of("contracts", contract, exchange_rates="CHF = 1,10")],
        "payers": [
            ["Contrat test", "État", 3_000_000, "", ""],
            row_of("payers", ["Contrat test", "Fonds", 200_000], currency="CHF"),
        ],
        "investments": [row_of("investments", [*investor, 500_000], currency="chf")],
        "payments": [["Contrat test", "15/01/2025", "État", "", 660_000, ""]],
    }
    fresh_store.import_file(book(**sheets), "chf.xlsx", ADMIN)
    stored = fresh_store.contracts(ADMIN).iloc[0]
    assert stored["exchange_rates"] == "CHF=1.1"
    (settled,) = exports.contract_settlements(fresh_store, ADMIN)
    flows = [(f["flow"], f["amount"]) for f in settled["finance"]["investor_flows"]]
    assert flows == [("draw", -550_000), ("distribution", 550_000), ("surplus", 110_000)]
    assert [(p["payer"], p["paid"]) for p in settled["finance"]["ledger"]] == [("État", 660_000)]
    # What is due is shared pro rata to commitments, each in EUR: 3,000,000 and 220,000 of
    # 3,220,000. Of 32,200 due: 30,000 and 2,200.
    terms = outcomes.Terms.from_row(stored.to_dict(), "down")
    due = pd.DataFrame({"period": [dt.date(2025, 1, 15)], "outcome": ["x"], "amount": [32_200.0]})
    rows = fresh_store.contract_sheets(ADMIN)
    split = finance.finance(terms, due, rows).by_payer.groupby("payer")["amount"].sum()
    assert split.to_dict() == {"Fonds": 2_200, "État": 30_000}


def test_a_currency_without_its_rate_or_an_unreadable_rate_is_refused_saying_what_to_write(
    fresh_store: Store,
) -> None:
    fresh_store.import_file(full(), "contrat.xlsx", ADMIN)
    in_gbp = row_of("payments", ["Contrat test", "15/05/2025", "État", "", 100, ""], currency="GBP")
    bad_rate = row_of("contracts", CONTRACT, exchange_rates="CHF = un peu")
    bad_code = row_of("payers", ["Contrat test", "Fonds", 1_000_000], currency="EURO")
    cases = {
        "err.currency_rate": ({"payments": [in_gbp]}, ("GBP", "EUR")),
        "err.exchange_rates": ({"contracts": [bad_rate]}, ("CHF = un peu",)),
        "err.currency_code": ({"payers": [bad_code]}, ("EUR, CHF, USD",)),
    }
    for code, (sheets, words) in cases.items():
        for lang in ("fr", "en"):
            with pytest.raises(ValidationError) as caught:
                fresh_store.import_file(xlsx(sheets, lang), "b.xlsx", ADMIN)
            assert [p.code for p in caught.value.problems] == [code], lang
            message = problems.message(caught.value.problems[0], lang)
            assert all(word in message for word in words), message
    assert tuple(
        BY_KIND["contracts"].column("exchange_rates").header(lang) for lang in ("fr", "en")
    ) == ("taux_de_change", "exchange_rates")


def test_results_per_participant_are_paid_within_the_times_and_the_cap_per_person(
    fresh_store: Store,
) -> None:
    """A rate card of two count outcomes: a lasting job at 2,500 (once per person, the
    default) and a training at 1,000 (twice per person); a participant earns 4,000 at most.
    By hand, in date order: P-1's job (2,500), training (1,000), second training (1,000 would
    make 4,500: 500 paid, 500 cut by the cap), third training (beyond its two times); P-2's job
    (2,500), second job (beyond once); P-3's job dated before the term (not counted).
    Due: Q1 2024, two jobs, 5,000; Q2 2024, 1.5 trainings, 1,500."""
    contract = row_of("contracts", CONTRACT, person_cap=4_000)
    job = ["Contrat test", "emploi durable", "jobs_created", "nombre", 2500, "", "", ""]
    training = ["Contrat test", "formation", "jobs_created", "nombre", 1000, "", "", ""]
    results = [
        ["Contrat test", "P-1", "emploi durable", "01/03/2024", ""],
        ["Contrat test", "P-1", "Formation", "01/04/2024", 1],
        ["Contrat test", "P-1", "formation", "01/05/2024", ""],
        ["Contrat test", "P-1", "formation", "01/06/2024", ""],
        ["Contrat test", "P-2", "EMPLOI DURABLE", "15/03/2024", ""],
        ["Contrat test", "P-2", "emploi durable", "01/09/2024", ""],
        ["Contrat test", "P-3", "emploi durable", "31/12/2023", ""],
    ]
    sheets = {
        "contracts": [contract],
        "prices": [job, row_of("prices", training, per_person=2)],
        "participants": results,
    }
    fresh_store.import_file(book(**sheets), "people.xlsx", ADMIN)
    (settled,) = exports.contract_settlements(fresh_store, ADMIN)
    assert settled["rate_card"]["per_person"] == {
        "results": 6,
        "people": 2,
        "beyond_times": 2,
        "beyond_cap": 1,
        "cut": 500,
    }
    due = [(d["period"], d["outcome"], d["amount"]) for d in settled["finance"]["due"]]
    assert due == [("2024-03-31", "emploi durable", 5_000), ("2024-06-30", "formation", 1_500)]
    # A name, or an address, is not an id: refused in both languages, saying what to give.
    for lang in ("fr", "en"):
        named = [["Contrat test", "Jean Dupont", "formation", "01/04/2024", ""]]
        with pytest.raises(ValidationError) as caught:
            fresh_store.import_file(xlsx({"participants": named}, lang), "n.xlsx", ADMIN)
        assert [p.code for p in caught.value.problems] == ["err.participant_id"]
        assert "P-0042" in problems.message(caught.value.problems[0], lang)


def terms_of(**given: object) -> outcomes.Terms:
    """A rate-card contract in EUR over 2024, with ``given`` terms."""
    start, end = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    return outcomes.Terms("C", "A", "", None, "EUR", start, end, 0, 0, 0, 0, **given)  # type: ignore[arg-type]


def people(*rows: tuple[str, str, str, float | None]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["participant", "outcome", "date", "units"])


def test_per_person_limits_hold_to_the_cent_across_a_price_change_and_several_units() -> None:
    """Cap 1,000; a job paid 100 until 29 February, 200 from 1 March, up to 20 times each. Ten
    January jobs of P-1: 1,000 paid, the cap reached. The quarter is priced at its end (200),
    so its units are 5: due 1,000, not twice the cap."""
    prices = [
        outcomes.Price("job", "count", 100, per_person=20),
        outcomes.Price("job", "count", 200, per_person=20, since=dt.date(2024, 3, 1)),
    ]
    january = people(*[("P-1", "job", f"2024-01-{d:02}", None) for d in range(1, 11)])
    table, summary = finance.per_person(terms_of(person_cap=1_000), prices, january)
    assert table["units"].tolist() == [5] and summary.beyond_cap == 0
    assert outcomes.due(prices, table)["amount"].sum() == 1_000
    # Two people at 75,000 under a cap of 70,001.23: 140,002.46 due, to the cent.
    big = [outcomes.Price("job", "count", 75_000)]
    two = people(("P-1", "job", "2024-05-01", None), ("P-2", "job", "2024-05-02", None))
    table, summary = finance.per_person(terms_of(person_cap=70_001.23), big, two)
    assert outcomes.due(big, table)["amount"].sum() == 140_002.46
    assert (summary.beyond_cap, summary.cut) == (2, 9_997.54)
    # Three units on one row, once per person: one paid; 1.5 units at 33.33, no cap: none cut.
    once = [outcomes.Price("job", "count", 33.33, per_person=2)]
    rows = people(("P-1", "job", "2024-05-01", 3), ("P-2", "job", "2024-05-01", 1.5))
    table, summary = finance.per_person(terms_of(), [once[0]], rows)
    assert (summary.beyond_times, summary.beyond_cap) == (1, 0)
    each = outcomes.money(33.33 * 2) + outcomes.money(33.33 * 1.5)  # each result to the cent
    assert outcomes.due(once, table)["amount"].sum() == outcomes.money(each)


def test_a_participant_row_naming_an_improvement_outcome_leaves_its_indicator_values(
    fresh_store: Store,
) -> None:
    fresh_store.import_file(full(), "contrat.xlsx", ADMIN)
    (before,) = exports.contract_settlements(fresh_store, ADMIN)
    named = [["Contrat test", "P-1", "chômage", "01/06/2024", ""]]
    fresh_store.import_file(book(participants=named), "p.xlsx", ADMIN)
    (after,) = exports.contract_settlements(fresh_store, ADMIN)
    assert after["finance"]["due"] == before["finance"]["due"]


def test_foreign_amounts_count_to_the_cent_and_a_rate_in_use_stays(fresh_store: Store) -> None:
    """Three payments of 333.33 CHF at 1.10: 366.66 EUR each (366.663 rounded), 1,099.98 in
    the ledger and 1,099.98 through the waterfall. A later version of the contract without
    the CHF rate is refused while those payments are in CHF."""
    contract = [*CONTRACT[:16], "", *CONTRACT[17:]]
    investor = ["Contrat test", "Fondation", "fonds propres", "senior", 5_000, "15/01/2024"]
    paid = [
        row_of("payments", ["Contrat test", day, "État", "", 333.33, ""], currency="CHF")
        for day in ("15/02/2024", "15/03/2024", "15/04/2024")
    ]
    sheets = {
        "contracts": [row_of("contracts", contract, exchange_rates="CHF = 1,10")],
        "investments": [row_of("investments", [*investor, 5_000])],
        "payments": paid,
    }
    fresh_store.import_file(book(**sheets), "chf.xlsx", ADMIN)
    (settled,) = exports.contract_settlements(fresh_store, ADMIN)
    assert [p["paid"] for p in settled["finance"]["ledger"]] == [1_099.98]
    back = [f["amount"] for f in settled["finance"]["investor_flows"] if f["amount"] > 0]
    assert back == [366.66, 366.66, 366.66]
    for lang in ("fr", "en"):
        with pytest.raises(ValidationError) as caught:
            fresh_store.import_file(book(lang, contracts=[contract]), "c.xlsx", ADMIN)
        assert [p.code for p in caught.value.problems] == ["err.rate_in_use"]
        assert "CHF" in problems.message(caught.value.problems[0], lang)


def test_a_share_over_100_or_times_that_are_not_whole_are_refused(fresh_store: Store) -> None:
    fresh_store.import_file(full(), "contrat.xlsx", ADMIN)
    over = row_of("contracts", CONTRACT, provider_share=120)
    half = row_of(
        "prices", ["Contrat test", "insertion", "jobs_created", "nombre", 100], per_person=1.5
    )
    for sheets, code in (
        ({"contracts": [over]}, "err.share_range"),
        ({"prices": [half]}, "err.whole_times"),
    ):
        with pytest.raises(ValidationError) as caught:
            fresh_store.import_file(xlsx(sheets), "b.xlsx", ADMIN)
        assert [p.code for p in caught.value.problems] == [code]
