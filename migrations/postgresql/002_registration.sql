-- Registration: the club card, an optional phone and the verification code.
ALTER TABLE users ADD COLUMN club_card_number VARCHAR(20) UNIQUE;
ALTER TABLE users ADD COLUMN phone VARCHAR(32);
ALTER TABLE users ADD COLUMN is_registered BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN verification_code VARCHAR(8) UNIQUE;
