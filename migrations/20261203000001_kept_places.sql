-- Places kept back from online booking: in each slot the office keeps some
-- places for walk-ins and some for priority reception (the elderly, people
-- with disabilities, pregnant women, people with meritorious service), until
-- `kept_release_hours` before the slot, when what is still kept goes to
-- online booking. Only the desk fills a kept place (a walk-in, or a booking
-- staff make for a priority citizen who phoned).
ALTER TABLE offices
    ADD COLUMN kept_walk_in        smallint NOT NULL DEFAULT 0 CHECK (kept_walk_in BETWEEN 0 AND 500),
    ADD COLUMN kept_priority       smallint NOT NULL DEFAULT 0 CHECK (kept_priority BETWEEN 0 AND 500),
    ADD COLUMN kept_release_hours  integer NOT NULL DEFAULT 24 CHECK (kept_release_hours BETWEEN 1 AND 720),
    -- Released places must still be bookable: the release comes before
    -- online booking closes (the minimum notice).
    ADD CONSTRAINT offices_kept_release_before_notice
        CHECK (kept_walk_in + kept_priority = 0 OR kept_release_hours * 60 > min_notice_minutes);

-- One slot's kept places, set on the desk (NULL: the office's numbers).
ALTER TABLE slot_overrides
    ADD COLUMN kept_walk_in   smallint CHECK (kept_walk_in BETWEEN 0 AND 500),
    ADD COLUMN kept_priority  smallint CHECK (kept_priority BETWEEN 0 AND 500);

-- The booking holds a kept place: the desk made it (a walk-in, or a
-- priority booking); a move by the citizen puts it in an online place.
ALTER TABLE bookings
    ADD COLUMN kept_place  boolean NOT NULL DEFAULT false,
    -- Why the desk booked it ahead: elderly, disability, pregnant, merit.
    ADD COLUMN priority    text CHECK (priority IN ('elderly', 'disability', 'pregnant', 'merit'));

-- How many places of the slot are still kept from online booking right now:
-- the kept places the desk has not filled, until the release. Every online
-- claim and listing counts `taken + slot_kept(s)` against the capacity, so
-- the claim stays one conditional UPDATE and the CHECK on `taken` still
-- guards the total. Desk bookings are counted rather than tracked in a
-- counter, so no path that frees a place can forget to give it back.
CREATE FUNCTION slot_kept(s slots) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN now() >= s.starts_at - make_interval(hours => o.kept_release_hours) THEN 0
        ELSE GREATEST(COALESCE(v.kept_walk_in, o.kept_walk_in) - count(b.id) FILTER (WHERE b.walk_in), 0)
           + GREATEST(COALESCE(v.kept_priority, o.kept_priority) - count(b.id) FILTER (WHERE NOT b.walk_in), 0)
    END::integer
    FROM offices o
    LEFT JOIN slot_overrides v ON v.office_id = s.office_id AND v.starts_at = s.starts_at
    LEFT JOIN bookings b ON b.slot_id = s.id AND b.kept_place
                        AND b.status IN ('requested', 'confirmed', 'checked_in', 'completed', 'no_show')
    WHERE o.id = s.office_id
    GROUP BY o.kept_release_hours, o.kept_walk_in, o.kept_priority, v.kept_walk_in, v.kept_priority
$$;
