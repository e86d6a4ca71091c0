"""Hostile and unusual files: each is refused with a clear message in French and in English and
writes nothing, or is imported exactly as written; never a traceback, never the wrong alliance.

The files are generated here (the large ones in a few lines), not stored. Every import goes
through the store as the app and the CLI call it, so through the worker process that reads
files under the kernel's limits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter

from metrics.base import limits
from metrics.base.access import Actor
from metrics.base.errors import AccessDenied, MetricsError, SpreadsheetError, ValidationError
from metrics.presentation import charts
from metrics.presentation.i18n import said
from metrics.presentation.problems import message
from metrics.presentation.summaries import import_summary
from metrics.storage.store import Store
from tests.conftest import ADMIN, base_workbook, built, copied_store, ods, xlsx
from tests.lake import db_at
from tests.test_limits import rewritten, shared_strings_bomb, workbook_with_far_cell

NORTH = "Альянс Север"  # an alliance whose name is not in the Latin alphabet
HEADER = "alliance;indicateur;période;valeur\n"
EDITOR = "editeur@test.example"


def csv(*rows: str, encoding: str = "utf-8") -> bytes:
    return (HEADER + "".join(f"{r}\n" for r in rows)).encode(encoding)


def row(alliance: str = "Alliance test", value: str = "10", period: str = "2025") -> str:
    return f"{alliance};jobs_created;{period};{value}"


def definitions(name: str) -> bytes:
    return xlsx({"alliances": [[name, "Lens", "", 1000, "emploi", "2020", ""]]})


def many_sheets() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for n in range(limits.MAX_SHEETS + 1):
        book.add_worksheet(f"f{n}").write_row(0, 0, ["alliance", "indicateur"])
    book.close()
    return buffer.getvalue()


def declared_extent(ref: str) -> bytes:
    """An XLSX whose sheet declares the extent ``ref`` (a reader sizes its grid from it)."""

    def declare(xml: bytes) -> bytes:
        start = xml.index(b"<dimension")
        end = xml.index(b"/>", start) + 2
        return xml[:start] + f'<dimension ref="{ref}"/>'.encode() + xml[end:]

    return rewritten("xl/worksheets/sheet", declare)


def dated(when: dt.datetime) -> bytes:
    """An ODS whose period is a date cell (ODS, unlike Excel, holds any year)."""
    header = ["alliance", "indicateur", "période", "valeur"]
    return ods({"donnees": [header, ["Alliance test", "jobs_created", when, 3]]})


def not_a_workbook_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


def error_cells() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("donnees")
    sheet.write_row(0, 0, ["alliance", "indicateur", "période", "valeur"])
    sheet.write_row(1, 0, ["Alliance test", "jobs_created", "2025", 12])
    sheet.write_row(2, 0, ["Alliance test", "jobs_created", "2026"])
    sheet.write_formula(2, 3, "=1/0", None, "#DIV/0!")
    book.close()
    return buffer.getvalue()


@dataclass(frozen=True)
class Case:
    """One hostile or unusual file and what must come of it: ``refused`` names the catalogue
    key of the refusal (of the file, or of one of its rows); else it is imported and
    ``check`` looks at what was written."""

    name: str
    file_name: str
    content: Callable[[], bytes]
    refused: str | None = None
    check: Callable[[Store], None] | None = None
    account: str | None = None  # an editor of "Alliance test" instead of the admin


def stored_names(store: Store) -> set[str]:
    return set(store.alliance_names(ADMIN))


def value_of(store: Store, alliance: str, period: str) -> float:
    values = store.observations(ADMIN)
    chosen = values[(values["alliance"] == alliance) & (values["period"] == period)]
    (value,) = chosen["value"]
    return float(value)


LONG = "Alliance " + "x" * 200

CASES = [
    # The file itself
    Case("far cell", "far.xlsx", lambda: workbook_with_far_cell(1048575, 16383), "err.limit_rows"),
    Case("shared strings bomb", "bomb.xlsx", shared_strings_bomb, "err.limit_unpacked"),
    Case("too many sheets", "sheets.xlsx", many_sheets, "err.limit_sheets"),
    Case(
        "declared extent", "extent.xlsx", lambda: declared_extent("A1:GR999999"), "err.limit_cells"
    ),
    Case("too large", "big.csv", lambda: b"a;b\n" * (13 * limits.MB + 1), "err.limit_size"),
    Case("too many rows", "rows.csv", lambda: b"a\n" * (limits.MAX_ROWS + 1), "err.limit_rows"),
    Case("empty", "vide.csv", lambda: b"", "err.empty_file"),
    Case("spaces only", "blanc.csv", lambda: b"   \n\n  ", "err.empty_file"),
    Case("binary", "photo.csv", lambda: b"\x89PNG\r\n\x1a\n\x00\x00" * 50, "err.not_spreadsheet"),
    Case("zip, not a workbook", "archive.xlsx", not_a_workbook_zip, "err.not_spreadsheet"),
    Case("truncated workbook", "coupe.xlsx", lambda: base_workbook()[:2000], "err.not_spreadsheet"),
    Case(
        "cell too long", "long.csv", lambda: csv(row(value="1" + "0" * 40000)), "err.csv_long_cell"
    ),
    Case(
        "quote never closed",
        "quote.csv",
        lambda: csv(row(), 'Alliance test;"jobs_created;2026;1'),
        "err.csv_open_quote",
    ),
    Case(
        "text after a quote",
        "quote2.csv",
        lambda: b'"titre"\n\n' + csv('"Alliance test"x;jobs_created;2026;1'),
        "err.csv_quote",
    ),
    Case(
        "mixed encodings",
        "mixte.csv",
        lambda: csv(row(period="2025")) + "Économie;jobs_created;2026;1\n".encode("cp1252"),
        "err.mixed_encoding",
    ),
    Case(
        "repeated header",
        "double.csv",
        lambda: b"alliance;indicateur;periode;valeur;valeur\nAlliance test;jobs_created;2025;1;2\n",
        "err.duplicate_column",
    ),
    Case(
        "workbook cell too long",
        "long.ods",  # (Excel, and xlsxwriter, stop at the limit; ODS does not)
        lambda: ods(
            {
                "donnees": [
                    ["alliance", "indicateur", "période", "valeur", "commentaire"],
                    ["Alliance test", "jobs_created", "2025", 1, "x" * 40000],
                ]
            }
        ),
        "err.cell_long",
    ),
    # Names
    Case(
        "Cyrillic name of another alliance",
        "ru.csv",
        lambda: csv(row("Союз Юг")),
        "err.unknown_alliance",
    ),
    Case("Chinese name", "zh.csv", lambda: csv(row("北方联盟")), "err.unknown_alliance"),
    Case("punctuation only", "q.csv", lambda: csv(row("???")), "err.unknown_alliance"),
    Case("defined with no letter", "q.xlsx", lambda: definitions("???"), "err.name_no_letters"),
    Case(
        "bidi override", "rlo.xlsx", lambda: definitions("Alliance \u202etset"), "err.name_hidden"
    ),
    Case(
        "zero-width space", "zw.xlsx", lambda: definitions("Alliance\u200btest"), "err.name_hidden"
    ),
    Case(
        "line break in a name", "nl.xlsx", lambda: definitions("Alliance\ntest"), "err.name_hidden"
    ),
    Case("name too long", "long.xlsx", lambda: definitions(LONG), "err.name_too_long"),
    Case(
        "zero-width in a reference",
        "zw.csv",
        lambda: csv(row("Alliance\u200btest")),
        "err.unknown_alliance",
    ),
    # Numbers and periods
    Case("superscript", "sup.csv", lambda: csv(row(value="10²")), "err.bad_number"),
    Case("underflow", "under.csv", lambda: csv(row(value="1e-400")), "err.number_out_of_range"),
    Case("overflow", "over.csv", lambda: csv(row(value="1e400")), "err.number_out_of_range"),
    Case(
        "beyond a quadrillion",
        "huge.csv",
        lambda: csv(row(value="1e308")),
        "err.number_out_of_range",
    ),
    Case("infinity", "inf.csv", lambda: csv(row(value="inf")), "err.bad_number"),
    Case("fullwidth digits", "fw.csv", lambda: csv(row(value="１２")), "err.bad_number"),
    Case("date cell in year 1", "an1.ods", lambda: dated(dt.datetime(1, 1, 1)), "err.bad_period"),
    Case(
        "date cell in year 9999",
        "an9999.ods",
        lambda: dated(dt.datetime(9999, 12, 31)),
        "err.bad_period",
    ),
    # Rights over reference data
    Case(
        "built-in indicator redefined by an editor",
        "ind.xlsx",
        lambda: xlsx(
            {"indicators": [["jobs_created", "Emplois", "Jobs", "trust", "", "down", "last"]]}
        ),
        "err.indicator_denied",
        account=EDITOR,
    ),
    # Imported, exactly as written
    Case(
        "Cyrillic name, its own alliance",
        "ru_ok.csv",
        lambda: csv(row(NORTH.upper())),
        check=lambda s: value_of(s, NORTH, "2025") == 10,
    ),
    Case(
        "Windows-1252",
        "ansi.csv",
        lambda: csv(row(value="1 234,5"), encoding="cp1252"),
        check=lambda s: value_of(s, "Alliance test", "2025") == 1234.5,
    ),
    Case(
        "UTF-8 with BOM",
        "bom.csv",
        lambda: b"\xef\xbb\xbf" + csv(row(value="12,5")),
        check=lambda s: value_of(s, "Alliance test", "2025") == 12.5,
    ),
    Case(
        "Excel error cell",
        "div0.xlsx",
        error_cells,
        check=lambda s: value_of(s, "Alliance test", "2025") == 12,
    ),
    Case(
        "SQL in a name",
        "sql.xlsx",
        lambda: definitions("Robert'); DROP TABLE observation;--"),
        check=lambda s: (
            "Robert'); DROP TABLE observation;--" in stored_names(s)
            and len(s.observations(ADMIN)) > 0
        ),
    ),
    Case(
        "Markdown image in a name",
        "md.xlsx",
        lambda: definitions("![pixel](http://example.org/p.png)"),
        check=lambda s: "![pixel](http://example.org/p.png)" in stored_names(s),
    ),
    Case(
        "negative zero",
        "zero.csv",
        lambda: csv(row(value="-0")),
        check=lambda s: str(value_of(s, "Alliance test", "2025")) == "0.0",
    ),
]


@pytest.fixture(scope="module")
def _hostile_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    def fill(store: Store) -> None:
        store.import_file(base_workbook(), "base.xlsx", ADMIN)
        store.import_file(definitions(NORTH), "north.xlsx", ADMIN)
        store.add_account(ADMIN, EDITOR, "Éditeur")
        store.grant(ADMIN, EDITOR, "editor", "Alliance test", None)

    return built(tmp_path_factory.mktemp("hostile") / "hostile.duckdb", fill)


@pytest.fixture
def hostile_store(tmp_path: Path, _hostile_file: str) -> Iterator[Store]:
    yield from copied_store(_hostile_file, tmp_path)


def snapshot(store: Store) -> tuple[int, str, str]:
    """What a refusal must leave as it was: the uploads, the values, the reference data."""
    values = store.observations(ADMIN)
    digest = hashlib.sha256(pd.util.hash_pandas_object(values, index=False).values).hexdigest()
    reference = pd.concat([store.alliances(ADMIN), store.indicators(ADMIN)], ignore_index=True)
    ref_digest = hashlib.sha256(reference.to_csv().encode()).hexdigest()
    return len(store.uploads(ADMIN)), digest, ref_digest


def test_the_corpus_has_thirty_kinds_or_more() -> None:
    assert len({c.name for c in CASES}) == len(CASES) >= 30


# pandas warns that it truncates a long ODS cell; it does not (the 40,000 characters are read
# back), and that cell is the point of its case.
@pytest.mark.filterwarnings("ignore:Cell contents too long")
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_hostile_file_is_refused_clearly_or_imported_as_written(
    case: Case, hostile_store: Store
) -> None:
    actor = hostile_store.actor(case.account) if case.account else ADMIN
    assert isinstance(actor, Actor)
    before = snapshot(hostile_store)
    try:
        result = hostile_store.import_file(case.content(), case.file_name, actor)
    except MetricsError as e:
        assert case.refused is not None, f"refused: {e}"
        assert snapshot(hostile_store) == before  # nothing written
        if isinstance(e, ValidationError):
            codes = {p.code for p in e.problems}
            assert case.refused in codes, codes
            for problem in e.problems:  # each row's reason, in both languages
                assert message(problem, "fr") != message(problem, "en")
                assert "{" not in message(problem, "fr") + message(problem, "en")
        else:
            assert isinstance(e, SpreadsheetError | AccessDenied)
            assert e.key == case.refused, str(e)
            french, english = said(e, "fr"), said(e, "en")
            assert french and english and french != english
            assert "{" not in french + english and "Traceback" not in french + english
        return
    assert case.refused is None, f"imported: {import_summary(result, 'en')}"
    assert case.check is not None and case.check(hostile_store)


def test_a_file_that_exhausts_the_reader_is_refused_and_the_app_carries_on(
    hostile_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader runs in a worker under the kernel's memory limit: here a limit too small
    for reading a million values (as a hostile file would exceed the real one). The worker
    dies, the caller says why in the user's language, and the store goes on working."""
    monkeypatch.setattr(limits, "MAX_PARSE_MB", 600)
    monkeypatch.setenv("IMPACT_PARSE_MB", "600")
    content = HEADER + "".join(f"{row(period=str(2000 + n % 30))}\n" for n in range(300_000))
    before = snapshot(hostile_store)
    with pytest.raises(SpreadsheetError) as caught:
        hostile_store.import_file(content.encode(), "gros.csv", ADMIN)
    assert caught.value.key == "err.parse_memory"
    assert "600 MB" in said(caught.value, "en") and "Nothing was written" in said(
        caught.value, "en"
    )
    assert snapshot(hostile_store) == before
    monkeypatch.delenv("IMPACT_PARSE_MB")
    result = hostile_store.import_file(csv(row(value="77")), "apres.csv", ADMIN)
    assert result.upload_id is not None and value_of(hostile_store, "Alliance test", "2025") == 77


def test_sums_of_the_largest_values_stay_finite_and_print_as_json(hostile_store: Store) -> None:
    """Two values just under the limit, summed over a year: a finite number, valid JSON."""
    big = "999999999999999"
    content = csv(row(value=big, period="T1 2027"), row(value=big, period="T2 2027"))
    hostile_store.import_file(content, "grands.csv", ADMIN)
    yearly = hostile_store.aggregated(ADMIN, "Alliance test", "year")
    chosen = yearly[
        (yearly["indicator"] == "jobs_created") & (yearly["bucket"].astype(str) == "2027-01-01")
    ]
    total = float(chosen["value"].iloc[0])
    assert total == 2 * float(big)
    json.loads(json.dumps(total, allow_nan=False))


def test_names_fold_in_every_script_and_never_to_nothing() -> None:
    from metrics.base.text import key, name_problem

    assert key("Альянс Север") == key("АЛЬЯНС  север") != key("Союз Юг")
    assert key("Ёлка") == key("елка")  # accents folded in Cyrillic as in Latin
    assert key("北方联盟") == "北方联盟" != key("南方联盟")
    assert key("Économie") == key("ECONOMIE") == "economie"
    assert name_problem("???") == "err.name_no_letters"
    assert name_problem("A\u202eB") == name_problem("A\u200bB") == "err.name_hidden"
    assert name_problem("x" * 121) == "err.name_too_long" and name_problem("x" * 120) is None


def test_chart_labels_from_spreadsheets_are_text_not_markup() -> None:
    """A partner named with a link and bold tags: the figure holds them escaped, so plotly
    shows the characters and makes no link."""
    name = '<a href="http://example.org">clic</a> <b>gras</b>'
    frame = pd.DataFrame({"alliance": [name, name], "year": [2024, 2025], "value": [1.0, 2.0]})
    figure = charts.comparison_lines(frame, "Titre", "axe", "fr", highlight=name)
    text = figure.to_json()
    assert "<a href" not in text and "&lt;a href=" in text and "<b>gras" not in text


def test_the_cell_length_named_in_messages_is_the_limit() -> None:
    from metrics.presentation import formatting
    from metrics.presentation.i18n import t

    for lang in ("fr", "en"):
        shown = formatting.number(limits.MAX_CELL, lang).replace("\u202f", " ")
        assert shown in t("err.cell_long", lang)


def test_the_command_line_refuses_a_file_too_large_before_reading_it(tmp_path: Path) -> None:
    from metrics import cli

    big = tmp_path / "enorme.csv"
    with big.open("wb") as out:  # sparse: the size is there, not the bytes
        out.truncate(limits.MAX_FILE_MB * limits.MB + 1)
    code = cli.main(["--lang", "en", "import", str(big), "--db", str(db_at(tmp_path / "x.duckdb"))])
    assert code == 1
