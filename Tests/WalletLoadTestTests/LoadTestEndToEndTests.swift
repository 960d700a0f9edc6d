import Foundation
import MariaDB
import TestSupport
import Testing

/// The built `wallet-loadtest` against a real `wallet serve` on a scratch database: a few seconds of load with
/// duplicates, over HTTP and in-process, both verified.
@Suite("wallet-loadtest, run as a process", .serialized)
struct LoadTestEndToEndTests {
    static let startTimeoutSeconds = 20.0
    static let migrateTimeoutSeconds = 60.0
    static let loadTestTimeoutSeconds = 300.0
    static let migrationsFolder = PrivateMariaDBServer.repositoryRoot + "/migrations"
    static let openAPIFile = PrivateMariaDBServer.repositoryRoot + "/openapi.yaml"

    private func url(_ configuration: MariaDBConfiguration) -> String {
        "mariadb://\(configuration.user):\(configuration.password)@\(configuration.host):\(configuration.port)/\(configuration.database)"
    }

    @Test func aShortRunWithDuplicatesVerifiesOverHTTPAndDirect() async throws {
        try await TestDatabase.withScratchDatabase { database in
            let databaseURL = url(database)
            let migrate = try await offload {
                try ChildProcess.run(
                    WalletExecutable.path, ["migrate", "up", "--database-url", databaseURL, "--migrations-dir", Self.migrationsFolder],
                    timeoutSeconds: Self.migrateTimeoutSeconds)
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

            let jsonPath = NSTemporaryDirectory() + "loadtest-\(UUID().uuidString).json"
            defer { try? FileManager.default.removeItem(atPath: jsonPath) }
            let run = try await offload {
                try ChildProcess.run(
                    WalletExecutable.loadTestPath,
                    [
                        "--url", base, "--database-url", databaseURL, "--duration", "3", "--concurrency", "8", "--wallets", "40", "--users", "4",
                        "--duplicate-rate", "0.2", "--direct", "--json", jsonPath,
                    ],
                    timeoutSeconds: Self.loadTestTimeoutSeconds)
            }
            server.signal(SIGTERM)
            _ = try await offload { server.waitForExit(timeoutSeconds: 15) }

            #expect(run.status == 0, "\(run.output)")
            #expect(run.output.components(separatedBy: "verification passed").count - 1 == 2, "\(run.output)")
            #expect(run.output.contains("HTTP/direct acknowledged ops/s"), "\(run.output)")
            #expect(run.output.contains("transaction_isolation REPEATABLE-READ"), "\(run.output)")
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: jsonPath))) as? [String: Any]
            #expect(report?["passed"] as? Bool == true)
            let http = report?["http"] as? [String: Any]
            #expect((http?["replays"] as? Int ?? 0) > 0, "duplicates were replayed")
            let counters = http?["server_counters"] as? [String: Any]
            #expect(((counters?["attempts"] as? [String: Any])?["committed"] as? Int ?? 0) > 0, "\(String(describing: counters))")
        }
    }

    @Test func oneHotWalletWithTransfersIsAUsageError() async throws {
        let run = try await offload {
            try ChildProcess.run(WalletExecutable.loadTestPath, ["--distribution", "hot:1", "--mix", "transfer=1"], timeoutSeconds: 30)
        }
        #expect(run.status == 2)
        #expect(run.output.contains("a transfer needs two distinct wallets"), "\(run.output)")
    }

    @Test func anUnreachableServiceIsARunError() async throws {
        let run = try await offload {
            try ChildProcess.run(
                WalletExecutable.loadTestPath,
                ["--url", "http://127.0.0.1:1", "--database-url", "mariadb://wallet:wallet@127.0.0.1:1/wallet", "--duration", "1"],
                timeoutSeconds: 60)
        }
        #expect(run.status == 1, "\(run.output)")
        #expect(run.output.contains("version unknown"), "\(run.output)")
        #expect(run.output.contains("POST http://127.0.0.1:1/v1/users failed"), "\(run.output)")
    }
}
