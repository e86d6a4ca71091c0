"""Scaling (changement d'échelle): replication sites over time, readiness, reach.

Pure functions over ``Store.replications()`` and yearly alliance-level values.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.base.catalog import READINESS, SCALING_MODES


def sites_by_year(sites: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Sites open at the end of each year, per mode: a site counts from its start year while
    it is active or stopped later (a stopped site counts until the last update), planned
    sites count in the year they are due. Columns: year, mode, status, sites."""
    rows = []
    if sites.empty:
        return pd.DataFrame(columns=["year", "mode", "status", "sites"])
    dated = sites.dropna(subset=["started"])
    first = int(pd.Timestamp(dated["started"].min()).year) if len(dated) else today.year
    last = max(today.year, int(pd.Timestamp(dated["started"].max()).year) if len(dated) else 0)
    for year in range(first, last + 1):
        for mode in SCALING_MODES:
            for status in ("active", "stopped", "planned"):
                chosen = dated[(dated["mode"] == mode) & (dated["status"] == status)]
                count = int((pd.to_datetime(chosen["started"]).dt.year <= year).sum())
                if count:
                    rows.append({"year": year, "mode": mode, "status": status, "sites": count})
    return pd.DataFrame(rows, columns=["year", "mode", "status", "sites"])


def reach(sites: pd.DataFrame) -> pd.DataFrame:
    """Beneficiaries per site territory and mode (active and stopped sites), largest first."""
    served = sites[sites["status"] != "planned"]
    table = served.groupby(["territory", "mode"], as_index=False).agg(
        beneficiaries=("beneficiaries", lambda v: v.sum(min_count=1))
    )
    table = table[table["beneficiaries"].notna()]
    return table.sort_values("beneficiaries", ascending=False).reset_index(drop=True)


def readiness(values: pd.DataFrame, alliance: str, peers: pd.DataFrame) -> pd.DataFrame:
    """The four readiness factors for ``alliance``: its latest year, its first year, and the
    median of the latest scores of alliances with the same theme.

    ``values``: ``Store.aggregated(granularity="year", level="alliance")`` (the alliance's own);
    ``peers``: ``Store.peer_medians`` for the factors (only aggregates: a median the account
    may not see is NaN). Columns: indicator, latest, latest_year, first, first_year, peers,
    peer_count.
    """
    scores = values[(values["alliance"] == alliance) & values["indicator"].isin(READINESS)]
    scores = scores.assign(year=lambda f: pd.to_datetime(f["bucket"]).dt.year)
    medians = peers.set_index("indicator")
    rows = []
    for code in READINESS:
        mine = scores[scores["indicator"] == code].sort_values("year")
        median = medians["peers"].get(code) if code in medians.index else None
        rows.append(
            {
                "indicator": code,
                "latest": mine["value"].iloc[-1] if len(mine) else None,
                "latest_year": int(mine["year"].iloc[-1]) if len(mine) else None,
                "first": mine["value"].iloc[0] if len(mine) > 1 else None,
                "first_year": int(mine["year"].iloc[0]) if len(mine) > 1 else None,
                "peers": float(median) if median is not None and pd.notna(median) else None,
                "peer_count": int(medians["peer_count"].get(code, 0))
                if code in medians.index
                else 0,
            }
        )
    return pd.DataFrame(rows)
