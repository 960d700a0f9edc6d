import Synchronization

/// The client-side counts and latencies of one load phase, shared by every worker.
///
/// Only movements whose intended start is inside the measured window (after the warmup) count towards the latency
/// and the per-kind totals; attempts, retries and replays count throughout.
public final class RunStatistics: Sendable {
    /// Everything counted.
    public struct Counts: Sendable {
        /// Movements answered `201` (`200` for a void), by kind (first answers of measured movements; duplicates not counted).
        public var acknowledged: [MovementKind: Int] = [:]
        /// Business refusals, by code (measured movements).
        public var refusals: [String: Int] = [:]
        /// Measured movements that ended in another definite error, or with no definite answer after the retries.
        public var errors = 0
        /// Every attempt, by its status label (retries and duplicates included).
        public var statuses: [String: Int] = [:]
        /// Attempts that were retries of an earlier attempt with the same key.
        public var retries = 0
        /// Answers that were replays of a stored answer.
        public var replays = 0
        /// Duplicates sent.
        public var duplicates = 0
        /// Latency of measured movements, from intended start to final answer.
        public var latency = LatencyHistogram()
    }

    private struct State: Sendable {
        var total = Counts()
        var interval = Counts()
    }

    private let state = Mutex(State())

    public init() {}

    /// Counts one attempt's answer.
    public func recordAttempt(_ answer: MovementAnswer, isRetry: Bool) {
        state.withLock { state in
            state.total.statuses[answer.statusLabel, default: 0] += 1
            if answer.isReplay { state.total.replays += 1 }
            if isRetry {
                state.total.retries += 1
                state.interval.retries += 1
            }
        }
    }

    /// Counts a duplicate sent.
    public func recordDuplicate() {
        state.withLock { $0.total.duplicates += 1 }
    }

    /// Counts the final answer of a measured movement and its latency.
    public func recordMeasured(_ movement: PlannedMovement, answer: MovementAnswer, latency: Duration) {
        state.withLock { state in
            Self.add(movement, answer: answer, latency: latency, to: &state.total)
            Self.add(movement, answer: answer, latency: latency, to: &state.interval)
        }
    }

    private static func add(_ movement: PlannedMovement, answer: MovementAnswer, latency: Duration, to counts: inout Counts) {
        counts.latency.record(latency)
        switch answer {
        case .acknowledged, .holdAcknowledged: counts.acknowledged[movement.kind, default: 0] += 1
        case .refused(let code, _): counts.refusals[code, default: 0] += 1
        case .rejected, .uncertain: counts.errors += 1
        }
    }

    /// Everything counted so far.
    public var total: Counts { state.withLock { $0.total } }

    /// What was counted since the previous call, for the progress line.
    public func takeInterval() -> Counts {
        state.withLock { state in
            defer { state.interval = Counts() }
            return state.interval
        }
    }
}
