-- Registration: the club card, an optional phone and the verification code.
-- (SQLite cannot add a UNIQUE column: unique indexes do the same.)
ALTER TABLE users ADD COLUMN club_card_number TEXT;
ALTER TABLE users ADD COLUMN phone TEXT;
ALTER TABLE users ADD COLUMN is_registered BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN verification_code TEXT;
CREATE UNIQUE INDEX users_club_card_key ON users (club_card_number);
CREATE UNIQUE INDEX users_verification_code_key ON users (verification_code);
