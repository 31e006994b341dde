-- What the Telegram bot needs: delivery state of outgoing messages (attempts, the
-- Telegram message each became, failures), rendered replies, the updates already
-- handled, and the open dialogues.
ALTER TABLE outbox
    ADD COLUMN text TEXT NOT NULL DEFAULT '',
    ADD COLUMN markup TEXT NOT NULL DEFAULT '',
    ADD COLUMN reference BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at TIMESTAMPTZ,
    ADD COLUMN failed_at TIMESTAMPTZ,
    ADD COLUMN failure TEXT,
    ADD COLUMN telegram_message_id BIGINT;
DROP INDEX outbox_unsent_idx;
CREATE INDEX outbox_due_idx ON outbox (id) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_sent_message_idx ON outbox (lottery_id, kind, id)
    WHERE telegram_message_id IS NOT NULL;

CREATE TABLE processed_updates (
    update_id BIGINT PRIMARY KEY,
    processed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX processed_updates_age_idx ON processed_updates (processed_at);

CREATE TABLE dialogues (
    chat_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    name VARCHAR(32) NOT NULL,
    step VARCHAR(32) NOT NULL,
    data TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (chat_id, user_id)
);
