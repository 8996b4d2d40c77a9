-- Hardening under hostile use (issue #11): sessions that end when a
-- member's privileges change, the supervisor role, an outbox that holds no
-- message and no link, and confirmed changes of a case's e-mail address.

-- A member's sessions end when their role, offices or state change: the
-- epoch is folded into what each session remembers of the account
-- (server side: `staff::auth`).
ALTER TABLE staff_accounts ADD COLUMN privileges_epoch bigint NOT NULL DEFAULT 0;

-- TOTP secrets are kept sealed (version, 24-byte nonce, 20 bytes sealed,
-- 16-byte tag); a 20-byte secret in clear, written before, is sealed at its
-- first use.
ALTER TABLE staff_accounts DROP CONSTRAINT staff_accounts_totp_secret_check;
ALTER TABLE staff_accounts ADD CONSTRAINT staff_accounts_totp_secret_check
    CHECK (totp_secret IS NULL OR length(totp_secret) IN (20, 61));

-- Supervisors lead the case officers of their offices: they assign cases
-- and see a denouncer's identity in those offices.
ALTER TABLE staff_accounts DROP CONSTRAINT staff_accounts_role_check;
ALTER TABLE staff_accounts ADD CONSTRAINT staff_accounts_role_check
    CHECK (role IN ('receptionist', 'officer', 'supervisor', 'admin'));

CREATE FUNCTION staff_privileges_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.role IS DISTINCT FROM OLD.role OR NEW.active IS DISTINCT FROM OLD.active THEN
        NEW.privileges_epoch := OLD.privileges_epoch + 1;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER staff_accounts_privileges BEFORE UPDATE ON staff_accounts
    FOR EACH ROW EXECUTE FUNCTION staff_privileges_changed();

-- An office added or taken away (not one written again unchanged: the
-- application inserts with ON CONFLICT DO NOTHING, which fires nothing).
CREATE FUNCTION staff_offices_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE staff_accounts SET privileges_epoch = privileges_epoch + 1
    WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.staff_id ELSE NEW.staff_id END;
    RETURN NULL;
END;
$$;
CREATE TRIGGER staff_offices_privileges AFTER INSERT OR DELETE ON staff_offices
    FOR EACH ROW EXECUTE FUNCTION staff_offices_changed();

-- The outbox keeps which message is due about which record, and how its
-- delivery went; the message is rendered, and its link minted, when it is
-- sent. Nothing in it is a working link.
ALTER TABLE outbox
    ADD COLUMN staff_id     uuid REFERENCES staff_accounts (id) ON DELETE CASCADE,
    -- What the message needs besides its record (a step's label, a day):
    -- never a token or a link.
    ADD COLUMN payload      jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN state        text NOT NULL DEFAULT 'queued'
                            CHECK (state IN ('queued', 'sent', 'skipped', 'dead')),
    -- A worker holds the row until then; a worker that died loses it then.
    ADD COLUMN leased_until timestamptz,
    ADD COLUMN done_at      timestamptz,
    -- A short code (`smtp 451`, `timeout`): never an SMTP reply's text,
    -- which can quote the recipient's address.
    ADD COLUMN last_failure text;

UPDATE outbox SET state = 'sent', done_at = sent_at WHERE sent_at IS NOT NULL;
UPDATE outbox SET state = 'dead', done_at = failed_at, last_failure = 'gave_up'
WHERE failed_at IS NOT NULL AND sent_at IS NULL;
-- Rows written before named their staff recipient by address only.
UPDATE outbox o SET staff_id = s.id
FROM staff_accounts s
WHERE o.kind IN ('staff_password_link', 'case_digest') AND s.email = o.to_address;
UPDATE outbox SET payload = jsonb_build_object('first', subject NOT LIKE '%đặt lại%')
WHERE kind = 'staff_password_link';
UPDATE outbox SET payload = jsonb_build_object('day', to_char((created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, 'YYYY-MM-DD'))
WHERE kind = 'case_digest';
UPDATE outbox SET payload = jsonb_build_object('step', split_part(subject, ' – ', 2))
WHERE kind = 'case_update';

-- The rendered messages, links included, are gone for good.
ALTER TABLE outbox
    DROP COLUMN to_address,
    DROP COLUMN subject,
    DROP COLUMN body_text,
    DROP COLUMN body_html,
    DROP COLUMN ics,
    DROP COLUMN sent_at,
    DROP COLUMN failed_at,
    DROP COLUMN last_error;

CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE state = 'queued';
CREATE INDEX outbox_dead ON outbox (done_at DESC) WHERE state = 'dead';

-- A new address for a case's e-mail is taken only once it confirms through
-- the link sent to it (minted at send time, stored as a SHA-256); the old
-- address is told.
CREATE TABLE case_email_changes (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id       uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    new_email     text NOT NULL CHECK (length(new_email) BETWEEN 3 AND 254),
    old_email     text,
    -- The e-mail-at-every-step choice made with the new address.
    notify        boolean NOT NULL,
    token_hash    bytea UNIQUE CHECK (token_hash IS NULL OR length(token_hash) = 32),
    requested_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    confirmed_at  timestamptz,
    -- A later request replaced this one.
    withdrawn_at  timestamptz
);
CREATE INDEX case_email_changes_case ON case_email_changes (case_id, id);
