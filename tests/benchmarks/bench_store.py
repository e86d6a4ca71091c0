"""Benchmark: imports and aggregation on generated data at scale, as ratios to naive baselines.

Run: ``python tests/benchmarks/bench_store.py [--rows N]``. Not part of the test suite (it
measures time, which tests never assert). It prints, for each operation, the time of the
project's way, the time of a naive baseline on the same data, and the ratio.

- import: ``Store.import_file`` (parse, diff in DuckDB, one set-based insert) against a
  row-by-row baseline that looks up each key's current value and inserts it on its own;
- aggregation: ``Store.aggregated`` (grouping in DuckDB) against reading every current value
  into pandas and grouping there.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pandas as pd

from metrics.base.access import Actor
from metrics.base.catalog import CATALOG, within
from metrics.sheets.ingest import parse, resolve
from metrics.storage.plans import observation_frame
from metrics.storage.store import Store

ADMIN = Actor.system("bench")  # whoever holds the file acts as admin


def generated_csv(rows: int, seed: int = 42) -> bytes:
    """A long-layout observations CSV over monthly periods, with its alliances sheet rows
    folded in as a separate file (see ``alliances_csv``)."""
    rng = random.Random(seed)
    lines = ["alliance;indicateur;periode;valeur"]
    months = [f"{m:02d}/{y}" for y in range(2015, 2027) for m in range(1, 13)]
    per_alliance = len(CATALOG) * len(months)
    for n in range(rows):
        alliance, rest = divmod(n, per_alliance)
        code, month = divmod(rest, len(months))
        drawn = within(CATALOG[code], round(rng.uniform(0, 5000), 1))  # as the indicator allows
        value = f"{drawn}".replace(".", ",")
        lines.append(f"Alliance {alliance};{CATALOG[code].code};{months[month]};{value}")
    return "\n".join(lines).encode()


def alliances_csv(rows: int) -> bytes:
    count = rows // (len(CATALOG) * 144) + 1
    lines = ["alliance;territoire;population;thematique"]
    lines += [f"Alliance {n};Territoire {n};{10000 + n};emploi" for n in range(count)]
    return "\n".join(lines).encode()


def timed(action):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def naive_import(store: Store, content: bytes) -> None:
    """Row by row: look up the current value of each key, insert when new or different."""
    parsed = resolve(parse(content, "data.csv"), store.known(ADMIN))
    frame = observation_frame(parsed.observations).to_pandas()
    with store.cursor() as cur:
        cur.execute("BEGIN TRANSACTION")
        upload = cur.execute(
            "INSERT INTO upload (file_name, sha256, size, uploaded_by, uploaded_at, content) "
            "VALUES ('naive', '', 0, 'bench', now(), '') RETURNING id"
        ).fetchone()[0]
        for row in frame.itertuples():
            current = cur.execute(
                "SELECT o.value FROM observation o JOIN alliance a ON a.id = o.alliance_id "
                "WHERE a.name = ? AND o.indicator_code = ? AND o.period = ? "
                "ORDER BY o.upload_id DESC LIMIT 1",
                [row.alliance, row.indicator, row.period],
            ).fetchone()
            if current is not None and current[0] == row.value:
                continue
            cur.execute(
                "INSERT INTO observation (upload_id, alliance_id, indicator_code, period, "
                "granularity, period_start, period_end, value) SELECT ?, id, ?, ?, ?, ?, ?, ? "
                "FROM alliance WHERE name = ?",
                [
                    upload,
                    row.indicator,
                    row.period,
                    row.granularity,
                    row.period_start,
                    row.period_end,
                    row.value,
                    row.alliance,
                ],
            )
        cur.execute("COMMIT")


def naive_aggregate(store: Store) -> pd.DataFrame:
    """Every current value into pandas, then grouped there by each indicator's rule."""
    frame = store.observations(ADMIN)
    rules = store.indicators(ADMIN).set_index("code")["aggregation"]
    frame["year"] = pd.to_datetime(frame["period_start"]).dt.year
    parts = []
    for (alliance, indicator, year), group in frame.groupby(["alliance", "indicator", "year"]):
        rule = rules[indicator]
        value = (
            group["value"].sum()
            if rule == "sum"
            else group["value"].mean()
            if rule == "mean"
            else group.sort_values("period_end")["value"].iloc[-1]
        )
        parts.append((alliance, indicator, year, value))
    return pd.DataFrame(parts, columns=["alliance", "indicator", "year", "value"])


def report(name: str, ours: float, naive: float, rows: int) -> None:
    print(
        f"{name:<34} {rows:>9,} rows   ours {ours:8.2f} s   naive {naive:8.2f} s   "
        f"ratio naive/ours {naive / ours:6.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows",
        type=int,
        default=20_000,
        help="rows for the import comparison (the naive side is slow)",
    )
    parser.add_argument(
        "--scale", type=int, default=300_000, help="rows stored for the aggregation comparison"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())

    content = generated_csv(args.rows)
    with Store(folder / "ours.duckdb") as ours, Store(folder / "naive.duckdb") as naive:
        for store in (ours, naive):
            store.import_file(alliances_csv(args.rows), "alliances.csv", ADMIN)
        ours_time, _ = timed(lambda: ours.import_file(content, "data.csv", ADMIN))
        naive_time, _ = timed(lambda: naive_import(naive, content))
        report("import (new values)", ours_time, naive_time, args.rows)
        again, result = timed(lambda: ours.import_file(content, "data.csv", ADMIN))
        assert result.upload_id is None
        print(f"{'re-import (nothing changes)':<34} {args.rows:>9,} rows   ours {again:8.2f} s")

    with Store(folder / "scale.duckdb") as store:
        store.import_file(alliances_csv(args.scale), "alliances.csv", ADMIN)
        load, _ = timed(lambda: store.import_file(generated_csv(args.scale), "big.csv", ADMIN))
        print(
            f"{'import at scale':<34} {args.scale:>9,} rows   ours {load:8.2f} s   "
            f"({args.scale / load:,.0f} rows/s)"
        )
        ours_time, grouped = timed(
            lambda: store.aggregated(ADMIN, granularity="year", level="alliance")
        )
        naive_time, baseline = timed(lambda: naive_aggregate(store))
        assert len(grouped) == len(baseline), (len(grouped), len(baseline))
        report("yearly aggregation", ours_time, naive_time, args.scale)


if __name__ == "__main__":
    main()
