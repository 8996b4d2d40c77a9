-- Staff adjust single slots: block one (no new bookings; the ones it holds
-- stay) or give it another capacity. An override is a rule like the weekly
-- hours, so the slot generator keeps it however often it runs.

CREATE TABLE slot_overrides (
    office_id  uuid NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    starts_at  timestamptz NOT NULL,
    -- NULL: the capacity the hours give.
    capacity   smallint CHECK (capacity BETWEEN 1 AND 500),
    blocked    boolean NOT NULL DEFAULT false,
    reason     text NOT NULL DEFAULT '',
    PRIMARY KEY (office_id, starts_at)
);

-- As before (see the schedule migration), with the overrides applied last.
CREATE OR REPLACE VIEW slot_plan AS
WITH days AS (
    SELECT o.id AS office_id, d::date AS day
    FROM offices o,
         generate_series((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
                         (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + o.horizon_days,
                         interval '1 day') AS d
    WHERE o.active
),
sessions AS (
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
),
planned AS (
    SELECT s.office_id,
           t AT TIME ZONE 'Asia/Ho_Chi_Minh' AS starts_at,
           (t + make_interval(mins => s.slot_minutes)) AT TIME ZONE 'Asia/Ho_Chi_Minh' AS ends_at,
           s.capacity
    FROM sessions s,
         generate_series(s.day + s.opens,
                         s.day + s.closes - make_interval(mins => s.slot_minutes),
                         make_interval(mins => s.slot_minutes)) AS t
    WHERE NOT EXISTS (SELECT 1 FROM office_closures c
                      WHERE c.office_id = s.office_id AND c.day = s.day)
)
SELECT p.office_id, p.starts_at, p.ends_at, COALESCE(o.capacity, p.capacity) AS capacity
FROM planned p
LEFT JOIN slot_overrides o ON o.office_id = p.office_id AND o.starts_at = p.starts_at
WHERE NOT COALESCE(o.blocked, false);
