-- A rate card is read in the order the contract gives it (its sheet's rows): when a cap binds
-- within a period, the outcomes listed last are the ones it cuts. NULL (a card written
-- before): after the others, by outcome name as before.
ALTER TABLE outcome_price ADD COLUMN position INTEGER;
