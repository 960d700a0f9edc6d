import Foundation
import MariaDB

/// One readiness probe, blocking: a connection of its own with short timeouts, `SELECT 1`, the schema check, and
/// the connection closed again. ``start(_:)`` runs it on a thread of its own.
///
/// Every step is bounded by ``databaseTimeout``: libmariadb's connect, read and write timeouts cover a server that
/// refuses, one that accepts and never answers (a stopped process, a bare listener) and one that hangs mid-query,
/// and the session's `max_statement_time` and `lock_wait_timeout` make the server give up a probe's statement that
/// waits (on a metadata lock, say), so no database thread stays busy with a probe that nobody waits for any more.
struct ReadinessProbe: Sendable {
    /// libmariadb's connect, read and write timeouts of the probe's connection (whole seconds, its unit).
    static let databaseTimeoutSeconds: UInt32 = 1
    /// ``databaseTimeoutSeconds`` as a duration.
    static let databaseTimeout: Duration = .seconds(databaseTimeoutSeconds)
    /// The server's own limit on one statement of the probe, and on its waits for locks (seconds).
    static let serverStatementTimeoutSeconds = 1

    /// Where to connect: the service's database, with the probe's timeouts.
    let database: MariaDBConfiguration
    let schemaCheck: ReadinessCheck.SchemaCheck

    /// A probe of `database`'s server and schema; the URL's timeouts are shortened to ``databaseTimeoutSeconds``.
    init(database: MariaDBConfiguration, schemaCheck: @escaping ReadinessCheck.SchemaCheck) {
        var database = database
        database.connectTimeoutSeconds = min(database.connectTimeoutSeconds, Self.databaseTimeoutSeconds)
        database.readTimeoutSeconds = min(database.readTimeoutSeconds, Self.databaseTimeoutSeconds)
        database.writeTimeoutSeconds = min(database.writeTimeoutSeconds, Self.databaseTimeoutSeconds)
        self.database = database
        self.schemaCheck = schemaCheck
    }

    /// Runs the probe on a new thread and calls `done` there with its result.
    func start(_ done: @escaping @Sendable (String?) -> Void) {
        let thread = Thread { done(self.run()) }
        thread.name = "wallet-readiness-probe"
        thread.start()
    }

    /// Nil when the database answers and the schema is current; else why not. Blocks.
    func run() -> String? {
        do {
            let connection = try MariaDBConnection.connect(database)
            defer { connection.close() }
            try connection.query(
                "SET SESSION max_statement_time = \(Self.serverStatementTimeoutSeconds), lock_wait_timeout = \(Self.serverStatementTimeoutSeconds)"
            )
            try connection.query("SELECT 1")
            return try schemaCheck(connection)
        } catch let error as MariaDBError {
            return "the database is unreachable: \(error.message)"
        } catch {
            return "the readiness check failed: \(error)"
        }
    }
}
