import Foundation
import MariaDB
import Testing
import TestSupport

/// What the server does with per-session statement limits, measured on prepared statements (the binary protocol
/// every movement uses).
@Suite("Statement limits against a real MariaDB")
struct StatementLimitsTests {
    /// How long the other session holds the row lock: far past the limit under test.
    static let lockHoldSeconds = 3.0
    static let limit: Duration = .milliseconds(700)

    @Test func maxStatementTimeInterruptsAPreparedStatementWaitingForARowLockAndIsUndoneAfter() async throws {
        try await TestDatabase.withScratchDatabase { configuration in
            try await offload {
                let setup = try MariaDBConnection.connect(configuration)
                try setup.query("CREATE TABLE counters (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB")
                try setup.query("INSERT INTO counters VALUES (1, 0)")
            }
            let holder = Task {
                try await offload {
                    let connection = try MariaDBConnection.connect(configuration)
                    try connection.query("START TRANSACTION")
                    try connection.query("SELECT n FROM counters WHERE id = 1 FOR UPDATE")
                    Thread.sleep(forTimeInterval: Self.lockHoldSeconds)
                    try connection.query("ROLLBACK")
                }
            }
            // Give the holder time to take its lock; the measurement below shows whether it did.
            try await Task.sleep(for: .milliseconds(500))
            let (error, elapsed, after) = try await offload { () -> (MariaDBError?, Duration, [MariaDBRow]) in
                let connection = try MariaDBConnection.connect(configuration)
                let defaults = try connection.query("SELECT @@session.max_statement_time AS time, @@session.innodb_lock_wait_timeout AS wait")
                let clock = ContinuousClock()
                let start = clock.now
                var caught: MariaDBError?
                do {
                    try connection.withTransaction(.repeatableRead, limits: StatementLimits(remaining: Self.limit)) { connection in
                        try connection.execute("UPDATE counters SET n = n + ? WHERE id = 1", [.int(1)])
                    }
                } catch let error as MariaDBError {
                    caught = error
                }
                let elapsed = clock.now - start
                let after = try connection.query("SELECT @@session.max_statement_time AS time, @@session.innodb_lock_wait_timeout AS wait")
                return (caught, elapsed, defaults.rows + after.rows)
            }
            try await holder.value
            print("a prepared UPDATE waiting for a row lock under max_statement_time \(Self.limit) ended after \(elapsed): \(String(describing: error))")
            #expect(error?.kind == .statementTimeout)
            #expect(error?.number == 1969)
            #expect(elapsed < .seconds(Self.lockHoldSeconds), "interrupted before the lock's release")
            #expect(elapsed >= Self.limit - .milliseconds(50))
            // The session's defaults are back for the connection's next user.
            #expect(try after[1].decode(Double.self, "time") == after[0].decode(Double.self, "time"))
            #expect(try after[1].decode(Int.self, "wait") == after[0].decode(Int.self, "wait"))
        }
    }

    @Test func aTransactionsLimitsCostOneStatementAndAreUndoneBeforeTheNextUseWithoutThem() async throws {
        try await TestDatabase.withScratchDatabase { configuration in
            try await offload {
                let connection = try MariaDBConnection.connect(configuration)
                func reading() throws -> (time: Double, setStatements: Int) {
                    let time = try connection.query("SELECT @@session.max_statement_time AS time").first!.decode(Double.self, "time")
                    let count = try connection.query("SHOW SESSION STATUS LIKE 'Com_set_option'").first!.decode(String.self, "Value")
                    return (time, Int(count)!)
                }
                try connection.withTransaction(.repeatableRead) { _ in }
                let base = try reading()
                let first = try connection.withTransaction(.repeatableRead, limits: StatementLimits(remaining: .milliseconds(700))) { _ in try reading() }
                let second = try connection.withTransaction(.repeatableRead, limits: StatementLimits(remaining: .milliseconds(1_500))) { _ in
                    try reading()
                }
                // Outside a transaction the defaults are back (one statement undid the limits)...
                let outside = try reading()
                _ = try connection.withTransaction(.repeatableRead, limits: StatementLimits(remaining: .milliseconds(900))) { _ in try reading() }
                // ...and inside one without limits after one with them (undone in its opening round trip).
                let plain = try connection.withTransaction(.repeatableRead) { _ in try reading() }
                #expect(first.time == 0.7 && first.setStatements == base.setStatements + 1)
                #expect(second.time == 1.5 && second.setStatements == base.setStatements + 2, "nothing undone between limited transactions")
                #expect(outside.time == base.time && outside.setStatements == base.setStatements + 3)
                #expect(plain.time == base.time && plain.setStatements == base.setStatements + 5)
            }
        }
    }

    @Test func theLimitsNeverPassTheTimeLeft() {
        let short = StatementLimits(remaining: .milliseconds(1_500))
        #expect(short.statementTime == .milliseconds(1_500))
        #expect(short.lockWaitTimeoutSeconds == 1)
        let spent = StatementLimits(remaining: .milliseconds(-3))
        #expect(spent.statementTime == StatementLimits.minimumStatementTime)
        #expect(spent.lockWaitTimeoutSeconds == 1)
    }
}
