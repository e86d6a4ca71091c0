-- An outcome contract's rate card, outcome payers, investments and ledger of payments (the
-- sheets tarifs, payeurs, investissements, paiements; see metrics/outcomes.py). Like a
-- contract, each row belongs to the upload that wrote it: for its key within its contract, the
-- latest upload's row stands (not rolled back); the alliance is its contract's.
CREATE TABLE outcome_price (
    upload_id   INTEGER NOT NULL,
    contract    VARCHAR NOT NULL,
    alliance_id INTEGER NOT NULL,
    outcome     VARCHAR NOT NULL,
    threshold   DOUBLE,
    indicator   VARCHAR NOT NULL,
    basis       VARCHAR NOT NULL,
    price       DOUBLE NOT NULL,
    max_units   DOUBLE,
    max_amount  DOUBLE
);
CREATE TABLE outcome_payer (
    upload_id   INTEGER NOT NULL,
    contract    VARCHAR NOT NULL,
    alliance_id INTEGER NOT NULL,
    payer       VARCHAR NOT NULL,
    commitment  DOUBLE NOT NULL,
    share       DOUBLE
);
CREATE TABLE investment (
    upload_id   INTEGER NOT NULL,
    contract    VARCHAR NOT NULL,
    alliance_id INTEGER NOT NULL,
    investor    VARCHAR NOT NULL,
    tranche     VARCHAR NOT NULL,
    "date"      DATE NOT NULL,
    "type"      VARCHAR NOT NULL,
    committed   DOUBLE NOT NULL,
    drawn       DOUBLE NOT NULL
);
CREATE TABLE outcome_payment (
    upload_id   INTEGER NOT NULL,
    contract    VARCHAR NOT NULL,
    alliance_id INTEGER NOT NULL,
    "date"      DATE NOT NULL,
    payer       VARCHAR NOT NULL,
    outcome     VARCHAR NOT NULL,
    nature      VARCHAR NOT NULL,
    amount      DOUBLE NOT NULL
);
