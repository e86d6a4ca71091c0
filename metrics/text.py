"""Text helpers shared by the parsers: folding for case-, accent- and space-insensitive matching."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower-case, strip accents and outer spaces: ``" Données "`` -> ``"donnees"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold().strip()


def key(text: str) -> str:
    """A matching key for names and headers: folded, inner spaces/punctuation collapsed to ``_``.

    >>> key("Date de création")
    'date_de_creation'
    """
    return re.sub(r"[^0-9a-z%]+", "_", fold(text)).strip("_")
