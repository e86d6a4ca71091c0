-- Scaling (replications of the alliance's model) and outcome contracts (social impact bonds).
-- Both are versioned by upload like targets: the current row of a key is the latest one from an
-- upload that has not been rolled back.

CREATE TABLE replication (
    upload_id      INTEGER NOT NULL,
    alliance_id    INTEGER NOT NULL,
    mode           VARCHAR NOT NULL CHECK (mode IN ('deep', 'out', 'up', 'across')),
    territory      VARCHAR NOT NULL,
    territory_code VARCHAR NOT NULL DEFAULT '',
    started        DATE,
    status         VARCHAR NOT NULL CHECK (status IN ('planned', 'active', 'stopped')),
    beneficiaries  DOUBLE,
    latitude       DOUBLE,
    longitude      DOUBLE,
    note           VARCHAR NOT NULL DEFAULT ''
);

CREATE TABLE outcome_contract (
    upload_id         INTEGER NOT NULL,
    name              VARCHAR NOT NULL,
    alliance_id       INTEGER NOT NULL,
    indicator_code    VARCHAR NOT NULL,
    commissioner      VARCHAR NOT NULL DEFAULT '',
    investors         VARCHAR NOT NULL DEFAULT '',
    capital           DOUBLE NOT NULL,
    currency          VARCHAR NOT NULL,
    start_date        DATE NOT NULL,
    end_date          DATE NOT NULL,
    cohort_size       DOUBLE NOT NULL,
    baseline          DOUBLE NOT NULL,
    per               DOUBLE NOT NULL DEFAULT 100,
    cohort_threshold  DOUBLE,
    overall_threshold DOUBLE NOT NULL,
    price             DOUBLE NOT NULL,
    payment_cap       DOUBLE,
    return_cap        DOUBLE,
    saving_per_unit   DOUBLE
);

-- Where an alliance started, for maps of its replication sites.
ALTER TABLE alliance ADD COLUMN latitude DOUBLE;
ALTER TABLE alliance ADD COLUMN longitude DOUBLE;

-- Scaling readiness factors form a fourth family of indicators.
CREATE TABLE indicator_v2 (
    code           VARCHAR PRIMARY KEY,
    label_fr       VARCHAR NOT NULL,
    label_en       VARCHAR NOT NULL,
    dimension      VARCHAR NOT NULL
                   CHECK (dimension IN ('innovation', 'performance', 'trust', 'scaling')),
    unit           VARCHAR NOT NULL DEFAULT '',
    direction      VARCHAR NOT NULL CHECK (direction IN ('up', 'down')),
    aggregation    VARCHAR NOT NULL CHECK (aggregation IN ('sum', 'mean', 'last')),
    description_fr VARCHAR NOT NULL DEFAULT '',
    description_en VARCHAR NOT NULL DEFAULT '',
    builtin        BOOLEAN NOT NULL DEFAULT FALSE,
    upload_id      INTEGER
);
INSERT INTO indicator_v2 SELECT * FROM indicator;
DROP TABLE indicator;
ALTER TABLE indicator_v2 RENAME TO indicator;
