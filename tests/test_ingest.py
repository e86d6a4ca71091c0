"""Parsing and reference checks over real CSV, XLSX and ODS bytes."""

from __future__ import annotations

from typing import Any

import pytest

from metrics.base.catalog import CATALOG
from metrics.base.errors import SpreadsheetError
from metrics.presentation.i18n import said
from metrics.presentation.problems import line, message
from metrics.sheets.ingest import Known, Parsed, parse, resolve
from metrics.storage.store import Store
from tests.conftest import ADMIN, base_workbook, ods, xlsx

HEADER_FR = ["alliance", "indicateur", "période", "valeur", "partenaire", "commentaire"]
HEADER_EN = ["alliance", "indicator", "period", "value", "stakeholder", "comment"]


def known() -> Known:
    k = Known(
        alliances={"alliance_test": "Alliance test"},
        stakeholders={("Alliance test", "entreprise_a"): "Entreprise A"},
    )
    for indicator in CATALOG:
        k.add_indicator(indicator.code, indicator.label_fr, indicator.label_en)
    return k


def checked(content: bytes, name: str) -> Parsed:
    return resolve(parse(content, name), known())


def values(parsed: Parsed) -> list[tuple[str, str, str, float, str]]:
    return [
        (
            r.values["alliance"],
            r.values["indicator"],
            r.values["period"].canonical,
            r.values["value"],
            r.values["stakeholder"],
        )
        for r in parsed.records["observations"]
    ]


def csv_bytes(
    rows: list[list[str]], sep: str = ";", encoding: str = "utf-8", newline: str = "\r\n"
) -> bytes:
    return newline.join(sep.join(row) for row in rows).encode(encoding) + newline.encode()


EXPECTED = [
    ("Alliance test", "jobs_created", "2023-Q2", 1234.5, ""),
    ("Alliance test", "unemployment_rate", "2023", 12.5, ""),
]
ROWS_FR = [
    HEADER_FR[:4],
    ["Alliance test", "jobs_created", "T2 2023", "1 234,5"],
    ["alliance TEST", "Taux de chômage local", "2023", "12,5 %"],
]
ROWS_EN = [
    HEADER_EN[:4],
    ["Alliance test", "jobs_created", "Q2 2023", "1234.5"],
    ["Alliance test", "Local unemployment rate", "2023", "12.5"],
]


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (csv_bytes(ROWS_FR, ";", "cp1252"), "excel_fr.csv"),  # Excel FR: ; and Windows-1252
        (b"\xef\xbb\xbf" + csv_bytes(ROWS_FR, ";"), "excel_utf8_bom.csv"),
        (csv_bytes(ROWS_FR, ";", newline="\n"), "libreoffice.csv"),
        (csv_bytes(ROWS_EN, ","), "comma.csv"),
        (csv_bytes(ROWS_EN, "\t"), "tab.txt"),
        (csv_bytes([[f'"{c}"' for c in r] for r in ROWS_FR], ";"), "quoted.csv"),
    ],
)
def test_csv_dialects(content: bytes, name: str) -> None:
    parsed = checked(content, name)
    assert parsed.ok, [line(p, "en") for p in parsed.problems]
    assert values(parsed) == EXPECTED


def test_csv_with_comma_decimal_and_comma_separator_in_quotes() -> None:
    content = csv_bytes(
        [HEADER_EN[:4], ["Alliance test", "jobs_created", "2023", '"1 234,5"']], ","
    )
    assert values(checked(content, "x.csv"))[0][3] == 1234.5


def test_xlsx_and_ods_read_the_same() -> None:
    rows = [
        HEADER_FR[:5],
        ["Alliance test", "jobs_created", "T2 2023", 1234.5, ""],
        ["Alliance test", "unemployment_rate", "2023", "12,5", None],
    ]
    from_ods = checked(ods({"données": rows}), "classeur.ods")
    from_xlsx = checked(xlsx({"observations": [[*r, ""] for r in rows[1:]]}), "classeur.xlsx")
    assert from_ods.ok and from_xlsx.ok
    assert values(from_ods) == values(from_xlsx) == EXPECTED


def test_excel_date_cell_is_a_day() -> None:
    import datetime as dt

    parsed = checked(
        xlsx(
            {"observations": [["Alliance test", "jobs_created", dt.date(2023, 5, 31), 3, "", ""]]}
        ),
        "d.xlsx",
    )
    assert values(parsed)[0][2] == "2023-05-31"


def test_title_rows_above_header_are_skipped_and_rows_numbered_as_seen() -> None:
    rows = [
        ["Suivi de l'alliance 2023"],
        [""],
        HEADER_FR[:4],
        ["Alliance test", "jobs_created", "2023", "abc"],
    ]
    parsed = checked(csv_bytes(rows), "titre.csv")
    (problem,) = parsed.problems
    assert (problem.row, problem.column, problem.value) == (4, "valeur (D)", "abc")
    assert problem.code == "err.bad_number"


def test_wide_layout_years_as_columns() -> None:
    rows = [
        ["alliance", "indicateur", "partenaire", "2022", "2023", "T1 2024"],
        ["Alliance test", "jobs_created", "", "10", "n.d.", "4"],
        ["Alliance test", "jobs_created", "Entreprise A", "", "7", ""],
    ]
    parsed = checked(csv_bytes(rows), "wide.csv")
    assert parsed.ok
    assert values(parsed) == [
        ("Alliance test", "jobs_created", "2022", 10.0, ""),
        ("Alliance test", "jobs_created", "2024-Q1", 4.0, ""),
        ("Alliance test", "jobs_created", "2023", 7.0, "Entreprise A"),
    ]
    assert len(parsed.missing) == 3


def test_wide_layout_from_xlsx_number_headers() -> None:
    from tests.conftest import ods as make_ods

    content = make_ods(
        {
            "données": [
                ["alliance", "indicateur", 2022, 2023],
                ["Alliance test", "jobs_created", 10, 12],
            ]
        }
    )
    parsed = checked(content, "wide.ods")
    assert [v[2] for v in values(parsed)] == ["2022", "2023"]


def test_english_sheet_names_and_headers() -> None:
    content = xlsx(
        {"observations": [["Alliance test", "Jobs created", "May 2023", 3, "", ""]]}, lang="en"
    )
    parsed = checked(content, "en.xlsx")
    assert values(parsed) == [("Alliance test", "jobs_created", "2023-05", 3.0, "")]


def test_missing_values_are_counted_not_stored() -> None:
    rows = [HEADER_FR[:4]] + [
        ["Alliance test", "jobs_created", str(y), marker]
        for y, marker in zip(range(2015, 2022), ["", "n.d.", "nd", "NA", "N/A", "-", "—"])
    ]
    parsed = checked(csv_bytes(rows), "m.csv")
    assert parsed.ok
    assert parsed.records["observations"] == []
    assert len(parsed.missing) == 7


@pytest.mark.parametrize(
    ("row", "code", "column"),
    [
        (["Inconnue", "jobs_created", "2023", "1"], "err.unknown_alliance", "alliance (A)"),
        (["Alliance test", "no_such", "2023", "1"], "err.unknown_indicator", "indicateur (B)"),
        (
            ["Alliance test", "jobs_created", "2023", "1", "Personne"],
            "err.unknown_stakeholder",
            "partenaire (E)",
        ),
        (["Alliance test", "jobs_created", "2023", "douze"], "err.bad_number", "valeur (D)"),
        (["Alliance test", "jobs_created", "2023-13", "1"], "err.bad_period", "période (C)"),
        (["Alliance test", "jobs_created", "", "1"], "err.required", "période (C)"),
    ],
)
def test_each_refusal_names_row_column_value(row: list[str], code: str, column: str) -> None:
    parsed = checked(csv_bytes([HEADER_FR[:5], row + [""] * (5 - len(row))]), "bad.csv")
    assert [(p.code, p.row, p.column) for p in parsed.problems] == [(code, 2, column)]
    for lang in ("fr", "en"):
        assert line(parsed.problems[0], lang)


def test_two_rows_with_different_values_name_both_rows() -> None:
    rows = [
        HEADER_FR[:4],
        ["Alliance test", "jobs_created", "2023", "1"],
        ["Alliance test", "jobs_created", "2024", "5"],
        ["Alliance test", "Emplois créés", "2023", "2"],
    ]
    parsed = checked(csv_bytes(rows), "dup.csv")
    (problem,) = parsed.problems
    assert problem.code == "err.conflict" and problem.row == 4
    assert "ligne 2" in message(problem, "fr") and "row 2" in message(problem, "en")


def test_identical_duplicate_rows_are_kept_once() -> None:
    rows = [
        HEADER_FR[:4],
        ["Alliance test", "jobs_created", "2023", "1"],
        ["Alliance test", "jobs_created", "2023", "1,0"],
    ]
    parsed = checked(csv_bytes(rows), "dup.csv")
    assert parsed.ok and len(parsed.records["observations"]) == 1


def test_references_defined_in_the_same_workbook_resolve() -> None:
    catalog_only = Known(indicators=known().indicators)
    parsed = resolve(parse(base_workbook(), "b.xlsx"), catalog_only)
    assert parsed.ok, [line(p, "en") for p in parsed.problems]
    assert len(parsed.records["observations"]) == 3


def test_missing_required_column() -> None:
    parsed = checked(
        csv_bytes(
            [
                ["alliance", "indicateur", "reference", "cible"],
                ["Alliance test", "jobs_created", "1", "2"],
            ]
        ),
        "t.csv",
    )
    assert sorted(dict(p.params)["column"] for p in parsed.problems) == [
        "periode_cible / target_period",
        "periode_reference / baseline_period",
    ]
    assert {p.code for p in parsed.problems} == {"err.missing_column"}


def test_target_rules() -> None:
    content = xlsx(
        {
            "targets": [
                ["Alliance test", "jobs_created", "2023", 10, "2026", 10],
                ["Alliance test", "unemployment_rate", "2024", 15, "2023", 12],
            ]
        }
    )
    parsed = checked(content, "t.xlsx")
    assert sorted(p.code for p in parsed.problems) == [
        "err.target_before_baseline",
        "err.target_equals_baseline",
    ]


def test_bad_vocabulary_lists_choices() -> None:
    content = xlsx(
        {"indicators": [["x_rate", "Taux X", "X rate", "bonheur", "%", "up", "mean", ""]]}
    )
    parsed = checked(content, "i.xlsx")
    (problem,) = parsed.problems
    assert problem.code == "err.bad_choice"
    assert "Climat de confiance" in message(problem, "fr")


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "vide.csv"),
        (b"   \r\n", "blanc.csv"),
        (b"%PDF-1.4\x00\x01\x02binary", "scan.pdf"),
        (b"PK\x03\x04not really a zip", "broken.xlsx"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "x.png"),
    ],
)
def test_unreadable_files_raise_a_clear_error(content: bytes, name: str) -> None:
    with pytest.raises(SpreadsheetError) as caught:
        parse(content, name)
    assert name in said(caught.value, "fr")


def test_header_only_is_refused() -> None:
    parsed = checked(csv_bytes([HEADER_FR[:4]]), "entete.csv")
    assert [p.code for p in parsed.problems] == ["err.no_rows"]


def test_unrelated_table_is_refused() -> None:
    parsed = checked(csv_bytes([["nom", "prénom"], ["Dupont", "Jean"]]), "contacts.csv")
    assert [p.code for p in parsed.problems] == ["err.no_recognised_sheet"]


def test_progress_is_reported() -> None:
    seen: list[Any] = []
    parse(base_workbook(), "b.xlsx", progress=lambda f, s: seen.append((f, s)))
    assert seen[0][0] < seen[-1][0] == 1.0


def test_store_check_writes_nothing(fresh_store: Store) -> None:
    plan = fresh_store.check(base_workbook(), "b.xlsx", ADMIN)
    assert plan.ok and plan.counts["added"] == 7
    assert fresh_store.uploads(ADMIN).empty and fresh_store.alliances(ADMIN).empty
