-- A value to check that a lead or an editor of its alliance marked "checked: correct": it is no
-- longer counted as to check while it is the value checked (a new value of the same key, from a
-- later upload, is to check again). Nothing is changed in the value. The decision keeps its
-- author and date, as does the audit log.
CREATE TABLE flag_check (
    alliance_id    INTEGER NOT NULL,
    indicator_code VARCHAR NOT NULL,
    stakeholder    VARCHAR NOT NULL,  -- the partner's name, '' for the alliance's own value
    period         VARCHAR NOT NULL,  -- canonical: 2024, 2024-Q2, 2024-05
    value          DOUBLE NOT NULL,
    reason         VARCHAR NOT NULL,  -- scale, outlier, rule
    checked_by     VARCHAR NOT NULL,
    checked_at     TIMESTAMP NOT NULL
);
