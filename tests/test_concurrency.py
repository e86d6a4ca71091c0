"""Several threads importing and reading at once: nothing lost, duplicated or mixed."""

from __future__ import annotations

import threading
from pathlib import Path

from metrics.base.access import Actor
from metrics.base.catalog import CATALOG
from metrics.storage.store import Store
from tests.conftest import ADMIN, ALLIANCE, xlsx
from tests.lake import db_at


def alliance_file(n: int) -> bytes:
    name = f"Alliance {n}"
    return xlsx(
        {
            "alliances": [[name, *ALLIANCE[1:]]],
            "observations": [
                [name, "jobs_created", str(2000 + y), n * 100 + y, "", ""] for y in range(20)
            ],
        }
    )


def test_parallel_imports_and_reads(fresh_store: Store) -> None:
    errors: list[BaseException] = []
    files = {n: alliance_file(n) for n in range(8)}

    def importer(n: int) -> None:
        try:
            fresh_store.import_file(files[n], f"{n}.xlsx", Actor.system(f"user{n}"))
        except BaseException as e:  # surfaced below
            errors.append(e)

    def reader() -> None:
        try:
            for _ in range(15):
                frame = fresh_store.observations(ADMIN)
                for alliance, group in frame.groupby("alliance"):
                    n = int(str(alliance).split()[-1])
                    # Every visible alliance is complete: an import is all or nothing.
                    assert sorted(group["value"]) == [n * 100 + y for y in range(20)]
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=importer, args=(n,)) for n in files]
    threads += [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    frame = fresh_store.observations(ADMIN)
    assert len(frame) == 8 * 20
    assert not frame.duplicated(["alliance", "indicator", "period"]).any()
    uploads = fresh_store.uploads(ADMIN)
    assert sorted(uploads["uploaded_by"]) == sorted(f"user{n}" for n in files)
    assert sorted(uploads["id"]) == list(range(1, 9))


def test_an_import_killed_at_any_moment_lands_whole_or_not_at_all(tmp_path: Path) -> None:
    """10 imports from the command line, each killed (SIGKILL) at a moment drawn at random
    while it reads, checks or writes a file of 40,000 values (one moment in each tenth of the
    time from its start to a little after its end): afterwards each file's values are all
    there, with their upload and their current values, or none of them are."""
    import random
    import signal
    import subprocess
    import sys
    import time

    db = db_at(tmp_path / "killed.duckdb")
    Store(db).close()
    rng = random.Random(9)
    months = [f"{m:02d}/{y}" for y in range(2000, 2030) for m in range(1, 13)]
    codes = [i.code for i in CATALOG if i.maximum is None][:4]  # values from 1 to 500
    rows = len(months) * len(codes) * 28  # 28 alliances a file: 40,320 values
    command = [sys.executable, "-m", "metrics", "import", "--db", str(db)]
    kills = 10
    names = {n: [f"Alliance {n}-{k}" for k in range(28)] for n in range(kills + 1)}
    alliances = tmp_path / "alliances.csv"  # every file's alliances, declared first
    everyone = [a for group in names.values() for a in group]
    alliances.write_text(
        "alliance;territoire\n" + "".join(f"{a};Arras\n" for a in everyone), encoding="utf-8"
    )
    subprocess.run([*command, str(alliances)], check=True, capture_output=True)

    def values(n: int) -> Path:
        """A file of the values of the alliances ``names[n]``."""
        lines = ["alliance;indicateur;periode;valeur"] + [
            f"{a};{c};{m};{rng.randint(1, 500)}" for a in names[n] for c in codes for m in months
        ]
        file = tmp_path / f"valeurs_{n}.csv"
        file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return file

    # How long a whole import takes on this backend and machine: the moments are drawn
    # from the start of the process to a little after its end.
    start = time.monotonic()
    subprocess.run([*command, str(values(kills))], check=True, capture_output=True)
    took = time.monotonic() - start
    whole = 0
    for n in range(kills):
        file = values(n)
        process = subprocess.Popen([*command, str(file)], stdout=subprocess.DEVNULL)
        time.sleep(0.2 + (n + rng.random()) / kills * (1.3 * took - 0.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        with Store(db) as store:
            history = store.uploads(ADMIN)
            uploads = int((history["file_name"] == file.name).sum())
            mine = int(store.observations(ADMIN)["alliance"].isin(names[n]).sum())
        assert (uploads, mine) in {(0, 0), (1, rows)}, (n, uploads, mine)
        whole += uploads
    # The moments drawn fall before, during and after the write.
    assert 0 < whole < kills, (whole, took)
