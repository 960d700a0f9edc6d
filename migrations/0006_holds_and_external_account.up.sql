-- Holds, and the external account that makes every transaction's entries sum to zero.
--
-- The external account of a currency is the world outside the ledger (cards, banks): a deposit debits it and
-- credits the wallet, a withdrawal the reverse. Its entries have no wallet and no running balance (wallet_id and
-- balance_after are NULL), so it is no row that movements update: deposits of all wallets never wait for each
-- other on it. Its balance, the mirror of all money in wallets of the currency, is the sum of its entries, which
-- the audit derives.
ALTER TABLE entries
    MODIFY wallet_id VARCHAR(32) NULL,
    MODIFY balance_after BIGINT NULL,
    ADD CONSTRAINT entries_account CHECK ((wallet_id IS NULL) = (balance_after IS NULL));

-- The contra entries of the deposits and withdrawals written before, at their transactions' times.
INSERT INTO entries (transaction_id, wallet_id, amount, balance_after, created_at)
    SELECT id, NULL, IF(type = 'deposit', -amount, amount), NULL, created_at
    FROM transactions
    WHERE type IN ('deposit', 'withdrawal')
    ORDER BY created_at, id;

-- held is the sum of the wallet's holds whose status is 'active'. A hold counts against the available balance
-- (balance - held) only until its expires_at; one past it that the sweeper has not yet marked 'expired' is still
-- in held, and reads and movements subtract it themselves.
ALTER TABLE wallets
    ADD COLUMN held BIGINT NOT NULL DEFAULT 0 AFTER balance,
    ADD CONSTRAINT wallets_held_range CHECK (held BETWEEN 0 AND 9007199254740991);

-- A hold reserves part of a wallet's balance until it is captured (once, at most its amount; the rest is
-- released), voided, or expires. version is bumped by every change: an UPDATE ... WHERE version = ? that matches no
-- row is an optimistic conflict, as for wallets. A captured hold names the transaction that moved its money.
CREATE TABLE holds (
    id VARCHAR(32) NOT NULL,
    wallet_id VARCHAR(32) NOT NULL,
    -- The principal that placed the hold, and the idempotency key it ran under.
    principal_id VARCHAR(32) NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    amount BIGINT NOT NULL,
    currency CHAR(3) NOT NULL,
    status ENUM('active', 'captured', 'voided', 'expired') NOT NULL,
    captured_amount BIGINT NOT NULL,
    transaction_id VARCHAR(32) NULL,
    description VARCHAR(255) NULL,
    version BIGINT NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    resolved_at DATETIME(6) NULL,
    PRIMARY KEY (id),
    -- A wallet's holds, newest first (ids follow creation time).
    KEY holds_wallet (wallet_id, id),
    -- The active holds of a wallet that are past their time: what a movement subtracts from held.
    KEY holds_wallet_active (wallet_id, status, expires_at, amount),
    -- What the sweeper expires next.
    KEY holds_due (status, expires_at),
    UNIQUE KEY holds_transaction (transaction_id),
    CONSTRAINT holds_wallet_fk FOREIGN KEY (wallet_id) REFERENCES wallets (id),
    CONSTRAINT holds_principal_fk FOREIGN KEY (principal_id) REFERENCES principals (id),
    CONSTRAINT holds_transaction_fk FOREIGN KEY (transaction_id) REFERENCES transactions (id),
    CONSTRAINT holds_amount_range CHECK (amount BETWEEN 1 AND 9007199254740991),
    CONSTRAINT holds_captured_range CHECK (
        IF(status = 'captured', captured_amount BETWEEN 1 AND amount, captured_amount = 0)),
    CONSTRAINT holds_capture_transaction CHECK ((status = 'captured') = (transaction_id IS NOT NULL)),
    CONSTRAINT holds_resolution CHECK ((status = 'active') = (resolved_at IS NULL)),
    CONSTRAINT holds_version_range CHECK (version >= 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
