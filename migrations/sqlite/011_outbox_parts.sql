-- A long message goes out in several parts. The outbox keeps how many went out and a
-- digest of what they said: a retry (after a 5xx, a 429 or a crash) sends only the
-- parts not sent yet if the message still reads the same, and all of it otherwise.
ALTER TABLE outbox ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN parts_digest BIGINT NOT NULL DEFAULT 0;
