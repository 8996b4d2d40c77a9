-- Retention (Personal Data Protection Law 91/2025/QH15): past its period a
-- finished booking and a closed case keep their row, for counts and
-- reports, but lose the citizen's personal fields. The columns stay NOT NULL
-- (every reader keeps its types); an anonymised row holds fixed neutral
-- values instead, which the CHECKs below enforce, so "anonymised" can only
-- mean that nothing personal is left. See app/src/retention/ and
-- docs/retention.md.

ALTER TABLE bookings ADD COLUMN anonymised_at timestamptz;
ALTER TABLE bookings ADD CONSTRAINT bookings_anonymised_holds_nothing CHECK (
    anonymised_at IS NULL OR (
        full_name = 'Ẩn danh'
        AND citizen_id = '000000000000'
        AND phone = '0000000000'
        AND email IS NULL
        AND summary = 'Đã xoá theo thời hạn lưu trữ.'
        AND representatives = '{}'
        AND needs = ''
        AND cancel_reason IS NULL
    )
);
-- An anonymised booking is nobody's: it never blocks a citizen's next one.
DROP INDEX bookings_one_active_per_citizen;
CREATE UNIQUE INDEX bookings_one_active_per_citizen
    ON bookings (office_id, citizen_id)
    WHERE status IN ('requested', 'confirmed', 'checked_in') AND anonymised_at IS NULL;
-- The purge's scan: bookings not yet anonymised, oldest first.
CREATE INDEX bookings_not_anonymised ON bookings (updated_at) WHERE anonymised_at IS NULL;

ALTER TABLE cases ADD COLUMN anonymised_at timestamptz;
ALTER TABLE cases ADD CONSTRAINT cases_anonymised_holds_nothing CHECK (
    anonymised_at IS NULL OR (
        full_name = 'Ẩn danh'
        AND citizen_id IS NULL
        AND phone = '0000000000'
        AND email IS NULL
        AND NOT notify
    )
);
CREATE INDEX cases_not_anonymised ON cases (updated_at)
    WHERE anonymised_at IS NULL AND status IN ('closed', 'withdrawn');

-- Finished waiting-list entries and delivered mail are deleted.
CREATE INDEX waitlist_entries_updated ON waitlist_entries (updated_at);
CREATE INDEX outbox_done ON outbox (done_at) WHERE state <> 'queued';
CREATE INDEX booking_tokens_expiry ON booking_tokens (expires_at);
CREATE INDEX waitlist_tokens_expiry ON waitlist_tokens (expires_at);
CREATE INDEX case_tokens_expiry ON case_tokens (expires_at);
