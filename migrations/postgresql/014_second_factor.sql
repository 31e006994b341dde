-- The optional second factor (R-2FA-1): the one-time code sent by SMS for a button
-- confirmation, one challenge per win. The row stays once the code is used up: it
-- counts the codes sent and the guesses made for the win, which are capped for good.
CREATE TABLE win_challenges (
    winner_id BIGINT PRIMARY KEY REFERENCES winners (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    code VARCHAR(6) NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    attempts_left INTEGER NOT NULL CHECK (attempts_left >= 0),
    codes_sent INTEGER NOT NULL DEFAULT 1,
    guesses INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL
);
