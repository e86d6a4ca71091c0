"""What a page shows, assembled once: the page renders it and ``python -m metrics`` prints it, so
that the two cannot disagree.

Pure functions over frames from the store (no Streamlit, no database).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from metrics import outcomes


@dataclass(frozen=True)
class Contract:
    """One outcome contract settled on its latest measured results."""

    terms: outcomes.Terms
    results: pd.DataFrame  # ``outcomes.results``: per period and cohort, value and improvement
    cohorts: dict[str, float]  # each cohort's latest value
    settlement: outcomes.Settlement

    def as_dict(self) -> dict[str, Any]:
        """The settlement and every measured result, as the command line prints them."""
        document = self.settlement.as_dict()
        document["results"] = [
            {
                "period": r["period"],
                "cohort": r["cohort"] or None,
                "value": r["value"],
                "improvement": r["improvement"],
            }
            for r in self.results.to_dict("records")
        ]
        return document


def contract(
    row: Mapping[Any, Any], indicators: pd.DataFrame, observations: pd.DataFrame
) -> Contract:
    """``row``: a row of ``Store.contracts``; ``indicators``: ``Store.indicators`` (the
    outcome's direction, up or down, is its indicator's); ``observations``: current values
    holding the contract's alliance."""
    direction = str(indicators.set_index("code").at[row["indicator"], "direction"])
    terms = outcomes.Terms.from_row(row, direction)
    table = outcomes.results(observations, terms)
    cohorts, overall = outcomes.latest(table)
    return Contract(terms, table, cohorts, outcomes.settle(terms, cohorts, overall))
