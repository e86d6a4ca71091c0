-- What the pages read, kept by the writes instead of recomputed from the whole history at each
-- read (see metrics/kept.py). Each table holds two scopes: ``validated_only`` false is the data
-- as its members read it (every upload not rolled back), true is what funders read (validated
-- uploads only). The history stays the truth: these tables can be rebuilt from it at any time.

-- The current value of each key: the row of the latest upload in scope.
CREATE TABLE current_observation (
    validated_only BOOLEAN NOT NULL,
    upload_id      INTEGER NOT NULL,
    alliance_id    INTEGER NOT NULL,
    indicator_code VARCHAR NOT NULL,
    period         VARCHAR NOT NULL,
    granularity    VARCHAR NOT NULL,
    period_start   DATE NOT NULL,
    period_end     DATE NOT NULL,
    stakeholder_id INTEGER,
    value          DOUBLE NOT NULL,
    comment        VARCHAR NOT NULL
);

-- The current values by view period (year, quarter, month), per alliance, indicator and
-- stakeholder (NULL: the alliance's own values), each indicator by its aggregation rule.
CREATE TABLE rollup (
    validated_only     BOOLEAN NOT NULL,
    view_granularity   VARCHAR NOT NULL,
    alliance_id        INTEGER NOT NULL,
    indicator_code     VARCHAR NOT NULL,
    stakeholder_id     INTEGER,
    bucket             DATE NOT NULL,
    value              DOUBLE NOT NULL,
    n                  BIGINT NOT NULL,
    expected           BIGINT NOT NULL,
    source_granularity VARCHAR NOT NULL
);

-- Per alliance: how much current data it has, over which periods, and when an upload in scope
-- last brought it values.
CREATE TABLE alliance_summary (
    validated_only BOOLEAN NOT NULL,
    alliance_id    INTEGER NOT NULL,
    indicators     BIGINT NOT NULL,
    observations   BIGINT NOT NULL,
    first_period   DATE,
    last_period    DATE,
    last_update    TIMESTAMP
);
