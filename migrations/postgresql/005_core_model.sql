-- What the rules of this bot need beyond the first bot's schema: per-lottery claim
-- windows, draw seeds and cursors, entry ordinals, the life cycle of a win, the
-- outbox of messages and the audit trail.

-- The adapter reads and writes times as microseconds since the epoch and flags as
-- 0/1, with the same SQL on PostgreSQL and SQLite (which defines these as identities).
CREATE FUNCTION lottery_us(t TIMESTAMPTZ) RETURNS BIGINT
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT (EXTRACT(EPOCH FROM t) * 1000000)::BIGINT $$;
CREATE FUNCTION lottery_ts(us BIGINT) RETURNS TIMESTAMPTZ
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT TIMESTAMPTZ 'epoch' + us * INTERVAL '1 microsecond' $$;
CREATE FUNCTION lottery_flag(b BOOLEAN) RETURNS INTEGER
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT CASE WHEN b THEN 1 ELSE 0 END $$;

ALTER TABLE users ALTER COLUMN id TYPE BIGINT;
ALTER SEQUENCE users_id_seq AS BIGINT;
ALTER TABLE accounts ALTER COLUMN owner_id TYPE BIGINT;
ALTER TABLE lotteries ALTER COLUMN id TYPE BIGINT;
ALTER SEQUENCE lotteries_id_seq AS BIGINT;
ALTER TABLE participations ALTER COLUMN id TYPE BIGINT;
ALTER SEQUENCE participations_id_seq AS BIGINT;
ALTER TABLE winners ALTER COLUMN id TYPE BIGINT;
ALTER SEQUENCE winners_id_seq AS BIGINT;

ALTER TABLE lotteries
    ADD COLUMN claim_window_seconds BIGINT NOT NULL DEFAULT 86400,
    ADD COLUMN seed_hex CHAR(64),
    ADD COLUMN draw_cursor BIGINT NOT NULL DEFAULT 0;
UPDATE lotteries SET seed_hex = md5(random()::text || id::text) || md5(id::text || random()::text);
ALTER TABLE lotteries ALTER COLUMN seed_hex SET NOT NULL;
ALTER TABLE lotteries ADD CONSTRAINT lotteries_status_check
    CHECK (status IN ('draft', 'open', 'drawn', 'closed'));

-- Entries are drawn by their ordinal: 0, 1, 2, ... per lottery in enrolment order.
ALTER TABLE participations ADD COLUMN ordinal BIGINT;
UPDATE participations p SET ordinal = numbered.ordinal
FROM (SELECT id, row_number() OVER (PARTITION BY lottery_id ORDER BY id) - 1 AS ordinal
      FROM participations) numbered
WHERE numbered.id = p.id;
ALTER TABLE participations ALTER COLUMN ordinal SET NOT NULL;
ALTER TABLE participations ADD CONSTRAINT participations_ordinal_key UNIQUE (lottery_id, ordinal);

ALTER TABLE winners
    ALTER COLUMN user_id TYPE BIGINT,
    ADD COLUMN round INTEGER NOT NULL DEFAULT 1,
    ADD COLUMN draw_step BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN status VARCHAR(16) NOT NULL DEFAULT 'pending',
    ADD COLUMN claimed_how VARCHAR(16),
    ADD COLUMN deadline TIMESTAMPTZ,
    ADD COLUMN remind_at TIMESTAMPTZ,
    ADD COLUMN reminded BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN prize_given_at TIMESTAMPTZ;
UPDATE winners SET
    status = CASE WHEN is_claimed THEN 'claimed' ELSE 'pending' END,
    claimed_how = CASE WHEN is_claimed THEN 'admin_code' END,
    deadline = created_at + INTERVAL '24 hours',
    remind_at = created_at + INTERVAL '18 hours',
    reminded = is_claimed;
ALTER TABLE winners
    ALTER COLUMN deadline SET NOT NULL,
    ALTER COLUMN remind_at SET NOT NULL,
    ADD CONSTRAINT winners_status_check
        CHECK (status IN ('pending', 'claimed', 'expired', 'redrawn')),
    ADD CONSTRAINT winners_place_round_key UNIQUE (lottery_id, place, round);
CREATE INDEX winners_pending_deadline_idx ON winners (deadline) WHERE status = 'pending';
CREATE INDEX winners_pending_remind_idx ON winners (remind_at)
    WHERE status = 'pending' AND NOT reminded;
CREATE INDEX winners_account_idx ON winners (account_id);
CREATE INDEX winners_user_idx ON winners (user_id);

ALTER TABLE winner_verifications
    ALTER COLUMN winner_id TYPE BIGINT,
    ADD COLUMN verified_at TIMESTAMPTZ,
    ADD COLUMN verified_by BIGINT;
UPDATE winner_verifications v SET verified_at = w.claimed_at
FROM winners w WHERE w.id = v.winner_id AND v.is_verified;

ALTER TABLE users ADD CONSTRAINT users_registered_check
    CHECK (NOT is_registered OR (club_card_number IS NOT NULL AND verification_code IS NOT NULL));

CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    chat_id BIGINT NOT NULL,
    kind VARCHAR(32) NOT NULL,
    lottery_id BIGINT REFERENCES lotteries (id) ON DELETE CASCADE,
    lottery_title TEXT NOT NULL DEFAULT '',
    winner_id BIGINT REFERENCES winners (id) ON DELETE CASCADE,
    place INTEGER NOT NULL DEFAULT 0,
    prize TEXT NOT NULL DEFAULT '',
    account_number VARCHAR(20),
    deadline TIMESTAMPTZ,
    count BIGINT NOT NULL DEFAULT 0,
    detail TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ
);
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;

CREATE TABLE audit_events (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    actor_kind VARCHAR(16) NOT NULL,
    actor_telegram_id BIGINT,
    action VARCHAR(48) NOT NULL,
    lottery_id BIGINT REFERENCES lotteries (id),
    winner_id BIGINT REFERENCES winners (id),
    details TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_lottery_idx ON audit_events (lottery_id, id);

-- Append-only: rows can be added, never changed or removed (a full clear truncates).
CREATE FUNCTION audit_events_append_only() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END
$$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
