-- Replies to what someone just did (a command, a press, a file or status they asked
-- for) and messages to the admins go out before the bulk of notifications: a draw's
-- thousand winner messages take half a minute at Telegram's 30 a second, and nobody
-- should wait behind them for an answer. This index finds those due without walking
-- the due notifications.
CREATE INDEX outbox_due_reply_idx ON outbox (id)
    WHERE sent_at IS NULL AND failed_at IS NULL
      AND kind IN ('reply', 'reply_edit', 'draw_progress', 'winners_export',
                   'admin_win_confirmed', 'admin_wins_expired', 'admin_drawn',
                   'admin_redrawn', 'admin_undeliverable');
