-- How long the office takes to answer a request. Confirming, proposing
-- another time, rejecting and cancelling are all answers; the wait runs
-- from when the booking (re)entered `requested` (made, or moved by the
-- citizen) to the first answer, counted in the office's opening hours on
-- its open days, so a Friday-evening request is not late on Monday morning.
ALTER TABLE bookings
    ADD COLUMN requested_at timestamptz,
    ADD COLUMN answered_at  timestamptz;
UPDATE bookings SET requested_at = created_at;
UPDATE bookings SET answered_at = updated_at WHERE status <> 'requested';
ALTER TABLE bookings ALTER COLUMN requested_at SET NOT NULL,
                     ALTER COLUMN requested_at SET DEFAULT now();

-- Seconds of `$1`'s opening hours between `$2` and `$3`: its sessions of
-- each day (the date's special hours, else the weekly ones unless a public
-- holiday), none on a day it closed — the rules `slot_plan` reads, over any
-- period.
CREATE FUNCTION office_open_seconds(uuid, timestamptz, timestamptz) RETURNS bigint
LANGUAGE sql STABLE AS $$
    WITH days AS (
        SELECT d::date AS day
        FROM generate_series(($2 AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
                             ($3 AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
                             interval '1 day') AS d
        WHERE $3 > $2
          AND NOT EXISTS (SELECT 1 FROM office_closures c WHERE c.office_id = $1 AND c.day = d::date)
    ),
    sessions AS (
        SELECT d.day, s.opens, s.closes
        FROM days d JOIN special_hours s ON s.office_id = $1 AND s.day = d.day
        UNION ALL
        SELECT d.day, h.opens, h.closes
        FROM days d JOIN opening_hours h ON h.office_id = $1 AND h.weekday = extract(isodow FROM d.day)
        WHERE NOT EXISTS (SELECT 1 FROM special_hours s WHERE s.office_id = $1 AND s.day = d.day)
          AND NOT EXISTS (SELECT 1 FROM public_holidays p WHERE p.day = d.day)
    )
    SELECT COALESCE(sum(GREATEST(extract(epoch FROM
               LEAST($3, (day + closes) AT TIME ZONE 'Asia/Ho_Chi_Minh')
             - GREATEST($2, (day + opens) AT TIME ZONE 'Asia/Ho_Chi_Minh')), 0)), 0)::bigint
    FROM sessions
$$;
