-- A long message goes out in several parts. When one of them fails (a 5xx, a 429), the
-- retry sends only the parts not sent yet, instead of repeating the first ones.
ALTER TABLE outbox ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;
