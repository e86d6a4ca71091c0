-- What the pages read, kept by the writes instead of recomputed from the whole history at each
-- read (see metrics/kept.py), in two scopes: what an alliance's members read (every upload not
-- rolled back) and what its funders read (validated uploads only). A row of current_observation
-- and rollup says which scopes it belongs to (most rows belong to both). The history stays the
-- truth: these tables can be rebuilt from it at any time.

-- The current value of each key: the row of the latest upload in scope.
CREATE TABLE current_observation (
    members        BOOLEAN NOT NULL,
    funders        BOOLEAN NOT NULL,
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
    members            BOOLEAN NOT NULL,
    funders            BOOLEAN NOT NULL,
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

-- Per alliance and scope (``validated_only``: the funders'): how much current data it has, over
-- which periods, and when an upload in scope last brought it values.
CREATE TABLE alliance_summary (
    validated_only BOOLEAN NOT NULL,
    alliance_id    INTEGER NOT NULL,
    indicators     BIGINT NOT NULL,
    observations   BIGINT NOT NULL,
    first_period   DATE,
    last_period    DATE,
    last_update    TIMESTAMP
);
