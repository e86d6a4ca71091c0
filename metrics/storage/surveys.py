"""The trust barometer's waves, links and answers: the store's side.

A wave belongs to an alliance and a period; a lead (or an admin) opens it with personal links,
each for one stakeholder type, and optionally the citizens' open link. A personal link is a
random token given once to whoever opens the wave; the store keeps its hash only. The open link
is public by design (printed on a poster, shown on the alliance's public page): the wave keeps
it, and its answers are told apart by each browser's own secret, never by the link.

Anonymous by construction: an answer row holds no token, no invitation and no time; it holds a
ballot (the token's hash under another salt) so that a personal link may change its answer
until the close, and the close clears every ballot. Nothing records whether a link answered:
the answers are counted per stakeholder type, the links per type.

Bound parameters; each write in one transaction, with its line of the audit log (answers are
counted at the close, never logged one by one).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from typing import Any

import pandas as pd

from metrics.base import clock
from metrics.base.access import Actor, Reader
from metrics.base.catalog import CITIZEN
from metrics.base.errors import AccessDenied, MetricsError
from metrics.storage import backend
from metrics.storage.audit import AuditLog
from metrics.storage.backend import retried
from metrics.storage.database import Database

# Each wave with its alliance, whether it is open (not closed, its closing date not past), its
# links per kind and the upload its close wrote (and whether that upload is validated and
# standing: what a funder reads).
WAVES = """
SELECT w.id, a.name AS alliance, w.period, w.version, w.opened_by, w.opened_at, w.closes_on,
       w.closed_at, w.closed_by, w.upload_id, w.open_token,
       (w.closed_at IS NULL AND (w.closes_on IS NULL OR w.closes_on >= $today)) AS is_open,
       (SELECT count(*) FROM survey_invitation i WHERE i.wave_id = w.id AND NOT i.open_link)
           AS invited,
       (SELECT count(*) > 0 FROM survey_invitation i WHERE i.wave_id = w.id AND i.open_link)
           AS citizens,
       (SELECT count(DISTINCT s.response) FROM survey_answer s WHERE s.wave_id = w.id)
           AS answered,
       (SELECT count(DISTINCT s.response) FROM survey_answer s
        WHERE s.wave_id = w.id AND s.respondent = 'citizen') AS citizens_answered
FROM survey_wave w
JOIN alliance a ON a.id = w.alliance_id
LEFT JOIN upload u ON u.id = w.upload_id
WHERE a.name = $alliance
  AND ($all_scope OR list_contains($full, a.name)
       OR (list_contains($validated, a.name) AND u.validated_at IS NOT NULL
           AND u.rolled_back_at IS NULL))
ORDER BY w.opened_at, w.id
"""
WAVE_ID = (
    "SELECT w.id FROM survey_wave w JOIN alliance a ON a.id = w.alliance_id "
    "WHERE a.name = ? AND w.period = ?"
)
ALLIANCE_ID = "SELECT id FROM alliance WHERE name = ?"
INSERT_WAVE = (
    "INSERT INTO survey_wave (id, alliance_id, period, version, opened_by, opened_at, closes_on) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
TAKES_ANSWERS = (
    "SELECT closed_at IS NULL AND (closes_on IS NULL OR closes_on >= ?) "
    "FROM survey_wave WHERE id = ?"
)
INSERT_INVITATION = "INSERT INTO survey_invitation VALUES (?, ?, ?, ?)"
OPEN_LINK = "SELECT token_hash FROM survey_invitation WHERE wave_id = ? AND open_link"
SET_OPEN_TOKEN = "UPDATE survey_wave SET open_token = ? WHERE id = ?"

# What a link opens: its wave, whom it asks, and whether the wave still takes answers.
LINK = """
SELECT w.id, a.name, w.period, w.version, i.respondent, i.open_link, w.closes_on,
       (w.closed_at IS NULL AND (w.closes_on IS NULL OR w.closes_on >= ?)) AS is_open
FROM survey_invitation i
JOIN survey_wave w ON w.id = i.wave_id
JOIN alliance a ON a.id = w.alliance_id
WHERE i.token_hash = ?
"""
# The citizens' open link of the alliance's open wave, for its public page (public by design).
OPEN_WAVE_LINK = """
SELECT w.period, w.open_token FROM survey_wave w JOIN alliance a ON a.id = w.alliance_id
WHERE a.name = ? AND w.open_token IS NOT NULL
  AND w.closed_at IS NULL AND (w.closes_on IS NULL OR w.closes_on >= ?)
ORDER BY w.opened_at DESC LIMIT 1
"""
# Waves past their closing date that nobody closed.
DUE = """
SELECT a.name, w.period FROM survey_wave w JOIN alliance a ON a.id = w.alliance_id
WHERE w.closed_at IS NULL AND w.closes_on < ? ORDER BY w.id
"""
BALLOT_ANSWER = "SELECT item, score FROM survey_answer WHERE wave_id = ? AND ballot = ?"
BALLOT_TEXT = "SELECT body FROM survey_text WHERE wave_id = ? AND ballot = ?"
DROP_ANSWER = "DELETE FROM survey_answer WHERE wave_id = ? AND ballot = ?"
DROP_TEXT = "DELETE FROM survey_text WHERE wave_id = ? AND ballot = ?"
INSERT_ANSWER = "INSERT INTO survey_answer VALUES (?, ?, ?, ?, ?, ?)"
INSERT_TEXT = "INSERT INTO survey_text VALUES (?, ?, ?, ?, 'unread', NULL)"

IS_CLOSED = "SELECT closed_at IS NOT NULL FROM survey_wave WHERE id = ?"
RESPONSES = "SELECT count(DISTINCT response) FROM survey_answer WHERE wave_id = ?"
CLOSE_WAVE = "UPDATE survey_wave SET closed_at = ?, closed_by = ? WHERE id = ?"
DROP_WAVE_ANSWERS = "DELETE FROM survey_answer WHERE wave_id = ?"
TEXTS_OF_WAVE = "SELECT id, body, status, read_by FROM survey_text WHERE wave_id = ? ORDER BY body"
DROP_WAVE_TEXTS = "DELETE FROM survey_text WHERE wave_id = ?"
INSERT_TEXT_ROW = "INSERT INTO survey_text VALUES (?, ?, ?, ?, ?, ?)"
SET_UPLOAD = "UPDATE survey_wave SET upload_id = ? WHERE id = ? AND upload_id IS NULL"
UPLOAD_NAMED = "SELECT max(id) FROM upload WHERE file_name = ? AND rolled_back_at IS NULL"

ANSWERS = (
    "SELECT response, respondent, item, score FROM survey_answer WHERE wave_id = ? "
    "ORDER BY response, item"
)
INVITED = (
    "SELECT respondent, count(*) FROM survey_invitation WHERE wave_id = ? AND NOT open_link "
    "GROUP BY respondent"
)
TEXTS = """
SELECT t.id, t.body, t.status, t.read_by,
       (SELECT count(DISTINCT s.response) FROM survey_answer s
        WHERE s.wave_id = t.wave_id AND s.respondent = 'citizen') AS citizens
FROM survey_text t WHERE t.wave_id = ? ORDER BY t.id
"""
TEXT_ALLIANCE = (
    "SELECT a.name FROM survey_text t JOIN survey_wave w ON w.id = t.wave_id "
    "JOIN alliance a ON a.id = w.alliance_id WHERE t.id = ?"
)
MARK_TEXT = "UPDATE survey_text SET status = ?, read_by = ? WHERE id = ?"
# What a wave's results are read from, in one small query: answers come without an upload, so
# the data version does not see them (caches of the barometer are keyed by this as well).
VERSION = """
SELECT (SELECT count(*) FROM survey_wave), (SELECT count(closed_at) FROM survey_wave),
       (SELECT count(upload_id) FROM survey_wave), (SELECT count(*) FROM survey_invitation),
       (SELECT count(*) FROM survey_answer), (SELECT coalesce(max(id), 0) FROM survey_text),
       (SELECT count(*) FROM survey_text WHERE status = 'kept'),
       (SELECT count(*) FROM survey_text WHERE status = 'hidden')
"""


def _hashed(salt: str, token: str) -> str:
    return hashlib.sha256(f"{salt}:{token}".encode()).hexdigest()


def _token() -> str:
    """A link's token: 128 random bits, written for an address."""
    return secrets.token_urlsafe(16)


def token_hash(token: str) -> str:
    """What the store keeps of a link's token."""
    return _hashed("invitation", token)


def ballot_of(secret: str) -> str:
    """What an answer keeps of the secret that may change it (a personal link's token, or the
    browser's own secret on the open link) until the close: unlinkable to the invitation."""
    return _hashed("ballot", secret)


class Surveys:
    """Waves, links, answers and the citizens' words (see the module)."""

    def __init__(self, db: Database, log: AuditLog) -> None:
        self.db = db
        self.log = log

    # -- reads ---------------------------------------------------------------------------------

    def waves(self, actor: Reader, alliance: str) -> pd.DataFrame:
        """The alliance's waves, oldest first, as the account reads them: members every wave,
        a funder the closed waves whose upload is validated and standing."""
        params = {**actor.read_params(), "alliance": alliance, "today": clock.today()}
        return self.db.frame(WAVES, params)

    def version(self) -> tuple[int, ...]:
        """A fingerprint of every wave, link, answer and word: another one after any of them
        changes, in any process (an answer replaced keeps the count, but an open wave shows
        no more than counts, and a closed one takes no answer)."""
        with self.db.cursor() as cur:
            row = cur.execute(VERSION).fetchone()
        return tuple(int(x) for x in row) if row else ()

    def wave(self, actor: Reader, alliance: str, period: str) -> dict[str, Any] | None:
        """One wave, as ``waves`` reads it, or ``None``."""
        frame = self.waves(actor, alliance)
        found = frame[frame["period"] == period]
        return None if found.empty else dict(found.iloc[0])

    def answers(self, wave_id: int) -> pd.DataFrame:
        """A wave's answers, one row per response and item (``score`` missing: don't know);
        callers read the wave through ``wave`` first."""
        frame = self.db.frame(ANSWERS, [wave_id])
        frame["score"] = frame["score"].astype("Int64")
        return frame

    def invited(self, wave_id: int) -> dict[str, int]:
        """Personal links per stakeholder type."""
        with self.db.cursor() as cur:
            return {kind: int(n) for kind, n in cur.execute(INVITED, [wave_id]).fetchall()}

    def texts(self, wave_id: int) -> pd.DataFrame:
        """The citizens' words of a wave (``status``: unread, kept, hidden), with how many
        citizens answered."""
        return self.db.frame(TEXTS, [wave_id])

    def link(self, token: str) -> dict[str, Any] | None:
        """What a link opens (its wave, alliance, period, questionnaire version, whom it asks,
        whether it is the open link and whether the wave takes answers), or ``None``."""
        with self.db.cursor() as cur:
            row = cur.execute(LINK, [clock.today(), token_hash(token)]).fetchone()
        if row is None:
            return None
        names = ("wave", "alliance", "period", "version", "respondent", "open_link")
        found = dict(zip(names, row[:6], strict=True))
        found.update(closes_on=row[6], is_open=bool(row[7]))
        return found

    def due(self) -> list[tuple[str, str]]:
        """(alliance, period) of every wave past its closing date that nobody closed."""
        with self.db.cursor() as cur:
            return [(str(a), str(p)) for a, p in cur.execute(DUE, [clock.today()]).fetchall()]

    def open_link(self, alliance: str) -> tuple[str, str] | None:
        """The period and the open link's token of the alliance's wave open to citizens."""
        with self.db.cursor() as cur:
            row = cur.execute(OPEN_WAVE_LINK, [alliance, clock.today()]).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def given(self, wave_id: int, secret: str) -> tuple[dict[str, int | None], str]:
        """The answer the holder of ``secret`` gave in the open wave (item → score, ``None``:
        don't know) and their words: what the form shows again to change it."""
        ballot = ballot_of(secret)
        with self.db.cursor() as cur:
            scores = dict(cur.execute(BALLOT_ANSWER, [wave_id, ballot]).fetchall())
            text = cur.execute(BALLOT_TEXT, [wave_id, ballot]).fetchone()
        return scores, text[0] if text else ""

    # -- writes --------------------------------------------------------------------------------

    @retried
    def open_wave(
        self,
        actor: Actor,
        alliance: str,
        period: str,
        links: dict[str, int],
        citizens: bool,
        closes_on: dt.date | None,
        version: int,
    ) -> tuple[int, list[tuple[str, str]], bool]:
        """Open the wave of ``alliance`` and ``period`` (canonical) asking questionnaire
        ``version``, or add links to it while it is open: ``links`` personal links per
        stakeholder type, and the citizens' open link if asked and not there yet. Returns the
        wave's id, the new links (token, whom it asks) and whether the wave is new. Only a lead
        of the alliance or an admin."""
        if not actor.may("survey", alliance):
            raise AccessDenied.of("err.survey_denied", alliance=alliance)
        now = clock.now()
        with self.db.transaction() as cur:
            row = cur.execute(ALLIANCE_ID, [alliance]).fetchone()
            if row is None:
                raise MetricsError.of("err.unknown_alliance", name=alliance)
            found = cur.execute(WAVE_ID, [alliance, period]).fetchone()
            if found is None:
                wave_id = backend.next_id(cur, "survey_wave")
                cur.execute(
                    INSERT_WAVE,
                    [wave_id, row[0], period, version, actor.email, now, closes_on],
                )
            else:
                wave_id = found[0]
                row = cur.execute(TAKES_ANSWERS, [now.date(), wave_id]).fetchone()
                if not (row and row[0]):
                    raise MetricsError.of("err.survey_closed", alliance=alliance, period=period)
            made = [
                (secrets.token_urlsafe(16), kind) for kind, n in links.items() for _ in range(n)
            ]
            has_open = cur.execute(OPEN_LINK, [wave_id]).fetchone() is not None
            rows = [(wave_id, token_hash(token), kind, False) for token, kind in made]
            if citizens and not has_open:
                token = _token()
                made.append((token, CITIZEN))
                rows.append((wave_id, token_hash(token), CITIZEN, True))
                cur.execute(SET_OPEN_TOKEN, [token, wave_id])
            if rows:
                cur.executemany(INSERT_INVITATION, rows)
            counts = {kind: n for kind, n in links.items() if n}
            details: dict[str, Any] = {"alliance": alliance, "period": period, "links": counts}
            details.update(citizens=citizens, closes_on=closes_on, new=found is None)
            self.log.add(cur, actor, "survey_open", f"{alliance} {period}", details)
        return wave_id, made, found is None

    @retried
    def answer(
        self, token: str, scores: dict[str, int | None], words: str, secret: str | None = None
    ) -> None:
        """The answer of a link (``scores``: item → 1–5, ``None`` for don't know), replacing
        the one it gave before. ``secret``: on the open link, the browser's own (each browser
        answers once, and may change it); a personal link's is its token."""
        with self.db.transaction() as cur:
            link = cur.execute(LINK, [clock.today(), token_hash(token)]).fetchone()
            if link is None:
                raise MetricsError.of("survey.wrong_link")
            wave_id, respondent, open_link, is_open = link[0], link[4], link[5], link[7]
            if not is_open:
                raise MetricsError.of("survey.closed_link")
            if open_link and not secret:  # else every browser would replace the last one's
                raise MetricsError.of("err.survey_answer")
            ballot = ballot_of(secret if open_link and secret else token)
            cur.execute(DROP_ANSWER, [wave_id, ballot])
            cur.execute(DROP_TEXT, [wave_id, ballot])
            response = uuid.uuid4().hex
            rows = [
                (wave_id, response, ballot, respondent, item, score)
                for item, score in scores.items()
            ]
            cur.executemany(INSERT_ANSWER, rows)
            if words.strip():
                text_id = backend.next_id(cur, "survey_text")
                cur.execute(INSERT_TEXT, [text_id, wave_id, ballot, words.strip()])

    @retried
    def close(self, actor: Actor, alliance: str, period: str) -> int:
        """Close the wave (a lead of the alliance or an admin; ``Actor.system`` at its closing
        date): no answer is taken any more and every ballot is cleared. Returns its id;
        closing a closed wave changes nothing."""
        if not actor.may("survey", alliance):
            raise AccessDenied.of("err.survey_denied", alliance=alliance)
        with self.db.transaction() as cur:
            found = cur.execute(WAVE_ID, [alliance, period]).fetchone()
            if found is None:
                raise MetricsError.of("err.survey_unknown", alliance=alliance, period=period)
            wave_id = int(found[0])
            closed = cur.execute(IS_CLOSED, [wave_id]).fetchone()
            if closed and closed[0]:
                return wave_id
            cur.execute(CLOSE_WAVE, [clock.now(), actor.email, wave_id])
            self._forget_order(cur, wave_id)
            answered = cur.execute(RESPONSES, [wave_id]).fetchone()
            count = int(answered[0]) if answered else 0
            details = {"alliance": alliance, "period": period, "answered": count}
            self.log.add(cur, actor, "survey_close", f"{alliance} {period}", details)
        return wave_id

    @staticmethod
    def _forget_order(cur: Any, wave_id: int) -> None:
        """At the close: no ballot any more, and the wave's answers and words written again in
        an order that says nothing of when they came (their random numbers; the words
        renumbered in the order of their text)."""
        answers = cur.execute(ANSWERS, [wave_id]).fetchall()
        cur.execute(DROP_WAVE_ANSWERS, [wave_id])
        rows = [(wave_id, r, None, who, item, score) for r, who, item, score in answers]
        if rows:
            cur.executemany(INSERT_ANSWER, rows)
        texts = cur.execute(TEXTS_OF_WAVE, [wave_id]).fetchall()
        ids = sorted(row[0] for row in texts)
        cur.execute(DROP_WAVE_TEXTS, [wave_id])
        renumbered = [
            (new_id, wave_id, None, body, status, read_by)
            for new_id, (_, body, status, read_by) in zip(ids, texts, strict=True)
        ]
        if renumbered:
            cur.executemany(INSERT_TEXT_ROW, renumbered)

    @retried
    def set_upload(self, wave_id: int, upload_id: int) -> None:
        """The upload a closed wave's means were written as (kept if it already has one: two
        closes at once write one link)."""
        with self.db.transaction() as cur:
            cur.execute(SET_UPLOAD, [upload_id, wave_id])

    def upload_named(self, file_name: str) -> int | None:
        """The standing upload of that name (a close's, when a failure kept it from its wave)."""
        with self.db.cursor() as cur:
            row = cur.execute(UPLOAD_NAMED, [file_name]).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    @retried
    def read_text(self, actor: Actor, alliance: str, text_id: int, keep: bool) -> None:
        """A lead has read a citizen's words: kept for the committee, or hidden."""
        if not actor.may("survey", alliance):
            raise AccessDenied.of("err.survey_denied", alliance=alliance)
        with self.db.transaction() as cur:
            row = cur.execute(TEXT_ALLIANCE, [text_id]).fetchone()
            if row is None or row[0] != alliance:
                raise AccessDenied.of("err.survey_denied", alliance=alliance)
            status = "kept" if keep else "hidden"
            cur.execute(MARK_TEXT, [status, actor.email, text_id])
            self.log.add(cur, actor, "survey_text", f"#{text_id}", {"status": status})
