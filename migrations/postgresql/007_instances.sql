-- Several bot instances on one database: a sender leases a notification before it
-- sends it, so no two instances send the same one; the lease names the instance, so a
-- restarted instance takes back what it held when it died.
ALTER TABLE outbox
    ADD COLUMN leased_by TEXT,
    ADD COLUMN leased_until TIMESTAMPTZ;
-- A chat's messages go out in order: only the first unfinished one of a chat is due.
CREATE INDEX outbox_chat_due_idx ON outbox (chat_id, id) WHERE sent_at IS NULL AND failed_at IS NULL;
