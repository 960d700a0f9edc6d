public import Logging
import Metrics
public import ServiceLifecycle
public import WalletCore

/// Deletes what has outlived its use, on an interval, in the running service: idempotency keys past their
/// retention, expired sessions, and events past theirs.
///
/// Each round deletes in small batches until nothing old is left, so it never holds long locks; a failed round is
/// logged and tried again at the next interval.
public struct PurgeService: Service {
    /// The default time between rounds.
    public static let defaultInterval: Duration = .seconds(60)

    let purger: IdempotencyPurger
    let sessions: SessionStore
    let retention: Duration
    let events: EventFeed
    let eventRetention: Duration
    let interval: Duration
    let logger: Logger
    private let keysPurged = Counter(label: "wallet_idempotency_keys_purged_total")
    private let sessionsPurged = Counter(label: "wallet_sessions_purged_total")
    private let eventsPurged = Counter(label: "wallet_events_purged_total")

    /// A service that purges keys older than `retention` with `purger`, expired `sessions`, and `events` older
    /// than `eventRetention`.
    public init(
        purger: IdempotencyPurger,
        sessions: SessionStore,
        retention: Duration,
        events: EventFeed,
        eventRetention: Duration = EventFeed.defaultRetention,
        interval: Duration = Self.defaultInterval,
        logger: Logger
    ) {
        precondition(interval > .zero, "the purge interval must be positive")
        self.purger = purger
        self.sessions = sessions
        self.retention = retention
        self.events = events
        self.eventRetention = eventRetention
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                let count = try await purger.purge(olderThan: retention)
                if count > 0 {
                    keysPurged.increment(by: count)
                    logger.info("purged idempotency keys", metadata: ["count": "\(count)"])
                }
            } catch {
                logger.warning("idempotency key purge failed; trying again later", metadata: ["error": "\(error)"])
            }
            do {
                let count = try await sessions.purgeExpired()
                if count > 0 {
                    sessionsPurged.increment(by: count)
                    logger.info("purged expired sessions", metadata: ["count": "\(count)"])
                }
            } catch {
                logger.warning("expired session purge failed; trying again later", metadata: ["error": "\(error)"])
            }
            do {
                let count = try await events.purge(olderThan: eventRetention)
                if count > 0 {
                    eventsPurged.increment(by: count)
                    logger.info("purged events past their retention", metadata: ["count": "\(count)"])
                }
            } catch {
                logger.warning("event purge failed; trying again later", metadata: ["error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
