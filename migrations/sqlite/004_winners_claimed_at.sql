-- When a win was confirmed. Wins confirmed before this column existed get their
-- creation time: the closest known bound, so that every claimed win has a time.
ALTER TABLE winners ADD COLUMN claimed_at BIGINT;
UPDATE winners SET claimed_at = created_at WHERE is_claimed;
