public import Logging
import Metrics
public import ServiceLifecycle
public import WalletCore

/// Deletes idempotency keys past their retention, on an interval, in the running service.
///
/// Each round deletes in small batches (the purger's batch size) until nothing old is left, so it never holds
/// long locks; a failed round is logged and tried again at the next interval.
public struct IdempotencyPurgeService: Service {
    /// The default time between rounds.
    public static let defaultInterval: Duration = .seconds(60)

    let purger: IdempotencyPurger
    let retention: Duration
    let interval: Duration
    let logger: Logger
    private let purged = Counter(label: "wallet_idempotency_keys_purged_total")

    public init(purger: IdempotencyPurger, retention: Duration, interval: Duration = Self.defaultInterval, logger: Logger) {
        precondition(interval > .zero, "the purge interval must be positive")
        self.purger = purger
        self.retention = retention
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                let count = try await purger.purge(olderThan: retention)
                if count > 0 {
                    purged.increment(by: count)
                    logger.info("purged idempotency keys", metadata: ["count": "\(count)"])
                }
            } catch {
                logger.warning("idempotency key purge failed; trying again later", metadata: ["error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
