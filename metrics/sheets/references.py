"""Checks and resolution of names: every alliance, partner, indicator and contract a file's rows
name is one the database knows (``Known``) or the file defines; names take their canonical
spelling; rows that repeat a key keep the first, and rows that disagree on one are refused
(``resolve``). Observations, kept as Arrow columns, are checked in ``observed``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from metrics.base.numbers import exchange_rates
from metrics.base.text import key
from metrics.sheets.bounded import Bounds, check_bounds
from metrics.sheets.cells import text as text_of
from metrics.sheets.names import find, is_example
from metrics.sheets.observed import dedupe_observations, resolve_observations
from metrics.sheets.parsed import Parsed, Record
from metrics.sheets.problem import Problem
from metrics.sheets.schema import (
    CONTRACT_FIELDS,
    CONTRACT_ROWS,
    EXAMPLE_CONTRACT,
    IMPROVEMENT_TERMS,
)


@dataclass
class Known:
    """What the database already holds, as matching keys to canonical names and codes."""

    alliances: dict[str, str] = field(default_factory=dict)
    stakeholders: dict[tuple[str, str], str] = field(default_factory=dict)
    indicators: dict[str, str] = field(default_factory=dict)
    # An outcome contract's (alliance, matching key) -> (its name, its alliance, its indicator):
    # a contract belongs to its alliance, two alliances may name theirs alike
    contracts: dict[tuple[str, str], tuple[str, str, str]] = field(default_factory=dict)
    priced: set[tuple[str, str]] = field(default_factory=set)  # those with a rate card
    # A contract's (alliance, matching key) -> its payers', and its rate card's outcomes'
    # matching keys -> their names: a payment names them as the contract spells them.
    payers: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    outcomes: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    # A contract's payers' shares (in %, None: not given) of an outcome, by (alliance, contract's
    # matching key, outcome's matching key) then payer's matching key: a file's rows join them.
    shares: dict[tuple[str, str, str], dict[str, float | None]] = field(default_factory=dict)
    # The stored rows' terms that rows of one thing give alike (``ONE_TERM``), by kind: each
    # row's identity, its owner (an outcome, an investor's tranche) and its value.
    terms: dict[str, list[tuple[tuple[Any, ...], tuple[Any, ...], Any]]] = field(
        default_factory=dict
    )
    drawn: dict[tuple[Any, ...], float] = field(default_factory=dict)  # ``add_draws``
    # A contract's (alliance, matching key) -> its currency and those its exchange rates name:
    # the currencies its rows' amounts may be in.
    currencies: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    # The other currencies its stored rows are in: a new version of the contract keeps their rate.
    used: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def add_used(self, frame: Any) -> None:
        """The currencies a stored sheet's rows (``alliance``, ``contract``, ``currency``) name."""
        if "currency" not in frame:
            return
        for alliance, contract, code in zip(
            frame["alliance"], frame["contract"], frame["currency"]
        ):
            if isinstance(code, str) and code:
                self.used.setdefault((alliance, key(contract)), set()).add(code)

    # What a value of each indicator may be, by code (``bounded.Bounds``).
    bounds: dict[str, Bounds] = field(default_factory=dict)

    def add_draws(self, rows: Iterable[Mapping[Any, Any]]) -> None:
        """The amounts drawn of stored investments' rows, by identity (a payment back given on
        its own row must not replace a draw of the same day)."""
        for row in rows:
            drawn = _matching(row.get("drawn"))
            if drawn:
                self.drawn[_contract_key(row, CONTRACT_ROWS["investments"][0])] = float(drawn)

    def add_terms(self, kind: str, rows: Iterable[Mapping[Any, Any]]) -> None:
        """Stored rows of ``kind`` (a contract's rows, by name) whose ``ONE_TERM`` is given."""
        owner, term, _ = ONE_TERM[kind]
        for row in rows:
            value = _matching(row.get(term))
            if value is not None:
                identity = _contract_key(row, CONTRACT_ROWS[kind][0])
                self.terms.setdefault(kind, []).append((identity, _contract_key(row, owner), value))

    def add_indicator(self, code: str, *labels: str) -> None:
        for name in (code, *labels):
            if name:
                self.indicators.setdefault(key(name), code)


def _refuse(
    parsed: Parsed, record: Record, column: str, code: str, params: tuple[tuple[str, Any], ...] = ()
) -> None:
    """A problem with one field of a record that was read."""
    parsed.problems.append(
        Problem(
            record.sheet,
            record.row,
            record.columns.get(column),
            text_of(record.values.get(column)),
            code,
            params,
        )
    )


def _dedupe(
    parsed: Parsed,
    kind: str,
    record_key: Callable[[Record], tuple[Any, ...]],
    compared: tuple[str, ...],
    conflict: str = "err.conflict",
) -> None:
    """Keep the first of identical rows; two rows that disagree on one key are an error
    (``conflict``: its message)."""
    seen: dict[tuple[Any, ...], Record] = {}
    kept = []
    for record in parsed.records[kind]:
        k = record_key(record)
        first = seen.get(k)
        if first is None:
            seen[k] = record
            kept.append(record)
            continue
        differing = [c for c in compared if first.values.get(c) != record.values.get(c)]
        if differing:
            _refuse(
                parsed,
                record,
                differing[0],
                conflict,
                (("first", first.row), ("sheet", first.sheet)),
            )
    parsed.records[kind] = kept


@dataclass
class _Names:
    """The names a file's rows may use: those known and those the file defines."""

    parsed: Parsed
    alliances: dict[str, str]
    indicators: dict[str, str]
    stakeholders: dict[tuple[str, str], str] = field(default_factory=dict)

    def alliance_of(self, record: Record) -> str | None:
        """The canonical alliance a row names, or ``None`` (refused: unknown, or the
        template's example)."""
        if is_example(record.values["alliance"]):
            _refuse(self.parsed, record, "alliance", "err.example_row")
            return None
        name = find(self.alliances, record.values["alliance"])
        if name is None:
            _refuse(self.parsed, record, "alliance", "err.unknown_alliance")
        return name

    def indicator_of(self, record: Record, field_name: str = "indicator") -> str | None:
        """The code of the indicator a row names (in ``field_name``), or ``None`` (refused)."""
        code = find(self.indicators, record.values[field_name])
        if code is None:
            _refuse(self.parsed, record, field_name, "err.unknown_indicator")
        return code


def resolve(parsed: Parsed, known: Known) -> Parsed:
    """Check that every alliance, stakeholder and indicator is known or defined in the file,
    rewrite names to their canonical spelling, and flag rows that disagree on one key."""
    names = _Names(parsed, _alliances(parsed, known), _indicators(parsed, known))
    names.stakeholders = _stakeholders(parsed, names, known)
    resolve_observations(parsed, names.alliances, names.indicators, names.stakeholders)
    _targets_and_contracts(parsed, names)
    dedupe_observations(parsed)
    check_bounds(parsed, _bounds(parsed, known))
    _dedupe(
        parsed,
        "targets",
        lambda r: (r.values["alliance"], r.values["indicator"]),
        ("baseline_period", "baseline", "target_period", "target"),
    )
    _replications(parsed, names)
    _rules(parsed, names)
    _dedupe(
        parsed,
        "contracts",
        lambda r: (r.values["alliance"], key(r.values["contract"])),
        tuple(f for f in CONTRACT_FIELDS if f not in ("contract", "alliance")),
    )
    _contract_rows(parsed, known, names)
    return parsed


def _alliances(parsed: Parsed, known: Known) -> dict[str, str]:
    """The alliances known and those the file defines (the first spelling of each)."""
    alliances = dict(known.alliances)
    for record in parsed.records["alliances"]:
        name = record.values["alliance"]
        if is_example(name):
            _refuse(parsed, record, "alliance", "err.example_row")
            continue
        record.values["alliance"] = alliances.setdefault(key(name), name)
    _dedupe(
        parsed,
        "alliances",
        lambda r: (r.values["alliance"],),
        ("territory", "territory_code", "population", "theme", "started", "stage"),
    )
    return alliances


def _indicators(parsed: Parsed, known: Known) -> dict[str, str]:
    """The indicators known and those the file defines, by code and either label."""
    indicators = Known(indicators=dict(known.indicators))
    for record in parsed.records["indicators"]:
        v = record.values
        existing = known.indicators.get(v["indicator"])
        v["indicator"] = existing or v["indicator"]
        indicators.add_indicator(v["indicator"], v["label_fr"], v["label_en"])
    _dedupe(
        parsed,
        "indicators",
        lambda r: (r.values["indicator"],),
        ("label_fr", "label_en", "dimension", "unit", "direction", "aggregation"),
    )
    return indicators.indicators


def _bounds(parsed: Parsed, known: Known) -> dict[str, Bounds]:
    """Each indicator's bounds: those stored, each one a file's ``indicators`` sheet gives
    in its place (a blank cell keeps the one stored)."""
    bounds = dict(known.bounds)
    for record in parsed.records["indicators"]:
        v = record.values
        stored = bounds.get(v["indicator"], (None, None, None))
        given = (v.get("minimum"), v.get("maximum"), v.get("whole"))
        bounds[v["indicator"]] = tuple(  # type: ignore[assignment]
            s if g is None else g for s, g in zip(stored, given, strict=True)
        )
    return bounds


def _stakeholders(parsed: Parsed, names: _Names, known: Known) -> dict[tuple[str, str], str]:
    """The partners known and those the file defines, within their alliance."""
    stakeholders = dict(known.stakeholders)
    for record in parsed.records["stakeholders"]:
        alliance = names.alliance_of(record)
        if alliance is None:
            continue
        record.values["alliance"] = alliance
        name = record.values["stakeholder"]
        record.values["stakeholder"] = stakeholders.setdefault((alliance, key(name)), name)
    _dedupe(
        parsed, "stakeholders", lambda r: (r.values["alliance"], r.values["stakeholder"]), ("type",)
    )
    return stakeholders


def _targets_and_contracts(parsed: Parsed, names: _Names) -> None:
    """Targets and contracts name their alliance and indicator (and a partner, if any)."""
    for kind in ("targets", "contracts"):
        for record in parsed.records[kind]:
            # A contract paid by its rate card may name no indicator (each price names its own).
            blank = kind == "contracts" and not record.values.get("indicator")
            alliance = names.alliance_of(record)
            code = "" if blank else names.indicator_of(record)
            if alliance is None or code is None:
                continue
            record.values["alliance"], record.values["indicator"] = alliance, code
            name = record.values.get("stakeholder") or ""
            if name:
                canonical = find(names.stakeholders, name, alliance)
                if canonical is None:
                    _refuse(parsed, record, "stakeholder", "err.unknown_stakeholder")
                    continue
                record.values["stakeholder"] = canonical


def _rules(parsed: Parsed, names: _Names) -> None:
    """A rule names its alliance (blank: every alliance), the indicator on its left and, unless
    it is a number, the one on its right; one rule per alliance and pair of sides."""
    for record in parsed.records["rules"]:
        v = record.values
        alliance = names.alliance_of(record) if v["alliance"] else ""
        left = names.indicator_of(record, "left")
        right = v["right"] if v["right_value"] is not None else names.indicator_of(record, "right")
        if alliance is not None and left is not None and right is not None:
            v["alliance"], v["left"] = alliance, left
            v["right"] = "" if v["right_value"] is not None else right
    _dedupe(
        parsed,
        "rules",
        lambda r: (
            r.values["alliance"],
            r.values["left"],
            r.values["right"],
            r.values["right_value"],
        ),
        ("operator", "factor"),
    )


def _replications(parsed: Parsed, names: _Names) -> None:
    for record in parsed.records["replications"]:
        alliance = names.alliance_of(record)
        if alliance is not None:
            record.values["alliance"] = alliance
    _dedupe(
        parsed,
        "replications",
        lambda r: (r.values["alliance"], r.values["mode"], key(r.values["territory"])),
        ("territory_code", "started", "status", "beneficiaries", "latitude", "longitude", "note"),
    )


def _contract_rows(parsed: Parsed, known: Known, names: _Names) -> None:
    """A rate card's, payers', investments' and payments' rows name their contract, defined
    in the file or already known, within its alliance: by its name alone when one contract
    the account reads has it, else with the ``alliance`` column. Each takes its spelling and
    its alliance (the rights of an upload follow the alliance); a price names its indicator
    (else the contract's)."""
    contracts = dict(known.contracts)
    for record in parsed.records["contracts"]:
        v = record.values
        if v.get("alliance") in (None, ""):
            continue  # refused already
        contracts[(v["alliance"], key(v["contract"]))] = (
            v["contract"],
            v["alliance"],
            v["indicator"],
        )
    for kind, (keys, compared) in CONTRACT_ROWS.items():
        for record in parsed.records[kind]:
            _contract_row(parsed, record, contracts, names)

        def identity(record: Record, keys: tuple[str, ...] = keys) -> tuple[Any, ...]:
            v = record.values
            return (v["alliance"], key(v["contract"]), *map(_matching, map(v.get, keys)))

        # Two prices of one outcome are tiers: each needs its own threshold.
        conflict = "err.price_tiers" if kind == "prices" else "err.conflict"
        _dedupe(parsed, kind, identity, compared, conflict)
    _unpaid_contracts(parsed, known)
    _ledger_names(parsed, known)
    _shares(parsed, known)
    _one_term_each(parsed, known)
    _draws_kept(parsed, known)
    _currencies(parsed, known)


def _contract_row(
    parsed: Parsed,
    record: Record,
    contracts: dict[tuple[str, str], tuple[str, str, str]],
    names: _Names,
) -> None:
    """One row of a contract: its contract found (by name, within its alliance if it names
    one), its spelling and alliance taken; a price's indicator resolved."""
    v = record.values
    if key(v["contract"]) == key(EXAMPLE_CONTRACT):
        _refuse(parsed, record, "contract", "err.example_row")
        return
    alliance = names.alliance_of(record) if v.get("alliance") else None
    if v.get("alliance") and alliance is None:
        return
    named = [
        contract
        for (owner, name), contract in contracts.items()
        if name == key(v["contract"]) and alliance in (None, owner)
    ]
    if len(named) != 1:
        problem = "err.unknown_contract" if not named else "err.ambiguous_contract"
        _refuse(parsed, record, "contract", problem)
        return
    found = named[0]
    v["contract"], v["alliance"] = found[0], found[1]
    if record.kind == "prices":
        if not v["indicator"] and not found[2]:  # nor the contract's to fall back on
            _refuse(parsed, record, "indicator", "err.price_indicator")
            return
        v["indicator"] = names.indicator_of(record) if v["indicator"] else found[2]


def _named(
    parsed: Parsed, kind: str, field_name: str, known: dict[tuple[str, str], dict[str, str]]
) -> dict[tuple[str, str], dict[str, str]]:
    """Each contract's names of ``field_name`` (its payers, its outcomes): those stored, then
    those the file's ``kind`` rows give, by matching key."""
    names = {contract: dict(found) for contract, found in known.items()}
    for record in parsed.records[kind]:
        v = record.values
        contract = (v["alliance"], key(v["contract"]))
        names.setdefault(contract, {}).setdefault(key(v[field_name]), v[field_name])
    return names


def _ledger_names(parsed: Parsed, known: Known) -> None:
    """A payment (a payer's row, a participant's result) names its payer and its outcome as
    its contract does, ignoring case, accents and spaces (``Patient Cured`` is the rate card's
    ``patient cured``); one its contract does not have (when it has payers, or a rate card) is
    refused, with the names it has."""
    payers = _named(parsed, "payers", "payer", known.payers)
    outcomes = _named(parsed, "prices", "outcome", known.outcomes)
    for price in parsed.records["prices"]:  # one outcome, one spelling: the first given
        v = price.values
        v["outcome"] = outcomes[(v["alliance"], key(v["contract"]))][key(v["outcome"])]
    records = ("payments", "payers", "participants")
    for record in [r for kind in records for r in parsed.records[kind]]:
        v = record.values
        contract = (v["alliance"], key(v["contract"]))
        for field_name, names, code in (
            ("payer", payers.get(contract), "err.unknown_payer"),
            ("outcome", outcomes.get(contract), "err.unknown_outcome"),
        ):
            if not v.get(field_name) or not names:
                continue
            found = names.get(key(v[field_name]))
            if found is None:
                given = (("names", ", ".join(sorted(names.values()))),)
                _refuse(parsed, record, field_name, code, given)
            else:
                v[field_name] = found


def _shares(parsed: Parsed, known: Known) -> None:
    """The payers' shares of a contract's outcome (or of every outcome no row names), the
    file's rows with the stored ones they do not replace, are given for every payer or for
    none (a share left out would be split pro rata to commitments, the others ignored), and
    add up to 100 % (more would share each payment out more than once; less would leave part
    of it to nobody)."""
    given: dict[tuple[str, str, str], list[Record]] = {}
    for record in parsed.records["payers"]:
        v = record.values
        outcome = key(v.get("outcome") or "")
        given.setdefault((v["alliance"], key(v["contract"]), outcome), []).append(record)
    for group, records in given.items():
        shares = dict(known.shares.get(group, {}))
        shares.update({key(r.values["payer"]): r.values["share"] for r in records})
        stated = [s for s in shares.values() if s is not None]
        if stated and len(stated) < len(shares):
            missing = [payer for payer, share in shares.items() if share is None]
            named = dict(known.payers.get(group[:2], {}))
            named.update({key(r.values["payer"]): r.values["payer"] for r in records})
            names = (("names", ", ".join(named.get(p, p) for p in missing)),)
            _refuse(parsed, records[-1], "share", "err.shares_partial", names)
        elif stated and abs(sum(stated) - 100) > 1e-6:
            total = (("total", round(sum(stated), 6)),)
            _refuse(parsed, records[-1], "share", "err.shares_total", total)


# A term that rows of one thing must give alike: an outcome's basis (within the card in
# effect from one date), an investor's own return cap in a tranche (across its draws).
ONE_TERM = {
    "prices": (("outcome", "since"), "basis", "err.price_bases"),
    "investments": (("investor", "tranche"), "return_cap", "err.return_caps"),
}


def _one_term_each(parsed: Parsed, known: Known) -> None:
    """Rows of one outcome (or one investor's tranche) that give two different values of a
    term the settlement reads once are refused, naming the first: the sheet would otherwise be
    settled on whichever row came first. The stored rows the file does not replace count (a
    ``…_stored`` refusal). A blank cell gives nothing."""
    for kind, (owner, term, code) in ONE_TERM.items():
        replaced = {_contract_key(r.values, CONTRACT_ROWS[kind][0]) for r in parsed.records[kind]}
        stored: dict[tuple[Any, ...], Any] = {}
        for identity, which, value in known.terms.get(kind, []):
            if identity not in replaced:
                stored.setdefault(which, value)
        seen: dict[tuple[Any, ...], Record] = {}
        for record in parsed.records[kind]:
            v = record.values
            if v.get(term) is None:
                continue
            which = _contract_key(v, owner)
            if stored.get(which, _matching(v[term])) != _matching(v[term]):
                _refuse(parsed, record, term, f"{code}_stored")
                continue
            first = seen.setdefault(which, record)
            if first.values[term] != v[term]:
                _refuse(parsed, record, term, code, (("first", first.row),))


def _draws_kept(parsed: Parsed, known: Known) -> None:
    """A row giving a payment back and nothing drawn, on the date of a stored draw of the same
    investor's tranche, would replace that draw with nothing: refused, with the amount."""
    for record in parsed.records["investments"]:
        v = record.values
        if v.get("drawn") or not v.get("distributed"):
            continue
        stored = known.drawn.get(_contract_key(v, CONTRACT_ROWS["investments"][0]))
        if stored:
            _refuse(parsed, record, "drawn", "err.draw_replaced", (("amount", stored),))


def _currencies(parsed: Parsed, known: Known) -> None:
    """A row's amounts in another currency than its contract's need the contract's rate for
    it (its ``exchange_rates``): refused otherwise, naming the currencies it has."""
    currencies = dict(known.currencies)
    for record in parsed.records["contracts"]:
        v = record.values
        owner = (str(v.get("alliance") or ""), key(v["contract"]))
        currencies[owner] = (v["currency"], *exchange_rates(v.get("exchange_rates")))
        for code in sorted(known.used.get(owner, set()) - set(currencies[owner])):
            params = (("currency", code), ("known", ", ".join(currencies[owner])))
            _refuse(parsed, record, "exchange_rates", "err.rate_in_use", params)
    for kind in ("payers", "investments", "payments"):
        for record in parsed.records[kind]:
            v = record.values
            has = currencies.get((str(v.get("alliance") or ""), key(v["contract"])))
            if v.get("currency") and has and v["currency"] not in has:
                params = (("currency", v["currency"]), ("known", ", ".join(has)))
                _refuse(parsed, record, "currency", "err.currency_rate", params)


def _contract_key(row: Mapping[Any, Any], fields: tuple[str, ...]) -> tuple[Any, ...]:
    """A contract's row by its alliance, its contract and ``fields``, as rows are matched."""
    return (row["alliance"], key(str(row["contract"])), *(_matching(row.get(f)) for f in fields))


def _matching(value: Any) -> Any:
    """A cell as rows are matched on it: text ignoring case, accents and spaces, a stored
    timestamp as its day, NULL, NaN and NaT as ``None``."""
    if value is None or value != value:
        return None
    if isinstance(value, str):
        return key(value)
    return value.date() if isinstance(value, dt.datetime) else value


def _unpaid_contracts(parsed: Parsed, known: Known) -> None:
    """A contract is paid by its rate card, else by its improvement terms: it needs one."""
    priced = known.priced | {
        (r.values["alliance"], key(r.values["contract"])) for r in parsed.records["prices"]
    }
    for record in parsed.records["contracts"]:
        v = record.values
        missing = [f for f in IMPROVEMENT_TERMS if v.get(f) is None]
        if missing and (v["alliance"], key(v["contract"])) not in priced:
            _refuse(parsed, record, missing[0], "err.contract_terms")
