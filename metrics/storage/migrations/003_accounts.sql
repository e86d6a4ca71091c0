-- Accounts, roles and who sees what: accounts, grants, portfolios, the audit log, the alliances
-- each upload touches, and the validation of uploads by an alliance's lead.

-- An account signs in with a password (Argon2id hash) or through the organisation's identity
-- provider (no hash). E-mails are stored lower-case.
CREATE TABLE account (
    email         VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    lang          VARCHAR NOT NULL DEFAULT 'fr',
    status        VARCHAR NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    password_hash VARCHAR,
    demo          BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP NOT NULL,
    created_by    VARCHAR NOT NULL,
    last_seen_at  TIMESTAMP
);

CREATE SEQUENCE portfolio_id_seq START 1;
CREATE TABLE portfolio (
    id         INTEGER PRIMARY KEY DEFAULT nextval('portfolio_id_seq'),
    name       VARCHAR NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE portfolio_alliance (
    portfolio_id INTEGER NOT NULL,
    alliance_id  INTEGER NOT NULL
);

-- admin: no alliance, no portfolio; viewer / editor / lead: one alliance; funder: a portfolio.
-- One alliance role per account and alliance (a new grant replaces the old one).
CREATE TABLE access_grant (
    email        VARCHAR NOT NULL,
    role         VARCHAR NOT NULL
                 CHECK (role IN ('admin', 'viewer', 'editor', 'lead', 'funder')),
    alliance_id  INTEGER,
    portfolio_id INTEGER,
    granted_at   TIMESTAMP NOT NULL,
    granted_by   VARCHAR NOT NULL
);

-- Append-only: who did what, when, and whether it was refused.
CREATE SEQUENCE audit_id_seq START 1;
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY DEFAULT nextval('audit_id_seq'),
    logged_at TIMESTAMP NOT NULL,
    account VARCHAR NOT NULL,
    action  VARCHAR NOT NULL,
    object  VARCHAR NOT NULL DEFAULT '',
    outcome VARCHAR NOT NULL DEFAULT 'ok' CHECK (outcome IN ('ok', 'refused')),
    details VARCHAR NOT NULL DEFAULT ''
);

-- Signed-in sessions: the browser keeps a random token in a cookie, the database its SHA-256,
-- so that a reload or a shared link keeps the session until it is idle too long or signed out.
CREATE TABLE app_session (
    token_hash   VARCHAR PRIMARY KEY,
    email        VARCHAR NOT NULL,
    method       VARCHAR NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    ended_at     TIMESTAMP
);

-- Installation-wide settings (e.g. whether this database is a demo or a real install).
CREATE TABLE setting (
    name  VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- The alliances an upload holds rows of: who may roll it back, validate it or download it.
CREATE TABLE upload_alliance (
    upload_id   INTEGER NOT NULL,
    alliance_id INTEGER NOT NULL
);
INSERT INTO upload_alliance
SELECT DISTINCT upload_id, alliance_id FROM (
    SELECT upload_id, alliance_id FROM observation
    UNION ALL SELECT upload_id, alliance_id FROM target
    UNION ALL SELECT upload_id, alliance_id FROM replication
    UNION ALL SELECT upload_id, alliance_id FROM outcome_contract
    UNION ALL SELECT upload_id, alliance_id FROM stakeholder WHERE upload_id IS NOT NULL
    UNION ALL SELECT upload_id, id FROM alliance WHERE upload_id IS NOT NULL
);

-- An upload is submitted, then validated by a lead or an admin (or rolled back). What was
-- imported before accounts existed was trusted by its single user: it counts as validated.
ALTER TABLE upload ADD COLUMN validated_at TIMESTAMP;
ALTER TABLE upload ADD COLUMN validated_by VARCHAR;
UPDATE upload SET validated_at = uploaded_at, validated_by = uploaded_by
WHERE rolled_back_at IS NULL;
