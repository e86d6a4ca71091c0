"""Benchmark: the steering committee's pack against one render of the dashboard page.

Run: ``python tests/benchmarks/bench_pack.py``. Not part of the test suite (tests never assert
times). On the sample database, for one alliance and one year: building the PDF and the slides
(``pack.build``, which starts Chromium for the charts each time), median of three, against the
dashboard page's first render in AppTest (caches empty), median of three.
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from metrics.base.access import Actor  # noqa: E402
from metrics.presentation import pack  # noqa: E402
from metrics.storage.store import Store  # noqa: E402
from metrics.usecases import auth  # noqa: E402
from tests.conftest import signed_in  # noqa: E402

ALLIANCE, YEAR = "Sambre Emploi Solidaire", 2025
ADMIN = "admin@demo.example"


def median_of_three(work: object) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    for name in ("streamlit", "streamlit.runtime"):
        logging.getLogger(name).setLevel(logging.ERROR)
    db = Path(tempfile.mkdtemp()) / "sample.duckdb"
    with Store(db) as store:
        auth.seed_demo(store)
        reader = Actor("admin@demo.example", admin=True)
        built = {
            kind: median_of_three(lambda k=kind: pack.build(store, reader, ALLIANCE, YEAR, "fr", k))
            for kind in ("pdf", "pptx")
        }
        # What the dashboard's button builds: both, from one reading and one Chromium.
        built["pdf and pptx"] = median_of_three(
            lambda: pack.build_all(store, reader, ALLIANCE, YEAR, "fr")
        )
    os.environ["IMPACT_DB"] = str(db)

    def render() -> None:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.session_state["app_lang"] = "fr"
        signed_in(at, ADMIN)  # a session in the store, as the sign-in page opens one
        at.session_state["app_alliance"] = ALLIANCE
        at.run()
        st.cache_data.clear()
        at.switch_page("pages/dashboard.py").run()
        assert not at.exception

    render()  # modules loaded once, as in a running server
    page = median_of_three(render)
    for kind, seconds in built.items():
        print(
            f"pack ({kind}) of {ALLIANCE}, {YEAR}: {seconds:.2f} s ({seconds / page:.1f}x the page)"
        )
    print(f"dashboard page, first render (AppTest): {page:.2f} s")


if __name__ == "__main__":
    main()
