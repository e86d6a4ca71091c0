"""Declared vocabularies are complete in both languages, and every UI string is used."""

from __future__ import annotations

import re
import subprocess
import sys

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from metrics.base import catalog, config
from metrics.presentation import i18n
from metrics.presentation.i18n import LANGUAGES


def test_indicator_catalog_is_complete() -> None:
    codes = [i.code for i in catalog.CATALOG]
    assert len(codes) == len(set(codes)) >= 25
    for indicator in catalog.CATALOG:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", indicator.code)
        assert indicator.label_fr and indicator.label_en and indicator.unit
        assert indicator.help_fr and indicator.help_en
        assert indicator.dimension in catalog.DIMENSIONS
        assert indicator.direction in catalog.DIRECTIONS
        assert indicator.aggregation in catalog.AGGREGATIONS
    assert {i.dimension for i in catalog.CATALOG} == set(catalog.DIMENSIONS)
    assert set(catalog.PREREQUISITES) <= set(codes)


def test_vocabularies_have_both_languages() -> None:
    for vocabulary in (
        catalog.DIMENSIONS,
        catalog.DIRECTIONS,
        catalog.AGGREGATIONS,
        catalog.STAKEHOLDER_TYPES,
        catalog.STAGES,
    ):
        for labels in vocabulary.values():
            assert set(labels) == set(LANGUAGES) and all(labels.values())


def _catalogue(lang: str) -> Catalog:
    """``lang``'s catalogue as written, fuzzy and empty translations included."""
    with i18n.catalogue_file(lang).open("rb") as file:
        return read_po(file, abort_invalid=True)


def test_each_language_has_a_utf8_catalogue_that_says_its_language() -> None:
    for lang in LANGUAGES:
        po = _catalogue(lang)
        assert str(po.locale) == lang
        assert po.charset.lower() == "utf-8"
        assert not list(po.check())


def test_every_string_has_both_languages_with_the_same_placeholders() -> None:
    strings = {lang: {str(m.id): m for m in _catalogue(lang) if m.id} for lang in LANGUAGES}
    keys = strings[i18n.SOURCE].keys()
    for lang, messages in strings.items():
        assert messages.keys() == keys, lang
    for key in keys:
        for lang in LANGUAGES:
            message = strings[lang][key]
            assert message.string and not message.fuzzy, (key, lang)
        placeholders = {
            lang: set(re.findall(r"{(\w+)}", str(strings[lang][key].string))) for lang in LANGUAGES
        }
        assert placeholders["fr"] == placeholders["en"], key


def test_every_string_is_used() -> None:
    sources = [
        p for folder in ("metrics", "pages", "ui") for p in (config.ROOT / folder).rglob("*.py")
    ] + [config.ROOT / "app.py"]
    code = "\n".join(p.read_text(encoding="utf-8") for p in sources if p.name != "i18n.py")
    keys = list(i18n.catalogue(i18n.SOURCE))
    prefixes = {k.rsplit(".", 1)[0] + "." for k in keys}
    unused = []
    for key in keys:
        if f'"{key}"' in code or f"'{key}'" in code:
            continue
        # Keys built at run time, e.g. f"kind.{kind}", f"home.col.{c}" or "badge.short." + b.
        prefix = key.rsplit(".", 1)[0] + "."
        built = (f'"{prefix}{{', f"'{prefix}{{", f'"{prefix}" +', f"'{prefix}' +")
        if prefix in prefixes and any(form in code for form in built):
            continue
        unused.append(key)
    assert not unused


def test_metrics_does_not_import_streamlit() -> None:
    code = (
        "import sys, metrics, metrics.storage.store, metrics.cli, metrics.sheets.ingest, "
        "metrics.sheets.sample, metrics.presentation.formatting, metrics.presentation.pack\n"
        "assert 'streamlit' not in sys.modules, 'streamlit imported'"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=config.ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr


def test_a_theme_reads_in_the_readers_language_and_free_text_as_written() -> None:
    assert catalog.theme_label("isolement des aînés", "en") == "isolation of older people"
    assert catalog.theme_label("Isolement des aines ", "en") == "isolation of older people"
    assert catalog.theme_label("reoffending", "fr") == "récidive"
    assert catalog.theme_label("quartiers prioritaires", "en") == "quartiers prioritaires"
    assert catalog.theme_label(None, "fr") == ""
