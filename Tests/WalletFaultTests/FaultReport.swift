import Foundation

/// The counts of one fault scenario, from `wallet-loadtest --json` and the rig.
struct FaultReport: Sendable {
    let scenario: String
    /// Movements sent (duplicates not included); attempts by label, the HTTP status and problem code or what went
    /// wrong (retries and duplicates included).
    let requests: Int
    let statusCounts: [String: Int]
    /// Movements answered 201 (200 for a void) in the measured window.
    let acknowledged: Int
    /// The same by kind (`deposit`, …, `hold`, `capture`, `void`).
    let acknowledgedByKind: [String: Int]
    /// Holds acknowledged and read back by the verification, by the status read back.
    let holdsByStatus: [String: Int]
    var holdsReadBack: Int { holdsByStatus.values.reduce(0, +) }
    /// Resends with the same key after an answer that was not definite.
    let retried: Int
    /// Answers replayed from the idempotency store.
    let replayed: Int
    /// Keys without a definite answer after the load, resent until they had one.
    let resolvedAfterLoad: Int
    /// Faults injected.
    let faults: Int
    /// The service's transaction attempts by result (`committed`, `conflict`, `lock_wait_timeout`, …) over the load;
    /// empty when the service was started again in between (its counters started from zero).
    let databaseAttempts: [String: Int]

    init(scenario: String, jsonReport: Data, faults: Int, serviceRestarted: Bool) throws {
        guard let root = try JSONSerialization.jsonObject(with: jsonReport) as? [String: Any],
            let http = root["http"] as? [String: Any]
        else { throw FaultReportError.malformed }
        self.scenario = scenario
        self.requests = http["movements_sent"] as? Int ?? 0
        self.statusCounts = http["status_counts"] as? [String: Int] ?? [:]
        self.acknowledged = (http["acknowledged"] as? [String: Any])?["total"] as? Int ?? 0
        self.acknowledgedByKind = (http["acknowledged"] as? [String: Int] ?? [:]).filter { $0.key != "total" }
        self.holdsByStatus = (http["verification"] as? [String: Any])?["holds"] as? [String: Int] ?? [:]
        self.retried = http["client_retries"] as? Int ?? 0
        self.replayed = http["replays"] as? Int ?? 0
        self.resolvedAfterLoad = (http["verification"] as? [String: Any])?["resolved_keys"] as? Int ?? 0
        self.faults = faults
        let counters = (http["server_counters"] as? [String: Any])?["attempts"] as? [String: Int] ?? [:]
        self.databaseAttempts = serviceRestarted ? [:] : counters
    }

    /// Attempts whose label (`201`, `503 unavailable`, `connection error`, `timeout`, …) starts with `prefix`.
    func attempts(labelled prefix: String) -> Int {
        statusCounts.filter { $0.key.hasPrefix(prefix) }.reduce(0) { $0 + $1.value }
    }

    /// One line for the test output.
    var summary: String {
        func list(_ counts: [String: Int]) -> String {
            counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        }
        return "fault scenario '\(scenario)': requests \(requests), acknowledged \(acknowledged) {\(list(acknowledgedByKind))}, "
            + "holds read back {\(list(holdsByStatus))}, retried \(retried), "
            + "replayed \(replayed), resolved after the load \(resolvedAfterLoad), faults \(faults); "
            + "client attempts {\(list(statusCounts))}; service transaction attempts {\(databaseAttempts.isEmpty ? "service restarted" : list(databaseAttempts))}"
    }
}

enum FaultReportError: Error {
    case malformed
}
