-- What the Telegram bot needs: delivery state of outgoing messages (attempts, the
-- Telegram message each became, failures), rendered replies, the updates already
-- handled, and the open dialogues.
ALTER TABLE outbox ADD COLUMN text TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN markup TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN reference BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_at BIGINT;
ALTER TABLE outbox ADD COLUMN failed_at BIGINT;
ALTER TABLE outbox ADD COLUMN failure TEXT;
ALTER TABLE outbox ADD COLUMN telegram_message_id BIGINT;
DROP INDEX outbox_unsent_idx;
CREATE INDEX outbox_due_idx ON outbox (id) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_sent_message_idx ON outbox (lottery_id, kind, id)
    WHERE telegram_message_id IS NOT NULL;

CREATE TABLE processed_updates (
    update_id BIGINT PRIMARY KEY,
    processed_at BIGINT NOT NULL
);
CREATE INDEX processed_updates_age_idx ON processed_updates (processed_at);

CREATE TABLE dialogues (
    chat_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    step TEXT NOT NULL,
    data TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (chat_id, user_id)
);
