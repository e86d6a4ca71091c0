-- What an upload changed in the reference data (an alliance's description, a partner's type,
-- an indicator's definition), field by field, with the value before and after, as text. A
-- field's value is that of the latest change whose upload is not rolled back, else the value
-- before the first change: rolling an upload back restores what it changed.
CREATE TABLE reference_change (
    upload_id INTEGER NOT NULL,
    entity    VARCHAR NOT NULL CHECK (entity IN ('alliance', 'stakeholder', 'indicator')),
    entity_id VARCHAR NOT NULL,
    field     VARCHAR NOT NULL,
    old_value VARCHAR,
    new_value VARCHAR
);
