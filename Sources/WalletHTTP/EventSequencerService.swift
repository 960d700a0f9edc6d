public import Logging
import Metrics
public import ServiceLifecycle
public import WalletCore

/// Runs this instance's ``EventSequencer`` on a short interval: committed events get their feed positions soon
/// after they commit (within about one interval), by whichever instance holds the lease.
///
/// A round that fills its batch starts the next at once, up to ``maximumRoundsPerInterval``; a failed round is
/// logged and tried again at the next interval. `wallet_events_sequenced_total` counts the positions given, and
/// `wallet_event_sequencer_lease` is 1 while this instance holds the lease.
public struct EventSequencerService: Service {
    /// The default time between rounds: how long an event waits for its position at most, when all is well.
    public static let defaultInterval: Duration = .milliseconds(50)
    /// The most rounds run back to back before waiting for the next interval.
    public static let maximumRoundsPerInterval = 20

    let sequencer: EventSequencer
    let interval: Duration
    let logger: Logger
    private let sequenced = Counter(label: "wallet_events_sequenced_total")
    private let holdsLease = Gauge(label: "wallet_event_sequencer_lease")

    /// A service that runs `sequencer` every `interval`.
    public init(sequencer: EventSequencer, interval: Duration = Self.defaultInterval, logger: Logger) {
        precondition(interval > .zero, "the sequencing interval must be positive")
        self.sequencer = sequencer
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await sequence()
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }

    /// Rounds until one gives fewer positions than a batch, or the round limit.
    func sequence() async {
        for _ in 0..<Self.maximumRoundsPerInterval {
            do {
                let round = try await sequencer.sequence()
                holdsLease.record(round.holdsLease ? 1 : 0)
                if round.sequenced > 0 { sequenced.increment(by: round.sequenced) }
                if round.sequenced < sequencer.batchSize { return }
            } catch {
                logger.warning("event sequencing failed; trying again later", metadata: ["error": "\(error)"])
                return
            }
        }
    }
}
