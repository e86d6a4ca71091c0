"""View-models: what a page shows is assembled once, and the command line prints the same."""

from __future__ import annotations

import pandas as pd

from metrics import cli, reports
from metrics.store import Store
from tests.conftest import ADMIN


def test_a_contract_is_settled_once_for_the_page_and_the_command_line(demo_store: Store) -> None:
    row = demo_store.contracts(ADMIN).iloc[0].to_dict()
    indicators, observations = demo_store.indicators(), demo_store.observations(ADMIN)
    report = reports.contract(row, indicators, observations)
    # Peterborough: the overall result (9 % fewer reconvictions) passes the 7.5 % threshold;
    # 252 units of outcome x 24,400 GBP, less nothing paid to the cohorts (both missed 10 %).
    assert report.terms.direction == "down"
    assert report.settlement.overall_units == 252.0
    assert report.settlement.payments == 252 * 24_400 == 6_148_800
    assert cli.contract_settlements(demo_store, ADMIN) == [report.as_dict()]


def test_the_outcomes_direction_is_its_indicators(demo_store: Store) -> None:
    """The same results read for an outcome to raise: a fall is no improvement, nothing is
    paid."""
    row = demo_store.contracts(ADMIN).iloc[0].to_dict()
    indicators = demo_store.indicators()
    raised = indicators.assign(
        direction=indicators["direction"].where(indicators["code"] != row["indicator"], "up")
    )
    report = reports.contract(row, raised, demo_store.observations(ADMIN))
    assert report.terms.direction == "up"
    assert report.settlement.overall_improvement == -0.09
    assert report.settlement.payments == 0.0
    assert isinstance(report.results, pd.DataFrame) and len(report.results) >= 3
