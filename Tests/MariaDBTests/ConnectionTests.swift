import Logging
import Foundation
import MariaDB
import Testing
import TestSupport

@Suite("Connections, prepared statements and transactions against a real MariaDB")
struct ConnectionTests {
    @Test func connectsOverTCPAndOverTheUnixSocket() async throws {
        try await TestDatabase.withScratchDatabase { configuration in
            let socketPath = try await offload {
                let connection = try MariaDBConnection.connect(configuration)
                return try connection.query("SELECT @@socket").first!.decode(String.self, at: 0)
            }
            var socketConfiguration = configuration
            socketConfiguration.unixSocketPath = socketPath
            let overSocket = socketConfiguration
            let database = try await offload {
                let connection = try MariaDBConnection.connect(overSocket)
                return try connection.execute("SELECT DATABASE()").first!.decode(String.self, at: 0)
            }
            #expect(database == configuration.database)
        }
    }

    @Test func roundTripsTypedParametersAndColumns() async throws {
        try await TestDatabase.withScratchDatabase { configuration in
            try await offload {
                let connection = try MariaDBConnection.connect(configuration)
                try connection.query(
                    """
                    CREATE TABLE samples (
                      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
                      i BIGINT NULL, u BIGINT UNSIGNED NULL, d DOUBLE NULL, s VARCHAR(255) NULL,
                      b LONGBLOB NULL, t DATETIME(6) NULL, n INT NULL
                    ) ENGINE=InnoDB
                    """
                )
                let when = Date(timeIntervalSince1970: 1_767_225_600.123456)
                let long = [UInt8]((0..<100_000).map { UInt8($0 % 251) })
                let inserted = try connection.execute(
                    "INSERT INTO samples (i, u, d, s, b, t, n) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [.int(Int64.min), .uint(UInt64.max), .double(2.5), .string("Zürich ✓ 💶"), .bytes([0, 1, 0, 255]), .date(when), .null]
                )
                #expect(inserted.affectedRows == 1)
                #expect(inserted.lastInsertID == 1)
                try connection.execute(
                    "INSERT INTO samples (i, s, b) VALUES (?, ?, ?)",
                    [.int(Int64.max), .string(String(repeating: "x", count: 255)), .bytes(long)]
                )

                let rows = try connection.execute("SELECT i, u, d, s, b, t, n FROM samples ORDER BY id").rows
                #expect(rows.count == 2)
                #expect(try rows[0].decode(Int64.self, "i") == Int64.min)
                #expect(try rows[0].decode(UInt64.self, "u") == UInt64.max)
                #expect(try rows[0].decode(Double.self, "d") == 2.5)
                #expect(try rows[0].decode(String.self, "s") == "Zürich ✓ 💶")
                #expect(try rows[0].decode([UInt8].self, "b") == [0, 1, 0, 255])
                let readBack = try rows[0].decode(Date.self, "t")
                #expect(abs(readBack.timeIntervalSince1970 - when.timeIntervalSince1970) < 0.000_001)
                #expect(try rows[0].decode(Int64?.self, "n") == nil)
                #expect(try rows[1].decode(Int64.self, "i") == Int64.max)
                #expect(try rows[1].decode(String.self, "s").count == 255)
                #expect(try rows[1].decode([UInt8].self, "b") == long)
                // A second read of the long value goes through the grown buffer.
                let again = try connection.execute("SELECT b FROM samples WHERE id = ?", [2]).first!
                #expect(try again.decode([UInt8].self, at: 0) == long)
                #expect(throws: MariaDBError.self) { try rows[0].decode(Int64.self, "s") }
            }
        }
    }

    @Test func preparesAStatementOncePerConnection() async throws {
        try await TestDatabase.withScratchDatabase { configuration in
            try await offload {
                let connection = try MariaDBConnection.connect(configuration)
                func prepares() throws -> Int64 {
                    try connection.query("SHOW SESSION STATUS LIKE 'Com_stmt_prepare'").first!.decode(Int64.self, at: 1)
                }
                let before = try prepares()
                for i in 0..<5 { _ = try connection.execute("SELECT ? + 1", [.int(Int64(i))]) }
                #expect(try prepares() - before == 1)
            }
        }
    }

    @Test func commitsRollsBackAndSetsTheIsolationLevel() async throws {
        struct Abort: Error {}
        try await TestDatabase.withScratchDatabase { configuration in
            try await offload {
                let connection = try MariaDBConnection.connect(configuration)
                try connection.query("CREATE TABLE t (id BIGINT PRIMARY KEY) ENGINE=InnoDB")
                let level = try connection.withTransaction(.repeatableRead) { connection in
                    try connection.execute("INSERT INTO t (id) VALUES (?)", [1])
                    return try connection.query("SELECT @@tx_isolation").first!.decode(String.self, at: 0)
                }
                #expect(level == "REPEATABLE-READ")
                #expect(throws: Abort.self) {
                    try connection.withTransaction(.readCommitted) { connection in
                        try connection.execute("INSERT INTO t (id) VALUES (?)", [2])
                        #expect(try connection.query("SELECT @@tx_isolation").first!.decode(String.self, at: 0) == "READ-COMMITTED")
                        throw Abort()
                    }
                }
                let ids = try connection.execute("SELECT id FROM t ORDER BY id").rows.map { try $0.decode(Int64.self, at: 0) }
                #expect(ids == [1])
                #expect(try connection.execute("SELECT @@in_transaction").first!.decode(Int64.self, at: 0) == 0)
            }
        }
    }

    @Test func classifiesADuplicateKeyAndOtherServerErrors() async throws {
        try await TestDatabase.withScratchDatabase { configuration in
            try await offload {
                let connection = try MariaDBConnection.connect(configuration)
                try connection.query("CREATE TABLE k (id BIGINT PRIMARY KEY) ENGINE=InnoDB")
                try connection.execute("INSERT INTO k (id) VALUES (?)", [7])
                let duplicate = #expect(throws: MariaDBError.self) { try connection.execute("INSERT INTO k (id) VALUES (?)", [7]) }
                #expect(duplicate?.kind == .duplicateKey)
                #expect(duplicate?.number == 1062)
                #expect(duplicate?.sqlState == "23000")
                let syntax = #expect(throws: MariaDBError.self) { try connection.query("SELEC 1") }
                #expect(syntax?.kind == .server)
                #expect(syntax?.number == 1064)
                #expect(!connection.isBroken)
                // The connection is still usable after errors.
                #expect(try connection.execute("SELECT COUNT(*) FROM k").first!.decode(Int64.self, at: 0) == 1)
            }
        }
    }

    @Test func classifiesARefusedConnection() async throws {
        var configuration = try TestDatabase.configuration()
        configuration.port = 1  // nothing listens on port 1 of loopback
        let refused = configuration
        let error = try await offload { () -> MariaDBError? in
            do {
                _ = try MariaDBConnection.connect(refused)
                return nil
            } catch {
                return error as? MariaDBError
            }
        }
        #expect(error?.kind == .connection)
        #expect([2002, 2003].contains(error?.number ?? 0))
    }

    /// A host list whose first server refuses: the connection goes to the next, the error of a list that no server
    /// answers names each, and the pool's new connections start from the server that answered last.
    @Test func aHostListMovesOnToTheNextServerThatAnswers() async throws {
        try await TestDatabase.withScratchDatabase { live in
            var listed = live
            listed.host = "127.0.0.1"
            listed.port = 1  // nothing listens on port 1 of loopback
            listed.otherEndpoints = [.init(host: live.host, port: live.port)]
            let configuration = listed
            let connection = try await offload { try MariaDBConnection.connect(configuration) }
            #expect(connection.endpointIndex == 1)
            #expect(connection.configuration.port == live.port && connection.configuration.otherEndpoints.isEmpty)
            connection.close()

            var dead = configuration
            dead.otherEndpoints = [.init(host: "127.0.0.1", port: 2)]
            let unreachable = dead
            let error = try await offload { () -> MariaDBError? in
                do {
                    _ = try MariaDBConnection.connect(unreachable)
                    return nil
                } catch {
                    return error as? MariaDBError
                }
            }
            #expect(error?.kind == .connection)
            #expect(error?.message.contains("127.0.0.1:1: ") == true && error?.message.contains("127.0.0.1:2: ") == true, "\(String(describing: error))")

            let pool = MariaDBConnectionPool(database: configuration, configuration: .init(size: 2), logger: Logger(label: "test"))
            #expect(pool.currentEndpoint.port == 1)
            #expect(try await pool.withConnection { try $0.query("SELECT 1 AS one").first?.decode(Int64.self, "one") } == 1)
            #expect(pool.currentEndpoint == .init(host: live.host, port: live.port))
            await pool.shutdown()
        }
    }

    @Test func classifiesAKilledConnectionAndMarksItBroken() async throws {
        try await TestDatabase.withScratchDatabase { configuration in
            try await offload {
                let victim = try MariaDBConnection.connect(configuration)
                let killer = try MariaDBConnection.connect(configuration)
                try killer.execute("KILL CONNECTION ?", [.uint(victim.serverConnectionID)])
                let error = #expect(throws: MariaDBError.self) { try victim.execute("SELECT 1") }
                #expect(error?.kind == .connection)
                #expect(victim.isBroken)
            }
        }
    }
}
