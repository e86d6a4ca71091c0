-- An outcome contract declares the number of people its overall result is measured on (all
-- cohorts): the overall payment no longer depends on how many cohorts were uploaded so far.
-- NULL (a contract written before): cohort size x the cohorts measured.
ALTER TABLE outcome_contract ADD COLUMN population DOUBLE;
