"""The store: idempotent imports, dry runs, rollback, as-of reads, scope, atomic writes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from metrics.base.access import Actor
from metrics.base.config import ROOT
from metrics.base.errors import AccessDenied, StoreError, ValidationError
from metrics.presentation.i18n import said
from metrics.presentation.summaries import import_summary
from metrics.storage.store import Store
from tests.conftest import ADMIN, base_workbook, embedded_only
from tests.lake import db_at


def current(store: Store, **kwargs: object) -> dict[tuple[str, str, str], float]:
    frame = store.observations(ADMIN, **kwargs)  # type: ignore[arg-type]
    return {(r.indicator, r.period, r.stakeholder): r.value for r in frame.itertuples()}


def test_import_counts_and_values(fresh_store: Store) -> None:
    result = fresh_store.import_file(base_workbook(), "base.xlsx", Actor.system("alice"))
    # 1 alliance + 2 stakeholders + 3 observations + 1 target
    assert result.plan.counts == {"added": 7, "changed": 0, "unchanged": 0}
    assert result.upload_id == 1
    assert current(fresh_store) == {
        ("jobs_created", "2023", ""): 10.0,
        ("jobs_created", "2024", ""): 14.0,
        ("recruitment_cost_saved", "2024", "Entreprise A"): 5000.0,
    }
    alliance = fresh_store.alliances(ADMIN).iloc[0]
    assert (alliance["name"], alliance["territory_code"], alliance["population"]) == (
        "Alliance test",
        "62498",
        32000,
    )
    assert alliance["last_period"].year == 2024
    target = fresh_store.targets(ADMIN).iloc[0]
    assert (target.baseline, target.target, target.target_period) == (10.0, 30.0, "2026")


def test_original_bytes_and_hash_are_kept(base_store: Store) -> None:
    upload = base_store.uploads(ADMIN).iloc[0]
    name, content = base_store.upload_file(int(upload["id"]), ADMIN)
    assert name == "base.xlsx" and content == base_workbook()
    assert upload["sha256"] == hashlib.sha256(content).hexdigest()
    assert upload["size"] == len(content) and upload["uploaded_by"] == "test"


def test_reimport_changes_nothing(base_store: Store) -> None:
    before = current(base_store)
    result = base_store.import_file(base_workbook(), "again.xlsx", Actor.system("test"))
    assert result.upload_id is None
    assert result.plan.counts == {"added": 0, "changed": 0, "unchanged": 7}
    assert len(base_store.uploads(ADMIN)) == 1
    assert current(base_store) == before


def test_dry_run_writes_nothing(base_store: Store) -> None:
    changed = base_workbook(
        [
            ["Alliance test", "jobs_created", "2023", 11, "", ""],
            ["Alliance test", "jobs_created", "2025", 20, "", ""],
        ]
    )
    before = current(base_store)
    result = base_store.import_file(changed, "next.xlsx", Actor.system("test"), dry_run=True)
    assert result.upload_id is None and result.dry_run
    assert result.plan.counts["changed"] == 1 and result.plan.counts["added"] == 1
    assert "Simulation" in import_summary(result, "fr")
    assert "Dry run" in import_summary(result, "en")
    assert current(base_store) == before
    assert len(base_store.uploads(ADMIN)) == 1


def test_change_then_rollback_restores_previous_values(base_store: Store) -> None:
    changed = base_workbook(
        [
            ["Alliance test", "jobs_created", "2023", 11, "", ""],
            ["Alliance test", "jobs_created", "2025", 20, "", ""],
        ],
        targets=[["Alliance test", "jobs_created", "2023", 10, "2026", 40]],
    )
    result = base_store.import_file(changed, "next.xlsx", Actor.system("test"))
    assert result.upload_id == 2
    after = current(base_store)
    assert after[("jobs_created", "2023", "")] == 11.0
    assert after[("jobs_created", "2025", "")] == 20.0
    assert base_store.targets(ADMIN).iloc[0]["target"] == 40.0

    base_store.rollback(2, Actor.system("bob"))
    restored = current(base_store)
    assert restored == current(base_store, as_of=1)
    assert restored[("jobs_created", "2023", "")] == 10.0
    assert ("jobs_created", "2025", "") not in restored
    assert base_store.targets(ADMIN).iloc[0]["target"] == 30.0
    history = base_store.uploads(ADMIN).set_index("id")
    assert history.at[2, "rolled_back_by"] == "bob"
    # The rolled-back file is still there, byte for byte.
    assert base_store.upload_file(2, ADMIN)[1] == changed
    with pytest.raises(StoreError):
        base_store.rollback(2, Actor.system("bob"))
    with pytest.raises(StoreError):
        base_store.rollback(99, Actor.system("bob"))


def test_as_of_reads_each_state(base_store: Store) -> None:
    second = base_workbook([["Alliance test", "jobs_created", "2023", 11, "", ""]])
    third = base_workbook([["Alliance test", "jobs_created", "2023", 12, "", ""]])
    base_store.import_file(second, "2.xlsx", Actor.system("test"))
    base_store.import_file(third, "3.xlsx", Actor.system("test"))
    key = ("jobs_created", "2023", "")
    assert [current(base_store, as_of=i)[key] for i in (1, 2, 3)] == [10.0, 11.0, 12.0]
    # Rolling back upload 2 later does not rewrite what the data looked like after upload 2.
    base_store.rollback(2, Actor.system("test"))
    assert current(base_store, as_of=2)[key] == 11.0
    assert current(base_store)[key] == 12.0
    base_store.rollback(3, Actor.system("test"))
    assert current(base_store)[key] == 10.0


def test_refused_file_writes_nothing(base_store: Store) -> None:
    bad = base_workbook(
        [
            ["Alliance test", "jobs_created", "2023", "onze", "", ""],
            ["Alliance test", "jobs_created", "2030", 3, "", ""],
        ]
    )
    with pytest.raises(ValidationError) as caught:
        base_store.import_file(bad, "bad.xlsx", Actor.system("test"))
    assert len(caught.value.problems) == 1 and caught.value.problems[0].row == 2
    assert len(base_store.uploads(ADMIN)) == 1
    assert ("jobs_created", "2030", "") not in current(base_store)


def test_failed_write_leaves_data_as_it_was(
    base_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from metrics.storage import inserts

    before = current(base_store)
    broken = inserts.INSERT_TARGETS.replace("INSERT INTO target", "INSERT INTO no_table")
    monkeypatch.setattr(inserts, "INSERT_TARGETS", broken)
    changed = base_workbook(
        [["Alliance test", "jobs_created", "2023", 99, "", ""]],
        targets=[["Alliance test", "jobs_created", "2023", 10, "2026", 50]],
    )
    with pytest.raises(StoreError) as caught:
        base_store.import_file(changed, "x.xlsx", Actor.system("test"))
    assert "left as it was" in said(caught.value, "en")
    assert current(base_store) == before
    assert len(base_store.uploads(ADMIN)) == 1


def test_an_account_reads_only_its_alliances(demo_store: Store) -> None:
    names = demo_store.alliance_names(ADMIN)
    assert len(names) >= 5
    mine = Actor("v@x.org", roles=frozenset({(names[0], "viewer")}))
    assert demo_store.alliance_names(mine) == [names[0]]
    assert set(demo_store.observations(mine)["alliance"]) == {names[0]}
    assert set(demo_store.targets(mine)["alliance"]) <= {names[0]}
    assert set(demo_store.stakeholders(mine)["alliance"]) == {names[0]}
    with pytest.raises(AccessDenied):
        demo_store.observations(mine, alliance=names[1])
    nobody = Actor("n@x.org")
    assert demo_store.alliances(nobody).empty and demo_store.uploads(nobody).empty
    assert demo_store.observations(nobody).empty


def test_reopen_keeps_data_and_does_not_remigrate(tmp_path: Path) -> None:
    path = db_at(tmp_path / "x.duckdb")
    with Store(path) as store:
        store.import_file(base_workbook(), "b.xlsx", Actor.system("t"))
        version = store.schema_version()
    with Store(path) as store:
        assert store.schema_version() == version >= 1
        assert len(store.observations(ADMIN)) == 3


@embedded_only
def test_a_process_stopped_without_closing_leaves_a_database_that_opens(tmp_path: Path) -> None:
    """A process killed after creating the database (before DuckDB's next checkpoint) and
    after an import: the next one opens it, with the data (the migrations' ALTER TABLE
    statements are in the file, not in the write-ahead log DuckDB fails to replay)."""
    import subprocess
    import sys

    path = tmp_path / "stopped.duckdb"
    code = (
        "import os, sys; sys.path.insert(0, '.');"
        "from metrics.storage.store import Store; from metrics.base.access import Actor;"
        "from tests.conftest import base_workbook;"
        f"s = Store({str(path)!r});"
        "s.import_file(base_workbook(), 'b.xlsx', Actor.system('t'));"
        "os._exit(0)"  # no close, no checkpoint: as a killed process
    )
    env = {**os.environ, "IMPACT_PARSE_IN_PROCESS": "1"}
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env, timeout=120)
    with Store(path) as store:
        assert len(store.observations(ADMIN)) == 3


@embedded_only
def test_second_process_gets_a_clear_error_after_waiting(tmp_path: Path) -> None:
    """While a process holds the file, another waits for it (here 1 s), then is told to
    retry, not to close anything."""
    import os
    import subprocess
    import sys

    path = tmp_path / "locked.duckdb"
    with Store(path):
        code = (
            "from metrics.storage.store import Store\n"
            "from metrics.base.errors import StoreError\n"
            "from metrics.presentation.i18n import said\n"
            f"try:\n    Store({str(path)!r})\nexcept StoreError as e:\n"
            "    print(said(e, 'fr'))\n    print(said(e, 'en'))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            cwd=Path(__file__).parent.parent,
            timeout=60,
            env={**os.environ, "IMPACT_DB_WAIT": "1"},
        )
    french, english = out.stdout.strip().splitlines()
    assert "restée occupée 1 s" in french and "réessayez dans un instant" in french, out.stderr
    assert "try again in a moment" in english


@embedded_only
def test_a_command_waits_for_the_app_to_let_go_of_the_file(tmp_path: Path) -> None:
    """The app holds the file while it computes a page; an import from the command line
    started then says it waits, and lands as soon as the file is free; the app's next read
    sees it."""
    import subprocess
    import sys
    import time

    from tests.conftest import xlsx

    path = tmp_path / "shared.duckdb"
    app = Store(path)
    file = tmp_path / "a.xlsx"
    file.write_bytes(xlsx({"alliances": [["Alliance attendue", "Arras", "", "", "", "", ""]]}))
    with app.held():  # a page being computed
        command = subprocess.Popen(
            [sys.executable, "-m", "metrics", "import", str(file), "--db", str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).parent.parent,
        )
        time.sleep(3)
        assert command.poll() is None  # still waiting
    out, err = command.communicate(timeout=60)
    assert command.returncode == 0, err
    assert "en attente" in err and "Import n° 1" in out
    assert "Alliance attendue" in app.alliance_names(ADMIN)


def test_workbook_indicator_extends_catalog(fresh_store: Store) -> None:
    from metrics.sheets.workbook import EXAMPLES
    from tests.conftest import xlsx

    # The template's example definition, kept by a user who wants that indicator.
    definition = xlsx({"indicators": EXAMPLES["indicators"]})
    fresh_store.import_file(definition, "indicateur.xlsx", Actor.system("t"))
    row = fresh_store.indicators(ADMIN).set_index("code").loc["apprentices_hired"]
    assert (row.label_en, row.dimension, row.builtin) == ("Apprentices hired", "performance", False)


def test_rolling_back_the_upload_that_created_an_alliance_removes_it(base_store: Store) -> None:
    from tests.conftest import xlsx

    new = [["Alliance neuve", "Lens", "62498", 1000, "emploi", "2020", ""]]
    values = [["Alliance neuve", "jobs_created", "2024", 5, "", ""]]
    created = base_store.import_file(
        xlsx({"alliances": new, "observations": values}), "n.xlsx", ADMIN
    )
    assert "Alliance neuve" in base_store.alliance_names(ADMIN)
    base_store.rollback(int(created.upload_id), ADMIN)
    # Gone from the lists, and from the names a file may use without declaring them.
    assert base_store.alliance_names(ADMIN) == ["Alliance test"]
    assert "alliance neuve" not in base_store.known(ADMIN).alliances
    with pytest.raises(ValidationError) as refused:
        base_store.import_file(xlsx({"observations": values}), "v.xlsx", ADMIN)
    assert [p.value for p in refused.value.problems] == ["Alliance neuve"]
    # Declared again, it is back, with the new upload's values only.
    again = base_store.import_file(
        xlsx({"alliances": new, "observations": values}), "n2.xlsx", ADMIN
    )
    assert again.upload_id is not None
    assert "Alliance neuve" in base_store.alliance_names(ADMIN)
    # Rolled back, an upload that created an alliance leaves it while a later upload holds its
    # rows (here the values of the upload that declared it again).
    later = [["Alliance neuve", "jobs_created", "2025", 7, "", ""]]
    base_store.import_file(xlsx({"observations": later}), "l.xlsx", ADMIN)
    base_store.rollback(int(again.upload_id), ADMIN)
    assert "Alliance neuve" in base_store.alliance_names(ADMIN)
    values_now = base_store.observations(ADMIN, "Alliance neuve")
    assert values_now[["period", "value"]].values.tolist() == [["2025", 7.0]]


def test_rolling_back_the_upload_that_declared_an_indicator_or_a_partner_removes_them(
    base_store: Store,
) -> None:
    """What an upload created and nothing else uses goes with it: the indicator leaves the
    catalogue and the codes a file may use, the partner its alliance; what another upload
    still standing declared or uses stays."""
    from metrics.sheets.workbook import EXAMPLES
    from tests.conftest import xlsx

    definition = EXAMPLES["indicators"]
    partner = [["Alliance test", "Partenaire neuf", "entreprise"]]
    created = base_store.import_file(
        xlsx({"indicators": definition, "stakeholders": partner}), "i.xlsx", ADMIN
    )
    assert "apprentices_hired" in set(base_store.indicators(ADMIN)["code"])
    assert "Partenaire neuf" in set(base_store.stakeholders(ADMIN)["stakeholder"])
    base_store.rollback(int(created.upload_id), ADMIN)
    assert "apprentices_hired" not in set(base_store.indicators(ADMIN)["code"])
    assert "apprentices_hired" not in base_store.known(ADMIN).indicators
    assert "Partenaire neuf" not in set(base_store.stakeholders(ADMIN)["stakeholder"])
    # Declared again with values in a later upload: rolling back the declaration leaves it,
    # as the values still use it.
    again = base_store.import_file(xlsx({"indicators": definition}), "i2.xlsx", ADMIN)
    values = [["Alliance test", "apprentices_hired", "2024", 3, "", ""]]
    base_store.import_file(xlsx({"observations": values}), "v.xlsx", ADMIN)
    base_store.rollback(int(again.upload_id), ADMIN)
    row = base_store.indicators(ADMIN).set_index("code").loc["apprentices_hired"]
    assert row.label_en == "Apprentices hired"
    # Built-in indicators never leave.
    assert {"jobs_created", "partner_trust"} <= set(base_store.indicators(ADMIN)["code"])


@embedded_only
def test_the_file_is_open_only_while_held(tmp_path: Path) -> None:
    """Open while a holder (a page's run, a command) is at work, let go after; a close in the
    middle of a hold does not leave the store unable to open again."""
    store = Store(tmp_path / "held.duckdb")
    assert store.db.opened is None  # let go after opening (migrations, catalog)
    with store.held(), store.held():
        assert store.db.opened is not None
        store.alliances(ADMIN)  # a query inside reuses the opening
    assert store.db.opened is None
    with store.held():
        store.close()
    assert store.db.opened is None
    assert store.alliances(ADMIN).empty  # opens again for the query
    assert store.db.opened is None


@embedded_only
def test_the_app_lets_go_of_the_file_a_moment_after_its_last_run(tmp_path: Path) -> None:
    import time

    store = Store(tmp_path / "linger.duckdb", linger=0.3)
    time.sleep(0.5)
    assert store.db.opened is None
    with store.held():
        opened = store.db.opened
    assert store.db.opened is opened  # a run just ended: still open...
    with store.held():  # ...for the next one, the same opening
        assert store.db.opened is opened
    time.sleep(0.6)
    assert store.db.opened is None  # let go: another process may open it


@embedded_only
def test_the_app_gives_way_to_a_command_waiting_for_the_file(tmp_path: Path) -> None:
    """A command waiting for the file keeps a mark beside it: the app's last run lets go at
    once instead of lingering, and a new run waits (saying so) until the command is done."""
    import threading
    import time

    path = tmp_path / "way.duckdb"
    said: list[str] = []
    app = Store(path, linger=5.0, waiting=lambda: said.append("waiting"))
    mark = path.with_name(path.name + ".waiting")
    with app.held():  # a run, during which a command starts waiting
        mark.touch()  # (as it does at each try)
    assert app.db.opened is None  # let go at once, not in 5 s
    threading.Timer(0.5, mark.unlink).start()  # the command is done
    start = time.monotonic()
    with app.held():
        assert time.monotonic() - start >= 0.4 and said == ["waiting"]
        assert app.db.opened is not None
