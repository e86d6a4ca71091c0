"""Benchmark: imports against the fastest honest baselines, whole processes, with peak memory.

Run: ``python tests/benchmarks/bench_import.py [--rows 1000000] [--xlsx-rows 100000]``. Not part
of the test suite (tests never assert times). On generated files (a French CSV of observations:
``;`` separator, decimal comma, ``mm/yyyy`` periods; and an XLSX of the same kind), each step runs
in a process of its own, three times, and the median wall time, CPU time and peak memory are
printed with their ratio to the baseline:

- CSV import (``python -m metrics import``, run as the command runs, after the alliances were
  imported) against DuckDB's
  own ``read_csv`` of the same file into a table;
- re-import of the same, unchanged file against the same baseline;
- XLSX import against python-calamine's own read of the same sheet.

The CSV holds as many rows as the import takes (``metrics.base.limits.MAX_ROWS``, header included):
the largest file a user may send. The import's figures include the worker process that reads
the file (``metrics.sheets.isolation``): its CPU time is added, its peak memory compared.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import xlsxwriter  # noqa: E402

from metrics.base import limits  # noqa: E402
from metrics.base.catalog import CATALOG, within  # noqa: E402

# Runs in the child: the work, then its own figures as JSON on the last line of stdout.
PROBE = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
start, cpu = time.perf_counter(), time.process_time()
{work}
wall = time.perf_counter() - start
# The work's own CPU and that of the processes it started (the worker that reads the file).
children = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = time.process_time() - cpu + children.ru_utime + children.ru_stime
# VmHWM: this process's own peak (ru_maxrss would carry the parent's over the exec); the
# worker's peak beside it: the larger of the two, since the worker ends before the write.
status = open("/proc/self/status").read()
peak = max(int(status.split("VmHWM:")[1].split()[0]), children.ru_maxrss) / 1024
print(json.dumps({{"wall": wall, "cpu": cpu, "peak_mb": peak}}))
"""

DUCKDB_READ = """
import duckdb
con = duckdb.connect({db!r})
con.execute("CREATE OR REPLACE TABLE raw AS SELECT * FROM read_csv(?, delim=';', header=true, "
            "all_varchar=true)", [{file!r}])
"""
CALAMINE_READ = """
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path({file!r})
rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()
"""
# The CLI's own import, as ``python -m metrics import FILE --db DB`` runs it.
IMPORT = """
import runpy
sys.argv = ["metrics", "import", {file!r}, "--db", {db!r}]
try:
    runpy.run_module("metrics", run_name="__main__")
except SystemExit as done:
    assert done.code == 0, done.code
"""


def months() -> list[str]:
    return [f"{m:02d}/{y}" for y in range(2000, 2030) for m in range(1, 13)]


def observations(rows: int, seed: int = 42) -> list[tuple[str, str, str, str]]:
    """Distinct (alliance, indicator, month) keys with French decimal values."""
    rng = random.Random(seed)
    periods = months()
    per_alliance = len(CATALOG) * len(periods)
    found = []
    for n in range(rows):
        alliance, rest = divmod(n, per_alliance)
        code, month = divmod(rest, len(periods))
        drawn = within(CATALOG[code], round(rng.uniform(0, 5000), 1))  # as the indicator allows
        value = f"{drawn}".replace(".", ",")
        found.append((f"Alliance {alliance}", CATALOG[code].code, periods[month], value))
    return found


def alliances_csv(rows: int) -> bytes:
    count = rows // (len(CATALOG) * len(months())) + 1
    lines = ["alliance;territoire;population;thematique"]
    lines += [f"Alliance {n};Territoire {n};{10000 + n};emploi" for n in range(count)]
    return ("\n".join(lines) + "\n").encode()


def french_csv(rows: int) -> bytes:
    lines = ["alliance;indicateur;periode;valeur"]
    lines += [";".join(r) for r in observations(rows)]
    return ("\n".join(lines) + "\n").encode()


def xlsx_file(rows: int) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet("donnees")
    sheet.write_row(0, 0, ["alliance", "indicateur", "periode", "valeur"])
    for n, (alliance, code, month, value) in enumerate(observations(rows), start=1):
        sheet.write_row(n, 0, [alliance, code, month, float(value.replace(",", "."))])
    book.close()
    return buffer.getvalue()


def measure(work: str, runs: int, before: str = "") -> dict[str, float]:
    """Median of ``runs`` whole processes running ``work`` (``before`` runs first, unmeasured,
    in the same process: e.g. copying the database the import starts from)."""
    figures = []
    for _ in range(runs):
        code = PROBE.format(root=str(ROOT), work=work)
        if before:
            code = before + "\n" + code
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
        )
        figures.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {k: statistics.median(f[k] for f in figures) for k in figures[0]}


def line(name: str, ours: dict[str, float], base: dict[str, float], baseline: str) -> None:
    print(
        f"{name:<30} {ours['wall']:7.2f} s wall {ours['cpu']:7.2f} s CPU "
        f"{ours['peak_mb']:7.0f} MB | {baseline:<22} {base['wall']:6.2f} s {base['cpu']:6.2f} s "
        f"{base['peak_mb']:5.0f} MB | ratio wall {ours['wall'] / base['wall']:5.1f}x "
        f"CPU {ours['cpu'] / base['cpu']:5.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", type=int, default=limits.MAX_ROWS - 1, help="rows of the CSV (under its header)"
    )
    parser.add_argument("--xlsx-rows", type=int, default=100_000, help="rows of the XLSX")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    csv_file, xlsx_path = folder / "donnees.csv", folder / "donnees.xlsx"
    csv_file.write_bytes(french_csv(args.rows))
    xlsx_path.write_bytes(xlsx_file(args.xlsx_rows))
    (folder / "alliances.csv").write_bytes(alliances_csv(max(args.rows, args.xlsx_rows)))
    empty = folder / "empty.duckdb"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "metrics",
            "import",
            str(folder / "alliances.csv"),
            "--db",
            str(empty),
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    size = csv_file.stat().st_size / 1_048_576
    print(
        f"CSV: {args.rows:,} rows, {size:.0f} MB; XLSX: {args.xlsx_rows:,} rows; "
        f"median of {args.runs} processes each"
    )

    fresh = f"import shutil; shutil.copy({str(empty)!r}, {str(folder / 'run.duckdb')!r})"
    baseline = measure(
        DUCKDB_READ.format(db=str(folder / "duck.duckdb"), file=str(csv_file)), args.runs
    )
    ours = measure(
        IMPORT.format(db=str(folder / "run.duckdb"), file=str(csv_file)), args.runs, fresh
    )
    line("CSV import", ours, baseline, "DuckDB read_csv")
    loaded = folder / "loaded.duckdb"
    shutil.copy(empty, loaded)
    subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE.format(root=str(ROOT), work=IMPORT.format(db=str(loaded), file=str(csv_file))),
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    again = f"import shutil; shutil.copy({str(loaded)!r}, {str(folder / 'again.duckdb')!r})"
    ours = measure(
        IMPORT.format(db=str(folder / "again.duckdb"), file=str(csv_file)), args.runs, again
    )
    line("CSV re-import (no change)", ours, baseline, "DuckDB read_csv")
    baseline = measure(CALAMINE_READ.format(file=str(xlsx_path)), args.runs)
    ours = measure(
        IMPORT.format(db=str(folder / "run.duckdb"), file=str(xlsx_path)), args.runs, fresh
    )
    line("XLSX import", ours, baseline, "python-calamine read")
    print("Goals: CSV and re-import <= 2x DuckDB, XLSX <= 1.5x calamine, peak <= 600 MB at 1M.")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
