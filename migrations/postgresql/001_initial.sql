-- The schema of the club's first bot: one account number per user, participations
-- and winners by user. Kept as it was so that its databases upgrade in place.
CREATE TABLE users (
    id SERIAL PRIMARY KEY,
    telegram_id BIGINT NOT NULL UNIQUE,
    username VARCHAR(255),
    first_name VARCHAR(255),
    account_number VARCHAR(32) UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE lotteries (
    id SERIAL PRIMARY KEY,
    title VARCHAR(255) NOT NULL,
    status VARCHAR(16) NOT NULL DEFAULT 'open',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    drawn_at TIMESTAMPTZ
);

CREATE TABLE lottery_prizes (
    lottery_id INTEGER NOT NULL REFERENCES lotteries (id) ON DELETE CASCADE,
    place INTEGER NOT NULL,
    prize VARCHAR(255) NOT NULL,
    PRIMARY KEY (lottery_id, place)
);

CREATE TABLE participations (
    id SERIAL PRIMARY KEY,
    lottery_id INTEGER NOT NULL REFERENCES lotteries (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (lottery_id, user_id)
);

CREATE TABLE winners (
    id SERIAL PRIMARY KEY,
    lottery_id INTEGER NOT NULL REFERENCES lotteries (id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users (id),
    account_number VARCHAR(32) NOT NULL,
    place INTEGER NOT NULL,
    prize VARCHAR(255) NOT NULL,
    is_claimed BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
