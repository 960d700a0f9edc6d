import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MariaDB
import Prometheus
import Testing
import TestSupport
import WalletCore
import WalletHTTP
import WalletMigrations

#if canImport(Glibc)
import Glibc
#endif

/// `/readyz` answers within its bound whatever the database does: accepts connections and never answers (a bare
/// listener, a MariaDB frozen with `SIGSTOP`), hangs in the middle of a query, or has every pool connection busy.
/// Times are printed; the assertions allow slack for a loaded machine: they tell a bounded answer from one held by a silent
/// database, not a fast answer from a slow one.
@Suite("Readiness within its bound")
struct ReadinessBoundTests {
    static let logger = Logger(label: "readiness-test")
    /// The bound the answers are held to: the check's timeout plus slack for a loaded machine (beside CI's parallel
    /// tests a 2 s check has answered in 3.9 s).
    static let answerLimit = ReadinessCheck.defaultTimeout + .seconds(4)
    /// Concurrent probes sent at once in the pile-up test.
    static let concurrentProbes = 32

    /// The router on a pool of `poolSize` connections to `database`, with `schemaCheck`, for `body`.
    private func withApplication(
        database: MariaDBConfiguration,
        poolSize: Int = 2,
        schemaCheck: @escaping ReadinessCheck.SchemaCheck = { _ in nil },
        _ body: @Sendable (any TestClientProtocol, MariaDBConnectionPool) async throws -> Void
    ) async throws {
        try await withPool(on: database, configuration: .init(size: poolSize, acquireTimeout: .seconds(5)), logger: Self.logger) { pool in
            let router = try await buildRouter(
                RouterDependencies(
                    wallet: WalletService(pool: pool, eventData: APIEventData(), logger: Self.logger),
                    readiness: ReadinessCheck(pool: pool, schemaCheck: schemaCheck),
                    metrics: PrometheusCollectorRegistry(),
                    openAPI: OpenAPIDocument(text: "openapi: 3.1.0\npaths: {}\n"),
                    hasher: PasswordHasher(cost: PasswordHasher.costRange.lowerBound)
                )
            )
            try await Application(router: router, logger: Self.logger).test(.router) { client in
                try await body(client, pool)
            }
        }
    }

    /// One `GET /readyz`: its status, its problem's detail (for a 503) and how long it took.
    private func probe(_ client: any TestClientProtocol) async throws -> (status: HTTPResponse.Status, detail: String, duration: Duration) {
        let started = ContinuousClock.now
        return try await client.execute(uri: "/readyz", method: .get) { response in
            let elapsed = ContinuousClock.now - started
            var detail = ""
            if response.status == .serviceUnavailable {
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try JSONDecoder().decode(ProblemDocument.self, from: Data(response.body.readableBytesView))
                #expect(problem.code == "unavailable")
                detail = problem.detail
            }
            return (response.status, detail, elapsed)
        }
    }

    @Test func aDatabaseThatAcceptsAndNeverAnswersGets503WithinTheBoundAndProbesDoNotPileUp() async throws {
        let listener = try SilentTCPListener()
        defer { listener.stop() }
        var database = try TestDatabase.configuration()
        database.port = listener.port
        try await withApplication(database: database) { client, _ in
            let one = try await probe(client)
            print("readyz against a silent listener: \(one.status.code) in \(one.duration): \(one.detail)")
            #expect(one.status == .serviceUnavailable)
            #expect(one.duration < Self.answerLimit)

            let before = listener.acceptedConnections
            let started = ContinuousClock.now
            let answers = try await withThrowingTaskGroup(of: (status: HTTPResponse.Status, detail: String, duration: Duration).self) { group in
                for _ in 0..<Self.concurrentProbes { group.addTask { try await probe(client) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let wall = ContinuousClock.now - started
            let connections = listener.acceptedConnections - before
            let slowest = answers.map(\.duration).max() ?? .zero
            print("\(Self.concurrentProbes) concurrent readyz: all answered in \(wall) (slowest \(slowest)), \(connections) database connection(s) opened")
            #expect(answers.allSatisfy { $0.status == .serviceUnavailable })
            #expect(slowest < Self.answerLimit)
            // One probe in flight at a time, shared by every caller (a second may start as the first one ends).
            #expect(connections <= 2, "\(connections) connections for \(Self.concurrentProbes) concurrent probes")
        }
    }

    @Test func aQueryThatHangsGets503WithinTheBoundAndLeavesNoDatabaseThreadBehind() async throws {
        try await TestDatabase.withScratchDatabase { database in
            let table = "readiness_hang_\(UInt32.random(in: 0...UInt32.max))"
            // One connection of its own holds the table's lock, so the probe's query waits on the server.
            try await withPool(on: database, configuration: .init(size: 1), logger: Self.logger) { locker in
                try await locker.withConnection { try $0.query("CREATE TABLE \(table) (id INT PRIMARY KEY)") }
                try await withApplication(database: database, schemaCheck: { connection in
                    _ = try connection.query("SELECT COUNT(*) FROM \(table)")
                    return nil
                }) { client, pool in
                    try await locker.withConnection { try $0.query("LOCK TABLES \(table) WRITE") }
                    let answer = try await probe(client)
                    print("readyz while its query waits on a lock: \(answer.status.code) in \(answer.duration): \(answer.detail)")
                    #expect(answer.status == .serviceUnavailable)
                    #expect(answer.duration < Self.answerLimit)
                    // The server gave the probe's statement up too: no thread still waits for the lock on its behalf.
                    try await Task.sleep(for: .seconds(1))
                    let waiting = try await pool.withConnection { connection in
                        try connection.query(
                            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO = 'SELECT COUNT(*) FROM \(table)'"
                        ).rows[0].decode(Int64.self, at: 0)
                    }
                    print("database threads still running the probe's query 1 s later: \(waiting)")
                    #expect(waiting == 0, "\(waiting) database thread(s) still run the probe's query")
                    try await locker.withConnection { try $0.query("UNLOCK TABLES") }
                }
            }
        }
    }

    @Test func everyPoolConnectionBusyDoesNotDelayReadiness() async throws {
        try await withApplication(database: try TestDatabase.configuration(), poolSize: 2) { client, pool in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<2 {
                    group.addTask { try await pool.withConnection { _ = try $0.query("SELECT SLEEP(4)") } }
                }
                try await Task.sleep(for: .milliseconds(300))
                #expect(pool.statistics.idle == 0)
                let answer = try await probe(client)
                print("readyz with every pool connection busy: \(answer.status.code) in \(answer.duration)")
                #expect(answer.status == .ok, "\(answer.detail)")
                #expect(answer.duration < Self.answerLimit)
                try await group.waitForAll()
            }
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func aFrozenMariaDBGets503WithinTheBoundAndReadinessRecoversWhenItThaws() async throws {
        let server = PrivateMariaDBServer(name: "readiness-freeze", port: WalletExecutable.freeLoopbackPort())
        try await server.start()
        do {
            let directory = try MigrationDirectory.load(PrivateMariaDBServer.repositoryRoot + "/migrations")
            try await withPool(on: server.configuration, logger: Self.logger) { pool in
                _ = try await MigrationRunner(pool: pool, directory: directory).up()
            }
            try await withApplication(database: server.configuration, schemaCheck: { connection in
                try MigrationRunner.readinessProblem(on: connection, directory: directory)
            }) { client, _ in
                let ready = try await probe(client)
                #expect(ready.status == .ok, "\(ready.detail)")

                try server.signal(SIGSTOP)
                do {
                    for attempt in 1...3 {
                        let frozen = try await probe(client)
                        print("readyz \(attempt) against a SIGSTOPped MariaDB: \(frozen.status.code) in \(frozen.duration): \(frozen.detail)")
                        #expect(frozen.status == .serviceUnavailable)
                        #expect(frozen.duration < Self.answerLimit)
                    }
                } catch {
                    try server.signal(SIGCONT)
                    throw error
                }
                try server.signal(SIGCONT)
                let thawed = ContinuousClock.now
                var recovered: Duration?
                for _ in 0..<50 {
                    if try await probe(client).status == .ok {
                        recovered = ContinuousClock.now - thawed
                        break
                    }
                    try await Task.sleep(for: .milliseconds(100))
                }
                print("readyz 200 again \(recovered.map { "\($0)" } ?? "never") after SIGCONT")
                #expect(recovered != nil, "/readyz did not recover after SIGCONT")
            }
        } catch {
            try? server.signal(SIGCONT)
            try? await server.stop()
            throw error
        }
        try await server.stop()
    }
}
