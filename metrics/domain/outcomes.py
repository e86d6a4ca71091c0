"""Outcome contracts (social impact bonds): results against thresholds, payments, returns.

Pure functions. The rules, shown on the contracts page and in ``python -m metrics contracts``:

- improvement = (comparison baseline − measured value) / baseline for an outcome to bring down
  (reconvictions), (value − baseline) / baseline for one to raise; a threshold is met when the
  improvement reaches it (exactly at the threshold counts);
- units of outcome = the improvement in points × people / ``per`` (the indicator is expressed
  per ``per`` people): for reconvictions per 100 people, reconvictions avoided; the people of
  a cohort are the cohort size, those of the overall result the contract's declared
  population (else, for a contract that declares none, cohort size × the cohorts measured);
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
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

import pandas as pd

from metrics.base.errors import MetricsError
from metrics.base.numbers import exchange_rates

RULES = {
    "improvement": "(comparison baseline - value) / baseline for an outcome to bring down, "
    "(value - baseline) / baseline for one to raise; a threshold is met at or above it",
    "units": "improvement in points x people / per; people: the cohort size for a cohort, the "
    "contract's declared population for the overall result (else cohort size x cohorts "
    "measured)",
    "payments": "price x units of each cohort that meets the cohort threshold; at the end, if "
    "the overall result meets the overall threshold, price x overall units less what the "
    "cohorts were paid; then capped by the payment cap and by the annual return cap",
    "returns": "multiple = payments / capital; annual return = multiple ^ (1 / years) - 1 (all "
    "the capital at the start, one payment at the end); with investments rows, the investors' "
    "internal rate of return on their dated draws and on each payment when it is due: a "
    "cohort's at the end of the period of its result, the overall one at the contract's end "
    "(see irr)",
    "net_saving": "units paid for x saving per unit - payments",
}
K = TypeVar("K")  # what money is shared between (a payer, an investor and its tranche)
TOLERANCE = 1e-9  # an improvement equal to its threshold, up to float noise, meets it


@dataclass(frozen=True)
class Terms:
    """What the contract says. Thresholds and the return cap are in %."""

    name: str
    alliance: str
    indicator: str  # '' for a contract paid by its rate card (each price names its own)
    capital: float | None  # None: not published (a rate card's investors are its draws)
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
    population: float | None = None  # people the overall result is measured on
    illustrative: tuple[str, ...] = ()  # the fields whose figures were not published
    surplus_to: str | None = None  # where a surplus goes (``SURPLUS``); None: ``surplus``
    # The provider's share of the investors' return (what they receive beyond their capital), %
    provider_share: float | None = None
    # Outcome payments received up to this day are re-lent to the provider as working capital
    recycle_until: dt.date | None = None
    # What one unit of another currency is worth in the contract's (``in_currency``)
    exchange_rates: Mapping[str, float] = field(default_factory=dict)
    person_cap: float | None = None  # what one participant may earn, all outcomes together

    def in_currency(self, amount: float, currency: Any = "") -> float:
        """``amount`` given in ``currency`` (blank: the contract's), in the contract's currency
        at the rate the contract states (``exchange_rates``), to the cent: the ledger and the
        waterfall then add up the same cents."""
        code = _text(currency).upper()
        if not code or code == self.currency:
            return amount
        if code not in self.exchange_rates:
            known = ", ".join([self.currency, *self.exchange_rates])
            raise MetricsError.of("err.currency_rate", currency=code, known=known)
        return money(amount * self.exchange_rates[code])

    def surplus(self, draws: Iterable[Draw] = ()) -> str:
        """Where outcome payments go once the tranches are paid what its investors (``draws``)
        may receive (``surplus_goes``)."""
        return surplus_goes(self.surplus_to, self.return_cap, draws)

    @property
    def has_improvement_terms(self) -> bool:
        """Whether the contract pays one improvement over its comparison group (else its rate
        card pays it)."""
        return self.baseline > 0 and self.price > 0 and self.cohort_size > 0

    @property
    def years(self) -> float:
        return (self.end - self.start).days / 365.25

    @classmethod
    def from_row(cls, row: Mapping[Any, Any], direction: str) -> Terms:
        """From a row of ``Store.contracts()``."""

        def number(name: str) -> float | None:
            value = row.get(name)
            return None if value is None or pd.isna(value) else float(value)

        return cls(
            name=str(row["contract"]),
            alliance=str(row["alliance"]),
            indicator=_text(row.get("indicator")),
            capital=number("capital"),
            currency=str(row["currency"]),
            start=day_of(row["start_date"]) or dt.date.min,
            end=day_of(row["end_date"]) or dt.date.max,
            # 0 for a contract paid by a rate card instead (see ``has_improvement_terms``)
            cohort_size=number("cohort_size") or 0.0,
            baseline=number("baseline") or 0.0,
            overall_threshold=number("overall_threshold") or 0.0,
            price=number("price") or 0.0,
            per=number("per") or 100.0,
            cohort_threshold=number("cohort_threshold"),
            payment_cap=number("payment_cap"),
            return_cap=number("return_cap"),
            saving_per_unit=number("saving_per_unit"),
            direction=direction,
            commissioner=str(row.get("commissioner") or ""),
            investors=str(row.get("investors") or ""),
            population=number("population"),
            illustrative=tuple(f for f in _text(row.get("illustrative")).split(",") if f),
            surplus_to=_text(row.get("surplus")) or None,
            provider_share=number("provider_share"),
            recycle_until=day_of(row.get("recycle_until")),
            exchange_rates=exchange_rates(_text(row.get("exchange_rates")) or None),
            person_cap=number("person_cap"),
        )


def surplus_goes(chosen: str | None, return_cap: float | None, draws: Iterable[Draw]) -> str:
    """Where a surplus goes: as the contract says, else to the investors when no return is
    capped (the contract's ``return_cap`` nor an investor's own, nor a bonus), kept by the
    payers when one is (a cap, or a bonus, says what investors may receive)."""
    capped = return_cap is not None or any(d.return_cap is not None or d.bonus for d in draws)
    return chosen or ("payers" if capped else "investors")


def day_of(value: Any) -> dt.date | None:
    """A stored date as a day: a timestamp's date, ``None`` for NULL, NaT or NaN."""
    if value is None or value != value:  # NaT and NaN are not themselves
        return None
    return value.date() if isinstance(value, dt.datetime) else value  # type: ignore[no-any-return]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""  # NULL, NaN: none


def foreign(terms: Terms, currency: Any) -> str:
    """``currency`` when it is not the contract's (upper case), else ''."""
    code = _text(currency).upper()
    return "" if code == terms.currency else code


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
        people = terms.population or terms.cohort_size * max(1, len(cohort_values))
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
    capital = terms.capital
    rate = annual_return(total, capital, terms.years) if capital else None
    cap = terms.return_cap
    if capital and rate is not None and cap is not None and rate > cap / 100:
        total = money(capital * (1 + cap / 100) ** terms.years)
        rate, result.capped_by = cap / 100, "return"
    result.payments = total
    if result.status == "settled" and capital and rate is not None:
        result.multiple = fraction(total / capital)
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


# -- rate cards, payers, ledger, investors (contracts as real impact bonds are written) ----------
#
# The rules, shown on the contracts page and in ``python -m metrics contracts``:
RATE_CARD_RULES = {
    "due": "per period, in date order, and per outcome, in the rate card's order: count basis, "
    "each outcome achieved x its price; improvement basis, the units of improvement x the price "
    "of the highest tier whose threshold the improvement reaches (none reached: nothing), the "
    "prices in effect on the period's last day (a price from a date applies until the next); "
    "then capped by the outcome's maximum units and maximum amount over the contract, then by the "
    "contract's cap",
    "per_person": "when results are given per participant (a pseudonymous id), they count "
    "instead of the indicator's values for the count outcomes they give, in date order: each "
    "paid at most its price's times per person (once by default), at the price in effect on "
    "its day, and one participant's payments, all outcomes together, at most the contract's "
    "cap per participant (the result that crosses it is paid what is left)",
    "currencies": "an amount in another currency than the contract's (a commitment, an "
    "investor's amounts, a payment) counts at the rate the contract states, to the cent",
    "payers": "each amount due is shared by the payers' rows naming its outcome, else by those "
    "naming none: by their shares when given, else pro rata to their commitments, to the "
    "cent, the parts adding up to the whole (largest remainder, on all that is due so far); "
    "what would take a payer past its commitment, or what no payer shares, is left unfunded",
    "ledger": "paid comes from the outcome payments recorded, per payer and per outcome (a "
    "payment that names no outcome is counted apart); payments of another nature (not "
    "outcomes) are kept apart",
    "waterfall": "each outcome payment reaches the senior tranche first, up to its investors' "
    "balances (each one's capital drawn growing at its own return cap, else the contract's, "
    "from each draw, less what it received; without a cap, its capital), then the subordinate "
    "tranche, up to the same (without a cap, all that is left); within a tranche, pro rata to "
    "capital drawn, to the cent, an investor paid off leaving its part to the others; what is "
    "left (the "
    "surplus) goes where the contract says: to the investors pro rata to capital drawn (the "
    "default without a return cap or bonus), to the provider, or kept by the payers (the "
    "default with a cap or a bonus); an investor's bonus is paid once its capital and interest "
    "are; payments received up to the contract's recycling day are re-lent to the provider as "
    "working capital; the provider's share of what investors receive beyond their capital "
    "comes out of each one's return, pro rata to it; every cent received is distributed or "
    "kept, none lost; at the end, a guarantee pays the senior tranche's capital not paid back, "
    "up to its amount",
    "irr": "internal rate of return on the dated flows (draws out, distributions back), "
    "actual days over 365",
}
BASES = ("count", "improvement")


@dataclass(frozen=True)
class Price:
    """One row of a rate card: what one unit of an outcome pays. Several rows of one outcome
    with rising thresholds are tiers. Thresholds are in % of improvement."""

    outcome: str
    basis: str  # "count" | "improvement"
    price: float
    threshold: float | None = None
    max_units: float | None = None
    max_amount: float | None = None
    since: dt.date | None = None  # from when it applies (until its outcome's next ``since``)
    per_person: float | None = None  # times one participant may be paid it (None: once)


def in_effect(rates: list[Price], period: Any) -> list[Price]:
    """The rows of one outcome that apply to ``period`` (a day, its last): those of the latest
    ``since`` on or before it (rows with none apply from the start). A renegotiation replaces
    the outcome's whole card, its tiers and caps: a tier it drops no longer pays.

    >>> old, new = Price("o", "count", 10), Price("o", "count", 12, since=dt.date(2025, 1, 1))
    >>> [r.price for r in in_effect([old, new], dt.date(2024, 12, 31))], [
    ...     r.price for r in in_effect([old, new], dt.date(2025, 3, 31))]
    ([10], [12])
    """
    day = period if isinstance(period, dt.date) else None
    started = [r for r in rates if r.since is None or (day is not None and r.since <= day)]
    if not started:
        return []
    latest = max(r.since or dt.date.min for r in started)
    return [r for r in started if (r.since or dt.date.min) == latest]


def due(card: list[Price], achieved: pd.DataFrame, cap: float | None = None) -> pd.DataFrame:
    """Outcome payments due. ``achieved``: one row per ``period`` (a date or a sortable label)
    and ``outcome``, with ``units`` (outcomes achieved, or units of improvement) and, for an
    improvement outcome, ``improvement`` (a fraction). Returns one row per row of
    ``achieved``: ``period``, ``outcome``, ``units``, ``price`` (None: no tier reached),
    ``paid_units``, ``amount`` and ``capped_by`` (``outcome_units``, ``outcome_amount``,
    ``contract`` or '')."""
    tiers: dict[str, list[Price]] = {}
    for row in card:
        tiers.setdefault(row.outcome, []).append(row)
    order = {name: n for n, name in enumerate(tiers)}
    units_so_far = dict.fromkeys(tiers, 0.0)
    amount_so_far = dict.fromkeys(tiers, 0.0)
    total = 0.0
    rows = []
    ranked = achieved.assign(_order=achieved["outcome"].map(order))
    for record in ranked.sort_values(["period", "_order"]).to_dict("records"):
        outcome = str(record["outcome"])
        every = tiers[outcome]
        rates = sorted(in_effect(every, record["period"]), key=lambda r: r.threshold or 0.0)
        done = max(0.0, float(record["units"]))
        tier: Price | None = rates[0] if rates else None  # none in effect yet: nothing due
        if rates and rates[0].basis == "improvement":
            gain = float(record.get("improvement") or 0.0)
            reached = [r for r in rates if 100 * gain >= (r.threshold or 0.0) - TOLERANCE]
            tier = reached[-1] if reached else None
        capped_by = ""
        paid_units = done if tier is not None else 0.0
        limits = [r.max_units for r in rates if r.max_units is not None]
        if limits and units_so_far[outcome] + paid_units > min(limits):
            paid_units, capped_by = max(0.0, min(limits) - units_so_far[outcome]), "outcome_units"
        amount = paid_units * tier.price if tier is not None else 0.0
        ceilings = [r.max_amount for r in rates if r.max_amount is not None]
        if ceilings and amount_so_far[outcome] + amount > min(ceilings):
            amount, capped_by = max(0.0, min(ceilings) - amount_so_far[outcome]), "outcome_amount"
        if cap is not None and total + amount > cap:
            amount, capped_by = max(0.0, cap - total), "contract"
        amount = money(amount)
        if tier is not None and tier.price > 0 and capped_by in ("outcome_amount", "contract"):
            paid_units = amount / tier.price  # the units the capped amount pays for
        units_so_far[outcome] += paid_units
        amount_so_far[outcome] += amount
        total += amount
        rows.append(
            {
                "period": record["period"],
                "outcome": outcome,
                "units": fraction(done),
                "price": tier.price if tier is not None else None,
                "paid_units": fraction(paid_units),
                "amount": amount,
                "capped_by": capped_by,
            }
        )
    columns = ["period", "outcome", "units", "price", "paid_units", "amount", "capped_by"]
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class Payer:
    """Who pays outcomes, up to ``commitment``; ``share`` in % of each payment (else pro rata
    to commitments)."""

    name: str
    commitment: float
    share: float | None = None
    outcome: str = ""  # the outcome whose payments it shares ('': every one no payer names)


def shares(payers: list[Payer]) -> dict[str, float]:
    """Each payer's fraction of every payment: the shares given (in %), else pro rata to
    commitments.

    >>> shares([Payer("État", 3_000_000), Payer("Fonds", 1_000_000)])
    {'État': 0.75, 'Fonds': 0.25}
    """
    if payers and all(p.share is not None for p in payers):
        return {p.name: fraction((p.share or 0.0) / 100) for p in payers}
    committed = sum(p.commitment for p in payers)
    return {p.name: fraction(p.commitment / committed) if committed else 0.0 for p in payers}


def split(amount: float, weights: Mapping[K, float]) -> dict[K, float]:
    """``amount`` shared in proportion to ``weights``, to the cent, the parts adding up to the
    whole: each part's whole cents, then the cents left one each to the largest remainders
    (the first named on a tie). Rounding each part on its own loses or makes cents.

    >>> split(100, {"a": 1, "b": 1, "c": 1})
    {'a': 33.34, 'b': 33.33, 'c': 33.33}
    """
    cents = round(amount * 100)
    total = sum(weights.values())
    if not total:
        return dict.fromkeys(weights, 0.0)
    exact = {name: cents * weight / total for name, weight in weights.items()}
    parts = {name: math.floor(value) for name, value in exact.items()}
    left = cents - sum(parts.values())
    for name in sorted(exact, key=lambda n: parts[n] - exact[n])[:left]:
        parts[name] += 1
    return {name: parts[name] / 100 + 0.0 for name in weights}


def by_payer(due_table: pd.DataFrame, payers: list[Payer]) -> pd.DataFrame:
    """Each amount due split between the payers: ``period``, ``outcome``, ``payer``,
    ``amount`` (within the payer's commitment) and ``unfunded`` (what would have taken it past
    its commitment, or what no payer shares).

    The rows of payers naming an outcome share that outcome's payments; those naming none,
    every other outcome's (an outcome fund topping up some outcomes only). Within each, the
    split is of the amounts due so far, each time (``split``): a payer's parts then add up, to
    the cent, to its share of all that is due, whatever the number of periods (a payer owed
    its whole commitment gets it exactly, never a cent short or "unfunded"). A payer's
    commitment (the largest on its rows) caps all it pays, used up in the order of the
    periods, whichever outcomes they pay."""
    named = {p.outcome.casefold() for p in payers if p.outcome}
    committed: dict[str, float] = {}
    for p in payers:
        committed[p.name] = max(committed.get(p.name, 0.0), p.commitment)
    ordered = due_table.sort_values("period", kind="stable")
    outcome = ordered["outcome"].astype(str).str.casefold()
    groups = outcome.where(outcome.isin(named), "")
    owed = []
    for group, part in ordered.groupby(groups, sort=False):
        owed += _owed(part, [p for p in payers if p.outcome.casefold() == group])
    columns = ["period", "outcome", "payer", "owed"]
    in_order = pd.DataFrame(owed, columns=columns).sort_values("period", kind="stable")
    frame = _within_commitments(in_order, committed)
    return frame.reset_index(drop=True)


def _owed(due_table: pd.DataFrame, payers: list[Payer]) -> list[dict[str, Any]]:
    """What each of ``payers`` owes of ``due_table``'s amounts (``by_payer``); none: a row
    with no payer."""
    given = bool(payers) and all(p.share is not None for p in payers)
    weights = {p.name: (p.share or 0.0) if given else p.commitment for p in payers}
    # Shares given in % cover that % of each amount (an import checks that a file's add up
    # to 100; rows of several uploads may not), never more than the whole; pro rata to
    # commitments covers the whole.
    scale = min(1.0, sum(weights.values()) / 100) if given else 1.0
    owed_so_far = dict.fromkeys(weights, 0.0)
    due_so_far = 0.0
    rows = []
    for record in due_table.to_dict("records"):
        due_so_far += float(record["amount"])
        if not payers:
            rows.append({**_due_of(record), "payer": "", "owed": money(float(record["amount"]))})
            continue
        target = split(due_so_far * scale, weights)
        for payer in payers:
            owed = money(target[payer.name] - owed_so_far[payer.name])
            owed_so_far[payer.name] = target[payer.name]
            rows.append({**_due_of(record), "payer": payer.name, "owed": owed})
    return rows


def _within_commitments(owed: pd.DataFrame, committed: dict[str, float]) -> pd.DataFrame:
    """``owed``'s rows in order, each payer paying within what is left of its commitment
    (``amount``), the rest ``unfunded``; a row with no payer is unfunded whole."""
    paid_so_far = dict.fromkeys(committed, 0.0)
    amounts, unfunded = [], []
    for payer, due in zip(owed["payer"], owed["owed"]):
        room = max(0.0, committed[payer] - paid_so_far[payer]) if payer else 0.0
        funded = money(min(due, room))
        if payer:
            paid_so_far[payer] += funded
        amounts.append(funded)
        unfunded.append(money(due - funded))
    return owed.drop(columns="owed").assign(amount=amounts, unfunded=unfunded)


def _due_of(record: Mapping[Any, Any]) -> dict[str, Any]:
    return {"period": record["period"], "outcome": record["outcome"]}


def ledger(
    due_table: pd.DataFrame, payments: pd.DataFrame, by: str = "payer"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Due against paid, per payer (``by="payer"``, ``due_table`` from ``by_payer``) or per
    outcome (``by="outcome"``, ``due_table`` from ``due``): ``payer`` (or ``outcome``), ``due``,
    ``paid``, ``difference`` (paid − due); and the payments of another nature than outcomes,
    apart. ``payments``: the ledger's rows, ``date``, ``payer``, ``outcome`` (blank: not
    assigned to one), ``amount``, ``nature`` (``outcome`` or ``other``)."""
    if payments.empty:
        payments = pd.DataFrame(columns=["date", "payer", "outcome", "amount", "nature"])
    if by not in payments:
        payments = payments.assign(**{by: ""})
    is_outcome = payments["nature"].fillna("outcome").eq("outcome")
    other: pd.DataFrame = payments[~is_outcome].reset_index(drop=True)
    owed = due_table.groupby(by, sort=False)["amount"].sum()
    paid = payments[is_outcome].fillna({by: ""}).groupby(by, sort=False)["amount"].sum()
    names = list(dict.fromkeys([*owed.index, *paid.index]))
    rows = [
        {
            by: name,
            "due": money(float(owed.get(name, 0.0))),
            "paid": money(float(paid.get(name, 0.0))),
        }
        for name in names
    ]
    table = pd.DataFrame(rows, columns=[by, "due", "paid"])
    table["difference"] = [money(p - d) for p, d in zip(table["paid"], table["due"])]
    return table, other


@dataclass(frozen=True)
class Draw:
    """Capital an investor put in (one row per draw), in a tranche; a ``guarantee`` row is
    a promise (``committed``), not capital drawn; a ``grant`` is not paid back."""

    investor: str
    kind: str  # "equity" | "loan" | "guarantee" | "grant"
    tranche: str  # "senior" | "subordinate"
    committed: float
    date: dt.date
    drawn: float = 0.0
    return_cap: float | None = None  # its own cap, % a year (else the contract's): its interest
    bonus: float | None = None  # a fixed sum on top of its capital and interest, paid after them
    currency: str = ""  # the currency it invested in, when not the contract's (amounts converted)


SURPLUS_KINDS = ("provider", "payers")  # rows of the waterfall that are no investor's


@dataclass
class _Holding:
    """An investor's capital in a tranche and what it may still receive (its balance: the
    capital drawn growing at its cap from each draw, less what it received)."""

    draw: Draw  # its first draw (the investor, the tranche, the kind)
    cap: float | None  # % a year; None: the capital at most (senior), no limit (subordinate)
    bonus: float = 0.0  # still to receive once the balance is paid (``Draw.bonus``)
    capital: float = 0.0
    balance: float = 0.0
    repaid: float = 0.0  # capital received back so far (beyond it: the investor's return)
    since: dt.date | None = None

    def accrue(self, day: dt.date) -> None:
        if self.cap is not None and self.since is not None:
            self.balance *= (1 + self.cap / 100) ** ((day - self.since).days / 365.25)
        self.since = day

    def limited(self) -> bool:
        return self.draw.tranche == "senior" or self.cap is not None

    def room(self) -> float:
        """What it may still receive: its balance, then its bonus (none when unlimited)."""
        return money(max(0.0, self.balance) + max(0.0, self.bonus))

    def receive(self, part: float) -> float:
        """Take ``part`` (the balance first, then the bonus); returns the return in it (what
        is beyond the capital not yet repaid)."""
        from_balance = min(part, max(0.0, self.balance)) if self.limited() else part
        self.balance -= from_balance
        self.bonus -= part - from_balance
        back = min(part, max(0.0, self.capital - self.repaid))
        self.repaid += back
        return money(part - back)


def waterfall(
    draws: list[Draw],
    received: pd.DataFrame,
    end: dt.date,
    return_cap: float | None = None,
    surplus: str | None = None,
    *,
    provider_share: float | None = None,
    recycle_until: dt.date | None = None,
) -> pd.DataFrame:
    """Investors' dated cash flows: each draw out (negative), each outcome payment in
    (``received``: ``date``, ``amount``) shared senior first then subordinate, and at ``end``
    the guarantors' cover of the senior tranche's capital shortfall.

    What an investor may receive is its balance: the capital it drew, growing at its own
    return cap (``Draw.return_cap``, else ``return_cap``) % a year (compounded over actual
    days) from each draw, less what it received; without a cap, a senior investor gets its
    capital back at most and a subordinate one everything left; then its ``Draw.bonus``, a
    fixed sum. Within a tranche, pro rata to capital drawn, to the cent, an investor paid off
    leaving its part to the others.
    What is left of a payment (the ``surplus``) goes to the ``investors`` pro rata to all the
    capital they drew (flow ``surplus``), or to the ``provider`` or the ``payers`` (a row of
    that ``kind``, no investor; by default, ``surplus_goes``). A payment received up to
    ``recycle_until`` is re-lent to the provider as working capital (flow ``recycled``);
    ``provider_share`` % of what investors receive beyond their capital goes to the provider
    (flow ``return_share``). Every cent received is in a row, none lost. Returns ``date``,
    ``investor``, ``tranche``, ``kind``, ``flow`` (``draw``, ``distribution``, ``surplus``,
    ``recycled``, ``return_share``, ``guarantee``), ``amount``."""
    rows = []
    held: dict[tuple[str, str], _Holding] = {}
    caps: dict[tuple[str, str], float] = {}  # an investor's own cap, from any of its draws
    bonuses: dict[tuple[str, str], float] = {}  # its bonus, the largest its rows state
    for d in draws:
        if d.return_cap is not None:
            caps.setdefault((d.investor, d.tranche), d.return_cap)
        if d.bonus:
            bonuses[d.investor, d.tranche] = max(d.bonus, bonuses.get((d.investor, d.tranche), 0))
    to = surplus_goes(surplus, return_cap, draws)
    events: list[tuple[dt.date, int, Any]] = [
        (d.date, 0, d) for d in draws if d.kind != "guarantee" and d.drawn > 0
    ]
    events += [(p["date"], 1, float(p["amount"])) for p in received.to_dict("records")]
    for day, order, what in sorted(events, key=lambda e: (e[0], e[1])):
        if order == 1 and recycle_until is not None and day <= recycle_until:
            rows.append(_no_investors(day, "provider", "recycled", what))
        elif order == 1:
            rows += _paid_out(day, what, held, to, provider_share)
        else:  # a draw
            rows.append(_flow(day, what, "draw", -what.drawn))
            if what.kind != "grant":
                key = (what.investor, what.tranche)
                holding = held.setdefault(
                    key, _Holding(what, caps.get(key, return_cap), bonuses.get(key, 0.0))
                )
                holding.accrue(day)
                holding.capital += what.drawn
                holding.balance += what.drawn
    rows += _guaranteed(draws, held, end)
    columns = ["date", "investor", "tranche", "kind", "flow", "amount"]
    return pd.DataFrame(rows, columns=columns)


def _paid_out(
    day: dt.date,
    amount: float,
    held: Mapping[tuple[str, str], _Holding],
    to: str,
    provider_share: float | None,
) -> list[dict[str, Any]]:
    """The rows of one outcome payment: senior then subordinate investors up to what each may
    receive, the surplus where it goes, and the provider's share of the return in them."""
    rows: list[dict[str, Any]] = []
    returns: dict[int, float] = {}  # a row's return: what it carries beyond capital
    left = money(amount)
    for tranche in TRANCHES:
        mine = {k: h for k, h in held.items() if k[1] == tranche and h.capital > 0}
        if left <= 0 or not mine:
            continue
        for holding in mine.values():
            holding.accrue(day)
        for investor, part in _fill(left, mine).items():
            if part:  # an investor paid off gets no row
                returns[len(rows)] = mine[investor].receive(part)
                rows.append(_flow(day, mine[investor].draw, "distribution", part))
                left = money(left - part)
    if left > 0:
        capital = {k: h.capital for k, h in held.items()}
        for row in _surplus(day, left, to, capital, held):
            if row["investor"]:
                returns[len(rows)] = row["amount"]
            rows.append(row)
    # The provider's share comes out of each investor's return, pro rata to it.
    cut = money(sum(returns.values()) * (provider_share or 0) / 100)
    if cut <= 0:
        return rows
    for i, part in split(cut, {i: r for i, r in returns.items() if r > 0}).items():
        rows[i]["amount"] = money(rows[i]["amount"] - part)
    kept = [r for r in rows if r["amount"]]  # a return wholly the provider's leaves no row
    return [*kept, _no_investors(day, "provider", "return_share", cut)]


def _no_investors(day: dt.date, kind: str, flow: str, amount: float) -> dict[str, Any]:
    """A row of the waterfall that is no investor's: the provider's or the payers'."""
    row = {"investor": "", "tranche": "", "kind": kind, "flow": flow}
    return {"date": day, **row, "amount": money(amount)}


def _guaranteed(
    draws: list[Draw], held: Mapping[tuple[str, str], _Holding], end: dt.date
) -> list[dict[str, Any]]:
    """At ``end``, the guarantors' cover of the senior tranche's capital that the outcome
    payments did not pay back: each up to its commitment, once however many rows name it
    (the largest)."""
    senior = {k: h.capital for k, h in held.items() if k[1] == "senior"}
    shortfall = sum(h.capital - h.repaid for k, h in held.items() if k[1] == "senior")
    guarantors: dict[str, Draw] = {}
    for d in draws:
        if d.kind == "guarantee" and d.committed > guarantors.get(d.investor, d).committed:
            guarantors[d.investor] = d
        elif d.kind == "guarantee":
            guarantors.setdefault(d.investor, d)
    covered = []
    for guarantor in guarantors.values():
        if shortfall <= 0 or not senior:
            break
        cover = min(shortfall, guarantor.committed)
        covered.append(_flow(end, guarantor, "guarantee", -money(cover)))
        for investor, part in split(cover, senior).items():
            covered.append(_flow(end, held[investor].draw, "guarantee", part))
        shortfall -= cover
    return covered


def _fill(amount: float, holdings: Mapping[K, _Holding]) -> dict[K, float]:
    """``amount`` shared pro rata to capital, to the cent, none beyond an investor's balance
    when it is limited: what a paid-off investor would have had goes to the others, pro rata
    again, until the amount or their room runs out."""
    given = dict.fromkeys(holdings, 0.0)
    room = {k: h.room() for k, h in holdings.items()}
    active = [k for k, h in holdings.items() if not h.limited() or room[k] > 0]
    left = money(amount)
    while left > 0 and active:
        parts = split(left, {k: holdings[k].capital for k in active})
        full = [k for k in active if holdings[k].limited() and given[k] + parts[k] >= room[k]]
        if not full:
            for k in active:
                given[k] = money(given[k] + parts[k])
            break
        for k in full:
            give = money(room[k] - given[k])
            given[k] = room[k]
            left = money(left - give)
            active.remove(k)
    return given


def _surplus(
    day: dt.date,
    amount: float,
    to: str,
    capital: dict[tuple[str, str], float],
    held: Mapping[tuple[str, str], _Holding],
) -> list[dict[str, Any]]:
    """The rows of a payment's surplus: the investors' parts, pro rata to all the capital each
    drew (in each tranche it drew in), or one row to the provider or the payers (also when no
    capital was drawn: there is no investor to share it)."""
    drawn = {k: part for k, part in capital.items() if part > 0}
    if to != "investors" or not drawn:
        return [_no_investors(day, to if to in SURPLUS_KINDS else "provider", "surplus", amount)]
    return [
        _flow(day, held[k].draw, "surplus", part)
        for k, part in split(amount, drawn).items()
        if part
    ]


def invested(flows: pd.DataFrame) -> pd.DataFrame:
    """The flows of the capital drawn: ``waterfall``'s, a guarantor's own and a surplus that
    went to the provider or the payers apart."""
    return flows[~flows["kind"].isin(("guarantee", *SURPLUS_KINDS))] if len(flows) else flows


def provider_received(flows: pd.DataFrame) -> dict[str, float]:
    """What ``waterfall``'s flows gave the provider beyond a surplus: the payments
    ``recycled`` as working capital and its ``return_share`` of the investors' return."""
    mine = flows[flows["kind"] == "provider"] if len(flows) else flows
    return {
        flow: money(float(mine.loc[mine["flow"] == flow, "amount"].sum())) if len(mine) else 0.0
        for flow in ("recycled", "return_share")
    }


def surplus_paid(flows: pd.DataFrame) -> float:
    """What ``waterfall``'s flows carry beyond what the tranches may receive (to the investors,
    the provider or the payers)."""
    return (
        money(float(flows.loc[flows["flow"] == "surplus", "amount"].sum())) if len(flows) else 0.0
    )


def investor_totals(flows: pd.DataFrame) -> pd.DataFrame:
    """Per investor of ``waterfall``'s flows, in their order: its ``tranche`` and ``kind``
    (when the flows say them), what it ``put_in`` (capital drawn, a guarantee paid) and what
    ``came_back`` (distributions, a guarantee's cover)."""
    rows = [
        {
            "investor": name,
            "tranche": group["tranche"].iloc[0] if "tranche" in group else None,
            "kind": group["kind"].iloc[0] if "kind" in group else None,
            "put_in": money(-float(group.loc[group["amount"] < 0, "amount"].sum())),
            "came_back": money(float(group.loc[group["amount"] > 0, "amount"].sum())),
        }
        for name, group in flows[flows["investor"] != ""].groupby("investor", sort=False)
    ]
    return pd.DataFrame(rows, columns=["investor", "tranche", "kind", "put_in", "came_back"])


TRANCHES = ("senior", "subordinate")  # in the order they are paid back


def tranche_totals(flows: pd.DataFrame) -> pd.DataFrame:
    """Per tranche of ``waterfall``'s flows that has some (senior first): the capital its
    investors ``drawn``, split into what came ``back`` from outcome payments, what a
    guarantee ``covered``, and what was ``lost`` (none when more came back: the return). A
    guarantor's own flows are no tranche's."""
    columns = ["tranche", "drawn", "back", "covered", "lost"]
    drawn_flows = invested(flows)
    if drawn_flows.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for tranche in [x for x in TRANCHES if x in set(drawn_flows["tranche"])]:
        mine = drawn_flows[drawn_flows["tranche"] == tranche]
        drawn = -float(mine.loc[mine["flow"] == "draw", "amount"].sum())
        back = float(mine.loc[mine["flow"].isin(["distribution", "surplus"]), "amount"].sum())
        covered = float(mine.loc[mine["flow"] == "guarantee", "amount"].sum())
        rows.append(
            {
                "tranche": tranche,
                "drawn": drawn,
                "back": back,
                "covered": covered,
                "lost": max(0.0, drawn - back - covered),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _flow(day: Any, draw: Draw, flow: str, amount: float) -> dict[str, Any]:
    return {
        "date": day,
        "investor": draw.investor,
        "tranche": draw.tranche,
        "kind": draw.kind,
        "flow": flow,
        "amount": money(amount),
    }


def irr(flows: pd.DataFrame) -> float | None:
    """The internal rate of return of dated flows (``date``, ``amount``), a year of 365 days
    (pyxirr's XIRR); None when it has none (no money back, or nothing put in)."""
    from pyxirr import InvalidPaymentsError, xirr

    by_day = flows.groupby("date")["amount"].sum()
    if not ((by_day < 0).any() and (by_day > 0).any()):
        return None
    try:
        rate = xirr(list(by_day.index), list(by_day.values))
    except InvalidPaymentsError:
        return None
    return None if rate is None else fraction(float(rate))  # type: ignore[arg-type]
