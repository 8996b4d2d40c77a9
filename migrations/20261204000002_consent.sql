-- Consent texts as versioned rows (Personal Data Protection Law
-- 91/2025/QH15): what a citizen agreed to can always be shown as it was.
-- A new text is a new version; a version is never edited or removed (the
-- trigger refuses both). Bookings and waiting-list entries made by a
-- citizen store the version they agreed to; walk-ins and bookings the desk
-- makes, and cases (opened by staff), rest on the agency's legal duty to
-- receive citizens (Law on Citizen Reception 2013) and record that basis
-- instead.
CREATE TABLE consent_texts (
    version     text PRIMARY KEY CHECK (version ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    purpose_vi  text NOT NULL CHECK (length(btrim(purpose_vi)) > 0),
    purpose_en  text NOT NULL CHECK (length(btrim(purpose_en)) > 0),
    text_vi     text NOT NULL CHECK (length(btrim(text_vi)) > 0),
    text_en     text NOT NULL CHECK (length(btrim(text_en)) > 0),
    valid_from  timestamptz NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION consent_texts_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'consent texts are versioned: add a new version instead';
END;
$$;
CREATE TRIGGER consent_texts_no_change BEFORE UPDATE OR DELETE ON consent_texts
    FOR EACH ROW EXECUTE FUNCTION consent_texts_append_only();
CREATE TRIGGER consent_texts_no_truncate BEFORE TRUNCATE ON consent_texts
    FOR EACH STATEMENT EXECUTE FUNCTION consent_texts_append_only();

-- The text the booking form has shown since the first release.
INSERT INTO consent_texts (version, purpose_vi, purpose_en, text_vi, text_en, valid_from) VALUES (
    '2026-11-28',
    'Xếp lịch, đón tiếp, liên hệ với công dân và theo dõi việc giải quyết đơn.',
    'To schedule and receive citizens, contact them and follow how their matter is handled.',
    'Tôi đồng ý để cơ quan tiếp công dân xử lý họ tên, số CCCD, số điện thoại, e-mail và nội dung trên nhằm mục đích đặt lịch, tiếp công dân và giải quyết vụ việc của tôi, theo Luật Bảo vệ dữ liệu cá nhân 2025.',
    'I agree that the reception agency processes my name, CCCD number, phone number, e-mail and the summary above for the purpose of booking, receiving me and handling my matter, under the Personal Data Protection Law 2025.',
    '2026-11-28 00:00:00+07'
);

ALTER TABLE bookings
    ADD COLUMN legal_basis text NOT NULL DEFAULT 'consent' CHECK (legal_basis IN ('consent', 'legal_duty')),
    ALTER COLUMN consent_version DROP NOT NULL,
    ALTER COLUMN consented_at DROP NOT NULL;
-- Walk-ins and desk bookings carried a made-up 'desk-…' version.
UPDATE bookings SET legal_basis = 'legal_duty', consent_version = NULL, consented_at = NULL
WHERE consent_version IS NULL OR consent_version NOT IN (SELECT version FROM consent_texts);
ALTER TABLE bookings
    ADD CONSTRAINT bookings_consent_version_fkey FOREIGN KEY (consent_version) REFERENCES consent_texts (version),
    ADD CONSTRAINT bookings_basis_matches_consent CHECK (
        (legal_basis = 'consent') = (consent_version IS NOT NULL AND consented_at IS NOT NULL));

ALTER TABLE waitlist_entries
    ADD CONSTRAINT waitlist_entries_consent_version_fkey FOREIGN KEY (consent_version) REFERENCES consent_texts (version);

ALTER TABLE cases
    ADD COLUMN legal_basis text NOT NULL DEFAULT 'legal_duty' CHECK (legal_basis = 'legal_duty');
