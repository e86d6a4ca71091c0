-- One row that every write transaction updates first (metrics/backend.py): on a shared backend
-- two writes that overlap then conflict at commit, and the second is tried again, so that the
-- store's own checks (a name is new, the next id) hold as constraints would. Like every
-- migration from this one on, written for both backends: no primary key, UNIQUE, CHECK or
-- sequence (DuckLake keeps only NOT NULL).
CREATE TABLE store_turn (turn BIGINT NOT NULL);
INSERT INTO store_turn VALUES (0);
