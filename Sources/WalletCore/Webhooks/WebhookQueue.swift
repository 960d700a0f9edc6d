public import Foundation
public import MariaDB

/// The deliveries of events to webhook endpoints: queued with the events' feed positions, claimed by any instance
/// when due, resolved by the outcome of each attempt, at least once per event and endpoint.
///
/// A claim (``claim(now:limit:excludingEndpoints:)``) locks due pending deliveries with `FOR UPDATE SKIP LOCKED`, so
/// concurrent claimers on any number of instances take disjoint sets, and moves each one's `next_attempt_at` past
/// ``claimLease`` with a fresh claim token: while the claimer attempts it, it is not due for anyone else; if the
/// claimer dies, it is due again when the lease ends. An outcome (``record(_:of:now:)``) is written only under the
/// token that claimed it, so a claimer that outlived its lease cannot overwrite a later claim's outcome. The lease is
/// longer than an attempt may take (the dispatcher checks it), so one delivery is never attempted twice at the same time.
///
/// Timestamps come from the caller's clock (`now`), so that tests can step through retries without waiting.
public struct WebhookQueue: Sendable {
    /// How long a claim lasts by default: far longer than an attempt may take.
    public static let defaultClaimLease: Duration = .seconds(60)
    /// The most deliveries one claim takes.
    public static let maximumClaim = 64
    /// Deliveries deleted per purge transaction.
    public static let purgeBatchSize = 500
    /// The most purge transactions one ``purge(olderThan:now:)`` runs.
    public static let maximumPurgeBatchesPerRound = 100

    /// Every SQL statement of the queue.
    enum SQL {
        /// Queues, for the events at feed positions `? < position <= ?`, a delivery to each endpoint of the event's
        /// owner that is enabled, subscribed to its type and older than it.
        static let enqueue = """
            INSERT INTO webhook_deliveries
                (endpoint_id, event_id, event_type, event_position, status, attempts, next_attempt_at, give_up_at, created_at)
            SELECT w.id, e.id, e.type, e.position, 'pending', 0, e.created_at, e.created_at + INTERVAL ? SECOND, e.created_at
            FROM events e JOIN webhook_endpoints w ON w.owner_id = e.owner_id
            WHERE e.position > ? AND e.position <= ? AND w.status = 'enabled' AND FIND_IN_SET(e.type, w.event_types) > 0
                AND w.created_at <= e.created_at
            """
        static let selectDue = """
            SELECT sequence, endpoint_id, event_position, attempts, give_up_at FROM webhook_deliveries
            WHERE status = 'pending' AND next_attempt_at <= ? AND endpoint_id NOT IN (
            """
        static let claimed = MultiRowStatement(
            prefix: "UPDATE webhook_deliveries SET claim_token = ?, next_attempt_at = ? WHERE sequence IN (", row: "?", suffix: ")")
        static let selectEndpoints = MultiRowStatement(
            prefix: "SELECT id, owner_id, url, secret, previous_secret, previous_secret_expires_at, status FROM webhook_endpoints WHERE id IN (",
            row: "?", suffix: ")")
        static let selectEvents = MultiRowStatement(
            prefix: "SELECT \(EventFeed.SQL.eventColumns) FROM events WHERE position IN (", row: "?", suffix: ")")
        static let failDelivery = """
            UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, claim_token = NULL WHERE sequence = ?
            """
        static let resolve = """
            UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, next_attempt_at = ?, delivered_at = ?, claim_token = NULL
            WHERE sequence = ? AND claim_token = ? AND status = 'pending'
            """
        static let insertAttempt = """
            INSERT INTO webhook_attempts (delivery_sequence, attempted_at, status_code, latency_us, error) VALUES (?, ?, ?, ?, ?)
            """
        static let markFailing = """
            UPDATE webhook_endpoints SET status = 'failing', failing_since = ? WHERE id = ? AND status = 'enabled'
            """
        static let failPending = """
            UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, claim_token = NULL
            WHERE endpoint_id = ? AND status = 'pending'
            """
        static let selectEvent = "SELECT id, owner_id, type, position FROM events WHERE id = ?"
        static let selectSubscribed = """
            SELECT id, event_types FROM webhook_endpoints WHERE owner_id = ? AND status = 'enabled' ORDER BY id
            """
        /// A delivery due now again: a pending one keeps its claim (an attempt in flight) and is only made due sooner.
        static let redeliver = """
            INSERT INTO webhook_deliveries
                (endpoint_id, event_id, event_type, event_position, status, attempts, next_attempt_at, give_up_at, created_at)
            VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)
            ON DUPLICATE KEY UPDATE
                next_attempt_at = IF(status = 'pending', IF(claim_token IS NULL, LEAST(next_attempt_at, VALUE(next_attempt_at)), next_attempt_at),
                    VALUE(next_attempt_at)),
                give_up_at = VALUE(give_up_at), delivered_at = NULL, status = 'pending'
            """
        static let deliveryColumns = """
            sequence, endpoint_id, event_id, event_type, status, attempts, next_attempt_at, give_up_at, created_at, delivered_at
            """
        static let selectDelivery = "SELECT \(deliveryColumns) FROM webhook_deliveries WHERE endpoint_id = ? AND event_position = ?"
        static let selectPage = """
            SELECT \(deliveryColumns) FROM webhook_deliveries WHERE endpoint_id = ? AND sequence < ? ORDER BY sequence DESC LIMIT ?
            """
        static let selectPageWithStatus = """
            SELECT \(deliveryColumns) FROM webhook_deliveries
            WHERE endpoint_id = ? AND sequence < ? AND status = ? ORDER BY sequence DESC LIMIT ?
            """
        static let selectAttempts = """
            SELECT attempted_at, status_code, latency_us, error FROM webhook_attempts
            WHERE delivery_sequence = ? ORDER BY sequence DESC LIMIT ?
            """
        static let selectOldestPendingEvent = """
            SELECT MIN(event_position) AS position FROM webhook_deliveries WHERE status = 'pending'
            """
        static let selectOldestPending = """
            SELECT MIN(d.created_at) AS created_at FROM webhook_deliveries d WHERE d.status = 'pending'
            """
        static let purge = """
            DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < ? ORDER BY created_at LIMIT ?
            """
    }

    let database: WalletDatabase
    /// How long a claim lasts.
    public let claimLease: Duration
    let schedule = WebhookRetrySchedule()

    /// The queue over `pool`: the delivery workers' own connections, apart from the API's.
    public init(pool: MariaDBConnectionPool, claimLease: Duration = Self.defaultClaimLease) {
        self.init(database: WalletDatabase(pool: pool), claimLease: claimLease)
    }

    init(database: WalletDatabase, claimLease: Duration = Self.defaultClaimLease) {
        precondition(claimLease > .zero, "a claim lasts a while")
        self.database = database
        self.claimLease = claimLease
    }

    /// Queues the deliveries of the events at feed positions after `after` through `through`, on the connection
    /// (and in the transaction) that gave them those positions.
    static func enqueue(positionsAfter after: Int64, through: Int64, on connection: MariaDBConnection) throws {
        try connection.execute(SQL.enqueue, [.int(Int64(WebhookRetrySchedule.retryWindow.seconds)), .int(after), .int(through)])
    }

    /// Claims up to `limit` due deliveries for one attempt each, at most `perEndpoint` of an endpoint counting the
    /// caller's `inFlight` ones (deliveries beyond an endpoint's share stay due). Deliveries whose endpoint is
    /// failing meanwhile fail.
    public func claim(
        now: Date, limit: Int, perEndpoint: Int = maximumClaim, inFlight: [WebhookEndpointID: Int] = [:]
    ) async throws -> [ClaimedWebhookDelivery] {
        precondition((1...Self.maximumClaim).contains(limit), "a claim takes 1 to \(Self.maximumClaim) deliveries")
        let now = now.atMicrosecondPrecision
        let leaseEnds = now.addingTimeInterval(claimLease.seconds).atMicrosecondPrecision
        let token = Int64.random(in: 1...Int64.max)
        return try await database.withTransaction(.readCommitted) { connection in
            let excluded = inFlight.filter { $0.value >= perEndpoint }.keys.map(\.rawValue).sorted()
            let text = SQL.selectDue + (excluded.isEmpty ? "''" : excluded.map { _ in "?" }.joined(separator: ", "))
                + ") ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED"
            let due = try connection.execute(text, [.date(now)] + excluded.map { .string($0) } + [.int(Int64(limit))]).rows.map { row in
                (
                    sequence: try row.decode(Int64.self, "sequence"), endpoint: try row.identifier(WebhookEndpointID.self, "endpoint_id"),
                    position: try row.decode(Int64.self, "event_position"), attempts: try row.decode(Int.self, "attempts"),
                    giveUpAt: try row.decode(Date.self, "give_up_at")
                )
            }
            guard !due.isEmpty else { return [] }
            var endpoints: [WebhookEndpointID: WebhookTarget] = [:]
            var enabled: Set<WebhookEndpointID> = []
            for chunk in MultiRowStatement.chunks(of: Array(Set(due.map(\.endpoint)))) {
                for row in try connection.execute(SQL.selectEndpoints.text(rows: chunk.count), chunk.map { .string($0.rawValue) }).rows {
                    let target = try WebhookTarget(row: row, now: now)
                    endpoints[target.endpointID] = target
                    if try row.decode(String.self, "status") == WebhookEndpointStatus.enabled.rawValue { enabled.insert(target.endpointID) }
                }
            }
            var events: [Int64: Event] = [:]
            for chunk in MultiRowStatement.chunks(of: due.map(\.position)) {
                for row in try connection.execute(SQL.selectEvents.text(rows: chunk.count), chunk.map { .int($0) }).rows {
                    let event = try EventFeed.event(from: row)
                    if let position = event.position { events[position] = event }
                }
            }
            var claims: [ClaimedWebhookDelivery] = []
            var shares = inFlight
            for delivery in due {
                guard shares[delivery.endpoint, default: 0] < perEndpoint else { continue }
                // The purge keeps every event a pending delivery needs; an endpoint may have failed meanwhile.
                guard let target = endpoints[delivery.endpoint], enabled.contains(delivery.endpoint), let event = events[delivery.position] else {
                    try connection.execute(SQL.failDelivery, [.int(delivery.sequence)])
                    continue
                }
                shares[delivery.endpoint, default: 0] += 1
                claims.append(
                    ClaimedWebhookDelivery(
                        sequence: delivery.sequence, claimToken: token, target: target, event: event,
                        attemptsBefore: delivery.attempts, giveUpAt: delivery.giveUpAt))
            }
            for chunk in MultiRowStatement.chunks(of: claims.map(\.sequence)) {
                try connection.execute(SQL.claimed.text(rows: chunk.count), [.int(token), .date(leaseEnds)] + chunk.map { .int($0) })
            }
            return claims
        }
    }

    /// What an attempt's outcome did to its delivery.
    public enum Resolution: Hashable, Sendable {
        /// The receiver answered 2xx.
        case delivered
        /// It failed; the next attempt is due at the date.
        case retried(at: Date)
        /// It failed at or after the give-up time: the delivery failed, and its endpoint is failing.
        case failed
        /// The claim was no longer this claimer's (its lease ended, the endpoint was deleted or redelivery reset
        /// it): nothing recorded.
        case claimLost
    }

    /// Records `attempt` of `claimed` and decides what follows: delivered, a retry on the schedule, or failure of
    /// the delivery and its endpoint.
    public func record(_ attempt: WebhookAttempt, of claimed: ClaimedWebhookDelivery, now: Date) async throws -> Resolution {
        var generator = SystemRandomNumberGenerator()
        let now = now.atMicrosecondPrecision
        let resolution: Resolution
        if attempt.delivered {
            resolution = .delivered
        } else if let next = schedule.nextAttempt(afterAttempts: claimed.attemptsBefore + 1, at: now, giveUpAt: claimed.giveUpAt, using: &generator) {
            resolution = .retried(at: next.atMicrosecondPrecision)
        } else {
            resolution = .failed
        }
        let (status, nextAttempt, deliveredAt): (WebhookDeliveryStatus, Date?, Date?) =
            switch resolution {
            case .delivered: (.delivered, nil, now)
            case .retried(let at): (.pending, at, nil)
            default: (.failed, nil, nil)
            }
        return try await database.withTransaction(.readCommitted) { connection in
            let updated = try connection.execute(
                SQL.resolve,
                [
                    .string(status.rawValue), nextAttempt.map { .date($0) } ?? .null, deliveredAt.map { .date($0) } ?? .null,
                    .int(claimed.sequence), .int(claimed.claimToken),
                ])
            guard updated.affectedRows == 1 else { return .claimLost }
            try connection.execute(
                SQL.insertAttempt,
                [
                    .int(claimed.sequence), .date(attempt.attemptedAt.atMicrosecondPrecision), attempt.statusCode.map { .int(Int64($0)) } ?? .null,
                    .int(attempt.latency.microseconds), attempt.error.map { .string($0) } ?? .null,
                ])
            if resolution == .failed {
                let endpoint = MariaDBValue.string(claimed.target.endpointID.rawValue)
                try connection.execute(SQL.markFailing, [.date(now), endpoint])
                try connection.execute(SQL.failPending, [endpoint])
            }
            return resolution
        }
    }

    /// Queues event `id` of `owner` again, due at once: to `endpoint` when given, else to every enabled endpoint
    /// of the owner subscribed to its type. Returns the deliveries, as they are now.
    ///
    /// Throws ``WalletError/eventNotFound`` (no such event of the owner is kept), ``WalletError/webhookEndpointNotFound``
    /// or ``WalletError/noWebhookEndpoint``.
    public func redeliver(event id: EventID, of owner: PrincipalID, to endpoint: WebhookEndpointID?, now: Date = Date()) async throws
        -> [WebhookDelivery]
    {
        let now = now.atMicrosecondPrecision
        let giveUpAt = now.addingTimeInterval(WebhookRetrySchedule.retryWindow.seconds)
        return try await database.withTransaction(.repeatableRead) { connection in
            guard let event = try connection.execute(SQL.selectEvent, [.string(id.rawValue)]).first,
                try event.principal("owner_id") == owner, let position = try event.decode(Int64?.self, "position")
            else { throw WalletError.eventNotFound }
            let type = try event.decode(String.self, "type")
            let subscribed = try connection.execute(SQL.selectSubscribed, [.string(owner.rawValue)]).rows.filter {
                try $0.decode(String.self, "event_types").split(separator: ",").contains(Substring(type))
            }.map { try $0.identifier(WebhookEndpointID.self, "id") }
            let targets: [WebhookEndpointID]
            if let endpoint {
                guard try connection.execute(WebhookEndpointStore.SQL.select, [.string(endpoint.rawValue), .string(owner.rawValue)]).first != nil
                else { throw WalletError.webhookEndpointNotFound }
                targets = subscribed.contains(endpoint) ? [endpoint] : []
            } else {
                targets = subscribed
            }
            guard !targets.isEmpty else { throw WalletError.noWebhookEndpoint }
            return try targets.map { target in
                try connection.execute(
                    SQL.redeliver,
                    [.string(target.rawValue), .string(id.rawValue), .string(type), .int(position), .date(now), .date(giveUpAt), .date(now)])
                guard let row = try connection.execute(SQL.selectDelivery, [.string(target.rawValue), .int(position)]).first else {
                    throw MariaDBError(kind: .client, message: "a redelivery's row is not there")
                }
                return try Self.delivery(from: row, on: connection)
            }
        }
    }

    /// A page of `owner`'s endpoint `endpoint`'s deliveries, newest first, after `cursor`, of `status` only when given.
    public func deliveries(
        of endpoint: WebhookEndpointID, owner: PrincipalID, status: WebhookDeliveryStatus?, pageSize: PageSize, after cursor: WebhookDeliveryCursor?
    ) async throws -> WebhookDeliveryPage {
        try await database.withTransaction(.repeatableRead) { connection in
            guard try connection.execute(WebhookEndpointStore.SQL.select, [.string(endpoint.rawValue), .string(owner.rawValue)]).first != nil else {
                throw WalletError.webhookEndpointNotFound
            }
            let before = MariaDBValue.int(cursor?.lastSequence ?? Int64.max)
            let limit = MariaDBValue.int(Int64(pageSize.value + 1))
            let rows =
                if let status {
                    try connection.execute(SQL.selectPageWithStatus, [.string(endpoint.rawValue), before, .string(status.rawValue), limit]).rows
                } else {
                    try connection.execute(SQL.selectPage, [.string(endpoint.rawValue), before, limit]).rows
                }
            let deliveries = try rows.prefix(pageSize.value).map { try Self.delivery(from: $0, on: connection) }
            let next = rows.count > pageSize.value ? deliveries.last.map { WebhookDeliveryCursor(lastSequence: $0.sequence) } : nil
            return WebhookDeliveryPage(deliveries: deliveries, nextCursor: next)
        }
    }

    /// The feed position before the oldest event that a pending delivery still needs (nil when none does): the
    /// event purge stops there.
    static func purgeBound(on connection: MariaDBConnection) throws -> Int64? {
        try connection.execute(SQL.selectOldestPendingEvent).first?.decode(Int64?.self, "position").map { $0 - 1 }
    }

    /// Deletes delivered and failed deliveries (with their attempts) queued before `retention`, in short
    /// transactions; returns how many.
    public func purge(olderThan retention: Duration, now: Date = Date()) async throws -> Int {
        let cutoff = now.addingTimeInterval(-retention.seconds)
        var deleted = 0
        for _ in 0..<Self.maximumPurgeBatchesPerRound {
            let count = try await database.withConnection { connection in
                Int(try connection.execute(SQL.purge, [.date(cutoff), .int(Int64(Self.purgeBatchSize))]).affectedRows)
            }
            deleted += count
            if count < Self.purgeBatchSize { break }
        }
        return deleted
    }

    /// How long the oldest pending delivery has waited, at `now` (zero when none is pending).
    public func oldestPendingAge(now: Date = Date()) async throws -> Duration {
        let oldest = try await database.withConnection { connection in
            try connection.execute(SQL.selectOldestPending).first?.decode(Date?.self, "created_at")
        }
        guard let oldest else { return .zero }
        return .milliseconds(max(0, Int64(now.timeIntervalSince(oldest) * 1000)))
    }

    /// Decodes a row of ``SQL/deliveryColumns`` and reads its latest attempts.
    static func delivery(from row: MariaDBRow, on connection: MariaDBConnection) throws -> WebhookDelivery {
        let sequence = try row.decode(Int64.self, "sequence")
        let attempts = try connection.execute(SQL.selectAttempts, [.int(sequence), .int(Int64(WebhookDelivery.maximumAttemptsShown))]).rows
            .reversed().map { attempt in
                WebhookAttempt(
                    attemptedAt: try attempt.decode(Date.self, "attempted_at"), statusCode: try attempt.decode(Int?.self, "status_code"),
                    latency: .microseconds(try attempt.decode(Int64.self, "latency_us")), error: try attempt.decode(String?.self, "error"))
            }
        return WebhookDelivery(
            sequence: sequence,
            endpointID: try row.identifier(WebhookEndpointID.self, "endpoint_id"),
            eventID: try row.identifier(EventID.self, "event_id"),
            eventType: try row.decode("event_type", as: "an event type") { (name: String) in EventType(rawValue: name) },
            status: try row.decode("status", as: "a delivery status") { (name: String) in WebhookDeliveryStatus(rawValue: name) },
            attemptCount: try row.decode(Int.self, "attempts"),
            attempts: attempts,
            nextAttemptAt: try row.decode(Date?.self, "next_attempt_at"),
            giveUpAt: try row.decode(Date.self, "give_up_at"),
            createdAt: try row.decode(Date.self, "created_at"),
            deliveredAt: try row.decode(Date?.self, "delivered_at")
        )
    }
}

/// Where and how a claimed delivery goes: the endpoint's URL and the secrets that sign at the time of the claim.
public struct WebhookTarget: Hashable, Sendable {
    public let endpointID: WebhookEndpointID
    public let url: WebhookURL
    /// The current secret, then the previous one while it still signs.
    public let secrets: [String]

    init(row: MariaDBRow, now: Date) throws {
        endpointID = try row.identifier(WebhookEndpointID.self, "id")
        url = try row.decode("url", as: "a webhook URL") { (text: String) in try? WebhookURL(stored: text) }
        var secrets = [try row.decode(String.self, "secret")]
        if let previous = try row.decode(String?.self, "previous_secret"),
            let expiresAt = try row.decode(Date?.self, "previous_secret_expires_at"), expiresAt > now
        {
            secrets.append(previous)
        }
        self.secrets = secrets
    }
}

/// A delivery claimed for one attempt: what to send where, and what its outcome is recorded under.
public struct ClaimedWebhookDelivery: Hashable, Sendable {
    let sequence: Int64
    let claimToken: Int64
    public let target: WebhookTarget
    public let event: Event
    /// Attempts made before this one.
    public let attemptsBefore: Int
    public let giveUpAt: Date
}

extension Duration {
    /// The duration in whole microseconds.
    public var microseconds: Int64 { components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000 }
}
