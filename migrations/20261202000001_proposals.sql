-- The office answers a request with another time (trả lịch hẹn): staff
-- propose a slot of the same office, whose place is held for the citizen
-- (counted in the slot's `taken`, so the CHECK still guards the total) until
-- the citizen accepts, declines, or the proposal expires. At most one open
-- proposal per booking.
CREATE TABLE booking_proposals (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    booking_id   uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    slot_id      bigint NOT NULL REFERENCES slots (id),
    message      text NOT NULL DEFAULT '' CHECK (length(message) <= 500),
    proposed_by  uuid NOT NULL REFERENCES staff_accounts (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    closed_at    timestamptz,
    -- Why it closed: the citizen's answer, its expiry, or the booking ended
    -- or moved first (withdrawn).
    outcome      text CHECK (outcome IN ('accepted', 'declined', 'expired', 'withdrawn')),
    CHECK ((outcome IS NULL) = (closed_at IS NULL))
);
CREATE UNIQUE INDEX booking_proposals_one_open ON booking_proposals (booking_id) WHERE outcome IS NULL;
CREATE INDEX booking_proposals_due ON booking_proposals (expires_at) WHERE outcome IS NULL;
