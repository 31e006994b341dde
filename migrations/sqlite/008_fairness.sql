-- Verifiable draws (docs/FAIRNESS.md): the hash chain over each lottery's entries, the
-- public value mixed into its draw, and the ordinals its shuffle passed over. Lotteries
-- from before keep version 1: an open one is brought to version 2 (its chain computed
-- from its entries) when next enrolled or drawn; a drawn one keeps its version-1 stream.
ALTER TABLE lotteries ADD COLUMN fairness_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE lotteries ADD COLUMN entries_hash_hex TEXT NOT NULL DEFAULT '';
ALTER TABLE lotteries ADD COLUMN public_value TEXT NOT NULL DEFAULT '';
ALTER TABLE lotteries ADD COLUMN skipped_ordinals TEXT NOT NULL DEFAULT '';
