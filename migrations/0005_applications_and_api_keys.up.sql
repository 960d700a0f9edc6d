-- Applications and their API keys. An application is a principal like a user: it owns wallets and moves money,
-- authenticated by a secret key instead of an email, password and session.
--
-- principals has one row per user (`usr_…`) and per application (`app_…`), so that wallets, transactions and
-- idempotency keys reference one table whichever kind of principal they belong to, with foreign keys as before.

CREATE TABLE principals (
    id VARCHAR(32) NOT NULL,
    kind ENUM('user', 'application') NOT NULL,
    created_at DATETIME(6) NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT INTO principals (id, kind, created_at) SELECT id, 'user', created_at FROM users;

ALTER TABLE users ADD CONSTRAINT users_principal_fk FOREIGN KEY (id) REFERENCES principals (id);

-- Names are chosen by the operator (`wallet apps create --name billing`): 1 to 64 of [a-z0-9_-], unique.
CREATE TABLE applications (
    id VARCHAR(32) NOT NULL,
    name VARCHAR(64) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY applications_name (name),
    CONSTRAINT applications_principal_fk FOREIGN KEY (id) REFERENCES principals (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- A key is found by the SHA-256 of its secret (the secret itself is never stored) and works while it is neither
-- revoked nor expired. prefix is the secret's first characters, shown so that an operator can tell keys apart.
-- scopes is a space-separated list. A NULL rate limit is the service's default for money movements.
CREATE TABLE api_keys (
    id VARCHAR(32) NOT NULL,
    application_id VARCHAR(32) NOT NULL,
    secret_hash CHAR(64) NOT NULL,
    prefix VARCHAR(16) NOT NULL,
    scopes VARCHAR(255) NOT NULL,
    rate_limit_burst INT NULL,
    rate_limit_per_second DOUBLE NULL,
    created_at DATETIME(6) NOT NULL,
    expires_at DATETIME(6) NULL,
    revoked_at DATETIME(6) NULL,
    last_used_at DATETIME(6) NULL,
    PRIMARY KEY (id),
    UNIQUE KEY api_keys_secret_hash (secret_hash),
    KEY api_keys_application (application_id, id),
    CONSTRAINT api_keys_application_fk FOREIGN KEY (application_id) REFERENCES applications (id),
    CONSTRAINT api_keys_rate_limit CHECK ((rate_limit_burst IS NULL) = (rate_limit_per_second IS NULL))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Wallets belong to a principal, and may carry the owner's own reference for its customer (owner_ref).
ALTER TABLE wallets DROP FOREIGN KEY wallets_user_fk;
ALTER TABLE wallets
    RENAME COLUMN user_id TO owner_id,
    ADD COLUMN owner_ref VARCHAR(128) NULL AFTER owner_id,
    RENAME INDEX wallets_user_id TO wallets_owner_id,
    ADD KEY wallets_owner_ref (owner_id, owner_ref, id),
    ADD CONSTRAINT wallets_owner_fk FOREIGN KEY (owner_id) REFERENCES principals (id);

-- Transactions record the principal that asked for them.
ALTER TABLE transactions DROP FOREIGN KEY transactions_user_fk;
ALTER TABLE transactions
    RENAME COLUMN user_id TO principal_id,
    DROP INDEX transactions_user_fk,
    ADD CONSTRAINT transactions_principal_fk FOREIGN KEY (principal_id) REFERENCES principals (id);

-- Idempotency keys are scoped per principal: an application's and a user's keys never collide.
ALTER TABLE idempotency_keys DROP FOREIGN KEY idempotency_keys_user_fk;
ALTER TABLE idempotency_keys
    RENAME COLUMN user_id TO principal_id,
    ADD CONSTRAINT idempotency_keys_principal_fk FOREIGN KEY (principal_id) REFERENCES principals (id);
