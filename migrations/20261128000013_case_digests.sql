-- The officers' daily deadline e-mail: one row per member per day, claimed
-- by whichever instance inserts it first, in the transaction that queues
-- the message, so each member gets it once a day however many instances run.
CREATE TABLE case_digests (
    day        date NOT NULL,
    staff_id   uuid NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    cases      integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (day, staff_id)
);
