-- A citizen's rights over their booking (Personal Data Protection Law
-- 91/2025/QH15): see it, download it, withdraw consent.
--
-- The download holds the CCCD, so it needs the private link from the
-- e-mail (or the booking's own first page), or the code, phone and full
-- CCCD typed again. A link made by a code + phone look-up proves only the
-- code and phone: tokens now say which kind they are.
ALTER TABLE booking_tokens
    ADD COLUMN kind text NOT NULL DEFAULT 'link' CHECK (kind IN ('link', 'lookup'));
-- Look-up links were the only ones made to last two hours or less.
UPDATE booking_tokens SET kind = 'lookup' WHERE expires_at <= created_at + interval '2 hours';

-- Consent withdrawn after the reception took place: the office keeps what
-- the Law on Citizen Reception makes it record of a reception (who came,
-- their CCCD, what it was about) until the retention period anonymises it;
-- the contact details and any health-related needs go at once. Withdrawn
-- before (or without) a reception, the booking is anonymised outright
-- (`anonymised_at`, whose CHECK already says what that means).
ALTER TABLE bookings ADD COLUMN consent_withdrawn_at timestamptz;
ALTER TABLE bookings ADD CONSTRAINT bookings_withdrawn_keeps_no_contact CHECK (
    consent_withdrawn_at IS NULL OR (phone = '0000000000' AND email IS NULL AND needs = '')
);
