-- Refuses (error 1452, with nothing changed) while an application owns a wallet: its money would lose its owner.
ALTER TABLE wallets
    DROP FOREIGN KEY wallets_owner_fk,
    DROP INDEX wallets_owner_ref,
    DROP COLUMN owner_ref,
    RENAME INDEX wallets_owner_id TO wallets_user_id,
    RENAME COLUMN owner_id TO user_id,
    ADD CONSTRAINT wallets_user_fk FOREIGN KEY (user_id) REFERENCES users (id);

-- Applications' idempotency keys answered requests on wallets that no longer exist, or refusals: they go.
DELETE FROM idempotency_keys WHERE principal_id LIKE 'app\_%';
ALTER TABLE idempotency_keys
    DROP FOREIGN KEY idempotency_keys_principal_fk,
    RENAME COLUMN principal_id TO user_id,
    ADD CONSTRAINT idempotency_keys_user_fk FOREIGN KEY (user_id) REFERENCES users (id);

ALTER TABLE transactions
    DROP FOREIGN KEY transactions_principal_fk,
    RENAME COLUMN principal_id TO user_id,
    ADD CONSTRAINT transactions_user_fk FOREIGN KEY (user_id) REFERENCES users (id);

DROP TABLE api_keys;
DROP TABLE applications;
ALTER TABLE users DROP FOREIGN KEY users_principal_fk;
DROP TABLE principals;
