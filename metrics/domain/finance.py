"""An outcome contract's money: what it owes (its rate card, or its one improvement), who pays
it and what the ledger says was paid, the investors' flows through the tranches and their
returns, and what-if scenarios over what was achieved.

Pure functions over frames from the store (``Store.contracts``, ``Store.contract_rows``,
``Store.observations``), built on the rules of ``outcomes``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from metrics.base import clock
from metrics.base.periods import from_canonical, quarter_of
from metrics.base.text import key
from metrics.domain import outcomes


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {str(k): (v.isoformat() if hasattr(v, "isoformat") else _plain(v)) for k, v in r.items()}
        for r in frame.to_dict("records")
    ]


@dataclass(frozen=True)
class Finance:
    """Who pays what a contract owes and who put the money up: what is due per outcome and
    period, shared between the payers, against what the ledger says was paid; the investors'
    flows through the tranches and their internal rate of return."""

    due: pd.DataFrame  # outcomes.due, or ``improvement_due`` for a contract paid on one result
    by_payer: pd.DataFrame  # outcomes.by_payer
    ledger: pd.DataFrame  # outcomes.ledger: per payer, due, paid, difference
    ledger_by_outcome: pd.DataFrame  # the same per outcome ('': payments naming none)
    paid: pd.DataFrame  # the outcome payments the ledger records: date, payer, amount
    other_payments: pd.DataFrame  # payments of another nature than outcomes
    flows: pd.DataFrame  # outcomes.waterfall
    returns: dict[str, float | None]  # each investor's IRR (guarantors and grants included)
    draws: list[outcomes.Draw] = dataclasses.field(default_factory=list)
    payers: bool = False  # whether the contract names its payers
    # The schedule's planned payments (date, payer, outcome, amount), beside the ledger.
    planned: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)
    surplus: str = "investors"  # where a surplus goes (``Terms.surplus``)
    # What investors were paid as recorded (date, investor, tranche, amount), beside the flows.
    recorded: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)

    @property
    def distributions(self) -> pd.DataFrame:
        """Per investor and tranche, what came back by the waterfall (``computed``) against
        what was recorded as paid (``distributions``)."""
        return distributions(self.flows, self.recorded)

    @property
    def investors_return(self) -> float | None:
        """The IRR of all the capital drawn, guarantees apart (``investors_irr`` in JSON)."""
        return invested_return(self.flows)

    def as_dict(self) -> dict[str, Any]:
        return {
            "due": _records(self.due),
            "due_by_payer": _records(self.by_payer),
            "ledger": _records(self.ledger),
            "ledger_by_outcome": _records(self.ledger_by_outcome),
            "other_payments": _records(self.other_payments),
            "planned_payments": _records(self.planned),
            "surplus": self.surplus,
            "investor_flows": _records(self.flows),
            "investor_distributions": _records(self.distributions) if len(self.recorded) else [],
            "irr": self.returns,
            "investors_irr": self.investors_return,
        }


def distributions(flows: pd.DataFrame, recorded: pd.DataFrame) -> pd.DataFrame:
    """Per investor and tranche (in the flows' order, then those only recorded), what the
    waterfall says ``computed`` came back (distributions, its part of a surplus, a guarantee's
    cover), what was ``recorded`` as paid, and the ``difference`` (recorded − computed); both
    ``None`` for an investor the sheet records nothing for."""
    back = flows[(flows["investor"] != "") & (flows["amount"] > 0)] if len(flows) else flows
    computed, paid = (_by_holding(back), _by_holding(recorded))
    rows: list[list[Any]] = []
    for investor, tranche in dict.fromkeys([*computed, *paid]):
        came = outcomes.money(computed.get((investor, tranche), 0.0))
        got = paid.get((investor, tranche))  # None: nothing recorded for it, not 0 paid
        gap = None if got is None else outcomes.money(got - came)
        rows.append([investor, tranche, came, None if got is None else outcomes.money(got), gap])
    columns = ["investor", "tranche", "computed", "recorded", "difference"]
    return pd.DataFrame(rows, columns=columns)


def _by_holding(frame: pd.DataFrame) -> dict[tuple[str, str], float]:
    """``frame``'s amounts summed per investor and tranche, in their order."""
    totals: dict[tuple[str, str], float] = {}
    for investor, tranche, amount in frame[["investor", "tranche", "amount"]].itertuples(
        index=False
    ):
        totals[(str(investor), str(tranche))] = totals.get(
            (str(investor), str(tranche)), 0.0
        ) + float(amount)
    return totals


def invested_return(flows: pd.DataFrame) -> float | None:
    """The internal rate of return of the investors' flows taken together, a guarantor's own
    flows apart (what the capital drawn earned)."""
    if flows.empty:
        return None
    return outcomes.irr(outcomes.invested(flows))


@dataclass(frozen=True)
class RateCard:
    """A contract's rate card and what was achieved of each outcome (its ``Finance`` follows
    from them)."""

    prices: list[outcomes.Price]
    achieved: pd.DataFrame  # per period and outcome: units, improvement
    finance: Finance
    # Values of the outcomes' indicators the card does not count (``not_counted``).
    not_counted: dict[str, int] = dataclasses.field(default_factory=dict)
    per_person: PerPerson | None = None  # when results are given per participant

    def as_dict(self) -> dict[str, Any]:
        return {
            "prices": [dataclasses.asdict(p) for p in self.prices],
            "achieved": _records(self.achieved),
            "not_counted": self.not_counted,
            "per_person": dataclasses.asdict(self.per_person) if self.per_person else None,
        }


@dataclass(frozen=True)
class PerPerson:
    """What results per participant gave: the ``results`` counted, of how many ``people``;
    those not paid in full, beyond the times an outcome is paid per person
    (``beyond_times``) or the cap per participant (``beyond_cap``, short of ``cut`` in
    all)."""

    results: int
    people: int
    beyond_times: int
    beyond_cap: int
    cut: float


def per_person(
    terms: outcomes.Terms, prices: list[outcomes.Price], results: pd.DataFrame
) -> tuple[pd.DataFrame, PerPerson]:
    """Units achieved per quarter and count-basis outcome from the results per participant
    (``participant``, ``outcome``, ``date``, ``units``), in date order: each outcome paid at
    most its price's ``per_person`` units to one participant (once by default), and one
    participant's payments, all outcomes together, at most the contract's ``person_cap``
    (the result that crosses it paid what is left). A result is paid at the price in effect
    on its day; its quarter's units are what was paid over the price ``outcomes.due`` applies
    at the quarter's end, unrounded, so that the due is what was paid, to the cent. Results
    outside the term are not counted. Returns what ``outcomes.due`` takes (period, outcome,
    units, improvement) and the ``PerPerson`` summary."""
    priced: dict[str, list[outcomes.Price]] = {}
    for price in prices:
        if price.basis == "count":
            priced.setdefault(key(price.outcome), []).append(price)
    earned: dict[str, float] = {}
    times: dict[tuple[str, str], float] = {}
    paid_in: dict[tuple[dt.date, str], float] = {}
    counted, beyond_times, beyond_cap, cut = 0, 0, 0, 0.0
    ordered = results.assign(day=pd.to_datetime(results["date"]).dt.date)
    for r in ordered.sort_values(["day", "participant", "outcome"]).to_dict("records"):
        rates = outcomes.in_effect(priced.get(key(str(r["outcome"])), []), r["day"])
        if not rates or not terms.start <= r["day"] <= terms.end:
            continue
        price, who, given = rates[0], str(r["participant"]), _number(r["units"]) or 1.0
        counted += 1
        done = times.get((who, price.outcome), 0.0)
        allowed = max(0.0, min(given, (price.per_person or 1) - done))
        beyond_times += allowed < given
        times[(who, price.outcome)] = done + allowed
        amount = outcomes.money(price.price * allowed)
        room = math.inf if terms.person_cap is None else terms.person_cap - earned.get(who, 0.0)
        paid = outcomes.money(max(0.0, min(amount, room)))
        if paid < amount:
            beyond_cap, cut = beyond_cap + 1, cut + amount - paid
        earned[who] = earned.get(who, 0.0) + paid
        if paid:
            quarter = (quarter_of(r["day"]).end, price.outcome)
            paid_in[quarter] = paid_in.get(quarter, 0.0) + paid
    rows = []
    for (end, outcome), amount in sorted(paid_in.items()):
        at_end = outcomes.in_effect(priced[key(outcome)], end)[0].price
        rows.append({"period": end, "outcome": outcome, "units": amount / at_end})
    table = pd.DataFrame(rows, columns=["period", "outcome", "units"]).assign(improvement=None)
    summary = PerPerson(counted, len(earned), beyond_times, beyond_cap, outcomes.money(cut))
    return table, summary


@dataclass(frozen=True)
class Contract:
    """One outcome contract settled on its latest measured results."""

    terms: outcomes.Terms
    results: pd.DataFrame  # ``outcomes.results``: per period and cohort, value and improvement
    cohorts: dict[str, float]  # each cohort's latest value
    settlement: outcomes.Settlement
    rate_card: RateCard | None = None  # when the contract has one (the ``tarifs`` sheet)
    # Payers, ledger and investors: a rate card's, or those of a contract paid on one result
    # that has rows in the sheets payeurs, paiements or investissements.
    finance: Finance | None = None

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
        document["rate_card"] = self.rate_card.as_dict() if self.rate_card else None
        document["finance"] = self.finance.as_dict() if self.finance else None
        return document


def contract(
    row: Mapping[Any, Any],
    indicators: pd.DataFrame,
    observations: pd.DataFrame,
    rows: Mapping[str, pd.DataFrame] | None = None,
    today: dt.date | None = None,
) -> Contract:
    """``row``: a row of ``Store.contracts``; ``indicators``: ``Store.indicators`` (the
    outcome's direction, up or down, is its indicator's); ``observations``: current values
    holding the contract's alliance; ``rows``: ``Store.contract_rows`` by kind (``prices``,
    ``payers``, ``investments``, ``payments``), any contract's; ``today``: to tell a term
    that is over (a rate-card contract is then settled)."""
    directions = indicators.set_index("code")["direction"]
    # A rate card's prices each have their indicator's direction; the contract's, if it has one.
    direction = str(directions.get(row["indicator"], "down")) if row["indicator"] else "down"
    terms = outcomes.Terms.from_row(row, direction)
    table = outcomes.results(observations, terms) if terms.has_improvement_terms else _NO_RESULTS
    cohorts, overall = outcomes.latest(table)
    settlement = (
        outcomes.settle(terms, cohorts, overall)
        if terms.has_improvement_terms
        else outcomes.Settlement(terms)
    )
    mine = {
        kind: frame[
            (frame["contract"].str.casefold() == terms.name.casefold())
            & (frame["alliance"] == terms.alliance)
        ]
        for kind, frame in (rows or {}).items()
    }
    card = (
        rate_card(terms, indicators, observations, mine)
        if len(mine.get("prices", ())) > 0
        else None
    )
    money_rows = any(len(mine.get(k, ())) for k in ("payers", "payments", "investments"))
    if card is not None:
        # A rate card is what the contract pays (its improvement terms, if any, give the
        # comparison baseline of its improvement outcomes): what is due, settled once its
        # term is over. The page shows the same.
        settlement.payments = outcomes.money(float(card.finance.due["amount"].sum()))
        over = terms.end < (today or clock.today())
        settlement.status = (
            "settled" if over else "in_progress" if len(card.finance.due) else "no_result"
        )
        money_side: Finance | None = card.finance
    elif terms.has_improvement_terms and money_rows:
        money_side = finance(terms, improvement_due(settlement, table), mine)
    else:
        money_side = None
    return Contract(terms, table, cohorts, settlement, card, money_side)


OVERALL = "overall"  # the outcome of an improvement contract's overall payment


def improvement_due(settlement: outcomes.Settlement, results: pd.DataFrame) -> pd.DataFrame:
    """What a contract paid on one improvement owes, dated, as ``outcomes.due`` gives it for a
    rate card: each cohort's payment at the end of the period its latest result was measured
    in, the overall payment (outcome ``OVERALL``) at the contract's end. When the caps cut the
    settlement's total, the cut is taken from the latest payments first."""
    terms = settlement.terms
    ends: dict[str, dt.date] = {}
    for record in results.sort_values("period_start").to_dict("records") if len(results) else []:
        ends[str(record["cohort"])] = from_canonical(str(record["period"])).end
    rows: list[dict[str, Any]] = [
        {
            "period": ends.get(c.cohort, terms.end),
            "outcome": c.cohort,
            "units": c.units,
            "price": terms.price if c.met else None,
            "paid_units": c.units if c.met else 0.0,
            "amount": c.payment,
            "capped_by": "",
        }
        for c in settlement.cohorts
    ]
    if settlement.overall_value is not None:
        rows.append(
            {
                "period": terms.end,
                "outcome": OVERALL,
                "units": settlement.overall_units,
                "price": terms.price if settlement.overall_met else None,
                "paid_units": settlement.overall_units if settlement.overall_met else 0.0,
                "amount": settlement.overall_payment,
                "capped_by": "",
            }
        )
    rows.sort(key=lambda r: r["period"])
    excess = sum(r["amount"] for r in rows) - settlement.payments
    for row in reversed(rows):
        if excess <= 0:
            break
        cut = min(excess, row["amount"])
        if cut > 0:
            row["amount"] = outcomes.money(row["amount"] - cut)
            if row["price"]:
                row["paid_units"] = outcomes.fraction(row["amount"] / row["price"])
            row["capped_by"] = settlement.capped_by or ""
            excess -= cut
    columns = ["period", "outcome", "units", "price", "paid_units", "amount", "capped_by"]
    return pd.DataFrame(rows, columns=columns)


_NO_RESULTS = pd.DataFrame(columns=["period", "period_start", "cohort", "value", "improvement"])


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def achieved(
    terms: outcomes.Terms,
    prices: list[outcomes.Price],
    codes: Mapping[str, str],
    indicators: pd.DataFrame,
    observations: pd.DataFrame,
) -> pd.DataFrame:
    """Per period of the contract's term (its last day) and outcome: the units achieved and
    the improvement, from the alliance's own values of each outcome's indicator (``codes``:
    outcome → indicator). Count basis: the values added up by quarter, the contract's period
    of payment. Improvement basis: each measured value's points of improvement over the
    contract's comparison baseline × its population / per."""
    direction = indicators.set_index("code")["direction"].to_dict()
    # The alliance's own values within the contract's term, read once for every outcome.
    within = observations[
        (observations["alliance"] == terms.alliance)
        & (observations["stakeholder"] == "")
        & (pd.to_datetime(observations["period_start"]) >= pd.Timestamp(terms.start))
        & (pd.to_datetime(observations["period_end"]) <= pd.Timestamp(terms.end))
    ]
    rows = []
    for outcome, basis in dict.fromkeys((p.outcome, p.basis) for p in prices):
        code = codes[outcome]
        mine = within[within["indicator"] == code]
        if basis == "count":
            quarters: dict[dt.date, float] = {}
            for value, end in zip(mine["value"], mine["period_end"]):
                day = end.date() if hasattr(end, "date") else end
                last = quarter_of(day).end
                quarters[last] = quarters.get(last, 0.0) + float(value)
            rows += [
                {
                    "period": q,
                    "outcome": outcome,
                    "units": outcomes.fraction(u),
                    "improvement": None,
                }
                for q, u in sorted(quarters.items())
            ]
            continue
        for value, end in zip(mine["value"], mine["period_end"]):
            day = end.date() if hasattr(end, "date") else end
            way = str(direction.get(code, terms.direction))
            gain = outcomes.improvement(float(value), terms.baseline, way)
            people = terms.population or terms.cohort_size
            points = max(0.0, gain) * terms.baseline
            rows.append(
                {
                    "period": day,
                    "outcome": outcome,
                    "units": outcomes.fraction(points * people / terms.per),
                    "improvement": gain,
                }
            )
    return pd.DataFrame(rows, columns=["period", "outcome", "units", "improvement"])


def rate_card(
    terms: outcomes.Terms,
    indicators: pd.DataFrame,
    observations: pd.DataFrame,
    rows: Mapping[str, pd.DataFrame],
) -> RateCard:
    """The rate card of one contract and what follows from it (see ``RateCard``)."""
    frame = rows["prices"]
    prices = [
        outcomes.Price(
            outcome=str(r["outcome"]),
            basis=str(r["basis"]),
            price=float(r["price"]),
            threshold=_number(r["threshold"]),
            max_units=_number(r["max_units"]),
            max_amount=_number(r["max_amount"]),
            since=outcomes.day_of(r.get("since")),
            per_person=_number(r.get("per_person")),
        )
        for r in frame.to_dict("records")
    ]
    codes = dict(zip(frame["outcome"], frame["indicator"]))
    done = achieved(terms, prices, codes, indicators, observations)
    people = rows.get("participants")
    summary = None
    if people is not None and len(people):  # results per participant, where given, count
        counted, summary = per_person(terms, prices, people)
        # The count outcomes the participants' rows give replace their indicator's values
        count = {key(p.outcome) for p in prices if p.basis == "count"}
        given = {key(str(o)) for o in people["outcome"]} & count
        done = pd.concat([done[~done["outcome"].map(key).isin(given)], counted])
        done = done.sort_values(["period", "outcome"], kind="stable").reset_index(drop=True)
    due = outcomes.due(prices, done, terms.payment_cap)
    return RateCard(
        prices,
        done,
        finance(terms, due, rows),
        not_counted(terms, set(codes.values()), observations),
        summary,
    )


def not_counted(
    terms: outcomes.Terms, codes: set[str], observations: pd.DataFrame
) -> dict[str, int]:
    """How many values of the alliance's ``codes`` a rate card leaves out (``achieved``
    counts the alliance's own values within the term): ``outside_term``, dated before its
    start or after its end; ``per_cohort``, a partner's (a cohort's) within it for a period
    the alliance gives no value of its own (beside its own value, a partner's is a breakdown,
    not a missing result)."""
    mine = observations[
        (observations["alliance"] == terms.alliance) & observations["indicator"].isin(codes)
    ]
    inside = (pd.to_datetime(mine["period_start"]) >= pd.Timestamp(terms.start)) & (
        pd.to_datetime(mine["period_end"]) <= pd.Timestamp(terms.end)
    )
    own = mine["stakeholder"] == ""
    given = pd.MultiIndex.from_frame(mine[["indicator", "period"]])
    with_own = given.isin(given[own.to_numpy()])
    return {
        "outside_term": int((~inside).sum()),
        "per_cohort": int((inside & ~own & ~with_own).sum()),
    }


def finance(terms: outcomes.Terms, due: pd.DataFrame, rows: Mapping[str, pd.DataFrame]) -> Finance:
    """What is due shared between the contract's payers (``rows["payers"]``), against its
    ledger (``rows["payments"]``); its investors' draws (``rows["investments"]``) and what
    reached them through the tranches: the outcome payments the ledger records, else what is
    due, when it is due."""
    # Every amount in the contract's currency, at the rates it states (``Terms.in_currency``).
    payers = [
        outcomes.Payer(
            str(r["payer"]),
            terms.in_currency(float(r["commitment"]), r.get("currency")),
            _number(r["share"]),
            str(r.get("outcome") or ""),
        )
        for r in rows.get("payers", pd.DataFrame()).to_dict("records")
    ]
    split = outcomes.by_payer(due, payers) if payers else due.assign(payer="", unfunded=0.0)
    recorded = rows.get(
        "payments", pd.DataFrame(columns=["date", "payer", "outcome", "amount", "nature", "plan"])
    )
    recorded = recorded.assign(
        date=[d.date() if hasattr(d, "date") else d for d in recorded["date"]],
        amount=[
            terms.in_currency(float(a), c)
            for a, c in zip(recorded["amount"], recorded.get("currency", [""] * len(recorded)))
        ],
    )
    # The schedule's planned payments beside the ledger, never in it.
    is_planned = recorded.get("plan", pd.Series("actual", index=recorded.index)).eq("planned")
    payments, planned = recorded[~is_planned], recorded[is_planned]
    ledger, other = outcomes.ledger(split, payments)
    per_outcome, _ = outcomes.ledger(due, payments, by="outcome")
    ledger, per_outcome = (
        _with_plan(ledger, planned, "payer"),
        _with_plan(per_outcome, planned, "outcome"),
    )
    investments = _converted(terms, rows.get("investments", pd.DataFrame()))
    draws = [
        outcomes.Draw(
            investor=str(r["investor"]),
            kind=str(r["type"]),
            tranche=str(r["tranche"]),
            committed=float(r["committed"]),
            date=r["date"].date() if hasattr(r["date"], "date") else r["date"],
            drawn=float(r["drawn"]),
            return_cap=_number(r.get("return_cap")),
            bonus=_number(r.get("bonus")),
            currency=outcomes.foreign(terms, r.get("currency")),
        )
        for r in investments.to_dict("records")
    ]
    paid = payments[payments["nature"].fillna("outcome") == "outcome"]
    received = (
        paid[["date", "amount"]]
        if len(paid)
        else due.rename(columns={"period": "date"})[["date", "amount"]]
    )
    flows = _flows(draws, received, terms)
    investors = flows[flows["investor"] != ""]  # a surplus to the provider or the payers apart
    returns = {
        str(name): outcomes.irr(group) for name, group in investors.groupby("investor", sort=False)
    }
    return Finance(
        due,
        split,
        ledger,
        per_outcome,
        paid,
        other,
        flows,
        returns,
        draws,
        bool(payers),
        planned[["date", "payer", "outcome", "amount"]].reset_index(drop=True),
        terms.surplus(draws),
        _recorded(investments),
    )


def _converted(terms: outcomes.Terms, investments: pd.DataFrame) -> pd.DataFrame:
    """The investments' amounts (committed, drawn, bonus, distributed) in the contract's
    currency (``Terms.in_currency``)."""
    if investments.empty or "currency" not in investments:
        return investments
    amounts = [c for c in ("committed", "drawn", "bonus", "distributed") if c in investments]
    return investments.assign(
        **{
            c: [
                a if pd.isna(a) else terms.in_currency(float(a), code)
                for a, code in zip(investments[c], investments["currency"])
            ]
            for c in amounts
        }
    )


def _recorded(investments: pd.DataFrame) -> pd.DataFrame:
    """The investors' payments as the ``investments`` sheet records them (its ``distributed``
    column): date, investor, tranche, amount."""
    if "distributed" not in investments:
        investments = pd.DataFrame(columns=["date", "investor", "tranche", "distributed"])
    paid = investments[investments["distributed"].fillna(0) > 0]
    return pd.DataFrame(
        {
            "date": [outcomes.day_of(d) for d in paid["date"]],
            "investor": paid["investor"].astype(str).tolist(),
            "tranche": paid["tranche"].astype(str).tolist(),
            "amount": paid["distributed"].astype(float).tolist(),
        }
    )


def _with_plan(ledger: pd.DataFrame, planned: pd.DataFrame, by: str) -> pd.DataFrame:
    """The ledger with what the schedule ``planned`` for each payer (or outcome), of outcome
    payments: plan against actual."""
    mine = planned[planned["nature"].fillna("outcome") == "outcome"].fillna({by: ""})
    plan = mine.groupby(by)["amount"].sum()
    return ledger.assign(
        planned=[outcomes.money(float(plan.get(name, 0.0))) for name in ledger[by]]
    )


def _flows(
    draws: list[outcomes.Draw], received: pd.DataFrame, terms: outcomes.Terms
) -> pd.DataFrame:
    """The contract's waterfall (``outcomes.waterfall``) on its terms: caps, surplus,
    recycling, the provider's share."""
    if not draws:
        return pd.DataFrame(columns=["date", "investor", "tranche", "kind", "flow", "amount"])
    return outcomes.waterfall(
        draws,
        received,
        terms.end,
        terms.return_cap,
        terms.surplus_to,
        provider_share=terms.provider_share,
        recycle_until=terms.recycle_until,
    )


@dataclass(frozen=True)
class Scenario:
    """A rate-card contract if its outcomes had been ``factor`` times what was achieved, paid
    as due: what is due, and each tranche's internal rate of return."""

    factor: float
    payments: float
    senior: float | None
    subordinate: float | None
    flows: pd.DataFrame


def scenario(terms: outcomes.Terms, card: RateCard, factor: float) -> Scenario:
    """Every outcome achieved ``factor`` times (units and improvements alike: a tier may then
    be reached or lost), paid when due; the tranches' returns (a guarantor's own flows are
    not its tranche's)."""
    done = card.achieved.assign(
        units=card.achieved["units"] * factor,
        improvement=card.achieved["improvement"].astype(float) * factor,
    )
    due = outcomes.due(card.prices, done, terms.payment_cap)
    received = due.rename(columns={"period": "date"})[["date", "amount"]]
    flows = _flows(card.finance.draws, received, terms)
    invested = outcomes.invested(flows)
    rates = {
        tranche: outcomes.irr(invested[invested["tranche"] == tranche])
        for tranche in ("senior", "subordinate")
    }
    return Scenario(
        factor,
        outcomes.money(float(due["amount"].sum())),
        rates["senior"],
        rates["subordinate"],
        flows,
    )


def sensitivity(terms: outcomes.Terms, card: RateCard, factors: list[float]) -> pd.DataFrame:
    """``scenario`` over a range of factors: ``factor``, ``payments``, ``senior`` and
    ``subordinate`` (their IRR, None when nothing came back)."""
    rows = []
    for factor in factors:
        s = scenario(terms, card, factor)
        rows.append(
            {
                "factor": factor,
                "payments": s.payments,
                "senior": s.senior,
                "subordinate": s.subordinate,
            }
        )
    return pd.DataFrame(rows, columns=["factor", "payments", "senior", "subordinate"])


def improvement_return(
    terms: outcomes.Terms,
    settlement: outcomes.Settlement,
    results: pd.DataFrame,
    draws: list[outcomes.Draw],
) -> float | None:
    """The investors' IRR (guarantees apart) if a contract paid on one improvement paid
    ``settlement`` when due (``improvement_due``), through its tranches."""
    if not draws:
        return None
    due = improvement_due(settlement, results)
    received = due.rename(columns={"period": "date"})[["date", "amount"]]
    return invested_return(_flows(draws, received, terms))


def improvement_sensitivity(
    terms: outcomes.Terms,
    cohorts: dict[str, float],
    results: pd.DataFrame,
    draws: list[outcomes.Draw],
    gains: list[float],
    every: int = 1,
) -> pd.DataFrame:
    """``outcomes.sensitivity`` over ``gains`` (%), with the investors' IRR on their dated
    draws (``irr``; −1, all lost, when nothing comes back) when the contract has investments
    rows, at every ``every``-th gain and the last (None between: each runs the tranches)."""
    curve = outcomes.sensitivity(terms, cohorts, gains)
    if draws:
        rates: list[float | None] = []
        for n, gain in enumerate(gains):
            if n % every and n != len(gains) - 1:
                rates.append(None)
                continue
            what_if = outcomes.what_if(terms, cohorts, gain)
            rate = improvement_return(terms, what_if, results, draws)
            rates.append(-1.0 if rate is None else rate)
        curve["irr"] = rates
    return curve
