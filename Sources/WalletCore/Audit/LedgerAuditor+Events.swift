import Foundation
import MariaDB

/// The audit of the outbox and the feed:
/// - the feed has no gap: the positions given are exactly those after the purged ones, up to the last given;
/// - every transaction since the feed is complete (`event_feed.complete_since`) has one event per owner of the wallets it touched, and every
///   hold one for its placing and one for its resolution, if it is resolved; no event names a transaction or hold
///   that does not exist;
/// - every pending webhook delivery still has its event (the purge keeps them).
extension LedgerAuditor {
    /// Every SQL statement of the event audit.
    enum EventSQL {
        static let feed = """
            SELECT f.next_position, f.purged_through, f.complete_since,
                (SELECT COUNT(*) FROM events WHERE position IS NOT NULL) AS positioned,
                (SELECT MIN(position) FROM events) AS lowest, (SELECT MAX(position) FROM events) AS highest
            FROM event_feed f WHERE f.id = 1
            """
        /// The events each change should have and those it has. A change's events are found by their subject
        /// (`events_subject`), one lookup per change: grouping all events by the JSON of their data instead took
        /// longer than 10 minutes on 230,000 events.
        static let transactionEventMismatches = """
            SELECT t.id, COUNT(DISTINCT w.owner_id) AS expected,
                (SELECT COUNT(*) FROM events ev WHERE ev.subject_id = t.id
                    AND ev.type IN ('transaction.committed', 'transaction.reversed')) AS written
            FROM transactions t JOIN entries e ON e.transaction_id = t.id JOIN wallets w ON w.id = e.wallet_id
            WHERE t.created_at >= ?
            GROUP BY t.id
            HAVING written <> expected
            ORDER BY t.id LIMIT ?
            """
        static let holdEventMismatches = """
            SELECT h.id, IF(h.status = 'active', 1, 2) AS expected,
                (SELECT COUNT(*) FROM events ev WHERE ev.subject_id = h.id
                    AND ev.type IN ('hold.created', 'hold.captured', 'hold.voided', 'hold.expired')) AS written
            FROM holds h WHERE h.created_at >= ?
            HAVING written <> expected
            ORDER BY h.id LIMIT ?
            """
        static let eventsOfNothing = """
            SELECT ev.id FROM events ev
            LEFT JOIN transactions t ON ev.type LIKE 'transaction.%' AND t.id = ev.subject_id
            LEFT JOIN holds h ON ev.type LIKE 'hold.%' AND h.id = ev.subject_id
            LEFT JOIN wallets w ON ev.type = 'wallet.created' AND w.id = ev.subject_id
            WHERE t.id IS NULL AND h.id IS NULL AND w.id IS NULL
            ORDER BY ev.sequence LIMIT ?
            """
        static let deliveriesWithoutEvent = """
            SELECT d.event_id, d.endpoint_id FROM webhook_deliveries d LEFT JOIN events e ON e.position = d.event_position
            WHERE d.status = 'pending' AND e.sequence IS NULL ORDER BY d.sequence LIMIT ?
            """
    }

    /// The problems of the outbox and the feed, at most `limit` of each kind (one more tells the list was cut).
    static func eventProblems(on connection: MariaDBConnection, limit: MariaDBValue) throws -> (problems: [AuditReport.EventProblem], truncated: Bool) {
        guard let feed = try connection.execute(EventSQL.feed).first else {
            throw MariaDBError(kind: .decoding, message: "event_feed has no row")
        }
        var problems: [AuditReport.EventProblem] = []
        let nextPosition = try feed.decode(Int64.self, "next_position")
        let purgedThrough = try feed.decode(Int64.self, "purged_through")
        let positioned = try feed.decode(Int64.self, "positioned")
        let lowest = try feed.decode(Int64?.self, "lowest")
        let highest = try feed.decode(Int64?.self, "highest")
        let expectedCount = nextPosition - 1 - purgedThrough
        let contiguous =
            positioned == expectedCount && (expectedCount == 0 ? lowest == nil : lowest == purgedThrough + 1 && highest == nextPosition - 1)
        if !contiguous {
            problems.append(.feedHasGap(positioned: positioned, expectedFirst: purgedThrough + 1, expectedLast: nextPosition - 1, lowest: lowest, highest: highest))
        }
        let since = try feed.decode(Date.self, "complete_since")
        let transactions = try connection.execute(EventSQL.transactionEventMismatches, [.date(since), limit]).rows
        for row in transactions {
            problems.append(
                .changeEventsMissing(
                    id: try row.decode(String.self, "id"), expected: try row.decode(Int.self, "expected"), written: try row.decode(Int.self, "written")))
        }
        let holds = try connection.execute(EventSQL.holdEventMismatches, [.date(since), limit]).rows
        for row in holds {
            problems.append(
                .changeEventsMissing(
                    id: try row.decode(String.self, "id"), expected: try row.decode(Int.self, "expected"), written: try row.decode(Int.self, "written")))
        }
        let orphans = try connection.execute(EventSQL.eventsOfNothing, [limit]).rows
        for row in orphans { problems.append(.eventOfNothing(eventID: try row.decode(String.self, "id"))) }
        let undeliverable = try connection.execute(EventSQL.deliveriesWithoutEvent, [limit]).rows
        for row in undeliverable {
            problems.append(.deliveryWithoutEvent(eventID: try row.decode(String.self, "event_id"), endpointID: try row.decode(String.self, "endpoint_id")))
        }
        let truncated = [transactions.count, holds.count, orphans.count, undeliverable.count].contains { $0 > maximumReportedProblems }
        return (Array(problems.prefix(maximumReportedProblems)), truncated)
    }
}
