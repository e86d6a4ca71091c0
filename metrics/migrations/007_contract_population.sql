-- An outcome contract declares the number of people its overall result is measured on (all
-- cohorts): the overall payment no longer depends on how many cohorts were uploaded so far.
-- NULL (a contract written before): cohort size x the cohorts measured.
ALTER TABLE outcome_contract ADD COLUMN population DOUBLE;
-- The contract's figures that were not published (a reference case rebuilt from what was):
-- their fields' names, comma-separated; the page and the JSON mark them illustrative.
ALTER TABLE outcome_contract ADD COLUMN illustrative VARCHAR DEFAULT '';
