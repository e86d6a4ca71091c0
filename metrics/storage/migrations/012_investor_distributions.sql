-- What an investor was paid on a date (capital and return), as recorded: shown beside what the
-- waterfall computes (NULL: a draw's row, nothing recorded).
ALTER TABLE investment ADD COLUMN distributed DOUBLE;
