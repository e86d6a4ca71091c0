"""Declared vocabularies are complete in both languages, and every UI string is used."""

from __future__ import annotations

import re
import subprocess
import sys

from metrics.base import catalog, config
from metrics.presentation.i18n import LANGUAGES, STRINGS


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


def test_every_string_has_both_languages_with_the_same_placeholders() -> None:
    for key, entry in STRINGS.items():
        assert set(entry) == set(LANGUAGES), key
        placeholders = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in entry.items()}
        assert placeholders["fr"] == placeholders["en"], key


def test_every_string_is_used() -> None:
    sources = [
        p for folder in ("metrics", "app_pages", "ui") for p in (config.ROOT / folder).rglob("*.py")
    ] + [config.ROOT / "app.py"]
    code = "\n".join(p.read_text(encoding="utf-8") for p in sources if p.name != "i18n.py")
    prefixes = {k.rsplit(".", 1)[0] + "." for k in STRINGS}
    unused = []
    for key in STRINGS:
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
