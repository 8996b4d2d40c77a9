-- Citizen bookings, their history, private manage links, the e-mail outbox
-- and the rate-limit counters every server instance shares.

CREATE TABLE bookings (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- 10 symbols of an alphabet without 0/O/1/I: 50 random bits.
    code             text NOT NULL UNIQUE CHECK (code ~ '^[2-9A-HJ-NP-Z]{10}$'),
    office_id        uuid NOT NULL REFERENCES offices (id),
    slot_id          bigint NOT NULL REFERENCES slots (id),
    status           text NOT NULL DEFAULT 'requested' CHECK (status IN
                     ('requested', 'confirmed', 'checked_in', 'completed', 'rejected', 'cancelled', 'no_show')),
    full_name        text NOT NULL CHECK (length(full_name) BETWEEN 2 AND 100),
    citizen_id       text NOT NULL CHECK (citizen_id ~ '^[0-9]{12}$'),
    -- Canonical: 0xxxxxxxxx (mobile) or 02xxxxxxxxx (landline).
    phone            text NOT NULL CHECK (phone ~ '^0[0-9]{9,10}$'),
    email            text CHECK (email IS NULL OR length(email) <= 254),
    topic            text NOT NULL CHECK (topic IN ('complaint', 'denunciation', 'petition')),
    summary          text NOT NULL CHECK (length(summary) BETWEEN 10 AND 2000),
    party_size       smallint NOT NULL CHECK (party_size BETWEEN 1 AND 500),
    representatives  text[] NOT NULL DEFAULT '{}' CHECK (cardinality(representatives) <= 5),
    needs            text NOT NULL DEFAULT '' CHECK (length(needs) <= 500),
    interpreter      boolean NOT NULL DEFAULT false,
    locale           text NOT NULL CHECK (locale IN ('vi', 'en')),
    consent_version  text NOT NULL,
    consented_at     timestamptz NOT NULL,
    cancel_reason    text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    -- Set when the day-before reminder was queued, so it is queued once.
    reminder_queued_at timestamptz,
    -- The form's one-time id: a double submit finds the booking it made.
    request_id       uuid UNIQUE
);

-- Anti-hoarding: one active booking per CCCD per office.
CREATE UNIQUE INDEX bookings_one_active_per_citizen
    ON bookings (office_id, citizen_id)
    WHERE status IN ('requested', 'confirmed', 'checked_in');
CREATE INDEX bookings_slot ON bookings (slot_id);

-- Every status change, with its time and actor.
CREATE TABLE booking_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    booking_id  uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    at          timestamptz NOT NULL DEFAULT now(),
    -- 'citizen', 'system' or a staff account id.
    actor       text NOT NULL,
    status      text NOT NULL,
    -- For a move: the slot left and the slot taken.
    from_slot   bigint,
    to_slot     bigint,
    note        text
);
CREATE INDEX booking_events_booking ON booking_events (booking_id, at);

-- Private manage links. Only a SHA-256 of the random token is stored; a
-- booking can have several (the e-mail's, one per successful look-up).
CREATE TABLE booking_tokens (
    token_hash  bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    booking_id  uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX booking_tokens_booking ON booking_tokens (booking_id);

-- Transactional outbox: a message is written in the same transaction as the
-- change it reports, then sent by whichever instance's worker locks it first.
CREATE TABLE outbox (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             text NOT NULL,
    booking_id       uuid REFERENCES bookings (id) ON DELETE CASCADE,
    to_address       text NOT NULL,
    subject          text NOT NULL,
    body_text        text NOT NULL,
    body_html        text NOT NULL,
    ics              text,
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    failed_at        timestamptz,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Fixed-window counters for rate limits, shared by every instance.
CREATE TABLE rate_limits (
    key           text NOT NULL,
    window_start  timestamptz NOT NULL,
    hits          integer NOT NULL,
    PRIMARY KEY (key, window_start)
);
