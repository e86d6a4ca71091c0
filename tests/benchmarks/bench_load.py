"""Benchmark: a steering meeting of twenty, all clicking at once, and funders on their portfolio.

Run: ``python tests/benchmarks/bench_load.py [--people 1 5 10 20] [--import-rows 50000]
[--validate] [--backend ducklake --processes 2] [--server-option runner.postScriptGC=true]``.
Not part of the test suite (tests never assert times).

The app as the README starts it (``python -m ui.serve``) on the demo database: one process on
a DuckDB file, or on the shared backend (``--backend ducklake``: DuckLake, its catalog in the
tests' PostgreSQL) as many processes as ``--processes`` behind the README's sticky proxy (nginx).
Each person has an account, a session and a browser tab of their own: a client that speaks
Streamlit's WebSocket protocol as the browser does (``stclient.Tab``). At each step every person
sends their click at the same moment and waits for the page to finish; the figures are the time
from the click to the end of the run, as each person waits for it.

Scenarios:

- a meeting: the committee's members (viewers, editors and a lead of the demo alliance) open the
  dashboard, switch it to the quarterly view, open the partners page, then the trust page;
- funders (each with the demo portfolio) open the portfolio, then the comparison;
- with ``--import-rows N``: the meeting again while a command-line import of N values of other
  alliances lands (started with the first step): the pages' data changes under them.

Before each step of a crowd, a value of another alliance is imported (new data: the first run
of the crowd computes the page, the others share it). Each step's median, 95th percentile and
maximum are printed with their ratio to one person alone, the same step on the same server with
nobody else: right after new data (their run computes the page: the like-for-like ratio) and
with the page already computed; with the servers' CPU time per page run and their memory.
Goals (issue "a meeting of twenty"): at 20 people, each step's median within 4x and its slowest
within 8x of one person alone, no run failing; CPU per page run a third of before.

``--validate`` first runs the meeting's steps in Chromium, as a person would click them, and
checks that the client gets the same page: the same number of charts, no exception.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stclient import FINISHED_RERUN, Run, Tab  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from metrics.base import config  # noqa: E402
from metrics.base.access import Actor  # noqa: E402
from metrics.presentation.i18n import t  # noqa: E402
from metrics.storage.store import Store  # noqa: E402
from metrics.usecases import auth  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
# The committee's roles, in turn: most read, a few contribute, one leads.
MEETING_ROLES = ("viewer", "viewer", "editor", "viewer", "lead")


def quarterly() -> WidgetState:
    """The granularity's segmented control set to quarters (its option's label, as the
    browser sends it)."""
    state = WidgetState()
    state.string_array_value.data.append(t("granularity.quarter", "fr"))
    return state


@dataclass(frozen=True)
class Step:
    """One click of a scenario: a page opened (``key`` empty) or a widget changed on it."""

    name: str
    address: str
    key: str = ""
    state: Callable[[], WidgetState] | None = None

    def on(self, tab: Tab) -> Run:
        if not self.key or self.state is None:
            return tab.open(self.address)
        return tab.click(self.key, self.state())


MEETING = (
    Step("dashboard", "tableau-de-bord"),
    Step("quarterly view", "tableau-de-bord", "dashboard_granularity__fr", quarterly),
    Step("stakeholders", "partenaires"),
    Step("trust", "confiance"),
)
FUNDERS = (Step("portfolio", "portefeuille"), Step("compare", "comparer"))


# -- the database, the accounts and their sessions -------------------------------------------


def database(folder: Path, backend: str) -> str:
    """Where the app's data is: a DuckDB file in ``folder``, or a new shared backend (DuckLake,
    its catalog in the tests' PostgreSQL: ``$IMPACT_TEST_PG`` or a cluster started for it,
    its data files in ``folder``)."""
    if backend == "duckdb":
        return str(folder / "impact.duckdb")
    from tests import lake

    name = f"bench_load_{os.getpid()}"
    lake.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    lake.sql(f'CREATE DATABASE "{name}"')
    os.environ[config.ENV_DATA_PATH] = str(folder / "lake")
    return lake.url(name)


def demo_database(target: str, people: int) -> tuple[list[str], list[str]]:
    """The demo at ``target`` with ``people`` committee members and as many funders, each
    signed in once: (the members' session tokens, the funders')."""
    setup = Actor.system("bench")
    members, funders = [], []
    with Store(target) as store:
        auth.seed_demo(store)
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for n in range(people):
            member, funder = f"member{n:02d}@bench.example", f"funder{n:02d}@bench.example"
            store.add_account(setup, member, f"Member {n}")
            store.grant(setup, member, MEETING_ROLES[n % 5], auth.DEMO_ALLIANCE)
            store.add_account(setup, funder, f"Funder {n}")
            store.grant(setup, funder, "funder", portfolio=auth.DEMO_PORTFOLIO)
            members.append(store.open_session(member, "password", now))
            funders.append(store.open_session(funder, "password", now))
    return members, funders


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """The app's processes (their CPU time and memory are read from /proc) and the address
    the people use (the proxy's, in front of several)."""

    url: str
    pids: list[int]

    def cpu(self) -> float:
        total = 0.0
        for pid in self.pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
        return total

    def memory_mb(self) -> tuple[float, float]:
        """(resident now, peak resident) in MB, every process together."""
        rss = peak = 0.0
        for pid in self.pids:
            status = Path(f"/proc/{pid}/status").read_text()
            rss += int(status.split("VmRSS:")[1].split()[0]) / 1024
            peak += int(status.split("VmHWM:")[1].split()[0]) / 1024
        return rss, peak


def healthy(url: str, log: Path) -> None:
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(log.read_text())


# The README's sticky proxy ("Run it for a network"), on loopback ports: a browser signed in
# stays on the process its session cookie hashes to.
NGINX = """daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
    upstream impact {{
        hash $cookie_impact_session consistent;
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://impact;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 1d;
        }}
    }}
}}
"""


@contextmanager
def served(target: str, folder: Path, options: list[str], processes: int) -> Iterator[Server]:
    """The app as the README starts it (``python -m ui.serve``) on ``target``: one process, or
    ``processes`` behind the README's sticky proxy (nginx)."""
    env = dict(os.environ, **{config.ENV_DB: target, "IMPACT_TRUSTED_PROXIES": "127.0.0.1"})
    extra = [f"--{o.split('=')[0]}={o.split('=', 1)[1]}" for o in options]
    ports = [free_port() for _ in range(processes)]
    started: list[subprocess.Popen[bytes]] = []
    try:
        for n, port in enumerate(ports):
            log = folder / f"server{n}.log"
            started.append(
                subprocess.Popen(
                    [
                        *(sys.executable, "-m", "ui.serve", "--server.port", str(port)),
                        *("--server.address", "127.0.0.1", "--server.headless", "true", *extra),
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log.open("w"),
                    stderr=subprocess.STDOUT,
                )
            )
            healthy(f"http://127.0.0.1:{port}", log)
        pids = [p.pid for p in started]
        if processes == 1:
            yield Server(f"http://127.0.0.1:{ports[0]}", pids)
            return
        port = free_port()
        servers = "\n".join(f"        server 127.0.0.1:{p};" for p in ports)
        conf = folder / "nginx.conf"
        conf.write_text(NGINX.format(folder=folder, servers=servers, port=port))
        nginx = subprocess.Popen(
            [shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            healthy(f"http://127.0.0.1:{port}", folder / "nginx.log")
            yield Server(f"http://127.0.0.1:{port}", pids)
        finally:
            nginx.terminate()
            nginx.wait(timeout=30)
    finally:
        for process in started:
            process.terminate()
            process.wait(timeout=30)


# -- a scenario --------------------------------------------------------------------------------


@dataclass
class Figures:
    """One step's runs at one number of people."""

    step: str
    people: int
    seconds: list[float]
    failed: int
    cpu: float  # the server's CPU seconds over the step

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def slowest(self) -> float:
        return max(self.seconds)


def together(tabs: list[Tab], step: Step) -> tuple[list[Run], list[BaseException]]:
    """Every tab clicks ``step`` at the same moment; each run as its person waited for it."""
    runs: list[Run | None] = [None] * len(tabs)
    errors: list[BaseException] = []
    gate = threading.Barrier(len(tabs))

    def click(n: int) -> None:
        gate.wait()
        try:
            runs[n] = step.on(tabs[n])
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=click, args=(n,)) for n in range(len(tabs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [r for r in runs if r is not None], errors


def scenario(
    server: Server,
    tokens: list[str],
    steps: tuple[Step, ...],
    before: Callable[[int], None] | None = None,
) -> list[Figures]:
    """The steps of a scenario, each clicked by every person at once; ``before(n)`` is called
    before step ``n`` (new data arriving)."""
    tabs = [Tab(server.url, token) for token in tokens]
    try:
        figures = []
        for n, step in enumerate(steps):
            if before is not None:
                before(n)
            cpu = server.cpu()
            runs, errors = together(tabs, step)
            cpu = server.cpu() - cpu
            failed = len(errors) + sum(r.failed for r in runs)
            for e in errors[:1]:
                print(f"    {step.name}: {type(e).__name__}: {e}")
            for r in runs:
                for message in r.exceptions[:1]:
                    print(f"    {step.name}: the page showed an exception: {message[:200]}")
            figures.append(Figures(step.name, len(tabs), [r.seconds for r in runs], failed, cpu))
        return figures
    finally:
        for tab in tabs:
            tab.close()


def warm(server: Server, token: str, steps: tuple[Step, ...]) -> None:
    tab = Tab(server.url, token)
    try:
        for step in steps:
            step.on(tab)
    finally:
        tab.close()


def report(
    title: str, alone: list[Figures], fresh: list[Figures], crowds: list[list[Figures]]
) -> None:
    """Each step's figures, as ratios to one person alone: ``alone`` (the page already
    computed for what they read) and ``fresh`` (right after new data: their run computes it,
    as the first run of a crowd does)."""
    print(f"\n{title}")
    print(f"  {'':<48}{'x alone, computed':>18}{'x alone, new data':>18}")
    print(
        f"  {'step':<16}{'people':>7}{'median':>9}{'p95':>8}{'max':>8}"
        f"{'median':>10}{'max':>8}{'median':>10}{'max':>8}{'CPU/run':>9}{'failed':>8}"
    )
    for figures in [alone, fresh, *crowds]:
        for base, new, f in zip(alone, fresh, figures, strict=True):
            print(
                f"  {f.step:<16}{f.people:>7}{f.median:>8.2f}s{f.p95:>7.2f}s{f.slowest:>7.2f}s"
                f"{f.median / base.median:>9.1f}x{f.slowest / base.median:>7.1f}x"
                f"{f.median / new.median:>9.1f}x{f.slowest / new.median:>7.1f}x"
                f"{f.cpu / len(f.seconds):>8.2f}s{f.failed:>8}"
            )
        print()


# -- data arriving during a meeting ------------------------------------------------------------


class Imports:
    """Imports from the command line, as a committee's data arrives while the app runs: the
    alliances of ``bench_import`` (imported once, first), then values of theirs."""

    def __init__(self, db: str, folder: Path, rows: int) -> None:
        from bench_import import alliances_csv, french_csv

        self.folder = folder
        self.command = [sys.executable, "-m", "metrics", "import", "--db", db, "--validate"]
        names = folder / "alliances.csv"
        names.write_bytes(alliances_csv(max(rows, 1)))
        self.values = folder / "values.csv"
        self.values.write_bytes(french_csv(rows))
        self.rows = rows
        self.fresh = 0
        subprocess.run([*self.command, str(names)], cwd=ROOT, check=True, capture_output=True)

    def new_data(self, step: int) -> None:
        """One new value of another alliance (waited for): the data version changes, so the
        next run of every page computes it again."""
        del step
        self.fresh += 1
        one = self.folder / "one.csv"
        one.write_text(
            f"alliance;indicateur;periode;valeur\nAlliance 0;jobs_created;01/2000;{self.fresh}\n",
            encoding="utf-8",
        )
        subprocess.run([*self.command, str(one)], cwd=ROOT, check=True, capture_output=True)

    def landing(self, step: int) -> None:
        """The values' import, started (not waited for) as the meeting's first step starts."""
        if step == 0:
            print(f"    (a command-line import of {self.rows:,} values starts)")
            command = [*self.command, str(self.values)]
            subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)


# -- the client checked against the browser ----------------------------------------------------


def script_finished(raw: bytes) -> bool:
    """Whether a message the server sent the browser ends a run (not one followed by another)."""
    msg = ForwardMsg()
    msg.ParseFromString(raw)
    return msg.WhichOneof("type") == "script_finished" and msg.script_finished != FINISHED_RERUN


def validate(server: Server, token: str) -> None:
    """The meeting's steps in Chromium and with the client: the same elements and charts."""
    from playwright.sync_api import sync_playwright

    ours = Tab(server.url, token)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.add_cookies([{"name": "impact_session", "value": token, "url": server.url}])
        page = context.new_page()
        finished: list[int] = []
        page.on(
            "websocket",
            lambda ws: ws.on(
                "framereceived",
                lambda raw: finished.extend(
                    [1] if isinstance(raw, bytes) and script_finished(raw) else []
                ),
            ),
        )
        for step in MEETING:
            before = len(finished)
            if step.key:
                page.get_by_role("radio", name=t("granularity.quarter", "fr")).click()
            else:
                page.goto(f"{server.url}/{step.address}")
            while len(finished) == before:
                page.wait_for_timeout(100)
            page.wait_for_timeout(2000)  # the charts drawn
            shown = page.locator(".js-plotly-plot").count()
            errors = page.locator('[data-testid="stException"]').count()
            run = step.on(ours)
            same = "same" if (shown, errors) == (run.charts, len(run.exceptions)) else "DIFFERENT"
            print(
                f"  {step.name:<16} Chromium: {shown} charts, {errors} exceptions; "
                f"client: {run.charts} charts, {len(run.exceptions)} exceptions, "
                f"{sum(run.elements.values())} elements: {same}"
            )
        browser.close()
    ours.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, nargs="+", default=[1, 5, 10, 20])
    parser.add_argument("--import-rows", type=int, default=0)
    parser.add_argument("--validate", action="store_true")
    parser.add_argument("--server-option", action="append", default=[])
    parser.add_argument("--only", choices=["meeting", "funders"], default=None)
    parser.add_argument("--backend", choices=["duckdb", "ducklake"], default="duckdb")
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    crowd = max(args.people)
    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    try:
        target = database(folder, args.backend)
        members, funders = demo_database(target, crowd)
        imports = Imports(target, folder, args.import_rows)
        processes = args.processes
        with served(target, folder, args.server_option, processes) as server:
            warm(server, members[0], MEETING)
            warm(server, funders[0], FUNDERS)
            if args.validate:
                print("The client against Chromium, on the meeting's steps:")
                validate(server, members[0])
            scenarios = (("meeting", members, MEETING), ("funders", funders, FUNDERS))
            for name, tokens, steps in scenarios:
                if args.only not in (None, name):
                    continue
                alone = scenario(server, tokens[:1], steps)
                fresh = scenario(server, tokens[:1], steps, imports.new_data)
                crowds = [
                    scenario(server, tokens[:n], steps, imports.new_data)
                    for n in args.people
                    if n > 1
                ]
                where = f"{processes} app process{'es' if processes > 1 else ''}, {args.backend}"
                report(f"{name}, {where}", alone, fresh, crowds)
                if name == "meeting" and args.import_rows:
                    crowds = [scenario(server, tokens[:crowd], steps, imports.landing)]
                    title = f"meeting of {crowd} while {args.import_rows:,} values land"
                    report(title, alone, fresh, crowds)
            rss, peak = server.memory_mb()
            print(f"\nserver memory: {rss:.0f} MB resident, {peak:.0f} MB at its peak")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
