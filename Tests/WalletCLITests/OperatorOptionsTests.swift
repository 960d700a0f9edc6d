import Foundation
import MariaDB
import Testing
import TestSupport

/// Options operators set in production: the database password from a file, JSON log lines.
@Suite("wallet operator options, run as a process")
struct OperatorOptionsTests {
    static let migrations = PrivateMariaDBServer.repositoryRoot + "/migrations"
    static let openAPIFile = PrivateMariaDBServer.repositoryRoot + "/openapi.yaml"

    /// The URL of `database` with `password` in place of its own.
    private func url(_ database: MariaDBConfiguration, password: String) -> String {
        "mariadb://\(database.user):\(password)@\(database.host):\(database.port)/\(database.database)"
    }

    @Test func theDatabasePasswordComesFromAFileByFlagOrEnvironment() async throws {
        try await TestDatabase.withScratchDatabase { database in
            let file = NSTemporaryDirectory() + "db-password-\(UUID().uuidString)"
            try (database.password + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let withoutPassword = "mariadb://\(database.user)@\(database.host):\(database.port)/\(database.database)"
            let wrongPassword = url(database, password: "not-the-password")

            let byFlag = try await offload {
                try ChildProcess.run(
                    WalletExecutable.path,
                    ["migrate", "up", "--database-url", withoutPassword, "--database-password-file", file, "--migrations-dir", Self.migrations])
            }
            #expect(byFlag.status == 0, "\(byFlag.output)")

            let environment = ProcessInfo.processInfo.environment.merging(["WALLET_DATABASE_PASSWORD_FILE": file]) { $1 }
            let byEnvironment = try await offload {
                try ChildProcess.run(WalletExecutable.path, ["audit", "--database-url", wrongPassword], environment: environment)
            }
            #expect(byEnvironment.status == 0, "the file's password replaces the URL's: \(byEnvironment.output)")

            let missing = try await offload {
                try ChildProcess.run(
                    WalletExecutable.path, ["audit", "--database-url", withoutPassword, "--database-password-file", file + ".missing"])
            }
            #expect(missing.status == 2, "\(missing.output)")
            #expect(missing.output.contains("cannot read the database password file"), "\(missing.output)")
            #expect(!byEnvironment.output.contains(database.password + "@"), "the password is never printed")
        }
    }

    @Test func jsonLogsAreOneObjectPerLineWithTheRequestFields() async throws {
        try await TestDatabase.withScratchDatabase { database in
            let databaseURL = url(database, password: database.password)
            let migrate = try await offload {
                try ChildProcess.run(
                    WalletExecutable.path, ["migrate", "up", "--database-url", databaseURL, "--migrations-dir", Self.migrations])
            }
            try #require(migrate.status == 0, "\(migrate.output)")
            let port = WalletExecutable.freeLoopbackPort()
            let server = try BackgroundProcess(
                WalletExecutable.path,
                [
                    "serve", "--port", String(port), "--database-url", databaseURL, "--migrations-dir", Self.migrations,
                    "--openapi-file", Self.openAPIFile, "--log-format", "json",
                ]
            )
            let base = "http://127.0.0.1:\(port)"
            try #require(await HTTPProbe.waitFor(base + "/readyz", status: 200, timeoutSeconds: 20), "\(server.output)")
            _ = await HTTPProbe.send("GET", base + "/v1/wallets", headers: ["Request-Id": "json-log-probe"])
            server.signal(SIGTERM)
            #expect(try await offload { server.waitForExit(timeoutSeconds: 15) } == 0)

            let lines = server.output.split(separator: "\n")
            #expect(lines.count >= 3, "\(server.output)")
            var probe: [String: Any]?
            for line in lines {
                let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                #expect(object != nil, "not a JSON object: \(line)")
                #expect(object?["time"] is String && object?["level"] is String && object?["message"] is String, "\(line)")
                if object?["request_id"] as? String == "json-log-probe", object?["message"] as? String == "request" { probe = object }
            }
            #expect(probe?["route"] as? String == "/v1/wallets")
            #expect(probe?["status"] as? String == "401")
            #expect(probe?["method"] as? String == "GET")
            #expect(probe?["duration_ms"] != nil)
        }
    }
}
