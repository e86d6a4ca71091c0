"""Outcome contracts in the INDIGO data standard: written valid against its project schema,
read back into the same settlement, and a project written elsewhere read with what the sheets
cannot hold named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from metrics import cli
from metrics.base import config
from metrics.storage.store import Store
from metrics.usecases import exports
from tests.conftest import ADMIN, ALLIANCE, row_of, xlsx
from tests.lake import copy_db, db_at
from tests.test_contract_sheets import INVESTMENTS, PAYERS, PAYMENTS
from tests.test_replications_contracts import CONTRACT

SCHEMA = config.ROOT.parent / "shared" / "indigo" / "project.json"

PRICES = [
    ["Contrat test", "emploi durable", "jobs_created", "nombre", 2500, "", 150, ""],
    ["Contrat test", "chômage", "unemployment_rate", "amélioration", 100, 5, "", ""],
    ["Contrat test", "chômage", "unemployment_rate", "amélioration", 150, 10, "", 60_000],
]
VALUES = [
    ["Alliance test", "jobs_created", "T1 2024", 20, "", ""],
    ["Alliance test", "jobs_created", "T3 2024", 40, "", ""],
    ["Alliance test", "jobs_created", "2025", 100, "", ""],
    ["Alliance test", "unemployment_rate", "2024", 19, "", ""],
    ["Alliance test", "unemployment_rate", "2025", 17, "", ""],
]


def validate(project: dict[str, Any]) -> None:
    """Against the INDIGO project schema (4.1.0), when it is there to read."""
    if not SCHEMA.exists():
        pytest.skip("the INDIGO project schema is not beside this checkout")
    import jsonschema

    jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(project)


def settled(store: Store) -> dict[str, Any]:
    """What a funder compares: what is due, per payer, the ledger, the investors' flows."""
    (contract,) = exports.contract_settlements(store, ADMIN)
    money = contract["finance"]
    return {
        "payments": contract["payments"],
        "status": contract["status"],
        "due": money["due"],
        "due_by_payer": money["due_by_payer"],
        "ledger": money["ledger"],
        "ledger_by_outcome": money["ledger_by_outcome"],
        "investor_flows": money["investor_flows"],
        "investor_distributions": money["investor_distributions"],
        "irr": money["irr"],
    }


def test_a_contract_goes_to_indigo_and_back_to_the_same_settlement(
    fresh_store: Store, tmp_path: Path
) -> None:
    # The provider's share of the investors' return, a recycling period and exchange rates:
    # this product's terms, which INDIGO has no field for, go out and come back as its
    # members; a commitment and a payment in CHF keep their currency in INDIGO's money.
    terms = {"provider_share": 10, "recycle_until": "30/04/2025", "exchange_rates": "CHF=0,95"}
    sheets = {
        "alliances": [ALLIANCE],
        "contracts": [row_of("contracts", CONTRACT, **terms)],
        "prices": PRICES,
        "payers": [PAYERS[0], row_of("payers", PAYERS[1], currency="CHF")],
        # The bank's own cap on its last row only; a payment back on the day of a draw, on
        # the draw's row.
        "investments": [
            INVESTMENTS[0],
            [*INVESTMENTS[1], "", 20_000],
            INVESTMENTS[2],
            [
                *("Contrat test", "Banque", "prêt", "senior", 600_000, "30/06/2026", ""),
                *(0.06, 320_000, 5_000),  # its cap, a payment back and its bonus
            ],
        ],
        "payments": [PAYMENTS[0], row_of("payments", PAYMENTS[1], currency="CHF")],
        "stakeholders": [["Alliance test", "Mairie", "collectivité"]],
        # A partner's share of a year: the alliance's own data, not the contract's result.
        "observations": [*VALUES, ["Alliance test", "jobs_created", "2025", 30, "Mairie", ""]],
    }
    fresh_store.import_file(xlsx(sheets), "contrat.xlsx", ADMIN)
    before = settled(fresh_store)
    assert before["payments"] > 0 and before["investor_flows"]
    assert [d["recorded"] for d in before["investor_distributions"]] == [340_000]
    (file, project), *others = exports.indigo_projects(fresh_store, ADMIN).items()
    assert file == "contrat_test.json" and not others
    validate(project)
    # The rate card's three rows under two outcome metrics, the two payers, the bank's two
    # draws under one investment and the guarantor's promise, the ledger, five results (the
    # alliance's own: not the partner's).
    assert [m["definition"]["value"] for m in project["outcome_metrics"]] == [
        "emploi durable",
        "chômage",
    ]
    counts = {section: len(project[section]) for section in (
        "outcome_pricings", "outcome_payment_commitments", "investments", "transactions",
        "outcome_payments", "results",
    )}  # fmt: skip
    assert counts == {
        "outcome_pricings": 3,
        "outcome_payment_commitments": 2,
        "investments": 2,
        "transactions": 5,
        "outcome_payments": 2,
        "results": 5,
    }
    assert [i["alliance_impact"].get("return_cap") for i in project["investments"]] == [0.06, None]
    assert [i["alliance_impact"].get("bonus") for i in project["investments"]] == [5_000, None]
    mine = project["alliance_impact"]
    assert (mine["provider_share"], mine["recycle_until"]) == (10, "2025-04-30")
    assert mine["exchange_rates"] == "CHF=0.95"
    currencies = {
        c["organisation_id"]["value"]: c["maximum_potential_outcome_payment"]["currency"]["value"]
        for c in project["outcome_payment_commitments"]
    }
    assert currencies == {"État": "EUR", "Fonds": "CHF"}
    paid = {p["payer_organisation_id"]["value"]: p["money"]["currency"]["value"]
            for p in project["outcome_payments"]}  # fmt: skip
    assert paid == {"État": "EUR", "Fonds": "CHF"}
    recycled = [f for f in before["investor_flows"] if f["flow"] == "recycled"]
    assert [(f["date"], f["amount"]) for f in recycled] == [("2025-04-15", 7_500)]
    document = tmp_path / file
    document.write_text(json.dumps(project), encoding="utf-8")
    with Store(db_at(tmp_path / "other.duckdb")) as other:
        dry = other.import_file(document.read_bytes(), file, ADMIN, dry_run=True)
        assert dry.plan.ok and dry.plan.writes and not dry.plan.parsed.sheets_ignored
        other.import_file(document.read_bytes(), file, ADMIN)
        assert settled(other) == before


def test_a_project_written_elsewhere_is_read_and_what_the_sheets_cannot_hold_is_named(
    fresh_store: Store,
) -> None:
    """A health bond as INDIGO publishes one, without this product's members: paid 1,200 a
    person cured, two quarters of results (30 then 45 cured), one payer committing 200,000, a
    planned payment (held as planned, beside the ledger), a payment plan the sheets have no
    place for, an investor's equity with its repayment, and a transaction of no kind the
    sheets hold. Hand-computed: 75 cured x 1,200
    = 90,000 due; 50,000 planned, nothing paid."""
    project = {
        "name": {"value": "Bond santé"},
        "dates": {
            "start_date_of_service_provision": {"value": "2024-01-01"},
            "anticipated_end_date_of_service_provision": {"value": "2026-12-31"},
        },
        "outcome_metrics": [{"id": "m1", "definition": {"value": "Patient cured"}}],
        "outcome_pricings": [
            {
                "outcome_metric_id": {"value": "m1"},
                "currency": {"value": "USD"},
                "price_per_unit": {"amount": {"value": 1200}},
            }
        ],
        "outcome_payment_commitments": [
            {
                "organisation_id": {"value": "Health Fund"},
                "maximum_potential_outcome_payment": {"amount": {"value": 200_000}},
            }
        ],
        "results": [
            {
                "outcome_metric_id": {"value": "m1"},
                "period": {"start_date": {"value": start}, "end_date": {"value": end}},
                "number_with_positive_social_outcomes": {"value": cured},
            }
            for start, end, cured in (
                ("2024-01-01", "2024-03-31", 30),
                ("2024-04-01", "2024-06-30", 45),
            )
        ],
        "outcome_payments": [
            {
                "outcome_metric_id": {"value": "m1"},
                "payer_organisation_id": {"value": "health fund"},
                "type": {"value": "Planned"},
                "period": {"end_date": {"value": "2025-06-30"}},
                "money": {"amount": {"value": 50_000}},
            }
        ],
        "outcome_payment_plans": [{"id": {"value": "plan1"}}],
        "investments": [
            {
                "id": "i1",
                "organisation_id": {"value": "Impact Fund"},
                "investment_type": {"value": "Equity"},
                "investment_commitment": {"amount": {"exact": {"value": 100_000}}},
            }
        ],
        "transactions": [
            {
                "investment_id": {"value": "i1"},
                "transaction_type": {"value": kind},
                "date": {"value": day},
                "money": {"amount": {"value": amount}},
            }
            for kind, day, amount in (
                ("Equity", "2024-01-01", 100_000),
                ("Capital Repayment", "2026-06-30", 100_000),
                ("Interest Payment", "2026-06-30", 5_000),
                ("Other", "2026-07-31", 100_000),
            )
        ],
    }
    validate(project)
    content = json.dumps(project).encode()
    dry = fresh_store.import_file(content, "bond.json", ADMIN, dry_run=True)
    assert dry.plan.parsed.sheets_ignored == [
        "outcome_payment_plans (1)",
        "transactions_not_held (1)",
    ]
    fresh_store.import_file(content, "bond.json", ADMIN)
    (contract,) = exports.contract_settlements(fresh_store, ADMIN)
    assert contract["terms"]["alliance"] == "Bond santé" and contract["terms"]["currency"] == "USD"
    assert contract["payments"] == 90_000
    paid_by = [(r["payer"], r["amount"]) for r in contract["finance"]["due_by_payer"]]
    assert paid_by == [("Health Fund", 36_000), ("Health Fund", 54_000)]
    ledger = [
        (r["payer"], r["due"], r["paid"], r["planned"]) for r in contract["finance"]["ledger"]
    ]
    assert ledger == [("Health Fund", 90_000, 0, 50_000)]  # "health fund": the payer's name
    # The fund's equity is a draw; its repayment and interest of one day one recorded
    # payment back (105,000), not draws: the waterfall gives it the 90,000 received (its
    # capital at most).
    drawn = fresh_store.contract_rows(ADMIN, "investments")
    assert drawn[["investor", "drawn", "distributed"]].fillna(0).values.tolist() == [
        ["Impact Fund", 100_000.0, 0],
        ["Impact Fund", 0, 105_000.0],
    ]
    assert contract["finance"]["investor_distributions"] == [
        {
            "investor": "Impact Fund",
            "tranche": "senior",
            "computed": 90_000,
            "recorded": 105_000,
            "difference": 15_000,
        }
    ]


def test_a_file_that_is_not_a_project_is_refused_saying_so(fresh_store: Store) -> None:
    from metrics.base.errors import SpreadsheetError

    for content in (b"{not json", b'{"status": "PUBLIC"}', "é".encode("latin-1")):
        with pytest.raises(SpreadsheetError) as caught:
            fresh_store.import_file(content, "projet.json", ADMIN)
        assert caught.value.key == "err.not_indigo"


def test_the_command_writes_a_project_per_contract(
    _seeded_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = copy_db(_seeded_file, tmp_path)
    folder = tmp_path / "indigo"
    assert cli.main(["--lang", "en", "contracts", "--indigo", str(folder), "--db", db]) == 0
    written = sorted(p.name for p in folder.iterdir())
    assert "peterborough_sib.json" in written
    assert f"{len(written)} contract(s) written as INDIGO projects" in capsys.readouterr().out
    for path in folder.iterdir():
        validate(json.loads(path.read_text(encoding="utf-8")))
    # Peterborough, paid on one improvement over its comparison group, per cohort and
    # overall: read back into a new database, it settles as in the demo.
    with Store(db) as demo:
        (published,) = [
            c
            for c in exports.contract_settlements(demo, ADMIN)
            if c["terms"]["name"] == "Peterborough SIB"
        ]
    content = (folder / "peterborough_sib.json").read_bytes()
    with Store(db_at(tmp_path / "other.duckdb")) as other:
        other.import_file(content, "peterborough_sib.json", ADMIN)
        (again,) = exports.contract_settlements(other, ADMIN)
    for figure in ("payments", "cohorts", "overall_improvement", "annual_return", "status"):
        assert again[figure] == published[figure], figure
