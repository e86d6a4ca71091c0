"""Outcome contracts (titres à impact social): terms, results, payments, what-if."""

from __future__ import annotations

from typing import Any

import streamlit as st

from metrics.base import catalog
from metrics.domain import finance, outcomes
from metrics.presentation import charts, formatting
from metrics.usecases import reports
from ui import database, language, reads, session, widgets
from ui.language import tr, tr_plain

# The contract's fields, as its terms table groups them.
ILLUSTRATIVE = {
    "start": "period",
    "end": "period",
    "cohort_threshold": "thresholds",
    "overall_threshold": "thresholds",
    "payment_cap": "caps",
    "return_cap": "caps",
    "saving_per_unit": "saving",
}
lang = language.lang()
st.title(tr("contracts.title"))
st.markdown(tr("contracts.intro"))


def money(value: float | None, currency: str) -> str:
    """An amount in the reader's language with its currency; "—" when there is none (NULL, or
    NaN in a table)."""
    if value is None or value != value:
        return "—"
    return f"{formatting.number(value, lang, 0)} {currency}"


def rates_said(terms: outcomes.Terms) -> str:
    """``1 CHF = 1,10 EUR ; 1 GBP = 1,27 EUR``: the contract's exchange rates, written out."""
    separator = " ; " if lang == "fr" else "; "
    return separator.join(
        f"1 {code} = {formatting.number(rate, lang)} {terms.currency}"
        for code, rate in terms.exchange_rates.items()
    )


def percent(value: float | None, decimals: int | None = 1) -> str:
    """A rate in %; ``decimals=None``: up to two, as contracts publish their results (9,02 %)."""
    if value is None:
        return "—"
    return f"{formatting.number(100 * value, lang, decimals)}{charts.percent_suffix(lang)}"


def rate_card_section(terms: outcomes.Terms, card: finance.RateCard, currency: str) -> None:
    """The rate card; then what is due and paid, the investors (``money_section``); then what
    if the outcomes had been more or fewer."""
    st.subheader(tr("contracts.rate_card"))
    # With results per participant: how many times one person may be paid each count outcome
    times = {
        tr_plain("contracts.col.per_person"): [
            formatting.number(p.per_person or 1, lang) if p.basis == "count" else "—"
            for p in card.prices
        ]
    }
    widgets.dataframe(
        {
            tr_plain("contracts.col.outcome"): [p.outcome for p in card.prices],
            tr_plain("contracts.col.basis"): [
                catalog.PRICE_BASES[p.basis][lang] for p in card.prices
            ],
            tr_plain("contracts.col.threshold"): [
                f"{formatting.number(p.threshold, lang)}{charts.percent_suffix(lang)}"
                if p.threshold is not None
                else "—"
                for p in card.prices
            ],
            tr_plain("contracts.col.price"): [money(p.price, currency) for p in card.prices],
            tr_plain("contracts.col.max_units"): [
                formatting.number(p.max_units, lang) or "—" for p in card.prices
            ],
            tr_plain("contracts.col.max_amount"): [
                money(p.max_amount, currency) for p in card.prices
            ],
            **(times if card.per_person is not None else {}),
        }
    )
    for reason, count in card.not_counted.items():
        if count:
            st.warning(tr(f"contracts.not_counted.{reason}", count=formatting.number(count, lang)))
    if card.per_person is not None:  # results per participant: what one person earns, capped
        per_person_caption(card.per_person, currency)
    money_section(terms, card.finance, currency, rate_card=True)
    if card.finance.flows.empty:
        return

    # What if the outcomes had been more or fewer: paid as due, through the same tranches.
    st.subheader(tr("contracts.what_if"))
    factors = [x / 20 for x in range(0, 41)]  # 0 % to 200 %, by 5 %
    st.plotly_chart(
        charts.rate_card_sensitivity(
            reads.rate_card_curve(
                database.db(), session.scope(), terms.name, tuple(factors), terms, card
            ),
            currency,
            lang,
        ),
        key="contracts_rate_sensitivity",
    )
    shown = {
        f: f"{formatting.number(100 * f, lang, 0)}{charts.percent_suffix(lang)}" for f in factors
    }
    factor = st.select_slider(
        tr("contracts.what_if_share"),
        options=factors,
        value=1.0,
        format_func=shown.__getitem__,
        key=language.wkey("contracts_rate_what_if"),
    )
    outcome = finance.scenario(terms, card, factor)
    columns = st.columns([1.5, 1, 1])
    columns[0].metric(tr("contracts.payments"), money(outcome.payments, currency))
    columns[1].metric(tr("contracts.irr_senior"), percent(outcome.senior, None))
    columns[2].metric(tr("contracts.irr_subordinate"), percent(outcome.subordinate, None))
    st.caption(tr("contracts.what_if_rate_help"))


def per_person_caption(people: finance.PerPerson, currency: str) -> None:
    """How many results per participant were counted, and those not paid, and why."""
    counts = {
        name: formatting.number(getattr(people, name), lang)
        for name in ("results", "people", "beyond_times", "beyond_cap")
    }
    st.caption(
        tr(
            "contracts.per_person",
            results=counts["results"],
            people=counts["people"],
            times=counts["beyond_times"],
            capped=counts["beyond_cap"],
            amount=money(people.cut, currency),
        )
    )


def money_section(
    terms: outcomes.Terms, money_side: finance.Finance, currency: str, rate_card: bool
) -> None:
    """What is due by outcome and period against what was paid, by payer; the investors'
    money in and back, through the tranches, and their return. A contract paid on one result
    (not ``rate_card``) shows each part only when it has its rows (payers or payments;
    investments)."""
    ledger = money_side.payers or len(money_side.paid) > 0 or len(money_side.other_payments) > 0
    if rate_card or ledger:
        ledger_section(money_side, currency, rate_card)
    if rate_card or money_side.draws:
        investors_section(terms, money_side, currency)


def ledger_section(money_side: finance.Finance, currency: str, rate_card: bool) -> None:
    """What is due against what was paid: totals, the chart and the ledger, by outcome or by
    payer."""
    due = float(money_side.ledger["due"].sum())
    paid = float(money_side.ledger["paid"].sum())
    if not rate_card:
        st.subheader(tr("contracts.due_and_paid"))
    columns = st.columns(3)
    columns[0].metric(tr("contracts.due"), money(due, currency), help=tr("contracts.due_help"))
    columns[1].metric(tr("contracts.paid"), money(paid, currency))
    columns[2].metric(tr("contracts.balance"), money(paid - due, currency))
    capped = money_side.due[money_side.due["capped_by"] != ""]
    if len(capped):
        st.caption(tr("contracts.capped_rows", count=len(capped)))
    views = {v: tr_plain(f"contracts.by.{v}") for v in ("outcome", "payer")}
    by = (
        st.segmented_control(
            tr("contracts.due_by"),
            list(views),
            default="outcome",
            format_func=views.__getitem__,
            key=language.wkey("contracts_due_by"),
        )
        or "outcome"
    )
    overall = {finance.OVERALL: tr_plain("contracts.overall_outcome")}
    shown_due = money_side.due if by == "outcome" else money_side.by_payer
    shown_due = shown_due.assign(outcome=shown_due["outcome"].replace(overall))
    st.plotly_chart(
        charts.due_and_paid(shown_due, money_side.paid, currency, lang, by=str(by)),
        key="contracts_due",
    )
    # The ledger by the same view: per outcome (a payment naming none, apart) or payer.
    table = money_side.ledger_by_outcome if by == "outcome" else money_side.ledger
    names = table[by].replace({**overall, "": tr_plain(f"contracts.unassigned.{by}")})
    shown = {
        tr_plain(f"contracts.col.{by}"): names,
        tr_plain("contracts.col.due"): [money(v, currency) for v in table["due"]],
        tr_plain("contracts.col.paid"): [money(v, currency) for v in table["paid"]],
        tr_plain("contracts.col.difference"): [money(v, currency) for v in table["difference"]],
    }
    if len(money_side.planned):  # the schedule beside the ledger: plan against actual
        shown[tr_plain("contracts.col.planned")] = [money(v, currency) for v in table["planned"]]
    widgets.dataframe(shown)
    if len(money_side.planned):
        planned = money(float(money_side.planned["amount"].sum()), currency)
        st.caption(tr("contracts.planned_help", count=len(money_side.planned), amount=planned))
    others = money_side.other_payments
    if len(others):
        amount = money(float(others["amount"].sum()), currency)
        st.caption(tr("contracts.other_payments", count=len(others), amount=amount))


def investors_section(terms: outcomes.Terms, money_side: finance.Finance, currency: str) -> None:
    """The investors' money in and back, through the tranches, and their return."""
    st.subheader(tr("contracts.investors"))
    if "investments" in terms.illustrative:
        st.caption(tr("contracts.investments_illustrative"))
    if money_side.flows.empty:
        st.info(tr("contracts.no_investments"))
        return
    bonuses: dict[str, float] = {}  # the largest its rows state, as the waterfall takes it
    for d in money_side.draws:
        if d.bonus:
            bonuses[d.investor] = max(d.bonus, bonuses.get(d.investor, 0.0))
    # An investor's own currency, when not the contract's: its amounts in it beside
    own = {d.investor: d.currency for d in money_side.draws if d.currency}
    table = []
    for r in widgets.rows(outcomes.investor_totals(money_side.flows)):
        rate = money_side.returns.get(str(r["investor"]))
        row = {
            tr_plain("contracts.col.investor"): r["investor"],
            tr_plain("contracts.col.tranche"): catalog.TRANCHES[r["tranche"]][lang],
            tr_plain("contracts.col.type"): catalog.INVESTMENT_TYPES[r["kind"]][lang],
            tr_plain("contracts.col.put_in"): money(r["put_in"], currency),
            tr_plain("contracts.col.came_back"): money(r["came_back"], currency),
            tr_plain("contracts.col.net"): money(r["came_back"] - r["put_in"], currency),
            tr_plain("contracts.col.irr"): percent(rate, None) if rate is not None else "—",
        }
        if bonuses:  # a fixed sum on top of capital and interest (an investor's own terms)
            row[tr_plain("contracts.col.bonus")] = money(bonuses.get(r["investor"]), currency)
        if own:
            row.update(in_own_currency(terms, own.get(str(r["investor"]), ""), r))
        table.append(row)
    widgets.dataframe(table)
    if own:
        st.caption(tr("contracts.converted", rates=rates_said(terms), currency=currency))
    if len(money_side.recorded):  # what the investors were paid, as recorded, beside the flows
        st.markdown(f"**{tr('contracts.distributions')}**")
        widgets.dataframe(
            [
                {
                    tr_plain("contracts.col.investor"): d["investor"],
                    tr_plain("contracts.col.tranche"): catalog.TRANCHES.get(d["tranche"], {}).get(
                        lang, d["tranche"]
                    ),
                    tr_plain("contracts.col.computed"): money(d["computed"], currency),
                    tr_plain("contracts.col.recorded"): money(d["recorded"], currency),
                    tr_plain("contracts.col.recorded_gap"): money(d["difference"], currency),
                }
                for d in widgets.rows(money_side.distributions)
            ]
        )
        st.caption(tr("contracts.distributions_help"))
    beyond_tranches(terms, money_side, currency)
    st.plotly_chart(
        charts.investor_flows(money_side.flows, currency, lang), key="contracts_investors"
    )
    st.plotly_chart(
        charts.tranche_waterfall(money_side.flows, currency, lang), key="contracts_tranches"
    )
    st.caption(tr("contracts.waterfall_help"))


def in_own_currency(terms: outcomes.Terms, code: str, totals: dict[str, Any]) -> dict[str, str]:
    """What an investor put in and got back, in the currency it invested in (at the contract's
    rate); "—" for one in the contract's currency (its amounts are the columns before)."""
    rate = terms.exchange_rates.get(code)
    return {
        tr_plain(f"contracts.col.own_{column}"): money(totals[column] / rate, code) if rate else "—"
        for column in ("put_in", "came_back")
    }


def beyond_tranches(terms: outcomes.Terms, money_side: finance.Finance, currency: str) -> None:
    """Where the outcome payments that reached no investor went: re-lent to the provider,
    its share of the investors' return, a surplus."""
    provider = outcomes.provider_received(money_side.flows)
    if provider["recycled"] and terms.recycle_until:
        day = formatting.date(terms.recycle_until, lang)
        st.caption(tr("contracts.recycled", amount=money(provider["recycled"], currency), day=day))
    if provider["return_share"]:
        share = f"{formatting.number(terms.provider_share, lang)}{charts.percent_suffix(lang)}"
        amount = money(provider["return_share"], currency)
        st.caption(tr("contracts.return_share", amount=amount, share=share))
    surplus = outcomes.surplus_paid(money_side.flows)
    if surplus:
        st.caption(tr(f"contracts.surplus.{money_side.surplus}", amount=money(surplus, currency)))


def chosen_contract() -> finance.Contract | None:
    """The contract chosen among those the account reads, settled on its latest results
    (what the command line prints); ``None`` when there is none."""
    who, db = session.scope(), database.db()
    table = reads.contracts(db, who)
    if table.empty:
        return None
    choices = reports.contract_choices(table)
    choice = st.selectbox(tr("contracts.contract"), list(choices), key="contracts_contract")
    row = table.iloc[choices[choice]].to_dict()
    catalogue = reads.indicators(db, who)
    observations = reads.alliance_observations(db, who, row["alliance"])
    return finance.contract(row, catalogue, observations, reads.contract_rows(db, who))


def terms_values(terms: outcomes.Terms, surplus: str) -> dict[str, str]:
    """Each term of the contract, written out (a rate card's contract has no single
    improvement: no cohort, baseline, thresholds, price or saving)."""
    currency = terms.currency
    indicators = reads.indicators(database.db(), session.scope()).set_index("code")
    values = {
        "alliance": terms.alliance,
        "indicator": str(indicators.at[terms.indicator, f"label_{lang}"])
        if terms.indicator
        else "—",  # a rate card's prices name theirs
        "commissioner": terms.commissioner or "—",
        "investors": terms.investors or "—",
        "capital": money(terms.capital, currency),
        "period": f"{formatting.date(terms.start, lang)} → {formatting.date(terms.end, lang)} "
        f"({formatting.number(terms.years, lang, 1)} {tr('contracts.years')})",
        "cohort_size": formatting.number(terms.cohort_size, lang),
        "population": formatting.number(terms.population, lang)
        if terms.population
        else tr_plain("contracts.population_default"),
        "baseline": f"{formatting.number(terms.baseline, lang)} "
        f"{tr_plain('contracts.per', per=formatting.number(terms.per, lang))}",
        "thresholds": tr_plain(
            "contracts.threshold_values",
            cohort=formatting.number(terms.cohort_threshold, lang) or "—",
            overall=formatting.number(terms.overall_threshold, lang),
        ),
        "price": money(terms.price, currency),
        "caps": tr_plain(
            "contracts.cap_values",
            payments=money(terms.payment_cap, currency),
            returns=formatting.number(terms.return_cap, lang) or "—",
        ),
        "saving": money(terms.saving_per_unit, currency),
        "surplus": tr_plain(f"contracts.surplus_to.{surplus}")
        + ("" if terms.surplus_to else f" ({tr_plain('contracts.by_default')})"),
    }
    if terms.provider_share:  # shown only when the contract says them
        share = formatting.number(terms.provider_share, lang)
        values["provider_share"] = f"{share}{charts.percent_suffix(lang)}"
    if terms.recycle_until:
        values["recycle_until"] = formatting.date(terms.recycle_until, lang)
    if terms.exchange_rates:
        values["exchange_rates"] = rates_said(terms)
    if terms.person_cap:
        values["person_cap"] = money(terms.person_cap, currency)
    if not terms.has_improvement_terms:
        for term in ("cohort_size", "population", "baseline", "thresholds", "price", "saving"):
            values.pop(term)
    return values


def terms_section(terms: outcomes.Terms, surplus: str) -> None:
    """The contract's terms, those it marks as not published said so."""
    st.subheader(tr("contracts.terms"))
    values = terms_values(terms, surplus)
    # The figures the contract marks as not published (a reference case rebuilt from what was).
    marked = {ILLUSTRATIVE.get(f, f) for f in terms.illustrative}
    widgets.table(
        {
            tr("contracts.term"): [tr(f"contracts.t.{k}") for k in values],
            tr("contracts.value"): [
                f"{v} ({tr_plain('contracts.illustrative')})" if k in marked else v
                for k, v in values.items()
            ],
        },
        index=tr("contracts.term"),
    )
    if marked:
        st.caption(tr("contracts.illustrative_help"))


def settlement_section(report: finance.Contract, draws: list[outcomes.Draw]) -> None:
    """How the contract settles on its latest results: improvement, payments, return or the
    investors' IRR, net saving; then each cohort."""
    settlement, currency = report.settlement, report.terms.currency
    st.subheader(tr("contracts.settlement"))
    st.markdown(tr(f"contracts.status.{settlement.status}"))
    columns = st.columns([1, 1.5, 1, 1.2])  # room for an amount in millions and its currency
    columns[0].metric(
        tr("contracts.overall"),
        percent(settlement.overall_improvement, None),
        help=tr("contracts.overall_help"),
    )
    columns[1].metric(tr("contracts.payments"), money(settlement.payments, currency))
    if draws:  # the return on what was drawn, when (the investissements sheet)
        columns[2].metric(
            tr("contracts.irr_investors"),
            percent(report.finance.investors_return if report.finance else None, None),
            help=tr("contracts.irr_investors_help"),
        )
    else:
        columns[2].metric(
            tr("contracts.return"),
            percent(settlement.annual_return),
            help=tr("contracts.return_help"),
        )
    columns[3].metric(tr("contracts.net_saving"), money(settlement.net_saving, currency))
    if settlement.capped_by:
        st.caption(tr(f"contracts.capped.{settlement.capped_by}"))
    if settlement.cohorts:
        cohorts_table(settlement, currency)


def cohorts_table(settlement: outcomes.Settlement, currency: str) -> None:
    cohorts = settlement.cohorts
    widgets.dataframe(
        {
            tr("contracts.col.cohort"): [c.cohort for c in cohorts],
            tr("contracts.col.value"): [formatting.number(c.value, lang) for c in cohorts],
            tr("contracts.col.improvement"): [percent(c.improvement, None) for c in cohorts],
            tr("contracts.col.met"): [
                tr("contracts.yes") if c.met else tr("contracts.no") for c in cohorts
            ],
            tr("contracts.col.units"): [formatting.number(c.units, lang, 1) for c in cohorts],
            tr("contracts.col.payment"): [money(c.payment, currency) for c in cohorts],
        },
    )


def improvement_what_if(report: finance.Contract, draws: list[outcomes.Draw]) -> None:
    """What if the improvement had been another: the curve of payments and return, and the
    scenario of the slider's improvement."""
    terms, settlement, currency = report.terms, report.settlement, report.terms.currency
    st.subheader(tr("contracts.what_if"))
    # The curve by tenths of a point (the investors' IRR by halves).
    gains = tuple(x / 10 for x in range(0, 251))
    curve = reads.improvement_curve(
        database.db(),
        session.scope(),
        terms.name,
        gains,
        terms,
        report.cohorts,
        report.results,
        draws,
    )
    improvement = settlement.overall_improvement
    achieved = 100 * improvement if improvement is not None else None
    st.plotly_chart(
        charts.sensitivity_chart(curve, currency, achieved, terms.overall_threshold, lang),
        key="contracts_sensitivity",
    )
    # Tenths of a point, and the improvement achieved itself (the slider opens on it: the
    # scenario then pays what the contract paid).
    start = round(achieved, 2) if achieved is not None else terms.overall_threshold
    steps = sorted({x / 10 for x in range(0, 251)} | {start})
    labels = {x: f"{formatting.number(x, lang)}{charts.percent_suffix(lang)}" for x in steps}
    gain = st.select_slider(
        tr("contracts.what_if_slider"),
        options=steps,
        value=min(steps, key=lambda x: abs(x - start)),
        format_func=labels.__getitem__,
        key=language.wkey("contracts_what_if"),
    )
    scenario_metrics(report, outcomes.what_if(terms, report.cohorts, gain), draws)


def scenario_metrics(
    report: finance.Contract, scenario: outcomes.Settlement, draws: list[outcomes.Draw]
) -> None:
    currency = report.terms.currency
    columns = st.columns([1, 1.5, 1, 1.2])  # room for an amount in millions and its currency
    columns[0].metric(
        tr("contracts.threshold_met"),
        tr("contracts.yes") if scenario.overall_met else tr("contracts.no"),
    )
    columns[1].metric(tr("contracts.payments"), money(scenario.payments, currency))
    if draws:
        rate = finance.improvement_return(report.terms, scenario, report.results, draws)
        columns[2].metric(tr("contracts.irr_investors"), percent(rate, None))
    else:
        columns[2].metric(tr("contracts.return"), percent(scenario.annual_return))
    columns[3].metric(tr("contracts.net_saving"), money(scenario.net_saving, currency))


with widgets.guard():
    report = chosen_contract()
    if report is None:
        st.info(tr("contracts.none"))
        st.stop()
    terms = report.terms
    terms_section(terms, report.finance.surplus if report.finance else terms.surplus())
    if report.rate_card is not None:  # a rate card settles the contract
        rate_card_section(terms, report.rate_card, terms.currency)
        with st.expander(tr("dashboard.how")):
            st.markdown(tr("contracts.rate_card_how"))
        st.stop()
    draws = report.finance.draws if report.finance is not None else []
    settlement_section(report, draws)
    # One above the other: side by side, the two axes of the second were cramped.
    st.plotly_chart(
        charts.contract_results(
            report.results, terms.cohort_threshold, terms.overall_threshold, lang
        ),
        key="contracts_results",
    )
    if report.finance is not None:
        money_section(terms, report.finance, terms.currency, rate_card=False)
    improvement_what_if(report, draws)
    with st.expander(tr("dashboard.how")):
        st.markdown(tr("contracts.how_text"))
