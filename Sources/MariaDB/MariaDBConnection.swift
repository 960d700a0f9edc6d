import CMariaDB
import Foundation

/// One connection to MariaDB, over Connector/C's blocking API.
///
/// Every method blocks the calling thread on the network, so call them only from a thread that may block:
/// ``MariaDBConnectionPool`` runs them on its own threads, never on an event loop or the Swift concurrency pool.
/// A connection is used by one thread at a time (the pool hands it to one caller at a time); it may move between
/// threads, which Connector/C allows.
///
/// Statements run through ``execute(_:_:)`` are prepared once per connection and reused. Values are always sent
/// as parameters, never concatenated into SQL.
public final class MariaDBConnection: @unchecked Sendable {
    /// How many prepared statements one connection keeps; past this the oldest is closed.
    public static let maximumCachedStatements = 128

    /// Session settings applied on every (re)connect: UTC times and strict SQL.
    static let sessionInitCommand =
        "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
        + "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'"

    /// The configuration of the server this connection went to (one endpoint of a host list).
    public let configuration: MariaDBConfiguration
    /// Which of the host list's ``MariaDBConfiguration/endpoints`` this connection went to.
    public let endpointIndex: Int
    /// The server's id for this connection (what `KILL CONNECTION` takes).
    public let serverConnectionID: UInt64
    /// True once an error showed that the connection is gone; a broken connection is never reused.
    public private(set) var isBroken = false
    /// True when the server is a Galera node (`wsrep_on`), as found when the connection was opened.
    public private(set) var isClusterNode = false

    private let mysql: UnsafeMutablePointer<MYSQL>
    private var statements: [String: PreparedStatement] = [:]
    private var statementOrder: [String] = []
    private var sessionIsolation: IsolationLevel?
    /// True while the session may be under ``StatementLimits`` a transaction asked for. They are undone only before
    /// the connection's next use that did not ask for them (in the same round trip when that is a transaction), so a
    /// limited transaction after a limited transaction pays nothing to undo them.
    private var sessionMayHaveLimits = false
    private var isInTransaction = false
    private var isClosed = false

    private init(configuration: MariaDBConfiguration, endpointIndex: Int, mysql: UnsafeMutablePointer<MYSQL>) {
        self.configuration = configuration
        self.endpointIndex = endpointIndex
        self.mysql = mysql
        self.serverConnectionID = UInt64(mysql_thread_id(mysql))
    }

    deinit { close() }

    /// Opens a connection to the first of the configuration's ``MariaDBConfiguration/endpoints``, from `first` on
    /// and round, that answers and can serve: a Galera node (`wsrep_on`) only when it is ready and `Synced`, so that
    /// nothing runs on a node that is joining, donating or cut off from the primary component. Blocks for up to the
    /// connect timeout per endpoint.
    public static func connect(_ configuration: MariaDBConfiguration, startingAt first: Int = 0) throws(MariaDBError) -> MariaDBConnection {
        let endpoints = configuration.endpoints
        var failures: [String] = []
        var lastError: MariaDBError?
        for offset in endpoints.indices {
            let index = (first + offset) % endpoints.count
            let endpoint = configuration.only(endpoints[index])
            do throws(MariaDBError) {
                let connection = try connectOnly(endpoint, endpointIndex: index)
                switch try connection.clusterNodeState() {
                case .notANode: break
                case .serving: connection.isClusterNode = true
                case .unready(let reason):
                    connection.close()
                    throw MariaDBError(kind: .connection, message: "a Galera node that cannot serve: \(reason)")
                }
                return connection
            } catch {
                lastError = error
                failures.append("\(endpoints[index]): \(error.message)")
            }
        }
        guard let lastError else { preconditionFailure("a configuration has at least one endpoint") }
        guard endpoints.count > 1 else { throw lastError }
        throw MariaDBError(
            kind: lastError.kind, number: lastError.number, sqlState: lastError.sqlState,
            message: "no server of the host list can serve: " + failures.joined(separator: "; "))
    }

    /// Whether the server is a Galera node, and if so whether it can serve.
    private enum ClusterNodeState {
        case notANode
        case serving
        /// Not ready, or not `Synced`: joining, donating, or cut off from the primary component.
        case unready(String)
    }

    private func clusterNodeState() throws(MariaDBError) -> ClusterNodeState {
        let rows = try run(
            """
            SELECT (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_VARIABLES WHERE VARIABLE_NAME = 'WSREP_ON') AS wsrep_on,
            (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_READY') AS ready,
            (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_LOCAL_STATE_COMMENT') AS state
            """
        ).rows
        guard let row = rows.first, (try? row.decode(String.self, "wsrep_on")) == "ON" else { return .notANode }
        let ready = try? row.decode(String.self, "ready")
        let state = try? row.decode(String.self, "state")
        guard ready == "ON", state == "Synced" else { return .unready("wsrep_ready \(ready ?? "unknown"), state \(state ?? "unknown")") }
        return .serving
    }

    /// Runs `body` with causal reads on a Galera node: each read, and a transaction's snapshot, first waits until
    /// this node has applied every write the cluster committed before it (`wsrep_sync_wait = 1`), so that it sees
    /// what another node acknowledged. On a server that is no Galera node this is `body` alone, at no cost.
    ///
    /// The wait is bounded by the node's `repl.causal_read_timeout` (a lock wait timeout, 1205, past it) and by the
    /// connection's read timeout. The session goes back to the server's default afterwards; a connection that cannot
    /// be given it back is not reused.
    public func withCausalReads<T>(_ body: (MariaDBConnection) throws -> T) throws -> T {
        guard isClusterNode else { return try body(self) }
        precondition(!isInTransaction, "causal reads are set before a transaction, not inside one")
        try query(Self.causalReadsOn)
        defer {
            if !isBroken, (try? query(Self.causalReadsOff)) == nil { isBroken = true }
        }
        return try body(self)
    }

    /// The statements that turn a session's causal reads on and off (`wsrep_sync_wait`: 1 is reads, 0 none).
    static let causalReadsOn = "SET SESSION wsrep_sync_wait = 1"
    static let causalReadsOff = "SET SESSION wsrep_sync_wait = 0"

    /// Opens a connection to the configuration's first server. Blocks for up to the connect timeout.
    private static func connectOnly(_ configuration: MariaDBConfiguration, endpointIndex: Int) throws(MariaDBError) -> MariaDBConnection {
        MariaDBLibrary.initializeOnce()
        guard let mysql = mysql_init(nil) else {
            throw MariaDBError(kind: .client, message: "mysql_init could not allocate a connection")
        }
        var connectTimeout = configuration.connectTimeoutSeconds
        var readTimeout = configuration.readTimeoutSeconds
        var writeTimeout = configuration.writeTimeoutSeconds
        var reconnect: my_bool = 0
        mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &connectTimeout)
        mysql_options(mysql, MYSQL_OPT_READ_TIMEOUT, &readTimeout)
        mysql_options(mysql, MYSQL_OPT_WRITE_TIMEOUT, &writeTimeout)
        // Auto-reconnect would silently drop session state (isolation level, an open transaction).
        mysql_options(mysql, MYSQL_OPT_RECONNECT, &reconnect)
        mysql_options(mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        mysql_options(mysql, MYSQL_INIT_COMMAND, sessionInitCommand)

        let host = configuration.unixSocketPath == nil ? configuration.host : "localhost"
        let connected = mysql_real_connect(
            mysql,
            host,
            configuration.user,
            configuration.password,
            configuration.database,
            UInt32(configuration.port),
            configuration.unixSocketPath,
            // Only for the connection's own constant batches (a transaction's opening statements): every value a
            // caller gives goes through a prepared statement, never into the text of one.
            UInt(CLIENT_MULTI_STATEMENTS)
        )
        if connected == nil {
            let error = Self.error(of: mysql)
            mysql_close(mysql)
            throw error
        }
        return MariaDBConnection(configuration: configuration, endpointIndex: endpointIndex, mysql: mysql)
    }

    /// Runs `sql` as a prepared statement with `parameters` bound to its `?` placeholders.
    ///
    /// The statement is prepared on first use and reused afterwards on this connection.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [MariaDBValue] = []) throws(MariaDBError) -> MariaDBResult {
        try undoLimitsOutsideTransactions()
        let statement = try preparedStatement(for: sql)
        do {
            return try statement.execute(parameters)
        } catch {
            noteFailure(error)
            throw error
        }
    }

    /// Runs `sql`, one statement, as plain text: for statements without values, such as DDL, `SET` or a migration
    /// file's statements.
    @discardableResult
    public func query(_ sql: String) throws(MariaDBError) -> MariaDBResult {
        try undoLimitsOutsideTransactions()
        return try run(sql)
    }

    @discardableResult
    private func run(_ sql: String) throws(MariaDBError) -> MariaDBResult {
        let status = sql.utf8CString.withUnsafeBufferPointer { text in
            mysql_real_query(mysql, text.baseAddress, UInt(text.count - 1))
        }
        if status != 0 { throw failure() }
        guard mysql_field_count(mysql) > 0 else {
            return MariaDBResult(
                columns: MariaDBColumns([]),
                rows: [],
                affectedRows: mysql_affected_rows(mysql),
                lastInsertID: mysql_insert_id(mysql)
            )
        }
        guard let result = mysql_store_result(mysql) else { throw failure() }
        defer { mysql_free_result(result) }
        let count = Int(mysql_num_fields(result))
        let fields = mysql_fetch_fields(result)!
        let columns = MariaDBColumns((0..<count).map { String(cString: fields[$0].name) })
        var rows: [MariaDBRow] = []
        while let row = mysql_fetch_row(result) {
            let lengths = mysql_fetch_lengths(result)!
            let values: [MariaDBValue] = (0..<count).map { i in
                guard let cell = row[i] else { return .null }
                let bytes = UnsafeRawBufferPointer(start: cell, count: Int(lengths[i]))
                if let text = String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) { return .string(text) }
                return .bytes(Array(bytes))
            }
            rows.append(MariaDBRow(columns: columns, values: values))
        }
        return MariaDBResult(columns: columns, rows: rows, affectedRows: 0, lastInsertID: 0)
    }

    /// Runs `body` in a transaction at `isolation`, with `limits` on every statement of it when given: committed
    /// when it returns, rolled back when it throws.
    ///
    /// The isolation level, the limits (or the server's defaults again, for a transaction without limits after one
    /// with them) and `START TRANSACTION` go to the server in one round trip. The limits stay with the session
    /// until its next use without limits, which undoes them first, so the next user of the connection is not cut
    /// short. Errors from `COMMIT` (a deadlock can be reported there) are thrown after rolling back.
    @discardableResult
    public func withTransaction<T>(
        _ isolation: IsolationLevel,
        limits: StatementLimits? = nil,
        _ body: (MariaDBConnection) throws -> T
    ) throws -> T {
        precondition(!isInTransaction, "transactions do not nest")
        var opening: [String] = []
        if sessionIsolation != isolation {
            opening.append("SET SESSION TRANSACTION ISOLATION LEVEL \(isolation.rawValue)")
            // Unknown until the batch is through: it may stop at any of its statements.
            sessionIsolation = nil
        }
        if let limits {
            opening.append(limits.setStatement)
            sessionMayHaveLimits = true
        } else if sessionMayHaveLimits {
            opening.append(StatementLimits.resetStatement)
        }
        opening.append("START TRANSACTION")
        try runBatch(opening)
        sessionIsolation = isolation
        if limits == nil { sessionMayHaveLimits = false }
        isInTransaction = true
        defer { isInTransaction = false }
        let value: T
        do {
            value = try body(self)
            try run("COMMIT")
        } catch {
            rollback()
            throw error
        }
        return value
    }

    /// Checks that the server still answers.
    public func ping() throws(MariaDBError) {
        if mysql_ping(mysql) != 0 { throw failure() }
    }

    /// Closes the connection and its statements. Safe to call more than once.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        isBroken = true
        statements.removeAll()
        statementOrder.removeAll()
        mysql_close(mysql)
    }

    /// Gives the session the server's defaults back if a limited transaction left its limits on it.
    private func undoLimitsOutsideTransactions() throws(MariaDBError) {
        guard sessionMayHaveLimits, !isInTransaction else { return }
        do {
            try run(StatementLimits.resetStatement)
        } catch {
            // A session that may keep another user's limits must not be used again.
            isBroken = true
            throw error
        }
        sessionMayHaveLimits = false
    }

    /// Runs constant `statements` (no values from a caller) in one round trip, in order; stops at the first that
    /// fails and throws its error. Their results are read and dropped.
    private func runBatch(_ statements: [String]) throws(MariaDBError) {
        let text = statements.joined(separator: "; ")
        let status = text.utf8CString.withUnsafeBufferPointer { text in
            mysql_real_query(mysql, text.baseAddress, UInt(text.count - 1))
        }
        if status != 0 { throw failure() }
        // Bounded by the batch: one result per statement, and the server stops at the first that fails.
        for _ in statements.indices {
            if let result = mysql_store_result(mysql) { mysql_free_result(result) }
            let next = mysql_next_result(mysql)
            if next == -1 { return }
            if next > 0 { throw failure() }
        }
        preconditionFailure("a batch of \(statements.count) statements gave more results than statements")
    }

    private func rollback() {
        guard !isBroken else { return }
        if mysql_rollback(mysql) != 0 {
            // A connection that cannot roll back may still hold the transaction: never reuse it.
            isBroken = true
        }
    }

    private func preparedStatement(for sql: String) throws(MariaDBError) -> PreparedStatement {
        if let statement = statements[sql] { return statement }
        if statements.count >= Self.maximumCachedStatements {
            let oldest = statementOrder.removeFirst()
            statements[oldest] = nil
        }
        do {
            let statement = try PreparedStatement(sql: sql, mysql: mysql)
            statements[sql] = statement
            statementOrder.append(sql)
            return statement
        } catch {
            noteFailure(error)
            throw error
        }
    }

    private func failure() -> MariaDBError {
        let error = Self.error(of: mysql)
        noteFailure(error)
        return error
    }

    private func noteFailure(_ error: MariaDBError) {
        if error.isConnectionBroken { isBroken = true }
    }

    static func error(of mysql: UnsafeMutablePointer<MYSQL>) -> MariaDBError {
        MariaDBError(
            number: mysql_errno(mysql),
            sqlState: String(cString: mysql_sqlstate(mysql)),
            message: String(cString: mysql_error(mysql))
        )
    }
}

/// Process-wide initialisation of Connector/C, done once before the first connection.
enum MariaDBLibrary {
    private static let initialized: Bool = { cmariadb_library_init() == 0 }()

    static func initializeOnce() {
        precondition(initialized, "mysql_library_init failed")
    }
}
