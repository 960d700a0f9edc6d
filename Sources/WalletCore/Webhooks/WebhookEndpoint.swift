public import Foundation

/// The id of a webhook endpoint.
public typealias WebhookEndpointID = Identifier<WebhookEndpoint>

/// A URL that receives a principal's events of the types it subscribed to, signed with its secret.
public struct WebhookEndpoint: Hashable, Sendable {
    /// Endpoints a principal may have at once.
    public static let maximumPerOwner = 16
    /// The longest description, in bytes.
    public static let maximumDescriptionBytes = 255

    public let id: WebhookEndpointID
    public let ownerID: PrincipalID
    public let url: WebhookURL
    public let description: String?
    public let eventTypes: Set<EventType>
    public let status: WebhookEndpointStatus
    /// Since when the endpoint is failing; nil while enabled.
    public let failingSince: Date?
    /// Until when the secret before the last rotation still signs; nil when there is none.
    public let previousSecretExpiresAt: Date?
    public let createdAt: Date

    public init(
        id: WebhookEndpointID, ownerID: PrincipalID, url: WebhookURL, description: String?, eventTypes: Set<EventType>,
        status: WebhookEndpointStatus, failingSince: Date?, previousSecretExpiresAt: Date?, createdAt: Date
    ) {
        self.id = id
        self.ownerID = ownerID
        self.url = url
        self.description = description
        self.eventTypes = eventTypes
        self.status = status
        self.failingSince = failingSince
        self.previousSecretExpiresAt = previousSecretExpiresAt
        self.createdAt = createdAt
    }
}

extension WebhookEndpoint: IdentifierKind {
    /// Webhook endpoint ids start with `we_`.
    public static let identifierPrefix = "we"
}

/// Whether an endpoint gets deliveries.
public enum WebhookEndpointStatus: String, Hashable, Sendable {
    /// Deliveries are queued and attempted.
    case enabled
    /// A delivery failed for good: no deliveries until the owner enables the endpoint again.
    case failing
}

/// An endpoint as created or rotated, with the signing secret: the only time the secret is shown.
public struct WebhookEndpointWithSecret: Hashable, Sendable {
    public let endpoint: WebhookEndpoint
    public let secret: String
}
