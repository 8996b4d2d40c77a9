-- Staff accounts (cán bộ tiếp công dân, case officers, administrators) and the
-- offices each one serves. Sign-in and sessions build on these tables.

CREATE TABLE staff_accounts (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- Stored lower-cased so that sign-in is case-insensitive.
    email          text NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
    display_name   text NOT NULL CHECK (length(btrim(display_name)) > 0),
    role           text NOT NULL CHECK (role IN ('receptionist', 'officer', 'admin')),
    -- PHC string (Argon2id); never leaves the server.
    password_hash  text NOT NULL,
    active         boolean NOT NULL DEFAULT true,
    is_demo        boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff_offices (
    staff_id   uuid NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    office_id  uuid NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    PRIMARY KEY (staff_id, office_id)
);
