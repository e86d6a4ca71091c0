-- A rate card is read in the order the contract gives it (its sheet's rows): when a cap binds
-- within a period, the outcomes listed last are the ones it cuts. NULL (a card written
-- before): after the others, by outcome name as before.
ALTER TABLE outcome_price ADD COLUMN position INTEGER;
-- A contract paid by its rate card names no indicator of its own (each price names its own)
-- and may publish no capital (its investments, when known, are in their sheet).
ALTER TABLE outcome_contract ALTER COLUMN indicator_code DROP NOT NULL;
ALTER TABLE outcome_contract ALTER COLUMN capital DROP NOT NULL;
-- Where outcome payments go once the tranches are paid what they may receive ('investors',
-- 'provider' or 'payers'; NULL: investors without a return cap, payers with one).
ALTER TABLE outcome_contract ADD COLUMN surplus VARCHAR;
-- A payment of the ledger is made ('actual') or planned by the contract's schedule ('planned'),
-- shown beside the actual ones.
ALTER TABLE outcome_payment ADD COLUMN plan VARCHAR DEFAULT 'actual';
-- An investor's own cap on its annual return, in % (NULL: the contract's).
ALTER TABLE investment ADD COLUMN return_cap DOUBLE;
-- A payer's row may name the rate card's outcome it pays its share of ('': every outcome no
-- row names): an outcome fund topping up some outcomes only.
ALTER TABLE outcome_payer ADD COLUMN outcome VARCHAR DEFAULT '';
-- A price may apply from a date (NULL: from the start): a price that changes has a row per date.
ALTER TABLE outcome_price ADD COLUMN since DATE;
