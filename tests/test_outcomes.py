"""Hand-computed settlements, the Peterborough reference case, and every edge of the rules."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from metrics.domain import finance, outcomes
from metrics.storage.store import Store
from tests.conftest import ADMIN

TERMS = outcomes.Terms(
    name="Test",
    alliance="A",
    indicator="reconviction_rate",
    capital=1000.0,
    currency="EUR",
    start=dt.date(2020, 1, 1),
    end=dt.date(2025, 1, 1),
    cohort_size=100,
    baseline=100.0,
    overall_threshold=7.5,
    price=10.0,
    per=100,
    cohort_threshold=10.0,
)


def test_improvement_both_directions() -> None:
    assert outcomes.improvement(90, 100) == pytest.approx(0.10)
    assert outcomes.improvement(110, 100) == pytest.approx(-0.10)
    assert outcomes.improvement(110, 100, "up") == pytest.approx(0.10)


def test_exactly_at_the_threshold_is_met() -> None:
    assert outcomes.meets(0.10, 10.0) is True
    assert outcomes.meets(0.0999, 10.0) is False
    assert outcomes.meets(1 - 0.925, 7.5) is True  # float noise does not miss it
    assert outcomes.meets(0.5, None) is None


def test_units_of_outcome() -> None:
    # 100 -> 90 per 100 people, for 100 people: 10 reconvictions avoided
    assert outcomes.units(90, TERMS, 100) == pytest.approx(10.0)
    assert outcomes.units(105, TERMS, 100) == 0.0  # worse than the baseline: nothing


def test_cohort_meets_its_threshold() -> None:
    result = outcomes.settle(TERMS, {"C1": 90.0}, None)
    (cohort,) = result.cohorts
    assert (cohort.met, cohort.units, cohort.payment) == (True, pytest.approx(10.0), 100.0)
    assert result.status == "in_progress" and result.payments == 100.0
    assert result.multiple is None  # not settled before the overall result


def test_overall_pays_the_balance() -> None:
    # C1 met (paid 100); C2 missed. Overall 92 on 200 people: 16 units, 160 owed, 60 more.
    result = outcomes.settle(TERMS, {"C1": 90.0, "C2": 94.0}, 92.0)
    assert [c.met for c in result.cohorts] == [True, False]
    assert result.overall_met is True
    assert result.overall_units == pytest.approx(16.0)
    assert result.overall_payment == pytest.approx(60.0)
    assert result.payments == pytest.approx(160.0)
    assert result.status == "settled"
    assert result.multiple == pytest.approx(0.16)
    assert result.annual_return == pytest.approx(0.16 ** (1 / TERMS.years) - 1)


def test_overall_below_threshold_pays_nothing_more() -> None:
    result = outcomes.settle(TERMS, {"C1": 95.0}, 95.0)
    assert result.overall_met is False
    assert result.payments == 0.0
    assert result.annual_return == -1.0  # investors lose their capital


def test_no_result_yet() -> None:
    result = outcomes.settle(TERMS, {}, None)
    assert result.status == "no_result" and result.payments == 0.0
    assert result.annual_return is None and result.cohorts == []


def test_payment_cap() -> None:
    capped = dataclasses.replace(TERMS, payment_cap=150.0)
    result = outcomes.settle(capped, {"C1": 80.0}, 80.0)  # 20 units x 10 = 200 owed
    assert result.payments_before_caps == pytest.approx(200.0)
    assert result.payments == 150.0 and result.capped_by == "payments"


def test_return_cap() -> None:
    generous = dataclasses.replace(TERMS, price=1000.0, return_cap=13.0)
    result = outcomes.settle(generous, {"C1": 80.0}, 80.0)  # 20 units x 1000 = 20 000 owed
    years = TERMS.years
    assert result.capped_by == "return"
    assert result.payments == round(1000.0 * 1.13**years, 2)  # to the cent
    assert result.annual_return == pytest.approx(0.13)


def test_net_saving() -> None:
    saving = dataclasses.replace(TERMS, saving_per_unit=25.0)
    result = outcomes.settle(saving, {"C1": 94.0, "C2": 94.0}, 92.0)
    # 16 units x 25 saved - 160 paid
    assert result.net_saving == pytest.approx(16 * 25 - 160)


def test_sensitivity_has_the_step_and_the_cap() -> None:
    capped = dataclasses.replace(TERMS, payment_cap=300.0)
    table = outcomes.sensitivity(capped, {}, [5.0, 7.4, 7.5, 20.0, 40.0])
    paid = list(table["payments"])
    assert paid[:2] == [0.0, 0.0]  # below 7.5 %: nothing
    assert paid[2] == pytest.approx(75.0)  # 7.5 points x 100 people / 100 x 10
    assert paid[3] == pytest.approx(200.0)
    assert paid[4] == 300.0 and table["capped_by"].iloc[4] == "payments"


def test_peterborough_published_figures(demo_store: Store) -> None:
    """From its published figures: cohort 1, 142 reconviction events per 100 against 155 in its
    comparison group, 13 / 155 = 8.39 % fewer, misses 10 %; the final result, 9.02 % fewer,
    passes 7.5 %; "just over 3 % a year" for the investors. What was not published is marked
    illustrative: the cohort size, the population measured, the price and when the capital
    was drawn."""
    row = demo_store.contracts(ADMIN).set_index("contract").loc["Peterborough SIB"].to_dict()
    row["contract"] = "Peterborough SIB"
    terms = outcomes.Terms.from_row(row, "down")
    assert (terms.capital, terms.currency, terms.return_cap) == (5_000_000, "GBP", 13)
    assert (terms.baseline, terms.cohort_threshold, terms.overall_threshold) == (155, 10, 7.5)
    assert terms.illustrative == ("cohort_size", "population", "price", "investments")
    assert terms.payment_cap is None and terms.saving_per_unit is None  # never published
    table = outcomes.results(demo_store.observations(ADMIN), terms)
    cohorts, overall = outcomes.latest(table)
    result = outcomes.settle(terms, cohorts, overall)
    (first,) = result.cohorts
    assert (first.cohort, first.value) == ("Cohorte 1", 142)
    assert first.improvement == round(13 / 155, 6) == 0.083871
    assert first.met is False and first.payment == 0
    assert result.overall_improvement == 0.0902 and result.overall_met is True
    # (155 - 141.019) points x 2,000 people / 100 = 279.62 reconvictions avoided, x 22,100
    assert result.overall_units == 279.62
    assert result.payments == 6_179_602.0 == round(279.62 * 22_100, 2)
    # 6,179,602 / 5,000,000 = 1.23592 over 2,525 days (6.913 years): 1.23592^(1/6.913) - 1
    assert result.multiple == 1.23592
    assert result.annual_return == pytest.approx(1.23592 ** (365.25 / 2525) - 1, abs=1e-6)
    assert 0.03 < result.annual_return < 0.035  # "just over 3 % a year", under the 13 % cap
    assert result.capped_by is None and result.net_saving is None
    # The investors' IRR on their dated flows: 5,000,000 drawn on 1 September 2010, the
    # overall payment at the contract's end, 31 July 2017 (2,525 days): 1.23592^(365/2525) - 1.
    report = finance.contract(
        row,
        demo_store.indicators(ADMIN),
        demo_store.observations(ADMIN),
        demo_store.contract_sheets(ADMIN),
    )
    assert report.finance is not None and report.rate_card is None
    due = report.finance.due
    assert list(due["outcome"]) == ["Cohorte 1", finance.OVERALL]
    assert list(due["amount"]) == [0.0, 6_179_602.0]
    assert list(due["period"]) == [dt.date(2014, 12, 31), dt.date(2017, 7, 31)]
    flows = report.finance.flows
    assert list(zip(flows["date"], flows["amount"])) == [
        (dt.date(2010, 9, 1), -5_000_000.0),
        (dt.date(2017, 7, 31), 6_179_602.0),
    ]
    irr = 1.23592 ** (365 / 2525) - 1
    assert report.finance.investors_return == pytest.approx(irr, abs=1e-6)
    assert report.finance.returns == {"17 investisseurs sociaux": pytest.approx(irr, abs=1e-6)}
    assert 0.03 < irr < result.annual_return  # a year of 365 days, not 365.25


def test_the_declared_population_makes_the_overall_payment_independent_of_upload_order() -> None:
    """Two cohorts of 100, 200 people overall: an overall result of 92 against 100 (8 %
    better, past 7.5 %) is 8 points x 200 / 100 = 16 units, x 10 = 160, whether the second
    cohort's result was uploaded before it or not. Without a declared population, uploading
    the overall result first counted one cohort: 8 units."""
    declared = dataclasses.replace(TERMS, population=200)
    before = outcomes.settle(declared, {"Cohorte 1": 95}, 92)  # cohort 2 not uploaded yet
    after = outcomes.settle(declared, {"Cohorte 1": 95, "Cohorte 2": 95}, 92)
    assert before.overall_units == after.overall_units == 16
    # Cohorts at 5 % miss their 10 %: all of it is the overall payment.
    assert before.payments == after.payments == 160
    undeclared = outcomes.settle(TERMS, {"Cohorte 1": 95}, 92)
    assert undeclared.overall_units == 8  # the old rule: cohort size x cohorts measured
