"""The steering committee's pack: the PDF holds the dashboard's figures, hand-computed, in the
language's formats; what changed is written by rule; names stay text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from metrics.base import clock
from metrics.base.access import Actor
from metrics.presentation import pack
from metrics.presentation.i18n import said
from metrics.storage.store import Store
from metrics.usecases import auth, reports
from tests.conftest import ADMIN
from tests.test_impact import A, small_store

TODAY = dt.date(2024, 6, 1)


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[ \u00a0\u202f]+", " ", text)  # spaces as PDF text gives them back


@pytest.fixture
def report(fresh_store: Store) -> tuple[Store, reports.Dashboard]:
    store = small_store(fresh_store)
    committee = Actor.system("Comité")
    store.add_note(committee, A, "decision", "Garder la cible de 12 %", "unemployment_rate", "2024")
    store.add_note(committee, A, "note", "Prévu pour 2025", None, "2025")  # after the pack's year
    values = store.aggregated(ADMIN, A, "year", level="alliance")
    row = store.alliances(ADMIN).set_index("name").loc[A].to_dict()
    return store, reports.dashboard(
        values,
        store.targets(ADMIN, A),
        {**row, "name": A},
        2024,
        TODAY,
        owners=store.aggregated(ADMIN, A, "year", level="stakeholder"),
        notes=store.notes(ADMIN, A),
    )


def test_the_dashboard_by_rule(report: tuple[Store, reports.Dashboard]) -> None:
    _, dashboard = report
    cards = {c.dimension: c for c in dashboard.cards}
    # innovation 2024: the rate's progress (12 - 22) / (12 - 22) = 100 %, up from 30 %
    assert (cards["innovation"].score, cards["innovation"].change) == (1.0, pytest.approx(0.7))
    assert (cards["innovation"].n, cards["innovation"].total) == (1, 2)
    assert cards["performance"].n == 0
    changes = {c.indicator: (c.kind, c.before, c.now) for c in dashboard.changes}
    assert changes == {
        "jobs_created": ("partial", 24.0, 15.0),  # three months of 5 so far
        "partner_trust": ("rose", 3.5, 4.0),
        "unemployment_rate": ("reached", 17.0, 12.0),  # the target, 12
    }  # volunteers and waste: no 2024 value yet, and the year is not over: not "missing"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "fr",
            [
                "Comité de pilotage · année 2024",
                "Données à l'import n° 1 du 1 juin 2024 (validé)",
                "Innovation sociétale 100 % +70 pts 1 indicateur(s) sur 2",
                "Climat de confiance 50 % +25 pts 1 indicateur(s) sur 1",
                "en hausse, de 3,5",
                "Taux de chômage local : cible atteinte (12 %, contre 17 % en 2023)",
                "Emplois créés : valeur partielle pour 2024 (15 emplois à ce jour)",
                "Décision · Taux de chômage local · 2024",
                "Garder la cible de 12 %",
                "Équilibre entre partenaires",
                "Baromètre de confiance",
            ],
        ),
        (
            "en",
            [
                "Steering committee · year 2024",
                "Data as of upload #1 of 1 Jun 2024 (validated)",
                "Societal innovation 100% +70 pts 1 of 2 indicator(s)",
                "Climate of trust 50% +25 pts 1 of 1 indicator(s)",
                "up, from 3.5",
                "Local unemployment rate: target reached (12%, against 17% in 2023)",
                "Decision · Local unemployment rate · 2024",
                "Balance between stakeholders",
                "Trust barometer",
            ],
        ),
    ],
)
def test_the_pack_holds_the_figures_in_the_languages_formats(
    report: tuple[Store, reports.Dashboard], lang: str, expected: list[str]
) -> None:
    store, dashboard = report
    upload = {"id": 1, "uploaded_at": dt.datetime(2024, 6, 1, 10), "status": "validated"}
    content = pack.documents(dashboard, store.indicators(ADMIN), lang, upload, TODAY, ("pdf",))[
        "pdf"
    ]
    assert content.startswith(b"%PDF")
    text = text_of(content)
    for line in expected:
        assert line in text, (line, text[:3000])
    assert "Prévu pour 2025" not in text  # a note on a later period is not this year's
    # cover, scores and notes, a page per dimension, balance, trust, completeness
    assert len(PdfReader(io.BytesIO(content)).pages) == 8


def test_the_pack_of_a_sample_alliance(demo_store: Store) -> None:
    content = pack.build(demo_store, ADMIN, "Sambre Emploi Solidaire", 2025, "en")
    text = text_of(content)
    assert "Sambre Emploi Solidaire" in text and "Steering committee · year 2025" in text
    assert "What changed since 2024" in text


def test_the_pack_lists_the_values_of_the_year_to_check(fresh_store: Store) -> None:
    """The demo's pending update gives Sambre's forum contributions of the first quarter of
    2026 a zero too many: the committee's pack of 2026 lists it on its completeness page."""
    auth.seed_demo(fresh_store)
    lead = fresh_store.actor("lead@demo.example")
    assert lead is not None
    made = pack.build(fresh_store, lead, auth.DEMO_ALLIANCE, 2026, "en")
    text = " ".join(text_of(made).split())
    assert "Values of the year to check: 1 (already checked: 0)" in text
    assert (
        "Citizen forum contributions, Q1 2026, 1,020. 15 times the median of the 8 values" in text
    )


def test_names_stay_text(report: tuple[Store, reports.Dashboard]) -> None:
    """Every text goes into the document as data: a name written like Typst markup is
    printed as it is, and changes nothing else."""
    store, dashboard = report
    name = '#set page(width: 2cm) *gras* $x$ "q" \\ _'
    hostile = dataclasses.replace(dashboard, alliance={**dashboard.alliance, "name": name})
    content = pack.documents(hostile, store.indicators(ADMIN), "fr", None, TODAY, ("pdf",))["pdf"]
    text = text_of(content)
    assert name in text and "Aucune donnée importée" in text
    assert len(PdfReader(io.BytesIO(content)).pages) == 8


def test_the_slides_hold_the_same_figures_in_an_editable_table(
    report: tuple[Store, reports.Dashboard],
) -> None:
    from pptx import Presentation

    store, dashboard = report
    content = pack.documents(dashboard, store.indicators(ADMIN), "fr", None, TODAY, ("pptx",))[
        "pptx"
    ]
    deck = Presentation(io.BytesIO(content))
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles == [
        "Alliance test",
        "Les trois scores",
        "Ce qui a changé depuis 2023",
        "Notes et décisions du comité",
        "Innovation sociétale",
        "Performance des parties prenantes",
        "Climat de confiance",
        "Équilibre entre partenaires",
        "Baromètre de confiance",
        "Complétude des données",
        "Comment ces chiffres sont calculés",
    ]
    table = next(shape.table for shape in deck.slides[1].shapes if shape.has_table)
    cells = [[table.cell(r, c).text for c in range(4)] for r in range(len(table.rows))]
    assert cells[1][:3] == ["Innovation sociétale", "100\u202f%", "+70 pts"]
    assert cells[3][:3] == ["Climat de confiance", "50\u202f%", "+25 pts"]
    changed = deck.slides[2].shapes[1].text_frame.text
    assert "Taux de chômage local : cible atteinte (12\u202f%, contre 17\u202f% en 2023)" in changed


def test_a_funders_pack_reads_what_the_funder_reads(fresh_store: Store) -> None:
    """The demo's funder: the validated data only (the pending October upload is not "as
    of"), the committee's notes; the PDF and the slides from one build."""
    auth.seed_demo(fresh_store)
    funder = fresh_store.actor("funder@demo.example")
    assert funder is not None
    made = pack.build_all(fresh_store, funder, auth.DEMO_ALLIANCE, 2026, "fr")
    text = text_of(made["pdf"])
    assert "Données à l'import n° 1 " in text and "(validé)" in text
    assert "Comité du 12 mars 2026" in text and "rattrapage attendu" in text
    assert "modifiée le" in text  # the edited note says so
    # the pending upload's value to check is not the funder's to read
    assert "Valeurs de l'année à vérifier" not in text
    from pptx import Presentation

    deck = Presentation(io.BytesIO(made["pptx"]))
    notes = next(s for s in deck.slides if s.shapes.title.text == "Notes et décisions du comité")
    assert "Comité du 12 mars 2026" in notes.shapes[1].text_frame.text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_funders_one_pager(demo_store: Store, lang: str) -> None:
    """The portfolio on one page: each of its alliances with the portfolio page's figures."""
    from metrics.domain import compare

    members = ["Roubaix Quartiers Actifs", "Sambre Emploi Solidaire"]
    demo_store.add_to_portfolio(ADMIN, "Emploi Hauts-de-France", members)
    content = pack.portfolio(demo_store, ADMIN, "Emploi Hauts-de-France", lang)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    text = text_of(content)
    table = compare.portfolio(
        demo_store.dimension_scores(ADMIN),
        demo_store.completeness_by_year(ADMIN),
        demo_store.alliances(ADMIN),
        demo_store.last_updates(ADMIN),
        clock.today().year,
    ).set_index("alliance")
    suffix = " %" if lang == "fr" else "%"
    for name in ("Roubaix Quartiers Actifs", "Sambre Emploi Solidaire"):
        innovation = round(100 * table.at[name, "innovation_score"])
        assert f"{name} {innovation}{suffix}" in text
    assert "Recycl'Armor" not in text  # not in that portfolio
    title = "Portefeuille « Emploi Hauts-de-France »" if lang == "fr" else "Portfolio “Emploi"
    assert title in text and "2 alliance(s)" in text


def test_without_chromium_the_user_is_told_what_the_pack_needs(
    report: tuple[Store, reports.Dashboard], monkeypatch: pytest.MonkeyPatch
) -> None:
    import kaleido

    from metrics.base.errors import MetricsError

    def no_browser(**_: object) -> None:
        raise RuntimeError("no Chrome found")

    monkeypatch.setattr(kaleido, "start_sync_server", no_browser)
    store, dashboard = report
    with pytest.raises(MetricsError) as refused:
        pack.documents(dashboard, store.indicators(ADMIN), "fr", None, TODAY, ("pdf",))
    assert said(refused.value, "fr").startswith("Le dossier n'a pas pu dessiner ses graphiques")
    assert "chromium" in said(refused.value, "fr")


def test_a_pack_made_on_the_command_line_is_written_to_the_audit_log(
    demo_store: Store, tmp_path: Path
) -> None:
    """As the app's downloads are: the file's name, what it holds and for whom it was read."""
    import json

    from metrics import cli

    out = tmp_path / "sambre.pptx"
    demo_store.close()
    args = ["pack", "--alliance", auth.DEMO_ALLIANCE, "--period", "2025", "--out", str(out)]
    assert cli.main([*args, "--db", demo_store.target]) == 0
    with Store(demo_store.target) as store:
        log = store.audit(ADMIN)
    line = log[log["action"] == "export"].iloc[-1]
    assert line["object"] == "sambre.pptx" and line["outcome"] == "ok"
    details = json.loads(line["details"])
    assert details["kind"] == "pack" and details["alliance"] == auth.DEMO_ALLIANCE
    assert (details["year"], details["format"]) == (2025, "pptx")
