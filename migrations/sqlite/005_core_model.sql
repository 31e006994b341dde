-- What the rules of this bot need beyond the first bot's schema: per-lottery claim
-- windows, draw seeds and cursors, entry ordinals, the life cycle of a win, the
-- outbox of messages and the audit trail. (The adapter defines lottery_us,
-- lottery_ts and lottery_flag as identities on every SQLite connection.)

ALTER TABLE lotteries ADD COLUMN claim_window_seconds BIGINT NOT NULL DEFAULT 86400;
ALTER TABLE lotteries ADD COLUMN seed_hex TEXT NOT NULL DEFAULT '';
ALTER TABLE lotteries ADD COLUMN draw_cursor BIGINT NOT NULL DEFAULT 0;
UPDATE lotteries SET seed_hex = lower(hex(randomblob(32)));

-- Entries are drawn by their ordinal: 0, 1, 2, ... per lottery in enrolment order.
ALTER TABLE participations ADD COLUMN ordinal BIGINT;
UPDATE participations
SET ordinal = (SELECT count(*) FROM participations earlier
               WHERE earlier.lottery_id = participations.lottery_id
                 AND earlier.id < participations.id);
CREATE UNIQUE INDEX participations_ordinal_key ON participations (lottery_id, ordinal);

ALTER TABLE winners ADD COLUMN round BIGINT NOT NULL DEFAULT 1;
ALTER TABLE winners ADD COLUMN draw_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE winners ADD COLUMN status TEXT NOT NULL DEFAULT 'pending';
ALTER TABLE winners ADD COLUMN claimed_how TEXT;
ALTER TABLE winners ADD COLUMN deadline BIGINT NOT NULL DEFAULT 0;
ALTER TABLE winners ADD COLUMN remind_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE winners ADD COLUMN reminded BIGINT NOT NULL DEFAULT 0;
ALTER TABLE winners ADD COLUMN prize_given_at BIGINT;
UPDATE winners SET
    status = CASE WHEN is_claimed THEN 'claimed' ELSE 'pending' END,
    claimed_how = CASE WHEN is_claimed THEN 'admin_code' END,
    deadline = created_at + 86400000000,
    remind_at = created_at + 64800000000,
    reminded = is_claimed;
CREATE UNIQUE INDEX winners_place_round_key ON winners (lottery_id, place, round);
CREATE INDEX winners_pending_deadline_idx ON winners (deadline) WHERE status = 'pending';
CREATE INDEX winners_pending_remind_idx ON winners (remind_at)
    WHERE status = 'pending' AND reminded = 0;
CREATE INDEX winners_account_idx ON winners (account_id);
CREATE INDEX winners_user_idx ON winners (user_id);

ALTER TABLE winner_verifications ADD COLUMN verified_at BIGINT;
ALTER TABLE winner_verifications ADD COLUMN verified_by BIGINT;
UPDATE winner_verifications
SET verified_at = (SELECT claimed_at FROM winners WHERE winners.id = winner_verifications.winner_id)
WHERE is_verified;

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    lottery_id BIGINT REFERENCES lotteries (id) ON DELETE CASCADE,
    lottery_title TEXT NOT NULL DEFAULT '',
    winner_id BIGINT REFERENCES winners (id) ON DELETE CASCADE,
    place BIGINT NOT NULL DEFAULT 0,
    prize TEXT NOT NULL DEFAULT '',
    account_number TEXT,
    deadline BIGINT,
    count BIGINT NOT NULL DEFAULT 0,
    detail TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;

CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_telegram_id BIGINT,
    action TEXT NOT NULL,
    lottery_id BIGINT REFERENCES lotteries (id),
    winner_id BIGINT REFERENCES winners (id),
    details TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_lottery_idx ON audit_events (lottery_id, id);

-- Append-only: a row is never changed. (Nothing but a full clear deletes rows; on
-- PostgreSQL a trigger forbids deleting too, as a clear truncates there.)
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
