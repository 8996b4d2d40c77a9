-- One definition of a slot's room, for every path that reads or claims it.
--
-- `slot_free(s)`: places no booking, proposal or waiting-list offer holds
-- (all are in `taken`), nor kept back for the desk. This is what the
-- waiting list is offered.
CREATE FUNCTION slot_free(s slots) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT GREATEST(s.capacity - s.taken - slot_kept(s), 0)
$$;

-- `slot_room(s)`: the free places open to an online claim (a booking, a
-- move, a proposal) and shown as bookable. None while someone waits for the
-- slot's day (any time) or for this time: room that frees itself — kept
-- places released by the clock, a capacity the rules raised, an offer or a
-- proposal that lapsed — belongs to the first entry waiting, not to
-- whoever books first. The waiting list's own "the day is full" check reads
-- the same function, so the list never answers "the day has room" while
-- booking answers "full".
CREATE FUNCTION slot_room(s slots) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN EXISTS (
            SELECT 1 FROM waitlist_entries w
            WHERE w.state = 'waiting' AND w.office_id = s.office_id
              AND w.day = (s.starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
              AND (w.slot_id IS NULL OR w.slot_id = s.id)
        ) THEN 0
        ELSE slot_free(s)
    END
$$;
