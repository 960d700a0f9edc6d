import Foundation
import Logging
import MariaDB
import TestSupport
import Testing
import WalletMigrations

/// The repository's migrations on a MariaDB that writes a binary log (`binlog_format=ROW`, as a primary with replicas
/// or point-in-time recovery does), run by `wallet migrate` as an account without SUPER that holds only the ordinary
/// privileges on its database.
///
/// With `log_bin_trust_function_creators=OFF`, MariaDB refuses 0002's `CREATE TRIGGER` from that account (error 1419,
/// even with the TRIGGER privilege): `migrate up` must refuse before applying anything, naming the setting and the
/// ways out, and leave nothing dirty. With it ON, every migration applies, reverts and applies again, and the audit
/// passes; then `wallet serve` runs as the application account of `deploy/application-grants.sql` (ready, registers
/// and signs in), and that account cannot update or delete a ledger row.
@Suite("Migrations on a server with a binary log")
struct BinaryLogMigrationTests {
    /// The database that `deploy/application-grants.sql` names.
    static let database = "wallet"
    static let account = "migrator"
    /// The privileges a schema-owning account ordinarily gets on its database: no SUPER, no global privilege.
    static let privileges = "CREATE, ALTER, INDEX, TRIGGER, REFERENCES, SELECT, INSERT, UPDATE, DELETE, DROP"
    static let migrations = PrivateMariaDBServer.repositoryRoot + "/migrations"
    static let applicationGrants = PrivateMariaDBServer.repositoryRoot + "/deploy/application-grants.sql"
    static let applicationAccount = "wallet_app"
    static let openAPIFile = PrivateMariaDBServer.repositoryRoot + "/openapi.yaml"
    /// The limit on `wallet serve` becoming ready.
    static let serveStartTimeoutSeconds = 30.0

    /// The configuration of `user` (whose password is its name) on `server`.
    static func configuration(_ server: PrivateMariaDBServer, user: String = account) -> MariaDBConfiguration {
        MariaDBConfiguration(host: "127.0.0.1", port: server.port, user: user, password: user, database: database)
    }

    static func url(_ server: PrivateMariaDBServer, user: String = account) -> String {
        "mariadb://\(user):\(user)@127.0.0.1:\(server.port)/\(database)"
    }

    /// The environment of `wallet` runs: without the developer's `WALLET_*` variables.
    static var environment: [String: String] { ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("WALLET_") } }

    /// Runs `wallet <arguments>` against the database as `user`.
    private func wallet(_ arguments: [String], on server: PrivateMariaDBServer, as user: String = account) async throws -> ChildProcess.Outcome {
        let executable = WalletExecutable.path
        try #require(FileManager.default.isExecutableFile(atPath: executable), "no wallet executable at \(executable): run `swift build --build-tests` first")
        let environment = Self.environment
        let fullArguments = arguments + ["--database-url", Self.url(server, user: user)]
        let outcome = try await offload {
            try ChildProcess.run(executable, fullArguments, environment: environment)
        }
        #expect(!outcome.timedOut, "wallet \(arguments.joined(separator: " ")) timed out")
        return outcome
    }

    private func migrate(_ arguments: [String], on server: PrivateMariaDBServer) async throws -> ChildProcess.Outcome {
        try await wallet(["migrate"] + arguments + ["--migrations-dir", Self.migrations], on: server)
    }

    /// Runs `body` on one connection of `user`'s (the migrator's by default).
    private func asMigrator<T: Sendable>(
        _ server: PrivateMariaDBServer, user: String = account, _ body: @escaping @Sendable (MariaDBConnection) throws -> T
    ) async throws -> T {
        try await withPool(on: Self.configuration(server, user: user), logger: Logger(label: "binlog-test")) { pool in
            try await pool.withConnection(body)
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func withoutTrustTheMigrationsRefuseBeforeApplyingAnythingAndWithTrustTheyRunWithoutSuper() async throws {
        let untrusting = PrivateMariaDBServer(
            name: "binlog-migrations", port: WalletExecutable.freeLoopbackPort(), binaryLog: .on(trustFunctionCreators: false))
        let trusting = untrusting.with(binaryLog: .on(trustFunctionCreators: true))
        try? await untrusting.stop()  // a server left running by an earlier, interrupted run has the wrong port
        try await untrusting.start()
        do {
            try await untrusting.admin(
                """
                DROP DATABASE IF EXISTS \(Self.database);
                CREATE DATABASE \(Self.database) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
                DROP USER IF EXISTS '\(Self.account)'@'127.0.0.1';
                CREATE USER '\(Self.account)'@'127.0.0.1' IDENTIFIED BY '\(Self.account)';
                GRANT \(Self.privileges) ON \(Self.database).* TO '\(Self.account)'@'127.0.0.1';
                """
            )
            try await refusesBeforeApplyingAnything(untrusting)
            try await untrusting.stop()
            try await trusting.start()
            try await appliesRevertsAndAppliesAgain(trusting)
            try await theServiceRunsAsTheApplicationAccountAndCannotChangeTheLedger(trusting)
        } catch {
            try? await untrusting.stop()
            throw error
        }
        try await untrusting.stop()
    }

    /// (a) `log_bin_trust_function_creators=OFF`.
    private func refusesBeforeApplyingAnything(_ server: PrivateMariaDBServer) async throws {
        // What MariaDB itself does: the TRIGGER privilege is not enough while it writes a binary log.
        let serverVerdict = try await asMigrator(server) { connection -> (facts: BinaryLogPreflight.ServerFacts, error: MariaDBError?) in
            let facts = try BinaryLogPreflight.serverFacts(on: connection)
            try connection.query("CREATE TABLE trigger_probe (id INT PRIMARY KEY)")
            defer { _ = try? connection.query("DROP TABLE trigger_probe") }
            do {
                try connection.query("CREATE TRIGGER trigger_probe_no_update BEFORE UPDATE ON trigger_probe FOR EACH ROW SET @x = 1")
                return (facts, nil)
            } catch {
                return (facts, error as? MariaDBError)
            }
        }
        #expect(serverVerdict.facts.writesBinaryLog && !serverVerdict.facts.trustsFunctionCreators && !serverVerdict.facts.hasSuper)
        #expect(serverVerdict.error?.number == 1419, "CREATE TRIGGER as \(Self.account): \(serverVerdict.error.map { "\($0)" } ?? "accepted")")

        for arguments in [["up", "--dry-run"], ["up"]] {
            let refused = try await migrate(arguments, on: server)
            print("wallet migrate \(arguments.joined(separator: " ")) without log_bin_trust_function_creators: exit \(refused.status)\n\(refused.output)")
            #expect(refused.status == 1, "\(refused.output)")
            for phrase in ["0002_wallets_and_ledger.up.sql", "CREATE TRIGGER", "log_bin_trust_function_creators=1", "SUPER", "Nothing was applied"] {
                #expect(refused.output.contains(phrase), "no '\(phrase)' in: \(refused.output)")
            }
            #expect(!refused.output.contains("dirty."), "\(refused.output)")
        }
        // Nothing applied, nothing dirty: only the empty bookkeeping table.
        let left = try await asMigrator(server) { connection in
            (
                tables: try connection.query("SHOW TABLES").rows.map { try $0.decode(String.self, at: 0) },
                recorded: try connection.query("SELECT COUNT(*) FROM schema_migrations").rows[0].decode(Int64.self, at: 0)
            )
        }
        #expect(left.tables == ["schema_migrations"], "\(left.tables)")
        #expect(left.recorded == 0)
        let status = try await migrate(["verify"], on: server)
        #expect(status.status == 0, "\(status.output)")
    }

    /// (b) `log_bin_trust_function_creators=ON`, set in the server's configuration.
    private func appliesRevertsAndAppliesAgain(_ server: PrivateMariaDBServer) async throws {
        let facts = try await asMigrator(server) { try BinaryLogPreflight.serverFacts(on: $0) }
        #expect(facts.writesBinaryLog && facts.trustsFunctionCreators && !facts.hasSuper, "\(facts)")
        for arguments in [["up"], ["down", "--to", "0"], ["up"]] {
            let outcome = try await migrate(arguments, on: server)
            #expect(outcome.status == 0, "wallet migrate \(arguments.joined(separator: " ")): \(outcome.output)")
        }
        let verify = try await migrate(["verify"], on: server)
        #expect(verify.status == 0, "\(verify.output)")
        let triggers = try await asMigrator(server) { connection in
            try connection.query("SHOW TRIGGERS").rows.map { try $0.decode(String.self, at: 0) }.sorted()
        }
        #expect(triggers == ["entries_no_update", "transactions_no_update"])
        let audit = try await wallet(["audit"], on: server)
        #expect(audit.status == 0, "\(audit.output)")
        // The binary log really recorded the migrations.
        let logged = try await offload { () -> Bool in
            let files = try FileManager.default.contentsOfDirectory(atPath: server.directory + "/data")
            return files.contains { $0.hasPrefix("mariadb-bin.0") }
        }
        #expect(logged)
    }

    /// `deploy/application-grants.sql`: the service works with those privileges, and they refuse changes to the ledger.
    private func theServiceRunsAsTheApplicationAccountAndCannotChangeTheLedger(_ server: PrivateMariaDBServer) async throws {
        let grants = try String(contentsOfFile: Self.applicationGrants, encoding: .utf8)
        let app = Self.applicationAccount
        try await server.admin(
            "DROP USER IF EXISTS '\(app)'@'%'; CREATE USER '\(app)'@'%' IDENTIFIED BY '\(app)';\n" + grants
        )
        let port = WalletExecutable.freeLoopbackPort()
        let service = try BackgroundProcess(
            WalletExecutable.path,
            [
                "serve", "--port", String(port), "--database-url", Self.url(server, user: app), "--migrations-dir", Self.migrations,
                "--openapi-file", Self.openAPIFile,
            ],
            environment: Self.environment
        )
        defer {
            service.signal(SIGTERM)
            _ = service.waitForExit(timeoutSeconds: 15)
        }
        let base = "http://127.0.0.1:\(port)"
        try #require(await HTTPProbe.waitFor(base + "/readyz", status: 200, timeoutSeconds: Self.serveStartTimeoutSeconds), "\(service.output)")

        let credentials = #"{"email":"grants@example.com","password":"correct horse battery"}"#
        let json = ["Content-Type": "application/json"]
        let registered = await HTTPProbe.send("POST", base + "/v1/users", body: Data(credentials.utf8), headers: json)
        #expect(registered?.status == 201, "\(service.output)")
        let session = await HTTPProbe.send("POST", base + "/v1/sessions", body: Data(credentials.utf8), headers: json)
        #expect(session?.status == 201, "\(service.output)")

        // Every kind of money movement runs with the application account's grants: open, deposit, hold, capture, void.
        let token = try #require(try session.flatMap { try JSONSerialization.jsonObject(with: $0.body) as? [String: Any] }?["token"] as? String)
        func post(_ path: String, _ body: String, key: String? = nil) async throws -> [String: Any] {
            var headers = json.merging(["Authorization": "Bearer \(token)"]) { $1 }
            if let key { headers["Idempotency-Key"] = key }
            let response = try #require(await HTTPProbe.send("POST", base + path, body: Data(body.utf8), headers: headers))
            #expect((200...201).contains(response.status), "\(path): \(String(decoding: response.body, as: UTF8.self))")
            return try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        }
        let walletID = try #require(try await post("/v1/wallets", #"{"currency":"EUR"}"#)["id"] as? String)
        _ = try await post("/v1/wallets/\(walletID)/deposits", #"{"amount":500}"#, key: "deposit")
        let captured = try #require(try await post("/v1/wallets/\(walletID)/holds", #"{"amount":200}"#, key: "hold")["id"] as? String)
        _ = try await post("/v1/holds/\(captured)/capture", #"{"amount":150}"#, key: "capture")
        let voided = try #require(try await post("/v1/wallets/\(walletID)/holds", #"{"amount":100}"#, key: "hold-2")["id"] as? String)
        _ = try await post("/v1/holds/\(voided)/void", "{}", key: "void")
        _ = try await post("/v1/wallets/\(walletID)/withdrawals", #"{"amount":50}"#, key: "withdrawal")

        // The ledger cannot be changed through the application account: MariaDB refuses (1142) before any trigger runs.
        let refusals = try await asMigrator(server, user: app) { connection -> [UInt32] in
            ["UPDATE entries SET amount = amount", "DELETE FROM entries", "UPDATE transactions SET amount = amount", "DELETE FROM transactions"]
                .map { (statement: String) -> UInt32 in
                    do {
                        try connection.query(statement)
                        return 0
                    } catch {
                        return (error as? MariaDBError)?.number ?? 0
                    }
                }
        }
        #expect(refusals == [1142, 1142, 1142, 1142], "\(refusals)")
        let audit = try await wallet(["audit"], on: server, as: app)
        #expect(audit.status == 0, "\(audit.output)")
        print("wallet serve as \(app) (deploy/application-grants.sql): ready, registered, signed in, deposited, held, captured, voided, withdrew; UPDATE/DELETE of ledger rows refused with \(refusals)")
    }
}
