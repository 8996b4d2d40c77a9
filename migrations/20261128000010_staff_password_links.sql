-- One-time links for staff to set their password: a new account's first
-- password, and resets by an administrator. Only a SHA-256 of the token is
-- kept; a link works once and expires.
CREATE TABLE staff_password_tokens (
    token_hash  bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    staff_id    uuid NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_password_tokens_staff ON staff_password_tokens (staff_id);
