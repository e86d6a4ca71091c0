"""Outcome contracts (social impact bonds): results against thresholds, payments, returns.

Pure functions. The rules, shown on the contracts page and in ``python -m metrics contracts``:

- improvement = (comparison baseline − measured value) / baseline for an outcome to bring down
  (reconvictions), (value − baseline) / baseline for one to raise; a threshold is met when the
  improvement reaches it (exactly at the threshold counts);
- units of outcome = the improvement in points × people / ``per`` (the indicator is expressed
  per ``per`` people): for reconvictions per 100 people, reconvictions avoided;
- a cohort that meets the cohort threshold is paid price × its units; at the end, if the result
  across all cohorts meets the overall threshold, the overall units are paid, less what the
  cohorts were already paid;
- payments are capped by the payment cap, then so that investors' annual return does not exceed
  the return cap; investors' multiple = payments / capital, annual return = multiple^(1/years)
  − 1 over the contract's length;
- the commissioner's net saving = units paid for × saving per unit − payments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

RULES = {
    "improvement": "(comparison baseline - value) / baseline for an outcome to bring down, "
    "(value - baseline) / baseline for one to raise; a threshold is met at or above it",
    "units": "improvement in points x people / per",
    "payments": "price x units of each cohort that meets the cohort threshold; at the end, if "
    "the overall result meets the overall threshold, price x overall units less what the "
    "cohorts were paid; then capped by the payment cap and by the annual return cap",
    "returns": "multiple = payments / capital; annual return = multiple ^ (1 / years) - 1",
    "net_saving": "units paid for x saving per unit - payments",
}
TOLERANCE = 1e-9  # an improvement equal to its threshold, up to float noise, meets it


@dataclass(frozen=True)
class Terms:
    """What the contract says. Thresholds and the return cap are in %."""

    name: str
    alliance: str
    indicator: str
    capital: float
    currency: str
    start: dt.date
    end: dt.date
    cohort_size: float
    baseline: float
    overall_threshold: float
    price: float
    per: float = 100.0
    cohort_threshold: float | None = None
    payment_cap: float | None = None
    return_cap: float | None = None
    saving_per_unit: float | None = None
    direction: str = "down"
    commissioner: str = ""
    investors: str = ""

    @property
    def years(self) -> float:
        return (self.end - self.start).days / 365.25

    @classmethod
    def from_row(cls, row: Mapping[Any, Any], direction: str) -> Terms:
        """From a row of ``Store.contracts()``."""

        def number(name: str) -> float | None:
            value = row.get(name)
            return None if value is None or pd.isna(value) else float(value)

        def day(value: Any) -> dt.date:
            return value.date() if hasattr(value, "date") else value  # type: ignore[no-any-return]

        return cls(
            name=str(row["contract"]),
            alliance=str(row["alliance"]),
            indicator=str(row["indicator"]),
            capital=float(row["capital"]),
            currency=str(row["currency"]),
            start=day(row["start_date"]),
            end=day(row["end_date"]),
            cohort_size=float(row["cohort_size"]),
            baseline=float(row["baseline"]),
            overall_threshold=float(row["overall_threshold"]),
            price=float(row["price"]),
            per=number("per") or 100.0,
            cohort_threshold=number("cohort_threshold"),
            payment_cap=number("payment_cap"),
            return_cap=number("return_cap"),
            saving_per_unit=number("saving_per_unit"),
            direction=direction,
            commissioner=str(row.get("commissioner") or ""),
            investors=str(row.get("investors") or ""),
        )


def money(amount: float) -> float:
    """An amount to the cent: ``6148799.999999997`` is ``6148800.0``, on screen and in JSON."""
    return round(amount, 2) + 0.0  # + 0.0: never -0.0


def fraction(rate: float) -> float:
    """A rate or an improvement to a millionth (0.0001 %): ``0.08399999999999994`` is
    ``0.084``, the arithmetic's noise, not a figure."""
    return round(rate, 6) + 0.0


def improvement(value: float, baseline: float, direction: str = "down") -> float:
    """Relative improvement against the comparison baseline, as a fraction.

    >>> round(improvement(128.24, 140), 3)  # reconvictions 8.4 % below the comparison group
    0.084
    """
    change = (baseline - value) if direction == "down" else (value - baseline)
    return fraction(change / baseline)


def meets(gain: float, threshold_percent: float | None) -> bool | None:
    """Whether an improvement (fraction) reaches a threshold (%); None without a threshold."""
    if threshold_percent is None:
        return None
    return 100 * gain >= threshold_percent - TOLERANCE


def units(value: float, terms: Terms, people: float) -> float:
    """Units of outcome: the improvement in points × people / per (never negative)."""
    points = (terms.baseline - value) if terms.direction == "down" else (value - terms.baseline)
    return fraction(max(0.0, points) * people / terms.per)


@dataclass(frozen=True)
class CohortResult:
    cohort: str
    value: float
    improvement: float
    met: bool | None
    units: float
    payment: float


@dataclass
class Settlement:
    """What the contract pays on the results measured so far."""

    terms: Terms
    cohorts: list[CohortResult] = field(default_factory=list)
    overall_value: float | None = None
    overall_improvement: float | None = None
    overall_met: bool | None = None
    overall_units: float = 0.0
    cohort_payments: float = 0.0
    overall_payment: float = 0.0
    payments_before_caps: float = 0.0
    payments: float = 0.0
    capped_by: str | None = None
    multiple: float | None = None
    annual_return: float | None = None
    net_saving: float | None = None
    status: str = "no_result"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["terms"] = {
            k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in asdict(self.terms).items()
        }
        data["terms"]["years"] = round(self.terms.years, 4)
        return data


def annual_return(payments: float, capital: float, years: float) -> float:
    """Annualised return of investors who put ``capital`` in and got ``payments`` back."""
    if payments <= 0:
        return -1.0
    return float((payments / capital) ** (1 / years) - 1)


def settle(
    terms: Terms, cohort_values: dict[str, float], overall_value: float | None
) -> Settlement:
    """Settle the contract on each cohort's latest result and the overall result (if any)."""
    result = Settlement(terms)
    for cohort, value in sorted(cohort_values.items()):
        gain = improvement(value, terms.baseline, terms.direction)
        met = meets(gain, terms.cohort_threshold)
        done = units(value, terms, terms.cohort_size)
        payment = money(done * terms.price) if met else 0.0
        result.cohorts.append(CohortResult(cohort, value, gain, met, done, payment))
    result.cohort_payments = money(sum(c.payment for c in result.cohorts))
    if overall_value is not None:
        people = terms.cohort_size * max(1, len(cohort_values))
        result.overall_value = overall_value
        result.overall_improvement = improvement(overall_value, terms.baseline, terms.direction)
        result.overall_met = bool(meets(result.overall_improvement, terms.overall_threshold))
        result.overall_units = units(overall_value, terms, people)
        if result.overall_met:
            owed = result.overall_units * terms.price
            result.overall_payment = money(max(0.0, owed - result.cohort_payments))
    if not cohort_values and overall_value is None:
        return result
    result.status = "settled" if overall_value is not None else "in_progress"
    total = money(result.cohort_payments + result.overall_payment)
    result.payments_before_caps = total
    if terms.payment_cap is not None and total > terms.payment_cap:
        total, result.capped_by = terms.payment_cap, "payments"
    rate = annual_return(total, terms.capital, terms.years)
    if terms.return_cap is not None and rate > terms.return_cap / 100:
        total = money(terms.capital * (1 + terms.return_cap / 100) ** terms.years)
        rate, result.capped_by = terms.return_cap / 100, "return"
    result.payments = total
    if result.status == "settled":
        result.multiple = fraction(total / terms.capital)
        result.annual_return = fraction(rate)
    if terms.saving_per_unit is not None:
        paid_for = (
            result.overall_units
            if result.overall_met
            else sum(c.units for c in result.cohorts if c.met)
        )
        result.net_saving = money(paid_for * terms.saving_per_unit - total)
    return result


def results(observations: pd.DataFrame, terms: Terms) -> pd.DataFrame:
    """The measured results of a contract over time: one row per period and cohort (''
    for the overall result), with the improvement against the comparison baseline."""
    mine = observations[
        (observations["alliance"] == terms.alliance)
        & (observations["indicator"] == terms.indicator)
        & ((observations["stakeholder"] == "") | (observations["stakeholder_type"] == "cohort"))
    ]
    table = mine[["period", "period_start", "stakeholder", "value"]].rename(
        columns={"stakeholder": "cohort"}
    )
    table = table.assign(
        improvement=[improvement(v, terms.baseline, terms.direction) for v in table["value"]]
    )
    # Within a period, the cohorts first, then the overall result.
    order = table.assign(overall=table["cohort"] == "")
    order = order.sort_values(["period_start", "overall", "cohort"])
    return order.drop(columns="overall").reset_index(drop=True)


def latest(results_table: pd.DataFrame) -> tuple[dict[str, float], float | None]:
    """Each cohort's latest value and the latest overall value."""
    cohorts: dict[str, float] = {}
    overall: float | None = None
    for row in results_table.sort_values("period_start").to_dict("records"):
        if row["cohort"]:
            cohorts[str(row["cohort"])] = float(row["value"])
        else:
            overall = float(row["value"])
    return cohorts, overall


def what_if(terms: Terms, cohort_values: dict[str, float], gain_percent: float) -> Settlement:
    """The settlement if the overall result were ``gain_percent`` % better than the baseline."""
    sign = -1 if terms.direction == "down" else 1
    value = terms.baseline * (1 + sign * gain_percent / 100)
    return settle(terms, cohort_values, value)


def sensitivity(terms: Terms, cohort_values: dict[str, float], gains: list[float]) -> pd.DataFrame:
    """Payments and investors' annual return for a range of overall improvements (in %)."""
    rows = []
    for gain in gains:
        outcome = what_if(terms, cohort_values, gain)
        rows.append(
            {
                "improvement": gain,
                "payments": outcome.payments,
                "annual_return": outcome.annual_return,
                "capped_by": outcome.capped_by or "",
            }
        )
    return pd.DataFrame(rows)
