-- PostgreSQL only: its time conversions become inlinable. SQLite's are identities
-- registered by the adapter; nothing changes here.
SELECT 1;
