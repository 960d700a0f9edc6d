import Foundation

/// The human-readable tables printed on standard output at the end of a run.
enum ReportPrinter {
    /// The width of the movement-kind column, indent included.
    static let kindColumnWidth = 14

    /// The table of one phase.
    static func table(_ report: PhaseReport) -> String {
        var lines: [String] = []
        lines.append(
            "== \(report.mode) == \(report.pacing); \(report.users) users, \(report.wallets) wallets; "
                + "mix \(report.mix); distribution \(report.distribution)")
        lines.append(
            String(
                format: "measured %.2f s, %d movements sent (warmup included), %d duplicates", report.measuredSeconds, report.movementsSent,
                report.duplicatesSent))
        lines.append("acknowledged ops/s:")
        for kind in MovementKind.allCases.map(\.rawValue) + ["total"] where report.acknowledged[kind] != nil {
            let name = ("  " + kind).padding(toLength: kindColumnWidth, withPad: " ", startingAt: 0)
            lines.append(name + String(format: "%10.1f/s  (%d)", report.acknowledgedPerSecond[kind] ?? 0, report.acknowledged[kind] ?? 0))
        }
        let latency = report.latencyMilliseconds
        lines.append(
            String(
                format: "latency ms:  p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  (%d movements)", latency.p50, latency.p90, latency.p99,
                latency.p999, latency.max, latency.count))
        lines.append("status counts (every attempt): " + describe(report.statusCounts))
        lines.append("refusals: " + (report.refusals.isEmpty ? "none" : describe(report.refusals)))
        lines.append("client retries \(report.clientRetries), replays \(report.replays), errors \(report.errors)")
        func milliseconds(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "n/a" }
        lines.append(
            "CPU ms per movement: service \(milliseconds(report.cpu.serviceMillisecondsPerMovement)), "
                + "MariaDB \(milliseconds(report.cpu.databaseMillisecondsPerMovement)), harness \(milliseconds(report.cpu.harnessMillisecondsPerMovement))")
        if let counters = report.serverCounters {
            lines.append("server attempts by result: " + describe(counters.attempts.mapValues(Int.init)))
            lines.append(
                "server retries exhausted \(counters.retriesExhausted), idempotent replays \(counters.idempotentReplays), "
                    + "queue rejections \(counters.queueRejections)")
            let perCommitted = report.databaseRetriesPerCommittedOperation.map { String(format: "%.3f", $0) } ?? "n/a"
            lines.append("database retries per committed op: \(perCommitted)")
        }
        return lines.joined(separator: "\n")
    }

    /// The MariaDB settings line.
    static func settings(_ settings: DatabaseSettings) -> String {
        "MariaDB: version \(settings.version), innodb_flush_log_at_trx_commit \(settings.innodbFlushLogAtTrxCommit), "
            + "sync_binlog \(settings.syncBinlog), innodb_buffer_pool_size \(settings.innodbBufferPoolSize), "
            + "transaction_isolation \(settings.transactionIsolation)"
    }

    private static func describe(_ counts: [String: Int]) -> String {
        counts.isEmpty ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "  ")
    }
}
