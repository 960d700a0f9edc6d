-- Idempotency keys, scoped per user. A money movement inserts its key FIRST, in the same transaction that moves
-- the money, and stores the response before it commits, so a committed row therefore always holds a response.
-- request_fields holds the canonical request ("name=value" lines) so that a reused key can name what differs.
-- Rows older than the retention (24 h by default) are purged in small batches by created_at.

CREATE TABLE idempotency_keys (
    user_id VARCHAR(32) NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    fingerprint CHAR(64) NOT NULL,
    request_fields VARCHAR(1024) NOT NULL,
    response_status SMALLINT NULL,
    response_body BLOB NULL,
    created_at DATETIME(6) NOT NULL,
    PRIMARY KEY (user_id, idempotency_key),
    KEY idempotency_keys_created_at (created_at),
    CONSTRAINT idempotency_keys_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
