-- Whether the desk may receive walk-ins outside the offered slots (the
-- office decides; off by default). Such a walk-in gets a slot of its own,
-- one place, never offered to citizens.
ALTER TABLE offices ADD COLUMN walk_ins_outside_slots boolean NOT NULL DEFAULT false;
