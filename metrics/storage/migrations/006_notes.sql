-- The steering committee's notes and decisions on an alliance, optionally on one indicator
-- and one period. Nothing is overwritten: a note is the list of its versions, an edit or a
-- withdrawal adds one, and the note reads as its latest version.
CREATE SEQUENCE note_id_seq START 1;
CREATE TABLE note (
    id          INTEGER PRIMARY KEY DEFAULT nextval('note_id_seq'),
    alliance_id INTEGER NOT NULL,
    indicator   VARCHAR,          -- an indicator's code; NULL: the alliance as a whole
    period      VARCHAR,          -- a canonical period (2024, 2024-Q2, 2024-05); NULL: none
    author      VARCHAR NOT NULL, -- the e-mail of the account that wrote it
    created_at  TIMESTAMP NOT NULL
);
CREATE TABLE note_version (
    note_id    INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    kind       VARCHAR NOT NULL CHECK (kind IN ('note', 'decision')),
    body       VARCHAR NOT NULL,
    withdrawn  BOOLEAN NOT NULL,
    written_at TIMESTAMP NOT NULL,
    written_by VARCHAR NOT NULL
);
