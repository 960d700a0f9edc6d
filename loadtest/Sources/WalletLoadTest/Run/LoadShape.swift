/// How hard and how long a phase pushes: closed loop (a fixed number of workers, each waiting for its answer) or open
/// loop (requests at a fixed rate, whatever the answers), bounded by a duration and optionally a request count.
public struct LoadShape: Hashable, Sendable {
    /// How requests are paced.
    public enum Pacing: Hashable, Sendable {
        /// `concurrency` workers, each sending its next movement when the previous one has its answer.
        case closed(concurrency: Int)
        /// Movements scheduled at t0 + i/`rate`; latency counts from that intended time. At most `maximumOutstanding`
        /// are in flight; a movement that finds no free slot waits, and the wait counts in its latency.
        case open(rate: Double, maximumOutstanding: Int)
    }

    /// The default bound on movements in flight in an open loop.
    public static let defaultMaximumOutstanding = 1024
    /// Duplicates in flight at once, beyond which the next duplicate waits for one to finish.
    public static let maximumDuplicatesInFlight = 256

    public let pacing: Pacing
    /// Time before the measured window: sent, verified, but not counted in the statistics.
    public let warmup: Duration
    /// The measured window.
    public let duration: Duration
    /// The most movements sent (warmup included); nil for no limit but the duration.
    public let requests: Int?

    public init(pacing: Pacing, warmup: Duration, duration: Duration, requests: Int?) {
        precondition(warmup >= .zero && duration > .zero, "a phase lasts a positive time")
        precondition(requests.map { $0 >= 1 } ?? true, "a request limit is positive")
        self.pacing = pacing
        self.warmup = warmup
        self.duration = duration
        self.requests = requests
    }

    /// The most movements sent; the duration bounds the run when no count was given.
    var requestLimit: Int { requests ?? Int.max }
}
