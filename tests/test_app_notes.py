"""The committee's notes on the dashboard, as the demo's accounts see and write them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from metrics.usecases.auth import DEMO_ALLIANCE
from tests.test_app import app, plotly_figures, texts
from ui.database import store_at


def open_dashboard(lang: str, who: str):  # type: ignore[no-untyped-def]
    at = app(lang, "pages/dashboard.py", who=who)
    at.selectbox(key="dashboard_alliance").select(DEMO_ALLIANCE).run()
    assert not at.exception
    return at


def stars(at) -> list[str]:  # type: ignore[no-untyped-def]
    """The hover texts of the committee's stars on the open grid."""
    grid = plotly_figures(at)[1]
    return [
        text
        for trace in grid["data"]
        if trace.get("marker", {}).get("symbol") == "star"
        for text in trace["hovertext"]
    ]


def test_the_demo_committees_notes_are_listed_and_starred_on_their_indicators(
    isolated: Path,
) -> None:
    at = open_dashboard("fr", "viewer@demo.example")
    shown = texts(at)
    assert "Notes et décisions du comité" in shown
    assert "Comité du 12 mars 2026" in shown and "chambre de commerce" in shown
    assert "rattrapage attendu" in shown  # the edited note reads as its latest version
    assert "2 versions" in shown
    assert "Écrire une note" not in " ".join(e.label for e in at.expander)  # a viewer reads
    # The two notes on an indicator and a year are stars on that indicator's chart (both are
    # indicators of the first tab, open), in 2025.
    hovers = stars(at)
    assert len(hovers) == 2
    assert any("Décision" in h and "Comité du 12 mars 2026" in h for h in hovers)
    assert all("2025" in h for h in hovers)
    # The edited note's versions, on demand.
    toggle = next(t for t in at.toggle if t.label == "Voir les versions")
    toggle.set_value(True).run()
    versions = next(d.value for d in at.dataframe if "Version" in d.value.columns)
    assert list(versions["Version"]) == [1, 2]
    assert not versions.iloc[0]["Texte"].endswith("second semestre.")


def test_an_editor_writes_a_note_and_edits_it_the_history_keeps_both(isolated: Path) -> None:
    at = open_dashboard("en", "editor@demo.example")
    at.text_area(key="notes_add_body").input("The committee asks for <b>monthly</b> figures")
    at.button(key="FormSubmitter:notes_add-Save the note").click().run()
    assert not at.exception
    assert "saved" in texts(at)
    store = store_at(str(isolated))
    editor = store.actor("editor@demo.example")
    assert editor is not None
    notes = store.notes(editor, DEMO_ALLIANCE)
    newest = notes.iloc[0]
    assert newest["body"] == "The committee asks for <b>monthly</b> figures"
    assert newest["author"] == "editor@demo.example" and pd.isna(newest["indicator"])
    assert "<b>" not in texts(at).replace("\\<b\\>", "")  # shown as text, escaped
    # The editor edits their own note: a second version, the first kept.
    number = int(newest["id"])
    edit = at.text_area(key=f"notes_edit_body_{number}_1")
    assert edit.value == "The committee asks for <b>monthly</b> figures"
    edit.input("The committee asks for monthly figures from June")
    at.button(key=f"FormSubmitter:notes_edit_{number}-Save the new version").click().run()
    assert not at.exception
    history = store.note_history(editor, number)
    assert list(history["body"]) == [
        "The committee asks for <b>monthly</b> figures",
        "The committee asks for monthly figures from June",
    ]
    # Only the editor's own notes (the demo's third and this one) offer an edit, not the lead's.
    edited = {
        int(str(a.key).split("_")[3])
        for a in at.text_area
        if str(a.key).startswith("notes_edit_body_")
    }
    assert edited == {3, number}
