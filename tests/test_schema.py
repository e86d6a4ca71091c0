"""The spreadsheet contract declared once (``metrics.sheets.schema``): the template it writes is
read back whole in both languages, the README's sheet table says what it declares, and every
entry is complete in French and English."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from metrics.base import catalog, config
from metrics.base.text import key
from metrics.sheets import schema
from metrics.sheets.files import read_tables
from metrics.sheets.ingest import parse
from metrics.sheets.layout import detect
from metrics.sheets.workbook import template

LANGUAGES = ("fr", "en")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_template_is_read_back_whole(lang: str) -> None:
    """Every sheet the template writes is found by its name, every header it writes is
    recognised as its column, in its place; the explanation sheet is skipped."""
    tables = read_tables(template(lang), f"modele_{lang}.xlsx")
    found = {}
    for table in tables:
        if key(table.name) in schema.README_SHEETS:
            assert table.name == schema.README_SHEET[lang]
            continue
        kind = schema.kind_named(table.name)
        assert kind is not None, table.name
        assert table.name == schema.BY_KIND[kind].name(lang)
        layout = detect(table, kind)
        assert layout is not None and layout.header_row == 0, table.name
        columns = schema.BY_KIND[kind].template_columns
        assert layout.columns == {c.field: i for i, c in enumerate(columns)}, table.name
        assert not layout.wide
        found[kind] = table.name
    assert list(found) == list(schema.KINDS)
    parsed = parse(template(lang), f"modele_{lang}.xlsx")
    assert [kind for _, kind in parsed.sheets_read] == list(schema.KINDS)
    assert parsed.ok and not parsed.sheets_ignored and not parsed.sheets_empty


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_sheet_is_recognised_by_its_headers_alone(lang: str) -> None:
    """A sheet named nothing in particular (``Feuil1``, a CSV) is known by its headers in
    either language, whatever language the others are in."""
    for sheet in schema.SHEETS:
        header = ";".join(c.header(lang) for c in sheet.template_columns)
        tables = read_tables(f"{header}\r\n".encode(), "Feuil1.csv")
        layout = detect(tables[0], None)
        assert layout is not None and layout.kind == sheet.kind, sheet.kind


def test_every_header_and_synonym_means_its_column() -> None:
    for sheet in schema.SHEETS:
        for column in sheet.columns:
            for header in column.headers:
                assert schema.field_of(sheet.kind, header) == column.field, (sheet.kind, header)
            assert all(synonym == key(synonym) for synonym in column.synonyms), column.field
        for name in sheet.names:
            assert schema.kind_named(name) == sheet.kind
        assert set(sheet.signature) <= set(sheet.fields), sheet.kind
        assert set(sheet.identity) <= set(sheet.fields), sheet.kind


def test_every_entry_is_complete_in_both_languages() -> None:
    for sheet in schema.SHEETS:
        assert sheet.fr and sheet.en and sheet.table, sheet.kind
        assert sheet.required, sheet.kind
        for column in sheet.columns:
            assert column.fr and column.en and column.help_fr and column.help_en, column.field
            assert all(column.filled), column.field
            if column.kind == "choice":
                assert column.choices in schema.VOCABULARIES, column.field
                assert (column.default is None) == column.required, column.field
            else:
                assert column.choices is None and column.default is None, column.field
            assert not column.required or column.template, column.field
    for vocabulary in schema.VOCABULARIES.values():
        for labels in vocabulary.values():
            assert set(labels) == set(LANGUAGES) and all(labels.values())
    assert set(schema.VOCABULARIES) >= {k for k in catalog.SYNONYMS}


def test_the_frames_hold_every_field_of_their_sheet() -> None:
    observations = schema.BY_KIND["observations"]
    spread = [part for c in observations.columns for part in c.filled if c.field == "period"]
    assert set(schema.OBSERVATION_FRAME) == {
        *(f for f in observations.fields if f != "period"),
        *spread,
        *schema.SOURCE,
    }
    assert schema.TARGET_FRAME[: len(schema.BY_KIND["targets"].fields)] == list(
        schema.BY_KIND["targets"].fields
    )


def _readme_table() -> list[tuple[list[str], list[tuple[str, str, bool]]]]:
    """The README's sheet table: each row's sheet names, and its columns as (French header,
    English header, required: written in bold)."""
    readme = (config.ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Spreadsheets") :]
    section = section[section.index("| sheet (FR / EN) |") :]
    rows = []
    for line in section.splitlines()[2:]:
        if not line.startswith("|"):
            break
        sheet, columns = (cell.strip() for cell in line.strip("|").split("|"))
        rows.append((re.findall(r"`([^`]+)`", sheet), [_column(c) for c in _split(columns)]))
    return rows


def _split(cell: str) -> list[str]:
    """The items of a list written ``a, b (x, y), c``: commas inside brackets do not split."""
    items, depth, current = [], 0, ""
    for character in cell:
        depth += {"(": 1, ")": -1}.get(character, 0)
        if character == "," and depth == 0:
            items.append(current.strip())
            current = ""
        else:
            current += character
    return [*items, current.strip()]


def _column(item: str) -> tuple[str, str, bool]:
    """``**fr / en** (note)`` -> (fr, en, True); ``name`` -> (name, name, False)."""
    headers = item.split(" (")[0]
    required = headers.startswith("**") and headers.endswith("**")
    fr, _, en = headers.strip("*").partition(" / ")
    return fr, en or fr, required


def test_the_readme_sheet_table_says_what_the_schema_declares() -> None:
    table = _readme_table()
    assert [names for names, _ in table] == [
        [sheet.fr] if sheet.fr == sheet.en else [sheet.fr, sheet.en] for sheet in schema.SHEETS
    ]
    for (names, columns), sheet in zip(table, schema.SHEETS, strict=True):
        declared = [(c.fr, c.en, c.required) for c in sheet.template_columns]
        assert columns == declared, names


def test_reading_a_file_needs_no_catalogue_of_sentences() -> None:
    """The worker that reads files loads the readers, never the translations: problems and
    refusals leave it as keys and parameters."""
    code = (
        "import sys\n"
        "from metrics.sheets import ingest, isolation\n"
        "content = b'alliance;indicateur;periode;valeur\\r\\nA;x;2023;1\\r\\n'\n"
        "parsed = ingest.parse(content, 'f.csv')\n"
        "assert parsed.sheets_read == [('f', 'observations')], parsed.sheets_read\n"
        "loaded = [m for m in sys.modules if m.startswith('metrics.presentation')]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=config.ROOT)
