"""The row reader: every sheet but observations, small by nature, read row by row into typed
``Record``s, each cell by its column's kind in ``schema`` (required or not, its vocabulary and
default), then the rules of its sheet; problems are collected, never raised."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from metrics.base import catalog, limits
from metrics.base.numbers import MISSING, OUT_OF_RANGE, exchange_rates, parse_number, rates_text
from metrics.base.periods import Period, parse_period
from metrics.base.text import MAX_NAME, key, name_problem
from metrics.sheets import schema
from metrics.sheets.cells import Cell, blank, label
from metrics.sheets.cells import text as text_of
from metrics.sheets.files import Table
from metrics.sheets.layout import Layout
from metrics.sheets.parsed import Parsed, Record
from metrics.sheets.problem import Problem


def choice_code(value: str, vocabulary: str) -> str | None:
    """The code a cell names in ``vocabulary`` (by code, either label or an extra spelling).

    >>> choice_code("Collectivité", "type"), choice_code("fondation", "type")
    ('public', 'funder')
    """
    k = key(value)
    for code, labels in schema.VOCABULARIES[vocabulary].items():
        if k == code or k == key(labels["fr"]) or k == key(labels["en"]):
            return code
    return catalog.SYNONYMS.get(vocabulary, {}).get(k)


class RowReader:
    """Reads the typed fields of one row, collecting problems instead of raising."""

    def __init__(
        self,
        parsed: Parsed,
        sheet: str,
        row: int,
        layout: Layout,
        cells: list[Cell],
        headers: list[Cell],
    ) -> None:
        self.parsed, self.sheet, self.row, self.layout = parsed, sheet, row, layout
        self.cells, self.headers = cells, headers
        self.failed = False

    def column(self, name: str) -> str:
        """The field's column as problems name it: ``valeur (D)``."""
        return label(self.headers, self.layout.columns[name])

    def cell(self, name: str) -> Cell:
        index = self.layout.columns.get(name)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def problem(self, column: str | None, value: Cell, code: str, **params: Any) -> None:
        self.failed = True
        self.parsed.problems.append(
            Problem(self.sheet, self.row, column, text_of(value), code, tuple(params.items()))
        )

    def _required(self, name: str) -> bool:
        return schema.column(self.layout.kind, name).required

    def text(self, name: str) -> str:
        value = text_of(self.cell(name))
        if self._required(name) and not value:
            self.problem(self.column(name), "", "err.required")
        if len(value) > limits.MAX_CELL:  # a workbook's cell (a CSV's is refused when read)
            self.problem(self.column(name), value[:80] + "…", "err.cell_long")
        return value

    def name(self, field: str) -> str:
        """A required name (alliance, partner, indicator, contract) that can only match
        itself: letters or digits in it, nothing hidden, not too long."""
        value = self.text(field)
        problem = name_problem(value) if value else None
        if problem:
            self.problem(self.column(field), value, problem, limit=MAX_NAME)
        return value

    def number(self, name: str) -> float | None:
        cell = self.cell(name)
        if name not in self.layout.columns:
            return None
        number = parse_number(cell)
        if number is MISSING:
            if self._required(name):
                self.problem(self.column(name), cell, "err.required")
            return None
        if number is OUT_OF_RANGE:
            self.problem(self.column(name), cell, "err.number_out_of_range")
            return None
        if number is None:
            self.problem(self.column(name), cell, "err.bad_number")
            return None
        return number  # type: ignore[return-value]

    def period(self, name: str) -> Period | None:
        cell = self.cell(name)
        if cell in (None, "") or (isinstance(cell, str) and not cell.strip()):
            if self._required(name):
                self.problem(self.column(name), "", "err.required")
            return None
        period = parse_period(cell.strip() if isinstance(cell, str) else cell)
        if period is None:
            self.problem(self.column(name), cell, "err.bad_period")
        return period

    def choice(self, name: str) -> str | None:
        """A code of the column's vocabulary; an empty cell takes the column's default, or is
        a problem when it has none."""
        column = schema.column(self.layout.kind, name)
        assert column.choices is not None
        value = self.text(name)
        if not value:
            if column.default is None:
                self.problem(self.column(name), "", "err.required")
            return column.default
        code = choice_code(value, column.choices)
        if code is None:
            self.problem(self.column(name), value, "err.bad_choice", vocabulary=column.choices)
        return code


def read_rows(parsed: Parsed, table: Table, layout: Layout) -> bool:
    """Read a sheet's rows under its header into ``parsed.records``; ``False`` when the sheet
    holds nothing under its header."""
    headers = table.head[layout.header_row]
    kind = layout.kind
    before = len(parsed.records[kind]) + len(parsed.problems) + len(parsed.missing)
    for offset, cells in enumerate(table.rows[layout.header_row + 1 :]):
        if blank(cells):
            continue
        row_number = layout.header_row + 2 + offset
        reader = RowReader(parsed, table.name, row_number, layout, cells, headers)
        values = READERS[kind](reader)
        # Rows with a problem are kept too, so that their references are checked as well;
        # any problem stops the whole file from being written.
        columns = {name: reader.column(name) for name in layout.columns}
        parsed.records[kind].append(Record(kind, table.name, row_number, values, columns))
    return len(parsed.records[kind]) + len(parsed.problems) + len(parsed.missing) != before


def _read_alliance(r: RowReader) -> dict[str, Any]:
    population = r.number("population")
    if population is not None and (population <= 0 or not float(population).is_integer()):
        r.problem(r.column("population"), r.cell("population"), "err.bad_population")
    started = r.period("started")
    stage = r.choice("stage") if "stage" in r.layout.columns else ""
    return {
        "alliance": r.name("alliance"),
        "territory": r.text("territory"),
        "territory_code": r.text("territory_code"),
        "population": int(population) if population else None,
        "theme": r.text("theme"),
        "started": started.start if started else None,
        "stage": stage or None,
        "latitude": r.number("latitude"),
        "longitude": r.number("longitude"),
    }


def _read_stakeholder(r: RowReader) -> dict[str, Any]:
    return {
        "alliance": r.text("alliance"),
        "stakeholder": r.name("stakeholder"),
        "type": r.choice("type"),
    }


def _read_indicator(r: RowReader) -> dict[str, Any]:
    raw = r.name("indicator")
    code = key(raw)
    label_ = r.text("label")
    label_fr = r.text("label_fr") or label_ or raw
    label_en = r.text("label_en") or label_ or label_fr
    return {
        "indicator": code,
        "label_fr": label_fr,
        "label_en": label_en,
        "dimension": r.choice("dimension"),
        "unit": r.text("unit"),
        "direction": r.choice("direction"),
        "aggregation": r.choice("aggregation"),
        "description": r.text("description"),
        **_bounds(r),
    }


def _bounds(r: RowReader) -> dict[str, Any]:
    """What a value of the indicator may be; a blank cell says nothing (``None``: the bound
    stored stays). A minimum above the maximum is a problem."""
    minimum, maximum = r.number("minimum"), r.number("maximum")
    if minimum is not None and maximum is not None and minimum > maximum:
        r.problem(r.column("maximum"), r.cell("maximum"), "err.bounds_order", minimum=minimum)
    whole = r.choice("whole")
    return {"minimum": minimum, "maximum": maximum, "whole": whole == "yes" if whole else None}


def _read_target(r: RowReader) -> dict[str, Any]:
    values = {
        "alliance": r.text("alliance"),
        "indicator": r.text("indicator"),
        "baseline_period": r.period("baseline_period"),
        "baseline": r.number("baseline"),
        "target_period": r.period("target_period"),
        "target": r.number("target"),
    }
    if r.failed:
        return values
    if values["baseline"] == values["target"]:
        r.problem(r.column("target"), r.cell("target"), "err.target_equals_baseline")
    baseline_period, target_period = values["baseline_period"], values["target_period"]
    assert isinstance(baseline_period, Period) and isinstance(target_period, Period)
    if target_period.start <= baseline_period.start:
        r.problem(r.column("target_period"), r.cell("target_period"), "err.target_before_baseline")
    return values


def _read_rule(r: RowReader) -> dict[str, Any]:
    """A rule between indicators: the indicator on the left, an operator, an indicator or a
    number on the right (names are resolved with the others), a factor (1 by default)."""
    written = r.text("operator").replace(" ", "")
    operator = catalog.RULE_OPERATOR_SPELLINGS.get(written, written)
    if written and operator not in catalog.RULE_OPERATORS:
        r.problem(r.column("operator"), written, "err.rule_operator")
    right = r.text("right")
    number = parse_number(right) if right else None
    factor = r.number("factor")
    if factor is not None and factor <= 0:
        r.problem(r.column("factor"), r.cell("factor"), "err.rule_factor")
    return {
        "alliance": r.text("alliance"),
        "left": r.name("left"),
        "operator": operator,
        "right": right,
        "right_value": number if isinstance(number, float) else None,
        "factor": 1.0 if factor is None else factor,
    }


def _read_replication(r: RowReader) -> dict[str, Any]:
    started = r.period("started")
    values: dict[str, Any] = {
        "alliance": r.text("alliance"),
        "mode": r.choice("mode"),
        "territory": r.text("territory"),
        "territory_code": r.text("territory_code"),
        "started": started.start if started else None,
        "status": r.choice("status"),
        "beneficiaries": r.number("beneficiaries"),
        "latitude": r.number("latitude"),
        "longitude": r.number("longitude"),
        "note": r.text("note"),
    }
    for name, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        value = values[name]
        if value is not None and not low <= value <= high:
            r.problem(r.column(name), r.cell(name), "err.bad_coordinate", low=low, high=high)
    if (values["latitude"] is None) != (values["longitude"] is None):
        r.problem(
            r.column("latitude" if "latitude" in r.layout.columns else "longitude"),
            "",
            "err.half_coordinate",
        )
    return values


# What a contract's ``illustrative`` cell may name: its columns (by any of their headers) and
# the sheets of its rows (by any of their names); never the contract's name or alliance.
_ILLUSTRATIVE = {
    **{c.field: c.headers for c in schema.BY_KIND["contracts"].columns},
    **{kind: schema.BY_KIND[kind].names for kind in schema.CONTRACT_ROWS},
}


def _illustrative(r: RowReader) -> str:
    """The contract's fields named in its ``illustrative`` cell (by any of their column
    names, in either language), or its rows of another sheet (by the sheet's name:
    ``investissements``…), canonical and comma-separated; a name that is neither is a
    problem."""
    found = []
    for name in re.split(r"[,;]", r.text("illustrative")):
        if not name.strip():
            continue
        field = next((f for f, names in _ILLUSTRATIVE.items() if key(name) in names), None)
        if field is None or field in ("contract", "alliance", "illustrative"):
            r.problem(
                r.column("illustrative"), name.strip(), "err.illustrative_field", name=name.strip()
            )
        elif field not in found:
            found.append(field)
    return ",".join(found)


def _read_contract(r: RowReader) -> dict[str, Any]:
    start, end = r.period("start"), r.period("end")
    values: dict[str, Any] = {
        "contract": r.name("contract"),
        "alliance": r.text("alliance"),
        "indicator": r.text("indicator"),
        "commissioner": r.text("commissioner"),
        "investors": r.text("investors"),
        "capital": r.number("capital"),
        "currency": r.text("currency").upper(),
        "start": start.start if start else None,
        "end": end.end if end else None,
        "cohort_size": r.number("cohort_size"),
        "baseline": r.number("baseline"),
        "per": r.number("per") or 100.0,
        "cohort_threshold": r.number("cohort_threshold"),
        "overall_threshold": r.number("overall_threshold"),
        "price": r.number("price"),
        "payment_cap": r.number("payment_cap"),
        "return_cap": r.number("return_cap"),
        "saving_per_unit": r.number("saving_per_unit"),
        "population": r.number("population"),
        "illustrative": _illustrative(r),
        "surplus": r.choice("surplus"),
        "provider_share": r.number("provider_share"),
        "recycle_until": recycled.end if (recycled := r.period("recycle_until")) else None,
        "exchange_rates": _rates(r),
        "person_cap": r.number("person_cap"),
    }
    _positive(
        r,
        values,
        *("capital", "cohort_size", "baseline", "price", "payment_cap", "population", "person_cap"),
    )
    share = values["provider_share"]
    if share is not None and not 0 <= share <= 100:
        r.problem(r.column("provider_share"), r.cell("provider_share"), "err.share_range")
    if values["start"] and values["end"] and values["end"] <= values["start"]:
        r.problem(r.column("end"), r.cell("end"), "err.end_before_start")
    return values


def _currency(r: RowReader) -> str:
    """A row's currency code (EUR, CHF…), upper case; blank: its contract's."""
    code = r.text("currency").upper()
    if code and not (len(code) == 3 and code.isalpha()):
        r.problem(r.column("currency"), r.cell("currency"), "err.currency_code")
        return ""  # refused already: no other problem about it
    return code


def _rates(r: RowReader) -> str:
    """A contract's exchange rates in one spelling (``numbers.rates_text``), blank for none."""
    try:
        return rates_text(exchange_rates(r.text("exchange_rates")))
    except ValueError as e:
        r.problem(
            r.column("exchange_rates"), r.cell("exchange_rates"), "err.exchange_rates", part=str(e)
        )
        return ""


def _positive(r: RowReader, values: dict[str, Any], *names: str, zero: bool = False) -> None:
    """Each of these fields, when given, above zero (or at it, with ``zero``)."""
    for name in names:
        value = values[name]
        if value is not None and (value < 0 or (value == 0 and not zero)):
            r.problem(r.column(name), r.cell(name), "err.not_positive")


def _read_price(r: RowReader) -> dict[str, Any]:
    times = r.number("per_person")
    values: dict[str, Any] = {
        "contract": r.text("contract"),
        "alliance": r.text("alliance"),
        "outcome": r.text("outcome"),
        "indicator": r.text("indicator"),
        "basis": r.choice("basis"),
        "price": r.number("price"),
        "threshold": r.number("threshold"),
        "max_units": r.number("max_units"),
        "max_amount": r.number("max_amount"),
        "since": since.start if (since := r.period("since")) else None,
        "per_person": times,
    }
    _positive(r, values, "price", "max_units", "max_amount", "per_person")
    if times is not None and not times.is_integer():
        r.problem(r.column("per_person"), r.cell("per_person"), "err.whole_times")
    _positive(r, values, "threshold", zero=True)
    if values["basis"] == "count" and values["threshold"] is not None:
        r.problem(r.column("threshold"), r.cell("threshold"), "err.count_threshold")
    return values


def _read_payer(r: RowReader) -> dict[str, Any]:
    share = r.number("share")
    values: dict[str, Any] = {
        "contract": r.text("contract"),
        "alliance": r.text("alliance"),
        "payer": r.text("payer"),
        "commitment": r.number("commitment"),
        "share": share,
        "outcome": r.text("outcome"),
        "currency": _currency(r),
    }
    _positive(r, values, "commitment")
    if share is not None and not 0 < share <= 100:
        r.problem(r.column("share"), r.cell("share"), "err.share_range")
    return values


def _read_investment(r: RowReader) -> dict[str, Any]:
    day = r.period("date")
    values = {
        "contract": r.text("contract"),
        "alliance": r.text("alliance"),
        "investor": r.text("investor"),
        "type": r.choice("type"),
        "tranche": r.choice("tranche"),
        "committed": r.number("committed"),
        "date": day.start if day else None,
        "drawn": r.number("drawn") or 0.0,
        "return_cap": r.number("return_cap"),
        "bonus": r.number("bonus"),
        "distributed": r.number("distributed"),
        "currency": _currency(r),
    }
    _positive(r, values, "committed")
    _positive(r, values, "drawn", "return_cap", "bonus", "distributed", zero=True)
    return values


def _read_payment(r: RowReader) -> dict[str, Any]:
    day = r.period("date")
    values = {
        "contract": r.text("contract"),
        "alliance": r.text("alliance"),
        "date": day.start if day else None,
        "payer": r.text("payer"),
        "outcome": r.text("outcome"),
        "amount": r.number("amount"),
        "nature": r.choice("nature"),
        "plan": r.choice("plan"),
        "currency": _currency(r),
    }
    _positive(r, values, "amount", zero=True)  # a nil payment is recorded in real ledgers
    return values


# One word of at most 40 characters, without spaces nor @: an id, not a full name nor an address
_PSEUDONYM = re.compile(r"[\w.\-/#]{1,40}")


def _read_participant(r: RowReader) -> dict[str, Any]:
    day = r.period("date")
    values: dict[str, Any] = {
        "contract": r.text("contract"),
        "alliance": r.text("alliance"),
        "participant": r.text("participant"),
        "outcome": r.text("outcome"),
        "date": day.start if day else None,
        "units": r.number("units"),
    }
    if values["participant"] and not _PSEUDONYM.fullmatch(values["participant"]):
        r.problem(r.column("participant"), r.cell("participant"), "err.participant_id")
    _positive(r, values, "units")
    return values


READERS: dict[str, Callable[[RowReader], dict[str, Any]]] = {
    "alliances": _read_alliance,
    "stakeholders": _read_stakeholder,
    "indicators": _read_indicator,
    "targets": _read_target,
    "rules": _read_rule,
    "replications": _read_replication,
    "contracts": _read_contract,
    "prices": _read_price,
    "payers": _read_payer,
    "investments": _read_investment,
    "payments": _read_payment,
    "participants": _read_participant,
}
