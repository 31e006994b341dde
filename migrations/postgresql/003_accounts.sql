-- Several accounts per user: users.account_number moves to accounts (nothing is
-- lost: every number becomes an account of its user, and every number that won
-- without a user becomes an ownerless account), participations and winners point at
-- accounts, and every win gets its verification record.

CREATE TABLE accounts (
    id BIGSERIAL PRIMARY KEY,
    account_number VARCHAR(20) NOT NULL UNIQUE,
    owner_id INTEGER REFERENCES users (id),
    is_active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX accounts_owner_idx ON accounts (owner_id);

-- The first bot accepted numbers with or without separators; store them canonically.
CREATE FUNCTION pg_temp.canonical_account(raw TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN regexp_replace(raw, '[ .-]', '', 'g') ~ '^[0-9]{14}$'
        THEN regexp_replace(regexp_replace(raw, '[ .-]', '', 'g'),
                            '^(..)(..)(..)(..)(..)(..)(..)$', '\1-\2-\3-\4-\5-\6-\7')
        ELSE raw
    END
$$;

INSERT INTO accounts (account_number, owner_id, is_active, created_at)
SELECT pg_temp.canonical_account(account_number), id, true, created_at
FROM users
WHERE account_number IS NOT NULL
ORDER BY id;

UPDATE winners SET account_number = pg_temp.canonical_account(account_number);

INSERT INTO accounts (account_number, owner_id, is_active, created_at)
SELECT w.account_number, NULL, true, min(w.created_at)
FROM winners w
WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.account_number = w.account_number)
GROUP BY w.account_number
ORDER BY min(w.id);

ALTER TABLE participations ADD COLUMN account_id BIGINT REFERENCES accounts (id);
UPDATE participations p SET account_id = a.id FROM accounts a WHERE a.owner_id = p.user_id;
-- A participation of a user who had no account number never had an account to win
-- with; it cannot be expressed in the new model.
DELETE FROM participations WHERE account_id IS NULL;
ALTER TABLE participations ALTER COLUMN account_id SET NOT NULL;
ALTER TABLE participations DROP COLUMN user_id;
ALTER TABLE participations ADD CONSTRAINT participations_lottery_account_key
    UNIQUE (lottery_id, account_id);
CREATE INDEX participations_account_idx ON participations (account_id);

ALTER TABLE winners ADD COLUMN account_id BIGINT REFERENCES accounts (id);
UPDATE winners w SET account_id = a.id FROM accounts a WHERE a.account_number = w.account_number;
ALTER TABLE winners ALTER COLUMN account_id SET NOT NULL;

CREATE TABLE winner_verifications (
    id BIGSERIAL PRIMARY KEY,
    winner_id INTEGER NOT NULL UNIQUE REFERENCES winners (id) ON DELETE CASCADE,
    verification_token VARCHAR(64) NOT NULL,
    is_verified BOOLEAN NOT NULL DEFAULT false,
    expires_at TIMESTAMPTZ NOT NULL
);
INSERT INTO winner_verifications (winner_id, verification_token, is_verified, expires_at)
SELECT id, md5(random()::text || id::text), is_claimed, created_at + INTERVAL '24 hours'
FROM winners;

-- The old column stays for old readers, emptied as the first bot's own migration did.
UPDATE users SET account_number = NULL;
