import Metrics
import WalletCore

/// The metrics of webhook deliveries: `wallet_webhook_deliveries_total{outcome}` (delivered, retried, failed,
/// claim_lost), `wallet_webhook_attempt_duration_seconds` and `wallet_webhook_oldest_pending_seconds` (how long the
/// oldest pending delivery has waited).
struct WebhookMetrics: Sendable {
    static let deliveriesLabel = "wallet_webhook_deliveries_total"

    let delivered = Counter(label: deliveriesLabel, dimensions: [("outcome", "delivered")])
    let retried = Counter(label: deliveriesLabel, dimensions: [("outcome", "retried")])
    let failed = Counter(label: deliveriesLabel, dimensions: [("outcome", "failed")])
    let claimLost = Counter(label: deliveriesLabel, dimensions: [("outcome", "claim_lost")])
    let attemptDuration = Metrics.Timer(label: "wallet_webhook_attempt_duration_seconds")
    let oldestPending = Gauge(label: "wallet_webhook_oldest_pending_seconds")

    func count(_ resolution: WebhookQueue.Resolution) {
        switch resolution {
        case .delivered: delivered.increment()
        case .retried: retried.increment()
        case .failed: failed.increment()
        case .claimLost: claimLost.increment()
        }
    }
}
