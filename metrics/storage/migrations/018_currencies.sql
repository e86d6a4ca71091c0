-- A contract's exchange rates ('CHF=1.1; GBP=1.27': one unit of each in the contract's
-- currency) and the currency of a payer's commitment, an investor's amounts and a payment
-- (blank: the contract's).
ALTER TABLE outcome_contract ADD COLUMN exchange_rates VARCHAR;
ALTER TABLE outcome_payer ADD COLUMN currency VARCHAR;
ALTER TABLE investment ADD COLUMN currency VARCHAR;
ALTER TABLE outcome_payment ADD COLUMN currency VARCHAR;
