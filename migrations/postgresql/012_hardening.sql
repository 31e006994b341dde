-- A warning that a chat cannot be written to goes to the admins at most once an hour
-- per chat: the check looks these warnings up by chat, through this partial index.
CREATE INDEX outbox_undeliverable_idx ON outbox (count, created_at)
    WHERE kind = 'admin_undeliverable';

-- Club cards are compared without leading zeros (02223 is card 2223). Stored cards lose
-- theirs, except where that would give two users one card: such a pair is left for an
-- admin to resolve (the card without zeros is the one found).
UPDATE users SET club_card_number = ltrim(club_card_number, '0')
WHERE club_card_number LIKE '0%'
  AND ltrim(club_card_number, '0') <> ''
  AND NOT EXISTS (SELECT 1 FROM users other
                  WHERE other.club_card_number = ltrim(users.club_card_number, '0'))
  AND users.id = (SELECT min(same.id) FROM users same
                  WHERE ltrim(same.club_card_number, '0') = ltrim(users.club_card_number, '0'));
