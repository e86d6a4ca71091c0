"""The steering committee's notes and decisions: who writes them, who reads them, and that no
version is ever lost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from metrics.base import limits
from metrics.base.access import Actor
from metrics.base.errors import AccessDenied, MetricsError
from metrics.presentation.i18n import said
from metrics.storage.store import Store
from tests.conftest import built, copy_db
from tests.test_access import ADMIN, EDITOR, FUNDER, LEAD, VIEWER, A, B, C, plant


@pytest.fixture(scope="module")
def _built(tmp_path_factory: pytest.TempPathFactory) -> str:
    return built(tmp_path_factory.mktemp("notes") / "notes.duckdb", plant)


@pytest.fixture
def store(_built: str, tmp_path: Path) -> Iterator[Store]:
    with Store(copy_db(_built, tmp_path)) as store:
        yield store


def who(store: Store, email: str) -> Actor:
    actor = store.actor(email)
    assert actor is not None
    return actor


def versions(store: Store) -> int:
    with store.cursor() as cur:
        row = cur.execute("SELECT count(*) FROM note_version").fetchone()
    assert row is not None
    return int(row[0])


def test_a_note_on_an_indicator_and_a_period_is_read_by_whoever_reads_the_alliance(
    store: Store,
) -> None:
    editor = who(store, EDITOR)
    number = store.add_note(
        editor, A, "decision", "  Ouvrir un second atelier  ", "jobs_created", "T2 2024"
    )
    for reader in (EDITOR, VIEWER, LEAD, FUNDER, ADMIN):
        notes = store.notes(who(store, reader), A)
        assert list(notes["id"]) == [number]
        row = notes.iloc[0]
        assert (row["kind"], row["body"], row["indicator"], row["period"]) == (
            "decision",
            "Ouvrir un second atelier",  # outer spaces trimmed
            "jobs_created",
            "2024-Q2",  # canonical, whatever the writing
        )
        assert (row["author"], row["author_name"], row["versions"]) == (EDITOR, "Editor", 1)
    # An alliance the account does not read: refused, whether or not it has notes.
    store.add_note(Actor.system("setup"), C, "note", "Note Zulu")
    with pytest.raises(AccessDenied, match="Alliance Zorglub"):
        store.notes(who(store, EDITOR), C)
    with pytest.raises(AccessDenied):
        store.notes(who(store, FUNDER), C)


def test_only_editors_leads_and_admins_write_notes(store: Store) -> None:
    for email in (EDITOR, LEAD, ADMIN):
        store.add_note(who(store, email), A, "note", f"par {email}")
    before = versions(store)
    with pytest.raises(AccessDenied) as caught:
        store.add_note(who(store, VIEWER), A, "note", "lecture seule")
    assert "editor or lead role" in said(caught.value, "en")
    with pytest.raises(AccessDenied):
        store.add_note(who(store, FUNDER), A, "note", "financeur")
    with pytest.raises(AccessDenied):  # B: funded by the portfolio, no role on it
        store.add_note(who(store, EDITOR), B, "note", "ailleurs")
    assert versions(store) == before
    assert len(store.notes(who(store, ADMIN), A)) == 3


def test_an_edit_keeps_every_version_and_only_the_author_edits(store: Store) -> None:
    editor, lead = who(store, EDITOR), who(store, LEAD)
    number = store.add_note(editor, A, "note", "Retard de saisie au T1")
    store.edit_note(editor, number, "decision", "Relancer les partenaires avant le 15")
    with pytest.raises(AccessDenied) as caught:  # the lead did not write it
        store.edit_note(lead, number, "note", "Réécrit par un autre")
    assert "Seule la personne qui a écrit la note" in said(caught.value, "fr")
    with pytest.raises(AccessDenied):
        store.withdraw_note(who(store, ADMIN), number)
    history = store.note_history(who(store, VIEWER), number)
    assert list(history["version"]) == [1, 2]
    assert list(history["body"]) == [
        "Retard de saisie au T1",
        "Relancer les partenaires avant le 15",
    ]
    assert list(history["kind"]) == ["note", "decision"]
    note = store.notes(who(store, FUNDER), A).iloc[0]
    assert (note["body"], note["kind"], note["versions"]) == (
        "Relancer les partenaires avant le 15",
        "decision",
        2,
    )
    assert note["edited_at"] > note["created_at"]
    log = store.audit(who(store, ADMIN))
    mine = log[log["object"] == f"note #{number}"]
    assert list(zip(mine["action"], mine["outcome"])) == [
        ("note_add", "ok"),
        ("note_edit", "ok"),
        ("note_edit", "refused"),
        ("note_withdraw", "refused"),
    ]


def test_a_withdrawn_note_leaves_the_list_but_not_the_history(store: Store) -> None:
    editor = who(store, EDITOR)
    kept = store.add_note(editor, A, "note", "Reste")
    gone = store.add_note(editor, A, "note", "Erreur de saisie")
    store.withdraw_note(editor, gone)
    assert list(store.notes(editor, A)["id"]) == [kept]
    every = store.notes(editor, A, withdrawn=True)
    assert list(every["id"]) == [gone, kept]
    history = store.note_history(editor, gone)
    assert list(history["withdrawn"]) == [False, True]
    assert list(history["body"]) == ["Erreur de saisie"] * 2
    with pytest.raises(MetricsError) as caught:
        store.edit_note(editor, gone, "note", "Trop tard")
    assert "retirée" in said(caught.value, "fr")


def test_a_note_the_store_cannot_take_says_what_to_fix_and_writes_nothing(store: Store) -> None:
    editor = who(store, EDITOR)
    before = versions(store)
    cases = [
        (("note", "   "), {}, "La note est vide"),
        (("note", "x" * (limits.MAX_NOTE + 1)), {}, "5\u202f001 caractères"),
        (("avis", "texte"), {}, "Choisissez note ou décision"),
        (("note", "texte"), {"period": "au printemps"}, "Écrivez par exemple 2024"),
        (("note", "texte"), {"indicator": "inconnu"}, "Indicateur inconnu"),
    ]
    for (kind, body), extra, message in cases:
        with pytest.raises(MetricsError) as caught:
            store.add_note(editor, A, kind, body, **extra)
        assert message in said(caught.value, "fr")
    with pytest.raises(MetricsError) as caught:
        store.edit_note(editor, 99, "note", "texte")
    assert "Note #99 does not exist" in said(caught.value, "en")
    assert versions(store) == before


def test_a_note_changes_the_data_version(store: Store) -> None:
    before = store.data_version()
    store.add_note(who(store, LEAD), A, "note", "Vu en comité")
    assert store.data_version() != before


def test_every_refused_note_is_written_to_the_audit_log(store: Store) -> None:
    """A note refused (written by a reader, on an alliance the account does not read, edited or
    withdrawn by someone else than its author, or by one who no longer reads its alliance) is
    a line of the audit log, refused, as every refusal; nothing is written to the notes."""
    editor, viewer, funder = who(store, EDITOR), who(store, VIEWER), who(store, FUNDER)
    number = store.add_note(editor, A, "note", "Du rédacteur")
    zulu = store.add_note(Actor.system("setup"), C, "note", "Note Zulu")
    before = versions(store)
    attempts = [
        lambda: store.add_note(viewer, A, "note", "lecture seule"),
        lambda: store.add_note(funder, A, "decision", "financeur"),
        lambda: store.add_note(editor, B, "note", "financée, sans rôle"),
        lambda: store.add_note(editor, C, "note", "ailleurs"),
        lambda: store.add_note(viewer, A, "note", "   "),  # refused before it is read
        lambda: store.edit_note(viewer, number, "note", "pas la sienne"),
        lambda: store.withdraw_note(funder, number),
        lambda: store.edit_note(editor, zulu, "note", "ne lit pas Zorglub"),
        lambda: store.withdraw_note(editor, zulu),
    ]
    for attempt in attempts:
        with pytest.raises(AccessDenied):
            attempt()
    assert versions(store) == before
    log = store.audit(who(store, ADMIN))
    refused = log[log["outcome"] == "refused"]
    assert list(zip(refused["account"], refused["action"], refused["object"])) == [
        (VIEWER, "note_add", A),
        (FUNDER, "note_add", A),
        (EDITOR, "note_add", B),
        (EDITOR, "note_add", C),
        (VIEWER, "note_add", A),
        (VIEWER, "note_edit", f"note #{number}"),
        (FUNDER, "note_withdraw", f"note #{number}"),
        (EDITOR, "note_edit", f"note #{zulu}"),
        (EDITOR, "note_withdraw", f"note #{zulu}"),
    ]
    # The reader outside the alliance is told what any unknown alliance gets, no more.
    with pytest.raises(AccessDenied, match="Alliance Zorglub"):
        store.add_note(editor, C, "note", "ailleurs")
