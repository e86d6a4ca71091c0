"""``python -m metrics`` as an admin or a script runs it: exit codes, stderr, files."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from metrics.base import config
from metrics.sheets.ingest import parse
from metrics.sheets.schema import BY_KIND
from metrics.storage.store import Store
from tests import lake
from tests.conftest import base_workbook, embedded_only, xlsx
from tests.lake import db_at


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "metrics", *args],
        capture_output=True,
        text=True,
        cwd=cwd or config.ROOT,
        timeout=120,
    )


def test_import_summary_then_idempotent(tmp_path: Path) -> None:
    db, file = db_at(tmp_path / "c.duckdb"), tmp_path / "base.xlsx"
    file.write_bytes(base_workbook())
    first = run("import", str(file), "--db", str(db))
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().splitlines() == [
        "Import n° 1 (soumis, à valider) : 7 ajoutée(s), 0 modifiée(s), 0 inchangée(s), "
        "0 valeur(s) manquante(s) ignorée(s)."
    ]
    again = run("--lang", "en", "import", str(file), "--db", str(db))
    assert again.returncode == 0
    assert again.stdout.startswith("Nothing new") and "7 unchanged" in again.stdout


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    db, file = db_at(tmp_path / "c.duckdb"), tmp_path / "base.xlsx"
    file.write_bytes(base_workbook())
    out = run("import", str(file), "--db", str(db), "--dry-run")
    assert out.returncode == 0 and out.stdout.startswith("Simulation")
    export = run("export", "--db", str(db), "--out", str(tmp_path / "e.csv"))
    assert export.returncode == 0
    assert pd.read_csv(tmp_path / "e.csv").empty


def test_refusal_goes_to_stderr_without_traceback(tmp_path: Path) -> None:
    db, file = db_at(tmp_path / "c.duckdb"), tmp_path / "bad.csv"
    file.write_text(
        "alliance;indicateur;periode;valeur\nNulle part;jobs_created;2023;x\n", encoding="cp1252"
    )
    out = run("import", str(file), "--db", str(db))
    assert out.returncode != 0 and out.stdout == ""
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert lines[0].startswith("Fichier refusé, rien n'a été enregistré : 2 problème(s)")
    assert any("ligne 2" in line and "Alliance inconnue" in line for line in lines)
    assert any("ligne 2" in line and "Nombre illisible" in line for line in lines)


@pytest.mark.parametrize(("content", "name"), [(b"", "vide.csv"), (b"%PDF\x00\x01", "a.pdf")])
def test_unreadable_file(tmp_path: Path, content: bytes, name: str) -> None:
    (tmp_path / name).write_bytes(content)
    out = run(
        "--lang", "en", "import", str(tmp_path / name), "--db", str(db_at(tmp_path / "c.duckdb"))
    )
    assert out.returncode != 0 and "Traceback" not in out.stderr and name in out.stderr


def test_missing_file_and_bad_export_format(tmp_path: Path) -> None:
    out = run("import", str(tmp_path / "absent.csv"), "--db", str(db_at(tmp_path / "c.duckdb")))
    assert out.returncode != 0 and "Fichier introuvable" in out.stderr
    out = run("export", "--db", str(db_at(tmp_path / "c.duckdb")), "--out", str(tmp_path / "x.pdf"))
    assert out.returncode != 0 and ".xlsx" in out.stderr and "Traceback" not in out.stderr


def test_db_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = db_at(tmp_path / "env.duckdb")
    monkeypatch.setenv(config.ENV_DB, str(db))
    file = tmp_path / "base.xlsx"
    file.write_bytes(base_workbook())
    assert run("import", str(file)).returncode == 0
    with Store(db) as store:
        assert store.data_version()[0] == 1


def test_export_long_layout_neutralises_formulas_and_round_trips(tmp_path: Path) -> None:
    db = db_at(tmp_path / "c.duckdb")
    risky = base_workbook(
        [
            ["Alliance test", "jobs_created", "T2 2023", 10, "", '=HYPERLINK("http://x")'],
            ["Alliance test", "jobs_created", "05/2024", 4, "", "+33 6 12"],
            ["Alliance test", "recruitment_cost_saved", "2024", 5000, "Entreprise A", "@SUM(A1)"],
        ]
    )
    (tmp_path / "r.xlsx").write_bytes(risky)
    assert run("import", str(tmp_path / "r.xlsx"), "--db", str(db)).returncode == 0
    for suffix in ("csv", "xlsx"):
        out_file = tmp_path / f"export.{suffix}"
        out = run("export", "--db", str(db), "--alliance", "Alliance test", "--out", str(out_file))
        assert out.returncode == 0, out.stderr
        frame = (
            pd.read_csv(out_file, keep_default_na=False)
            if suffix == "csv"
            else pd.read_excel(out_file, keep_default_na=False, engine="calamine")
        )
        assert list(frame.columns[:5]) == [
            "alliance",
            "indicator",
            "period",
            "value",
            "stakeholder",
        ]
        assert list(frame["period"]) == ["2023-Q2", "2024-05", "2024"]
        assert list(frame["comment"]) == ['\'=HYPERLINK("http://x")', "'+33 6 12", "'@SUM(A1)"]
        assert list(frame["value"]) == [10, 4, 5000]
    # The export is itself an importable observations file: re-importing changes no value.
    csv_plan = parse((tmp_path / "export.csv").read_bytes(), "export.csv")
    assert csv_plan.ok and len(csv_plan.records["observations"]) == 3
    with zipfile.ZipFile(tmp_path / "export.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no cell is stored as a formula


def test_export_unknown_alliance(tmp_path: Path) -> None:
    db = db_at(tmp_path / "c.duckdb")
    assert run("seed", "--db", db).returncode == 0
    out = run(
        "export",
        "--db",
        db,
        "--alliance",
        "Nulle",
        "--out",
        str(tmp_path / "e.csv"),
    )
    assert out.returncode != 0 and "Nulle" in out.stderr


def test_template_is_a_real_workbook_with_dropdowns(tmp_path: Path) -> None:
    path = tmp_path / "modele.xlsx"
    out = run("template", str(path))
    assert out.returncode == 0
    book = pd.read_excel(path, sheet_name=None, engine="calamine")
    assert list(book) == [
        "lisez-moi",
        "alliances",
        "partenaires",
        "indicateurs",
        "donnees",
        "objectifs",
        "regles",
        "essaimage",
        "contrats_impact",
        "tarifs",
        "payeurs",
        "investissements",
        "paiements",
        "resultats_participants",
    ]
    assert list(book["donnees"].columns) == [
        "alliance",
        "indicateur",
        "periode",
        "valeur",
        "partenaire",
        "commentaire",
    ]
    assert all(len(book[name]) >= 1 for name in book)
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets"))
    for choice in ("innovation,performance,trust", "up,down", "sum,mean,last", "entreprise"):
        assert choice in xml
    readme = book["lisez-moi"]
    assert readme.iloc[:, 2].notna().all() or len(readme) > 20
    english = tmp_path / "template.xlsx"
    assert run("--lang", "en", "template", str(english)).returncode == 0
    assert "observations" in pd.read_excel(english, sheet_name=None, engine="calamine")


def test_the_template_examples_are_refused_row_by_row(tmp_path: Path) -> None:
    path = tmp_path / "modele.xlsx"
    run("template", str(path))
    out = run("import", str(path), "--db", str(db_at(tmp_path / "c.duckdb")))
    assert out.returncode != 0 and "Fichier refusé" in out.stderr, out.stdout
    assert out.stderr.count("Ligne d'exemple du modèle") == len(BY_KIND)  # one per sheet


def test_seed_loads_sample_once(tmp_path: Path) -> None:
    db = db_at(tmp_path / "c.duckdb")
    first = run("seed", "--db", str(db))
    assert first.returncode == 0 and "Import n° 1" in first.stdout
    second = run("seed", "--db", str(db))
    assert second.returncode == 0 and "Rien de nouveau" in second.stdout


def test_xlsx_helper_is_readable_by_pandas() -> None:
    content = xlsx({"observations": [["A", "b", "2023", 1, "", ""]]})
    frame = pd.read_excel(io.BytesIO(content), engine="calamine")
    assert list(frame.columns)[:4] == ["alliance", "indicateur", "periode", "valeur"]


def test_scorecard_json_on_a_hand_built_workbook(tmp_path: Path) -> None:
    import json

    from metrics.storage.store import Store
    from tests.test_impact import A, small_store

    db = db_at(tmp_path / "s.duckdb")
    with Store(db) as store:
        small_store(store)
    out = run("scorecard", "--db", str(db))
    assert out.returncode == 0, out.stderr
    document = json.loads(out.stdout)
    assert document["granularity"] == "year" and "progress" in document["rules"]
    (alliance,) = document["alliances"]
    assert alliance["name"] == A and alliance["population"] == 32000
    scores = {(d["dimension"], d["period"]): d for d in alliance["dimensions"]}
    # 2023: mean(0.1, 0.5); 2024: only the rate (jobs are a partial sum), coverage 1 of 2
    assert scores[("innovation", "2023")]["score"] == pytest.approx(0.3)
    assert scores[("innovation", "2024")]["score"] == pytest.approx(1.0)
    assert scores[("innovation", "2024")]["coverage"] == 0.5
    assert scores[("trust", "2024")]["score"] == pytest.approx(0.5)
    values = {(i["indicator"], i["period"]): i for i in alliance["indicators"]}
    jobs = values[("jobs_created", "2024")]
    assert (jobs["value"], jobs["partial"]) == (15.0, True)
    assert jobs["progress"] == pytest.approx(-0.125)
    assert values[("volunteers", "2023")]["progress"] is None
    assert values[("volunteers", "2023")]["index"] == 100.0

    quarterly = json.loads(
        run("scorecard", "--db", str(db), "--granularity", "quarter", "--alliance", A).stdout
    )
    periods = {i["period"] for i in quarterly["alliances"][0]["indicators"]}
    assert "2023-Q1" in periods
    missing = run("scorecard", "--db", str(db), "--alliance", "Nulle")
    assert missing.returncode != 0 and "Nulle" in missing.stderr


def test_contracts_json(tmp_path: Path) -> None:
    import json

    db = db_at(tmp_path / "c.duckdb")
    assert run("seed", "--db", str(db)).returncode == 0
    out = run("contracts", "--db", str(db))
    assert out.returncode == 0, out.stderr
    document = json.loads(out.stdout)
    assert "payments" in document["rules"]
    contracts = {c["terms"]["name"]: c for c in document["contracts"]}
    contract = contracts["Peterborough SIB"]
    assert contract["rate_card"] is None
    assert contract["cohorts"][0]["met"] is False
    assert contract["overall_met"] is True and contract["status"] == "settled"
    assert 0.03 < contract["annual_return"] < 0.035
    assert [r["cohort"] for r in contract["results"]] == ["Cohorte 1", None]
    # What was not published is said so, and amounts are exact to the cent.
    assert contract["terms"]["illustrative"] == [
        "cohort_size",
        "population",
        "price",
        "investments",
    ]
    assert contract["payments"] == 6_179_602.0
    # Its investors' IRR on their dated draw (tests/test_outcomes.py computes it by hand).
    assert [r["amount"] for r in contract["finance"]["due"]] == [0.0, 6_179_602.0]
    assert 0.03 < contract["finance"]["investors_irr"] < contract["annual_return"]
    # The rate-card contract: its prices; due per outcome, ledger, flows and IRR (the page's
    # figures).
    assert [
        p["outcome"] for p in contracts["Contrat à impact Sambre emploi"]["rate_card"]["prices"]
    ] == ["emploi durable", "retour à l'emploi"]
    sambre = contracts["Contrat à impact Sambre emploi"]["finance"]
    assert sum(r["amount"] for r in sambre["due"]) == 1_100_000  # both outcomes' caps
    assert {r["payer"]: r["paid"] for r in sambre["ledger"]} == {
        "Fonds d'innovation sociale": 430_000,
        "État": 660_000,
    }
    assert sambre["irr"]["Banque solidaire du Nord"] == pytest.approx(0.08, abs=1e-3)
    roubaix = contracts["Contrat à impact Roubaix chômage"]
    assert (roubaix["status"], roubaix["payments"]) == ("settled", 0.0)  # ended in 2025
    assert "waterfall" in document["rules"]
    empty = db_at(tmp_path / "empty" / "empty.duckdb")
    out = run("contracts", "--db", empty)
    if lake.LAKE:  # the test's database is made in PostgreSQL: there, and empty
        assert json.loads(out.stdout)["contracts"] == []
    else:  # a read never makes a database: it says which is missing
        assert out.returncode == 1 and empty in out.stderr
        assert not Path(empty).parent.exists()


@embedded_only
def test_a_database_in_a_folder_that_does_not_exist_is_said_never_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mistyped ``IMPACT_DB``: the app says which folder is missing and makes nothing."""
    from streamlit.testing.v1 import AppTest

    missing = tmp_path / "nowhere" / "impact.duckdb"
    monkeypatch.setenv(config.ENV_DB, str(missing))
    at = AppTest.from_file(str(config.ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    said = [e.value.replace("\\", "") for e in at.error]  # (Markdown's escapes)
    assert any(str(missing.parent) in text and "n'existe pas" in text for text in said)
    assert not missing.parent.exists()
    out = run("seed", "--db", str(missing))  # a write is refused the same way
    assert out.returncode == 1 and str(missing.parent) in out.stderr


@embedded_only
def test_maintain_checkpoints_a_file_and_never_makes_one(tmp_path: Path) -> None:
    """A DuckDB file keeps itself tidy (the shared backend's maintenance: test_lake_ops)."""
    db = tmp_path / "m.duckdb"
    absent = run("--lang", "en", "maintain", "--db", str(db))
    assert absent.returncode == 1 and str(db) in absent.stderr and not db.exists()
    run("seed", "--db", str(db))
    done = run("--lang", "en", "maintain", "--db", str(db))
    assert done.returncode == 0 and "checkpointed" in done.stdout
    refused = run("maintain", "--grace", "-5", "--db", str(db))
    assert refused.returncode == 1 and "--grace" in refused.stderr
    assert "Traceback" not in refused.stderr
