-- Rules between indicators, from the sheet regles / rules: the value on the left is flagged (never
-- refused) when "left operator factor x right" does not hold in a period where both sides have a
-- value. A rule is the latest one that an upload still standing gives for its alliance (NULL:
-- every alliance, an admin's), its left indicator and its right side; rolling the upload back
-- brings the one before back.
CREATE TABLE plausibility_rule (
    upload_id   INTEGER NOT NULL,
    alliance_id INTEGER,            -- NULL: every alliance
    left_code   VARCHAR NOT NULL,
    operator    VARCHAR NOT NULL,   -- <=, <, =, >=, >
    right_code  VARCHAR,            -- an indicator's code; NULL when the right side is a number
    right_value DOUBLE,
    factor      DOUBLE NOT NULL
);
