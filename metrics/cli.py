"""``python -m metrics``: import, export, template and seed, for admins, scripts and tests.

Every refusal goes to stderr with a non-zero exit and no traceback.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from metrics import config, impact, outcomes, sample, workbook
from metrics.errors import MetricsError, ValidationError
from metrics.i18n import LANGUAGES, t
from metrics.store import ALL, ImportResult, Store

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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m metrics", description="Alliance impact dashboard: data commands."
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=os.environ.get("IMPACT_LANG", "fr"),
        help="language of messages (default: fr, or $IMPACT_LANG)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", help="database file (default: $IMPACT_DB, else data/impact.duckdb)")

    p = commands.add_parser("import", help="check and import a CSV, XLSX or ODS file")
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    p.add_argument("--user", default=None, help="who is importing (default: the login name)")
    with_db(p)

    p = commands.add_parser("export", help="current observations, long layout, CSV or XLSX")
    p.add_argument("--alliance", default=None)
    p.add_argument("--out", type=Path, required=True)
    with_db(p)

    p = commands.add_parser("template", help="write the blank XLSX template")
    p.add_argument("file", type=Path)

    p = commands.add_parser("seed", help="load the sample alliances")
    with_db(p)

    p = commands.add_parser(
        "scorecard", help="JSON on stdout: scores, coverage, values and progress to target"
    )
    p.add_argument("--alliance", default=None)
    p.add_argument("--granularity", choices=("year", "quarter", "month"), default="year")
    with_db(p)

    p = commands.add_parser("contracts", help="JSON on stdout: settlement of every contract")
    with_db(p)
    return parser


def _user(explicit: str | None) -> str:
    if explicit:
        return explicit
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _import(args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.is_file():
        raise MetricsError(t("err.file_not_found", args.lang, file=path))
    with Store(args.db) as store:
        result = store.import_file(
            path.read_bytes(), path.name, _user(args.user), args.lang, dry_run=args.dry_run
        )
    print(result.summary(args.lang))
    return 0


def _check_alliance(store: Store, alliance: str | None, lang: str) -> None:
    """Refuse an ``--alliance`` that the database does not know."""
    if alliance is not None and alliance not in store.alliance_names(ALL):
        raise MetricsError(t("err.unknown_alliance_name", lang, name=alliance))


def export_frame(store: Store, alliance: str | None, lang: str = "fr") -> pd.DataFrame:
    """Current observations in the long layout of the CLI contract."""
    _check_alliance(store, alliance, lang)
    frame = store.observations(ALL, alliance)
    return frame[EXPORT_COLUMNS]


def _export(args: argparse.Namespace) -> int:
    out: Path = args.out
    suffix = out.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise MetricsError(t("err.export_format", args.lang))
    with Store(args.db) as store:
        frame = export_frame(store, args.alliance, args.lang)
    data = workbook.to_csv(frame) if suffix == ".csv" else workbook.to_xlsx(frame, "observations")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(t("summary.exported", args.lang, rows=len(frame), file=out))
    return 0


def _template(args: argparse.Namespace) -> int:
    path: Path = args.file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(workbook.template(args.lang))
    print(t("summary.template", args.lang, file=path))
    return 0


def seed(store: Store, lang: str = "fr") -> ImportResult:
    """Import the committed sample workbook (regenerated if it is missing)."""
    path = config.SAMPLE_WORKBOOK
    content = path.read_bytes() if path.is_file() else sample.build()
    return store.import_file(content, path.name, "seed", lang)


def _seed(args: argparse.Namespace) -> int:
    with Store(args.db) as store:
        result = seed(store, args.lang)
    print(t("summary.seeded", args.lang, summary=result.summary(args.lang)))
    return 0


def _scorecard(args: argparse.Namespace) -> int:
    with Store(args.db) as store:
        _check_alliance(store, args.alliance, args.lang)
        alliances = store.alliances(ALL)
        if args.alliance is not None:
            alliances = alliances[alliances["name"] == args.alliance]
        values = store.aggregated(ALL, args.alliance, args.granularity, level="alliance")
        document = impact.scorecard_document(
            values, store.targets(ALL, args.alliance), alliances, args.granularity
        )
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=str)
    print()
    return 0


def contract_settlements(store: Store) -> list[dict[str, object]]:
    """Every outcome contract settled on its latest measured results."""
    directions = store.indicators().set_index("code")["direction"]
    observations = store.observations(ALL)
    documents = []
    for row in store.contracts(ALL).to_dict("records"):
        terms = outcomes.Terms.from_row(row, str(directions.get(row["indicator"], "down")))
        table = outcomes.results(observations, terms)
        cohorts, overall = outcomes.latest(table)
        document = outcomes.settle(terms, cohorts, overall).as_dict()
        document["results"] = [
            {
                "period": r["period"],
                "cohort": r["cohort"] or None,
                "value": r["value"],
                "improvement": r["improvement"],
            }
            for r in table.to_dict("records")
        ]
        documents.append(document)
    return documents


def _contracts(args: argparse.Namespace) -> int:
    with Store(args.db) as store:
        document = {"rules": outcomes.RULES, "contracts": contract_settlements(store)}
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=str)
    print()
    return 0


COMMANDS = {
    "import": _import,
    "export": _export,
    "template": _template,
    "seed": _seed,
    "scorecard": _scorecard,
    "contracts": _contracts,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ValidationError as e:
        print(e.message, file=sys.stderr)
        for problem in e.problems:
            print(problem.line(args.lang), file=sys.stderr)
        return 1
    except MetricsError as e:
        print(e.message_in(args.lang), file=sys.stderr)
        return 1
    except OSError as e:
        print(f"{e.strerror or e}: {e.filename or ''}", file=sys.stderr)
        return 1
