-- Results per participant (a pseudonymous id the provider chose, never a name): what one
-- person earns is capped (a contract's person_cap) and an outcome paid a number of times per
-- person (a price's per_person).
CREATE TABLE participant_result (
    upload_id   INTEGER NOT NULL,
    contract    VARCHAR NOT NULL,
    alliance_id INTEGER NOT NULL,
    participant VARCHAR NOT NULL,
    outcome     VARCHAR NOT NULL,
    "date"      DATE NOT NULL,
    units       DOUBLE
);
ALTER TABLE outcome_contract ADD COLUMN person_cap DOUBLE;
ALTER TABLE outcome_price ADD COLUMN per_person DOUBLE;
