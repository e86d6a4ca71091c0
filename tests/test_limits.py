"""Files beyond the limits are refused at once, naming the limit; repeated headers and Excel error
cells are never read as data."""

from __future__ import annotations

import io
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import xlsxwriter

from metrics.base import config, limits
from metrics.base.errors import SpreadsheetError, ValidationError
from metrics.presentation.i18n import said
from metrics.presentation.problems import line
from metrics.sheets.ingest import parse
from metrics.storage.store import Store
from tests.conftest import ADMIN, base_workbook
from tests.lake import db_at

HEADER = "alliance;indicateur;période;valeur\n"


def test_the_app_upload_limit_is_the_import_limit() -> None:
    settings = tomllib.loads((config.ROOT / ".streamlit" / "config.toml").read_text())
    assert settings["server"]["maxUploadSize"] == limits.MAX_FILE_MB


def test_a_file_too_large_is_refused_naming_the_limit(base_store: Store) -> None:
    row = "Alliance test;jobs_created;2023;1\n"
    big = (HEADER + row * (limits.MAX_FILE_MB * limits.MB // len(row) + 10)).encode()
    with pytest.raises(SpreadsheetError) as caught:
        base_store.import_file(big, "big.csv", ADMIN)
    assert f"the limit is {limits.MAX_FILE_MB} MB per file" in said(caught.value, "en")
    assert len(base_store.uploads(ADMIN)) == 1


def test_too_many_rows_is_refused_before_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_ROWS", 3)
    rows = "".join(f"Alliance test;jobs_created;{2020 + i};1\n" for i in range(3))
    with pytest.raises(SpreadsheetError) as caught:
        parse((HEADER + rows).encode(), "rows.csv")
    assert "has 4 rows, the limit is 3 rows per sheet" in said(caught.value, "en")
    parse((HEADER + rows[: rows.index("\n") + 1]).encode(), "ok.csv")


def workbook_with_far_cell(row: int, column: int) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("donnees")
    sheet.write_row(0, 0, ["alliance", "indicateur", "période", "valeur"])
    sheet.write(row, column, "x")
    book.close()
    return buffer.getvalue()


def test_a_cell_at_the_last_column_is_refused_without_building_the_sheet() -> None:
    """One cell at XFD1048576 made the spreadsheet reader allocate 512 GB and abort the server
    process: the extent is read from the cell references first. Run in a process of its own,
    so that a regression cannot take the test run down with it."""
    code = (
        "from metrics.sheets.ingest import parse\n"
        "from metrics.base.errors import SpreadsheetError\n"
        "from metrics.presentation.i18n import said\n"
        "from tests.test_limits import workbook_with_far_cell\n"
        "try:\n"
        "    parse(workbook_with_far_cell(1048575, 16383), 'bomb.xlsx')\n"
        "except SpreadsheetError as e:\n"
        "    print(said(e, 'en'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=config.ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr[-500:]
    assert f"the limit is {limits.MAX_ROWS:,} rows per sheet" in out.stdout  # grouped
    wide = workbook_with_far_cell(5, limits.MAX_COLUMNS + 5)
    with pytest.raises(SpreadsheetError) as caught:
        parse(wide, "wide.xlsx")
    assert f"spans {limits.MAX_COLUMNS + 6} columns" in said(caught.value, "en")


def sheet_archive(sheet_xml: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("cells", "limit"),
    [
        (b'<c r="A2000000"/>', "rows"),
        (b'<c\tr="A2000000"/>', "rows"),  # any XML whitespace before the attribute
        (b'<row\nr="2000000"/>', "rows"),
        (b'<c s="1" r="ZZ1"/>', "columns"),
        (b'<pageMargins footer="ZZ1" header="A2000000"/>', None),  # other attributes
        (b'<c r="A999999"/><c r="D5"/>', None),  # within the limits
        (b'<c r="A5"/><c r="GR5"/>', None),
        (b'<c r="A999999"/><c r="GR5"/>', "cells"),  # 200 million cells, empty or not
        (b'<dimension ref="A1:XFD1048576"/><c r="A1"/>', "rows"),  # as declared
    ],
)
def test_the_extent_is_read_from_cell_references_only(cells: bytes, limit: str | None) -> None:
    found = limits.xlsx_breach(sheet_archive(b"<worksheet><sheetData>" + cells + b"</sheetData>"))
    assert (found.limit if found else None) == limit


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_two_columns_with_the_same_header_are_refused(suffix: str, base_store: Store) -> None:
    before = base_store.observations(ADMIN)
    if suffix == "csv":
        content = (
            "alliance;indicateur;période;valeur;valeur\nAlliance test;jobs_created;2023;10;99\n"
        ).encode()
    else:
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = book.add_worksheet("donnees")
        sheet.write_row(0, 0, ["alliance", "indicateur", "période", "Valeur", "valeur "])
        sheet.write_row(1, 0, ["Alliance test", "jobs_created", "2023", 10, 99])
        book.close()
        content = buffer.getvalue()
    with pytest.raises(ValidationError) as caught:
        base_store.import_file(content, f"twice.{suffix}", ADMIN)
    [problem] = caught.value.problems
    assert problem.row == 1 and problem.code == "err.duplicate_column"
    assert "(D)" in line(problem, "en") and "(E)" in line(problem, "en")
    assert base_store.observations(ADMIN).equals(before)


def test_two_columns_for_the_same_year_are_refused() -> None:
    content = b"alliance;indicateur;2023;2024;2023\nAlliance test;jobs_created;1;2;3\n"
    parsed = parse(content, "wide.csv")
    assert [p.code for p in parsed.problems] == ["err.duplicate_column"]
    assert "2023 (C), 2023 (E)" in line(parsed.problems[0], "en")


def test_excel_error_cells_are_missing_values_named_never_numbers(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("donnees")
    sheet.write_row(0, 0, ["alliance", "indicateur", "période", "valeur"])
    for row, (formula, error) in enumerate(
        [("=1/0", "#DIV/0!"), ("=NA()", "#N/A"), ("=#REF!", "#REF!")], start=1
    ):
        sheet.write_row(row, 0, ["Alliance test", "jobs_created", str(2020 + row)])
        sheet.write_formula(row, 3, formula, None, error)
    sheet.write_row(4, 0, ["Alliance test", "jobs_created", "2024", 14])
    book.close()
    content = buffer.getvalue()
    parsed = parse(content, "erreurs.xlsx")
    assert parsed.ok
    assert [(row, held) for _, row, _, held in parsed.missing] == [
        (2, "#DIV/0!"),
        (3, "#N/A"),
        (4, "#REF!"),
    ]
    assert [r.values["value"] for r in parsed.records["observations"]] == [14.0]
    # the CLI names each one on stderr, and stores none of them
    file = tmp_path / "erreurs.xlsx"
    file.write_bytes(content)
    db = db_at(tmp_path / "e.duckdb")
    with Store(db) as store:
        store.import_file(base_workbook(), "base.xlsx", ADMIN)
    out = subprocess.run(
        [sys.executable, "-m", "metrics", "--lang", "en", "import", str(file), "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=config.ROOT,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "3 missing value(s) skipped" in out.stdout
    assert "row 2, valeur (D): Excel error \u201c#DIV/0!\u201d" in out.stderr
    assert "#REF!" in out.stderr and "#N/A" in out.stderr


def test_a_sheet_name_with_an_ampersand_still_finds_its_errors() -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("R&D 2023")
    sheet.write_row(0, 0, ["alliance", "indicateur", "période", "valeur"])
    sheet.write_row(1, 0, ["Alliance test", "jobs_created", "2023"])
    sheet.write_formula(1, 3, "=1/0", None, "#DIV/0!")
    book.close()
    parsed = parse(buffer.getvalue(), "rd.xlsx")
    assert parsed.missing == [("R&D 2023", 2, "valeur (D)", "#DIV/0!")]


def rewritten(member: str, change: Callable[[bytes], bytes]) -> bytes:
    """A one-row XLSX whose parts named ``member...`` are passed through ``change``."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx_with_rows(1))) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith(member):
                data = change(data)
            out.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def shared_strings_bomb() -> bytes:
    """A small XLSX whose shared strings inflate to 300 MB."""
    huge = b"<si><t>" + b"A" * (300 * limits.MB) + b"</t></si></sst>"
    return rewritten("xl/sharedStrings.xml", lambda xml: xml.replace(b"</sst>", huge))


def test_shared_strings_that_unpack_to_gigabytes_are_refused() -> None:
    """A small XLSX whose shared strings inflate far beyond any sheet a person writes."""
    content = shared_strings_bomb()
    assert len(content) < 2 * limits.MB
    with pytest.raises(SpreadsheetError) as caught:
        parse(content, "bomb.xlsx")
    assert "once unpacked" in said(caught.value, "en")


def xlsx_with_rows(rows: int) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("donnees")
    sheet.write_row(0, 0, ["alliance", "indicateur", "période", "valeur"])
    for r in range(1, rows + 1):
        sheet.write_row(r, 0, ["Alliance test", "jobs_created", str(2000 + r), r])
    book.close()
    return buffer.getvalue()
