-- The trust barometer collected in the app (metrics/storage/surveys.py). Written for both
-- backends, as every migration from 009 on: no primary key, UNIQUE, CHECK or sequence.

-- A wave: one per alliance and period, asking one version of the questionnaire; closed by a
-- lead or an admin (or at its closing date), when its means become an upload of the alliance.
CREATE TABLE survey_wave (
    id           INTEGER NOT NULL,
    alliance_id  INTEGER NOT NULL,
    period       VARCHAR NOT NULL,
    version      INTEGER NOT NULL,
    opened_by    VARCHAR NOT NULL,
    opened_at    TIMESTAMP NOT NULL,
    closes_on    DATE,
    closed_at    TIMESTAMP,
    closed_by    VARCHAR,
    upload_id    INTEGER,
    open_token   VARCHAR  -- the citizens' open link: public by design (a poster, a QR code)
);

-- A link: its token's hash (never a personal link's token), whom it asks (a stakeholder type, or
-- 'citizen' for the open link) and whether it is the open link, which answers many times.
-- Nothing here says whether, when or how the link answered.
CREATE TABLE survey_invitation (
    wave_id      INTEGER NOT NULL,
    token_hash   VARCHAR NOT NULL,
    respondent   VARCHAR NOT NULL,
    open_link    BOOLEAN NOT NULL
);

-- One row per response and item: no token, no invitation, no time. A response is a random
-- number; its ballot (a hash of the token under another salt, so that the link may change its
-- answer until the close) is cleared when the wave closes, and the wave's rows are then
-- written again in the order of their random numbers, not in the order they came.
CREATE TABLE survey_answer (
    wave_id      INTEGER NOT NULL,
    response     VARCHAR NOT NULL,
    ballot       VARCHAR,
    respondent   VARCHAR NOT NULL,
    item         VARCHAR NOT NULL,
    score        INTEGER
);

-- What citizens expect of the alliance, in their words: read by a lead before the committee
-- sees it ('unread', 'kept', 'hidden'). Never tied to the scores of whoever wrote it (words may
-- name their writer); its ballot lets the same browser change them until the close.
CREATE TABLE survey_text (
    id           INTEGER NOT NULL,
    wave_id      INTEGER NOT NULL,
    ballot       VARCHAR,
    body         VARCHAR NOT NULL,
    status       VARCHAR NOT NULL,
    read_by      VARCHAR
);

-- An alliance's public page for its citizens: off until a lead turns it on; the links the
-- alliance gives (its crowdfunding, its forum) as a JSON list of {"label", "url"}. The latest
-- row of an alliance is the page as it stands.
CREATE TABLE alliance_public (
    alliance_id  INTEGER NOT NULL,
    enabled      BOOLEAN NOT NULL,
    links        VARCHAR NOT NULL,
    changed_by   VARCHAR NOT NULL,
    changed_at   TIMESTAMP NOT NULL
);
