-- Cases (hồ sơ khiếu nại, tố cáo, kiến nghị): what the agency handles after
-- a reception, the public and internal timeline, the holidays that working-
-- day deadlines skip, and the private links citizens follow a case with.

-- Days that are not working days besides weekends: public holidays, Tết and
-- the days off the Government moves around them. Seeded with the statutory
-- days (Labour Code 2019, art. 112); administrators keep it current.
CREATE TABLE holidays (
    day      date PRIMARY KEY,
    name_vi  text NOT NULL CHECK (length(btrim(name_vi)) > 0),
    name_en  text
);
INSERT INTO holidays (day, name_vi, name_en) VALUES
    ('2026-01-01', 'Tết Dương lịch', 'New Year''s Day'),
    ('2026-02-16', 'Tết Nguyên đán', 'Lunar New Year'),
    ('2026-02-17', 'Tết Nguyên đán', 'Lunar New Year'),
    ('2026-02-18', 'Tết Nguyên đán', 'Lunar New Year'),
    ('2026-02-19', 'Tết Nguyên đán', 'Lunar New Year'),
    ('2026-02-20', 'Tết Nguyên đán', 'Lunar New Year'),
    ('2026-04-27', 'Giỗ Tổ Hùng Vương (nghỉ bù)', 'Hung Kings'' Commemoration (day in lieu)'),
    ('2026-04-30', 'Ngày Giải phóng miền Nam', 'Reunification Day'),
    ('2026-05-01', 'Ngày Quốc tế Lao động', 'Labour Day'),
    ('2026-09-01', 'Quốc khánh', 'National Day'),
    ('2026-09-02', 'Quốc khánh', 'National Day'),
    ('2027-01-01', 'Tết Dương lịch', 'New Year''s Day'),
    ('2027-02-05', 'Tết Nguyên đán', 'Lunar New Year'),
    ('2027-02-08', 'Tết Nguyên đán', 'Lunar New Year'),
    ('2027-02-09', 'Tết Nguyên đán', 'Lunar New Year'),
    ('2027-02-10', 'Tết Nguyên đán (nghỉ bù)', 'Lunar New Year (day in lieu)'),
    ('2027-02-11', 'Tết Nguyên đán (nghỉ bù)', 'Lunar New Year (day in lieu)'),
    ('2027-04-16', 'Giỗ Tổ Hùng Vương', 'Hung Kings'' Commemoration'),
    ('2027-04-30', 'Ngày Giải phóng miền Nam', 'Reunification Day'),
    ('2027-05-03', 'Ngày Quốc tế Lao động (nghỉ bù)', 'Labour Day (day in lieu)'),
    ('2027-09-02', 'Quốc khánh', 'National Day'),
    ('2027-09-03', 'Quốc khánh', 'National Day');

CREATE TABLE cases (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- Same alphabet and length as booking codes: 50 random bits.
    code            text NOT NULL UNIQUE CHECK (code ~ '^[2-9A-HJ-NP-Z]{10}$'),
    kind            text NOT NULL CHECK (kind IN ('complaint', 'denunciation', 'petition')),
    summary         text NOT NULL CHECK (length(summary) BETWEEN 10 AND 2000),
    channel         text NOT NULL CHECK (channel IN ('reception', 'post', 'portal')),
    received_on     date NOT NULL,
    office_id       uuid NOT NULL REFERENCES offices (id),
    -- One case per reception: opening it twice finds the first.
    booking_id      uuid UNIQUE REFERENCES bookings (id),
    -- The agency handling it (changes when the case is transferred).
    agency          text NOT NULL CHECK (length(btrim(agency)) BETWEEN 2 AND 200),
    assigned_to     uuid REFERENCES staff_accounts (id),
    status          text NOT NULL DEFAULT 'received' CHECK (status IN
                    ('received', 'under_review', 'accepted', 'not_accepted', 'transferred', 'guided',
                     'verifying', 'suspended', 'concluded', 'closed', 'withdrawn')),
    complexity      text NOT NULL DEFAULT 'normal'
                    CHECK (complexity IN ('normal', 'complicated', 'especially_complicated')),
    remote_area     boolean NOT NULL DEFAULT false,
    accepted_on     date,
    suspended_on    date,
    -- Calendar days spent suspended: they do not count against the deadline.
    paused_days     integer NOT NULL DEFAULT 0 CHECK (paused_days >= 0),
    -- The running stage's deadline, recomputed from the rule table in code at
    -- every change (NULL when no clock runs); kept here to sort and report.
    due_on          date,
    -- The citizen's contact. For a denunciation this is the denouncer's
    -- identity: only roles with the right see it unmasked.
    full_name       text NOT NULL CHECK (length(full_name) BETWEEN 2 AND 100),
    citizen_id      text CHECK (citizen_id ~ '^[0-9]{12}$'),
    phone           text NOT NULL CHECK (phone ~ '^0[0-9]{9,10}$'),
    email           text CHECK (email IS NULL OR length(email) <= 254),
    -- The citizen opted in to an e-mail at every public step.
    notify          boolean NOT NULL DEFAULT false,
    locale          text NOT NULL DEFAULT 'vi' CHECK (locale IN ('vi', 'en')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (NOT notify OR email IS NOT NULL)
);
CREATE INDEX cases_office_due ON cases (office_id, due_on);
CREATE INDEX cases_received ON cases (received_on);

-- The timeline. `public_note` is shown to the citizen; `internal_note`
-- never leaves the staff console.
CREATE TABLE case_events (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id        uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    at             timestamptz NOT NULL DEFAULT now(),
    actor_id       uuid REFERENCES staff_accounts (id),
    -- opened, status, resumed, extended, assigned
    event          text NOT NULL CHECK (event IN ('opened', 'status', 'resumed', 'extended', 'assigned')),
    status         text NOT NULL,
    public         boolean NOT NULL,
    public_note    text NOT NULL DEFAULT '' CHECK (length(public_note) <= 2000),
    internal_note  text NOT NULL DEFAULT '' CHECK (length(internal_note) <= 2000),
    -- For an extension: its days and the deadline it gave.
    extension_days integer CHECK (extension_days IS NULL OR extension_days BETWEEN 0 AND 60),
    due_on         date
);
CREATE INDEX case_events_case ON case_events (case_id, at, id);

-- Private links to follow a case without typing the code again (only a
-- SHA-256 of the random token is stored).
CREATE TABLE case_tokens (
    token_hash  bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    case_id     uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_tokens_case ON case_tokens (case_id);

-- Outbox rows about a case (its e-mails to the citizen).
ALTER TABLE outbox ADD COLUMN case_id uuid REFERENCES cases (id) ON DELETE CASCADE;
