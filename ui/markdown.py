"""Text from a spreadsheet or an account, as Markdown must receive it to show it as it is."""

from __future__ import annotations

import re
from typing import Any

# Characters Streamlit's Markdown gives a meaning to: emphasis, links and images, HTML, code,
# LaTeX ($), coloured text and icons (:red[...], :material/...:), tables, headings, lists.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


# Streamlit's Markdown also turns a bare address into a link after escapes are read (GFM's
# autolink literals): a word joiner (U+2060, invisible, zero width) inside "://" and "www."
# keeps an address written in a name as text; before "@", an e-mail address (which would be a
# "mailto:" link: GFM links a name, "@" and a domain written together).
_ADDRESS = re.compile(r"(?i)(:)(//)|\b(www)(\\?\.)")
JOINER = "\u2060"


def md(text: Any) -> str:
    """Text from a spreadsheet or an account (a name, a description, a file name, an e-mail
    address) as it must appear in Markdown: every character shown as itself, nothing
    interpreted (no remote image, no link, no colour, no formula)."""
    escaped = _MARKDOWN.sub(r"\\\1", str(text)).replace("\n", " ").replace("@", JOINER + "@")
    return _ADDRESS.sub(lambda m: JOINER.join(g for g in m.groups() if g), escaped)
