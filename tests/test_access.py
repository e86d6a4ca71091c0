"""Who sees what: every role × every page (both languages) and every CLI read with ``--as``.

Distinctive names and values are planted in the alliances outside each account's grants, and in
an upload its committee has not validated yet; none may appear in what the account is shown.
Each check has its positive control (an account that may see the planted text does see it), so
that a page showing nothing at all cannot pass.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from metrics import cli
from metrics.base import config
from metrics.base.access import Actor
from metrics.storage.store import Store
from tests.conftest import built, copy_db, signed_in, xlsx
from tests.test_replications_contracts import CONTRACT as BASE_CONTRACT
from ui import navigation

A, B, C = "Alliance Alpha", "Alliance Bravo", "Alliance Zorglub"
PORTFOLIO = "Portefeuille Nord"
ADMIN, VIEWER, EDITOR, LEAD, FUNDER = (
    "admin@test.example",
    "viewer@test.example",
    "editor@test.example",
    "lead@test.example",
    "funder@test.example",
)
# Text that only an account reading the alliance may be shown (ASCII: searched in raw protos).
PLANTED = {
    B: ["Alliance Bravo", "Bravoville", "Partenaire Bravo", "Note Bravo", r"46\W?813"],
    C: [
        "Zorglub",
        "Zuluville",
        "Partenaire Zulu",
        "Site Zulu",
        "Contrat Zulu",
        "Note Zulu",
        r"97\W?531",
    ],
}
# An upload of alliance A that its committee has not validated yet: a value, a new territory and
# population, a new partner and another type for an old one. Its funders read none of it.
PENDING = [r"86\W?420", "Pendingville", r"71\W?357", "Partenaire Pending", "Gemeinde"]


def _alliance(name: str, town: str, code: str) -> list[object]:
    return [name, town, code, 50_000, "emploi", "2020", "consolidation"]


def _observations(name: str, partner: str, planted: int) -> list[list[object]]:
    return [
        [name, "jobs_created", "2023", 300, "", ""],
        [name, "jobs_created", "2024", planted, "", ""],
        [name, "recruitment_cost_saved", "2024", 5000, partner, ""],
        [name, "partner_trust", "2024", 3.5, partner, ""],
        [name, "scaling_strategy", "2024", 3.0, "", ""],
    ]


# The outcome contract of the replication tests, as alliance C's "Contrat Zulu".
CONTRACT = ["Contrat Zulu", C, *BASE_CONTRACT[2:]]


def planted_workbook() -> bytes:
    return xlsx(
        {
            "alliances": [
                _alliance(A, "Arras", "62041"),
                _alliance(B, "Bravoville", "59000"),
                _alliance(C, "Zuluville", "13055"),
            ],
            "stakeholders": [
                [A, "Partenaire Alpha", "entreprise"],
                [B, "Partenaire Bravo", "entreprise"],
                [C, "Partenaire Zulu", "entreprise"],
            ],
            "observations": [
                *_observations(A, "Partenaire Alpha", 140),
                *_observations(B, "Partenaire Bravo", 46813),
                *_observations(C, "Partenaire Zulu", 97531),
                [C, "Taux de chômage local", "2025", 17.5, "", ""],
            ],
            "targets": [[n, "jobs_created", "2023", 300, "2026", 600] for n in (A, B, C)],
            "replications": [
                [
                    C,
                    "duplication",
                    "Site Zulu",
                    "13001",
                    dt.date(2024, 3, 1),
                    "actif",
                    120,
                    "",
                    "",
                    "",
                ]
            ],
            "contracts": [CONTRACT],
        }
    )


def pending_workbook() -> bytes:
    return xlsx(
        {
            "alliances": [[A, "Pendingville", "62041", 71357, "emploi", "2020", "consolidation"]],
            "stakeholders": [
                [A, "Partenaire Pending", "association"],
                [A, "Partenaire Alpha", "collectivite"],
            ],
            "observations": [
                [A, "jobs_created", "2025", 86420, "", ""],
                [A, "recruitment_cost_saved", "2025", 2000, "Partenaire Pending", "Gemeinde"],
            ],
        }
    )


def build(path: str) -> None:
    with Store(path) as store:
        plant(store)


def plant(store: Store) -> None:
    """The alliances, accounts and grants of these tests."""
    setup = Actor.system("setup")
    store.import_file(planted_workbook(), "reseau.xlsx", setup, validate=True)
    store.add_to_portfolio(setup, PORTFOLIO, [A, B])
    for email, role, alliance, portfolio in (
        (ADMIN, "admin", None, None),
        (VIEWER, "viewer", A, None),
        (EDITOR, "editor", A, None),
        (LEAD, "lead", A, None),
        (FUNDER, "funder", None, PORTFOLIO),
    ):
        store.add_account(setup, email, email.split("@")[0].title())
        store.grant(setup, email, role, alliance, portfolio)
    editor = store.actor(EDITOR)
    assert editor is not None
    store.import_file(pending_workbook(), "alpha_2025.xlsx", editor)  # submitted
    for alliance, text in ((B, "Note Bravo"), (C, "Note Zulu")):  # the committees' notes
        store.add_note(setup, alliance, "note", text, "jobs_created", "2024")


@pytest.fixture(scope="session")
def _planted_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    return built(tmp_path_factory.mktemp("planted") / "planted.duckdb", plant)


@pytest.fixture
def planted(_planted_file: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A copy of the planted database, where the app and the CLI look in this test."""
    db = copy_db(_planted_file, tmp_path)
    monkeypatch.setenv(config.ENV_DB, db)
    return db


# Per role: the pages it is offered, and what it must never be shown.
OUTSIDE_A = [*PLANTED[B], *PLANTED[C]]
ALLIANCE_PAGES = {"home", "dashboard", "stakeholders", "trust", "scaling", "contracts"}
ROLES = {
    ADMIN: (ALLIANCE_PAGES | {"portfolio", "comparison", "data", "accounts", "audit"}, []),
    VIEWER: (ALLIANCE_PAGES | {"data"}, OUTSIDE_A),
    EDITOR: (ALLIANCE_PAGES | {"data"}, OUTSIDE_A),
    LEAD: (ALLIANCE_PAGES | {"data", "accounts"}, OUTSIDE_A),
    FUNDER: (ALLIANCE_PAGES | {"portfolio", "comparison"}, [*PLANTED[C], *PENDING]),
}
EVERYTHING = [A, *OUTSIDE_A]
# The same accounts as the store builds them from their grants (``Actor``).
ACTORS = {
    ADMIN: Actor(ADMIN, admin=True),
    VIEWER: Actor(VIEWER, roles=frozenset({(A, "viewer")})),
    EDITOR: Actor(EDITOR, roles=frozenset({(A, "editor")})),
    LEAD: Actor(LEAD, roles=frozenset({(A, "lead")})),
    FUNDER: Actor(FUNDER, funded=frozenset({A, B}), portfolios=frozenset({PORTFOLIO})),
}


@pytest.mark.parametrize("who", list(ROLES))
def test_each_page_is_offered_by_the_right_it_declares(who: str) -> None:
    """The pages' declared rights (``ui.navigation.PAGES``, ``access.PAGE_RIGHTS``) offer each
    role the pages the app offers it below; signed out, none but the sign-in."""
    assert {p.name for p in navigation.PAGES if navigation.opens(ACTORS[who], p.name)} == (
        ROLES[who][0]
    )
    assert not [p for p in navigation.PAGES if navigation.opens(None, p.name)]


def _decoded(node: object) -> object:
    """Plotly sends numeric arrays as base64 typed arrays: turn them back into numbers."""
    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            return np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"]).tolist()
        return {k: _decoded(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_decoded(v) for v in node]
    return node


def rendered(at: AppTest) -> str:
    """Everything the page sent to the browser, as text: every element's message, the tables'
    cells, the charts' data and labels."""
    parts: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)
    for frame in [*at.dataframe, *at.table]:
        parts.append(frame.value.to_string())
    for chart in at.get("plotly_chart"):
        parts.append(json.dumps(_decoded(json.loads(chart.proto.spec)), ensure_ascii=False))
    text = "\n".join(parts)
    # French thousands separators, raw or escaped (JSON inside a message, octal in a message)
    return re.sub(r"[\u202f\u00a0]|\\+u202f|\\+u00a0|\\342\\200\\257|\\302\\240", " ", text)


def leaks(text: str, forbidden: list[str]) -> list[str]:
    return [pattern for pattern in forbidden if re.search(pattern, text)]


def start(lang: str, who: str | None) -> AppTest:
    at = AppTest.from_file(str(config.ROOT / "app.py"), default_timeout=90)
    at.session_state["app_lang"] = lang
    if who is not None:
        signed_in(at, who)
    at.run()
    return at


def offered_pages(at: AppTest) -> set[str]:
    """The pages the navigation offers: AppTest lists the registered ones when asked for a
    page that is not among them (the sign-in page once signed in, the home page before)."""
    probe = "home" if "app_account" not in at.session_state else "sign_in"
    try:
        at.switch_page(f"pages/{probe}.py")
    except ValueError as e:
        return set(re.findall(r"pages/(\w+)\.py", str(e).split("Known pages:")[-1]))
    raise AssertionError(f"{probe} is offered")


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("who", list(ROLES))
def test_every_page_shows_only_what_the_account_may_read(
    planted: Path, who: str, lang: str
) -> None:
    expected, forbidden = ROLES[who]
    at = start(lang, who)
    assert offered_pages(at) == expected
    seen = []
    for page in sorted(expected):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        assert not at.error, (page, [e.value for e in at.error])
        text = rendered(at)
        assert not leaks(text, forbidden), (page, leaks(text, forbidden))
        seen.append(text)
    everything = "\n".join(seen)
    # positive controls: what the account may read is really there
    assert A in everything
    if who in (ADMIN, FUNDER):
        assert "Alliance Bravo" in everything and "Bravoville" in everything
    if who == ADMIN:
        assert "Zorglub" in everything and "Contrat Zulu" in everything
    if who in (ADMIN, VIEWER, EDITOR, LEAD):  # the committee sees its pending upload
        assert all(re.search(p, everything) for p in PENDING[:4]), "pending upload not shown"
    if who == FUNDER:  # the validated description instead
        assert "Arras" in everything and re.search(r"50\W?000", everything)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_signed_out_sees_the_sign_in_page_only(planted: Path, lang: str) -> None:
    at = start(lang, None)
    assert offered_pages(at) == {"sign_in"}
    assert at.title[0].value == ("Connexion" if lang == "fr" else "Sign in")
    assert not leaks(rendered(at), [A, *EVERYTHING])
    # no demo on a real install: no demo account is offered
    assert not [b for b in at.button if str(b.key).startswith("sign_in_demo")]


def run_cli(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(list(args)) == 0
    return out.getvalue()


@pytest.mark.parametrize("who", [VIEWER, EDITOR, LEAD, FUNDER])
def test_cli_reads_as_an_account_show_what_it_sees(planted: Path, tmp_path: Path, who: str) -> None:
    _, forbidden = ROLES[who]
    scorecard = run_cli("scorecard", "--as", who)
    contracts = run_cli("contracts", "--as", who)
    run_cli("export", "--as", who, "--out", str(tmp_path / "e.csv"))
    run_cli("export", "--as", who, "--out", str(tmp_path / "e.xlsx"))
    export = (tmp_path / "e.csv").read_text(encoding="utf-8-sig")
    for name, text in (("scorecard", scorecard), ("contracts", contracts), ("export", export)):
        assert not leaks(text, forbidden), (name, leaks(text, forbidden))
    assert A in scorecard and A in export
    assert json.loads(contracts)["contracts"] == []  # the only contract is Zorglub's
    if who == FUNDER:
        assert "Alliance Bravo" in scorecard and "46813" in export
        assert not leaks(export + scorecard, PENDING)
        assert "Arras" in scorecard
    else:
        assert "86420" in export  # the committee reads its own pending value
        assert "Pendingville" in scorecard and "Partenaire Pending" in export


def test_cli_as_admin_reads_everything(planted: Path, tmp_path: Path) -> None:
    scorecard = run_cli("scorecard", "--as", ADMIN)
    contracts = run_cli("contracts", "--as", ADMIN)
    assert all(name in scorecard for name in (A, B, C))
    assert "Contrat Zulu" in contracts


def test_cli_refuses_an_alliance_outside_the_account(planted: Path, tmp_path: Path) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli.main(
            ["export", "--as", VIEWER, "--alliance", C, "--out", str(tmp_path / "x.csv")]
        )
    # the same message as for an alliance that does not exist
    assert code == 1 and "Alliance inconnue" in err.getvalue()
    assert not (tmp_path / "x.csv").exists()
