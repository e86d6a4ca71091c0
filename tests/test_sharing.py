"""A steering committee shares one computation: reads, page models and figures are keyed by what
an account may read (its ``Scope``), not by the account; accounts that read differently never
share one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from metrics.base.access import Actor, Scope
from metrics.presentation import charts
from metrics.usecases import auth, reports
from tests.test_app import app
from ui import reads

A, B = "Alliance A", "Alliance B"


def member(email: str, role: str, alliance: str = A) -> Actor:
    return Actor(email, roles=frozenset({(alliance, role)}))


def test_accounts_with_the_same_reads_have_one_scope() -> None:
    committee = [
        member("v@x.org", "viewer"),
        member("e@x.org", "editor"),
        member("l@x.org", "lead"),
    ]
    assert {who.scope for who in committee} == {Scope(False, frozenset({A}), frozenset())}
    # A role on an alliance it also funds: it reads that alliance in full, as its committee.
    both = Actor("f@x.org", roles=frozenset({(A, "viewer")}), funded=frozenset({A}))
    assert both.scope == committee[0].scope
    admins = [Actor("a@x.org", admin=True), Actor("b@x.org", admin=True, funded=frozenset({A}))]
    assert {who.scope for who in admins} == {Scope(everything=True)}


def test_scopes_that_read_differently_differ() -> None:
    funder = Actor("f@x.org", funded=frozenset({A}), portfolios=frozenset({"P"}))
    viewer = member("v@x.org", "viewer")
    assert funder.scope == Scope(False, frozenset(), frozenset({A}))  # validated rows only
    assert len({funder.scope, viewer.scope, member("w@x.org", "viewer", B).scope}) == 3
    assert Actor("a@x.org", admin=True).scope != viewer.scope


@pytest.mark.parametrize(
    "who",
    [
        member("v@x.org", "viewer"),
        Actor("f@x.org", roles=frozenset({(B, "lead")}), funded=frozenset({A, B})),
        Actor("a@x.org", admin=True),
        Actor("n@x.org"),
    ],
)
def test_a_scope_reads_what_its_account_reads(who: Actor) -> None:
    assert who.scope.read_params() == who.read_params()
    for alliance in (A, B, "Alliance C"):
        assert who.scope.reads(alliance) == who.reads(alliance)


def test_a_committee_shares_its_dashboard_and_a_funder_has_its_own(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The viewer computes the dashboard's model and draws its charts; the lead of the same
    alliance, in a session of its own, is shown them without computing anything; the funder
    of the alliance (validated values only) computes its own."""
    computed: list[str] = []
    models: list[reports.Page] = []
    real_page, real_scores = reports.page, charts.scores_over_time

    def page(*args: Any, **kwargs: Any) -> reports.Page:
        computed.append("model")
        models.append(real_page(*args, **kwargs))
        return models[-1]

    def scores(*args: Any, **kwargs: Any) -> Any:
        computed.append("chart")
        return real_scores(*args, **kwargs)

    monkeypatch.setattr(reports, "page", page)
    monkeypatch.setattr(charts, "scores_over_time", scores)
    for read in reads.REGISTERED:
        read.clear()
    shown = []
    for who in ("viewer@demo.example", "lead@demo.example", "funder@demo.example"):
        at = app("fr", who=who)
        at.session_state["app_alliance"] = auth.DEMO_ALLIANCE
        at.switch_page("pages/dashboard.py").run()
        assert not at.exception
        shown.append([m.value for m in at.metric])
        computed.append("|")
    assert "".join(c[0] for c in computed) == "mc|" + "|" + "mc|"
    assert shown[0] == shown[1]  # the lead is shown what the viewer's run computed
    # The funder's own model: without October's values, not validated yet (jobs created: 11).
    committee, funder = (m.progressed.set_index(["indicator", "period"]) for m in models)
    jobs = ("jobs_created", "2026")
    assert committee.at[jobs, "value"] - funder.at[jobs, "value"] == 11
