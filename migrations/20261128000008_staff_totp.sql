-- A second factor for administrators (ASVS 4.3.1): a TOTP secret (RFC 6238)
-- enrolled at first sign-in, and one-time recovery codes.

ALTER TABLE staff_accounts
    -- 20 random bytes (160 bits, RFC 4226's recommendation); NULL until
    -- enrolled.
    ADD COLUMN totp_secret bytea CHECK (totp_secret IS NULL OR length(totp_secret) = 20),
    -- The last 30-second step a code was accepted for: a code is good once.
    ADD COLUMN totp_last_step bigint NOT NULL DEFAULT 0;

-- Only a SHA-256 of each code is kept.
CREATE TABLE staff_recovery_codes (
    staff_id   uuid NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    code_hash  bytea NOT NULL CHECK (length(code_hash) = 32),
    used_at    timestamptz,
    PRIMARY KEY (staff_id, code_hash)
);
