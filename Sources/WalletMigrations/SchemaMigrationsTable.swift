import Foundation
import MariaDB

/// Every SQL statement that touches `schema_migrations`, the record of applied migrations.
///
/// Only ``createSQL`` is DDL, sent as text; every read and write is a prepared statement with parameters.
enum SchemaMigrationsTable {
    /// The table's name.
    static let name = "schema_migrations"
    /// MariaDB's `ER_NO_SUCH_TABLE`: the table does not exist yet.
    static let noSuchTableErrorNumber: UInt32 = 1146

    static let createSQL = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT NOT NULL PRIMARY KEY,
            name VARCHAR(255) NOT NULL,
            checksum CHAR(64) NOT NULL,
            applied_at DATETIME(6) NOT NULL,
            duration_ms BIGINT NOT NULL,
            dirty TINYINT(1) NOT NULL
        ) ENGINE=InnoDB
        """
    static let selectAllSQL = "SELECT version, name, checksum, applied_at, duration_ms, dirty FROM schema_migrations ORDER BY version"
    static let insertSQL = "INSERT INTO schema_migrations (version, name, checksum, applied_at, duration_ms, dirty) VALUES (?, ?, ?, ?, ?, ?)"
    static let markCleanSQL = "UPDATE schema_migrations SET dirty = 0, checksum = ?, applied_at = ?, duration_ms = ? WHERE version = ?"
    static let clearDirtySQL = "UPDATE schema_migrations SET dirty = 0, checksum = ? WHERE version = ?"
    static let markDirtySQL = "UPDATE schema_migrations SET dirty = 1 WHERE version = ?"
    static let deleteSQL = "DELETE FROM schema_migrations WHERE version = ?"

    /// Creates the table if it is absent.
    static func create(on connection: MariaDBConnection) throws(MariaDBError) {
        try connection.query(createSQL)
    }

    /// Every row, by version; none when the table does not exist yet.
    static func readAll(on connection: MariaDBConnection) throws(MariaDBError) -> [AppliedMigration] {
        let result: MariaDBResult
        do {
            result = try connection.execute(selectAllSQL)
        } catch  where error.number == noSuchTableErrorNumber {
            return []
        }
        var rows: [AppliedMigration] = []
        rows.reserveCapacity(result.rows.count)
        for row in result.rows {
            rows.append(
                AppliedMigration(
                    version: try row.decode(Int64.self, "version"),
                    name: try row.decode(String.self, "name"),
                    checksum: try row.decode(String.self, "checksum"),
                    appliedAt: try row.decode(Date.self, "applied_at"),
                    durationMs: try row.decode(Int64.self, "duration_ms"),
                    isDirty: try row.decode(Bool.self, "dirty")
                )
            )
        }
        return rows
    }

    /// Records `migration` as being applied right now: a dirty row.
    static func insertDirty(_ migration: Migration, startedAt: Date, on connection: MariaDBConnection) throws(MariaDBError) {
        try connection.execute(
            insertSQL,
            [.int(migration.version), .string(migration.name), .string(migration.checksum), .date(startedAt), .int(0), .int(1)]
        )
    }

    /// Records `migration` as applied, without running it (for `force`).
    static func insertApplied(_ migration: Migration, appliedAt: Date, on connection: MariaDBConnection) throws(MariaDBError) {
        try connection.execute(
            insertSQL,
            [.int(migration.version), .string(migration.name), .string(migration.checksum), .date(appliedAt), .int(0), .int(0)]
        )
    }

    /// Marks a dirty row as applied, once all its statements succeeded.
    static func markApplied(
        version: Int64,
        checksum: String,
        appliedAt: Date,
        durationMs: Int64,
        on connection: MariaDBConnection
    ) throws(MariaDBError) {
        try connection.execute(markCleanSQL, [.string(checksum), .date(appliedAt), .int(durationMs), .int(version)])
    }

    /// Clears a row's dirty flag and records `checksum` (for `force`).
    static func clearDirty(version: Int64, checksum: String, on connection: MariaDBConnection) throws(MariaDBError) {
        try connection.execute(clearDirtySQL, [.string(checksum), .int(version)])
    }

    /// Marks a row dirty while its down file runs.
    static func markDirty(version: Int64, on connection: MariaDBConnection) throws(MariaDBError) {
        try connection.execute(markDirtySQL, [.int(version)])
    }

    /// Deletes a row: the migration is no longer applied.
    static func delete(version: Int64, on connection: MariaDBConnection) throws(MariaDBError) {
        try connection.execute(deleteSQL, [.int(version)])
    }
}
