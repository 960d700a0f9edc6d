import Foundation
import Logging
import MariaDB
import TestSupport
import Testing

/// The world of one fault scenario: a MariaDB server of the fault tests' own (so that it may be killed), a fresh
/// database on it, `wallet serve` as a separate process, and `wallet-loadtest` driving concurrent keyed movements
/// against the service while the scenario injects its faults.
///
/// `wallet-loadtest` behaves as a good client: it resends every request without a definite answer with the same
/// `Idempotency-Key`, resolves every uncertain key after the load, then reads every wallet back and checks that each
/// acknowledged movement is in the ledger exactly once, nothing else is, balances equal their entries, no balance is
/// negative and the total is what the acknowledged movements make it. The load places, captures and voids holds
/// too (``mix``), so it also checks that every acknowledged hold reads back in the state its answers imply (at most
/// one capture or void per hold), that every wallet's `held` is the sum of its active holds and that `available`
/// is `balance − held`, never negative.
final class FaultRig: @unchecked Sendable {
    /// `innodb_lock_wait_timeout` of the fault server: short, so that lock-wait storms end quickly.
    static let lockWaitTimeoutSeconds = 3
    /// Limits on the processes of a scenario.
    static let serviceStartTimeoutSeconds = 20.0
    static let serviceStopTimeoutSeconds = 30.0
    static let loadTestTimeoutSeconds = 300.0
    /// How long the feed may take to give every event its position after the load: a sequencer killed with the
    /// service holds its lease for ``EventSequencer/leaseDuration``, then the restarted service takes over.
    static let feedCatchUpSeconds = 10.0 + 10.0
    /// How long to wait for the load to be under way before injecting a fault.
    static let loadStartTimeoutSeconds = 60.0
    /// Movements past the wallets' funding that count as "the load is under way".
    static let movementsBeforeFault = 100
    /// The load: users, wallets, closed-loop clients, seconds, duplicates, client retries per request.
    static let users = 4
    static let wallets = 40
    static let defaultConcurrency = 16
    static let loadSeconds = 10
    static let duplicateRate = 0.1
    static let clientRetries = 20
    /// The load's mix unless a scenario gives its own: every movement, holds included, so that every fault also
    /// meets holds being placed, captured (in part, whole, to a wallet, out of the ledger), voided and expiring.
    static let mix = "deposit=15,withdrawal=10,transfer=40,hold=15,capture=12,void=8"
    /// Share of holds placed with a short expiry (seconds), so that holds expire during the load.
    static let holdExpiryShare = 0.2
    static let holdExpirySeconds = 2

    static let migrationsFolder = PrivateMariaDBServer.repositoryRoot + "/migrations"
    static let openAPIFile = PrivateMariaDBServer.repositoryRoot + "/openapi.yaml"
    static let databaseName = "wallet_faults"

    /// The fault tests' server; its port is chosen once per test process.
    static let server = PrivateMariaDBServer(
        name: "faults", port: WalletExecutable.freeLoopbackPort(), lockWaitTimeoutSeconds: lockWaitTimeoutSeconds)

    let name: String
    let port: Int
    let database: MariaDBConfiguration
    /// Flags added to every `wallet serve` of the scenario.
    let serviceArguments: [String]
    /// Faults injected so far (kills, killed connections, lock holds, signals).
    private(set) var faults = 0
    /// Whether the service was started again during the load (its counters then start from zero).
    private(set) var serviceRestarted = false
    private var service: BackgroundProcess?
    private var serviceOutput = ""

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var databaseURL: String {
        "mariadb://\(database.user):\(database.password)@\(database.host):\(database.port)/\(database.database)"
    }
    var server: PrivateMariaDBServer { Self.server }

    private init(name: String, serviceArguments: [String]) {
        self.name = name
        self.serviceArguments = serviceArguments
        self.port = WalletExecutable.freeLoopbackPort()
        var database = Self.server.configuration
        database.database = Self.databaseName
        self.database = database
    }

    /// Runs scenario `name`: a fresh database and service (`serviceArguments` added), `prepare` on it, the load
    /// (`concurrency` clients, `loadArguments` added), `inject` once the load is under way; then waits for the load
    /// test's verification and runs `wallet audit`. Prints the counts.
    static func run(
        _ name: String,
        concurrency: Int = defaultConcurrency,
        loadArguments: [String] = [],
        serviceArguments: [String] = [],
        prepare: @escaping @Sendable (FaultRig) async throws -> Void = { _ in },
        inject: @escaping @Sendable (FaultRig) async throws -> Void
    ) async throws -> FaultReport {
        let rig = FaultRig(name: name, serviceArguments: serviceArguments)
        try? await server.stop()
        try await server.start()
        do {
            let report = try await rig.runScenario(concurrency: concurrency, loadArguments: loadArguments, prepare: prepare, inject: inject)
            try await rig.endService()
            try await server.stop()
            return report
        } catch {
            try? await rig.endService()
            try? await server.stop()
            throw error
        }
    }

    private func runScenario(
        concurrency: Int, loadArguments: [String], prepare: @escaping @Sendable (FaultRig) async throws -> Void,
        inject: @escaping @Sendable (FaultRig) async throws -> Void
    ) async throws -> FaultReport {
        try await withPool(database: "wallet") { pool in
            try await pool.withConnection { connection in
                try connection.query("DROP DATABASE IF EXISTS `\(Self.databaseName)`")
                try connection.query("CREATE DATABASE `\(Self.databaseName)` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
            }
        }
        let databaseURL = databaseURL
        let migrate = try await offload {
            try ChildProcess.run(
                WalletExecutable.path, ["migrate", "up", "--database-url", databaseURL, "--migrations-dir", Self.migrationsFolder])
        }
        try #require(migrate.status == 0, "\(migrate.output)")
        try await startService()
        try await prepare(self)

        let jsonPath = NSTemporaryDirectory() + "fault-\(name)-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: jsonPath) }
        let load = try BackgroundProcess(
            WalletExecutable.loadTestPath,
            [
                "--url", baseURL, "--database-url", databaseURL, "--users", String(Self.users), "--wallets", String(Self.wallets),
                "--concurrency", String(concurrency), "--duration", String(Self.loadSeconds),
                "--duplicate-rate", String(Self.duplicateRate), "--max-retries", String(Self.clientRetries), "--json", jsonPath,
                "--hold-expiry-share", String(Self.holdExpiryShare), "--hold-expiry-seconds", String(Self.holdExpirySeconds),
            ] + (loadArguments.contains("--mix") ? [] : ["--mix", Self.mix]) + loadArguments
        )
        try await waitForLoad(load)
        try await inject(self)

        let loadStatus = try await offload { load.waitForExit(timeoutSeconds: Self.loadTestTimeoutSeconds) }
        let loadOutput = load.output
        print("--- wallet-loadtest, fault scenario '\(name)' ---\n\(loadOutput)")
        try #require(loadStatus == 0, "wallet-loadtest exited \(String(describing: loadStatus)):\n\(loadOutput)\n--- service ---\n\(serviceLog)")
        #expect(loadOutput.contains("verification passed"), "\(loadOutput)")

        let unsequenced = try await waitForTheFeedToCatchUp()
        #expect(unsequenced == 0, "\(unsequenced) committed events still have no feed position after \(Self.feedCatchUpSeconds) s")
        // The audit checks the events too: every change has its events (none lost), each names a change that exists
        // (none invented), and the feed has no gap.
        let audit = try await offload {
            try ChildProcess.run(WalletExecutable.path, ["audit", "--database-url", databaseURL])
        }
        #expect(audit.status == 0, "wallet audit: \(audit.output)")

        let report = try FaultReport(
            scenario: name, jsonReport: Data(contentsOf: URL(fileURLWithPath: jsonPath)), faults: faults, serviceRestarted: serviceRestarted)
        print(report.summary)
        #expect(report.acknowledgedByKind["hold"] ?? 0 > 0, "no hold was placed: \(report.summary)")
        #expect((report.acknowledgedByKind["capture"] ?? 0) + (report.acknowledgedByKind["void"] ?? 0) > 0, "no hold was resolved: \(report.summary)")
        #expect(report.holdsReadBack > 0, "no hold was read back: \(report.summary)")
        return report
    }

    // MARK: The service

    /// Starts `wallet serve` on the rig's port and waits for `/readyz` 200.
    func startService() async throws {
        if let service {
            serviceOutput += service.output
            serviceRestarted = true
        }
        service = try BackgroundProcess(
            WalletExecutable.path,
            [
                "serve", "--port", String(port), "--database-url", databaseURL, "--migrations-dir", Self.migrationsFolder,
                "--openapi-file", Self.openAPIFile, "--log-level", "warning", "--movement-rate-limit", "0",
            ] + serviceArguments
        )
        let ready = await HTTPProbe.waitFor(baseURL + "/readyz", status: 200, timeoutSeconds: Self.serviceStartTimeoutSeconds)
        try #require(ready, "wallet serve did not become ready:\n\(serviceLog)")
    }

    /// Sends `signal` to the service and waits for it to exit; returns its exit status.
    func stopService(signal: Int32) async throws -> Int32? {
        guard let service else { return nil }
        faults += 1
        service.signal(signal)
        return try await offload { service.waitForExit(timeoutSeconds: Self.serviceStopTimeoutSeconds) }
    }

    /// Everything the service processes of this scenario wrote.
    var serviceLog: String { serviceOutput + (service?.output ?? "") }

    private func endService() async throws {
        guard let service else { return }
        service.signal(SIGTERM)
        _ = try await offload { service.waitForExit(timeoutSeconds: Self.serviceStopTimeoutSeconds) }
    }

    // MARK: The database

    /// `kill -9` of mariadbd.
    func killDatabase() async throws {
        faults += 1
        try await server.kill()
    }

    /// Kills every connection of the service (`KILL CONNECTION` of the `wallet` user's other sessions on the
    /// scenario's database); returns how many.
    func killServiceConnections() async throws -> Int {
        let killed = try await withPool(database: Self.databaseName) { pool in
            try await pool.withConnection { connection -> Int in
                let ids = try connection.query(
                    "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'wallet' AND DB = '\(Self.databaseName)' AND ID <> CONNECTION_ID()"
                ).rows.map { try $0.decode(Int64.self, at: 0) }
                var killed = 0
                for id in ids {
                    do {
                        try connection.query("KILL CONNECTION \(id)")
                        killed += 1
                    } catch {
                        // The session ended by itself in between.
                    }
                }
                return killed
            }
        }
        faults += killed
        return killed
    }

    /// Holds a lock on every wallet row for `seconds` (past `innodb_lock_wait_timeout`) in one transaction, then
    /// rolls back. Returns the wallets locked.
    func holdWalletLocks(seconds: Double) async throws -> Int {
        faults += 1
        return try await withPool(database: Self.databaseName) { pool in
            try await pool.withConnection { connection -> Int in
                try connection.query("START TRANSACTION")
                let locked = try connection.query("SELECT id FROM wallets FOR UPDATE").rows.count
                Thread.sleep(forTimeInterval: seconds)
                try connection.query("ROLLBACK")
                return locked
            }
        }
    }

    /// Runs `body` with a one-connection pool on `database` of the fault server, closed after.
    /// Waits until every committed event has its feed position (the running service's sequencer gives them);
    /// returns how many still had none when it stopped waiting.
    private func waitForTheFeedToCatchUp() async throws -> Int {
        let deadline = Date().addingTimeInterval(Self.feedCatchUpSeconds)
        return try await withPool(database: Self.databaseName) { pool in
            var waiting = 0
            // Bounded by the deadline (five looks a second).
            for _ in 0...Int(Self.feedCatchUpSeconds * 5) {
                waiting = try await pool.withConnection { connection in
                    try connection.query("SELECT COUNT(*) AS n FROM events WHERE position IS NULL").first!.decode(Int.self, "n")
                }
                if waiting == 0 || Date() > deadline { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            return waiting
        }
    }

    private func withPool<T: Sendable>(database name: String, _ body: (MariaDBConnectionPool) async throws -> T) async throws -> T {
        var configuration = Self.server.configuration
        configuration.database = name
        return try await TestSupport.withPool(on: configuration, logger: Logger(label: "fault-rig"), body)
    }

    // MARK: The load

    /// Waits until the load test has funded its wallets and sent ``movementsBeforeFault`` more movements.
    private func waitForLoad(_ load: BackgroundProcess) async throws {
        let deadline = Date().addingTimeInterval(Self.loadStartTimeoutSeconds)
        while Date() < deadline {
            if let metrics = await HTTPProbe.send("GET", baseURL + "/metrics"), metrics.status == 200,
                Self.movements(inMetrics: String(decoding: metrics.body, as: UTF8.self)) >= Self.wallets + Self.movementsBeforeFault
            {
                return
            }
            if let status = load.waitForExit(timeoutSeconds: 0) {
                Issue.record("wallet-loadtest exited \(status) before the fault:\n\(load.output)")
                throw FaultRigError.loadEndedEarly
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the load did not start within \(Self.loadStartTimeoutSeconds) s:\n\(load.output)")
        throw FaultRigError.loadEndedEarly
    }

    /// The sum of `wallet_movements_total` in Prometheus text.
    static func movements(inMetrics text: String) -> Int {
        text.split(separator: "\n")
            .filter { $0.hasPrefix("wallet_movements_total") }
            .compactMap { line in line.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0) { $0 + Int($1) }
    }
}

enum FaultRigError: Error {
    case loadEndedEarly
}
