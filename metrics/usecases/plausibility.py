"""Values to check: the flags of ``metrics.domain.plausibility`` on the values a file is about
to add or change (against the values already stored, which give each series its history), and
on an alliance's stored values. A flag never stops an import and never changes a value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pandas as pd

from metrics.base import catalog
from metrics.base.access import Reader
from metrics.domain import plausibility, timeliness
from metrics.domain.plausibility import FLAG_COLUMNS, SERIES, Rule
from metrics.sheets.parsed import Record
from metrics.storage.plans import Plan
from metrics.storage.store import Store
from metrics.usecases import reports

KEY = ["alliance", "indicator", "stakeholder", "period"]
VALUE_COLUMNS = [*SERIES, "period", "period_start", "value"]


def rules(stored: pd.DataFrame | None = None, declared: Iterable[Record] = ()) -> list[Rule]:
    """The rules between indicators: the catalogue's (``catalog.RULES``), those ``stored``
    (``Store.rules``), then those a file ``declared`` (its ``rules`` sheet): one per alliance
    and pair of sides, the later in place of the earlier."""
    found: dict[tuple[Any, ...], Rule] = {}

    def add(rule: Rule) -> None:
        found[(rule.alliance, rule.left, rule.right)] = rule

    for left, op, right, factor in catalog.RULES:
        add(Rule(None, left, op, right, factor))
    if stored is not None:
        for row in stored.to_dict("records"):
            right = row["right_code"] if isinstance(row["right_code"], str) else row["right_value"]
            alliance = row["alliance"] or None
            add(Rule(alliance, row["left_code"], row["operator"], right, row["factor"]))
    for record in declared:
        v = record.values
        right = v["right"] if v["right_value"] is None else v["right_value"]
        add(Rule(v["alliance"] or None, v["left"], v["operator"], right, v["factor"]))
    return list(found.values())


def file_flags(store: Store, plan: Plan, actor: Reader) -> pd.DataFrame:
    """The flags of the values ``plan`` adds or changes (``FLAG_COLUMNS``, then the
    ``source_sheet`` and ``source_row`` of the value), each compared with the values stored
    before it as ``actor`` reads them, the file's own in place of those it replaces."""
    written = _values(plan.observations.to_pandas())
    if written.empty:
        return pd.DataFrame(columns=[*FLAG_COLUMNS, "source_sheet", "source_row"])
    stored = [_values(store.observations(actor, a)) for a in plan.alliances if actor.reads(a)]
    before = pd.concat(stored, ignore_index=True) if stored else written.iloc[0:0]
    replaced = before.set_index(KEY).index.isin(written.set_index(KEY).index)
    values = pd.concat([before[~replaced], written[VALUE_COLUMNS]], ignore_index=True)
    declared = rules(store.rules(actor), plan.parsed.records["rules"])
    found = plausibility.flags(values, declared, _declared_counts(store, actor, plan))
    where = written[[*KEY, "source_sheet", "source_row"]]
    return found.merge(where, on=KEY, how="inner").sort_values(["source_sheet", "source_row"])


def alliance_flags(store: Store, actor: Reader, alliance: str) -> pd.DataFrame:
    """The flags of an alliance's values as ``actor`` reads them."""
    return of_values(
        store.observations(actor, alliance), store.rules(actor, alliance), store.indicators(actor)
    )


def indicator_flags(store: Store, actor: Reader, indicator: str) -> pd.DataFrame:
    """The flags of one indicator's values, of every alliance ``actor`` reads, with their
    decisions (``with_checks``): its series and the rules it is the left side of (their
    right sides read too)."""
    stored = store.rules(actor)
    rights = [
        str(r.right) for r in rules(stored) if r.left == indicator and isinstance(r.right, str)
    ]
    values = store.indicator_values(actor, [indicator, *rights])
    found = of_values(values, stored, store.indicators(actor))
    return with_checks(found[found["indicator"] == indicator], store.flag_checks(actor))


def of_values(
    observations: pd.DataFrame,
    stored_rules: pd.DataFrame | None,
    indicators: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The flags of values as the store gives them (``Store.observations``), under the
    catalogue's rules and those stored (``Store.rules``), the indicators that count whole
    things read from ``indicators`` (``Store.indicators``; else the catalogue's)."""
    return plausibility.flags(_values(observations), rules(stored_rules), counts(indicators))


def counts(indicators: pd.DataFrame | None) -> set[str] | None:
    """The codes of the indicators that count or add up things (``plausibility.counted``;
    ``None``: the catalogue's)."""
    if indicators is None:
        return None
    bounds = zip(indicators["minimum"], indicators["maximum"], strict=True)
    return {
        str(code)
        for code, (low, high) in zip(indicators["code"], bounds, strict=True)
        if plausibility.counted(None if pd.isna(low) else low, None if pd.isna(high) else high)
    }


def in_view_of(flags: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """``flags`` with the period of the view each falls in (``view_period``; a value coarser
    than the view falls in none and is left out)."""
    flags = flags.assign(view_period=reports.in_view(flags["period"], granularity))
    return flags[flags["view_period"].notna()].reset_index(drop=True)


def _values(frame: pd.DataFrame) -> pd.DataFrame:
    """Values as the rules read them: names as text, a partner's blank when none, days as
    timestamps."""
    if frame.empty:
        return pd.DataFrame(columns=[*VALUE_COLUMNS, "source_sheet", "source_row"])
    values = frame.copy()
    for column in ("alliance", "indicator", "stakeholder", "granularity", "period"):
        values[column] = values[column].astype("string").fillna("").astype(str)
    values["period_start"] = pd.to_datetime(values["period_start"])
    values["value"] = values["value"].astype(float)
    return values


def in_view(store: Store, actor: Reader, alliances: list[str], granularity: str) -> pd.DataFrame:
    """The flags of ``alliances``' values with their decisions (``with_checks``), each with
    the period of the view it falls in (``view_period``; a value coarser than the view falls
    in none and is left out)."""
    found = [
        with_checks(alliance_flags(store, actor, a), store.flag_checks(actor, a)) for a in alliances
    ]
    flags = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=FLAG_COLUMNS)
    return in_view_of(flags, granularity)


def with_checks(flags: pd.DataFrame, checks: pd.DataFrame) -> pd.DataFrame:
    """``flags`` with the decision on each flagged value (``Store.flag_checks``): ``checked``
    (marked "checked: correct", while the value is the one checked), ``checked_by_name`` and
    ``checked_at`` (``None`` when open)."""
    decided = ["checked_by_name", "checked_at"]
    if flags.empty:
        return flags.assign(checked=pd.Series(dtype=bool), checked_by_name=None, checked_at=None)
    if checks.empty:
        return flags.assign(checked=False, checked_by_name=None, checked_at=None)
    keys = [*KEY, "value", "reason"]
    latest = checks.sort_values("checked_at").drop_duplicates(keys, keep="last")
    marked = flags.merge(latest[[*keys, *decided]], on=keys, how="left")
    return marked.assign(checked=marked["checked_at"].notna())


def by_alliance(store: Store, actor: Reader, today: dt.date) -> pd.DataFrame:
    """Per alliance ``actor`` reads: how many of its values are flagged (``flagged``), how
    many of them were checked (``checked``) and are still to check (``open``), and how many
    of its periods due in the year to ``today`` came late or not at all (``late``)."""
    flags = with_checks(
        of_values(store.observations(actor), store.rules(actor), store.indicators(actor)),
        store.flag_checks(actor),
    )
    columns = ["alliance", "flagged", "checked", "open", "late"]
    # values, not flags: a value that breaks a rule and is far from its series counts once,
    # checked when each of its flags was
    per_value = flags.groupby(["alliance", "indicator", "stakeholder", "period"])["checked"].all()
    counted = (
        per_value.groupby("alliance").agg(flagged="size", checked="sum")
        if len(flags)
        else pd.DataFrame(columns=["flagged", "checked"], index=pd.Index([], name="alliance"))
    )
    counted["open"] = counted["flagged"] - counted["checked"]
    judged = lateness(store.arrivals(actor), today).set_index("alliance")
    late = judged["late"] + judged["missing"]
    every = counted.reindex(counted.index.union(late.index), fill_value=0)
    every["late"] = late.reindex(every.index, fill_value=0)
    return every.astype(int).rename_axis("alliance").reset_index()[columns]


def lateness(arrivals: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Per alliance, its periods due in the year to ``today`` that came on time, late, or not
    at all (``timeliness.late_counts``)."""
    judged = timeliness.timeliness(arrivals, today)
    return timeliness.late_counts(judged, today - dt.timedelta(days=365))


def _declared_counts(store: Store, actor: Reader, plan: Plan) -> set[str]:
    """The indicators that count or add up things, those a file declares as it bounds them
    (a bound it leaves blank keeps the one stored)."""
    indicators = store.indicators(actor)
    found = counts(indicators) or set()
    stored = indicators.set_index("code")
    for record in plan.parsed.records["indicators"]:
        v = record.values
        code = v["indicator"]
        low = v.get("minimum") if v.get("minimum") is not None else _bound(stored, code, "minimum")
        high = v.get("maximum") if v.get("maximum") is not None else _bound(stored, code, "maximum")
        if plausibility.counted(low, high):
            found.add(code)
        else:
            found.discard(code)
    return found


def _bound(stored: pd.DataFrame, code: str, which: str) -> float | None:
    """An indicator's stored bound (``None``: none, or no such indicator)."""
    value = stored[which].get(code) if code in stored.index else None
    return None if value is None or pd.isna(value) else float(value)
