import Foundation

/// The service's own movement counters, read from its Prometheus text (`/metrics`, or the direct mode's registry).
public struct ServerCounters: Hashable, Sendable, Codable {
    /// The metric names, as WalletCore's `MovementMetrics` writes them.
    static let attemptsName = "wallet_transaction_attempts_total"
    static let retriesExhaustedName = "wallet_transaction_retries_exhausted_total"
    static let replaysName = "wallet_idempotent_replays_total"
    static let queueRejectionsName = "wallet_queue_rejections_total"
    static let cpuSecondsName = "process_cpu_seconds_total"
    /// The attempt results that are a database-level retry.
    static let retriedResults = ["conflict", "deadlock", "lock_wait_timeout", "record_changed"]

    /// `wallet_transaction_attempts_total` by `result`.
    public var attempts: [String: Int64] = [:]
    public var retriesExhausted: Int64 = 0
    public var idempotentReplays: Int64 = 0
    public var queueRejections: Int64 = 0
    /// The service's CPU time (user and system), in seconds; 0 where it does not say (the direct mode).
    public var cpuSeconds: Double = 0

    public init() {}

    /// The counters in `text` (Prometheus text format); lines of other metrics are skipped.
    public init(prometheusText text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            let series = line[..<space]
            let name = series.prefix { $0 != "{" }
            let count = Int64(value)
            switch name {
            case Self.attemptsName:
                guard let result = Self.label("result", in: series) else { continue }
                attempts[result, default: 0] += count
            case Self.retriesExhaustedName: retriesExhausted += count
            case Self.replaysName: idempotentReplays += count
            case Self.queueRejectionsName: queueRejections += count
            case Self.cpuSecondsName: cpuSeconds += value
            default: continue
            }
        }
    }

    /// The value of label `name` in `series` (`metric{a="x",b="y"}`).
    static func label(_ name: String, in series: Substring) -> String? {
        guard let range = series.range(of: name + "=\"") else { return nil }
        let rest = series[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// These counters minus `earlier`: what happened in between.
    public func subtracting(_ earlier: ServerCounters) -> ServerCounters {
        var delta = ServerCounters()
        for (result, count) in attempts { delta.attempts[result] = count - (earlier.attempts[result] ?? 0) }
        delta.retriesExhausted = retriesExhausted - earlier.retriesExhausted
        delta.idempotentReplays = idempotentReplays - earlier.idempotentReplays
        delta.queueRejections = queueRejections - earlier.queueRejections
        delta.cpuSeconds = cpuSeconds - earlier.cpuSeconds
        return delta
    }

    /// (conflict + deadlock + lock_wait_timeout + record_changed) / committed; nil when nothing committed.
    public var databaseRetriesPerCommittedOperation: Double? {
        let committed = attempts["committed"] ?? 0
        guard committed > 0 else { return nil }
        return Double(Self.retriedResults.reduce(0) { $0 + (attempts[$1] ?? 0) }) / Double(committed)
    }
}
