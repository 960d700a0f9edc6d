import Foundation
import MariaDB
import TestSupport
import Testing

/// The built `wallet-loadtest` against a real `wallet serve` on a scratch database: a few seconds of load with
/// duplicates, over HTTP and in-process, both verified.
@Suite("wallet-loadtest, run as a process", .serialized)
struct LoadTestEndToEndTests {
    static let startTimeoutSeconds = 20.0
    static let loadTestTimeoutSeconds = 300.0
    static let migrationsFolder = PrivateMariaDBServer.repositoryRoot + "/migrations"
    static let openAPIFile = PrivateMariaDBServer.repositoryRoot + "/openapi.yaml"
    static let wrkScript = PrivateMariaDBServer.repositoryRoot + "/loadtest/wrk/transfers.lua"

    private func url(_ configuration: MariaDBConfiguration) -> String {
        "mariadb://\(configuration.user):\(configuration.password)@\(configuration.host):\(configuration.port)/\(configuration.database)"
    }

    @Test func aShortRunWithDuplicatesVerifiesOverHTTPAndDirect() async throws {
        let (run, report) = try await runAgainstAService(["--duration", "3", "--duplicate-rate", "0.2", "--direct"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.components(separatedBy: "verification passed").count - 1 == 2, "\(run.output)")
        #expect(run.output.contains("HTTP/direct acknowledged ops/s"), "\(run.output)")
        #expect(run.output.contains("transaction_isolation REPEATABLE-READ"), "\(run.output)")
        #expect(report?["passed"] as? Bool == true)
        let http = report?["http"] as? [String: Any]
        #expect((http?["replays"] as? Int ?? 0) > 0, "duplicates were replayed")
        let counters = http?["server_counters"] as? [String: Any]
        #expect(((counters?["attempts"] as? [String: Any])?["committed"] as? Int ?? 0) > 0, "\(String(describing: counters))")
        // CPU per movement of the service (its /metrics), MariaDB (/proc, by its pid file) and the harness.
        let cpu = http?["cpu"] as? [String: Double] ?? [:]
        for process in ["service", "database", "harness"] {
            #expect(cpu["\(process)_milliseconds_per_movement"] ?? 0 > 0, "\(process): \(cpu)")
        }
        #expect((report?["direct"] as? [String: Any])?["cpu"] as? [String: Double] ?? [:] != [:])
        #expect(run.output.contains("CPU ms per movement: service "), "\(run.output)")
    }

    /// The population for wrk: funded wallets and their owners' tokens in a file, then real `wrk` with
    /// `loadtest/wrk/transfers.lua` sending keyed transfers, every one answered 201, and the audit green.
    @Test func aPopulationForWrkIsWrittenAndTheWrkScriptMovesMoney() async throws {
        let populationPath = NSTemporaryDirectory() + "population-\(UUID().uuidString).txt"
        defer { try? FileManager.default.removeItem(atPath: populationPath) }
        try await withAService { base, databaseURL in
            let populate = try await offload {
                try ChildProcess.run(
                    WalletExecutable.loadTestPath, ["--url", base, "--users", "3", "--wallets", "30", "--wrk-population", populationPath])
            }
            #expect(populate.status == 0, "\(populate.output)")
            let lines = try String(contentsOfFile: populationPath, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 30)
            #expect(lines.allSatisfy { $0.hasPrefix("wal_") && $0.split(separator: " ").count == 2 }, "\(lines.prefix(2))")
            #expect(Set(lines.map { $0.split(separator: " ")[1] }).count == 3, "one token per user")
            let wrk = try await offload {
                try ChildProcess.run(
                    "/usr/bin/wrk",
                    ["-t", "1", "-c", "4", "-d", "2", "-s", Self.wrkScript, base, "--", populationPath],
                    timeoutSeconds: Self.loadTestTimeoutSeconds)
            }
            #expect(wrk.status == 0, "\(wrk.output)")
            let counts = try #require(wrk.output.firstMatch(of: /transfers: (\d+) answered 201, (\d+) not/), "\(wrk.output)")
            #expect(Int(counts.1) ?? 0 > 0 && counts.2 == "0", "\(wrk.output)")
            let audit = try await offload { try ChildProcess.run(WalletExecutable.path, ["audit", "--database-url", databaseURL]) }
            #expect(audit.status == 0 && audit.output.contains("ledger OK"), "\(audit.output)")
        }
    }

    /// Holds placed, captured (in part, whole, to a wallet, out), voided, contested and expiring, with duplicates,
    /// over HTTP and in-process: both verify, and every part of a hold's life happened.
    @Test func aShortRunWithHoldsVerifiesOverHTTPAndDirect() async throws {
        let (run, report) = try await runAgainstAService([
            "--duration", "4", "--duplicate-rate", "0.2", "--direct", "--mix", "deposit=10,withdrawal=5,transfer=15,hold=35,capture=20,void=15",
            "--hold-expiry-share", "0.3", "--hold-expiry-seconds", "1", "--contested-share", "0.2",
        ])
        for (mode, phase) in Self.phasesVerified(run, report, acknowledging: ["hold", "capture", "void"]) {
            let holds = (phase?["verification"] as? [String: Any])?["holds"] as? [String: Int] ?? [:]
            for status in ["active", "captured", "voided", "expired"] {
                #expect(holds[status] ?? 0 > 0, "\(mode): no hold read back \(status): \(holds)")
            }
            let refusals = phase?["refusals"] as? [String: Int] ?? [:]
            #expect(refusals.filter { $0.key.hasPrefix("hold_") }.values.reduce(0, +) > 0, "\(mode): no contested or expired hold refused: \(refusals)")
        }
    }

    /// Multi-leg transfers (chained, to one recipient, with details) and reversals (partial, whole, of multi-leg
    /// transfers, contested), with duplicates, over HTTP and in-process: both verify, reversals were acknowledged and
    /// their originals read back, and some contested reversal was refused.
    @Test func aShortRunWithMultiLegTransfersAndReversalsVerifiesOverHTTPAndDirect() async throws {
        let (run, report) = try await runAgainstAService([
            "--duration", "3", "--duplicate-rate", "0.2", "--direct", "--mix", "deposit=15,withdrawal=5,transfer=20,multileg=30,reversal=30",
            "--contested-share", "0.3",
        ])
        for (mode, phase) in Self.phasesVerified(run, report, acknowledging: ["multileg", "reversal"]) {
            let verification = phase?["verification"] as? [String: Any] ?? [:]
            #expect(verification["reversals"] as? Int ?? 0 > 0, "\(mode): \(verification)")
            #expect(verification["reversed_originals_read_back"] as? Int ?? 0 > 0, "\(mode): \(verification)")
            let refusals = phase?["refusals"] as? [String: Int] ?? [:]
            #expect(refusals["amount_exceeds_reversible"] ?? 0 > 0, "\(mode): no contested reversal refused: \(refusals)")
        }
    }

    /// Expects a run whose HTTP and direct phases both verified and acknowledged some movement of each of `kinds`;
    /// returns each phase's report by mode.
    private static func phasesVerified(
        _ run: ChildProcess.Outcome, _ report: [String: Any]?, acknowledging kinds: [String]
    ) -> [(mode: String, phase: [String: Any]?)] {
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.components(separatedBy: "verification passed").count - 1 == 2, "\(run.output)")
        #expect(report?["passed"] as? Bool == true)
        return ["http", "direct"].map { mode in
            let phase = report?[mode] as? [String: Any]
            let acknowledged = phase?["acknowledged"] as? [String: Int] ?? [:]
            for kind in kinds {
                #expect(acknowledged[kind] ?? 0 > 0, "\(mode): no \(kind) acknowledged: \(acknowledged)")
            }
            return (mode, phase)
        }
    }

    /// Migrates a scratch database, serves it, runs `wallet-loadtest` with `arguments` (8 workers, 40 wallets, 4
    /// users) and returns its result and JSON report.
    private func runAgainstAService(_ arguments: [String]) async throws -> (ChildProcess.Outcome, [String: Any]?) {
        let (run, json) = try await runLoadTest(arguments)
        return (run, json.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] })
    }

    /// The same, with the report as written.
    private func runLoadTest(_ arguments: [String]) async throws -> (ChildProcess.Outcome, Data?) {
        try await withAService { base, databaseURL in
            let jsonPath = NSTemporaryDirectory() + "loadtest-\(UUID().uuidString).json"
            defer { try? FileManager.default.removeItem(atPath: jsonPath) }
            let run = try await offload {
                try ChildProcess.run(
                    WalletExecutable.loadTestPath,
                    ["--url", base, "--database-url", databaseURL, "--concurrency", "8", "--wallets", "40", "--users", "4", "--json", jsonPath]
                        + arguments,
                    timeoutSeconds: Self.loadTestTimeoutSeconds)
            }
            return (run, try? Data(contentsOf: URL(fileURLWithPath: jsonPath)))
        }
    }

    /// Runs `body` with the base URL of a `wallet serve` on a migrated scratch database, and that database's URL.
    private func withAService<T: Sendable>(_ body: (String, String) async throws -> T) async throws -> T {
        try await TestDatabase.withScratchDatabase { database in
            let databaseURL = url(database)
            let migrate = try await offload {
                try ChildProcess.run(
                    WalletExecutable.path, ["migrate", "up", "--database-url", databaseURL, "--migrations-dir", Self.migrationsFolder])
            }
            try #require(migrate.status == 0, "\(migrate.output)")
            let port = WalletExecutable.freeLoopbackPort()
            let server = try BackgroundProcess(
                WalletExecutable.path,
                [
                    "serve", "--port", String(port), "--database-url", databaseURL, "--migrations-dir", Self.migrationsFolder,
                    "--openapi-file", Self.openAPIFile, "--log-level", "warning", "--movement-rate-limit", "0",
                ]
            )
            let base = "http://127.0.0.1:\(port)"
            try #require(await HTTPProbe.waitFor(base + "/readyz", status: 200, timeoutSeconds: Self.startTimeoutSeconds), "\(server.output)")
            let result: Result<T, any Error>
            do {
                result = .success(try await body(base, databaseURL))
            } catch {
                result = .failure(error)
            }
            server.signal(SIGTERM)
            _ = try await offload { server.waitForExit(timeoutSeconds: 15) }
            return try result.get()
        }
    }

    /// The hand-written baseline beside the service: deposits, withdrawals and transfers with duplicates, all three
    /// phases verified, the ratio to the baseline printed and written.
    @Test func theHandWrittenBaselineRunsTheSameWorkloadAndVerifies() async throws {
        let (run, report) = try await runAgainstAService([
            "--duration", "3", "--duplicate-rate", "0.2", "--mix", "deposit=20,withdrawal=10,transfer=70", "--direct", "--raw",
        ])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.components(separatedBy: "verification passed").count - 1 == 3, "\(run.output)")
        #expect(run.output.contains("HTTP/raw acknowledged ops/s"), "\(run.output)")
        #expect(report?["http_to_raw_ratio"] is Double, "\(String(describing: report))")
        let raw = report?["raw"] as? [String: Any]
        #expect((raw?["replays"] as? Int ?? 0) > 0, "duplicates were replayed from the baseline's stored answers")
        #expect(((raw?["acknowledged"] as? [String: Int])?["transfer"] ?? 0) > 0)
    }

    /// The baseline alone, on two hot wallets with little money: version conflicts retried, refusals pinned under
    /// their keys, and still every acknowledged movement in the ledger exactly once.
    @Test func theBaselineAloneOnHotWalletsRetriesRefusesAndVerifies() async throws {
        try await TestDatabase.withScratchDatabase { database in
            let run = try await offload {
                try ChildProcess.run(
                    WalletExecutable.loadTestPath,
                    [
                        "--raw-only", "--database-url", url(database), "--concurrency", "32", "--wallets", "20", "--distribution", "hot:2",
                        "--initial-balance", "100", "--mix", "deposit=30,withdrawal=30,transfer=40", "--duplicate-rate", "0.2", "--duration", "3",
                    ])
            }
            #expect(run.status == 0, "\(run.output)")
            #expect(run.output.contains("[raw] verification passed"), "\(run.output)")
            #expect(run.output.contains("422 insufficient_funds"), "\(run.output)")
        }
    }

    @Test func theBaselineRefusesMovementsItDoesNotRun() async throws {
        let run = try await offload { try ChildProcess.run(WalletExecutable.loadTestPath, ["--raw", "--mix", "transfer=1,hold=1"]) }
        #expect(run.status == 2)
        #expect(run.output.contains("--raw runs deposits, withdrawals and transfers only"), "\(run.output)")
    }

    @Test func oneHotWalletWithTransfersIsAUsageError() async throws {
        let run = try await offload {
            try ChildProcess.run(WalletExecutable.loadTestPath, ["--distribution", "hot:1", "--mix", "transfer=1"])
        }
        #expect(run.status == 2)
        #expect(run.output.contains("a transfer needs two distinct wallets"), "\(run.output)")
    }

    @Test func anUnreachableServiceIsARunError() async throws {
        let run = try await offload {
            try ChildProcess.run(
                WalletExecutable.loadTestPath,
                ["--url", "http://127.0.0.1:1", "--database-url", "mariadb://wallet:wallet@127.0.0.1:1/wallet", "--duration", "1"])
        }
        #expect(run.status == 1, "\(run.output)")
        #expect(run.output.contains("version unknown"), "\(run.output)")
        #expect(run.output.contains("POST http://127.0.0.1:1/v1/users failed"), "\(run.output)")
    }
}
