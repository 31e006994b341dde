-- Accounts come in ownerless by the hundred thousand (lotteryctl import of numbers
-- whose cards nobody registered yet); only the owned ones are ever looked up by owner.
-- Indexing just those saves the import a third of a second per million rows.
DROP INDEX accounts_owner_idx;
CREATE INDEX accounts_owner_idx ON accounts (owner_id) WHERE owner_id IS NOT NULL;
