-- Events: what happened, written in the same transaction as the change itself (a transactional outbox), and the
-- feed that hands them out in commit order.
--
-- An event is one principal's view of one change: a transfer between two owners writes one event for each, each
-- with the transaction as that owner may read it. Its data is the object exactly as the API returns it to that
-- owner. sequence is assigned at insert, so a transaction that inserted sequence 41 may commit after the one that
-- inserted 42. position is the event's place in the feed: NULL until it has committed, then given by the single
-- event sequencer (whichever instance holds the lease below), in sequence order, to committed events only, with
-- no number left out. A reader pages by position, so it never passes an event that is not there yet.
CREATE TABLE events (
    sequence BIGINT NOT NULL AUTO_INCREMENT,
    id VARCHAR(32) NOT NULL,
    -- The principal whose view this is: the owner of a wallet the change touched.
    owner_id VARCHAR(32) NOT NULL,
    type ENUM('wallet.created', 'transaction.committed', 'transaction.reversed',
        'hold.created', 'hold.captured', 'hold.voided', 'hold.expired') NOT NULL,
    data MEDIUMTEXT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    position BIGINT NULL,
    PRIMARY KEY (sequence),
    UNIQUE KEY events_id (id),
    -- The feed's order; the events still waiting for a position are its NULLs, in sequence order.
    UNIQUE KEY events_position (position),
    -- One principal's feed. (No foreign key to principals: the owner comes from a wallet row, which has one,
    -- and the outbox sits on the path of every movement.)
    KEY events_owner_feed (owner_id, position),
    CONSTRAINT events_position_range CHECK (position IS NULL OR position >= 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The feed's one row of state: the next position to give, the sequencer's lease (which instance gives positions,
-- and until when, by the database's clock), how far retention has purged (a cursor before it is expired), and since
-- when every change has all its events: this migration's time (changes before it have none; a service of the
-- schema before this one that still runs after it writes none either: stop it first), raised to the cutoff of
-- each purge that deleted anything. The audit checks that each change since then has its events.
CREATE TABLE event_feed (
    id TINYINT NOT NULL,
    next_position BIGINT NOT NULL,
    sequencer VARCHAR(64) NULL,
    lease_expires_at DATETIME(6) NULL,
    purged_through BIGINT NOT NULL,
    complete_since DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT event_feed_single_row CHECK (id = 1),
    CONSTRAINT event_feed_positions CHECK (next_position >= 1 AND purged_through BETWEEN 0 AND next_position - 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT INTO event_feed (id, next_position, sequencer, lease_expires_at, purged_through, complete_since)
    VALUES (1, 1, NULL, NULL, 0, UTC_TIMESTAMP(6));
