"""What the store's results say, in the reader's language: the one-line summary of an import
(the app's message after an upload, the command line's output)."""

from __future__ import annotations

from metrics.presentation.i18n import t
from metrics.storage.imports import ImportResult
from metrics.usecases.barometer import Closed


def import_summary(result: ImportResult, lang: str) -> str:
    """What an import did: simulated, nothing new, or the upload written with its status and
    counts (added, changed, unchanged, missing values ignored)."""
    counts = dict(result.plan.counts, missing=len(result.plan.parsed.missing))
    if result.dry_run:
        return t("summary.dry_run", lang, **counts)
    if result.upload_id is None:
        return t("summary.nothing_new", lang, **counts)
    status = t("status.validated" if result.validated else "status.submitted", lang)
    return t("summary.imported", lang, upload=result.upload_id, status=status, **counts)


def survey_closed(closed: Closed, lang: str) -> str:
    """What closing a wave did: the upload its means became, or why none (too few answers)."""
    found = closed.results
    where = {"alliance": closed.alliance, "period": closed.period}
    if closed.upload_id is None:
        return t("summary.survey_closed_withheld", lang, count=found["answered"], **where)
    return t(
        "summary.survey_closed", lang, count=found["answered"], upload=closed.upload_id, **where
    )
