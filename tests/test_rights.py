"""Writes check the right before anything is written; refusals are audited and write nothing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from metrics.base.access import Actor
from metrics.base.errors import AccessDenied, MetricsError, ValidationError
from metrics.presentation.i18n import said
from metrics.presentation.summaries import import_summary
from metrics.storage.store import Store
from metrics.usecases import auth
from tests.conftest import xlsx
from tests.lake import db_at
from tests.test_access import ADMIN, EDITOR, FUNDER, LEAD, PORTFOLIO, VIEWER, A, B, C, build


@pytest.fixture
def store(tmp_path: Path) -> Store:
    path = db_at(tmp_path / "rights.duckdb")
    build(path)
    return Store(path)


def who(store: Store, email: str) -> Actor:
    actor = store.actor(email)
    assert actor is not None
    return actor


def snapshot(store: Store) -> tuple[int, int, str]:
    """What a refused write must leave untouched: uploads, values, their checksum."""
    admin = who(store, ADMIN)
    values = store.observations(admin)
    digest = hashlib.sha256(pd.util.hash_pandas_object(values, index=False).values).hexdigest()
    return len(store.uploads(admin)), len(values), digest


def refusals(store: Store, action: str) -> pd.DataFrame:
    log = store.audit(who(store, ADMIN))
    return log[(log["action"] == action) & (log["outcome"] == "refused")]


def test_an_editor_cannot_import_into_another_alliance(store: Store) -> None:
    before = snapshot(store)
    # B outside the account's grants: its rows read as naming an unknown alliance
    bad = xlsx(
        {
            "observations": [
                [A, "jobs_created", "2026", 1, "", ""],
                [B, "jobs_created", "2026", 2, "", ""],
            ]
        }
    )
    with pytest.raises(ValidationError) as caught:
        store.import_file(bad, "ab.xlsx", who(store, EDITOR))
    assert [(p.row, p.value) for p in caught.value.problems] == [(3, B)]
    assert snapshot(store) == before
    refused = refusals(store, "upload")
    assert list(refused["account"]) == [EDITOR] and list(refused["object"]) == ["ab.xlsx"]
    assert B in refused["details"].iloc[0]  # the admin sees which alliance was aimed at
    # B readable (viewer) but not writable: a refusal that names it
    store.grant(who(store, ADMIN), EDITOR, "viewer", B)
    with pytest.raises(AccessDenied) as denied:
        store.import_file(bad, "ab.xlsx", who(store, EDITOR))
    assert B in said(denied.value, "en") and "nothing was saved" in said(denied.value, "en")
    assert A not in said(denied.value, "en").replace(B, "")  # names only what is refused
    assert snapshot(store) == before
    assert len(refusals(store, "upload")) == 2
    # the dry run says the same, and writes nothing either
    with pytest.raises(AccessDenied):
        store.check(bad, "ab.xlsx", who(store, EDITOR))
    assert snapshot(store) == before


def test_an_alliance_outside_the_grants_is_unknown_to_the_file(store: Store) -> None:
    """Rows naming an alliance the account cannot read are refused as an unknown alliance,
    exactly as a name that does not exist: the refusal tells nothing about other alliances."""
    bad = xlsx({"observations": [[C, "jobs_created", "2026", 1, "", ""]]})
    with pytest.raises(ValidationError) as caught:
        store.import_file(bad, "c.xlsx", who(store, EDITOR))
    ghost = xlsx({"observations": [["Alliance Fantôme", "jobs_created", "2026", 1, "", ""]]})
    with pytest.raises(ValidationError) as ghost_caught:
        store.import_file(ghost, "g.xlsx", who(store, EDITOR))
    assert [p.code for p in caught.value.problems] == [p.code for p in ghost_caught.value.problems]


def test_only_an_admin_creates_an_alliance_or_changes_the_catalog(store: Store) -> None:
    new = xlsx({"alliances": [["Alliance Neuve", "Lens", "62498", 1000, "emploi", "2024", ""]]})
    with pytest.raises(AccessDenied) as caught:
        store.import_file(new, "new.xlsx", who(store, LEAD))
    assert "Alliance Neuve" in said(caught.value, "en")
    indicator = xlsx(
        {"indicators": [["jobs_created", "Emplois", "Jobs", "trust", "emplois", "down", "last"]]}
    )
    with pytest.raises(AccessDenied) as caught:
        store.import_file(indicator, "ind.xlsx", who(store, LEAD))
    assert "jobs_created" in said(caught.value, "en")
    store.import_file(new, "new.xlsx", who(store, ADMIN))
    assert "Alliance Neuve" in store.alliance_names(who(store, ADMIN))


def test_an_editor_imports_into_its_alliance_as_submitted(store: Store) -> None:
    result = store.import_file(
        xlsx({"observations": [[A, "jobs_created", "2026", 5, "", ""]]}),
        "a.xlsx",
        who(store, EDITOR),
    )
    assert result.upload_id == 3 and "soumis" in import_summary(result, "fr")
    upload = store.uploads(who(store, EDITOR)).set_index("id").loc[3]
    assert upload["status"] == "submitted" and upload["uploaded_by"] == EDITOR
    assert list(upload["alliances"]) == [A]
    # a viewer reads but does not write
    with pytest.raises(AccessDenied):
        store.import_file(
            xlsx({"observations": [[A, "jobs_created", "2027", 5, "", ""]]}),
            "v.xlsx",
            who(store, VIEWER),
        )


def test_rollback_validation_and_download_need_every_alliance_of_the_upload(store: Store) -> None:
    before = snapshot(store)
    # upload 1 holds rows of A, B and C
    for action, call in (
        ("rollback", lambda a: store.rollback(1, a)),
        ("validate", lambda a: store.validate(1, a)),
        ("download", lambda a: store.upload_file(1, a)),
    ):
        for email in (EDITOR, LEAD):
            with pytest.raises(AccessDenied):
                call(who(store, email))
        assert len(refusals(store, action)) == 2, action
    assert snapshot(store) == before
    # upload 2 is A's own: the editor downloads and rolls back, only the lead validates
    name, content = store.upload_file(2, who(store, EDITOR))
    assert name == "alpha_2025.xlsx" and content
    with pytest.raises(AccessDenied):
        store.validate(2, who(store, EDITOR))
    store.validate(2, who(store, LEAD))  # (what it did is data: the edges say it)
    assert store.uploads(who(store, ADMIN)).set_index("id").at[2, "status"] == "validated"
    with pytest.raises(MetricsError):
        store.validate(2, who(store, LEAD))  # already validated
    store.rollback(2, who(store, EDITOR))
    assert store.uploads(who(store, ADMIN)).set_index("id").at[2, "status"] == "rolled_back"


def test_funders_read_only_validated_uploads(store: Store) -> None:
    def alpha_2025(email: str) -> list[float]:
        frame = store.observations(who(store, email), A)
        return list(frame.query("period == '2025' and indicator == 'jobs_created'")["value"])

    assert alpha_2025(LEAD) == [86420.0]
    assert alpha_2025(FUNDER) == []  # submitted: the committee has not checked it yet
    assert store.uploads(who(store, FUNDER)).empty  # funders have no upload history
    store.validate(2, who(store, LEAD))
    assert alpha_2025(FUNDER) == [86420.0]
    # a later, corrected upload is not seen until validated: the funder keeps the checked value
    store.import_file(
        xlsx({"observations": [[A, "jobs_created", "2025", 1234, "", ""]]}),
        "fix.xlsx",
        who(store, EDITOR),
    )
    assert alpha_2025(LEAD) == [1234.0] and alpha_2025(FUNDER) == [86420.0]


def test_a_lead_manages_its_alliance_accounts_only(store: Store) -> None:
    lead = who(store, LEAD)
    store.add_account(lead, "new@test.example", "Nouveau")
    store.grant(lead, "new@test.example", "viewer", A)
    assert who(store, "new@test.example").roles == frozenset({(A, "viewer")})
    store.grant(lead, "new@test.example", "editor", A)  # replaces the viewer role
    assert who(store, "new@test.example").roles == frozenset({(A, "editor")})
    for role, alliance, portfolio in (
        ("viewer", B, None),
        ("admin", None, None),
        ("funder", None, PORTFOLIO),
    ):
        with pytest.raises(AccessDenied):
            store.grant(lead, "new@test.example", role, alliance, portfolio)
    with pytest.raises(AccessDenied):
        store.set_status(lead, FUNDER, "disabled")  # not one of its alliance's accounts
    store.set_status(lead, "new@test.example", "disabled")
    assert store.actor("new@test.example") is None
    assert set(store.accounts(lead)["email"]) == {VIEWER, EDITOR, LEAD, "new@test.example"}
    assert len(refusals(store, "grant")) == 3 and len(refusals(store, "account_disable")) == 1
    with pytest.raises(AccessDenied):
        store.accounts(who(store, EDITOR))


def test_the_last_admin_stays(store: Store) -> None:
    admin = who(store, ADMIN)
    with pytest.raises(MetricsError) as caught:
        store.set_status(admin, ADMIN, "disabled")
    assert "last active admin" in said(caught.value, "en")
    with pytest.raises(MetricsError):
        store.revoke(admin, ADMIN, "admin")
    store.add_account(admin, "second@test.example", "Second")
    store.grant(admin, "second@test.example", "admin")
    store.set_status(admin, ADMIN, "disabled")
    assert store.actor(ADMIN) is None


def test_bad_account_input_says_what_to_fix(store: Store) -> None:
    admin = who(store, ADMIN)
    cases = [
        (lambda: store.add_account(admin, "not-an-email", "X"), "Invalid e-mail"),
        (lambda: store.add_account(admin, VIEWER.upper(), "X"), "already exists"),
        (lambda: store.grant(admin, "nobody@test.example", "viewer", A), "No account"),
        (lambda: store.grant(admin, VIEWER, "viewer"), "granted on an alliance"),
        (lambda: store.grant(admin, VIEWER, "funder"), "on a portfolio"),
        (lambda: store.grant(admin, VIEWER, "viewer", "Nulle part"), "Unknown alliance"),
        (lambda: store.revoke(admin, VIEWER, "editor", A), "nothing to revoke"),
        (lambda: store.add_to_portfolio(admin, "P", ["Nulle part"]), "Unknown alliance"),
    ]
    before = len(store.accounts(admin))
    for call, text in cases:
        with pytest.raises(MetricsError) as caught:
            call()
        assert text in said(caught.value, "en"), (text, said(caught.value, "en"))
    assert len(store.accounts(admin)) == before


def test_no_query_reads_the_host_files(store: Store, tmp_path: Path) -> None:
    outside = tmp_path / "secret.csv"
    outside.write_text("a\n1\n")
    for sql in (
        f"SELECT * FROM read_csv('{outside}')",
        f"COPY (SELECT 1) TO '{tmp_path / 'out.csv'}'",
        f"ATTACH '{tmp_path / 'other.duckdb'}'",
        "SET enable_external_access = true",
    ):
        with pytest.raises(Exception) as caught, store.cursor() as cur:
            cur.execute(sql)
        assert "disabled" in str(caught.value) or "locked" in str(caught.value), sql
    assert not (tmp_path / "out.csv").exists()


def test_peer_medians_only_over_five_alliances_or_more(tmp_path: Path) -> None:
    """Hand-computed: the latest yearly score of each same-theme peer; the median is shown to
    an account that cannot read them only when there are at least five."""
    names = [f"Pair {i}" for i in range(7)]  # Pair 0 is the one looked at
    rows = [[n, "Ville", "62041", 1000, "emploi", "2020", ""] for n in names]
    # scores 1, 1, 2, 3, 4, 5, 5 on the 1-5 scale
    scores = [
        [n, "scaling_strategy", "2024", float(min(max(i, 1), 5)), "", ""]
        for i, n in enumerate(names)
    ]
    scores += [["Pair 6", "scaling_strategy", "2025", 2.5, "", ""]]  # its latest: 2.5, not 6
    with Store(db_at(tmp_path / "p.duckdb")) as store:
        setup = Actor.system("setup")
        store.import_file(
            xlsx({"alliances": rows, "observations": scores}), "p.xlsx", setup, validate=True
        )
        viewer = Actor("v@x.org", roles=frozenset({("Pair 0", "viewer")}))
        codes = ["scaling_strategy"]
        six = store.peer_medians(viewer, "Pair 0", codes).iloc[0]
        # peers 1, 2, 3, 4, 5 and 2.5: median of [1, 2, 2.5, 3, 4, 5] = 2.75
        assert (six["peers"], six["peer_count"]) == (2.75, 6)
        store.rollback(1, setup)  # nothing left: no median at all
        rows4 = rows[:5]
        store.import_file(
            xlsx({"alliances": rows4, "observations": scores[:5]}), "p4.xlsx", setup, validate=True
        )
        four = store.peer_medians(viewer, "Pair 0", codes).iloc[0]
        assert four["peer_count"] == 4 and pd.isna(four["peers"])  # 4 < 5: not shown
        # an account that reads every peer sees the median of four: (1 + 2 + 3 + 4) / 4 = 2.5
        admin = Actor.system("admin")
        assert store.peer_medians(admin, "Pair 0", codes).iloc[0]["peers"] == 2.5
        with pytest.raises(AccessDenied):
            store.peer_medians(viewer, "Pair 1", codes)


def test_secure_defaults_in_the_streamlit_configuration() -> None:
    import tomllib

    from metrics.base import config, limits

    settings = tomllib.loads((config.ROOT / ".streamlit" / "config.toml").read_text())
    assert settings["server"]["enableXsrfProtection"] is True
    assert settings["client"]["showErrorDetails"] == "none"
    # the limit the import was measured to handle (metrics/base/limits.py)
    assert settings["server"]["maxUploadSize"] == limits.MAX_FILE_MB
    assert ".streamlit/secrets.toml" in (config.ROOT / ".gitignore").read_text()


def description(store: Store, name: str) -> tuple[str, int]:
    row = store.alliances(who(store, ADMIN)).set_index("name").loc[name]
    return row["territory"], int(row["population"])


def definition(store: Store, code: str) -> tuple[str, str, str]:
    row = store.indicators(who(store, ADMIN)).set_index("code").loc[code]
    return row["dimension"], row["direction"], row["aggregation"]


def test_an_upload_cannot_redescribe_an_alliance_outside_its_grants(store: Store) -> None:
    """An editor of A sends a definitions sheet that would move B's territory and population
    (and so its per-inhabitant figures): refused, nothing written."""
    before, described = snapshot(store), description(store, B)
    other = xlsx({"alliances": [[B, "Ailleurs", "", 1, "emploi", "2020", ""]]})
    with pytest.raises(MetricsError):
        store.import_file(other, "b.xlsx", who(store, EDITOR))
    assert snapshot(store) == before and description(store, B) == described


@pytest.mark.parametrize(
    ("email", "alliance", "allowed"),
    [
        (VIEWER, A, False),  # reads A only
        (EDITOR, B, False),  # writes A, not B
        (LEAD, B, False),
        (FUNDER, A, False),  # reads validated data only
        (EDITOR, A, True),
        (LEAD, A, True),
        (ADMIN, B, True),
    ],
)
def test_who_may_redescribe_an_alliance(
    store: Store, email: str, alliance: str, allowed: bool
) -> None:
    """An alliance's territory and population (its per-inhabitant figures) change only by an
    account with the upload right on it; a refusal writes nothing, an accepted change is
    undone by its rollback."""
    before, described = snapshot(store), description(store, alliance)
    content = xlsx({"alliances": [[alliance, "Ailleurs", "", 7, "emploi", "2020", ""]]})
    if not allowed:
        with pytest.raises(MetricsError):
            store.import_file(content, "redescribe.xlsx", who(store, email))
        assert snapshot(store) == before and description(store, alliance) == described
        return
    result = store.import_file(content, "redescribe.xlsx", who(store, email))
    assert result.upload_id is not None and description(store, alliance) == ("Ailleurs", 7)
    store.rollback(result.upload_id, who(store, ADMIN))
    assert description(store, alliance) == described


def test_reference_changes_are_undone_by_rollback_in_any_order(store: Store) -> None:
    """An admin's upload redefines a built-in indicator and an alliance's description; a later
    upload changes the population again. Rolling back restores the value still standing: the
    later upload's while it stands, the original once both are rolled back."""
    admin = who(store, ADMIN)
    original_a, original_def = description(store, A), definition(store, "jobs_created")

    def upload(population: int, direction: str) -> int:
        content = xlsx(
            {
                "alliances": [[A, "Nouveau territoire", "", population, "emploi", "2020", ""]],
                "indicators": [
                    ["jobs_created", "Emplois", "Jobs", "trust", "emplois", direction, "last"]
                ],
            }
        )
        result = store.import_file(content, f"ref{population}.xlsx", admin)
        assert result.upload_id is not None
        return result.upload_id

    first = upload(1111, "down")
    assert description(store, A) == ("Nouveau territoire", 1111)
    assert definition(store, "jobs_created") == ("trust", "down", "last")
    second = upload(2222, "down")
    store.rollback(first, admin)  # the second still stands: its values stay
    assert description(store, A) == ("Nouveau territoire", 2222)
    assert definition(store, "jobs_created") == ("trust", "down", "last")
    store.rollback(second, admin)
    assert description(store, A) == original_a
    assert definition(store, "jobs_created") == original_def

    third, fourth = upload(3333, "down"), upload(4444, "up")
    store.rollback(fourth, admin)  # back to the third's values
    assert description(store, A)[1] == 3333
    assert definition(store, "jobs_created")[1] == "down"
    store.rollback(third, admin)
    assert description(store, A) == original_a
    assert definition(store, "jobs_created") == original_def


def test_funders_read_reference_data_as_validated(store: Store) -> None:
    """An upload that redescribes an alliance, adds a partner and retypes another writes them
    in place for the committee; its funders keep reading the validated description until the
    lead validates it, and again after it is rolled back."""
    pending = xlsx(
        {
            "alliances": [[A, "Nouveauville", "62001", 12345, "emploi", "2020", "consolidation"]],
            "stakeholders": [
                [A, "Partenaire Neuf", "association"],
                [A, "Partenaire Alpha", "association"],
            ],
        }
    )
    upload = store.import_file(pending, "redescribe.xlsx", who(store, EDITOR)).upload_id
    assert upload is not None

    def described(email: str) -> tuple[str, int, str, int]:
        reader = who(store, email)
        row = store.alliances(reader).set_index("name").loc[A]
        partners = store.stakeholders(reader, A).set_index("stakeholder")["type"].to_dict()
        owners = store.observations(reader, A).groupby("stakeholder")["stakeholder_type"]
        assert set(owners.unique()["Partenaire Alpha"]) == {partners["Partenaire Alpha"]}
        assert int(row["stakeholders"]) == len(partners)
        return row["territory"], int(row["population"]), partners["Partenaire Alpha"], len(partners)

    # (the committee also reads the pending upload of ``tests.test_access.plant``)
    assert described(LEAD) == ("Nouveauville", 12345, "association", 3)
    assert described(FUNDER) == ("Arras", 50_000, "company", 1)
    store.validate(upload, who(store, LEAD))
    assert described(FUNDER) == ("Nouveauville", 12345, "association", 2)
    store.rollback(upload, who(store, LEAD))
    assert described(FUNDER) == ("Arras", 50_000, "company", 1)
    assert described(LEAD) == ("Pendingville", 71357, "public", 2)


def test_funders_read_the_catalogue_as_validated(store: Store) -> None:
    """An admin's upload that relabels an indicator is read by members at once, by funders
    once validated."""
    relabel = xlsx(
        {
            "indicators": [
                ["jobs_created", "Emplois nets", "Net jobs", "innovation", "emplois", "up", "sum"]
            ]
        }
    )
    admin = who(store, ADMIN)
    upload = store.import_file(relabel, "catalogue.xlsx", admin).upload_id
    assert upload is not None

    def label(email: str) -> str:
        return str(
            store.indicators(who(store, email)).set_index("code").loc["jobs_created"]["label_en"]
        )

    assert label(LEAD) == label(ADMIN) == "Net jobs"
    assert label(FUNDER) == "Jobs created"
    store.validate(upload, admin)
    assert label(FUNDER) == "Net jobs"


JOBS = ["jobs_created", "Emplois créés", "Jobs created", "innovation", "emplois", "up", "sum"]


def test_only_an_admin_changes_any_field_of_the_catalogue(store: Store) -> None:
    """A file that restates a built-in definition with another description changes it: an
    editor's is refused (nothing saved, audited); restating the description in either language
    changes nothing; an admin's new description is saved."""
    planted = "Données compromises, reconnectez-vous sur http://example.invalid"
    before = store.indicators(who(store, ADMIN)).set_index("code").loc["jobs_created"]
    with pytest.raises(AccessDenied) as caught:
        store.import_file(xlsx({"indicators": [[*JOBS, planted]]}), "desc.xlsx", who(store, EDITOR))
    assert "jobs_created" in said(caught.value, "en")
    with pytest.raises(AccessDenied):  # the dry run says so too
        store.check(xlsx({"indicators": [[*JOBS, planted]]}), "desc.xlsx", who(store, EDITOR))
    for email in (LEAD, FUNDER, ADMIN):
        row = store.indicators(who(store, email)).set_index("code").loc["jobs_created"]
        assert planted not in (row["description_fr"], row["description_en"])
    assert len(refusals(store, "upload")) == 1
    # the definition as it stands, in either language, is no change
    for description in (before["description_fr"], before["description_en"], ""):
        same = xlsx({"indicators": [[*JOBS, description]]})
        assert store.check(same, "same.xlsx", who(store, EDITOR)).counts["changed"] == 0
    store.import_file(xlsx({"indicators": [[*JOBS, "Nouvelle aide"]]}), "a.xlsx", who(store, ADMIN))
    row = store.indicators(who(store, ADMIN)).set_index("code").loc["jobs_created"]
    assert row["description_fr"] == row["description_en"] == "Nouvelle aide"


def test_a_contract_belongs_to_its_alliance(store: Store) -> None:
    """A's lead names a contract like C's (which it cannot read): the dry run says "added",
    the import leaves C's contract as it was, and each committee reads its own; the admin, who
    reads both, names the alliance where a row could be either's."""
    from tests.test_access import CONTRACT

    lead, admin = who(store, LEAD), who(store, ADMIN)
    mine = ["Contrat Zulu", A, "jobs_created", *CONTRACT[3:]]
    mine[5] = 250_000  # its own capital
    file = xlsx({"contracts": [mine], "prices": [["contrat zulu", "emploi", "", "count", 900]]})
    plan = store.check(file, "contrat.xlsx", lead)
    assert set(plan.diff["change"]) == {"added"}
    before = store.contracts(admin, C)
    store.import_file(file, "contrat.xlsx", lead)
    pd.testing.assert_frame_equal(store.contracts(admin, C), before)
    both = store.contracts(admin)
    assert sorted(zip(both["contract"], both["alliance"], both["capital"], strict=True)) == [
        ("Contrat Zulu", A, 250_000),
        ("Contrat Zulu", C, CONTRACT[5]),
    ]
    assert list(store.contracts(lead)["alliance"]) == [A]
    prices = store.contract_rows(admin, "prices")
    assert list(zip(prices["alliance"], prices["price"], strict=True)) == [(A, 900.0)]
    # the admin reads both: a row naming the contract alone is ambiguous, with its alliance not
    rows = "contrat;resultat;base;prix_unitaire\nContrat Zulu;emploi;count;950\n"
    with pytest.raises(ValidationError) as caught:
        store.import_file(rows.encode(), "tarifs.csv", admin)
    assert [p.code for p in caught.value.problems] == ["err.ambiguous_contract"]
    rows = f"contrat;alliance;resultat;base;prix_unitaire\nContrat Zulu;{C};emploi;count;950\n"
    store.import_file(rows.encode(), "tarifs.csv", admin)
    prices = store.contract_rows(admin, "prices")
    assert list(zip(prices["alliance"], prices["price"], strict=True)) == [(A, 900.0), (C, 950.0)]


def test_a_grant_does_not_hand_a_lead_someone_elses_password(store: Store) -> None:
    lead, admin = who(store, LEAD), who(store, ADMIN)
    good = "a long passphrase for the test"
    store.add_account(admin, "dormant@test.example", "Compte sans rôle")  # no role yet
    # the lead may give a role on its alliance to any address: the admin, the funder and an
    # account that held no role...
    for email in (ADMIN, FUNDER, "dormant@test.example"):
        store.grant(lead, email, "viewer", A)
        # ...but that does not make the account the lead's: its password stays out of reach
        with pytest.raises(AccessDenied):
            store.set_password(lead, email, auth.hash_password(good, email))
        with pytest.raises(AccessDenied):
            store.set_status(lead, email, "disabled")
    assert len(refusals(store, "password_set")) == 3
    # the accounts made for its alliance stay its own: created by the lead, or by an admin
    # who gave them their role
    store.add_account(lead, "made@test.example", "Nouveau")
    store.grant(lead, "made@test.example", "viewer", A)
    for email in ("made@test.example", VIEWER):
        store.set_password(lead, email, auth.hash_password(good, email))
    assert set(store.accounts(lead)["email"]) == {VIEWER, EDITOR, LEAD, "made@test.example"}


def test_a_lead_cannot_tell_which_addresses_have_an_account(store: Store) -> None:
    lead = who(store, LEAD)
    for email in (FUNDER, "nobody@test.example"):
        store.grant(lead, email, "viewer", A)  # no error either way
    # the grants list shows both alike; the accounts list neither (not the lead's accounts)
    grants = store.grants(lead)
    assert set(grants.loc[grants["role"] == "viewer", "email"]) >= {FUNDER, "nobody@test.example"}
    assert not {FUNDER, "nobody@test.example"} & set(store.accounts(lead)["email"])
    # creating an account answers the same too, and leaves an existing one as it was
    assert store.add_account(lead, FUNDER, "Quelqu'un") == FUNDER
    assert store.account(FUNDER)["name"] != "Quelqu'un"  # type: ignore[index]
    # a role given to an address without an account waits for it (an invitation)
    store.add_account(lead, "nobody@test.example", "Nouvelle personne")
    assert who(store, "nobody@test.example").roles == frozenset({(A, "viewer")})
    store.revoke(lead, FUNDER, "viewer", A)  # a lead takes its role back from either
    log = store.audit(who(store, ADMIN))
    grants_log = log[(log["action"] == "grant") & (log["account"] == LEAD)]
    assert [json.loads(d).get("unknown", False) for d in grants_log["details"]] == [False, True]
    added = log[(log["action"] == "account_add") & (log["account"] == LEAD)]
    assert list(zip(added["object"], added["outcome"])) == [
        (FUNDER, "refused"),
        ("nobody@test.example", "ok"),
    ]
