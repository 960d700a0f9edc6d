public import Foundation
import MariaDB

/// The event feed, read side: a principal's events in feed order, and their retention.
///
/// Pages follow feed positions (``EventSequencer``), so a consumer that follows ``EventPage/nextCursor`` from the
/// beginning sees every event of its own exactly once, in commit order.
public struct EventFeed: Sendable {
    /// How long events are kept by default (at least; the purge runs on an interval).
    public static let defaultRetention: Duration = .seconds(30 * 24 * 60 * 60)
    /// Events deleted per purge transaction by default.
    public static let defaultPurgeBatchSize = 500
    /// The most purge transactions one ``purge(olderThan:now:)`` runs: the rest waits for the next round.
    public static let maximumPurgeBatchesPerRound = 100
    /// The most events a page with a type filter examines, per event it may show: a rare type costs a bounded
    /// scan, and the cursor moves past what was examined.
    static let examinedPerShownEvent = 10

    /// Every SQL statement of the feed.
    enum SQL {
        static let eventColumns = "id, owner_id, type, data, created_at, position"
        static let selectPurgedThrough = "SELECT purged_through FROM event_feed WHERE id = 1"
        static let selectPage = """
            SELECT \(eventColumns) FROM events WHERE owner_id = ? AND position > ? ORDER BY position LIMIT ?
            """
        static let selectPositionsAndTypes = """
            SELECT position, type FROM events WHERE owner_id = ? AND position > ? ORDER BY position LIMIT ?
            """
        static let selectAtPositions = MultiRowStatement(
            prefix: "SELECT \(eventColumns) FROM events WHERE position IN (", row: "?", suffix: ") ORDER BY position")
        static let lockPurge = "SELECT purged_through FROM event_feed WHERE id = 1 FOR UPDATE"
        static let selectOldest = "SELECT position, created_at FROM events WHERE position > ? ORDER BY position LIMIT ?"
        static let deleteThrough = "DELETE FROM events WHERE position > ? AND position <= ?"
        static let advancePurge = "UPDATE event_feed SET purged_through = ?, complete_since = GREATEST(complete_since, ?) WHERE id = 1"
    }

    let database: WalletDatabase
    /// Events deleted per purge transaction.
    let purgeBatchSize: Int

    init(database: WalletDatabase, purgeBatchSize: Int = Self.defaultPurgeBatchSize) {
        precondition(purgeBatchSize >= 1, "a purge batch deletes at least one event")
        self.database = database
        self.purgeBatchSize = purgeBatchSize
    }

    /// Up to `pageSize` of `owner`'s events after `cursor` (from the beginning of what is kept when nil), of
    /// `types` only when given, oldest first.
    ///
    /// Throws ``WalletError/cursorExpired`` when events after `cursor` were purged.
    public func page(for owner: PrincipalID, after cursor: EventCursor?, types: Set<EventType>? = nil, pageSize: PageSize) async throws
        -> EventPage
    {
        let owner = MariaDBValue.string(owner.rawValue)
        let after = cursor?.lastPosition ?? 0
        return try await database.withCausalTransaction(.repeatableRead) { connection in
            let purgedThrough = try connection.execute(SQL.selectPurgedThrough).first?.decode(Int64.self, "purged_through") ?? 0
            guard after >= purgedThrough || cursor == nil else { throw WalletError.cursorExpired }
            guard let types else {
                // One more than asked for tells whether there is more.
                let rows = try connection.execute(SQL.selectPage, [owner, .int(after), .int(Int64(pageSize.value + 1))]).rows
                let events = try rows.prefix(pageSize.value).map(Self.event(from:))
                return Self.page(events, examinedThrough: events.last?.position, hasMore: rows.count > pageSize.value, cursor: cursor)
            }
            let examinable = pageSize.value * Self.examinedPerShownEvent
            let examined = try connection.execute(SQL.selectPositionsAndTypes, [owner, .int(after), .int(Int64(examinable))]).rows.map {
                (position: try $0.decode(Int64.self, "position"), type: try $0.decode(String.self, "type"))
            }
            let shown = Array(examined.filter { EventType(rawValue: $0.type).map(types.contains) ?? false }.prefix(pageSize.value))
            // Past the last one shown when the page is full (the rest is for the next page), else past all examined.
            let examinedThrough = shown.count == pageSize.value ? shown.last?.position : examined.last?.position
            let hasMore = examined.count == examinable || examined.last?.position != examinedThrough
            var events: [Event] = []
            for chunk in MultiRowStatement.chunks(of: shown.map(\.position)) {
                events += try connection.execute(SQL.selectAtPositions.text(rows: chunk.count), chunk.map { .int($0) }).rows.map(Self.event(from:))
            }
            return Self.page(events, examinedThrough: examinedThrough, hasMore: hasMore, cursor: cursor)
        }
    }

    /// Deletes the events older than `retention`, oldest feed position first, in short transactions of at most
    /// ``purgeBatchSize``, at most ``maximumPurgeBatchesPerRound`` of them; returns how many it deleted. The feed
    /// remembers how far it purged, so that a cursor before that is known to have expired. Events that a pending
    /// webhook delivery still needs are kept until it is resolved.
    public func purge(olderThan retention: Duration = Self.defaultRetention, now: Date = Date()) async throws -> Int {
        precondition(retention >= .zero, "a retention is not negative")
        let cutoff = now.addingTimeInterval(-retention.seconds)
        let batchSize = Int64(purgeBatchSize)
        var deleted = 0
        for _ in 0..<Self.maximumPurgeBatchesPerRound {
            let count = try await database.withTransaction(.readCommitted) { connection -> Int in
                let purgedThrough = try connection.execute(SQL.lockPurge).first?.decode(Int64.self, "purged_through") ?? 0
                let oldest = try connection.execute(SQL.selectOldest, [.int(purgedThrough), .int(batchSize)]).rows.map {
                    (position: try $0.decode(Int64.self, "position"), createdAt: try $0.decode(Date.self, "created_at"))
                }
                // Feed order, up to the first event still within the retention.
                // Not past an event that a pending webhook delivery still needs.
                let bound = try WebhookQueue.purgeBound(on: connection) ?? Int64.max
                guard let through = oldest.prefix(while: { $0.createdAt < cutoff && $0.position <= bound }).last?.position else { return 0 }
                let removed = try connection.execute(SQL.deleteThrough, [.int(purgedThrough), .int(through)]).affectedRows
                try connection.execute(SQL.advancePurge, [.int(through), .date(cutoff)])
                return Int(removed)
            }
            deleted += count
            if count < purgeBatchSize { break }
        }
        return deleted
    }

    private static func page(_ events: [Event], examinedThrough: Int64?, hasMore: Bool, cursor: EventCursor?) -> EventPage {
        EventPage(events: events, nextCursor: examinedThrough.map(EventCursor.init(lastPosition:)) ?? cursor, hasMore: hasMore)
    }

    /// Decodes a row of ``SQL/eventColumns``.
    static func event(from row: MariaDBRow) throws -> Event {
        Event(
            id: try row.identifier(EventID.self, "id"), ownerID: try row.principal("owner_id"),
            type: try row.decode("type", as: "an event type") { (name: String) in EventType(rawValue: name) },
            data: try row.decode([UInt8].self, "data"),
            createdAt: try row.decode(Date.self, "created_at"), position: try row.decode(Int64?.self, "position")
        )
    }
}
