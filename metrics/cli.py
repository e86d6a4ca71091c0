"""``python -m metrics``: imports, exports, accounts and the audit log, for admins and scripts.

Whoever runs the CLI holds the database file and acts as admin (named after the login, or
``--user``); ``--as EMAIL`` on the read commands shows exactly what that account would see in the
app. Every refusal goes to stderr with a non-zero exit and no traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# The pages' modules (charts, packs, reports) are imported by the commands that use them:
# they load plotly, which an import or an export does not need (a quarter of a second).
from metrics.base import clock, config, limits
from metrics.base.access import ROLES, Actor, Reader
from metrics.base.errors import MetricsError, ValidationError
from metrics.presentation import flags, formatting, problems
from metrics.presentation.i18n import LANGUAGES, said, t
from metrics.presentation.summaries import import_summary, survey_closed
from metrics.sheets import ingest, isolation, workbook
from metrics.sheets.ingest import Progress
from metrics.storage.backend import LAKE_PREFIX, shown
from metrics.storage.store import Store
from metrics.usecases import auth, exports, listing, plausibility, seeding


def _store(args: argparse.Namespace, read: bool = False) -> Store:
    """The database for this command, held until it is done; while another process holds it
    (the app computing a page, another import), the command waits and says so on stderr. A
    command that only reads (``read``) never makes one: a file that is not there is an error."""
    if read:
        _existing(args.db)

    def waiting() -> None:
        path, seconds = shown(config.db_target(args.db)), round(config.db_wait())
        print(t("cli.waiting_db", args.lang, path=path, seconds=seconds), file=sys.stderr)

    return Store(args.db, waiting=waiting)


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
    _data_commands(commands)
    _report_commands(commands)
    _install_commands(commands)
    _account_commands(commands)
    _upload_commands(commands)
    _survey_commands(commands)
    return parser


Commands = Any  # argparse's private _SubParsersAction


def _with_db(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        help="database file or shared backend (ducklake:postgres:...); default: $IMPACT_DB,"
        " else data/impact.duckdb",
    )


def _reading_as(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--as", dest="as_", metavar="EMAIL", help="show what this account sees in the app"
    )


def _data_commands(commands: Commands) -> None:
    """Files in and out: import, export, the template, the sample alliances."""
    p = commands.add_parser("import", help="check and import a CSV, XLSX or ODS file")
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    p.add_argument("--user", default=None, help="who is importing (default: the login name)")
    p.add_argument(
        "--validate", action="store_true", help="validate the upload at once (else: submitted)"
    )
    _with_db(p)

    p = commands.add_parser("export", help="current observations, long layout, CSV or XLSX")
    p.add_argument("--alliance", default=None)
    p.add_argument("--out", type=Path, required=True)
    _reading_as(p)
    _with_db(p)

    p = commands.add_parser("template", help="write the blank XLSX template")
    p.add_argument("file", type=Path)

    _with_db(commands.add_parser("seed", help="load the sample alliances"))


def _report_commands(commands: Commands) -> None:
    """What an account reads: scorecards, packs, contract settlements."""
    p = commands.add_parser(
        "scorecard", help="JSON on stdout: scores, coverage, values and progress to target"
    )
    p.add_argument("--alliance", default=None)
    p.add_argument("--granularity", choices=("year", "quarter", "month"), default="year")
    _reading_as(p)
    _with_db(p)

    p = commands.add_parser(
        "pack", help="the steering committee's pack of one alliance for one year: PDF or slides"
    )
    whose = p.add_mutually_exclusive_group(required=True)
    whose.add_argument("--alliance")
    whose.add_argument("--portfolio", metavar="NAME", help="the funders' one-pager (PDF)")
    p.add_argument("--period", type=int, metavar="YEAR", help="with --alliance")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|FILE.pptx")
    _reading_as(p)
    _with_db(p)

    p = commands.add_parser("contracts", help="JSON on stdout: settlement of every contract")
    p.add_argument(
        "--indigo",
        type=Path,
        metavar="FOLDER",
        help="write each contract as an INDIGO project, FOLDER/<contract>.json, instead",
    )
    _reading_as(p)
    _with_db(p)


def _install_commands(commands: Commands) -> None:
    """The installation: copying it elsewhere, its first admin."""
    p = commands.add_parser(
        "migrate", help="copy the whole installation to a new database (shared backend or file)"
    )
    p.add_argument(
        "--to",
        required=True,
        metavar="URL",
        help="ducklake:postgres:dbname=... (with $IMPACT_DATA_PATH), or a new .duckdb file",
    )
    _with_db(p)

    p = commands.add_parser(
        "maintain", help="tidy a shared backend's data files (merge, expire snapshots, delete)"
    )
    p.add_argument(
        "--grace",
        type=float,
        default=60.0,
        metavar="MINUTES",
        help="delete a file no longer needed only once it has been so this long (default 60)",
    )
    _with_db(p)

    p = commands.add_parser("init", help="make a real install: its first admin, no sample data")
    p.add_argument("--admin", required=True, metavar="EMAIL")
    p.add_argument("--name", default="", help="the admin's display name")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    _with_db(p)


def _account_commands(commands: Commands) -> None:
    """Accounts, their roles, and the funders' portfolios."""
    users = commands.add_parser("users", help="accounts and their roles").add_subparsers(
        dest="action", required=True
    )
    p = users.add_parser("add", help="create an account")
    p.add_argument("email")
    p.add_argument("--name", required=True)
    p.add_argument("--account-lang", choices=LANGUAGES, default="fr", help="its interface language")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read its password from stdin (else it signs in through single sign-on)",
    )
    _with_db(p)
    for action, text in (("grant", "give a role"), ("revoke", "take a role back")):
        p = users.add_parser(action, help=text)
        p.add_argument("email")
        p.add_argument("role", choices=ROLES)
        target = p.add_mutually_exclusive_group()
        target.add_argument("--alliance", help="for viewer, editor and lead")
        target.add_argument("--portfolio", help="for funder")
        _with_db(p)
    _with_db(users.add_parser("list", help="JSON on stdout: accounts and their grants"))
    for action, text in (
        ("disable", "stop an account signing in"),
        ("enable", "allow it again"),
        ("unlock", "lift the sign-in throttle after failed sign-ins"),
    ):
        p = users.add_parser(action, help=text)
        p.add_argument("email")
        _with_db(p)

    portfolio = commands.add_parser("portfolio", help="funders' portfolios").add_subparsers(
        dest="action", required=True
    )
    p = portfolio.add_parser("add", help="create a portfolio or add alliances to it")
    p.add_argument("name")
    p.add_argument("alliances", nargs="+", metavar="ALLIANCE")
    _with_db(p)


def _upload_commands(commands: Commands) -> None:
    """After an import: validating it, and the audit log of who did what."""
    p = commands.add_parser("validate", help="validate an upload: funders then read it")
    p.add_argument("upload", type=int, metavar="UPLOAD_ID")
    _with_db(p)

    p = commands.add_parser("audit", help="JSON lines on stdout: the audit log")
    p.add_argument("--since", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD")
    _with_db(p)


def _survey_commands(commands: Commands) -> None:
    """The trust barometer: a wave opened with its links, closed, and its results."""
    survey = commands.add_parser("survey", help="the trust barometer's waves").add_subparsers(
        dest="action", required=True
    )
    p = survey.add_parser("open", help="open a wave (or add links to it): its links as CSV")
    p.add_argument("--alliance", required=True)
    p.add_argument("--period", required=True, help="2026, T1 2026, 03/2026...")
    p.add_argument("--invitations", type=int, default=0, metavar="N", help="personal links")
    p.add_argument("--type", default="association", help="their stakeholder type")
    p.add_argument("--citizens", action="store_true", help="and the citizens' open link")
    p.add_argument("--closes", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    p.add_argument("--user", default=None, help="who opens it (default: the login name)")
    _with_db(p)
    p = survey.add_parser("close", help="close a wave: its means become an upload")
    p.add_argument("--alliance", required=True)
    p.add_argument("--period", required=True)
    p.add_argument("--user", default=None, help="who closes it (default: the login name)")
    _with_db(p)
    p = survey.add_parser("results", help="JSON on stdout: a wave's results")
    p.add_argument("--alliance", required=True)
    p.add_argument("--period", required=True)
    _reading_as(p)
    _with_db(p)


def _user(explicit: str | None) -> str:
    if explicit:
        return explicit
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _admin(args: argparse.Namespace) -> Actor:
    """Whoever runs the CLI holds the database file: an admin, named after the login."""
    return Actor.system(_user(getattr(args, "user", None)))


def _reader(store: Store, args: argparse.Namespace) -> Actor:
    """The account whose view a read command shows: ``--as EMAIL``, else the CLI's admin."""
    if getattr(args, "as_", None) is None:
        return _admin(args)
    actor = store.actor(args.as_)
    if actor is None:
        raise MetricsError.of("err.no_active_account", email=args.as_)
    return actor


def _import(args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.is_file():
        raise MetricsError.of("err.file_not_found", file=path)
    too_large = limits.size_breach(path.stat().st_size, path.name)
    if too_large is not None:  # refused before a byte of it is read
        raise ingest.refusal(too_large)
    isolation.warm()  # the worker loads its readers while the database opens
    with _store(args) as store:
        actor = _admin(args)
        result = store.import_file(
            path.read_bytes(),
            path.name,
            actor,
            dry_run=args.dry_run,
            progress=_stages(args.lang) if sys.stderr.isatty() else None,
            validate=args.validate,
        )
        to_check = plausibility.file_flags(store, result.plan, actor)
        labels = _labels(store, actor, args.lang)
    print(import_summary(result, args.lang))
    if not to_check.empty:
        print(t("cli.to_check", args.lang, count=len(to_check)))
        for found in flags.lines(to_check, args.lang, labels):
            print(f"  {found}")
    for sheet, row, column, held in result.plan.parsed.missing:
        if held.startswith("#"):  # an error cell of the workbook, named
            where = f"{sheet}, {t('where.row', args.lang, row=row)}, {column}"
            print(t("cli.error_cell", args.lang, where=where, error=held), file=sys.stderr)
    return 0


def _labels(store: Store, actor: Reader, lang: str) -> dict[str, str]:
    """Indicator code -> its label in ``lang``."""
    frame = store.indicators(actor)
    return dict(zip(frame["code"], frame[f"label_{lang}"], strict=True))


def _stages(lang: str) -> Progress:
    """Each stage of an import on stderr, once, with how far it has got."""
    shown: set[str] = set()

    def report(fraction: float, stage: str) -> None:
        if stage not in shown:
            shown.add(stage)
            print(f"[{fraction:4.0%}] {t(stage, lang)}", file=sys.stderr, flush=True)

    return report


def _export(args: argparse.Namespace) -> int:
    out: Path = args.out
    suffix = out.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise MetricsError.of("err.export_format")
    with _store(args, read=True) as store:
        reader = _reader(store, args)
        frame = exports.export_frame(store, reader, args.alliance)
        store.record(
            _admin(args),
            "export",
            out.name,
            {"rows": len(frame), "as": reader.email, "alliance": args.alliance},
        )
    data = (
        workbook.to_csv(frame, "en")
        if suffix == ".csv"
        else workbook.to_xlsx(frame, "observations")
    )
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


def _seed(args: argparse.Namespace) -> int:
    with _store(args) as store:
        result = seeding.seed(store)
    print(t("summary.seeded", args.lang, summary=import_summary(result, args.lang)))
    return 0


def _pack(args: argparse.Namespace) -> int:
    from metrics.presentation import pack

    kind = args.out.suffix.lower().lstrip(".")
    if kind not in ("pdf", "pptx"):
        raise MetricsError.of("err.pack_format", name=args.out.name)
    with _store(args, read=True) as store:
        reader = _reader(store, args)
        if args.portfolio is not None:
            if kind != "pdf" or args.portfolio not in set(store.portfolios(reader)["name"]):
                raise MetricsError.of("err.pack_portfolio", name=args.portfolio)
            content = pack.portfolio(store, reader, args.portfolio, args.lang)
            details: dict[str, object] = {"kind": "one_pager", "portfolio": args.portfolio}
        else:
            exports.check_alliance(store, reader, args.alliance)
            year = args.period if args.period is not None else clock.today().year - 1
            content = pack.build(store, reader, args.alliance, year, args.lang, kind)
            details = {"kind": "pack", "alliance": args.alliance, "year": year}
        # As the app's downloads are (``ui.widgets.download_button``): what the file holds.
        store.record(
            _admin(args), "export", args.out.name, {**details, "format": kind, "as": reader.email}
        )
    args.out.write_bytes(content)
    print(
        t(
            "pack.written",
            args.lang,
            path=args.out,
            size=formatting.number(len(content) // 1024, args.lang),
        )
    )
    return 0


def _scorecard(args: argparse.Namespace) -> int:
    from metrics.domain import impact

    with _store(args, read=True) as store:
        reader = _reader(store, args)
        exports.check_alliance(store, reader, args.alliance)
        alliances = store.alliances(reader)
        if args.alliance is not None:
            alliances = alliances[alliances["name"] == args.alliance]
        values = store.aggregated(reader, args.alliance, args.granularity, level="alliance")
        names = list(alliances["name"])
        counted = plausibility.by_alliance(store, reader, clock.today())
        quality = {
            str(row["alliance"]): {k: int(row[k]) for k in ("flagged", "checked", "late")}
            for row in counted.to_dict("records")
        }
        document = impact.scorecard_document(
            values,
            store.targets(reader, args.alliance),
            alliances,
            args.granularity,
            plausibility.in_view(store, reader, names, args.granularity),
            quality,
        )
    _print_json(document)
    return 0


def _finite(value: object) -> object:
    """``value`` with every NaN or infinite number as ``None``: JSON has no such numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _print_json(document: object) -> None:
    """Strict JSON on stdout (a missing figure is ``null``, never ``NaN``)."""
    json.dump(
        _finite(document), sys.stdout, ensure_ascii=False, indent=2, default=str, allow_nan=False
    )
    print()


def _contracts(args: argparse.Namespace) -> int:
    from metrics.domain import outcomes

    with _store(args, read=True) as store:
        reader = _reader(store, args)
        if args.indigo is not None:
            projects = exports.indigo_projects(store, reader)
        else:
            document = {
                "rules": {**outcomes.RULES, **outcomes.RATE_CARD_RULES},
                "contracts": exports.contract_settlements(store, reader),
            }
    if args.indigo is None:
        _print_json(document)
        return 0
    folder: Path = args.indigo
    folder.mkdir(parents=True, exist_ok=True)
    for file, project in projects.items():
        text = json.dumps(_finite(project), ensure_ascii=False, indent=2, allow_nan=False)
        (folder / file).write_text(text + "\n", encoding="utf-8")
    print(t("summary.indigo", args.lang, count=len(projects), folder=folder))
    return 0


def _password(args: argparse.Namespace) -> str:
    """A new password: one line of stdin with ``--password-stdin``, else asked twice."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(t("prompt.password", args.lang))
    if first != getpass.getpass(t("prompt.password_again", args.lang)):
        raise MetricsError.of("err.password_mismatch")
    return first


def _init(args: argparse.Namespace) -> int:
    with _store(args) as store:
        email = auth.init_install(store, args.admin, args.name, _password(args))
    print(t("summary.init", args.lang, email=email))
    return 0


def _users(args: argparse.Namespace) -> int:
    with _store(args, read=args.action == "list") as store:
        admin = _admin(args)
        if args.action == "add":
            password = (
                auth.hash_password(_password(args), args.email) if args.password_stdin else None
            )
            store.add_account(
                admin, args.email, args.name, password_hash=password, language=args.account_lang
            )
        elif args.action in ("grant", "revoke"):
            change = store.grant if args.action == "grant" else store.revoke
            change(admin, args.email, args.role, args.alliance, args.portfolio)
        elif args.action in ("disable", "enable"):
            status = "disabled" if args.action == "disable" else "active"
            store.set_status(admin, args.email, status)
        elif args.action == "unlock":
            store.unlock(admin, args.email)
        else:
            _print_json(listing.account_list(store, admin))
            return 0
    print(t(f"summary.users_{args.action}", args.lang, email=args.email.strip().lower()))
    return 0


def _portfolio(args: argparse.Namespace) -> int:
    with _store(args) as store:
        store.add_to_portfolio(_admin(args), args.name, args.alliances)
    print(t("summary.portfolio", args.lang, name=args.name, count=len(args.alliances)))
    return 0


def _validate(args: argparse.Namespace) -> int:
    with _store(args) as store:
        store.validate(args.upload, _admin(args))
        print(t("summary.validated", args.lang, upload=args.upload))
    return 0


def _migrate(args: argparse.Namespace) -> int:
    store = _store(args)
    report = store.migrate_to(args.to, _admin(args))
    width = max(len(c.table) for c in report)
    for c in report:
        print(f"{c.table:<{width}}  {c.rows:>10}  {c.checksum:>40}  ok")
    rows = sum(c.rows for c in report)
    print(t("summary.migrated", args.lang, tables=len(report), rows=rows, dest=shown(args.to)))
    return 0


def _maintain(args: argparse.Namespace) -> int:
    if args.grace < 0:
        raise MetricsError.of("err.grace_negative")
    with _store(args, read=True) as store:
        done = store.maintain(_admin(args), args.grace)
    if done is None:
        print(t("summary.maintained_file", args.lang))
        return 0
    print(t("summary.maintained", args.lang, **vars(done), grace=f"{args.grace:g}"))
    return 0


def _audit(args: argparse.Namespace) -> int:
    since = formatting.day_start(args.since) if args.since else None
    with _store(args, read=True) as store:
        for row in store.audit_iter(_admin(args), since):
            row["time"] = formatting.instant(row["time"])  # ISO 8601, the zone's offset
            print(json.dumps(row, ensure_ascii=False, default=str))
    return 0


def _survey(args: argparse.Namespace) -> int:
    from metrics.usecases import barometer

    if args.action == "results":
        with _store(args, read=True) as store:
            barometer.close_due(store)
            _print_json(barometer.results(store, _reader(store, args), args.alliance, args.period))
        return 0
    if args.action == "open" and not args.out.parent.is_dir():  # before any link is made
        raise MetricsError.of("err.file_not_found", file=args.out.parent)
    with _store(args) as store:
        barometer.close_due(store)
        if args.action == "close":
            closed = barometer.close_wave(store, _admin(args), args.alliance, args.period)
            print(survey_closed(closed, args.lang))
            return 0
        links = {args.type: args.invitations} if args.invitations else {}
        opened = barometer.open_wave(
            store, _admin(args), args.alliance, args.period, links, args.citizens, args.closes
        )
    args.out.write_bytes(opened.csv())
    key = "summary.survey_opened" if opened.new else "summary.survey_links_added"
    print(
        t(
            key,
            args.lang,
            alliance=opened.alliance,
            period=opened.period,
            count=len(opened.links),
            file=args.out,
        )
    )
    return 0


def _existing(db: str | None) -> None:
    """A read command never makes a database: an embedded file that is not there is an error
    naming it."""
    target = config.db_target(db)
    if not target.startswith(LAKE_PREFIX) and not Path(target).is_file():
        raise MetricsError.of("err.no_database", path=target)


COMMANDS = {
    "import": _import,
    "export": _export,
    "template": _template,
    "seed": _seed,
    "scorecard": _scorecard,
    "pack": _pack,
    "contracts": _contracts,
    "init": _init,
    "users": _users,
    "portfolio": _portfolio,
    "validate": _validate,
    "audit": _audit,
    "migrate": _migrate,
    "maintain": _maintain,
    "survey": _survey,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ValidationError as e:
        print(said(e, args.lang), file=sys.stderr)
        for problem in e.problems:
            print(problems.line(problem, args.lang), file=sys.stderr)
        return 1
    except MetricsError as e:
        print(said(e, args.lang), file=sys.stderr)
        return 1
    except OSError as e:
        print(f"{e.strerror or e}: {e.filename or ''}", file=sys.stderr)
        return 1
