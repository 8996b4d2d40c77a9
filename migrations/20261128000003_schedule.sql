-- Scheduling: how each office turns its weekly hours into bookable slots.
--
-- A slot's capacity counts BOOKINGS, not people: a group (đoàn đông người)
-- is received together through its representatives, in one reception, so it
-- takes one place whatever its size.

ALTER TABLE offices
    -- How far ahead citizens may book, and how late before a slot.
    ADD COLUMN horizon_days        integer NOT NULL DEFAULT 30 CHECK (horizon_days BETWEEN 1 AND 366),
    ADD COLUMN min_notice_minutes  integer NOT NULL DEFAULT 120 CHECK (min_notice_minutes BETWEEN 0 AND 20160);

ALTER TABLE opening_hours
    ADD COLUMN slot_minutes  smallint NOT NULL DEFAULT 30 CHECK (slot_minutes BETWEEN 5 AND 480),
    ADD COLUMN capacity      smallint NOT NULL DEFAULT 4 CHECK (capacity BETWEEN 1 AND 500);

-- National public holidays (Labour Code 2019, art. 112): no office receives.
CREATE TABLE public_holidays (
    day      date PRIMARY KEY,
    name_vi  text NOT NULL,
    name_en  text NOT NULL
);

-- A day one office is closed (training, an event, an emergency).
CREATE TABLE office_closures (
    office_id  uuid NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    day        date NOT NULL,
    reason     text NOT NULL DEFAULT '',
    PRIMARY KEY (office_id, day)
);

-- Hours that replace the weekly template for one day (also opens a day that
-- would otherwise be closed, such as a make-up working Saturday).
CREATE TABLE special_hours (
    office_id     uuid NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    day           date NOT NULL,
    opens         time NOT NULL,
    closes        time NOT NULL,
    slot_minutes  smallint NOT NULL DEFAULT 30 CHECK (slot_minutes BETWEEN 5 AND 480),
    capacity      smallint NOT NULL DEFAULT 4 CHECK (capacity BETWEEN 1 AND 500),
    CHECK (closes > opens),
    PRIMARY KEY (office_id, day, opens)
);

-- Concrete slots, generated ahead from the rules above (see
-- app/src/booking/schedule.rs). `taken` counts the bookings holding a place;
-- the CHECK is what makes overbooking impossible whatever the concurrency.
CREATE TABLE slots (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    office_id  uuid NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    capacity   smallint NOT NULL CHECK (capacity >= 0),
    taken      smallint NOT NULL DEFAULT 0,
    -- No longer offered (the rules changed or the day closed) but kept
    -- because bookings still point at it.
    withdrawn  boolean NOT NULL DEFAULT false,
    CHECK (ends_at > starts_at),
    CHECK (taken BETWEEN 0 AND capacity),
    UNIQUE (office_id, starts_at)
);

-- The slots the rules produce from today (Vietnam time) to each office's
-- horizon: special hours replace the weekly template for their day (and can
-- open a holiday or a weekend); office closures win over everything.
-- app/src/booking/schedule.rs converges the slots table on this view.
CREATE VIEW slot_plan AS
WITH days AS (
    SELECT o.id AS office_id, d::date AS day
    FROM offices o,
         generate_series((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
                         (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + o.horizon_days,
                         interval '1 day') AS d
    WHERE o.active
),
sessions AS (
    -- Special hours replace the template (and open a holiday or weekend).
    SELECT d.office_id, d.day, s.opens, s.closes, s.slot_minutes, s.capacity
    FROM days d
    JOIN special_hours s ON s.office_id = d.office_id AND s.day = d.day
    UNION ALL
    SELECT d.office_id, d.day, h.opens, h.closes, h.slot_minutes, h.capacity
    FROM days d
    JOIN opening_hours h ON h.office_id = d.office_id
                        AND h.weekday = extract(isodow FROM d.day)
    WHERE NOT EXISTS (SELECT 1 FROM special_hours s
                      WHERE s.office_id = d.office_id AND s.day = d.day)
      AND NOT EXISTS (SELECT 1 FROM public_holidays p WHERE p.day = d.day)
)
SELECT s.office_id,
       t AT TIME ZONE 'Asia/Ho_Chi_Minh' AS starts_at,
       (t + make_interval(mins => s.slot_minutes)) AT TIME ZONE 'Asia/Ho_Chi_Minh' AS ends_at,
       s.capacity
FROM sessions s,
     generate_series(s.day + s.opens,
                     s.day + s.closes - make_interval(mins => s.slot_minutes),
                     make_interval(mins => s.slot_minutes)) AS t
WHERE NOT EXISTS (SELECT 1 FROM office_closures c
                  WHERE c.office_id = s.office_id AND c.day = s.day);

-- Public holidays 2026–2027 (Labour Code 2019 art. 112: New Year 1 day, Tết
-- 5 days, Hùng Kings' day 10/3 lunar, 30/4, 1/5, National Day 2/9 plus one
-- adjacent day). Tết and the Hùng Kings' day follow the lunar calendar and are
-- written out per year; when a holiday falls on a weekend the next working
-- day is off (art. 111). The adjacent National Day is set each year by the
-- Prime Minister; admins add or correct dates as they are announced.
INSERT INTO public_holidays (day, name_vi, name_en) VALUES
    ('2026-01-01', 'Tết Dương lịch', 'New Year''s Day'),
    ('2026-02-16', 'Tết Nguyên đán (29 tháng Chạp)', 'Lunar New Year (Tết)'),
    ('2026-02-17', 'Tết Nguyên đán (mùng 1)', 'Lunar New Year (Tết)'),
    ('2026-02-18', 'Tết Nguyên đán (mùng 2)', 'Lunar New Year (Tết)'),
    ('2026-02-19', 'Tết Nguyên đán (mùng 3)', 'Lunar New Year (Tết)'),
    ('2026-02-20', 'Tết Nguyên đán (mùng 4)', 'Lunar New Year (Tết)'),
    ('2026-04-26', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'Hung Kings'' Commemoration Day'),
    ('2026-04-27', 'Nghỉ bù Giỗ Tổ Hùng Vương', 'Hung Kings'' Day (in lieu)'),
    ('2026-04-30', 'Ngày Chiến thắng', 'Reunification Day'),
    ('2026-05-01', 'Ngày Quốc tế lao động', 'International Labour Day'),
    ('2026-09-01', 'Quốc khánh (ngày liền kề)', 'National Day (adjacent day)'),
    ('2026-09-02', 'Quốc khánh', 'National Day'),
    ('2027-01-01', 'Tết Dương lịch', 'New Year''s Day'),
    ('2027-02-05', 'Tết Nguyên đán (30 tháng Chạp)', 'Lunar New Year (Tết)'),
    ('2027-02-06', 'Tết Nguyên đán (mùng 1)', 'Lunar New Year (Tết)'),
    ('2027-02-07', 'Tết Nguyên đán (mùng 2)', 'Lunar New Year (Tết)'),
    ('2027-02-08', 'Tết Nguyên đán (mùng 3)', 'Lunar New Year (Tết)'),
    ('2027-02-09', 'Tết Nguyên đán (mùng 4)', 'Lunar New Year (Tết)'),
    ('2027-02-10', 'Nghỉ bù Tết Nguyên đán', 'Lunar New Year (in lieu)'),
    ('2027-02-11', 'Nghỉ bù Tết Nguyên đán', 'Lunar New Year (in lieu)'),
    ('2027-04-16', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'Hung Kings'' Commemoration Day'),
    ('2027-04-30', 'Ngày Chiến thắng', 'Reunification Day'),
    ('2027-05-01', 'Ngày Quốc tế lao động', 'International Labour Day'),
    ('2027-05-03', 'Nghỉ bù Ngày Quốc tế lao động', 'Labour Day (in lieu)'),
    ('2027-09-02', 'Quốc khánh', 'National Day'),
    ('2027-09-03', 'Quốc khánh (ngày liền kề)', 'National Day (adjacent day)');
