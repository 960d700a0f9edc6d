-- Refuses (error 4025, with nothing changed) while a reversal, a multi-leg transaction or one in several currencies
-- exists: the older schema cannot record them, and dropping them would change balances. It refuses too (error
-- 1406) while a hold's description is longer than the older 255 characters. References, descriptions and metadata
-- go; entry times raised by the up migration stay raised.
ALTER TABLE transactions ADD CONSTRAINT transactions_only_simple CHECK (type <> 'reversal' AND legs = 1 AND amount IS NOT NULL);

ALTER TABLE holds
    DROP COLUMN metadata,
    DROP COLUMN reference,
    MODIFY description VARCHAR(255) NULL;

ALTER TABLE idempotency_keys
    MODIFY response_body BLOB NULL,
    MODIFY request_fields VARCHAR(1024) NOT NULL;

ALTER TABLE entries
    DROP CONSTRAINT entries_listed_wallet_is_wallet,
    DROP KEY entries_listed_owner,
    DROP KEY entries_listed_wallet,
    DROP COLUMN listed_owner_id,
    DROP COLUMN listed_wallet_id;

ALTER TABLE transactions
    DROP CONSTRAINT transactions_only_simple,
    DROP CONSTRAINT transactions_reason,
    DROP CONSTRAINT transactions_reversal,
    DROP CONSTRAINT transactions_single_currency,
    DROP CONSTRAINT transactions_legs_range,
    DROP FOREIGN KEY transactions_reverses_fk,
    DROP KEY transactions_reverses,
    DROP COLUMN reason,
    DROP COLUMN metadata,
    DROP COLUMN description,
    DROP COLUMN reference,
    DROP COLUMN reverses,
    DROP COLUMN legs,
    MODIFY currency CHAR(3) NOT NULL,
    MODIFY amount BIGINT NOT NULL,
    MODIFY type ENUM('deposit', 'withdrawal', 'transfer') NOT NULL;
