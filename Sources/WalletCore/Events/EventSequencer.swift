import Foundation
import MariaDB

/// Gives committed events their place in the feed: the next positions, in the order of their sequence numbers,
/// with none left out.
///
/// Events are inserted with an AUTO_INCREMENT sequence number inside the transactions that write them, and those
/// transactions commit in any order: one that inserted sequence 41 may commit after one that inserted 42. The
/// feed does not page by sequence. One sequencer at a time (the holder of the lease in `event_feed`, whichever
/// instance that is) reads, by a plain consistent read, the committed events that have no position yet, oldest
/// sequence first, and gives them the next positions in one transaction. So positions only ever go to committed
/// events, every committed event gets one, each round's positions follow the last round's, and a reader that pages
/// by position never passes an event that is not there yet: one that commits late simply gets a later position.
///
/// A wallet's events come in the order its movements committed: a movement writes its events after its wallets'
/// version checks, so a later movement on a wallet inserts its events after the earlier one committed, and a
/// consistent read that sees the later one sees the earlier one too.
///
/// The round that gives events their positions also queues their webhook deliveries, in the same transaction: each
/// event is queued for each subscribed endpoint exactly once.
///
/// Rounds are serialised on the `event_feed` row (`FOR UPDATE`); a round that finds the lease held by another live
/// sequencer does nothing. A lease not renewed for ``leaseDuration`` (an instance that died) is taken over.
public struct EventSequencer: Sendable {
    /// The most events one round gives positions to, by default.
    public static let defaultBatchSize = 1_000
    /// The most events one round may give positions to: what one short transaction should update.
    public static let maximumBatchSize = 4_096
    /// How long a lease lasts without renewal: past it another instance takes over the sequencing.
    public static let leaseDuration: Duration = .seconds(10)

    /// Every SQL statement of the sequencer.
    enum SQL {
        static let lockFeed = """
            SELECT next_position, sequencer, lease_expires_at > NOW(6) AS lease_live,
                lease_expires_at < NOW(6) + INTERVAL ? SECOND AS lease_ageing
            FROM event_feed WHERE id = 1 FOR UPDATE
            """
        static let selectUnsequenced = "SELECT sequence FROM events WHERE position IS NULL ORDER BY sequence LIMIT ?"
        static let setFirstPosition = "SET @wallet_event_position = ?"
        static let givePositions = MultiRowStatement(
            prefix: "UPDATE events SET position = (@wallet_event_position := @wallet_event_position + 1) WHERE position IS NULL AND sequence IN (",
            row: "?", suffix: ") ORDER BY sequence")
        static let advanceFeed = """
            UPDATE event_feed SET next_position = ?, sequencer = ?, lease_expires_at = NOW(6) + INTERVAL ? SECOND WHERE id = 1
            """
    }

    /// What one round did.
    public struct Round: Hashable, Sendable {
        /// Whether this sequencer held the lease (and so did the round).
        public var holdsLease: Bool
        /// Events given a position.
        public var sequenced: Int
    }

    let database: WalletDatabase
    /// This sequencer's name in the lease: unique per running instance.
    public let name: String
    /// The most events one round gives positions to.
    public let batchSize: Int

    /// A sequencer named `name` (unique per running instance, 1 to 64 bytes).
    init(database: WalletDatabase, name: String, batchSize: Int) {
        precondition((1...64).contains(name.utf8.count), "a sequencer name of 1 to 64 bytes")
        precondition((1...Self.maximumBatchSize).contains(batchSize), "1 to \(Self.maximumBatchSize) events per round")
        self.database = database
        self.name = name
        self.batchSize = batchSize
    }

    /// One round: when this sequencer holds the lease, or may take it, gives positions to up to ``batchSize``
    /// committed events that have none, and renews the lease when it has events to sequence or its lease is
    /// in its last half.
    public func sequence() async throws -> Round {
        let (name, batchSize) = (self.name, self.batchSize)
        let leaseSeconds = Self.leaseDuration.components.seconds
        return try await database.withTransaction(.readCommitted) { connection in
            guard let feed = try connection.execute(SQL.lockFeed, [.int(leaseSeconds / 2)]).first else {
                throw MariaDBError(kind: .client, message: "event_feed has no row: the events migration did not run")
            }
            let holder = try feed.decode(String?.self, "sequencer")
            let leaseLive = try feed.decode(Int?.self, "lease_live") == 1
            guard holder == name || !leaseLive else { return Round(holdsLease: false, sequenced: 0) }
            let nextPosition = try feed.decode(Int64.self, "next_position")
            let sequences = try connection.execute(SQL.selectUnsequenced, [.int(Int64(batchSize))]).rows.map {
                try $0.decode(Int64.self, "sequence")
            }
            let leaseAgeing = try feed.decode(Int?.self, "lease_ageing") != 0
            guard !sequences.isEmpty || holder != name || leaseAgeing else { return Round(holdsLease: true, sequenced: 0) }
            try connection.execute(SQL.setFirstPosition, [.int(nextPosition - 1)])
            for chunk in MultiRowStatement.chunks(of: sequences) {
                let updated = try connection.execute(SQL.givePositions.text(rows: chunk.count), chunk.map { .int($0) })
                // Paired with the lock on event_feed: no other round gives positions meanwhile.
                guard updated.affectedRows == UInt64(chunk.count) else {
                    throw MariaDBError(kind: .client, message: "gave \(updated.affectedRows) of \(chunk.count) events a position")
                }
            }
            if !sequences.isEmpty {
                try WebhookQueue.enqueue(positionsAfter: nextPosition - 1, through: nextPosition - 1 + Int64(sequences.count), on: connection)
            }
            try connection.execute(SQL.advanceFeed, [.int(nextPosition + Int64(sequences.count)), .string(name), .int(leaseSeconds)])
            return Round(holdsLease: true, sequenced: sequences.count)
        }
    }
}
