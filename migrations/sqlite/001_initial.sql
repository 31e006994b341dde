-- The schema of the club's first bot: one account number per user, participations
-- and winners by user. Times are microseconds since the Unix epoch. Columns that can
-- exceed 32 bits are BIGINT: SOCI 4.0.3 reads an INTEGER column as a 32-bit int (row
-- ids, which must be INTEGER PRIMARY KEY, are the exception: SQLite suits tables of
-- fewer than 2^31 rows; PostgreSQL has no such limit).
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    telegram_id BIGINT NOT NULL UNIQUE,
    username TEXT,
    first_name TEXT,
    account_number TEXT UNIQUE,
    created_at BIGINT NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000000 AS BIGINT))
);

CREATE TABLE lotteries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    created_at BIGINT NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000000 AS BIGINT)),
    drawn_at BIGINT
);

CREATE TABLE lottery_prizes (
    lottery_id BIGINT NOT NULL REFERENCES lotteries (id) ON DELETE CASCADE,
    place BIGINT NOT NULL,
    prize TEXT NOT NULL,
    PRIMARY KEY (lottery_id, place)
);

CREATE TABLE participations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lottery_id BIGINT NOT NULL REFERENCES lotteries (id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000000 AS BIGINT)),
    UNIQUE (lottery_id, user_id)
);

CREATE TABLE winners (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lottery_id BIGINT NOT NULL REFERENCES lotteries (id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users (id),
    account_number TEXT NOT NULL,
    place BIGINT NOT NULL,
    prize TEXT NOT NULL,
    is_claimed BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000000 AS BIGINT))
);
