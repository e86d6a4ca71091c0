"""What a page with nothing to show says instead (``metrics.presentation.empty``): the next
step for its reader, with the template to fill and the page to import it on when the reader
may import, and no empty chart or table frame."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.presentation import empty
from metrics.sheets import workbook
from ui import navigation, widgets
from ui.database import store
from ui.language import lang, tr
from ui.session import actor


def said(here: str, alliances: pd.DataFrame) -> bool:
    """When no alliance of ``alliances`` (those the reader reads) has a value, say what to do
    next on page ``here`` and return ``True`` (the page then draws nothing more)."""
    who = actor()
    admins = store().administrators() if not who.admin else []
    step = empty.next_step(who, alliances, admins, here)
    if step is None:
        return False
    st.info(tr(step.key, **step.params), icon=":material/lightbulb:")
    if step.template or step.page:
        left, right = st.columns([1, 3], vertical_alignment="center")
        if step.template:
            with left:
                language = lang()
                widgets.download_button(
                    tr("data.template_button"),
                    lambda: workbook.template(language),
                    {"kind": "template"},
                    file_name=tr("data.template_file"),
                    mime=widgets.XLSX,
                    key=f"{here}_empty_template",
                    icon=":material/download:",
                )
        if step.page:
            target = navigation.page(step.page)
            right.page_link(target.file, label=tr("empty.to_data"), icon=target.material_icon)
    return True
