"""Outcome contracts in the INDIGO data standard (the Government Outcomes Lab's open JSON for
impact bonds, project schema 4.1.0), written and read.

``document`` writes one contract, its sheets' rows and the results its rate card counts, as
an INDIGO project: outcome metrics and pricings (the rate card), outcome payment commitments
(the payers), investments and their transactions (the draws), outcome payments (the ledger),
results (the alliance's values). What the standard has no field for (a price's basis and
threshold, a draw's tranche, the contract's comparison terms) goes in each object's
``alliance_impact`` member, which the schema allows and other readers ignore.

``tables`` reads a project back as the contract's sheets (the import then checks it as any
spreadsheet, and its dry run shows it): from those members when the document has them, else
from the standard's own fields. What the sheets cannot hold (payment plans, a result over
a period that is no year, quarter or month…) is named as a sheet left aside, never dropped
without a word.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import Any

from metrics.base.errors import SpreadsheetError
from metrics.base.periods import parse_period
from metrics.base.text import key
from metrics.sheets.files import Table, check_limits
from metrics.sheets.schema import BY_KIND

EXTENSION = "alliance_impact"  # this product's members of an INDIGO object
PUBLIC = "PUBLIC"
# A draw's kind as INDIGO types an investment and a transaction, and back.
INVESTMENT_TYPES = {"loan": "Debt", "equity": "Equity"}
TRANSACTION_TYPES = {"loan": "Debt", "equity": "Equity", "grant": "Grant"}
KINDS = {"debt": "loan", "equity": "equity", "grant": "grant"}
# The transactions that put money into a bond (a draw); repayments, interest and outcome
# payments are money out, which the waterfall computes and the ledger records.
DRAW_TYPES = {"", "debt", "equity", "grant", "debt and equity"}
# The transactions that pay an investor back: recorded distributions.
RETURN_TYPES = {"capital repayment", "interest payment", "capital repayment and interest"}
RETURNED = "Capital Repayment and Interest"  # how a recorded distribution is written


def _value(value: Any, status: bool = False) -> dict[str, Any]:
    return {"value": value, "status": PUBLIC} if status else {"value": value}


def _day(value: Any) -> str:
    return str(value.date() if isinstance(value, dt.datetime) else value)[:10]


def _money(currency: str, amount: Any, own: Any = None) -> dict[str, Any]:
    """An amount in its row's own currency (``own``), else the contract's."""
    return {"currency": _value(_plain(own) or currency), "amount": _value(float(amount))}


def _currency_of(money: Any, contract: str) -> str:
    """A money value's currency when it is not the contract's ('': the contract's)."""
    code = str(_read(money, "currency") or "").upper()
    return "" if code == contract.upper() else code


def _plain(value: Any) -> Any:
    """A cell as JSON holds it: no NaN, dates as ISO days, numbers as numbers."""
    if value is None or value != value:  # NaN, NaT
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return _day(value)
    return value.item() if hasattr(value, "item") else value


def document(
    contract: Mapping[Any, Any],
    rows: Mapping[str, Iterable[Mapping[Any, Any]]],
    results: Iterable[Mapping[Any, Any]],
) -> dict[str, Any]:
    """One contract as an INDIGO project. ``contract``: its row (``Store.contracts``);
    ``rows``: its own rows by kind (``prices``, ``payers``, ``investments``, ``payments``);
    ``results``: the alliance's own values of its outcomes' indicators (``indicator``,
    ``period``, ``period_start``, ``period_end``, ``value``)."""
    currency = str(contract["currency"])
    prices = [dict(r) for r in rows.get("prices", ())]
    metrics: dict[str, str] = {}  # outcome's matching key -> its metric's id
    for price in prices:
        metrics.setdefault(key(str(price["outcome"])), f"outcome-{len(metrics) + 1}")
    finance = _finance(contract, currency)
    terms = {
        name: _plain(value)
        for name, value in contract.items()
        if name not in ("contract", "upload_id") and _plain(value) not in (None, "")
    }
    project: dict[str, Any] = {
        "status": PUBLIC,
        "name": _value(str(contract["contract"])),
        "dates": {
            "start_date_of_service_provision": _value(_day(contract["start_date"]), True),
            "anticipated_end_date_of_service_provision": _value(_day(contract["end_date"]), True),
        },
        "overall_project_finance": finance,
        "outcome_metrics": [],
        "outcome_pricings": [],
        "outcome_payment_commitments": [],
        "investments": [],
        "transactions": [],
        "outcome_payments": [],
        "results": [],
        EXTENSION: terms,
    }
    indicators: dict[str, str] = {}
    if contract.get("indicator") and not prices:  # paid on one improvement: its indicator
        indicators[str(contract["indicator"])] = "outcome-1"
        project["outcome_metrics"].append(
            {
                "id": "outcome-1",
                "definition": _value(str(contract["indicator"])),
                EXTENSION: {"indicator": str(contract["indicator"])},
            }
        )
    _rate_card(project, prices, metrics, indicators, currency)
    for payer in rows.get("payers", ()):
        project["outcome_payment_commitments"].append(
            {
                "organisation_id": _value(str(payer["payer"])),
                "maximum_potential_outcome_payment": {
                    "currency": _value(_plain(payer.get("currency")) or currency, True),
                    "amount": _value(float(payer["commitment"])),
                },
                EXTENSION: {
                    "share": _plain(payer.get("share")),
                    "outcome": _plain(payer.get("outcome")),
                },
            }
        )
    _investments(project, rows.get("investments", ()), currency)
    _ledger_and_results(project, rows.get("payments", ()), results, metrics, indicators, currency)
    # The schema wants no empty list nor object: a section the contract lacks is left out.
    return {name: part for name, part in project.items() if part not in ([], {})}


def _rate_card(
    project: dict[str, Any],
    prices: list[dict[Any, Any]],
    metrics: dict[str, str],
    indicators: dict[str, str],
    currency: str,
) -> None:
    """The rate card as outcome metrics and pricings."""
    for price in prices:
        metric = metrics[key(str(price["outcome"]))]
        if metric not in indicators.values():
            indicators[str(price["indicator"])] = metric
            project["outcome_metrics"].append(
                {
                    "id": metric,
                    "definition": _value(str(price["outcome"])),
                    EXTENSION: {"indicator": str(price["indicator"])},
                }
            )
        fields = ("basis", "threshold", "max_units", "max_amount", "since", "per_person")
        own = {f: _plain(price.get(f)) for f in fields}
        pricing: dict[str, Any] = {
            "outcome_metric_id": _value(metric),
            "currency": _value(currency),
            "price_per_unit": {"amount": _value(float(price["price"]))},
            EXTENSION: {k: v for k, v in own.items() if v is not None},
        }
        if own["max_amount"] is not None:
            pricing["maximum_price_if_all_targets_achieved"] = {
                "amount": _value(str(own["max_amount"]))
            }
        project["outcome_pricings"].append(pricing)


def _finance(contract: Mapping[Any, Any], currency: str) -> dict[str, Any]:
    """The contract's capital and payment cap as INDIGO's overall project finance."""
    finance: dict[str, Any] = {}
    if _plain(contract.get("capital")) is not None:
        finance["total_investment_commitment"] = {
            "currency": _value(currency, True),
            "amount": {"exact": _value(float(contract["capital"]), True)},
        }
    if _plain(contract.get("payment_cap")) is not None:
        finance["maximum_potential_outcome_payment_v2"] = {
            "currency": _value(currency, True),
            "amount": _value(float(contract["payment_cap"]), True),
        }
    return finance


def _ledger_and_results(
    project: dict[str, Any],
    payments: Iterable[Mapping[Any, Any]],
    results: Iterable[Mapping[Any, Any]],
    metrics: dict[str, str],
    indicators: dict[str, str],
    currency: str,
) -> None:
    """The ledger as outcome payments, the indicators' values as results."""
    for payment in payments:
        outcome = str(payment.get("outcome") or "")
        entry: dict[str, Any] = {
            "period": {
                "start_date": _value(_day(payment["date"])),
                "end_date": _value(_day(payment["date"])),
            },
            "payer_organisation_id": _value(str(payment["payer"])),
            "type": _value("Planned" if payment.get("plan") == "planned" else "Actual"),
            "money": _money(currency, payment["amount"], payment.get("currency")),
            EXTENSION: {"nature": str(payment["nature"])},
        }
        if key(outcome) in metrics:
            entry["outcome_metric_id"] = _value(metrics[key(outcome)])
        elif outcome:  # an outcome the rate card does not price: no metric to name
            entry[EXTENSION]["outcome"] = outcome
        project["outcome_payments"].append(entry)
    for result in results:
        measured = indicators.get(str(result["indicator"]))
        if measured is None:
            continue
        project["results"].append(
            {
                "outcome_metric_id": _value(measured),
                "result_level": _value("Outcome level"),
                "result_type": _value("Interim"),
                "period": {
                    "start_date": _value(_day(result["period_start"])),
                    "end_date": _value(_day(result["period_end"])),
                },
                "number_with_positive_social_outcomes": _value(float(result["value"])),
                EXTENSION: {"period": str(result["period"]), "cohort": result["stakeholder"]},
            }
        )


def _investments(
    project: dict[str, Any], draws: Iterable[Mapping[Any, Any]], currency: str
) -> None:
    """An investment per investor and tranche (its commitment, its own return cap and its
    bonus, given on any of its rows), a transaction per draw and per recorded payment back."""
    draws = list(draws)
    caps: dict[tuple[str, str], float] = {}
    bonuses: dict[tuple[str, str], float] = {}
    for draw in draws:
        holding = (str(draw["investor"]), str(draw["tranche"]))
        if _plain(draw.get("return_cap")) is not None:
            caps.setdefault(holding, float(draw["return_cap"]))
        if _plain(draw.get("bonus")):
            bonuses[holding] = max(float(draw["bonus"]), bonuses.get(holding, 0.0))
    ids: dict[tuple[str, str], str] = {}
    for draw in draws:
        kind, tranche = str(draw["type"]), str(draw["tranche"])
        investor = str(draw["investor"])
        if (investor, tranche) not in ids:
            ids[(investor, tranche)] = f"investment-{len(ids) + 1}"
            investment: dict[str, Any] = {
                "id": ids[(investor, tranche)],
                "organisation_id": _value(investor),
                "investment_commitment": {
                    "currency": _value(_plain(draw.get("currency")) or currency),
                    "amount": {"exact": _value(float(draw["committed"]))},
                },
                EXTENSION: {"type": kind, "tranche": tranche},
            }
            if (investor, tranche) in caps:  # its own cap, which INDIGO has no field for
                investment[EXTENSION]["return_cap"] = caps[(investor, tranche)]
            if (investor, tranche) in bonuses:  # nor its bonus
                investment[EXTENSION]["bonus"] = bonuses[(investor, tranche)]
            if kind in INVESTMENT_TYPES:
                investment["investment_type"] = _value(INVESTMENT_TYPES[kind])
            project["investments"].append(investment)
        returned = _plain(draw.get("distributed"))
        if returned:  # a recorded distribution: money back to the investor
            project["transactions"].append(
                {
                    "investment_id": _value(ids[(investor, tranche)]),
                    "date": _value(_day(draw["date"])),
                    "receiving_organisation_id": _value(investor),
                    "transaction_type": _value(RETURNED),
                    "money": _money(currency, returned, draw.get("currency")),
                }
            )
            if not draw["drawn"]:
                continue
        transaction: dict[str, Any] = {
            "investment_id": _value(ids[(investor, tranche)]),
            "date": _value(_day(draw["date"])),
            "sending_organisation_id": _value(investor),
            "money": _money(currency, draw["drawn"], draw.get("currency")),
        }
        if kind in TRANSACTION_TYPES:
            transaction["transaction_type"] = _value(TRANSACTION_TYPES[kind])
        project["transactions"].append(transaction)


# -- reading a project back ----------------------------------------------------------------


def _read(node: Any, *path: str) -> Any:
    """``node[path[0]][path[1]]…["value"]`` when every step is there, else ``None``."""
    for step in (*path, "value"):
        if not isinstance(node, dict) or step not in node:
            return None
        node = node[step]
    return node


def _mine(node: Any) -> dict[str, Any]:
    found = node.get(EXTENSION) if isinstance(node, dict) else None
    return found if isinstance(found, dict) else {}


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", "").replace(" ", ""))
        except ValueError:
            return None
    return None


def _table(kind: str, rows: list[list[Any]]) -> Table:
    """A sheet of ``kind`` with every header in English, as a spreadsheet would hold it."""
    sheet = BY_KIND[kind]
    return Table(sheet.en, [[c.en for c in sheet.columns], *rows])


def is_project(file_name: str) -> bool:
    """Whether a file is read as an INDIGO project (a ``.json`` file)."""
    return PurePath(file_name).suffix.lower() == ".json"


def tables(content: bytes, file_name: str) -> list[Table]:
    """An INDIGO project as the contract's sheets, and the parts the sheets cannot hold as
    sheets left aside (``outcome_payment_plans (2)``: named in the dry run)."""
    check_limits(content, file_name)
    try:
        project = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SpreadsheetError.of("err.not_indigo", file=file_name) from e
    if not isinstance(project, dict) or _read(project, "name") is None:
        raise SpreadsheetError.of("err.not_indigo", file=file_name)
    terms = _mine(project)
    name = str(_read(project, "name"))
    alliance = str(terms.get("alliance") or name)
    finance = project.get("overall_project_finance") or {}
    currency = str(
        terms.get("currency")
        or _read(finance, "total_investment_commitment", "currency")
        or next((_read(p, "currency") for p in project.get("outcome_pricings") or []), "")
    )
    contract = {
        "contract": name,
        "alliance": alliance,
        "currency": currency,
        "start": terms.get("start_date")
        or _read(project, "dates", "start_date_of_service_provision"),
        "end": terms.get("end_date")
        or _read(project, "dates", "anticipated_end_date_of_service_provision"),
        "capital": terms.get("capital")
        or _read(finance, "total_investment_commitment", "amount", "exact"),
        "payment_cap": terms.get("payment_cap")
        or _read(finance, "maximum_potential_outcome_payment_v2", "amount"),
        **{k: v for k, v in terms.items() if k not in ("start_date", "end_date")},
    }
    fields = BY_KIND["contracts"].columns
    out = [
        _table("alliances", [[alliance] + [""] * (len(BY_KIND["alliances"].columns) - 1)]),
        _table("contracts", [[contract.get(c.field, "") for c in fields]]),
    ]
    metrics, new_indicators = _metrics(project)
    if new_indicators:
        out.insert(1, _table("indicators", new_indicators))
    out += _sheets(project, (name, alliance, currency), metrics)
    return out + _left_aside(project)


def _metrics(project: dict[str, Any]) -> tuple[dict[str, tuple[str, str]], list[list[Any]]]:
    """Each outcome metric's id -> (its outcome's name, its indicator's code), and the
    indicators to declare for metrics that name none of this product's (a count of people
    with a positive outcome, added up)."""
    metrics, declared = {}, []
    columns = [c.field for c in BY_KIND["indicators"].columns]
    for metric in project.get("outcome_metrics") or []:
        outcome = str(_read(metric, "definition") or metric.get("id") or "")
        code = _mine(metric).get("indicator")
        if not code:
            code = f"indigo_{key(str(metric.get('id') or outcome))}"[:60]
            known = {
                "indicator": code,
                "label": outcome,
                "dimension": "performance",
                "unit": "people",
                "direction": "up",
                "aggregation": "sum",
            }
            declared.append([known.get(c, "") for c in columns])
        metrics[str(metric.get("id"))] = (outcome, str(code))
    return metrics, declared


def _sheets(
    project: dict[str, Any],
    contract: tuple[str, str, str],
    metrics: dict[str, tuple[str, str]],
) -> list[Table]:
    """The rate card, payers, investments, ledger and values of the project; ``contract``: its
    name, its alliance and its currency (an amount in another keeps its own)."""
    name, alliance, currency = contract
    prices = []
    for pricing in project.get("outcome_pricings") or []:
        mine = _mine(pricing)
        outcome, code = metrics.get(str(_read(pricing, "outcome_metric_id")), ("", ""))
        max_amount = mine.get("max_amount") or _number(
            _read(pricing, "maximum_price_if_all_targets_achieved", "amount")
        )
        prices.append(
            [
                name,
                alliance,
                outcome,
                code,
                mine.get("basis", "count"),
                _read(pricing, "price_per_unit", "amount"),
                mine.get("threshold"),
                mine.get("max_units"),
                max_amount,
                mine.get("since"),
                mine.get("per_person"),
            ]
        )
    payers = [
        [
            name,
            alliance,
            _read(c, "organisation_id"),
            _read(c, "maximum_potential_outcome_payment", "amount"),
            _mine(c).get("share"),
            _mine(c).get("outcome") or "",
            _currency_of(c.get("maximum_potential_outcome_payment"), currency),
        ]
        for c in project.get("outcome_payment_commitments") or []
    ]
    draws = _draws(project, contract)
    payments = [
        [
            name,
            alliance,
            _read(p, "period", "end_date") or _read(p, "period", "start_date"),
            _read(p, "payer_organisation_id"),
            metrics.get(str(_read(p, "outcome_metric_id")), (_mine(p).get("outcome", ""), ""))[0],
            _read(p, "money", "amount"),
            _mine(p).get("nature", "outcome"),
            "planned" if _read(p, "type") == "Planned" else "actual",
            _currency_of(p.get("money"), currency),
        ]
        for p in project.get("outcome_payments") or []
    ]
    values, cohorts = [], {}
    for result in project.get("results") or []:
        period = _result_period(result)
        of = metrics.get(str(_read(result, "outcome_metric_id")))
        value = _read(result, "number_with_positive_social_outcomes")
        cohort = str(_mine(result).get("cohort") or "")
        if period and of and value is not None:
            values.append([alliance, of[1], period, value, cohort, ""])
        if cohort:
            cohorts[key(cohort)] = [alliance, cohort, "cohort"]
    found = [
        ("stakeholders", list(cohorts.values())),
        ("prices", prices),
        ("payers", payers),
        ("investments", draws),
        ("payments", payments),
        ("observations", values),
    ]
    return [_table(kind, rows) for kind, rows in found if rows]


def _typed(transaction: Any) -> str:
    return str(_read(transaction, "transaction_type") or "").casefold()


def _is_draw(transaction: Any) -> bool:
    """Whether a transaction puts money into the bond (untyped ones are taken as draws)."""
    return _typed(transaction) in DRAW_TYPES


def _draws(project: dict[str, Any], contract: tuple[str, str, str]) -> list[list[Any]]:
    """A row per draw of an investment (its commitment, its kind and tranche, its own return
    cap and bonus), and per repayment or interest paid to its investor (a recorded
    distribution, shown beside what the waterfall computes); an investment with none, one row
    drawing nothing on the contract's start. Other transactions are left aside
    (``_left_aside``)."""
    name, alliance, currency = contract
    rows = []
    for investment in project.get("investments") or []:
        mine = _mine(investment)
        typed = str(_read(investment, "investment_type") or "").casefold()
        kind = mine.get("type") or KINDS.get(typed, "equity")
        tranche = mine.get("tranche", "senior")
        committed = _read(investment, "investment_commitment", "amount", "exact")
        head = [name, alliance, _read(investment, "organisation_id"), kind, tranche, committed]
        own = _currency_of(investment.get("investment_commitment"), currency)
        cap = [mine.get("return_cap")]
        # A date's draws and payments back on one row (a row per investor, tranche and date).
        by_day: dict[Any, list[float]] = {}
        for t in project.get("transactions") or []:
            if _read(t, "investment_id") != investment.get("id"):
                continue
            side = 0 if _is_draw(t) else 1 if _typed(t) in RETURN_TYPES else None
            if side is not None:
                day = by_day.setdefault(_read(t, "date"), [0.0, 0.0])
                day[side] += _number(_read(t, "money", "amount")) or 0.0
        if not any(drawn for drawn, _ in by_day.values()):
            start = _read(project, "dates", "start_date_of_service_provision")
            by_day.setdefault(start, [0.0, 0.0])
        bonus = mine.get("bonus")
        rows += [
            [*head, day, drawn, *cap, back or None, bonus, own]
            for day, (drawn, back) in by_day.items()
        ]
    return rows


def _result_period(result: dict[str, Any]) -> str | None:
    """A result's period as the sheets write one (a year, a quarter, a month), or ``None``."""
    label = _mine(result).get("period")
    if label:
        return str(label)
    start, end = _read(result, "period", "start_date"), _read(result, "period", "end_date")
    for candidate in (str(start)[:4], _quarter(start), str(start)[:7]):
        period = parse_period(candidate) if candidate else None
        if period is not None and str(period.start) == start and str(period.end) == end:
            return str(period)
    return None


def _quarter(day: Any) -> str | None:
    if not isinstance(day, str) or len(day) < 7:
        return None
    return f"{day[:4]}-Q{(int(day[5:7]) - 1) // 3 + 1}"


def _left_aside(project: dict[str, Any]) -> list[Table]:
    """What the sheets cannot hold, as sheets named after it (the dry run lists them among
    the sheets it left aside): payment plans (their payments are held, as planned), results
    over a period the sheets do not write, results given otherwise than as a number,
    transactions that neither draw nor pay an investor back (an outcome payment, "Other")."""
    aside = {
        "outcome_payment_plans": len(project.get("outcome_payment_plans") or []),
        "transactions_not_held": sum(
            not _is_draw(t) and _typed(t) not in RETURN_TYPES
            for t in project.get("transactions") or []
        ),
        "results_not_held": sum(
            _result_period(r) is None or _read(r, "number_with_positive_social_outcomes") is None
            for r in project.get("results") or []
        ),
    }
    return [Table(f"{section} ({count})", [["-"]]) for section, count in aside.items() if count]
