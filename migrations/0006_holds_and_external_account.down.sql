-- Refuses (error 4025, with nothing changed) while a wallet has an active hold: releasing reserved money without
-- its owner's word is not a schema change's to make. Resolved holds go; the transactions of their captures stay,
-- as the transfers and withdrawals they are.
ALTER TABLE wallets ADD CONSTRAINT wallets_no_active_holds CHECK (held = 0);

DROP TABLE holds;
ALTER TABLE wallets DROP CONSTRAINT wallets_no_active_holds, DROP CONSTRAINT wallets_held_range, DROP COLUMN held;

DELETE FROM entries WHERE wallet_id IS NULL;
ALTER TABLE entries
    DROP CONSTRAINT entries_account,
    MODIFY wallet_id VARCHAR(32) NOT NULL,
    MODIFY balance_after BIGINT NOT NULL;
