-- Multi-leg transactions, reversals, the caller's own references, descriptions and metadata on every movement,
-- and the indexes that find transactions and balances at a point in time.

-- A transaction's legs may be in several currencies: then it has no single amount and currency (both NULL), and
-- each entry's currency is its wallet's. A reversal names the transaction it moves money back along.
-- reference (1 to 128 visible ASCII characters), description (up to 500 characters) and metadata (a JSON object of
-- up to 50 string values) are the caller's, stored as sent and never changed. reason is a reversal's.
ALTER TABLE transactions
    MODIFY type ENUM('deposit', 'withdrawal', 'transfer', 'reversal') NOT NULL,
    MODIFY amount BIGINT NULL,
    MODIFY currency CHAR(3) NULL,
    -- How many legs (debit and credit pairs) the transaction has: a multi-leg transaction is reversed whole.
    ADD COLUMN legs SMALLINT NOT NULL DEFAULT 1,
    ADD COLUMN reverses VARCHAR(32) NULL,
    ADD COLUMN reference VARCHAR(128) NULL,
    ADD COLUMN description VARCHAR(500) NULL,
    ADD COLUMN metadata MEDIUMTEXT NULL,
    ADD COLUMN reason VARCHAR(500) NULL,
    -- The reversals of a transaction, and what they moved back.
    ADD KEY transactions_reverses (reverses, amount),
    ADD CONSTRAINT transactions_reverses_fk FOREIGN KEY (reverses) REFERENCES transactions (id),
    ADD CONSTRAINT transactions_legs_range CHECK (legs BETWEEN 1 AND 64),
    ADD CONSTRAINT transactions_single_currency CHECK ((amount IS NULL) = (currency IS NULL)),
    ADD CONSTRAINT transactions_reversal CHECK ((type = 'reversal') = (reverses IS NOT NULL)),
    ADD CONSTRAINT transactions_reason CHECK (reason IS NULL OR type = 'reversal');

-- Where a transaction is listed: on the last entry it writes for each wallet (listed_wallet_id is that wallet) and
-- on the last entry it writes for each principal's wallets (listed_owner_id is that principal); NULL on the
-- others. A wallet's or a principal's transactions, newest first, and a wallet's balance at an instant (the
-- balance_after of its last listed entry at or before it) are then ranges of one index each. Entries' created_at
-- never decrease along a wallet's history, so the order of created_at is the order of ids.
ALTER TABLE entries
    ADD COLUMN listed_wallet_id VARCHAR(32) NULL,
    ADD COLUMN listed_owner_id VARCHAR(32) NULL,
    ADD KEY entries_listed_wallet (listed_wallet_id, created_at),
    ADD KEY entries_listed_owner (listed_owner_id, created_at),
    ADD CONSTRAINT entries_listed_wallet_is_wallet CHECK (listed_wallet_id IS NULL OR listed_wallet_id = wallet_id);

-- The entries written before: each transaction wrote at most one entry per wallet. Where two instances' clocks
-- differed, a wallet's entry could carry an earlier time than the one before it: such times are raised to it,
-- so that times never decrease along a wallet's history. (The immutability trigger is lifted for these updates.)
DROP TRIGGER entries_no_update;

UPDATE entries SET listed_wallet_id = wallet_id WHERE wallet_id IS NOT NULL;

UPDATE entries e
    JOIN (SELECT MAX(e2.id) AS id, w.owner_id
        FROM entries e2 JOIN wallets w ON w.id = e2.wallet_id
        GROUP BY e2.transaction_id, w.owner_id) last_of_owner ON last_of_owner.id = e.id
    SET e.listed_owner_id = last_of_owner.owner_id;

UPDATE entries e
    JOIN (SELECT id, MAX(created_at) OVER (PARTITION BY wallet_id ORDER BY id ROWS UNBOUNDED PRECEDING) AS not_before
        FROM entries WHERE wallet_id IS NOT NULL) chain ON chain.id = e.id
    SET e.created_at = chain.not_before
    WHERE e.created_at < chain.not_before;

CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ledger entries are immutable';

-- Holds carry the same caller's fields as transactions; their description may now be as long.
ALTER TABLE holds
    MODIFY description VARCHAR(500) NULL,
    ADD COLUMN reference VARCHAR(128) NULL,
    ADD COLUMN metadata MEDIUMTEXT NULL;

-- A request's canonical fields now include its legs and metadata (values by digest), and a stored response may
-- hold 128 entries and 50 metadata values.
ALTER TABLE idempotency_keys
    MODIFY request_fields TEXT NOT NULL,
    MODIFY response_body MEDIUMBLOB NULL;
