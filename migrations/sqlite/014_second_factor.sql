-- The optional second factor (R-2FA-1): the one-time code sent by SMS for a button
-- confirmation, one challenge per win. The row stays once the code is used up: it
-- counts the codes sent and the guesses made for the win, which are capped for good.
CREATE TABLE win_challenges (
    winner_id INTEGER PRIMARY KEY REFERENCES winners (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    code TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    attempts_left INTEGER NOT NULL CHECK (attempts_left >= 0),
    codes_sent INTEGER NOT NULL DEFAULT 1,
    guesses INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
