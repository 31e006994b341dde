-- The optional second factor (R-2FA-1): the one-time code sent by SMS for a button
-- confirmation, one open challenge per win.
CREATE TABLE win_challenges (
    winner_id BIGINT PRIMARY KEY REFERENCES winners (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    code VARCHAR(6) NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    attempts_left INTEGER NOT NULL CHECK (attempts_left >= 0),
    created_at TIMESTAMPTZ NOT NULL
);
