public import MariaDB

/// Before anything is applied: refuses a plan that MariaDB would stop half-way with error 1419.
///
/// A server that writes a binary log (every primary with replicas or point-in-time recovery) or replicates with
/// Galera lets only an account with SUPER create or drop a trigger or create a function, unless
/// `log_bin_trust_function_creators` is on: the body of a trigger or function is replayed on replicas with full
/// privileges, so by default MariaDB trusts only SUPER to write one. Migration 0002 creates the ledger's immutability
/// triggers; without this check `migrate up` would create 0002's tables, fail at its first `CREATE TRIGGER` and leave
/// it dirty. The check reads `log_bin`, `wsrep_on` and `log_bin_trust_function_creators`, and whether the account
/// holds SUPER directly (SUPER given through a role is not seen: such an account is refused here and can still run
/// the migration after setting the variable).
public enum BinaryLogPreflight {
    /// What the server says about its binary log and this account.
    public struct ServerFacts: Sendable, Equatable {
        /// `log_bin` is on.
        public var writesBinaryLog: Bool
        /// `wsrep_on` is on (a Galera node, which applies the same rule).
        public var replicatesWithGalera: Bool
        /// `log_bin_trust_function_creators` is on.
        public var trustsFunctionCreators: Bool
        /// The account holds SUPER (directly).
        public var hasSuper: Bool
        /// `CURRENT_USER()`, for the message.
        public var account: String

        /// True when MariaDB would refuse a trigger or function from this account.
        public var refusesStoredPrograms: Bool {
            (writesBinaryLog || replicatesWithGalera) && !trustsFunctionCreators && !hasSuper
        }
    }

    /// Throws ``MigrationError/Code/binaryLogPrivilege`` when a statement of `files` creates or drops what the server
    /// would refuse from this account; reads the server only when some statement does.
    public static func check(_ files: [MigrationFile], on connection: MariaDBConnection) throws {
        let concerned = files.flatMap { file in
            file.statements.enumerated().compactMap { index, statement in
                StoredProgramStatement(statement).map { (file: file, number: index + 1, statement: statement, kind: $0) }
            }
        }
        guard let first = concerned.first else { return }
        let facts = try serverFacts(on: connection)
        guard facts.refusesStoredPrograms else { return }
        let logging = facts.writesBinaryLog ? "writes a binary log (log_bin=ON)" : "replicates with Galera (wsrep_on=ON)"
        throw MigrationError(
            .binaryLogPrivilege,
            "\(first.file.path): statement \(first.number) (line \(first.statement.line)) is a \(first.kind.rawValue), "
                + "and this server \(logging) with log_bin_trust_function_creators=OFF, so MariaDB allows it only to an "
                + "account with the SUPER privilege, which \(facts.account) does not have (it would fail with error 1419 "
                + "and leave the migration dirty). Nothing was applied. MariaDB asks for this because the body of a "
                + "trigger or function is written to the binary log and replayed on replicas with full privileges. "
                + "Either set log_bin_trust_function_creators=1 in the server's configuration (and SET GLOBAL "
                + "log_bin_trust_function_creators=1 to apply it without a restart; on Galera, on every node), "
                + "or run the migrations as an account with SUPER",
            file: first.file.path,
            statementNumber: first.number
        )
    }

    /// Reads the binary log settings and the account's SUPER privilege.
    public static func serverFacts(on connection: MariaDBConnection) throws -> ServerFacts {
        let variables = try connection.query(
            "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('log_bin', 'wsrep_on', 'log_bin_trust_function_creators')"
        ).rows
        var isOn: [String: Bool] = [:]
        for row in variables {
            isOn[try row.decode(String.self, at: 0)] = try row.decode(String.self, at: 1).uppercased() == "ON"
        }
        let account = try connection.query(
            "SELECT CURRENT_USER(), (SELECT COUNT(*) FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE = 'SUPER')"
        ).rows[0]
        return ServerFacts(
            writesBinaryLog: isOn["log_bin"] ?? false,
            replicatesWithGalera: isOn["wsrep_on"] ?? false,
            trustsFunctionCreators: isOn["log_bin_trust_function_creators"] ?? false,
            hasSuper: try account.decode(Int64.self, at: 1) > 0,
            account: try account.decode(String.self, at: 0)
        )
    }
}
