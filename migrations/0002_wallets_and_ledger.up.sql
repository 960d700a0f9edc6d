-- Wallets and the double-entry ledger. Amounts are BIGINT minor units of the ISO 4217 currency.
-- The balance of a wallet always equals the sum of its entries and the balance_after of its latest entry
-- (checked by the LedgerAuditor of WalletCore). 9007199254740991 is 2^53 - 1, the largest balance and amount.

CREATE TABLE wallets (
    id VARCHAR(32) NOT NULL,
    user_id VARCHAR(32) NOT NULL,
    currency CHAR(3) NOT NULL,
    balance BIGINT NOT NULL,
    -- Bumped by every movement: an UPDATE ... WHERE version = ? that matches no row is an optimistic conflict.
    version BIGINT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    KEY wallets_user (user_id, created_at),
    CONSTRAINT wallets_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT wallets_balance_range CHECK (balance BETWEEN 0 AND 9007199254740991),
    CONSTRAINT wallets_version_range CHECK (version >= 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per committed movement. Immutable: the trigger below refuses UPDATE, and the entries that reference every
-- transaction refuse its DELETE.
CREATE TABLE transactions (
    id VARCHAR(32) NOT NULL,
    type ENUM('deposit', 'withdrawal', 'transfer') NOT NULL,
    amount BIGINT NOT NULL,
    currency CHAR(3) NOT NULL,
    -- The user who asked for the movement, and the idempotency key it ran under (kept after the key is purged).
    user_id VARCHAR(32) NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT transactions_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT transactions_amount_range CHECK (amount BETWEEN 1 AND 9007199254740991)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per wallet a transaction touches: signed amount (debits negative) and the balance after it.
-- The AUTO_INCREMENT id is the keyset of the history of a wallet: entries of one wallet are inserted while its row is
-- locked by the UPDATE of the movement, so their ids increase in commit order. Immutable: the trigger below refuses
-- UPDATE. A DELETE is not refused here but breaks the balance invariants, which the audit reports. (One trigger per
-- table: MariaDB 10.11 can leave a stray .TRG- backup file behind when a second trigger is added to a table while
-- other DDL runs, and that file makes DROP DATABASE fail. In production the application user needs neither UPDATE
-- nor DELETE on transactions and entries.)
CREATE TABLE entries (
    id BIGINT NOT NULL AUTO_INCREMENT,
    transaction_id VARCHAR(32) NOT NULL,
    wallet_id VARCHAR(32) NOT NULL,
    amount BIGINT NOT NULL,
    balance_after BIGINT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    KEY entries_wallet (wallet_id, id),
    KEY entries_transaction (transaction_id),
    CONSTRAINT entries_transaction_fk FOREIGN KEY (transaction_id) REFERENCES transactions (id),
    CONSTRAINT entries_wallet_fk FOREIGN KEY (wallet_id) REFERENCES wallets (id),
    CONSTRAINT entries_amount_range CHECK (amount <> 0 AND amount BETWEEN -9007199254740991 AND 9007199254740991),
    CONSTRAINT entries_balance_after_range CHECK (balance_after BETWEEN 0 AND 9007199254740991)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TRIGGER transactions_no_update BEFORE UPDATE ON transactions FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ledger transactions are immutable';

CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ledger entries are immutable';

