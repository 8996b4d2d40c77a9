-- Reception offices (trụ sở tiếp công dân) and their weekly opening hours.

CREATE TABLE offices (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name_vi     text NOT NULL CHECK (length(btrim(name_vi)) > 0),
    name_en     text,
    address_vi  text NOT NULL CHECK (length(btrim(address_vi)) > 0),
    address_en  text,
    phone       text,
    email       text,
    -- Order in which offices are listed to citizens.
    position    integer NOT NULL DEFAULT 0,
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per opening session; a day may have a morning and an afternoon
-- session. Times are Vietnam local time (Asia/Ho_Chi_Minh, no DST).
CREATE TABLE opening_hours (
    office_id  uuid NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    weekday    smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7), -- ISO: 1 = Monday
    opens      time NOT NULL,
    closes     time NOT NULL,
    CHECK (closes > opens),
    PRIMARY KEY (office_id, weekday, opens)
);
