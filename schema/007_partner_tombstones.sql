-- 007_partner_tombstones: deleting a partner first marks it deleted (one cheap write, committed
-- on its own), then purges its rows in short transactions (billing/purge.c), so that no other
-- partner waits for the whole cascade. A marked partner is absent for every read: the stores
-- filter on deleted_at IS NULL. Leftovers of a purge cut short (a crash) are found by the index.

ALTER TABLE intps ADD COLUMN deleted_at INTEGER;

CREATE INDEX intps_deleted ON intps (deleted_at) WHERE deleted_at IS NOT NULL;
