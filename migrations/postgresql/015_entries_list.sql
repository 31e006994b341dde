-- A client may ask for a drawn lottery's entry list (R-VERIFY-1); the bot checks that
-- the chat has not had it lately. Only those rows are indexed: no other insert pays.
CREATE INDEX outbox_entries_list_idx ON outbox (lottery_id, chat_id, created_at)
    WHERE kind = 'entries_list';
