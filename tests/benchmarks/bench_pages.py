"""Benchmark: the pages at network scale (5 million observations) against the sample database.

Run: ``python tests/benchmarks/bench_pages.py [--alliances 1000] [--keep FOLDER]``. Not part of
the test suite (tests never assert times). It builds, once (``--keep`` reuses it), a database of
1,000 alliances × 31 indicators × 14 years of monthly values (5.2 million) through the real
import (French CSV files at the import's row limit, after the alliances and their targets), then
runs the
home, dashboard, portfolio, compare and contracts page scripts with Streamlit's AppTest, signed
in as an admin: the first render, then a rerun after a widget change. It prints each against
the same measurement on the sample database, with the ratio, and this process's peak memory.

Goals (issue "pages at scale"): first render <= 2 s, widget-change rerun <= 300 ms, <= 3x the
sample database, peak <= 1.5 GB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import logging  # noqa: E402

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from metrics.base import limits  # noqa: E402
from metrics.base.access import Actor  # noqa: E402
from metrics.base.catalog import CATALOG, within  # noqa: E402
from metrics.sheets.workbook import write_workbook  # noqa: E402
from metrics.storage.store import Store  # noqa: E402
from metrics.usecases import seeding  # noqa: E402
from tests.conftest import signed_in  # noqa: E402

ADMIN = "admin@bench.example"
THEMES = ["emploi", "déchets", "isolement", "mobilité", "alimentation"]
# Every built-in indicator (31) over 14 years of months: 5.2 million values for 1,000 alliances.
MONTHS = [f"{m:02d}/{y}" for y in range(2012, 2026) for m in range(1, 13)]


def network_files(alliances: int, folder: Path) -> list[Path]:
    """The alliances (with targets) and their observations, as French CSV files no longer
    than the import takes."""
    codes = [i.code for i in CATALOG]
    defs = folder / "alliances.csv"
    lines = ["alliance;territoire;code_territoire;population;thematique;date_creation"]
    lines += [
        f"Alliance {n:04d};Territoire {n};{59000 + n};{5000 + 37 * n};{THEMES[n % 5]};2012"
        for n in range(alliances)
    ]
    defs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    goals = folder / "objectifs.csv"
    lines = ["alliance;indicateur;periode_reference;reference;periode_cible;cible"]
    lines += [
        f"Alliance {n:04d};{code};2012;10;2026;{20 + n % 7}"
        for n in range(alliances)
        for code in codes[:12]
    ]
    goals.write_text("\n".join(lines) + "\n", encoding="utf-8")
    files, rows, part = [defs, goals], [], 0
    header = "alliance;indicateur;periode;valeur"

    def flush() -> None:
        nonlocal rows, part
        path = folder / f"donnees_{part}.csv"
        path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
        files.append(path)
        rows, part = [], part + 1

    for n in range(alliances):
        for k, indicator in enumerate(CATALOG):
            for m, month in enumerate(MONTHS):
                value = str(within(indicator, (n + k + m) % 50 + 0.5)).replace(".", ",")
                rows.append(f"Alliance {n:04d};{indicator.code};{month};{value}")  # in bounds
        if len(rows) + len(codes) * len(MONTHS) >= limits.MAX_ROWS:
            flush()
    if rows:
        flush()
    return files


CONTRACTS = 20  # outcome contracts on the first alliances, paid on their jobs created


def contracts_file(alliances: int) -> bytes:
    rows = [
        [
            f"Contrat {n:02d}",
            f"Alliance {n:04d}",
            "jobs_created",
            "Département",
            "Fonds",
            500_000,
            "EUR",
            dt.date(2015, 1, 1),
            dt.date(2025, 12, 31),
            100,
            10,
            100,
            10,
            7.5,
            2_000,
            800_000,
            8,
            3_000,
        ]
        for n in range(min(CONTRACTS, alliances))
    ]
    return write_workbook({"contracts": rows}, "fr")


def network_database(alliances: int, folder: Path) -> Path:
    db = folder / "network.duckdb"
    if db.exists():
        with Store(db) as store:  # a database kept from before contracts were part of it
            store.import_file(
                contracts_file(alliances), "contrats.xlsx", Actor.system("bench"), validate=True
            )
        return db
    setup = Actor.system("bench")
    with Store(db) as store:
        for path in network_files(alliances, folder):
            started = time.perf_counter()
            store.import_file(path.read_bytes(), path.name, setup, validate=True)
            print(f"  imported {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
        store.import_file(contracts_file(alliances), "contrats.xlsx", setup, validate=True)
        store.add_account(setup, ADMIN, "Bench")
        store.grant(setup, ADMIN, "admin")
    return db


def sample_database(folder: Path) -> Path:
    db = folder / "sample.duckdb"
    if not db.exists():
        with Store(db) as store:
            seeding.seed(store)
            setup = Actor.system("bench")
            store.add_account(setup, ADMIN, "Bench")
            store.grant(setup, ADMIN, "admin")
    return db


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def change(at: AppTest, page: str) -> None:
    """One widget change a user makes on the page."""
    if page == "pages/dashboard.py":
        at.segmented_control[0].set_value("quarter")
    elif page == "pages/portfolio.py":
        at.multiselect[0].set_value([at.multiselect[0].options[0]])
    elif page == "pages/comparison.py":
        at.radio[0].set_value(at.radio[0].options[-1])
    at.run()  # home, contracts: a rerun (a click elsewhere on the page)


def measure(db: str | Path, page: str) -> tuple[float, float, int]:
    os.environ["IMPACT_DB"] = str(db)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    at.session_state["app_lang"] = "fr"
    signed_in(at, ADMIN)  # a session in the store, as the sign-in page opens one
    at.run()  # the app's first run loads the store; the page's own first render is next
    st.cache_data.clear()  # cold: nothing another page read is reused

    def first() -> None:
        at.switch_page(page).run()

    first_render = timed(first)
    assert not at.exception, at.exception
    drawn = len(at.get("plotly_chart")) + len(at.dataframe)
    rerun = timed(lambda: change(at, page))
    assert not at.exception, at.exception
    return first_render, rerun, drawn


# Pages timed in a real browser: address, what "drawn" means (a selector and how many).
BROWSER_PAGES = [
    ("tableau-de-bord", ".js-plotly-plot", 3),  # scores, the open tab's grid, completeness
    ("portefeuille", "[data-testid='stDataFrame'] canvas", 1),
]
PASSWORD = "bench password 2026"


def server_cpu(pid: int) -> float:
    """CPU seconds the server process has used (user + system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_pid(port: str) -> int:
    """The process of the app (``python -m ui.serve``) listening on ``port``."""
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"ui.serve" in command and port.encode() in command:
            return int(entry.name)
    raise RuntimeError(f"no server on port {port}")


def browser_times(db: Path, folder: Path) -> list[tuple[str, float, float]]:
    """For each of ``BROWSER_PAGES``: the seconds from the address being opened to its charts
    drawn in Chromium (signed in, on a server that has not read the data yet), and the server's
    CPU seconds meanwhile; then the server's peak memory."""
    from playwright.sync_api import sync_playwright

    from metrics.usecases import auth
    from tests.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.test_browser import fill_sign_in, running_app

    with Store(db) as store:
        store.set_password(Actor.system("bench"), ADMIN, auth.hash_password(PASSWORD))
    results = []
    with running_app(folder, {"IMPACT_DB": str(db)}) as url, sync_playwright() as p:
        pid = server_pid(url.rsplit(":", 1)[1])
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        tab = chromium.new_page(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
        tab.goto(url)
        fill_sign_in(tab, ADMIN, PASSWORD)
        tab.get_by_role("button", name="Se déconnecter").wait_for(timeout=60_000)
        for address, drawn, count in BROWSER_PAGES:
            cpu = server_cpu(pid)
            started = time.perf_counter()
            tab.goto(f"{url}/{address}?lang=fr")
            tab.wait_for_function(
                "([selector, n]) => document.querySelectorAll(selector).length >= n",
                arg=[drawn, count],
                timeout=900_000,
            )
            results.append((address, time.perf_counter() - started, server_cpu(pid) - cpu))
        chromium.close()
        status = Path(f"/proc/{pid}/status").read_text()
        peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
    results.append(("server peak memory (MB)", peak, 0.0))
    return results


def arguments(doc: str, alliances: int) -> tuple[argparse.Namespace, Path]:
    """A benchmark's options (``--alliances``, ``--keep``) and the folder it builds in; the
    "no runtime" warnings of bare AppTest runs silenced."""
    for name in ("streamlit", "streamlit.runtime"):
        logging.getLogger(name).setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--alliances", type=int, default=alliances)
    parser.add_argument("--keep", type=Path, help="a folder to build the databases in, and keep")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    return args, folder


def main() -> None:
    args, folder = arguments(__doc__ or "", 1000)
    print(f"building the network database ({args.alliances} alliances) in {folder}", flush=True)
    network, sample = network_database(args.alliances, folder), sample_database(folder)
    with Store(network) as store:
        count = store.data_version()
    print(f"uploads, last id, rolled back, validated: {count}")
    # In a browser first, while no store of this process holds the files.
    print("in Chromium, from opening the address to the charts drawn (server CPU meanwhile):")
    small = browser_times(sample, folder)
    large = browser_times(network, folder)
    for (address, seconds, cpu), (_, base, base_cpu) in zip(large[:-1], small[:-1]):
        print(
            f"{address:<22}{seconds:8.2f} s ({seconds / base:5.1f}x sample)"
            f"   server CPU {cpu:.2f} s (sample {base_cpu:.2f} s)"
        )
    print(f"server peak memory: {large[-1][1]:.0f} MB (sample {small[-1][1]:.0f} MB)")
    pages = [
        "pages/home.py",
        "pages/dashboard.py",
        "pages/portfolio.py",
        "pages/comparison.py",
        "pages/contracts.py",
    ]
    print(f"{'page':<22}{'first render':>26}{'widget change':>28}")
    for page in pages:
        small = measure(sample, page)
        large = measure(network, page)
        print(
            f"{page:<22}{large[0]:8.2f} s ({large[0] / small[0]:5.1f}x sample)"
            f"{large[1]:10.2f} s ({large[1] / small[1]:5.1f}x sample)"
            f"   charts and tables: {large[2]} (sample {small[2]})",
            flush=True,
        )
    status = Path("/proc/self/status").read_text()
    peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
    print(f"peak memory of this process (server and both databases): {peak:.0f} MB")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
