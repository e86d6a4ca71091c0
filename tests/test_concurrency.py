"""Several threads importing and reading at once: nothing lost, duplicated or mixed."""

from __future__ import annotations

import threading

from metrics.access import Actor
from metrics.store import Store
from tests.conftest import ADMIN, ALLIANCE, xlsx


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
