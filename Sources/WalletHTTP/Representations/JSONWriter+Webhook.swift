import Foundation
public import WalletCore

extension JSONWriter {
    /// `{"id","url","description","event_types","status","failing_since","previous_secret_expires_at","created_at"}`,
    /// and `secret` when the endpoint was just created or rotated (the only time it is shown).
    public mutating func webhookEndpoint(_ endpoint: WebhookEndpoint, secret: String? = nil) {
        object { json in
            json.field("id", endpoint.id.rawValue)
            json.field("url", endpoint.url.rawValue)
            json.field("description", endpoint.description)
            json.key("event_types")
            json.array { json in
                for type in EventType.allCases where endpoint.eventTypes.contains(type) { json.string(type.rawValue) }
            }
            json.field("status", endpoint.status.rawValue)
            json.optionalTimestamp("failing_since", endpoint.failingSince)
            json.optionalTimestamp("previous_secret_expires_at", endpoint.previousSecretExpiresAt)
            json.field("created_at", timestamp: endpoint.createdAt)
            if let secret { json.field("secret", secret) }
        }
    }

    /// `{"endpoint_id","event_id","event_type","status","attempt_count","attempts","next_attempt_at","give_up_at",
    /// "created_at","delivered_at"}`; each attempt `{"attempted_at","status_code","latency_ms","error"}`.
    public mutating func webhookDelivery(_ delivery: WebhookDelivery) {
        object { json in
            json.field("endpoint_id", delivery.endpointID.rawValue)
            json.field("event_id", delivery.eventID.rawValue)
            json.field("event_type", delivery.eventType.rawValue)
            json.field("status", delivery.status.rawValue)
            json.field("attempt_count", Int64(delivery.attemptCount))
            json.key("attempts")
            json.array { json in
                for attempt in delivery.attempts {
                    json.object { json in
                        json.field("attempted_at", timestamp: attempt.attemptedAt)
                        json.field("status_code", attempt.statusCode.map(Int64.init))
                        json.key("latency_ms")
                        json.number(Double(attempt.latency.microseconds) / 1000)
                        json.field("error", attempt.error)
                    }
                }
            }
            json.optionalTimestamp("next_attempt_at", delivery.nextAttemptAt)
            json.field("give_up_at", timestamp: delivery.giveUpAt)
            json.field("created_at", timestamp: delivery.createdAt)
            json.optionalTimestamp("delivered_at", delivery.deliveredAt)
        }
    }
}
