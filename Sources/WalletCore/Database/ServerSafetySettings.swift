public import MariaDB

/// The server settings that decide whether a committed movement survives a crash, and on a Galera cluster whether
/// replication is safe, read once at start-up: ``warnings`` says what is unsafe, in words an operator can act on.
public struct ServerSafetySettings: Sendable, Hashable {
    /// `@@wsrep_on`: the server is a Galera node.
    public var wsrepOn: Bool
    public var binlogFormat: String?
    public var innodbFlushLogAtTrxCommit: Int?
    public var innodbAutoincLockMode: Int?

    public init(wsrepOn: Bool, binlogFormat: String?, innodbFlushLogAtTrxCommit: Int?, innodbAutoincLockMode: Int?) {
        self.wsrepOn = wsrepOn
        self.binlogFormat = binlogFormat
        self.innodbFlushLogAtTrxCommit = innodbFlushLogAtTrxCommit
        self.innodbAutoincLockMode = innodbAutoincLockMode
    }

    /// The settings of the server `connection` is on. A server built without Galera has no `wsrep_on`: not a node.
    public static func read(on connection: MariaDBConnection) throws(MariaDBError) -> ServerSafetySettings {
        let row = try connection.query(
            """
            SELECT (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_VARIABLES WHERE VARIABLE_NAME = 'WSREP_ON') AS wsrep_on,
            @@GLOBAL.binlog_format AS binlog_format, @@GLOBAL.innodb_flush_log_at_trx_commit AS flush_log,
            @@GLOBAL.innodb_autoinc_lock_mode AS autoinc_lock_mode
            """
        ).first
        func text(_ column: String) -> String? { (try? row?.decode(String.self, column)) ?? nil }
        return ServerSafetySettings(
            wsrepOn: text("wsrep_on") == "ON", binlogFormat: text("binlog_format"),
            innodbFlushLogAtTrxCommit: text("flush_log").flatMap { Int($0) }, innodbAutoincLockMode: text("autoinc_lock_mode").flatMap { Int($0) })
    }

    /// What is unsafe, one sentence each; empty when nothing is.
    public var warnings: [String] {
        var warnings: [String] = []
        if let flush = innodbFlushLogAtTrxCommit, flush != 1 {
            warnings.append(
                "innodb_flush_log_at_trx_commit is \(flush), not 1: a movement answered 201 may be lost in a crash"
                    + (wsrepOn ? " (on a cluster, when nodes crash in quick succession)" : ""))
        }
        guard wsrepOn else { return warnings }
        if binlogFormat != "ROW" {
            warnings.append("binlog_format is \(binlogFormat ?? "unknown"), not ROW: Galera replicates only row events safely")
        }
        if innodbAutoincLockMode != 2 {
            warnings.append(
                "innodb_autoinc_lock_mode is \(innodbAutoincLockMode.map(String.init) ?? "unknown"), not 2: Galera needs interleaved auto-increment locks")
        }
        return warnings
    }
}
