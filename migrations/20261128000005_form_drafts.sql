-- A booking form the server refused after a plain (no-JavaScript) post, kept
-- for ten minutes so that the page it goes back to can show what the citizen
-- typed beside the errors. The browser holds only the random id, in an
-- HttpOnly cookie; nothing of it is ever in a URL. Read once, then deleted.
CREATE TABLE form_drafts (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    data        jsonb NOT NULL,
    expires_at  timestamptz NOT NULL DEFAULT now() + interval '10 minutes'
);
CREATE INDEX form_drafts_expiry ON form_drafts (expires_at);
