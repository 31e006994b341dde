-- /find and /list_accounts look clients up by @username (case does not matter) and by
-- phone as well as by card, Telegram id and account.
CREATE INDEX users_username_idx ON users (lower(username));
CREATE INDEX users_phone_idx ON users (phone);
