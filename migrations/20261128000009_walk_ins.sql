-- A walk-in: a person the desk receives without a booking, registered into
-- a slot of the day with room and checked in at once.
ALTER TABLE bookings ADD COLUMN walk_in boolean NOT NULL DEFAULT false;
