-- Several accounts per user: users.account_number moves to accounts (nothing is
-- lost: every number becomes an account of its user, and every number that won
-- without a user becomes an ownerless account), participations and winners point at
-- accounts, and every win gets its verification record.

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_number TEXT NOT NULL UNIQUE,
    owner_id BIGINT REFERENCES users (id),
    is_active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000000 AS BIGINT))
);
CREATE INDEX accounts_owner_idx ON accounts (owner_id);

-- The first bot accepted numbers with or without separators; store them canonically.
CREATE TEMP TABLE canonical_numbers AS
SELECT raw,
       CASE
           WHEN length(digits) = 14 AND digits NOT GLOB '*[^0-9]*'
           THEN substr(digits, 1, 2) || '-' || substr(digits, 3, 2) || '-' ||
                substr(digits, 5, 2) || '-' || substr(digits, 7, 2) || '-' ||
                substr(digits, 9, 2) || '-' || substr(digits, 11, 2) || '-' ||
                substr(digits, 13, 2)
           ELSE raw
       END AS canonical
FROM (SELECT raw, replace(replace(replace(raw, '-', ''), ' ', ''), '.', '') AS digits
      FROM (SELECT account_number AS raw FROM users WHERE account_number IS NOT NULL
            UNION SELECT account_number FROM winners));

INSERT INTO accounts (account_number, owner_id, is_active, created_at)
SELECT c.canonical, u.id, 1, u.created_at
FROM users u JOIN canonical_numbers c ON c.raw = u.account_number
ORDER BY u.id;

UPDATE winners
SET account_number = (SELECT canonical FROM canonical_numbers WHERE raw = winners.account_number);

INSERT INTO accounts (account_number, owner_id, is_active, created_at)
SELECT w.account_number, NULL, 1, min(w.created_at)
FROM winners w
WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.account_number = w.account_number)
GROUP BY w.account_number
ORDER BY min(w.id);

DROP TABLE canonical_numbers;

-- SQLite keeps the old user_id column (it cannot drop a constrained column); it is
-- no longer written.
ALTER TABLE participations ADD COLUMN account_id BIGINT REFERENCES accounts (id);
UPDATE participations
SET account_id = (SELECT a.id FROM accounts a WHERE a.owner_id = participations.user_id),
    user_id = NULL;
-- A participation of a user who had no account number never had an account to win
-- with; it cannot be expressed in the new model.
DELETE FROM participations WHERE account_id IS NULL;
CREATE UNIQUE INDEX participations_lottery_account_key ON participations (lottery_id, account_id);
CREATE INDEX participations_account_idx ON participations (account_id);

ALTER TABLE winners ADD COLUMN account_id BIGINT REFERENCES accounts (id);
UPDATE winners
SET account_id = (SELECT a.id FROM accounts a WHERE a.account_number = winners.account_number);

CREATE TABLE winner_verifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    winner_id BIGINT NOT NULL UNIQUE REFERENCES winners (id) ON DELETE CASCADE,
    verification_token TEXT NOT NULL,
    is_verified BIGINT NOT NULL DEFAULT 0,
    expires_at BIGINT NOT NULL
);
INSERT INTO winner_verifications (winner_id, verification_token, is_verified, expires_at)
SELECT id, lower(hex(randomblob(16))), is_claimed, created_at + 86400000000
FROM winners;

-- The old column stays for old readers, emptied as the first bot's own migration did.
UPDATE users SET account_number = NULL;
