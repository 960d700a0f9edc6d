import Foundation

/// Prints one line a second on standard error while a phase runs: acknowledged ops/s, p99, errors, retries.
struct ProgressReporter: Sendable {
    /// The time between two lines.
    static let interval: Duration = .seconds(1)

    let phase: String
    let statistics: RunStatistics

    /// Prints until cancelled.
    func run() async {
        let started = ContinuousClock.now
        while !Task.isCancelled {
            do { try await Task.sleep(for: Self.interval) } catch { return }
            let counts = statistics.takeInterval()
            let acknowledged = counts.acknowledged.values.reduce(0, +)
            let elapsed = Int((ContinuousClock.now - started) / .seconds(1))
            let line = String(
                format: "[%@ %3ds] %6d ops/s  p99 %8.2f ms  refusals %d  errors %d  retries %d\n",
                phase, elapsed, acknowledged, counts.latency.milliseconds(atPercentile: 99),
                counts.refusals.values.reduce(0, +), counts.errors, counts.retries
            )
            FileHandle.standardError.write(Data(line.utf8))
        }
    }
}
