-- Webhooks: endpoints that a principal registers, and the deliveries of its events to them, at least once.
--
-- An endpoint receives the events of its owner whose type it subscribed to (event_types), from the events created
-- after it. The secret signs every attempt (HMAC-SHA256, so the service must keep it, not a hash of it); after a
-- rotation the previous secret signs too until previous_secret_expires_at. An endpoint whose delivery failed for good
-- is 'failing': it gets no new deliveries until its owner enables it again.
CREATE TABLE webhook_endpoints (
    id VARCHAR(32) NOT NULL,
    owner_id VARCHAR(32) NOT NULL,
    url VARCHAR(2048) NOT NULL,
    description VARCHAR(255) NULL,
    event_types SET('wallet.created', 'transaction.committed', 'transaction.reversed',
        'hold.created', 'hold.captured', 'hold.voided', 'hold.expired') NOT NULL,
    secret VARCHAR(64) NOT NULL,
    previous_secret VARCHAR(64) NULL,
    previous_secret_expires_at DATETIME(6) NULL,
    status ENUM('enabled', 'failing') NOT NULL,
    failing_since DATETIME(6) NULL,
    created_at DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    KEY webhook_endpoints_owner (owner_id, id),
    CONSTRAINT webhook_endpoints_owner FOREIGN KEY (owner_id) REFERENCES principals (id),
    CONSTRAINT webhook_endpoints_types CHECK (event_types <> '')
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One delivery per endpoint and event, queued by the event sequencer in the round that gives the event its feed
-- position. 'pending' deliveries are claimed when due (next_attempt_at) with SELECT … FOR UPDATE SKIP LOCKED: a
-- claim moves next_attempt_at past the attempt's lease and writes a claim token, so an instance that dies mid-attempt
-- leaves the delivery due again when its lease ends, and an outcome is recorded only under the token that claimed it.
-- No foreign key to events (they are purged; the purge keeps every event that a pending delivery still needs).
CREATE TABLE webhook_deliveries (
    sequence BIGINT NOT NULL AUTO_INCREMENT,
    endpoint_id VARCHAR(32) NOT NULL,
    event_id VARCHAR(32) NOT NULL,
    event_type ENUM('wallet.created', 'transaction.committed', 'transaction.reversed',
        'hold.created', 'hold.captured', 'hold.voided', 'hold.expired') NOT NULL,
    event_position BIGINT NOT NULL,
    status ENUM('pending', 'delivered', 'failed') NOT NULL,
    attempts INT NOT NULL,
    next_attempt_at DATETIME(6) NULL,
    -- Retries end here: an attempt that fails after it fails the delivery.
    give_up_at DATETIME(6) NOT NULL,
    claim_token BIGINT NULL,
    created_at DATETIME(6) NOT NULL,
    delivered_at DATETIME(6) NULL,
    PRIMARY KEY (sequence),
    UNIQUE KEY webhook_deliveries_endpoint_event (endpoint_id, event_position),
    -- The claim: due pending deliveries, oldest due first.
    KEY webhook_deliveries_due (status, next_attempt_at),
    -- The purge's bound: the oldest event a pending delivery still needs.
    KEY webhook_deliveries_pending_events (status, event_position),
    -- An endpoint's deliveries, newest first.
    KEY webhook_deliveries_endpoint (endpoint_id, sequence),
    CONSTRAINT webhook_deliveries_endpoint FOREIGN KEY (endpoint_id) REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    CONSTRAINT webhook_deliveries_state CHECK (
        (status = 'pending' AND next_attempt_at IS NOT NULL AND delivered_at IS NULL)
        OR (status = 'delivered' AND next_attempt_at IS NULL AND delivered_at IS NOT NULL AND claim_token IS NULL)
        OR (status = 'failed' AND next_attempt_at IS NULL AND delivered_at IS NULL AND claim_token IS NULL))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Every attempt of a delivery, for its owner to debug a receiver: when, the answer's status code (NULL when there
-- was none), how long it took, and what went wrong.
CREATE TABLE webhook_attempts (
    sequence BIGINT NOT NULL AUTO_INCREMENT,
    delivery_sequence BIGINT NOT NULL,
    attempted_at DATETIME(6) NOT NULL,
    status_code SMALLINT NULL,
    latency_us BIGINT NOT NULL,
    error VARCHAR(255) NULL,
    PRIMARY KEY (sequence),
    KEY webhook_attempts_delivery (delivery_sequence, sequence),
    CONSTRAINT webhook_attempts_delivery FOREIGN KEY (delivery_sequence) REFERENCES webhook_deliveries (sequence) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
