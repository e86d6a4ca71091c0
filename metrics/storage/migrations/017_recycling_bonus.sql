-- The provider's share of the investors' return, in %, and the day up to which outcome
-- payments are re-lent to the provider as working capital (NULL: none).
ALTER TABLE outcome_contract ADD COLUMN provider_share DOUBLE;
ALTER TABLE outcome_contract ADD COLUMN recycle_until DATE;
-- A fixed sum an investor receives on top of its capital and interest (NULL: none).
ALTER TABLE investment ADD COLUMN bonus DOUBLE;
