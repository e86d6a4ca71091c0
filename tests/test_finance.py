"""An outcome contract's money: a contract settled once for the page and the command line,
what a contract paid on one result owes and when, what-if scenarios and the investors' returns.
Every figure is computed by hand in the comments."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from metrics.domain import finance, outcomes
from metrics.domain.outcomes import Draw, Price
from metrics.storage.store import Store
from metrics.usecases import exports
from tests.conftest import ADMIN


def test_a_contract_is_settled_once_for_the_page_and_the_command_line(demo_store: Store) -> None:
    row = demo_store.contracts(ADMIN).set_index("contract").loc["Peterborough SIB"].to_dict()
    row["contract"] = "Peterborough SIB"
    indicators, observations = demo_store.indicators(ADMIN), demo_store.observations(ADMIN)
    rows = demo_store.contract_sheets(ADMIN)
    report = finance.contract(row, indicators, observations, rows)
    # Peterborough: the overall result (9.02 % fewer reconvictions) passes the 7.5 % threshold;
    # 279.62 units of outcome x 22,100 GBP, less nothing paid to cohort 1 (it missed 10 %).
    assert report.terms.direction == "down"
    assert report.settlement.overall_units == 279.62
    assert report.settlement.payments == 6_179_602
    printed = {c["terms"]["name"]: c for c in exports.contract_settlements(demo_store, ADMIN)}
    assert printed["Peterborough SIB"] == report.as_dict()


def test_the_outcomes_direction_is_its_indicators(demo_store: Store) -> None:
    """The same results read for an outcome to raise: a fall is no improvement, nothing is
    paid."""
    row = demo_store.contracts(ADMIN).set_index("contract").loc["Peterborough SIB"].to_dict()
    row["contract"] = "Peterborough SIB"
    indicators = demo_store.indicators(ADMIN)
    raised = indicators.assign(
        direction=indicators["direction"].where(indicators["code"] != row["indicator"], "up")
    )
    report = finance.contract(row, raised, demo_store.observations(ADMIN))
    assert report.terms.direction == "up"
    assert report.settlement.overall_improvement == -0.0902
    assert report.settlement.payments == 0.0
    assert isinstance(report.results, pd.DataFrame) and len(report.results) == 2


# A contract paid on one result: cohorts of 100, 300 people overall, a baseline of 100 per 100,
# 10 a unit of improvement past 7.5 % overall, from 1 January 2020 to 30 June 2023.
ONE_RESULT = outcomes.Terms(
    name="T",
    alliance="A",
    indicator="reconviction_rate",
    capital=100,
    currency="EUR",
    start=dt.date(2020, 1, 1),
    end=dt.date(2023, 6, 30),
    cohort_size=100,
    baseline=100,
    overall_threshold=7.5,
    price=10,
    population=300,
)


def test_a_contract_paid_on_one_result_is_due_on_dates_and_its_cap_cuts_the_last_payment() -> None:
    """Two cohorts of 100 (threshold 10 %), 300 people overall (7.5 %), baseline 100 per 100,
    price 10, payment cap 150. Cohort A at 88 (12 % better: 12 units, 120) measured in 2021,
    cohort B at 95 (5 %: missed) in 2022, overall 90 (10 %: 30 units, 300 - 120 = 180 more),
    capped: 150 in all, so the overall payment is cut to 30, at the contract's end."""
    terms = dataclasses.replace(ONE_RESULT, cohort_threshold=10, payment_cap=150)
    results = pd.DataFrame(
        {
            "period": ["2021", "2022", "2023"],
            "period_start": [dt.date(2021, 1, 1), dt.date(2022, 1, 1), dt.date(2023, 1, 1)],
            "cohort": ["A", "B", ""],
            "value": [88.0, 95.0, 90.0],
        }
    )
    settlement = outcomes.settle(terms, {"A": 88.0, "B": 95.0}, 90.0)
    assert (settlement.payments, settlement.capped_by) == (150, "payments")
    due = finance.improvement_due(settlement, results)
    assert due[["period", "outcome", "paid_units", "amount", "capped_by"]].values.tolist() == [
        [dt.date(2021, 12, 31), "A", 12.0, 120.0, ""],
        [dt.date(2022, 12, 31), "B", 0.0, 0.0, ""],
        [dt.date(2023, 6, 30), finance.OVERALL, 3.0, 30.0, "payments"],
    ]
    # Drawn 100 at the start: 120 back at the end of 2021 (730 days: the senior's capital,
    # then, with no return cap, the 20 left as surplus to the investors, the default), 30 on
    # 30 June 2023 (1,276 days). The rate r with -100 + 120 / (1+r)^(730/365) + 30 /
    # (1+r)^(1276/365) = 0: at 19 % the sum is +1.07, at 20 % -0.81; r = 19.567 %.
    draws = [Draw("Fonds", "equity", "senior", 100, dt.date(2020, 1, 1), 100)]
    rate = finance.improvement_return(terms, settlement, results, draws)
    assert rate == pytest.approx(0.19567, abs=1e-5)
    # Kept by the payers, the investor gets its 100 back and no more: 0 %.
    kept = dataclasses.replace(terms, surplus_to="payers")
    assert finance.improvement_return(kept, settlement, results, draws) == 0.0


def test_what_if_the_outcomes_had_been_more_or_fewer() -> None:
    """One outcome counted at 100 each; a senior loan of 1,000 (no return cap: its capital at
    most) and a subordinate 500. Achieved: 5 units a year over two years (1,000 due)."""
    terms = outcomes.Terms(
        name="T",
        alliance="A",
        indicator="jobs_created",
        capital=1_500,
        currency="EUR",
        start=dt.date(2020, 1, 1),
        end=dt.date(2022, 1, 1),
        cohort_size=0,
        baseline=0,
        overall_threshold=0,
        price=0,
    )
    achieved = pd.DataFrame(
        {
            "period": [dt.date(2020, 12, 31), dt.date(2021, 12, 31)],
            "outcome": ["emploi", "emploi"],
            "units": [5.0, 5.0],
            "improvement": [None, None],
        }
    )
    start = dt.date(2020, 1, 1)
    empty = pd.DataFrame()
    card = finance.RateCard(
        prices=[Price("emploi", "count", 100)],
        achieved=achieved,
        finance=finance.Finance(
            due=empty,
            by_payer=empty,
            ledger=empty,
            ledger_by_outcome=empty,
            paid=empty,
            other_payments=empty,
            flows=empty,
            returns={},
            draws=[
                Draw("Banque", "loan", "senior", 1_000, start, 1_000),
                Draw("Fonds", "equity", "subordinate", 500, start, 500),
            ],
        ),
    )
    curve = finance.sensitivity(terms, card, [0.0, 1.0, 2.0])
    # 0 %: nothing due, nothing back. 100 %: 1,000 due, all to the senior tranche, which gets
    # its capital back: IRR 0. 200 %: 2,000: the senior's 1,000 then 1,000 to the
    # subordinate's 500.
    assert curve["payments"].tolist() == [0.0, 1_000.0, 2_000.0]
    assert pd.isna(curve["senior"][0]) and curve["senior"][1] == 0.0  # no IRR without money back
    assert curve["subordinate"][:2].isna().all()
    double = finance.scenario(terms, card, 2.0)
    back = double.flows[double.flows["flow"] == "distribution"]
    assert back.groupby("investor")["amount"].sum().to_dict() == {"Banque": 1_000, "Fonds": 1_000}
    assert double.subordinate is not None and double.subordinate > 0


def test_the_what_if_curve_of_a_contract_paid_on_one_result_gives_the_investors_irr() -> None:
    """No cohort; 300 people overall, baseline 100 per 100, price 10, threshold 7.5 %; 100 of
    subordinate equity drawn on 1 January 2020 (everything that comes back is its own).
    At 10 % better: 10 points x 300 / 100 = 30 units, 300 paid at the end, 30 June 2023
    (1,276 days): IRR 3^(365/1276) - 1. At 0 %: nothing back, all lost (-1). The IRR is
    computed at every second gain and the last."""
    terms = ONE_RESULT
    draws = [Draw("Fonds", "equity", "subordinate", 100, dt.date(2020, 1, 1), 100)]
    curve = finance.improvement_sensitivity(terms, {}, pd.DataFrame(), draws, [0, 5, 10], every=2)
    assert curve["payments"].tolist() == [0.0, 0.0, 300.0]
    assert curve["irr"][0] == -1.0 and pd.isna(curve["irr"][1])
    assert curve["irr"][2] == pytest.approx(3 ** (365 / 1276) - 1, abs=1e-6)


def test_a_tranche_paid_off_gets_no_more_rows_and_its_parts_add_up_to_the_cent() -> None:
    """Three lenders of 100 each in one senior tranche, no subordinate, no return cap: 100.00
    back is 33.34 + 33.33 + 33.33 (not 3 × 33.33); once their 300 is back, later payments add
    no row of 0.00 (they go to no tranche; where a surplus goes is for the contract to say)."""
    start = dt.date(2020, 1, 1)
    draws = [Draw(name, "loan", "senior", 100, start, 100) for name in ("A", "B", "C")]
    received = pd.DataFrame(
        {"date": [dt.date(2021, m, 1) for m in (1, 4, 7, 10, 12)], "amount": [100.0] * 5}
    )
    flows = outcomes.waterfall(draws, received, dt.date(2022, 1, 1))
    paid = flows[flows["flow"] == "distribution"]
    assert paid[paid["date"] == dt.date(2021, 1, 1)]["amount"].tolist() == [33.34, 33.33, 33.33]
    assert (paid["amount"] != 0).all()
    assert len(paid) == 9  # three payments repay the 300; the last two make no rows
    assert round(paid["amount"].sum(), 2) == 300.0


def test_recorded_distributions_stand_beside_the_computed_ones() -> None:
    """A loan of 1,000 (senior) and equity of 500 (subordinate); 1,200 received a year later:
    the loan gets its 1,000 back, the equity the 200 left. Recorded: 1,000 to the bank, 150
    to the fund, and 40 to a "Fonds 2" the waterfall never paid. Hand-computed differences:
    0, −50, +40 (recorded − computed); with the bank's rows alone, nothing is said recorded
    for the fund (not 0 paid)."""
    start, paid_on = dt.date(2024, 1, 1), dt.date(2025, 1, 1)
    draws = [
        Draw("Banque", "loan", "senior", 1_000, start, 1_000),
        Draw("Fonds", "equity", "subordinate", 500, start, 500),
    ]
    flows = outcomes.waterfall(
        draws, pd.DataFrame({"date": [paid_on], "amount": [1_200.0]}), end=paid_on
    )
    recorded = pd.DataFrame(
        {
            "date": [paid_on] * 3,
            "investor": ["Banque", "Fonds", "Fonds 2"],
            "tranche": ["senior", "subordinate", "subordinate"],
            "amount": [1_000.0, 150.0, 40.0],
        }
    )
    table = finance.distributions(flows, recorded)
    assert table.values.tolist() == [
        ["Banque", "senior", 1_000, 1_000, 0],
        ["Fonds", "subordinate", 200, 150, -50],
        ["Fonds 2", "subordinate", 0, 40, 40],
    ]
    alone = finance.distributions(flows, recorded.iloc[:1])
    assert alone.astype(object).where(alone.notna(), None).values.tolist() == [
        ["Banque", "senior", 1_000, 1_000, 0],
        ["Fonds", "subordinate", 200, None, None],
    ]
