-- Staff console: sessions shared by every server instance, the audit trail,
-- and notes staff add to a booking.

-- Staff sessions (tower-sessions records, written by
-- server/src/sessions.rs). Any instance reads any session.
CREATE TABLE staff_sessions (
    id           text PRIMARY KEY,
    record       jsonb NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX staff_sessions_expiry ON staff_sessions (expires_at);

-- Who did what to which record, when and from where. Append-only: rows can
-- be added, never changed or removed (the trigger refuses both).
CREATE TABLE audit_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    actor_id     uuid REFERENCES staff_accounts (id),
    -- Kept as written at the time, so the trail reads the same after an
    -- account is renamed or disabled.
    actor_email  text NOT NULL,
    action       text NOT NULL,
    record_type  text NOT NULL,
    record_id    text NOT NULL,
    office_id    uuid REFERENCES offices (id),
    client_addr  text,
    details      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_at ON audit_log (at DESC);
CREATE INDEX audit_log_record ON audit_log (record_type, record_id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Notes staff add to a booking (never shown to the citizen).
CREATE TABLE booking_notes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    booking_id  uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    author_id   uuid NOT NULL REFERENCES staff_accounts (id),
    body        text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 1000),
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX booking_notes_booking ON booking_notes (booking_id, at);

-- Day views list a day's slots of one office.
CREATE INDEX IF NOT EXISTS bookings_office_status ON bookings (office_id, status);
