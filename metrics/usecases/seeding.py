"""The demo: the committed sample workbook imported, validated, into a store."""

from __future__ import annotations

from metrics.base import config
from metrics.base.access import Actor
from metrics.sheets import sample
from metrics.storage.store import ImportResult, Store


def seed(store: Store) -> ImportResult:
    """Import the committed sample workbook (regenerated if it is missing), validated."""
    path = config.SAMPLE_WORKBOOK
    content = path.read_bytes() if path.is_file() else sample.build()
    return store.import_file(content, path.name, Actor.system("seed"), validate=True)
