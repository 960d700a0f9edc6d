import Foundation
import MariaDB
import Testing
import TestSupport

/// `wallet serve` as a real process: readiness follows the schema, SIGTERM shuts it down cleanly, and bad
/// configuration ends it with a clear message and the documented status.
@Suite("wallet serve, run as a process")
struct ServeCommandTests {
    static let startTimeoutSeconds = 20.0
    static let openAPIFile = PrivateMariaDBServer.repositoryRoot + "/openapi.yaml"

    /// A migrations folder with one migration.
    private func migrationsFolder() throws -> String {
        let folder = NSTemporaryDirectory() + "serve-migrations-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "CREATE TABLE notes (id BIGINT PRIMARY KEY) ENGINE=InnoDB;\n".write(toFile: folder + "/0001_notes.up.sql", atomically: true, encoding: .utf8)
        try "DROP TABLE notes;\n".write(toFile: folder + "/0001_notes.down.sql", atomically: true, encoding: .utf8)
        return folder
    }

    private func url(_ configuration: MariaDBConfiguration) -> String {
        "mariadb://\(configuration.user):\(configuration.password)@\(configuration.host):\(configuration.port)/\(configuration.database)"
    }

    @Test func isReadyOnlyOnceMigratedAndStopsCleanlyOnSIGTERM() async throws {
        try await TestDatabase.withScratchDatabase { database in
            let folder = try migrationsFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let port = WalletExecutable.freeLoopbackPort()
            let server = try BackgroundProcess(
                WalletExecutable.path,
                ["serve", "--port", String(port), "--database-url", url(database), "--migrations-dir", folder, "--openapi-file", Self.openAPIFile]
            )
            let base = "http://127.0.0.1:\(port)"
            #expect(await HTTPProbe.waitFor(base + "/livez", status: 200, timeoutSeconds: Self.startTimeoutSeconds), "\(server.output)")
            let pending = await HTTPProbe.send("GET", base + "/readyz")
            #expect(pending?.status == 503)
            #expect(pending?.headers["content-type"] == "application/problem+json")
            let pendingBody = String(decoding: pending?.body ?? Data(), as: UTF8.self)
            #expect(pendingBody.contains("0001"), "\(pendingBody)")

            let migrate = try await offload {
                try ChildProcess.run(WalletExecutable.path, ["migrate", "up", "--database-url", url(database), "--migrations-dir", folder])
            }
            #expect(migrate.status == 0, "\(migrate.output)")
            #expect(await HTTPProbe.waitFor(base + "/readyz", status: 200, timeoutSeconds: 5))

            server.signal(SIGTERM)
            let status = try await offload { server.waitForExit(timeoutSeconds: 15) }
            #expect(status == 0, "\(server.output)")
        }
    }

    @Test func aPortInUseIsAClearFailure() async throws {
        try await TestDatabase.withScratchDatabase { database in
            let folder = try migrationsFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let port = WalletExecutable.freeLoopbackPort()
            let arguments = ["serve", "--port", String(port), "--database-url", url(database), "--migrations-dir", folder, "--openapi-file", Self.openAPIFile]
            let first = try BackgroundProcess(WalletExecutable.path, arguments)
            #expect(await HTTPProbe.waitFor("http://127.0.0.1:\(port)/livez", status: 200, timeoutSeconds: Self.startTimeoutSeconds))
            let second = try await offload { try ChildProcess.run(WalletExecutable.path, arguments) }
            #expect(second.status == 1)
            #expect(second.output.contains("cannot listen on 127.0.0.1:\(port)"), "\(second.output)")
            #expect(!second.output.contains("Fatal error"))
            first.signal(SIGTERM)
            _ = try await offload { first.waitForExit(timeoutSeconds: 15) }
        }
    }

    @Test func anUnreachableDatabaseAndABadURLAreClearFailures() async throws {
        let folder = try migrationsFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let unreachable = try await offload {
            try ChildProcess.run(
                WalletExecutable.path,
                ["serve", "--port", "1", "--database-url", "mariadb://wallet:wallet@127.0.0.1:1/wallet", "--migrations-dir", folder, "--openapi-file", Self.openAPIFile]
            )
        }
        #expect(unreachable.status == 1)
        #expect(unreachable.output.contains("cannot reach MariaDB"), "\(unreachable.output)")
        #expect(!unreachable.output.contains("wallet:wallet"), "the password is never printed")

        let badURL = try await offload {
            try ChildProcess.run(WalletExecutable.path, ["serve", "--database-url", "postgres://x@y/z", "--migrations-dir", folder, "--openapi-file", Self.openAPIFile])
        }
        #expect(badURL.status == 2)
        #expect(badURL.output.contains("invalid database URL"), "\(badURL.output)")

        let badPort = try await offload {
            try ChildProcess.run(WalletExecutable.path, ["serve", "--port", "70000", "--database-url", "mariadb://u:p@h/d"])
        }
        #expect(badPort.status == 2)
        #expect(badPort.output.contains("the port must be 1 to 65535, not 70000"), "\(badPort.output)")

        // Every limit is checked, from a flag or from the environment.
        let badLimit = try await offload {
            try ChildProcess.run(
                WalletExecutable.path, ["serve", "--movement-rate-limit=-1", "--database-url", "mariadb://u:p@h/d"])
        }
        #expect(badLimit.status == 2)
        #expect(badLimit.output.contains("the movement rate limit (0 is off) must be 0 to"), "\(badLimit.output)")
        let badRegistrationLimit = try await offload {
            try ChildProcess.run(
                WalletExecutable.path, ["serve", "--registration-rate-limit=-1", "--database-url", "mariadb://u:p@h/d"])
        }
        #expect(badRegistrationLimit.status == 2)
        #expect(
            badRegistrationLimit.output.contains("the registration rate limit (0 is off) must be 0 to"), "\(badRegistrationLimit.output)")
        let environment = ProcessInfo.processInfo.environment.merging(["WALLET_MAX_REQUESTS_IN_FLIGHT": "0"]) { $1 }
        let badEnvironment = try await offload {
            try ChildProcess.run(
                WalletExecutable.path, ["serve", "--database-url", "mariadb://u:p@h/d", "--migrations-dir", folder, "--openapi-file", Self.openAPIFile],
                environment: environment)
        }
        #expect(badEnvironment.status == 2)
        #expect(badEnvironment.output.contains("the in-flight limit must be 1 to 65536, not 0"), "\(badEnvironment.output)")
        let shortDeadline = ProcessInfo.processInfo.environment.merging(["WALLET_MOVEMENT_DEADLINE_MS": "50"]) { $1 }
        let badDeadline = try await offload {
            try ChildProcess.run(
                WalletExecutable.path, ["serve", "--database-url", "mariadb://u:p@h/d", "--migrations-dir", folder, "--openapi-file", Self.openAPIFile],
                environment: shortDeadline)
        }
        #expect(badDeadline.status == 2)
        #expect(badDeadline.output.contains("the movement deadline must be 100 to 60000 milliseconds, not 50"), "\(badDeadline.output)")

        // A local copy of the reference page's files that is not there is refused before anything starts.
        let missingAssets = try await offload {
            try ChildProcess.run(
                WalletExecutable.path,
                ["serve", "--database-url", "mariadb://u:p@h/d", "--migrations-dir", folder, "--openapi-file", Self.openAPIFile,
                 "--docs-assets-dir", folder + "/no-such-folder"])
        }
        #expect(missingAssets.status == 2)
        #expect(missingAssets.output.contains("no Swagger UI folder at \(folder)/no-such-folder"), "\(missingAssets.output)")
        let emptyAssets = try await offload {
            try ChildProcess.run(
                WalletExecutable.path, ["serve", "--database-url", "mariadb://u:p@h/d", "--migrations-dir", folder, "--openapi-file", Self.openAPIFile],
                environment: ProcessInfo.processInfo.environment.merging(["WALLET_DOCS_ASSETS_DIR": folder]) { $1 })
        }
        #expect(emptyAssets.status == 2)
        #expect(emptyAssets.output.contains("no swagger-ui-bundle.js in \(folder)"), "\(emptyAssets.output)")
    }
}
