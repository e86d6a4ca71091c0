"""What the command line and the app export: the observations in the CLI's long layout, and
every outcome contract settled on its latest measured results, or as an INDIGO project."""

from __future__ import annotations

import pandas as pd

from metrics.base.access import Actor
from metrics.base.errors import MetricsError
from metrics.base.text import key
from metrics.domain import finance
from metrics.sheets import indigo
from metrics.storage.store import Store

EXPORT_COLUMNS = [
    "alliance",
    "indicator",
    "period",
    "value",
    "stakeholder",
    "comment",
    "granularity",
    "upload_id",
]


def check_alliance(store: Store, reader: Actor, alliance: str | None) -> None:
    """Refuse an ``--alliance`` that the account does not read (or that does not exist)."""
    if alliance is not None and alliance not in store.alliance_names(reader):
        raise MetricsError.of("err.unknown_alliance_name", name=alliance)


def export_frame(store: Store, reader: Actor, alliance: str | None) -> pd.DataFrame:
    """Current observations ``reader`` sees, in the long layout of the CLI contract."""
    check_alliance(store, reader, alliance)
    frame = store.observations(reader, alliance)
    return frame[EXPORT_COLUMNS]


def contract_settlements(store: Store, reader: Actor) -> list[dict[str, object]]:
    """Every outcome contract ``reader`` sees, settled on its latest measured results (as the
    contracts page shows it: ``finance.contract``)."""
    indicators = store.indicators(reader)
    observations = store.observations(reader)
    rows = store.contract_sheets(reader)
    return [
        finance.contract(row, indicators, observations, rows).as_dict()
        for row in store.contracts(reader).to_dict("records")
    ]


def indigo_projects(store: Store, reader: Actor) -> dict[str, dict[str, object]]:
    """Every outcome contract ``reader`` sees as an INDIGO project, by file name
    (``<contract>.json``; ``<contract>_<alliance>.json`` when two alliances name theirs
    alike): its sheets' rows and the alliance's values of its indicators (its cohorts'
    too)."""
    observations = store.observations(reader)
    sheets = store.contract_sheets(reader)
    contracts = store.contracts(reader)
    names = contracts["contract"].map(key)
    projects = {}
    for row in contracts.to_dict("records"):
        name, alliance = str(row["contract"]), str(row["alliance"])
        rows = {
            kind: frame[
                (frame["contract"].str.casefold() == name.casefold())
                & (frame["alliance"] == alliance)
            ].to_dict("records")
            for kind, frame in sheets.items()
        }
        codes = {str(p["indicator"]) for p in rows["prices"]} | {str(row["indicator"] or "")}
        own = (observations["stakeholder"] == "") | (observations["stakeholder_type"] == "cohort")
        values = observations[
            (observations["alliance"] == alliance) & observations["indicator"].isin(codes) & own
        ]
        file = key(name) if (names == key(name)).sum() == 1 else f"{key(name)}_{key(alliance)}"
        projects[f"{file}.json"] = indigo.document(row, rows, values.to_dict("records"))
    return projects
