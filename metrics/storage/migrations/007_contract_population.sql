-- An outcome contract declares the number of people its overall result is measured on (all
-- cohorts): the overall payment no longer depends on how many cohorts were uploaded so far.
-- NULL (a contract written before): cohort size x the cohorts measured.
ALTER TABLE outcome_contract ADD COLUMN population DOUBLE;
-- The contract's figures that were not published (a reference case rebuilt from what was):
-- their fields' names, comma-separated; the page and the JSON mark them illustrative.
ALTER TABLE outcome_contract ADD COLUMN illustrative VARCHAR DEFAULT '';
-- A contract paid by a rate card (the tarifs sheet) has no single improvement, threshold and
-- price: those terms become optional (the import checks that a contract has one or the other).
ALTER TABLE outcome_contract ALTER COLUMN cohort_size DROP NOT NULL;
ALTER TABLE outcome_contract ALTER COLUMN baseline DROP NOT NULL;
ALTER TABLE outcome_contract ALTER COLUMN overall_threshold DROP NOT NULL;
ALTER TABLE outcome_contract ALTER COLUMN price DROP NOT NULL;
