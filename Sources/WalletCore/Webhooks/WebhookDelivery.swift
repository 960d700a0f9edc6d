public import Foundation

/// One event's delivery to one endpoint, with its attempts so far.
public struct WebhookDelivery: Hashable, Sendable {
    /// The most attempts a delivery shows: its latest ones.
    public static let maximumAttemptsShown = 25

    /// The delivery's place in the queue (cursors of the deliveries listing name it).
    public let sequence: Int64
    public let endpointID: WebhookEndpointID
    public let eventID: EventID
    public let eventType: EventType
    public let status: WebhookDeliveryStatus
    /// Attempts made so far, of which ``attempts`` shows the latest.
    public let attemptCount: Int
    /// The latest attempts (at most ``maximumAttemptsShown``), oldest first.
    public let attempts: [WebhookAttempt]
    /// When the next attempt is due; nil once delivered or failed.
    public let nextAttemptAt: Date?
    /// After this, a failed attempt fails the delivery.
    public let giveUpAt: Date
    public let createdAt: Date
    public let deliveredAt: Date?
}

/// Where a delivery stands.
public enum WebhookDeliveryStatus: String, Hashable, Sendable, CaseIterable {
    /// Waiting for its next attempt (or in one).
    case pending
    /// A receiver answered 2xx.
    case delivered
    /// Every attempt until the give-up time failed (or the endpoint failed meanwhile).
    case failed
}

/// One try of a delivery: when it was made, the receiver's status code if it answered, how long it took, and what
/// went wrong when it did not count as delivered.
public struct WebhookAttempt: Hashable, Sendable {
    /// The longest error text kept, in bytes.
    public static let maximumErrorBytes = 255

    public let attemptedAt: Date
    public let statusCode: Int?
    public let latency: Duration
    public let error: String?

    public init(attemptedAt: Date, statusCode: Int?, latency: Duration, error: String?) {
        self.attemptedAt = attemptedAt
        self.statusCode = statusCode
        self.latency = latency
        self.error = error.map { Self.truncated($0) }
    }

    /// Whether the attempt delivered the event: the receiver answered 2xx.
    public var delivered: Bool { error == nil && statusCode.map { (200...299).contains($0) } == true }

    /// `text` cut to ``maximumErrorBytes`` on a character boundary.
    static func truncated(_ text: String) -> String {
        guard text.utf8.count > maximumErrorBytes else { return text }
        var result = ""
        for character in text {
            guard result.utf8.count + character.utf8.count <= maximumErrorBytes - 3 else { break }
            result.append(character)
        }
        return result + "..."
    }
}

/// A page of an endpoint's deliveries, newest first.
public struct WebhookDeliveryPage: Hashable, Sendable {
    public let deliveries: [WebhookDelivery]
    /// The cursor of the next (older) page; nil on the last page.
    public let nextCursor: WebhookDeliveryCursor?
}

/// Where a listing of deliveries is: the sequence of the last delivery shown (a ``CursorToken`` of version 3).
public struct WebhookDeliveryCursor: Hashable, Sendable {
    static let formatVersion: UInt8 = 3

    public let lastSequence: Int64

    init(lastSequence: Int64) {
        self.lastSequence = lastSequence
    }

    /// The cursor `encoded` spells, or nil when it is not a delivery cursor.
    public init?(encoded: String) {
        guard let sequence = CursorToken.decode(encoded, version: Self.formatVersion) else { return nil }
        lastSequence = sequence
    }

    public var encoded: String { CursorToken.encode(lastSequence, version: Self.formatVersion) }
}
