public import Foundation
import MariaDB

/// Webhook endpoints: registered, listed, rotated, enabled again and deleted by their owners.
public struct WebhookEndpointStore: Sendable {
    /// Every SQL statement on `webhook_endpoints`.
    enum SQL {
        static let columns = """
            id, owner_id, url, description, event_types, status, failing_since, previous_secret_expires_at, created_at
            """
        static let lockOwner = "SELECT id FROM principals WHERE id = ? FOR UPDATE"
        static let countOwned = "SELECT COUNT(*) AS owned FROM webhook_endpoints WHERE owner_id = ?"
        static let insert = """
            INSERT INTO webhook_endpoints (id, owner_id, url, description, event_types, secret, status, created_at)
            VALUES (?, ?, ?, ?, ?, ?, 'enabled', ?)
            """
        static let selectOwned = "SELECT \(columns) FROM webhook_endpoints WHERE owner_id = ? ORDER BY id"
        static let select = "SELECT \(columns) FROM webhook_endpoints WHERE id = ? AND owner_id = ?"
        static let lock = "SELECT \(columns) FROM webhook_endpoints WHERE id = ? AND owner_id = ? FOR UPDATE"
        static let delete = "DELETE FROM webhook_endpoints WHERE id = ? AND owner_id = ?"
        static let rotate = """
            UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = ?, secret = ? WHERE id = ?
            """
        static let enable = "UPDATE webhook_endpoints SET status = 'enabled', failing_since = NULL WHERE id = ?"
    }

    let database: WalletDatabase

    /// Registers an endpoint of `owner` at `url` for `eventTypes` (not empty); returns it with its signing secret,
    /// shown only now. It receives the events created from now on.
    ///
    /// Throws ``WalletError/webhookEndpointLimitReached`` when the owner has ``WebhookEndpoint/maximumPerOwner``.
    public func create(
        for owner: PrincipalID, url: WebhookURL, eventTypes: Set<EventType>, description: String?, now: Date = Date()
    ) async throws -> WebhookEndpointWithSecret {
        precondition(!eventTypes.isEmpty, "an endpoint subscribes to at least one event type")
        precondition(description.map { $0.utf8.count <= WebhookEndpoint.maximumDescriptionBytes } ?? true, "a short description")
        let createdAt = now.atMicrosecondPrecision
        let secret = WebhookSignature.generateSecret()
        let endpoint = WebhookEndpoint(
            id: .generate(at: createdAt), ownerID: owner, url: url, description: description, eventTypes: eventTypes,
            status: .enabled, failingSince: nil, previousSecretExpiresAt: nil, createdAt: createdAt)
        try await database.withTransaction(.repeatableRead) { connection in
            // The owner's row lock makes the count and the insert one step for concurrent registrations.
            guard try connection.execute(SQL.lockOwner, [.string(owner.rawValue)]).first != nil else {
                throw WalletError.databaseFailure(MariaDBError(kind: .client, message: "principal \(owner) has no row"))
            }
            let owned = try connection.execute(SQL.countOwned, [.string(owner.rawValue)]).first?.decode(Int64.self, "owned") ?? 0
            guard owned < WebhookEndpoint.maximumPerOwner else { throw WalletError.webhookEndpointLimitReached }
            try connection.execute(
                SQL.insert,
                [
                    .string(endpoint.id.rawValue), .string(owner.rawValue), .string(url.rawValue), description.map { .string($0) } ?? .null,
                    .string(Self.setValue(eventTypes)), .string(secret), .date(createdAt),
                ])
        }
        return WebhookEndpointWithSecret(endpoint: endpoint, secret: secret)
    }

    /// Every endpoint of `owner`, in creation order (at most ``WebhookEndpoint/maximumPerOwner``).
    public func endpoints(of owner: PrincipalID) async throws -> [WebhookEndpoint] {
        try await database.withCausalReads { connection in
            try connection.execute(SQL.selectOwned, [.string(owner.rawValue)]).rows.map(Self.endpoint(from:))
        }
    }

    /// `owner`'s endpoint `id`; throws ``WalletError/webhookEndpointNotFound`` when it has none of that id.
    public func endpoint(_ id: WebhookEndpointID, of owner: PrincipalID) async throws -> WebhookEndpoint {
        try await database.withCausalReads { connection in
            guard let row = try connection.execute(SQL.select, [.string(id.rawValue), .string(owner.rawValue)]).first else {
                throw WalletError.webhookEndpointNotFound
            }
            return try Self.endpoint(from: row)
        }
    }

    /// Deletes `owner`'s endpoint `id` with its deliveries; an attempt in flight finishes unrecorded.
    public func delete(_ id: WebhookEndpointID, of owner: PrincipalID) async throws {
        try await database.withConnection { connection in
            guard try connection.execute(SQL.delete, [.string(id.rawValue), .string(owner.rawValue)]).affectedRows == 1 else {
                throw WalletError.webhookEndpointNotFound
            }
        }
    }

    /// Gives `owner`'s endpoint `id` a new secret; the one it had keeps signing for
    /// ``WebhookSignature/rotationOverlap`` (a secret older than that is dropped).
    public func rotateSecret(of id: WebhookEndpointID, owner: PrincipalID, now: Date = Date()) async throws -> WebhookEndpointWithSecret {
        let secret = WebhookSignature.generateSecret()
        let overlapEnds = now.addingTimeInterval(WebhookSignature.rotationOverlap.seconds).atMicrosecondPrecision
        let endpoint = try await database.withTransaction(.repeatableRead) { connection in
            guard let row = try connection.execute(SQL.lock, [.string(id.rawValue), .string(owner.rawValue)]).first else {
                throw WalletError.webhookEndpointNotFound
            }
            try connection.execute(SQL.rotate, [.date(overlapEnds), .string(secret), .string(id.rawValue)])
            return try Self.endpoint(from: row)
        }
        return WebhookEndpointWithSecret(endpoint: endpoint.withPreviousSecret(expiringAt: overlapEnds), secret: secret)
    }

    /// Enables `owner`'s endpoint `id` again after it failed: deliveries of new events resume (those of the time it
    /// was failing are not queued; redeliver them from the event feed).
    public func enable(_ id: WebhookEndpointID, of owner: PrincipalID) async throws -> WebhookEndpoint {
        try await database.withTransaction(.repeatableRead) { connection in
            guard let row = try connection.execute(SQL.lock, [.string(id.rawValue), .string(owner.rawValue)]).first else {
                throw WalletError.webhookEndpointNotFound
            }
            try connection.execute(SQL.enable, [.string(id.rawValue)])
            return try Self.endpoint(from: row).enabled()
        }
    }

    /// `types` as the value of the `event_types` SET column.
    static func setValue(_ types: Set<EventType>) -> String {
        EventType.allCases.filter(types.contains).map(\.rawValue).joined(separator: ",")
    }

    /// Decodes a row of ``SQL/columns``.
    static func endpoint(from row: MariaDBRow) throws -> WebhookEndpoint {
        WebhookEndpoint(
            id: try row.identifier(WebhookEndpointID.self, "id"),
            ownerID: try row.principal("owner_id"),
            url: try row.decode("url", as: "a webhook URL") { (text: String) in try? WebhookURL(stored: text) },
            description: try row.decode(String?.self, "description"),
            eventTypes: try row.decode("event_types", as: "event types") { (text: String) -> Set<EventType>? in
                let names = text.split(separator: ",").map(String.init)
                let types = Set(names.compactMap(EventType.init(rawValue:)))
                return types.count == names.count ? types : nil
            },
            status: try row.decode("status", as: "an endpoint status") { (name: String) in WebhookEndpointStatus(rawValue: name) },
            failingSince: try row.decode(Date?.self, "failing_since"),
            previousSecretExpiresAt: try row.decode(Date?.self, "previous_secret_expires_at"),
            createdAt: try row.decode(Date.self, "created_at")
        )
    }
}

extension WebhookEndpoint {
    func withPreviousSecret(expiringAt date: Date) -> WebhookEndpoint {
        WebhookEndpoint(
            id: id, ownerID: ownerID, url: url, description: description, eventTypes: eventTypes, status: status,
            failingSince: failingSince, previousSecretExpiresAt: date, createdAt: createdAt)
    }

    func enabled() -> WebhookEndpoint {
        WebhookEndpoint(
            id: id, ownerID: ownerID, url: url, description: description, eventTypes: eventTypes, status: .enabled,
            failingSince: nil, previousSecretExpiresAt: previousSecretExpiresAt, createdAt: createdAt)
    }
}
