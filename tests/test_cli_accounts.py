"""The accounts side of the CLI: init, users, portfolio, validate, audit, and the audit log of a
whole journey, each action once."""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from metrics import cli
from metrics.base import clock, config
from metrics.base.errors import AccessDenied
from metrics.storage.store import Store
from metrics.usecases import auth
from tests.conftest import xlsx
from tests.lake import db_at
from tests.test_access import A, B, planted_workbook

PASSWORD = "a long enough password"


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The real command, in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "metrics", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=config.ROOT,
        timeout=120,
    )


def call(*args: str, stdin: str = "") -> tuple[int, str, str]:
    """The same command in this process (faster), with its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(list(args))
    finally:
        sys.stdin = old_stdin
    return code, out.getvalue(), err.getvalue()


def test_init_makes_a_real_install(tmp_path: Path) -> None:
    db = str(db_at(tmp_path / "real.duckdb"))
    done = run(
        "init", "--admin", "Chair@Example.org", "--db", db, "--password-stdin", stdin=PASSWORD
    )
    assert done.returncode == 0, done.stderr
    assert "chair@example.org" in done.stdout
    again = run(
        "init", "--admin", "other@example.org", "--db", db, "--password-stdin", stdin=PASSWORD
    )
    assert again.returncode == 1 and "users add" in again.stderr and "Traceback" not in again.stderr
    short = run(
        "init",
        "--admin",
        "x@example.org",
        "--db",
        str(db_at(tmp_path / "b.duckdb")),
        "--password-stdin",
        stdin="short",
    )
    assert short.returncode == 1 and "15" in short.stderr
    with Store(db) as store:
        assert store.setting(auth.INSTALLATION) == "production"
        assert store.alliances(auth.Actor.system("t")).empty  # no sample data, no demo account
        assert list(store.accounts(auth.Actor.system("t"))["email"]) == ["chair@example.org"]
        assert auth.sign_in(store, "chair@example.org", PASSWORD).actor.admin


def test_weak_passwords_are_refused_wherever_a_password_is_set(tmp_path: Path) -> None:
    db = str(db_at(tmp_path / "weak.duckdb"))
    for password in ("aaaaaaaaaa", "1234567890", " " * 10, "chair@example.org"):
        code, _, err = call(
            "--lang", "en", "init", "--admin", "chair@example.org", "--db", db,
            "--password-stdin", stdin=password,
        )  # fmt: skip
        assert code == 1 and "assword" in err and "Traceback" not in err, (password, err)
    code, _, err = call(
        "init", "--admin", "chair@example.org", "--db", db, "--password-stdin",
        stdin="chair@example.org et son mot de passe",
    )  # fmt: skip
    assert code == 1 and "adresse e-mail du compte" in err
    assert call("init", "--admin", "chair@example.org", "--db", db, "--password-stdin",
                stdin=PASSWORD)[0] == 0  # fmt: skip
    code, _, err = call(
        "--lang", "en", "users", "add", "ed@example.org", "--name", "Ed", "--db", db,
        "--password-stdin", stdin="ed@example.org and more words",
    )  # fmt: skip
    assert code == 1 and "e-mail address" in err
    with Store(db) as store:
        assert store.account("ed@example.org") is None


def test_users_unlock_lifts_the_account_wide_limit(tmp_path: Path) -> None:
    db = str(db_at(tmp_path / "unlock.duckdb"))
    assert call("init", "--admin", "chair@example.org", "--db", db, "--password-stdin",
                stdin=PASSWORD)[0] == 0  # fmt: skip
    with Store(db) as store:
        with store.db.transaction() as cur:  # failures from a hundred clients
            for i in range(auth.ACCOUNT_LIMIT):
                details = {"method": "password", "client": f"192.0.2.{i}"}
                chair = "chair@example.org"
                store.audit_log.add(cur, chair, "sign_in_failed", chair, details, "refused")
        with pytest.raises(AccessDenied):
            auth.sign_in(store, "chair@example.org", PASSWORD, client="198.51.100.7")
    code, out, _ = call("--lang", "en", "users", "unlock", "chair@example.org", "--db", db)
    assert code == 0 and "Sign-in restored for chair@example.org" in out
    with Store(db) as store:
        assert auth.sign_in(store, "chair@example.org", PASSWORD, client="198.51.100.7")


def test_users_portfolio_and_list(tmp_path: Path) -> None:
    db = str(db_at(tmp_path / "u.duckdb"))
    book = tmp_path / "reseau.xlsx"
    book.write_bytes(planted_workbook())
    assert call("import", str(book), "--db", db, "--validate")[0] == 0
    assert (
        call(
            "users",
            "add",
            "ed@example.org",
            "--name",
            "Ed",
            "--db",
            db,
            "--password-stdin",
            stdin=PASSWORD,
        )[0]
        == 0
    )
    assert call("users", "grant", "ed@example.org", "editor", "--alliance", A, "--db", db)[0] == 0
    assert (
        call("users", "add", "fu@example.org", "--name", "Fu", "--account-lang", "en", "--db", db)[
            0
        ]
        == 0
    )
    assert call("portfolio", "add", "Nord", A, B, "--db", db)[0] == 0
    assert (
        call("users", "grant", "fu@example.org", "funder", "--portfolio", "Nord", "--db", db)[0]
        == 0
    )
    code, out, _ = call("users", "list", "--db", db)
    listed = {a["email"]: a for a in json.loads(out)}
    assert listed["ed@example.org"]["grants"] == [{"role": "editor", "alliance": A}]
    assert listed["ed@example.org"]["password"] is True
    assert listed["fu@example.org"] == {
        "email": "fu@example.org",
        "name": "Fu",
        "lang": "en",
        "status": "active",
        "password": False,
        "grants": [{"role": "funder", "portfolio": "Nord"}],
    }
    # refusals: non-zero exit, a message that says what to fix, no traceback
    for args, text in (
        (("users", "grant", "ed@example.org", "lead"), "granted on an alliance"),
        (("users", "grant", "nobody@example.org", "viewer", "--alliance", A), "No account"),
        (("users", "revoke", "ed@example.org", "viewer", "--alliance", A), "nothing to revoke"),
        (("portfolio", "add", "Nord", "Nulle part"), "Unknown alliance"),
    ):
        code, _, err = call("--lang", "en", *args, "--db", db)
        assert code == 1 and text in err and "Traceback" not in err, args
    assert call("users", "revoke", "ed@example.org", "editor", "--alliance", A, "--db", db)[0] == 0
    assert call("users", "disable", "fu@example.org", "--db", db)[0] == 0
    listed = {a["email"]: a for a in json.loads(call("users", "list", "--db", db)[1])}
    assert (
        listed["ed@example.org"]["grants"] == []
        and listed["fu@example.org"]["status"] == "disabled"
    )


def test_a_cli_import_is_submitted_unless_validated(tmp_path: Path) -> None:
    db = str(db_at(tmp_path / "v.duckdb"))
    book = tmp_path / "reseau.xlsx"
    book.write_bytes(planted_workbook())
    code, out, _ = call("import", str(book), "--db", db)
    assert code == 0 and "Import n° 1 (soumis, à valider)" in out
    code, out, _ = call("validate", "1", "--db", db)
    assert code == 0 and "validé" in out
    code, _, err = call("--lang", "en", "validate", "1", "--db", db)
    assert code == 1 and "already validated" in err


def test_every_action_of_a_journey_is_in_the_audit_log_once(tmp_path: Path) -> None:
    """Accounts, sign-ins (one failed, a lockout), uploads (one refused), validation, rollback,
    download, export: ``python -m metrics audit`` lists each, with who, what and the outcome."""
    db = db_at(tmp_path / "journey.duckdb")
    me = getpass.getuser()
    book = tmp_path / "reseau.xlsx"
    book.write_bytes(planted_workbook())
    steps = [
        ("init", "--admin", "chair@example.org", "--password-stdin"),
        ("import", str(book), "--validate"),
        ("users", "add", "ed@example.org", "--name", "Ed", "--password-stdin"),
        ("users", "grant", "ed@example.org", "editor", "--alliance", A),
        ("users", "add", "fu@example.org", "--name", "Fu"),
        ("portfolio", "add", "Nord", A, B),
        ("users", "grant", "fu@example.org", "funder", "--portfolio", "Nord"),
        ("users", "revoke", "fu@example.org", "funder", "--portfolio", "Nord"),
        ("users", "disable", "fu@example.org"),
        ("users", "enable", "fu@example.org"),
    ]
    for step in steps:
        code, _, err = call(*step, "--db", str(db), stdin=PASSWORD)
        assert code == 0, (step, err)
    with Store(db) as store:
        opened = auth.sign_in(store, "ed@example.org", PASSWORD)
        ed = opened.actor
        with pytest.raises(AccessDenied):
            auth.sign_in(store, "ed@example.org", "wrong password")
        other = xlsx({"observations": [[B, "jobs_created", "2026", 1, "", ""]]})
        with contextlib.suppress(Exception):
            store.import_file(other, "b.xlsx", ed)  # B is not Ed's: refused
        mine = xlsx({"observations": [[A, "jobs_created", "2026", 1, "", ""]]})
        store.import_file(mine, "a.xlsx", ed)
        store.upload_file(2, ed)
        store.rollback(2, ed)
        store.end_session(opened.token, dt.datetime.now(), "sign_out", ed.email)
        for _ in range(5):
            with contextlib.suppress(AccessDenied):
                auth.sign_in(store, "fu@example.org", "no password at all")
        with pytest.raises(AccessDenied):
            auth.sign_in(store, "fu@example.org", "still no password")
    assert call("validate", "1", "--db", str(db))[0] == 1  # already validated: nothing logged
    assert (
        call("export", "--out", str(tmp_path / "e.csv"), "--as", "ed@example.org", "--db", str(db))[
            0
        ]
        == 0
    )

    done = run("audit", "--db", str(db))
    assert done.returncode == 0, done.stderr
    log = [json.loads(line) for line in done.stdout.splitlines()]
    got = [(e["account"], e["action"], e["object"], e["outcome"]) for e in log]
    expected = [
        ("init", "account_add", "chair@example.org", "ok"),
        ("init", "grant", "chair@example.org", "ok"),
        (me, "upload", "#1", "ok"),
        (me, "account_add", "ed@example.org", "ok"),
        (me, "grant", "ed@example.org", "ok"),
        (me, "account_add", "fu@example.org", "ok"),
        (me, "portfolio_add", "Nord", "ok"),
        (me, "grant", "fu@example.org", "ok"),
        (me, "revoke", "fu@example.org", "ok"),
        (me, "account_disable", "fu@example.org", "ok"),
        (me, "account_enable", "fu@example.org", "ok"),
        ("ed@example.org", "sign_in", "ed@example.org", "ok"),
        ("ed@example.org", "sign_in_failed", "ed@example.org", "refused"),
        ("ed@example.org", "upload", "b.xlsx", "refused"),
        ("ed@example.org", "upload", "#2", "ok"),
        ("ed@example.org", "download", "#2", "ok"),
        ("ed@example.org", "rollback", "#2", "ok"),
        ("ed@example.org", "sign_out", "ed@example.org", "ok"),
        *[("fu@example.org", "sign_in_failed", "fu@example.org", "refused")] * 5,
        ("fu@example.org", "sign_in_locked", "fu@example.org", "refused"),
        (me, "export", "e.csv", "ok"),
    ]
    assert got == expected
    # Times in the installation's zone, with its offset (Europe/Paris: +01:00 or +02:00).
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00", e["time"]) for e in log)
    assert log[-1]["details"] == {"alliance": None, "as": "ed@example.org", "rows": 5}
    assert json.loads(json.dumps(log[13]["details"]))["outside_grants"] == [B]
    # --since keeps the log from a date on
    # the installation's tomorrow: at 00:30 in Paris, UTC still says yesterday
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    assert run("audit", "--since", tomorrow, "--db", str(db)).stdout == ""


def test_the_readme_lists_every_command() -> None:
    """Docs as tests: each command and sub-command of the CLI is in the README's list."""
    import argparse

    readme = (config.ROOT / "README.md").read_text(encoding="utf-8")
    parser = cli._parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in commands.choices.items():
        actions = [a for a in sub._actions if isinstance(a, argparse._SubParsersAction)]
        names = [f"{name} {n}" for n in actions[0].choices] if actions else [name]
        for command in names:
            first, *rest = command.split()
            pattern = rf"python -m metrics {first}\b" + (rf"[^\n]*\b{rest[0]}\b" if rest else "")
            assert re.search(pattern, readme), command


def test_an_import_shows_its_stages_in_a_terminal(tmp_path: Path) -> None:
    from metrics.cli import _stages

    err = io.StringIO()
    report = _stages("en")
    with contextlib.redirect_stderr(err):
        for fraction, stage in (
            (0.05, "progress.reading"),
            (0.3, "progress.checking"),
            (0.6, "progress.checking"),
            (1.0, "progress.done"),
        ):
            report(fraction, stage)
    assert err.getvalue().splitlines() == [
        "[  5%] Reading the file…",
        "[ 30%] Checking the rows…",
        "[100%] Check complete.",
    ]
