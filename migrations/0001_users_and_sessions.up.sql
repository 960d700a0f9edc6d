-- Users and their sessions. Ids are opaque prefixed strings made by WalletCore (`usr_` + 26 base32 characters).
-- Emails are stored lower-cased by WalletCore, and the binary collation makes the unique index exact.

CREATE TABLE users (
    id VARCHAR(32) NOT NULL,
    email VARCHAR(254) NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY users_email (email)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- A session is found by the hash of its bearer token, and the token itself is never stored.
CREATE TABLE sessions (
    token_hash VARCHAR(128) NOT NULL,
    user_id VARCHAR(32) NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    PRIMARY KEY (token_hash),
    KEY sessions_user (user_id),
    KEY sessions_expires_at (expires_at),
    CONSTRAINT sessions_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
