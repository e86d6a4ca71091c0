"""Observations read in bulk say exactly what reading them row by row says: same values, same
problems at the same rows and columns, same missing values."""

from __future__ import annotations

import random
from typing import Any

import pyarrow as pa
import pytest

from metrics.presentation.problems import line
from metrics.sheets import columnar, files, ingest, layout, observed
from metrics.sheets.ingest import Known, parse, resolve
from metrics.storage.store import Store
from tests.conftest import ADMIN, base_workbook

HEADER = ["alliance", "indicateur", "période", "valeur", "partenaire", "commentaire"]
CELLS = {
    "alliance": ["Alliance test", "alliance TEST", " Alliance test ", "", "Nulle part"],
    "indicator": ["jobs_created", "Emplois créés", "JOBS_CREATED", "", "inconnu"],
    "period": ["2023", "T2 2024", "mai 2023", "05/2024", "31/05/2023", "2023-Q3", "", "T5 2023"],
    "value": ["10", "1 234,5", "12,5", "12 %", "-3", "n.d.", "", "—", "douze", "1.5", "+4", "7,"],
    "stakeholder": ["", "", "Entreprise A", "entreprise a", "Inconnu"],
    "comment": ["", "", "relevé", "=SUM(A1)"],
}


def known() -> Known:
    k = Known()
    k.alliances["alliance_test"] = "Alliance test"
    k.stakeholders[("Alliance test", "entreprise_a")] = "Entreprise A"
    k.add_indicator("jobs_created", "Emplois créés", "Jobs created")
    return k


def generated(seed: int, rows: int = 60) -> list[list[str]]:
    rng = random.Random(seed)
    fields = ("alliance", "indicator", "period", "value", "stakeholder", "comment")
    return [[rng.choice(CELLS[f]) for f in fields] for _ in range(rows)]


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8", title: bool = False) -> bytes:
    lines = (["Données 2024;;;;;", ";;;;;"] if title else []) + [";".join(HEADER)]
    lines += [";".join(r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def outcome(parsed: ingest.Parsed) -> tuple[Any, ...]:
    observations = [
        (r.sheet, r.row, tuple(sorted((k, str(v)) for k, v in r.values.items())))
        for r in parsed.records["observations"]
    ]
    return observations, [line(p, "en") for p in parsed.problems], parsed.missing


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_bulk_and_row_by_row_agree(
    seed: int, encoding: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = csv_bytes(generated(seed), encoding, title=seed % 2 == 1)
    table = files.read_csv(content, "f.csv")
    found = layout.detect(table, None)
    assert found is not None
    assert columnar.csv_columns(table, found, len(table.head[found.header_row])) is not None
    bulk = outcome(resolve(parse(content, "f.csv"), known()))
    monkeypatch.setattr(columnar, "csv_columns", lambda *args: None)
    by_row = outcome(resolve(parse(content, "f.csv"), known()))
    assert bulk == by_row
    assert bulk[1], "the generated file holds problems to compare"


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (
            b"alliance;indicateur;periode;valeur\r\nA;jobs_created;2023;1\r\n\r\nA;x;2024;2\r\n",
            "blank",
        ),
        (
            b'"Titre\nsur deux lignes"\r\nalliance;indicateur;periode;valeur\r\nA;j;2023;1\r\n',
            "quote",
        ),
        (b"alliance;indicateur;periode;valeur\r\nA;jobs_created;2023\r\n", "short row"),
    ],
)
def test_files_read_row_by_row_when_they_must(content: bytes, why: str) -> None:
    table = files.read_csv(content, "f.csv")
    found = layout.detect(table, None)
    assert found is not None
    assert columnar.csv_columns(table, found, len(table.head[found.header_row])) is None, why


def test_a_blank_line_keeps_the_row_numbers_excel_shows() -> None:
    content = (
        b"alliance;indicateur;periode;valeur\r\n"
        b"Alliance test;jobs_created;2023;1\r\n"
        b"\r\n"
        b"Alliance test;jobs_created;2024;douze\r\n"
    )
    parsed = parse(content, "f.csv")
    assert [(p.row, p.value) for p in parsed.problems] == [(4, "douze")]


def test_wide_layout_in_bulk_and_by_row_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    content = (
        "alliance;indicateur;2022;2023;T1 2024\r\n"
        "Alliance test;jobs_created;10;n.d.;3\r\n"
        ";jobs_created;1;2;3\r\n"
        "Alliance test;Emplois créés;12,5;douze;\r\n"
    ).encode()
    bulk = outcome(resolve(parse(content, "w.csv"), known()))
    monkeypatch.setattr(columnar, "csv_columns", lambda *args: None)
    assert bulk == outcome(resolve(parse(content, "w.csv"), known()))
    observations, problems, missing = bulk
    # row 4 names the same indicator by its label: its 2022 value conflicts with row 2's
    assert [row for _, row, _ in observations] == [2, 2]
    assert [m[1:] for m in missing] == [(2, "2023 (D)", "n.d."), (4, "T1 2024 (E)", "")]
    assert [p.split(":")[0] for p in problems] == [
        "w, row 3, column alliance (A)",
        "w, row 4, column 2023 (D)",
        "w, row 4, column 2022 (C)",
    ]
    assert "row 2" in problems[2]


def test_a_later_row_giving_another_value_names_the_first(fresh_store: Store) -> None:
    fresh_store.import_file(base_workbook(), "b.xlsx", ADMIN)
    content = (
        b"alliance;indicateur;periode;valeur\r\n"
        b"Alliance test;jobs_created;2030;1\r\n"
        b"alliance test;JOBS_CREATED;2030;2\r\n"
        b"Alliance test;jobs_created;2030;1,0\r\n"
    )
    parsed = resolve(parse(content, "c.csv"), fresh_store.known(ADMIN))
    [problem] = parsed.problems  # the third row says the same as the first: kept once
    assert (problem.row, problem.code, dict(problem.params)["first"]) == (3, "err.conflict", 2)
    assert problem.value == "2"


def test_many_changes_are_counted_and_the_first_shown(fresh_store: Store) -> None:
    from metrics.storage import plans

    fresh_store.import_file(base_workbook(), "b.xlsx", ADMIN)
    lines = ["alliance;indicateur;periode;valeur"]
    lines += [
        f"Alliance test;jobs_created;{m:02d}/{y};{m}"
        for y in range(2000, 2010)
        for m in range(1, 13)
    ]
    content = ("\r\n".join(lines) + "\r\n").encode()
    original = plans.SHOWN_CHANGES
    try:
        plans.SHOWN_CHANGES = 50
        plan = fresh_store.check(content, "m.csv", ADMIN)
    finally:
        plans.SHOWN_CHANGES = original
    assert plan.counts["added"] == 120
    assert (plan.diff["kind"] == "observations").sum() == 50 and plan.not_shown == 70
    result = fresh_store.import_file(content, "m.csv", ADMIN)
    assert result.plan.counts["added"] == 120
    assert len(fresh_store.observations(ADMIN)) == 3 + 120


def coded(chunks: list[list[str | None]]) -> pa.ChunkedArray:
    return pa.chunked_array([pa.array(c, pa.string()).dictionary_encode() for c in chunks])


def keys(alliance: list[list[str | None]], stakeholder: list[list[str | None]]) -> pa.Table:
    rows = sum(len(c) for c in alliance)
    same = [["x"] * len(c) for c in alliance]
    return pa.table(
        {
            "alliance": coded(alliance),
            "indicator": coded(same),
            "period": coded(same),
            "stakeholder": coded(stakeholder) if stakeholder else coded([[None] * rows]),
        }
    )


def test_repeated_keys_are_found_across_chunks_and_dictionaries() -> None:
    # Each chunk codes its names in its own dictionary: "B" is code 1, then code 0.
    assert observed.has_repeated_keys(keys([["A", "B"], ["B"]], []))
    assert not observed.has_repeated_keys(keys([["A", "B"], ["C"]], []))
    # A missing partner and an empty one are not the same key; two missing ones are.
    assert not observed.has_repeated_keys(keys([["A", "A"]], [[None, ""]]))
    assert observed.has_repeated_keys(keys([["A", "A"]], [[None, None]]))
    # A dictionary holding one text twice (names rewritten to their canonical spelling).
    twice = pa.DictionaryArray.from_arrays(pa.array([0, 1], pa.int32()), pa.array(["A", "A"]))
    table = keys([["A", "B"]], []).set_column(0, "alliance", pa.chunked_array([twice]))
    assert observed.has_repeated_keys(table)
