-- The waiting list of a full day. A place that frees up on the day is
-- offered to the first entry waiting for it and held for a while: it stays
-- in the slot's `taken` (so the public claim, `taken + 1 <= capacity`, and
-- the CHECK still guard the total) and is counted in `held` too, the part
-- of `taken` on offer to the waiting list.
ALTER TABLE slots ADD COLUMN held smallint NOT NULL DEFAULT 0;
ALTER TABLE slots ADD CONSTRAINT slots_held_within_taken CHECK (held BETWEEN 0 AND taken);

CREATE TABLE waitlist_entries (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- The booking code's alphabet and length.
    code             text NOT NULL UNIQUE CHECK (code ~ '^[2-9A-HJ-NP-Z]{10}$'),
    office_id        uuid NOT NULL REFERENCES offices (id),
    day              date NOT NULL,
    -- The time asked for; NULL: any time that day.
    slot_id          bigint REFERENCES slots (id),
    -- waiting → offered → claimed, or back to nobody: left (the citizen),
    -- lapsed (an offer not claimed in time), closed (the office closed the
    -- day), ended (the day went by).
    state            text NOT NULL DEFAULT 'waiting' CHECK (state IN
                     ('waiting', 'offered', 'claimed', 'left', 'lapsed', 'closed', 'ended')),
    -- The citizen's booking at this office for a later day, moved here by
    -- the claim; or the booking the claim made.
    booking_id       uuid REFERENCES bookings (id),
    -- The place on offer and since when: it is held for
    -- WAITLIST_HOLD_MINUTES from then, and never past the slot's notice
    -- (the setting is read when the offer is claimed or expires, so every
    -- instance agrees on it).
    offered_slot     bigint REFERENCES slots (id),
    offered_at       timestamptz,
    full_name        text NOT NULL CHECK (length(full_name) BETWEEN 2 AND 100),
    citizen_id       text NOT NULL CHECK (citizen_id ~ '^[0-9]{12}$'),
    phone            text NOT NULL CHECK (phone ~ '^0[0-9]{9,10}$'),
    -- Required: the offer comes by e-mail.
    email            text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    topic            text NOT NULL CHECK (topic IN ('complaint', 'denunciation', 'petition')),
    summary          text NOT NULL CHECK (length(summary) BETWEEN 10 AND 2000),
    party_size       smallint NOT NULL CHECK (party_size BETWEEN 1 AND 500),
    representatives  text[] NOT NULL DEFAULT '{}' CHECK (cardinality(representatives) <= 5),
    needs            text NOT NULL DEFAULT '' CHECK (length(needs) <= 500),
    interpreter      boolean NOT NULL DEFAULT false,
    locale           text NOT NULL CHECK (locale IN ('vi', 'en')),
    consent_version  text NOT NULL,
    consented_at     timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (state <> 'offered' OR (offered_slot IS NOT NULL AND offered_at IS NOT NULL))
);
-- One entry per CCCD per office per day while it waits or is on offer.
CREATE UNIQUE INDEX waitlist_one_per_citizen_day
    ON waitlist_entries (office_id, day, citizen_id)
    WHERE state IN ('waiting', 'offered');
-- The queue of a day, first come first offered.
CREATE INDEX waitlist_queue ON waitlist_entries (office_id, day, created_at, id) WHERE state = 'waiting';
CREATE INDEX waitlist_offers_due ON waitlist_entries (offered_at) WHERE state = 'offered';

-- Private links to an entry (the join page's, the offer e-mail's): only a
-- SHA-256 of the token is stored.
CREATE TABLE waitlist_tokens (
    token_hash  bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    entry_id    uuid NOT NULL REFERENCES waitlist_entries (id) ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX waitlist_tokens_entry ON waitlist_tokens (entry_id);

ALTER TABLE outbox ADD COLUMN waitlist_id uuid REFERENCES waitlist_entries (id) ON DELETE CASCADE;
