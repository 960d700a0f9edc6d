public import Logging
import Metrics
public import ServiceLifecycle
public import WalletCore

/// Records the expiry of holds past their time, on an interval, in the running service (``HoldSweeper``).
///
/// Reads and movements already treat such holds as expired; the sweep makes the stored state say so. A round
/// that fills its batch starts the next at once, up to ``maximumRoundsPerInterval``; a failed round is logged and
/// tried again at the next interval. `wallet_holds_expired_total` counts the expiries recorded.
public struct HoldSweepService: Service {
    /// The default time between sweeps.
    public static let defaultInterval: Duration = .seconds(1)
    /// The most rounds one sweep runs back to back before it waits for the next interval.
    public static let maximumRoundsPerInterval = 10

    let sweeper: HoldSweeper
    let interval: Duration
    let logger: Logger
    private let expired = Counter(label: "wallet_holds_expired_total")

    /// A service that sweeps with `sweeper` every `interval`.
    public init(sweeper: HoldSweeper, interval: Duration = Self.defaultInterval, logger: Logger) {
        precondition(interval > .zero, "the sweep interval must be positive")
        self.sweeper = sweeper
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await sweep()
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }

    /// One sweep: rounds until one finds fewer due holds than a batch, or the round limit.
    func sweep() async {
        for _ in 0..<Self.maximumRoundsPerInterval {
            do {
                let round = try await sweeper.sweep()
                if round.recorded > 0 {
                    expired.increment(by: round.recorded)
                    logger.debug("recorded expired holds", metadata: ["count": "\(round.recorded)"])
                }
                if round.found < sweeper.batchSize { return }
            } catch {
                logger.warning("hold sweep failed; trying again later", metadata: ["error": "\(error)"])
                return
            }
        }
    }
}
