import Dispatch
import Foundation
import Logging
import MariaDB
import Testing
import TestSupport

@Suite("The connection pool against a real MariaDB")
struct PoolTests {
    static let logger = Logger(label: "pool-test")

    private func withPool<T>(
        _ configuration: MariaDBConfiguration,
        _ poolConfiguration: MariaDBConnectionPool.Configuration,
        _ body: (MariaDBConnectionPool) async throws -> T
    ) async throws -> T {
        try await TestSupport.withPool(on: configuration, configuration: poolConfiguration, logger: Self.logger, body)
    }

    @Test func runsBlockingCallsOnItsOwnThreads() async throws {
        try await withPool(try TestDatabase.configuration(), .init(size: 2)) { pool in
            let threadName = try await pool.withConnection { _ in Thread.current.name ?? "" }
            // NIOThreadPool names its threads "TP-#n"; the Swift concurrency pool's threads have other names.
            #expect(threadName.hasPrefix("TP-"))
        }
    }

    @Test func neverOpensMoreConnectionsThanItsSize() async throws {
        try await TestDatabase.withScratchDatabase { configuration in
            try await withPool(configuration, .init(size: 3, acquireTimeout: .seconds(30))) { pool in
                let connectionIDs = try await withThrowingTaskGroup(of: UInt64.self) { group in
                    for _ in 0..<40 {
                        group.addTask {
                            try await pool.withConnection { connection in
                                _ = try connection.execute("SELECT SLEEP(0.01)")
                                return connection.serverConnectionID
                            }
                        }
                    }
                    var ids = Set<UInt64>()
                    for try await id in group {
                        #expect(pool.statistics.open <= 3)
                        ids.insert(id)
                    }
                    return ids
                }
                #expect(connectionIDs.count <= 3)
                #expect(pool.statistics.open <= 3)
                #expect(pool.statistics.inUse == 0)
            }
        }
    }

    @Test func timesOutWhenNoConnectionIsFree() async throws {
        try await withPool(try TestDatabase.configuration(), .init(size: 1, acquireTimeout: .milliseconds(200))) { pool in
            let holding = DispatchSemaphore(value: 0)
            let release = DispatchSemaphore(value: 0)
            async let held: Void = pool.withConnection { _ in
                holding.signal()
                release.wait()
            }
            try await offload { holding.wait() }
            let start = ContinuousClock.now
            let error = await #expect(throws: MariaDBError.self) { try await pool.withConnection { _ in } }
            #expect(error?.kind == .acquireTimeout)
            #expect(ContinuousClock.now - start < .seconds(5))
            #expect(pool.statistics.acquireTimeouts == 1)
            release.signal()
            try await held
            // Free again: the next caller is served.
            try await pool.withConnection { _ in }
        }
    }

    @Test func classifiesARealDeadlock() async throws {
        try await TestDatabase.withScratchDatabase { configuration in
            try await withPool(configuration, .init(size: 2)) { pool in
                try await pool.withConnection { connection in
                    try connection.query("CREATE TABLE accounts (id BIGINT PRIMARY KEY, n BIGINT NOT NULL) ENGINE=InnoDB")
                    try connection.execute("INSERT INTO accounts (id, n) VALUES (1, 0), (2, 0)")
                }
                let firstLocked = DispatchSemaphore(value: 0)
                let secondLocked = DispatchSemaphore(value: 0)
                @Sendable func crossing(_ mine: Int64, _ theirs: Int64, signal: DispatchSemaphore, await other: DispatchSemaphore) async -> MariaDBError? {
                    do {
                        try await pool.withTransaction(.repeatableRead) { connection in
                            try connection.execute("UPDATE accounts SET n = n + 1 WHERE id = ?", [.int(mine)])
                            signal.signal()
                            other.wait()
                            try connection.execute("UPDATE accounts SET n = n + 1 WHERE id = ?", [.int(theirs)])
                        }
                        return nil
                    } catch {
                        return error as? MariaDBError
                    }
                }
                async let a = crossing(1, 2, signal: firstLocked, await: secondLocked)
                async let b = crossing(2, 1, signal: secondLocked, await: firstLocked)
                let errors = await [a, b].compactMap { $0 }
                #expect(errors.count == 1)
                #expect(errors.first?.kind == .deadlock)
                #expect(errors.first?.number == 1213)
                #expect(errors.first?.sqlState == "40001")
                #expect(errors.first?.isTransientConflict == true)
                // The winner committed both rows; the victim's first update was rolled back.
                let total = try await pool.withConnection { try $0.execute("SELECT SUM(n) FROM accounts").first!.decode(Int64.self, at: 0) }
                #expect(total == 2)
            }
        }
    }

    @Test func classifiesALockWaitTimeout() async throws {
        try await TestDatabase.withScratchDatabase { configuration in
            try await withPool(configuration, .init(size: 2)) { pool in
                try await pool.withConnection { connection in
                    try connection.query("CREATE TABLE hot (id BIGINT PRIMARY KEY, n BIGINT NOT NULL) ENGINE=InnoDB")
                    try connection.execute("INSERT INTO hot (id, n) VALUES (1, 0)")
                }
                let locked = DispatchSemaphore(value: 0)
                let done = DispatchSemaphore(value: 0)
                async let holder: Void = pool.withTransaction(.repeatableRead) { connection in
                    try connection.execute("UPDATE hot SET n = n + 1 WHERE id = 1")
                    locked.signal()
                    done.wait()
                }
                try await offload { locked.wait() }
                let error = await #expect(throws: MariaDBError.self) {
                    try await pool.withConnection { connection in
                        try connection.query("SET SESSION innodb_lock_wait_timeout = 1")
                        try connection.withTransaction(.repeatableRead) { connection in
                            try connection.execute("UPDATE hot SET n = n + 1 WHERE id = 1")
                        }
                    }
                }
                done.signal()
                try await holder
                #expect(error?.kind == .lockWaitTimeout)
                #expect(error?.number == 1205)
                #expect(error?.isTransientConflict == true)
            }
        }
    }

    @Test func discardsAKilledConnectionAndReplacesIt() async throws {
        try await TestDatabase.withScratchDatabase { configuration in
            try await withPool(configuration, .init(size: 1)) { pool in
                let first = try await pool.withConnection { $0.serverConnectionID }
                try await offload {
                    let killer = try MariaDBConnection.connect(configuration)
                    try killer.execute("KILL CONNECTION ?", [.uint(first)])
                }
                let error = await #expect(throws: MariaDBError.self) {
                    try await pool.withConnection { try $0.execute("SELECT 1") }
                }
                #expect(error?.kind == .connection)
                #expect(pool.statistics.discarded == 1)
                let second = try await pool.withConnection { connection in
                    _ = try connection.execute("SELECT 1")
                    return connection.serverConnectionID
                }
                #expect(second != first)
                #expect(pool.statistics.open == 1)
            }
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func survivesAServerRestartWithoutRestartingTheProcess() async throws {
        let server = PrivateMariaDBServer(name: "pool-restart-test", port: 3317)
        try await server.start()
        do {
            try await withPool(server.configuration, .init(size: 4, acquireTimeout: .seconds(2))) { pool in
                // Warm every connection so that all of them die with the server.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<4 {
                        group.addTask { try await pool.withConnection { _ = try $0.execute("SELECT SLEEP(0.05)") } }
                    }
                    try await group.waitForAll()
                }
                try await server.kill()
                let whileDown = await #expect(throws: MariaDBError.self) {
                    try await pool.withConnection { try $0.execute("SELECT 1") }
                }
                #expect(whileDown?.kind == .connection)
                try await server.start()
                // Every later call succeeds: broken idle connections are found and replaced, none reaches a caller.
                for _ in 0..<20 {
                    let one = try await pool.withConnection { try $0.execute("SELECT 1").first!.decode(Int64.self, at: 0) }
                    #expect(one == 1)
                }
            }
        } catch {
            try? await server.stop()
            throw error
        }
        try await server.stop()
    }
}
