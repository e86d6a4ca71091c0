-- The data model: reference tables, then the append-only history of values by upload.

CREATE SEQUENCE upload_id_seq START 1;
CREATE SEQUENCE alliance_id_seq START 1;
CREATE SEQUENCE stakeholder_id_seq START 1;

-- Every import, with the original bytes, so nothing a user sent is ever lost.
CREATE TABLE upload (
    id             INTEGER PRIMARY KEY DEFAULT nextval('upload_id_seq'),
    file_name      VARCHAR NOT NULL,
    sha256         VARCHAR NOT NULL,
    size           BIGINT NOT NULL,
    uploaded_by    VARCHAR NOT NULL,
    uploaded_at    TIMESTAMP NOT NULL,
    content        BLOB NOT NULL,
    added          INTEGER NOT NULL DEFAULT 0,
    changed        INTEGER NOT NULL DEFAULT 0,
    unchanged      INTEGER NOT NULL DEFAULT 0,
    missing        INTEGER NOT NULL DEFAULT 0,
    rolled_back_at TIMESTAMP,
    rolled_back_by VARCHAR
);

CREATE TABLE alliance (
    id             INTEGER PRIMARY KEY DEFAULT nextval('alliance_id_seq'),
    name           VARCHAR NOT NULL UNIQUE,
    territory      VARCHAR,
    territory_code VARCHAR,
    population     BIGINT,
    theme          VARCHAR,
    started        DATE,
    stage          VARCHAR,
    upload_id      INTEGER
);

CREATE TABLE stakeholder (
    id          INTEGER PRIMARY KEY DEFAULT nextval('stakeholder_id_seq'),
    alliance_id INTEGER NOT NULL,
    name        VARCHAR NOT NULL,
    type        VARCHAR NOT NULL,
    upload_id   INTEGER,
    UNIQUE (alliance_id, name)
);

CREATE TABLE indicator (
    code           VARCHAR PRIMARY KEY,
    label_fr       VARCHAR NOT NULL,
    label_en       VARCHAR NOT NULL,
    dimension      VARCHAR NOT NULL CHECK (dimension IN ('innovation', 'performance', 'trust')),
    unit           VARCHAR NOT NULL DEFAULT '',
    direction      VARCHAR NOT NULL CHECK (direction IN ('up', 'down')),
    aggregation    VARCHAR NOT NULL CHECK (aggregation IN ('sum', 'mean', 'last')),
    description_fr VARCHAR NOT NULL DEFAULT '',
    description_en VARCHAR NOT NULL DEFAULT '',
    builtin        BOOLEAN NOT NULL DEFAULT FALSE,
    upload_id      INTEGER
);

-- One row per value as sent; the current value of a key is the one from the latest upload
-- that has not been rolled back (see store.OBSERVATIONS_AS_OF).
CREATE TABLE observation (
    upload_id      INTEGER NOT NULL,
    alliance_id    INTEGER NOT NULL,
    indicator_code VARCHAR NOT NULL,
    period         VARCHAR NOT NULL,
    granularity    VARCHAR NOT NULL CHECK (granularity IN ('year', 'quarter', 'month', 'day')),
    period_start   DATE NOT NULL,
    period_end     DATE NOT NULL,
    stakeholder_id INTEGER,
    value          DOUBLE NOT NULL,
    comment        VARCHAR NOT NULL DEFAULT '',
    source_sheet   VARCHAR,
    source_row     INTEGER
);

CREATE TABLE target (
    upload_id       INTEGER NOT NULL,
    alliance_id     INTEGER NOT NULL,
    indicator_code  VARCHAR NOT NULL,
    baseline_period VARCHAR NOT NULL,
    baseline        DOUBLE NOT NULL,
    target_period   VARCHAR NOT NULL,
    target          DOUBLE NOT NULL
);
