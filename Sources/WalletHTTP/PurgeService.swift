public import Logging
import Metrics
public import ServiceLifecycle
public import WalletCore

/// Deletes what has outlived its use, on an interval, in the running service: idempotency keys past their
/// retention, expired sessions, events past theirs, and resolved webhook deliveries as old (with their attempts).
///
/// Each round deletes in small batches until nothing old is left, so it never holds long locks; a failed round is
/// logged and tried again at the next interval. Each kind has its counter (`wallet_…_purged_total`).
public struct PurgeService: Service {
    /// The default time between rounds.
    public static let defaultInterval: Duration = .seconds(60)

    /// One kind of thing purged: what it is called in logs, its counter, and the purge itself.
    struct Purge: Sendable {
        let name: String
        let counter: Counter
        let run: @Sendable () async throws -> Int
    }

    let purges: [Purge]
    let interval: Duration
    let logger: Logger

    /// A service that purges keys older than `retention` with `purger`, expired `sessions`, `events` older than
    /// `eventRetention` and `webhooks`' resolved deliveries as old.
    public init(
        purger: IdempotencyPurger,
        sessions: SessionStore,
        retention: Duration,
        events: EventFeed,
        webhooks: WebhookQueue,
        eventRetention: Duration = EventFeed.defaultRetention,
        interval: Duration = Self.defaultInterval,
        logger: Logger
    ) {
        precondition(interval > .zero, "the purge interval must be positive")
        purges = [
            Purge(name: "idempotency keys", counter: Counter(label: "wallet_idempotency_keys_purged_total")) {
                try await purger.purge(olderThan: retention)
            },
            Purge(name: "expired sessions", counter: Counter(label: "wallet_sessions_purged_total")) { try await sessions.purgeExpired() },
            Purge(name: "events past their retention", counter: Counter(label: "wallet_events_purged_total")) {
                try await events.purge(olderThan: eventRetention)
            },
            Purge(name: "webhook deliveries past the event retention", counter: Counter(label: "wallet_webhook_deliveries_purged_total")) {
                try await webhooks.purge(olderThan: eventRetention)
            },
        ]
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            for purge in purges {
                do {
                    let count = try await purge.run()
                    if count > 0 {
                        purge.counter.increment(by: count)
                        logger.info("purged \(purge.name)", metadata: ["count": "\(count)"])
                    }
                } catch {
                    logger.warning("purge of \(purge.name) failed; trying again later", metadata: ["error": "\(error)"])
                }
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
