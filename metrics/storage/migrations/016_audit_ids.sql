-- The audit log's ids become wide (BIGINT) and are drawn from the clock (``backend.time_id``):
-- a line is then written without the store's turn, so that sign-ins and pages opened on a busy
-- network never make an import start again. Older lines keep their small ids, which sort
-- before every new one. Recreated rather than altered (a DuckDB file cannot change the type of
-- a key column), written for both backends: no primary key, CHECK or sequence (the file's
-- ``audit_id_seq`` is left unused).
CREATE TABLE audit_log_v2 (
    id        BIGINT NOT NULL,
    logged_at TIMESTAMP NOT NULL,
    account   VARCHAR NOT NULL,
    action    VARCHAR NOT NULL,
    object    VARCHAR NOT NULL DEFAULT '',
    outcome   VARCHAR NOT NULL DEFAULT 'ok',
    details   VARCHAR NOT NULL DEFAULT ''
);
INSERT INTO audit_log_v2
SELECT id, logged_at, account, action, object, outcome, details FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_v2 RENAME TO audit_log;
